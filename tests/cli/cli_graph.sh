#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# --graph on real processes: every mapping of /proc/PID/maps is a box with
# its size and perms, addresses descend from ffffffffffffffff to 0, colour
# only on a terminal without NO_COLOR, and the options that go with it
# (-u, -k, --locate, -v, --log, --export-maps, --export-kernel). Last, a
# process with 60,000 mappings.
. "$(dirname "$0")/cli_lib"

start_sleeper
"$VASX" -p "$sp" --graph >"$tmp/g" 2>"$tmp/err" || fail "graph of sleep $sp"
[ ! -s "$tmp/err" ] || fail "graph wrote on stderr: $(cat "$tmp/err")"

# Border addresses: 16 hex digits, so string order is numeric order.
borders() {
	awk '/^\+-/ { s = $0; sub(/^[^|]*\+ /, "", s); print substr(s, 1, 16) }' "$1"
}
borders "$tmp/g" >"$tmp/b"
[ "$(head -n 1 "$tmp/b")" = ffffffffffffffff ] || fail "top border is not ffffffffffffffff"
[ "$(tail -n 1 "$tmp/b")" = 0000000000000000 ] || fail "bottom border is not 0"
sort -r -u "$tmp/b" | cmp -s - "$tmp/b" || fail "border addresses do not strictly descend"
ok "addresses descend from ffffffffffffffff to 0"

# Sizes as vasx prints them: binary multiples, two decimals.
cat >"$tmp/size.awk" <<'EOF'
function hex(s,   i, v) { v = 0; s = tolower(s)
	for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v }
function size(b,   u, n) { if (b < 1024) return sprintf("%d B", b)
	split("KB MB GB TB PB EB", u, " "); n = 0
	while (b >= 1024 && n < 6) { b /= 1024; n++ }
	return sprintf("%.2f %s", b, u[n]) }
EOF
# Each mapping's box starts under the border at its end, with size and perms
# (user mappings: their addresses are exact in awk's doubles).
cat >>"$tmp/size.awk" <<'EOF'
FNR == NR {
	split($1, a, "-")
	if (length(a[2]) <= 12) {
		key = substr("0000000000000000" a[2], length(a[2]) + 1)
		want[key] = size(hex(a[2]) - hex(a[1])) " " $2
	}
	next
}
next_is != "" { row[next_is] = $0; next_is = "" }
/^\+-/ { s = $0; sub(/^[^|]*\+ /, "", s); next_is = substr(s, 1, 16) }
END {
	for (e in want)
		if (index(row[e], want[e]) == 0) { print "no box with " want[e] " under " e; bad++ }
	exit bad != 0
}
EOF
awk -f "$tmp/size.awk" "/proc/$sp/maps" "$tmp/g" >"$tmp/missing" 2>&1 ||
	fail "mappings without their box: $(head -3 "$tmp/missing")"
grep -q 'sparse region' "$tmp/g" || fail "no sparse region"
grep -q 'non-canonical hole.* 16\.00 EB\| 16\.00 EB.*' "$tmp/g" || fail "no size of the non-canonical hole"
grep -q '< NULL trap >' "$tmp/g" || fail "no NULL trap"
ok "every mapping of maps has its box, size and perms"

# Colour only on a terminal, never with NO_COLOR or --no-color.
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/g"; then fail "colour codes in a pipe"; fi
if command -v script >/dev/null 2>&1; then
	script -qec "$VASX -p $sp --graph --log=$tmp/log.tty" /dev/null >"$tmp/tty" 2>&1 </dev/null
	LC_ALL=C grep -q "$(printf '\033')\[" "$tmp/tty" || fail "no colour on a terminal"
	if LC_ALL=C grep -q "$(printf '\033')" "$tmp/log.tty"; then fail "colour codes in --log"; fi
	cmp -s "$tmp/log.tty" "$tmp/g" || fail "--log differs from the plain graph"
	NO_COLOR=1 script -qec "$VASX -p $sp --graph" /dev/null >"$tmp/tty" 2>&1 </dev/null
	if LC_ALL=C grep -q "$(printf '\033')\[" "$tmp/tty"; then fail "colour despite NO_COLOR"; fi
	script -qec "$VASX -p $sp --graph --no-color" /dev/null >"$tmp/tty" 2>&1 </dev/null
	if LC_ALL=C grep -q "$(printf '\033')\[" "$tmp/tty"; then fail "colour despite --no-color"; fi
	ok "colour on a terminal only, not with NO_COLOR or --no-color, never in the log"
