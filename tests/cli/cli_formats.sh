#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# --json, --table (text, csv, json) and --maps (text, csv, json, jsonl) on
# real processes: valid output, one entry per line of /proc/PID/maps, the
# same ranges, perms and paths, and every smaps field under its own name.
. "$(dirname "$0")/cli_lib"

start_sleeper
n=$(maps_lines "$sp")

# The maps lines as the JSON prints them: "start end perms".
awk '{ split($1, a, "-")
	printf "0x%s 0x%s %s\n", substr("0000000000000000" a[1], length(a[1]) + 1),
		substr("0000000000000000" a[2], length(a[2]) + 1), $2 }' "/proc/$sp/maps" >"$tmp/want"

# --json: one valid object; mappings as in maps; every smaps field name.
"$VASX" -p "$sp" --json >"$tmp/j" || fail "--json"
"$CHECK" json <"$tmp/j" || fail "--json is not valid JSON"
m=$("$CHECK" json -n perms <"$tmp/j")
# perms: one per mapping, one per kernel region.
grep -o '{"start":"[^"]*","end":"[^"]*","size":[0-9]*,"perms":"[^"]*","offset"' "$tmp/j" |
	sed 's/{"start":"\([^"]*\)","end":"\([^"]*\)","size":[0-9]*,"perms":"\([^"]*\)".*/\1 \2 \3/' >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "--json mappings differ from maps: $(diff "$tmp/want" "$tmp/got" | head -4)"
[ "$m" -ge "$n" ] || fail "--json has $m perms fields for $n mappings"
for f in Size KernelPageSize MMUPageSize Rss Pss Shared_Clean Shared_Dirty Private_Clean \
	 Private_Dirty Referenced Anonymous Swap SwapPss Locked VmFlags; do
	[ "$("$CHECK" json -n "$f" <"$tmp/j")" -ge "$n" ] || fail "--json: $f missing from some mapping"
done
grep -q '"VmFlags":\["rd"' "$tmp/j" || fail "--json: VmFlags is not an array of strings"
grep -q '"path":"\[stack\]","kind":"stack"' "$tmp/j" || fail "--json: no stack"
"$CHECK" json -f "path=$(readlink "/proc/$sp/exe")" <"$tmp/j" || fail "--json: no mapping of the executable"
grep -q '"kernel":{"source":"[a-z]*"' "$tmp/j" || fail "--json: no kernel source"
grep -q '"source":"[a-z]*","approximate":' "$tmp/j" || fail "--json: kernel regions without their source"
grep -q '"kind":"non-canonical","space":"hole"' "$tmp/j" || fail "--json: no hole among the gaps"
grep -q "\"totals\":{.*\"map_count\":$n," "$tmp/j" || fail "--json: totals.map_count is not $n"
ok "--json"

# --table: a header, a row per mapping, the total.
"$VASX" -p "$sp" --table >"$tmp/t" || fail "--table"
[ "$(wc -l <"$tmp/t")" -eq $((n + 2)) ] || fail "--table has $(wc -l <"$tmp/t") lines for $n mappings"
head -n 1 "$tmp/t" | grep -q 'Start .*End .*Perm .*Size .*Rss .*Pss .*Mapping' || fail "--table header"
tail -n 1 "$tmp/t" | grep -q 'total kB' || fail "--table total row"
# Its Rss column sums to the total row's.
col=$(head -n 1 "$tmp/t" | awk '{ for (i = 1; i <= NF; i++) if ($i == "Rss") print i }')
sum=$(sed '1d;$d' "$tmp/t" | awk -v c="$col" '{ s += $c } END { print s }')
endc=$(head -n 1 "$tmp/t" | awk '{ print index($0, " Rss ") + 3 }')
tot=$(tail -n 1 "$tmp/t" | cut -c "1-$endc" | awk '{ print $NF }')
[ "$sum" = "$tot" ] || fail "--table Rss column sums to $sum, total row says $tot"
ok "--table"

set -- $("$VASX" -p "$sp" --table --format=csv | "$CHECK" csv)
[ "${1:-0}" -eq "$n" ] || fail "--table --format=csv: ${1:-invalid} records for $n mappings"
"$VASX" -p "$sp" --table --format=json >"$tmp/tj" || fail "--table --format=json"
"$CHECK" json <"$tmp/tj" && [ "$("$CHECK" json -n perms <"$tmp/tj")" -eq "$n" ] ||
	fail "--table --format=json is not an array of $n mappings"
ok "--table --format=csv and json"

# --maps of one process: its lines, in every format.
"$VASX" --maps -p "$sp" >"$tmp/m" || fail "--maps -p"
head -n 1 "$tmp/m" | grep -q '^PID  *Process  *Start  *End  *Flags  *PgOff  *Major  *Minor  *Inode  *File Path' ||
	fail "--maps header"
