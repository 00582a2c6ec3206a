#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Memcheck on the batch commands: every mode and format, on live processes
# (a stopped sleep, the test helper with its special mappings, one that
# churns its mappings under --watch), on every fixture tree and on the
# error paths (no such process, a malformed tree, bad arguments, a closed
# pipe, a full stdout, a save that cannot be written). Each run must end
# with no invalid read or write, no use of an uninitialised value and no
# definitely, indirectly or possibly lost block: valgrind's own exit status
# 99 says it found one, and its log is shown. No suppressions are needed.
. "$(dirname "$0")/cli_lib"

command -v valgrind >/dev/null 2>&1 || { echo "$me: valgrind is not installed" >&2; exit 77; }
fx="$TOP/tests/fixtures"
runs=0

# vg STATUS ARGS...: vasx ARGS under memcheck must exit with STATUS and a clean log.
vg() {
	want=$1
	shift
	runs=$((runs + 1))
	log="$tmp/vg.$runs"
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible --track-fds=no \
		--log-file="$log" "$VASX" "$@" >"$tmp/out" 2>"$tmp/err" <&-
	rc=$?
	[ -n "${VG_TIMES:-}" ] && echo "$(date +%s.%N | cut -c7-14) $*" >&2
	if [ $rc -eq 99 ] || [ -s "$log" ]; then
		fail "memcheck: vasx $*: exit $rc"
		head -n 60 "$log" >&2
	elif [ $rc -ne "$want" ]; then
		fail "vasx $*: exit $rc (wanted $want): $(head -c 300 "$tmp/err")"
	fi
}

start_sleeper
start_testproc --special || { echo "$me: the test helper did not start" >&2; exit 1; }
range=$(awk '$1 == "wx" { print $2; exit }' "$tmp/tp.out")

# ---- live processes, every output
vg 0 --graph -p "$sp"
vg 0 --table -p "$sp"
vg 0 -v -p "$tp"
vg 0 --json -p "$tp"
vg 0 -u -p "$tp" --locate "${range:-0x1000}"
vg 0 -k -p "$sp" --width 100
vg 0 --table --format=csv -p "$tp"
vg 0 --table --format=json -p "$sp"
vg 0 --maps -p "$sp,$tp"
vg 0 --maps --format=csv --regex '^(sleep|vasx-testproc)$'
vg 0 --maps --format=jsonl -p "$tp"
vg 0 --graph -p "$tp" --export-maps "$tmp/m.csv" --export-kernel "$tmp/k.csv" --log "$tmp/log" --debug
"$VASX" -p "$sp" --save "$tmp/a" || fail "--save"
vg 0 -p "$sp" --save "$tmp/a" --json	# over an existing tree
vg 0 -p "$tp" --save "$tmp/b"		# a new tree
vg 0 --diff "$tmp/a" "$tmp/b"
vg 0 --diff "$tmp/a" "$tmp/b" --json

# ---- every fixture tree
vg 0 --proc-root "$fx/bash" -v
vg 0 --proc-root "$fx/sleep" --table
vg 0 --proc-root "$fx/testproc" --json
vg 0 --proc-root "$fx/parsers/live" --graph
vg 0 --proc-root "$fx/hostile" --maps --format=json
vg 0 --proc-root "$fx/hostile" --maps --format=csv
for p in 1001 1003 1005 1007; do
	vg 0 --proc-root "$fx/hostile" -p "$p" --graph -v
done
for l in l4 l5; do
	kva=$(awk '$1 == "task" && $2 == 1 { print $5 }' "$fx/kernel/$l/vasx/tasks")
	vg 0 --proc-root "$fx/kernel/$l" --maps --task-head "$kva"	# no process trees: an empty table
	cp -r "$fx/sleep" "$tmp/k$l"
	cp -r "$fx/kernel/$l/vasx" "$fx/kernel/$l/kallsyms" "$fx/kernel/$l/modules" "$tmp/k$l/"
	vg 0 --proc-root "$tmp/k$l" -k -v
done
vg 0 --proc-root "$tmp/kl5" --json

