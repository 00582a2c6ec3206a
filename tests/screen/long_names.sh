#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The explorer on files whose paths the kernel prints past PATH_MAX (20, 60
# and 200 KiB, from directories nested deep: tests/vasx-deepmap.py). The
# column cuts each on the left and shows its file name; the details pane
# holds the whole path, so its last line ends with the file name.
set -u
suite=long_names
. "$(dirname "$0")/lib.inc"
: "${TOP:?}"
command -v python3 >/dev/null 2>&1 || { echo "$suite: python3 is not installed" >&2; exit 77; }

mkfifo "$tmp/hold" || exit 1
exec 3<>"$tmp/hold"
python3 "$TOP/tests/vasx-deepmap.py" "$tmp" 20:lib-END20.so 60:lib-END60.dat 200:lib-END200.bin \
	<"$tmp/hold" >"$tmp/helper.out" 2>"$tmp/helper.err" &
tp=$!
n=0
while ! grep -q '^ready' "$tmp/helper.out" 2>/dev/null; do
	n=$((n + 1))
	[ $n -gt 200 ] && fail "the helper did not start: $(cat "$tmp/helper.err")"
	sleep 0.05
done
for end in lib-END20.so lib-END60.dat lib-END200.bin; do
	grep -q "/$end\$" "/proc/$tp/maps" || fail "the kernel does not print the path of $end"
done

start_ui 150 40 -- -p "$tp"
wait_screen "pid $tp "
for end in lib-END20.so lib-END60.dat lib-END200.bin; do
	keys /
	wait_screen 'Search'
	keys -l "$end"
	keys Enter
	wait_screen "match: $end"
	selected_line | grep -q "…/$end" ||
		fail "the column does not end the path of $end with its name: $(selected_line)"
done

# The details of the last one found: the whole path, its end at the bottom
# of the Path lines (above the smaps figures), reached from the pane's end.
keys Tab
keys End
n=0
# (a line of the column goes on into the pane: only the pane's ends so)
while ! screen | grep -q '/lib-END200\.bin *$'; do
	n=$((n + 1))
	[ $n -gt 40 ] && fail "the details pane does not end the path with lib-END200.bin"
	keys PageUp
	sleep 0.1
done
keys q
check_restored 0
echo "long_names: ok"
