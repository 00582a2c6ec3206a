#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The standard streams at their worst: stdout a pipe whose reader is gone
# before or during the output, stdout /dev/full, and stdin, stdout or
# stderr closed. The documented behaviour (vasx(1), EXIT STATUS):
#  * a reader gone (EPIPE): the output stops, nothing is said, exit 1,
#    in every batch mode, --watch and --diff included, never a loop or a
#    signal death; --watch | head ends when head does;
#  * any other write error (ENOSPC, EBADF): one sentence, exit 1;
#  * a closed stream never lends its number to a file vasx writes.
. "$(dirname "$0")/cli_lib"

start_testproc --anon 60000 || { echo "$me: the test helper did not start" >&2; exit 1; }
big=$tp
start_sleeper

# run_to WHERE CMD...: run CMD with stdout going WHERE:
#   gone   a pipe whose reader closed before CMD started
#   head   a pipe whose reader takes 100 bytes and leaves
#   line   a pipe whose reader takes a line and leaves
#   full   /dev/full
#   closed stdout closed
# $rc is its exit status, $tmp/err its stderr, $tmp/out what the reader got.
run_to() {
	where=$1
	shift
	rm -f "$tmp/rc" "$tmp/go"
	case $where in
	gone)
		mkfifo "$tmp/go"
		# the reader closes the pipe, then lets the writer start: no race
		{ read -r _ <"$tmp/go"; timeout 60 "$@" 2>"$tmp/err"; echo $? >"$tmp/rc"; } |
			{ exec 0<&-; echo go >"$tmp/go"; }
		: >"$tmp/out" ;;
	head)
		{ timeout 60 "$@" 2>"$tmp/err"; echo $? >"$tmp/rc"; } | head -c 100 >"$tmp/out" ;;
	line)
		{ timeout 60 "$@" 2>"$tmp/err"; echo $? >"$tmp/rc"; } | head -n 1 >"$tmp/out" ;;
	full)
		timeout 60 "$@" >/dev/full 2>"$tmp/err"; echo $? >"$tmp/rc" ;;
	closed)
		timeout 60 "$@" >&- 2>"$tmp/err"; echo $? >"$tmp/rc" ;;
	esac
	rc=$(cat "$tmp/rc")
	# --diff of two processes says so first: not an error
	grep -v '^vasx: note: .* not the same process$' "$tmp/err" >"$tmp/err2"
	mv "$tmp/err2" "$tmp/err"
}

# quiet_1 WHAT: exit 1 and nothing on stderr.
quiet_1() {
	if [ "$rc" -eq 1 ] && [ ! -s "$tmp/err" ]; then
		ok "$1: exit 1, nothing said"
	else
		fail "$1: exit $rc (1 wanted), stderr: $(head -c 300 "$tmp/err")"
	fi
}