[ "$(grep -c "^$sp  *sleep " "$tmp/m")" -eq "$n" ] || fail "--maps -p has not $n rows"
set -- $("$VASX" --maps -p "$sp" --format=csv | "$CHECK" csv)
[ "${1:-0}" -eq "$n" ] && [ "${2:-0}" -eq 11 ] || fail "--maps csv: ${1:-?} records of ${2:-?} fields"
"$VASX" --maps -p "$sp" --format=json | "$CHECK" json -n pgoff >"$tmp/c" && [ "$(cat "$tmp/c")" -eq "$n" ] ||
	fail "--maps json"
"$VASX" --maps -p "$sp" --format=jsonl >"$tmp/l" && "$CHECK" json -l <"$tmp/l" &&
	[ "$(wc -l <"$tmp/l")" -eq "$n" ] || fail "--maps jsonl"
ok "--maps -p in text, csv, json and jsonl"

# --maps flags the mapping of a deleted file in every format: the text by
# the kernel's suffix, CSV by its last column, JSON by "deleted" as --json
# does. A memfd also reads "(deleted)" in maps but is no deleted file.
if start_testproc --deleted --memfd; then
	del=$(awk '$1 == "deleted" { print $2 }' "$tmp/tp.out")
	mfd=$(awk '$1 == "memfd" { print $2 }' "$tmp/tp.out")
	stop_and_wait "$tp"
	tn=$(maps_lines "$tp")
	del=$(printf '0x%016x' "$del") mfd=$(printf '0x%016x' "$mfd")
	"$VASX" --maps -p "$tp" >"$tmp/dt" || fail "--maps of testproc"
	grep -q " $del .*/deleted\.dat (deleted)\$" "$tmp/dt" || fail "--maps text: no (deleted) after the file"
	"$VASX" --maps -p "$tp" --format=csv >"$tmp/dc" || fail "--maps csv of testproc"
	head -n 1 "$tmp/dc" | grep -q ',File Path,deleted$' || fail "--maps csv: no deleted column last"
	[ "$(grep -c ',1$' "$tmp/dc")" -eq 1 ] && grep -q "^$tp,vasx-testproc,$del,.*/deleted\.dat,1\$" "$tmp/dc" ||
		fail "--maps csv: the deleted file is not the one row with deleted 1"
	grep -q "^$tp,vasx-testproc,$mfd,.*,/memfd:vasx-memfd,0\$" "$tmp/dc" || fail "--maps csv: the memfd is flagged deleted"
	"$VASX" -p "$tp" --json >"$tmp/dj" || fail "--json of testproc"
	"$VASX" --maps -p "$tp" --format=json >"$tmp/dm" || fail "--maps json of testproc"
	"$VASX" --maps -p "$tp" --format=jsonl >"$tmp/dl" || fail "--maps jsonl of testproc"
	"$CHECK" json <"$tmp/dm" && "$CHECK" json -l <"$tmp/dl" || fail "--maps json of testproc: invalid"
	for f in dm dl; do
		l=; [ $f = dl ] && l=-l
		[ "$("$CHECK" json $l -n deleted <"$tmp/$f")" -eq "$tn" ] &&
			[ "$(grep -o '"deleted":true' "$tmp/$f" | wc -l)" -eq 1 ] &&
			grep -q "\"start\":\"$del\",.*/deleted\.dat\",\"deleted\":true}" "$tmp/$f" &&
			grep -q "\"start\":\"$mfd\",.*\"deleted\":false}" "$tmp/$f" ||
			fail "--maps $f: deleted is not true for the deleted file alone"
	done
	[ "$(grep -o '"deleted":true' "$tmp/dj" | wc -l)" -eq 1 ] || fail "--json does not agree on the deleted mapping"
	ok "--maps flags the mapping of a deleted file (text, csv, json, jsonl)"
else
	fail "vasx-testproc --deleted --memfd did not start"
fi

# --maps selection: by regex, and all processes (this sleep among them).
"$VASX" --maps --regex '^sleep$' >"$tmp/r" || fail "--maps --regex"
grep -q "^$sp  *sleep " "$tmp/r" || fail "--maps --regex misses sleep $sp"
if awk 'NR > 1 && $2 != "sleep" { bad = 1 } END { exit !bad }' "$tmp/r"; then
	fail "--maps --regex '^sleep\$' lists other processes"
fi
"$VASX" --maps >"$tmp/all" || fail "--maps"
grep -q "^$sp  *sleep " "$tmp/all" || fail "--maps misses sleep $sp"
[ "$(awk 'NR > 1 { print $1 }' "$tmp/all" | sort -u | wc -l)" -gt 1 ] || fail "--maps lists one process"
"$VASX" --maps --format=json | "$CHECK" json >/dev/null || fail "--maps --format=json of all processes"
ok "--maps --regex and all processes"

finish