else
	echo "note: no script(1): terminal colour checks skipped"
fi

# --log appends.
"$VASX" -p "$sp" --graph --log="$tmp/log" >/dev/null && "$VASX" -p "$sp" --log="$tmp/log" >/dev/null
cat "$tmp/g" "$tmp/g" | cmp -s - "$tmp/log" || fail "--log does not append what was printed"
ok "--log appends"

# A log that cannot be written: the output is still printed, the exit is 1.
for mode in --graph --table; do
	"$VASX" -p "$sp" $mode --log="$tmp/no/such/dir/log" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] && [ -s "$tmp/out" ] || fail "$mode with an unwritable --log: exit $rc"
	grep -qx "vasx: cannot append to the log $tmp/no/such/dir/log: No such file or directory" \
		"$tmp/err" || fail "$mode with an unwritable --log said: $(cat "$tmp/err")"
done
"$VASX" --maps -p "$sp" --log="$tmp/no/such/dir/log" >"$tmp/out" 2>/dev/null
rc=$?
[ $rc -eq 1 ] && [ -s "$tmp/out" ] || fail "--maps with an unwritable --log: exit $rc"
ok "an unwritable --log: said, output printed, exit 1"

# --debug: what was read from where and how long it took, on stderr only.
"$VASX" -p "$sp" --debug >"$tmp/d" 2>"$tmp/derr" || fail "--debug"
cmp -s "$tmp/d" "$tmp/g" || fail "--debug changes the output"
grep -q "^vasx: debug: read /proc/$sp/maps: $(wc -c <"/proc/$sp/maps") bytes in [0-9.]* ms$" "$tmp/derr" ||
	fail "--debug does not say what it read: $(head -3 "$tmp/derr")"
grep -q "^vasx: debug: rendered [0-9]* bytes in [0-9.]* ms$" "$tmp/derr" || fail "--debug: no render time"
ok "--debug"

# -u and -k.
"$VASX" -p "$sp" -u >"$tmp/u" || fail "-u"
bits=$("$VASX" -p "$sp" --json | sed -n 's/.*"va_bits":\([0-9]*\).*/\1/p')
top=$(printf '%016x' $((1 << ${bits:-47})))
[ "$(borders "$tmp/u" | head -n 1)" = "$top" ] || fail "-u does not start at $top, the top of the user half"
if grep -q 'kernel VAS\|non-canonical' "$tmp/u"; then fail "-u shows the kernel half"; fi
"$VASX" -p "$sp" --only-kernel >"$tmp/k" || fail "-k"
[ "$(borders "$tmp/k" | tail -n 1)" = ffff800000000000 ] || fail "-k does not end at the start of the kernel half"
if grep -q '\[stack\]' "$tmp/k"; then fail "-k shows the stack"; fi
ok "--only-user and --only-kernel"