# one_line WHAT REGEX: exit 1 and one line on stderr matching REGEX.
one_line() {
	if [ "$rc" -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q -E -e "$2" "$tmp/err"; then
		ok "$1: exit 1, one message"
	else
		fail "$1: exit $rc (1 wanted), stderr: $(head -c 300 "$tmp/err")"
	fi
}

"$VASX" -p "$sp" --save "$tmp/a" && "$VASX" -p "$big" --save "$tmp/b" ||
	fail "--save of the trees to compare"

# ---- a reader that went away: before the output, and in the middle of it
for args in "--graph -p $big" "-v -p $big" "--table -p $big" "--table --format=csv -p $big" \
	"--json -p $big" "--maps" "--maps --format=json" "--maps --format=jsonl -p $big" \
	"--diff $tmp/a $tmp/b" "--diff $tmp/a $tmp/b --json" "--proc-root $tmp/b --graph" \
	"--graph --log $tmp/log -p $big"; do
	for where in gone head; do
		# shellcheck disable=SC2086
		run_to $where "$VASX" $args
		quiet_1 "$args | $where"
		[ $where = gone ] || [ "$(wc -c <"$tmp/out")" -eq 100 ] ||
			fail "$args | head -c 100: the reader got $(wc -c <"$tmp/out") bytes"
	done
done
# --log is written before the output, so a reader gone away does not cut it.
"$VASX" --graph -p "$big" >"$tmp/graph"
head -c "$(wc -c <"$tmp/graph")" "$tmp/log" | cmp -s - "$tmp/graph" ||
	fail "--log behind a closed pipe: the log does not hold the graph whole"

# --watch: ends at once when its reader goes, even when nothing changes.
start=$(date +%s)
run_to line "$VASX" --watch=0.1 -p "$sp"
quiet_1 "--watch | head -n 1"
[ $(($(date +%s) - start)) -lt 10 ] || fail "--watch | head took more than 10 s to end"
grep -q "pid $sp watching" "$tmp/out" || fail "--watch | head: the reader did not get the first line"
run_to gone "$VASX" --watch=0.1 -p "$sp"
quiet_1 "--watch | (reader gone)"

# ---- /dev/full: one sentence
for args in --help --version; do
	run_to full "$VASX" $args
	one_line "$args >/dev/full" "^vasx: cannot write the output: No space left on device$"
	run_to gone "$VASX" $args
	quiet_1 "$args | (reader gone)"
done
for args in "--graph -p $big" "--json -p $big" "--maps --format=csv" "--table -p $sp" \
	"--diff $tmp/a $tmp/b" "--watch=0.1 -p $sp"; do
	# shellcheck disable=SC2086
	run_to full "$VASX" $args
	one_line "$args >/dev/full" "^vasx: cannot write the output: No space left on device$"
done

# ---- stdout closed: one sentence; files written meanwhile get nothing of it
# shellcheck disable=SC2086
for args in "--graph -p $sp" "--json -p $sp" "--maps -p $sp" "--diff $tmp/a $tmp/b" \
	"--watch=0.1 -p $sp"; do
	# shellcheck disable=SC2086
	run_to closed "$VASX" $args
	one_line "$args >&-" "^vasx: cannot write the output: Bad file descriptor$"
done
run_to closed "$VASX" --graph -p "$sp" --export-maps "$tmp/m.csv" --log "$tmp/log2" --debug
"$VASX" -p "$sp" --export-maps "$tmp/m2.csv" >/dev/null
cmp -s "$tmp/m.csv" "$tmp/m2.csv" || fail "stdout closed: the export holds something else: $(diff "$tmp/m.csv" "$tmp/m2.csv" | head -3)"
"$VASX" --graph -p "$sp" --no-color >"$tmp/g2"
cmp -s "$tmp/log2" "$tmp/g2" || fail "stdout closed: the log holds something else than the graph"
grep -q 'vasx: debug' "$tmp/m.csv" "$tmp/log2" && fail "stdout closed: debug lines went into a file"

# ---- stderr closed: the exit status still tells, no file gets the message
"$VASX" -p 2147483647 --graph 2>&-
rc=$?
[ $rc -eq 1 ] && ok "no such process, stderr closed: exit 1" || fail "stderr closed: exit $rc"
"$VASX" --debug -p "$sp" --save "$tmp/c" --export-maps "$tmp/m3.csv" --graph >"$tmp/out" 2>&- ||
	fail "stderr closed: --save and --export-maps failed"
grep -rq 'vasx: debug' "$tmp/c" "$tmp/m3.csv" "$tmp/out" && fail "stderr closed: debug lines went into a file"
"$VASX" --proc-root "$tmp/c" --graph >/dev/null 2>&1 || fail "stderr closed: the saved tree does not read back"

# ---- stdin closed or /dev/null: the batch modes do not read it
"$VASX" --graph -p "$sp" >"$tmp/g3" <&- && cmp -s "$tmp/g3" "$tmp/g2" ||
	fail "stdin closed: --graph differs"
"$VASX" -p "$sp" >"$tmp/g4" </dev/null && cmp -s "$tmp/g4" "$tmp/g2" ||
	fail "stdin /dev/null, stdout a file: not the graph"
timeout 10 "$VASX" --watch=0.1 -p "$sp" <&- >"$tmp/w" 2>"$tmp/err" &
wp=$!
n=0
while ! grep -q watching "$tmp/w" && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
kill -TERM $wp
wait $wp
rc=$?
[ $rc -eq 0 ] && grep -q 'watch stopped by a signal' "$tmp/w" || fail "--watch with stdin closed: exit $rc"
"$VASX" <&- >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "^vasx: no process given" "$tmp/err" ||
	fail "no pid, no terminal: exit $rc, $(cat "$tmp/err")"
ok "stdin closed or /dev/null: batch output unchanged"

finish
