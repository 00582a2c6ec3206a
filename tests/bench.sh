#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Benchmarks: figures, not timed tests. Every figure is a ratio to something
# measured in the same run on the same process, never an absolute time.
#
#   sh tests/bench.sh [BUILD_DIR]	(make bench builds what it needs first)
#
# For the test helper with 1,000 and with 60,000 mappings:
#   load       vasx_snapshot_load (maps + smaps) / raw read of maps and smaps
#   table      vasx -p PID --table / pmap -X PID (both to /dev/null)
#   memory     peak bytes per mapping of one load, less the string pool
# then bench_tui --picker and --idle, and every other $B/tests/bench_*
# program, with its own output.
#
# Exits non-zero only when a benchmark could not run; missing a goal is a
# figure to read, not a failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-build}
case $B in /*) ;; *) B=$top/$B ;; esac
VASX=${VASX:-$top/vasx}
TESTPROC=${TESTPROC:-$B/tests/vasx-testproc}
export VASX TESTPROC B TOP="$top"
SIZES=${BENCH_SIZES:-"1000 60000"}
TABLE_RUNS=${BENCH_TABLE_RUNS:-5}

work=$(mktemp -d "${TMPDIR:-/tmp}/vasx-bench.XXXXXX") || exit 1
helper=
cleanup() {
	[ -n "$helper" ] && kill "$helper" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

for f in "$B/tests/bench_load" "$TESTPROC" "$VASX"; do
	if [ ! -x "$f" ]; then
		echo "bench: $f is not built (run make bench)" >&2
		exit 1
	fi
done
have_pmap=1
command -v pmap >/dev/null 2>&1 || have_pmap=0

# Start the helper with N alternating regions; sets $helper to its pid.
start_helper() {
	out=$work/helper.$1
	"$TESTPROC" --anon "$1" --seconds 900 --dir "$work" > "$out" 2>&1 &
	helper=$!
	i=0
	while ! grep -qx ready "$out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$helper" 2>/dev/null; then
			echo "bench: the helper did not start with --anon $1:" >&2
			cat "$out" >&2
			return 1
		fi
		sleep 0.1
	done
}

stop_helper() {
	kill "$helper" 2>/dev/null
	wait "$helper" 2>/dev/null
	helper=
}

now_ns() {
	date +%s%N
}

median() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Median wall time in ns of a command, output to /dev/null; fails if it does.
time_cmd() {
	: > "$work/times"
	r=0
	while [ $r -lt "$TABLE_RUNS" ]; do
		t0=$(now_ns)
		"$@" > /dev/null 2>&1 || return 1
		t1=$(now_ns)
		echo $((t1 - t0)) >> "$work/times"
		r=$((r + 1))
	done
	median < "$work/times"
}

# One "key value" from a bench_load output.
field() {
	awk -v k="$1" '$1 == k { print $2 }' "$2"
}

row() {
	# figure, mappings, value, goal text, met (1/0/empty)
	case ${5:-} in
	1) verdict=met ;;
	0) verdict=MISSED ;;
	*) verdict= ;;
	esac
	printf '%-44s %9s %9s %10s  %s\n' "$1" "$2" "$3" "$4" "$verdict"
}

le() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }' && echo 1 || echo 0
}

results=$work/results
: > "$results"
max_maps=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 65530)

for n in $SIZES; do
	if [ "$n" -gt $((max_maps - 200)) ]; then
		echo "bench: skipping $n mappings: vm.max_map_count is $max_maps" >&2
		continue
	fi
	start_helper "$n" || exit 1
	runs=9
	[ "$n" -gt 10000 ] && runs=5
	if ! "$B/tests/bench_load" "$helper" $runs > "$work/load.$n"; then
		echo "bench: bench_load failed on $n mappings" >&2
		exit 1
	fi
	maps=$(field mappings "$work/load.$n")
	ratio=$(field load_ratio "$work/load.$n")
	peak=$(field peak_per_mapping "$work/load.$n")
	kept=$(field kept_per_mapping "$work/load.$n")
	echo "load $maps $ratio $(le "$ratio" 1.3)" >> "$results"
	echo "peak $maps ${peak:-n/a} $( [ -n "$peak" ] && le "$peak" 300)" >> "$results"
	echo "kept $maps $kept" >> "$results"
	echo "times $maps $(field raw_ms "$work/load.$n") $(field load_ms "$work/load.$n")" >> "$results"

	if [ $have_pmap -eq 0 ]; then
		echo "table $maps n/a(no-pmap)" >> "$results"
	elif ! t_vasx=$(time_cmd "$VASX" -p "$helper" --table); then
		echo "table $maps n/a(vasx-failed)" >> "$results"
	elif ! t_pmap=$(time_cmd pmap -X "$helper"); then
		echo "table $maps n/a(pmap-failed)" >> "$results"
	else
		tr=$(awk -v a="$t_vasx" -v b="$t_pmap" 'BEGIN { printf "%.3f", a / b }')
		echo "table $maps $tr $(le "$tr" 0.5)" >> "$results"
		echo "ttimes $maps $t_vasx $t_pmap" >> "$results"
	fi
	stop_helper
done

echo
echo "vasx benchmarks: $(uname -srm), $(nproc 2>/dev/null || echo ?) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "Each figure is a ratio measured in this run (median of several runs each)."
echo
row "figure" "mappings" "value" "goal" ""
row "--------------------------------------------" "---------" "---------" "----------" ""
while read -r what maps val met; do
	case $what in
	load) row "snapshot load / raw read of maps+smaps" "$maps" "$val" "<= 1.3" "$met" ;;
	table) row "vasx --table / pmap -X" "$maps" "$val" "<= 0.5" "$met" ;;
	peak) row "peak bytes per mapping, less paths" "$maps" "$val" "<= 300" "$met" ;;
	kept) row "bytes kept per mapping, less paths" "$maps" "$val" "-" "" ;;
	esac
done < "$results"
echo
echo "For reading the ratios (medians, this machine only):"
while read -r what maps a b; do
	case $what in
	times) printf '  %6s mappings: raw read %s ms, load %s ms\n' "$maps" "$a" "$b" ;;
	ttimes) printf '  %6s mappings: vasx --table %s ms, pmap -X %s ms\n' "$maps" \
		$((a / 1000000)) $((b / 1000000)) ;;
	esac
done < "$results"

status=0
# bench_tui's other modes: the process list sorted by MAPS against by RSS
# (300 helpers of 1,000 mappings), and an idle refresh's drawing against
# its reload (a 40,000-mapping helper)
for mode in "--picker 300 1000" "--idle 40000"; do
	echo
	echo "== bench_tui $mode"
	# shellcheck disable=SC2086
	timeout 600 "$B/tests/bench_tui" $mode || { echo "bench: bench_tui $mode failed" >&2; status=1; }
done
for bin in "$B"/tests/bench_*; do
	[ -x "$bin" ] || continue
	case ${bin##*/} in bench_load) continue ;; esac
	echo
	echo "== ${bin##*/}"
	if command -v timeout >/dev/null 2>&1; then
		timeout 600 "$bin" || { echo "bench: ${bin##*/} failed" >&2; status=1; }
	else
		"$bin" || { echo "bench: ${bin##*/} failed" >&2; status=1; }
	fi
done
exit $status