# --locate: one address inside the stack, then a range over a gap and the stack.
st=$(awk '/\[stack\]/ { split($1, a, "-"); print a[1] }' "/proc/$sp/maps")
"$VASX" -p "$sp" --locate="0x$st" >"$tmp/l" || fail "--locate"
[ "$(grep -c '^|>' "$tmp/l")" -eq 1 ] || fail "--locate marks $(grep -c '^|>' "$tmp/l") rows, not 1"
grep '^|>' "$tmp/l" | grep -q '\[stack\]' || fail "--locate does not mark the stack"
grep -A3 'falls in:' "$tmp/l" | grep -q "^  stack .*\[stack\]  (+0x0)" || fail "--locate does not say it falls in the stack"
below=$(printf '%x' $((0x$st - 4096)))
"$VASX" -p "$sp" -l "$below,8" >"$tmp/l2" || fail "--locate with a length"
[ "$(grep -c '^|>' "$tmp/l2")" -eq 2 ] || fail "a range over a gap and the stack marks $(grep -c '^|>' "$tmp/l2") rows"
grep -q '(8.00 KB) falls in:' "$tmp/l2" || fail "--locate does not say the range's size"
# With -u, an address of the kernel half still falls in what it falls in.
"$VASX" -p "$sp" -l 0xffffffff81000000 | sed -n '/falls in:/,$p' >"$tmp/lk"
"$VASX" -p "$sp" -u -l 0xffffffff81000000 | sed -n '/falls in:/,$p' >"$tmp/lku"
grep -q '^  kernel ' "$tmp/lk" && cmp -s "$tmp/lk" "$tmp/lku" ||
	fail "-u --locate of a kernel address: $(sed -n 2p "$tmp/lku")"
ok "--locate"

# -v: legend and statistics that agree with maps.
"$VASX" -p "$sp" -v >"$tmp/v" || fail "-v"
grep -q '^Legend:' "$tmp/v" && grep -q '^Statistics:' "$tmp/v" || fail "-v without legend and statistics"
vmas=$(grep -vc '\[vsyscall\]$' "/proc/$sp/maps")
grep -q "map count  *$(maps_lines "$sp") ($vmas VMAs of" "$tmp/v" ||
	fail "-v map count differs from maps: $(grep 'map count' "$tmp/v")"
ok "--verbose"

# --export-maps and --export-kernel: valid CSV, a row per region, no leftovers.
"$VASX" -p "$sp" --export-maps="$tmp/user.csv" --export-kernel="$tmp/kernel.csv" >"$tmp/g2" ||
	fail "--export-maps/--export-kernel"
cmp -s "$tmp/g" "$tmp/g2" || fail "the graph changes with --export-*"
set -- $("$CHECK" csv <"$tmp/user.csv") || fail "user CSV is not valid CSV"
[ "${1:-0}" -eq $(($(borders "$tmp/u" | wc -l) - 1)) ] || fail "user CSV has ${1:-?} rows, the -u graph $(($(borders "$tmp/u" | wc -l) - 1)) boxes"
head -n 1 "$tmp/user.csv" | grep -q '^start,end,size,kind,perms' || fail "user CSV header"
[ "$(grep -c ',gap,' "$tmp/user.csv")" -gt 0 ] || fail "user CSV without its sparse regions"
"$CHECK" csv <"$tmp/kernel.csv" >/dev/null || fail "kernel CSV is not valid CSV"
ls "$tmp" | grep -q 'tmp' && fail "a temporary file was left: $(ls "$tmp")"
"$VASX" -p "$sp" --export-maps="$tmp/no/such/dir/x.csv" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^vasx: cannot write $tmp/no/such/dir/x.csv" "$tmp/err" || fail "unwritable export: $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "unwritable export still printed the graph"
ok "--export-maps and --export-kernel"

# 65,000 mappings, as many as vm.max_map_count lets one process have
# (procmap failed at 2,121). The time bound only catches work that grows
# faster than the number of mappings; the figures are in make bench.
max=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0)
if [ "$max" -gt 65100 ] && start_testproc --anon 65000; then
	t0=$(date +%s%N)
	"$VASX" -p "$tp" --graph >"$tmp/big" || fail "graph of 60,000 mappings"
	ms=$((($(date +%s%N) - t0) / 1000000))
	n=$(grep -c '^+-' "$tmp/big")
	[ "$n" -gt 65000 ] || fail "only $n boxes for 65,000 mappings"
	[ "$ms" -lt 20000 ] || fail "graph of 65,000 mappings took $ms ms"
	"$VASX" -p "$tp" --json | "$CHECK" json || fail "JSON of 65,000 mappings"
	ok "65,000 mappings: $n boxes in $ms ms, valid JSON"
else
	echo "note: no process with 65,000 mappings here (vm.max_map_count $max)"
fi

finish
