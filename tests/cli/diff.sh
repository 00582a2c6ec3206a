#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# --diff of two saved trees and --watch of a live process, checked against
# the changes the test helper says it made (its "step" lines give the exact
# ranges it mapped, unmapped, re-protected, grew and touched).
set -u
: "${VASX:?}" "${TESTPROC:?}" "${TOP:?}"
[ -x "$VASX" ] || { echo "diff.sh: $VASX is not built" >&2; exit 77; }
[ -x "$TESTPROC" ] || { echo "diff.sh: $TESTPROC is not built (make helpers)" >&2; exit 77; }
[ -r /proc/self/smaps ] || { echo "diff.sh: no /proc/self/smaps here" >&2; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vasx-diff.XXXXXX") || exit 1
tp= holder= watch= sleeper=
cleanup() {
	for p in $watch $sleeper $holder $tp; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# wait_for FILE REGEX SECONDS: until a line of FILE matches.
wait_for() {
	n=0
	while ! grep -q -e "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ $n -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
	return 0
}

# The addresses of the text output: 16 hex digits.
pad() {
	printf '0x%016x' "$1"
}

# kb START END: the size of a range as the text output prints it ("16.00 KB").
kb() {
	printf '%d.00 KB' $((($2 - $1) / 1024))
}

# step N: one change by the helper; prints its "step N ..." line.
step() {
	kill -USR1 "$pid" || fail "helper $pid is gone"
	wait_for "$tmp/tp.out" "^step $1 " 10 || fail "helper did not make step $1"
	grep "^step $1 " "$tmp/tp.out"
}

# The helper exits when its stdin, a pipe held open by $holder, closes.
mkfifo "$tmp/tp.in" || exit 1
"$TESTPROC" --churn 0 --seconds 120 --dir "$tmp" <"$tmp/tp.in" >"$tmp/tp.out" 2>"$tmp/tp.err" &
tp=$!
sleep 300 >"$tmp/tp.in" &
holder=$!
wait_for "$tmp/tp.out" '^ready' 10 || fail "helper not ready: $(cat "$tmp/tp.err")"
pid=$(awk '$1 == "pid" { print $2 }' "$tmp/tp.out")

"$VASX" -p "$pid" --save "$tmp/A" || fail "--save A"
set -- $(step 1)			# step 1 mmap START END rw-
[ "$3" = mmap ] || fail "unexpected helper step: $*"
s1=$4 e1=$5
"$VASX" -p "$pid" --save "$tmp/B" || fail "--save B"
set -- $(step 2)			# step 2 munmap START END
[ "$3" = munmap ] || fail "unexpected helper step: $*"
s2=$4 e2=$5
set -- $(step 3)			# step 3 mprotect START END r-x
[ "$3" = mprotect ] || fail "unexpected helper step: $*"
s3=$4 e3=$5
"$VASX" -p "$pid" --save "$tmp/C" || fail "--save C"

# A -> B: the new mapping, exactly where the helper put it, and nothing removed.
timeout 20 "$VASX" --diff "$tmp/A" "$tmp/B" >"$tmp/ab.txt" 2>"$tmp/ab.err" ||
	fail "--diff A B failed: $(cat "$tmp/ab.err")"
grep -q "^added   $(pad "$s1")-$(pad "$e1")  $(kb "$s1" "$e1") rw-p  \[anon\]$" "$tmp/ab.txt" ||
	fail "A->B lacks the mapping added at $s1-$e1:$(echo; cat "$tmp/ab.txt")"
grep -q '^removed' "$tmp/ab.txt" && fail "A->B claims a removal:$(echo; cat "$tmp/ab.txt")"
[ -s "$tmp/ab.err" ] && fail "--diff A B wrote to stderr: $(cat "$tmp/ab.err")"

# B -> C: the unmapped region and the one that became executable.
timeout 20 "$VASX" --diff "$tmp/B" "$tmp/C" >"$tmp/bc.txt" || fail "--diff B C failed"
grep -q "^removed $(pad "$s2")-$(pad "$e2")  $(kb "$s2" "$e2") rw-p  \[anon\]$" "$tmp/bc.txt" ||
	fail "B->C lacks the removal of $s2-$e2:$(echo; cat "$tmp/bc.txt")"
grep -q "^exec    $(pad "$s3")-$(pad "$e3")  rw-p -> r-xp became executable  \[anon\]$" \
	"$tmp/bc.txt" || fail "B->C lacks $s3-$e3 becoming executable:$(echo; cat "$tmp/bc.txt")"
grep -q "^added   $(pad "$s1")" "$tmp/bc.txt" && fail "B->C repeats the step-1 mapping"

# The same as JSON, addresses as the helper printed them.
timeout 20 "$VASX" --diff "$tmp/A" "$tmp/B" --json >"$tmp/ab.json" || fail "--diff --json A B"
grep -q "{\"change\":\"added\",\"start\":\"$s1\",\"end\":\"$e1\"," "$tmp/ab.json" ||
	fail "A->B JSON lacks the added $s1-$e1:$(echo; cat "$tmp/ab.json")"
timeout 20 "$VASX" --diff "$tmp/B" "$tmp/C" --json >"$tmp/bc.json" || fail "--diff --json B C"
grep -q "{\"change\":\"removed\",\"start\":\"$s2\",\"end\":\"$e2\"," "$tmp/bc.json" ||
	fail "B->C JSON lacks the removed $s2-$e2"
grep -q "{\"change\":\"exec\",\"start\":\"$s3\",\"end\":\"$e3\",.*\"perms\":\"r-xp\",\"old_perms\":\"rw-p\"" \
	"$tmp/bc.json" || fail "B->C JSON lacks the exec change of $s3-$e3"
if command -v python3 >/dev/null 2>&1; then
	for j in ab bc; do
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["changes"]' \
			"$tmp/$j.json" || fail "$j.json is not valid JSON with changes"
	done
fi

# A tree against itself: no change, no output, success.
timeout 20 "$VASX" --diff "$tmp/C" "$tmp/C" >"$tmp/cc.txt" || fail "--diff C C failed"
[ -s "$tmp/cc.txt" ] && fail "C->C is not empty:$(echo; cat "$tmp/cc.txt")"
[ "$(timeout 20 "$VASX" --diff "$tmp/C" "$tmp/C" --json)" = '{"changes":[]}' ] ||
	fail "C->C JSON is not an empty list"

# Two different processes: compared, with a note saying so.
timeout 20 "$VASX" --diff "$TOP/tests/fixtures/sleep" "$TOP/tests/fixtures/testproc" \
	>"$tmp/st.txt" 2>"$tmp/st.err" || fail "--diff of two fixtures failed"
grep -q 'not the same process' "$tmp/st.err" || fail "no note that the trees differ in pid"
grep -q '^added ' "$tmp/st.txt" || fail "sleep->testproc shows nothing added"

# The same pid started again: compared, with a note that the pid was reused.
cp -R "$tmp/C" "$tmp/R" || fail "cp"
awk '{ $22 = $22 + 100; print }' "$tmp/C/$pid/stat" >"$tmp/R/$pid/stat" || fail "awk"
timeout 20 "$VASX" --diff "$tmp/C" "$tmp/R" >"$tmp/cr.txt" 2>"$tmp/cr.err" || fail "--diff C R"
grep -q "pid $pid of .* not the same process .*the pid was reused" "$tmp/cr.err" ||
	fail "no note of the reused pid: $(cat "$tmp/cr.err")"

# Hostile input (fixtures/hostile, one pid per tree): whatever the names
# hold, the output has no control character and the JSON stays valid.
for p in 1001 1002 1003 1004 1005; do
	h="$tmp/hostile-$p"
	mkdir -p "$h/sys" && cp -R "$TOP/tests/fixtures/hostile/$p" "$h/" &&
		cp -R "$TOP/tests/fixtures/hostile/sys/." "$h/sys/" &&
		cp "$TOP/tests/fixtures/hostile/meminfo" "$h/" || fail "copying hostile/$p"
	for fmt in "" --json; do
		timeout 20 "$VASX" --diff "$TOP/tests/fixtures/sleep" "$h" $fmt >"$tmp/h.out" \
			2>"$tmp/h.err" || fail "--diff $fmt of hostile/$p: $(cat "$tmp/h.err")"
		grep -q . "$tmp/h.out" || fail "--diff $fmt of hostile/$p printed nothing"
		ctl=$(LC_ALL=C tr -d '\n\040-\176\200-\377' <"$tmp/h.out" | wc -c)
		[ "$ctl" -eq 0 ] || fail "--diff $fmt of hostile/$p printed $ctl control bytes"
		if [ -n "$fmt" ] && command -v python3 >/dev/null 2>&1; then
			python3 -c 'import json,sys; json.load(open(sys.argv[1], "rb"))' \
				"$tmp/h.out" || fail "--diff --json of hostile/$p is not JSON"
		fi
	done
	timeout 20 "$VASX" --diff "$h" "$h" >"$tmp/h.out" 2>"$tmp/h.err" || fail "hostile/$p twice"
	[ -s "$tmp/h.out" ] && fail "hostile/$p against itself is not empty"
done

# A tree that is not there: an error on stderr, nothing on stdout.
timeout 20 "$VASX" --diff "$tmp/A" "$tmp/missing" >"$tmp/bad.txt" 2>"$tmp/bad.err" &&
	fail "--diff with a missing tree succeeded"
[ -s "$tmp/bad.txt" ] && fail "--diff with a missing tree printed output"
grep -q "$tmp/missing" "$tmp/bad.err" || fail "the error does not name the missing tree"

# --watch: a line for each change as it happens, without a terminal.
"$VASX" -p "$pid" --watch=0.2 >"$tmp/watch.out" 2>"$tmp/watch.err" &
watch=$!
wait_for "$tmp/watch.out" "pid $pid watching" 10 || fail "--watch did not start: $(cat "$tmp/watch.err")"
set -- $(step 4)			# step 4 mremap START END from START OLDEND (in place)
[ "$3" = mremap ] || fail "unexpected helper step: $*"
s4=$4 e4=$5 e4old=$8
[ "$7" = "$s4" ] || fail "the helper's mremap moved the region: $*"
ts='^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9:]\{8\}\.[0-9]\{3\}Z'
wait_for "$tmp/watch.out" "$ts pid $pid grown   $(pad "$s4")-$(pad "$e4")  $(kb "$s4" "$e4old") -> $(kb "$s4" "$e4")" 10 ||
	fail "--watch did not report $s4-$e4old growing to $e4:$(echo; cat "$tmp/watch.out")"
set -- $(step 5)			# step 5 touch START END pages N
[ "$3" = touch ] || fail "unexpected helper step: $*"
wait_for "$tmp/watch.out" "pid $pid rss     $(pad "$s4")-$(pad "$e4")  rss +$(kb "$s4" "$e4")" 10 ||
	fail "--watch did not report the 8 touched pages of $s4:$(echo; cat "$tmp/watch.out")"

# The process exits: a last line, and the watch ends with status 3.
kill "$holder"
holder=
wait_for "$tmp/watch.out" "pid $pid exited$" 10 || fail "--watch did not see the exit"
wait "$watch"
rc=$?
watch=
[ $rc -eq 3 ] || fail "--watch ended with status $rc after the process exited, not 3"
tp=

# SIGTERM ends a watch cleanly (status 0, a last line).
sleep 60 &
sleeper=$!
"$VASX" -p "$sleeper" --watch >"$tmp/w2.out" 2>"$tmp/w2.err" &
watch=$!
wait_for "$tmp/w2.out" "pid $sleeper watching" 10 || fail "--watch of sleep did not start"
kill -TERM "$watch"
wait "$watch"
rc=$?
watch=
[ $rc -eq 0 ] || fail "--watch ended with status $rc on SIGTERM"
grep -q "pid $sleeper watch stopped by a signal$" "$tmp/w2.out" || fail "no line for the stop"

# A pid that does not exist: an error, not a watch.
timeout 10 "$VASX" -p 999999999 --watch >/dev/null 2>"$tmp/w3.err" && fail "--watch of no process"
grep -q 'no process' "$tmp/w3.err" || fail "--watch of no process: $(cat "$tmp/w3.err")"
# Another user's process: one sentence saying what rights are needed, status 1.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$VASX" 2>/dev/null; then
	timeout 10 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$VASX" -p 1 --watch >/dev/null 2>"$tmp/w4.err" </dev/null
	rc=$?
	[ $rc -eq 1 ] || fail "--watch of another user's process: status $rc, not 1"
	grep -q 'permission denied' "$tmp/w4.err" || fail "--watch as nobody: $(cat "$tmp/w4.err")"
fi
echo "diff.sh: all checks passed"
exit 0
