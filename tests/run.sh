#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the test suites and print one summary line: "N passed, N failed".
# Usage: run.sh BUILD_DIR [unit|asan|scripts|all]
#
# A suite is a cmocka binary ($B/tests/test_*, $B/asan/tests/test_*) or an
# executable script (tests/cli/*.sh, tests/screen/*.sh, tests/stress/*.sh,
# tests/kernel/*.sh, tests/fuzz/*.sh).
# A script exits 0 when it passes and 77 when it cannot run here (skipped,
# with the reason on stderr). Scripts find the program in $VASX and the
# test helper in $TESTPROC.
set -u
B=${1:-build}
what=${2:-all}
top=$(cd "$(dirname "$0")/.." && pwd)
export VASX="$top/vasx" TESTPROC="$top/$B/tests/vasx-testproc" B="$top/$B" TOP="$top"
passed=0 failed=0 skipped=0 failures=
log=$(mktemp "${TMPDIR:-/tmp}/vasx-run.XXXXXX") && recap=$(mktemp "${TMPDIR:-/tmp}/vasx-recap.XXXXXX") || exit 1
trap 'rm -f "$log" "$recap"' EXIT

# A suite's output is shown whole as it ends; for a failed one, its first
# FAIL lines (or its last lines) are shown again at the end, beside the
# summary, so that a log cut short in the middle still says why.
run_one() {
	name=$1; shift
	echo "=== $name"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
	elif [ $rc -eq 77 ]; then
		skipped=$((skipped + 1)); echo "--- skipped: $name"
	else
		failed=$((failed + 1)); failures="$failures $name"; echo "--- FAILED: $name (exit $rc)"
		{
			echo "--- $name (exit $rc):"
			if grep -q -E '^(FAIL|\[  FAILED|.*ERROR: )' "$log"; then
				grep -E -m 8 '^(FAIL|\[  FAILED|.*ERROR: )' "$log"
			else
				tail -n 8 "$log"
			fi | cut -c 1-300
		} >>"$recap"
	fi
}

# what the suites run on, for reading a log from another machine
echo "machine: $(uname -srm), $(nproc 2>/dev/null || echo ?) CPUs, uid $(id -u)," \
	"$(awk '/^MemAvailable/ { printf "%d MiB available", $2 / 1024 }' /proc/meminfo)," \
	"$(df -Pk "${TMPDIR:-/tmp}" | awk 'NR == 2 { printf "%d MiB free in tmp", $4 / 1024 }')," \
	"pid_max $(cat /proc/sys/kernel/pid_max 2>/dev/null)," \
	"max_map_count $(cat /proc/sys/vm/max_map_count 2>/dev/null)"

if [ "$what" = all ] || [ "$what" = unit ]; then
	for t in "$B"/tests/test_*; do
		[ -x "$t" ] && run_one "unit/$(basename "$t")" "$t"
	done
fi
if [ "$what" = all ] || [ "$what" = asan ]; then
	for t in "$B"/asan/tests/test_*; do
		[ -x "$t" ] && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
			run_one "asan/$(basename "$t")" "$t"
	done
fi
if [ "$what" = all ] || [ "$what" = scripts ]; then
	for t in "$top"/tests/cli/*.sh "$top"/tests/screen/*.sh "$top"/tests/stress/*.sh \
		"$top"/tests/kernel/*.sh "$top"/tests/fuzz/*.sh; do
		[ -f "$t" ] && run_one "${t#"$top"/tests/}" sh "$t"
	done
fi

[ -s "$recap" ] && { echo "=== why the failed suites failed"; cat "$recap"; }
[ -n "$failures" ] && echo "failed suites:$failures"
echo "suites: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
