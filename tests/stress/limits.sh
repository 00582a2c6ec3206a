#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Limits: a process at exactly vm.max_map_count mappings (65,530 by default;
# the sysctl says how many), and a process with 10,000 threads. Every view
# must work and show all of it:
#   * max_map_count: --graph -v says the count and the limit, --json holds
#     every line of maps (and vma_count is the limit), --table has a row per
#     mapping, the explorer opens, goes to the end (G), searches, quits;
#   * 10,000 threads: --json lists every thread and labels every thread's
#     stack (the ranges and tids the helper reported), --graph draws each,
#     the explorer counts them and finds them by kind.
# Times are printed, as ratios to what they compare with (pmap -X for the
# table; the maps read for the threads' files); they are reported, never
# asserted, except a generous 60 s against a hang.
#
# Exit 0 pass, 77 skip (the reason on stderr), anything else fails.
set -u
suite=limits
# About 100 MB of output is kept for checking: in memory when there is a
# tmpfs for it, so that a nearly full disk does not fail the suite
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] &&
   [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt 1048576 ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
. "$(dirname "$0")/../screen/lib.inc"
command -v python3 >/dev/null 2>&1 || { echo "$suite: python3 is not installed" >&2; exit 77; }
"$TESTPROC" --help | grep -q -- 'anon max' || { echo "$suite: $TESTPROC has no --anon max" >&2; exit 77; }
max=$(cat /proc/sys/vm/max_map_count)
[ "$max" -le 1000000 ] || { echo "$suite: vm.max_map_count is $max: too many to map here" >&2; exit 77; }

ms() {
	echo $(($(date +%s%N) / 1000000))
}

# timed NAME CMD...: run CMD (stdout to $tmp/NAME), its time in ms in $t.
timed() {
	name=$1
	shift
	t0=$(ms)
	timeout 60 "$@" >"$tmp/$name" 2>"$tmp/$name.err"
	rc=$?
	t=$(($(ms) - t0))
	[ $rc -eq 0 ] || fail "$name: exit status $rc: $(head -c 300 "$tmp/$name.err")"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}

# ---- vm.max_map_count mappings -------------------------------------------
start_helper --anon max
total=$(awk '$1 == "anon" { print $6 }' "$tmp/tp.out")
[ "$total" = "$max" ] || fail "the helper reached $total mappings, not $max"
lines=$(wc -l <"/proc/$pid/maps")
vmas=$(grep -v -c '\[vsyscall\]$' "/proc/$pid/maps")
[ "$vmas" -eq "$max" ] || fail "maps holds $vmas mappings, not $max"

timed maps cat "/proc/$pid/maps"
t_maps=$t
timed graph "$VASX" -v --graph --no-color -p "$pid"
t_graph=$t
grep -q "map count *$lines ($max VMAs of vm.max_map_count $max)" "$tmp/graph" ||
	fail "--graph -v does not say $max of $max: $(grep 'map count' "$tmp/graph")"
grep -q "^+-*+ 0000000000000000\$" "$tmp/graph" || fail "--graph does not reach address 0"

timed json "$VASX" --json -p "$pid"
t_json=$t
python3 - "$tmp/json" "$lines" "$max" <<'EOF' || fail "--json of $max mappings"
import json, sys
d = json.load(open(sys.argv[1]))
lines, mx = int(sys.argv[2]), int(sys.argv[3])
n, t = len(d["mappings"]), d["totals"]
ok = n == lines and t["map_count"] == lines and t["vma_count"] == mx and t["max_map_count"] == mx
if not ok:
    print("--json: %d mappings, totals %s; maps has %d lines" % (n, t, lines))
sys.exit(0 if ok else 1)
EOF

timed table "$VASX" --table -p "$pid"
t_table=$t
rows=$(grep -c '^ *[0-9a-f]\{12,16\} ' "$tmp/table")
[ "$rows" -eq "$lines" ] || fail "--table has $rows rows for $lines mappings"
if command -v pmap >/dev/null 2>&1; then
	timed pmap pmap -X "$pid"
	t_pmap=$t
	echo "$max mappings: --table $t_table ms, pmap -X $t_pmap ms: ratio $(ratio "$t_table" "$t_pmap")"
fi
echo "$max mappings: cat maps $t_maps ms," \
	"--graph $t_graph ms ($(ratio "$t_graph" "$t_maps")x)," \
	"--json $t_json ms ($(ratio "$t_json" "$t_maps")x)"

t0=$(ms)
start_ui 120 40 -- -d 100 -p "$pid"
wait_screen "pid $pid vasx-testproc \| $lines maps" 60
t_ui=$(($(ms) - t0))
keys G
wait_screen '^▶0000000000000000 .*NULL trap' 30
keys g
wait_gone '^▶0000000000000000' 30
keys /
wait_screen 'Search' 30
keys stack Enter
wait_screen '^▶[0-9a-f]+ .*\[stack\]' 30
keys q
check_restored 0
echo "$max mappings: the explorer opened in $t_ui ms" \
	"($(ratio "$t_ui" "$t_maps")x the maps read), went to the end, searched, quit"
kill $holder $tp
wait $tp 2>/dev/null
tp= holder=

# ---- 10,000 threads --------------------------------------------------------
nt=10000
nproc=$(awk '/^Max processes/ { print $3 }' /proc/self/limits)
if [ "$nproc" != unlimited ] && [ "$nproc" -le $((nt + 200)) ] ||
   [ "$(cat /proc/sys/kernel/threads-max)" -le $((nt + 200)) ] ||
   [ "$(cat /proc/sys/kernel/pid_max)" -le $((nt + 200)) ]; then
	echo "note: $nt threads do not fit the limits here (max processes $nproc, kernel.threads-max," \
		"kernel.pid_max): that part is not run"
	exit 0
fi
start_helper --threads $nt
tasks=$(ls "/proc/$pid/task" | wc -l)
[ "$tasks" -eq $((nt + 1)) ] || fail "the helper has $tasks tasks, not $((nt + 1))"

timed json "$VASX" --json -p "$pid"
t_json=$t
python3 - "$tmp/json" "$tmp/tp.out" "$nt" <<'EOF' || fail "--json of $nt threads"
import json, sys
d = json.load(open(sys.argv[1]))
nt = int(sys.argv[3])
want = {}
for line in open(sys.argv[2]):
    f = line.split()
    if f[0] == "thread":
        want[int(f[3])] = (int(f[1], 16), int(f[2], 16))
got = {m["tid"]: (int(m["start"], 16), int(m["end"], 16))
       for m in d["mappings"] if m["kind"] == "thread-stack"}
bad = []
if len(d["thread_list"]) != nt + 1 or d["threads"] != nt + 1:
    bad.append("%d threads listed, %d counted" % (len(d["thread_list"]), d["threads"]))
if len(want) != nt:
    bad.append("the helper reported %d threads" % len(want))
if got != want:
    missing = [t for t in want if got.get(t) != want[t]]
    bad.append("%d thread stacks labelled; %d of the helper's missing or elsewhere, e.g. %s"
               % (len(got), len(missing), missing[:3]))
for b in bad:
    print("--json: " + b)
sys.exit(1 if bad else 0)
EOF

timed graph "$VASX" --graph --no-color -p "$pid"
t_graph=$t
drawn=$(grep -c '\[thread-stack of [0-9]*\]' "$tmp/graph")
[ "$drawn" -eq $nt ] || fail "--graph draws $drawn thread stacks, not $nt"

# the threads' files against the maps read, from --debug's own timings
"$VASX" --debug --graph -u --no-color -p "$pid" 2>"$tmp/debug" >/dev/null ||
	fail "--debug --graph failed"
awk -v nt=$nt '
/debug: read .*\/task\/[0-9]+\// { task += $(NF - 1); files++ }
/debug: read .*\/[0-9]+\/maps:/ { maps += $(NF - 1) }
/debug: snapshot of pid/ { total = $(NF - 1) }
END {
	printf "%d threads: %d task files read in %.0f ms, ", nt, files, task
	printf "%.1fx the maps read (%.1f ms); ", (maps > 0 ? task / maps : 0), maps
	printf "the whole snapshot %.0f ms\n", total
}' "$tmp/debug"
echo "$nt threads: --json $t_json ms, --graph $t_graph ms"

start_ui 120 40 -- -d 100 -p "$pid"
wait_screen "pid $pid vasx-testproc" 60
wait_screen "Threads +$((nt + 1))" 30
keys /
wait_screen 'Search' 30
keys thread-stack Enter
wait_screen '^▶[0-9a-f]+ .*\[stack:[0-9]+\]' 30
first=$(selected_line)
keys n
n=0
while [ "$(selected_line)" = "$first" ]; do
	n=$((n + 1)); [ $n -gt 600 ] && fail "n does not move to the next thread's stack in 30 s"
	sleep 0.05
done
selected_line | grep -q '\[stack:[0-9]*\]' || fail "n left the thread stacks: $(selected_line)"
keys q
check_restored 0
echo "$nt threads: the explorer counts $((nt + 1)) threads and finds their stacks"