# ---- --watch on a process that keeps changing its mappings, stopped by SIGINT
"$TESTPROC" --churn 0.2 --seconds 60 --dir "$tmp" >"$tmp/churn.out" 2>/dev/null &
pids="$pids $!"
n=0
while ! grep -q '^ready' "$tmp/churn.out" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
cp=$(awk '$1 == "pid" { print $2 }' "$tmp/churn.out")
runs=$((runs + 1))
timeout --preserve-status -s INT 4 valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect,possible --track-fds=no \
	--log-file="$tmp/vg.watch" "$VASX" --watch=0.2 -p "$cp" >"$tmp/watch" 2>"$tmp/err"
rc=$?
if [ $rc -ne 0 ] || [ -s "$tmp/vg.watch" ]; then
	fail "memcheck: --watch: exit $rc"
	head -n 60 "$tmp/vg.watch" >&2
fi
[ "$(grep -c "pid $cp " "$tmp/watch")" -ge 3 ] ||
	fail "--watch under valgrind printed no changes: $(head -c 300 "$tmp/watch")"
# the process exits while watched: exit status 3
"$TESTPROC" --seconds 60 --dir "$tmp" >"$tmp/short.out" 2>/dev/null &
short=$!
pids="$pids $short"
n=0
while ! grep -q '^ready' "$tmp/short.out" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
runs=$((runs + 1))
valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
	--track-fds=no --log-file="$tmp/vg.gone" "$VASX" --watch=0.2 -p "$short" >"$tmp/gone" 2>&1 &
vw=$!
n=0
while ! grep -q watching "$tmp/gone" 2>/dev/null && [ $n -lt 400 ]; do sleep 0.05; n=$((n + 1)); done
kill "$short"
wait "$vw"
rc=$?
[ $rc -eq 3 ] && [ ! -s "$tmp/vg.gone" ] ||
	{ fail "memcheck: --watch of a process that exits: exit $rc: $(cat "$tmp/gone")"; head -n 60 "$tmp/vg.gone" >&2; }

# ---- error paths
vg 1 --graph -p 2147483647
vg 1 --proc-root "$tmp/nonexistent" -p 1
vg 2 --maps --regex '('
vg 2 --bogus-option
vg 2 --table --format=xml -p "$sp"
mkdir -p "$tmp/bad/42/task/42"
cp "$fx/sleep/meminfo" "$tmp/bad/"
printf '00400000-0040b000 r-xp 00000000 08:01 1 /bin/x\nzz-yy r\n7fff-\n\n%0500d\n' 0 >"$tmp/bad/42/maps"
printf 'garbage\n00400000-0040b000 r-xp 00000000 08:01 1 /bin/x\nRss: lots kB\nSize:\n' >"$tmp/bad/42/smaps"
printf '42 (x' >"$tmp/bad/42/stat"
head -c 3000 /dev/urandom >"$tmp/bad/42/status"
cp "$tmp/bad/42/stat" "$tmp/bad/42/task/42/stat"
for args in "--graph" "--table" "--json" "--maps --format=csv" "-v -k"; do
	# shellcheck disable=SC2086
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible --track-fds=no \
		--log-file="$tmp/vg.bad" "$VASX" --proc-root "$tmp/bad" -p 42 $args >/dev/null 2>&1
	rc=$?
	runs=$((runs + 1))
	if [ $rc -eq 99 ] || [ -s "$tmp/vg.bad" ] || [ $rc -gt 2 ]; then
		fail "memcheck: malformed tree, $args: exit $rc"
		head -n 60 "$tmp/vg.bad" >&2
	fi
done
runs=$((runs + 1))
valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
	--track-fds=no --log-file="$tmp/vg.pipe" "$VASX" --json -p "$tp" 2>"$tmp/err" | head -c 10 >/dev/null
[ -s "$tmp/vg.pipe" ] && { fail "memcheck: --json | head"; head -n 60 "$tmp/vg.pipe" >&2; }
vg 1 --maps -p "$sp" --log /proc/version
runs=$((runs + 1))
valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
	--track-fds=no --log-file="$tmp/vg.full" "$VASX" --graph -p "$sp" >/dev/full 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && [ ! -s "$tmp/vg.full" ] || { fail "memcheck: >/dev/full: exit $rc"; head -n 60 "$tmp/vg.full" >&2; }
vg 1 -p "$sp" --save /proc/version/x
vg 1 -p "$sp" --export-maps /proc/version/x.csv

[ "$failures" -eq 0 ] && ok "$runs runs under memcheck: no errors, no leaks"
finish
