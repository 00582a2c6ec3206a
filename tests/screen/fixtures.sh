#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The explorer on saved trees (--proc-root): hostile input never crashes it
# or reaches the terminal raw, and without smaps the details still show what
# maps alone can show and say why the rest is missing.
set -u
suite=fixtures
. "$(dirname "$0")/lib.inc"
: "${TOP:?}"
fx=$TOP/tests/fixtures
[ -d "$fx/hostile" ] || { echo "$suite: no fixtures" >&2; exit 77; }

# every hostile tree: open, walk, zoom, search, help, quit
for d in "$fx"/hostile/[0-9]*; do
	p=${d##*/}
	rm -f "$tmp/stty"
	start_ui 100 30 -- --proc-root "$fx/hostile" -p "$p"
	wait_screen "pid $p |VASX-EXIT="
	screen | grep -q 'VASX-EXIT=' && continue	# refused with a message: fine
	keys G g j j Enter + + - Escape BSpace / x Enter n Tab Tab Tab Tab '?' q
	keys : 0 Enter L '0 0x1000' Enter End Home
	wait_screen "pid $p "
	T capture-pane -p -e -t 0 >"$tmp/raw"
	# no escape sequence of the process's own: only curses' SGR/cursor codes
	LC_ALL=C grep -q -P '\x1b\](?!.*\x07)|\x1b[P^_]' "$tmp/raw" && fail "$p: raw escape sequence on screen"
	keys q
	check_restored 0
done

# a tree without smaps: what maps shows, and why the figures are missing
mkdir -p "$tmp/tree"
cp -r "$fx/testproc/3960" "$fx/testproc/meminfo" "$tmp/tree/"
[ -d "$fx/testproc/sys" ] && cp -r "$fx/testproc/sys" "$tmp/tree/"
rm -f "$tmp/tree/3960/smaps" "$tmp/tree/3960/smaps_rollup"
start_ui 120 40 -- --proc-root "$tmp/tree" -p 3960
wait_screen 'pid 3960 '
wait_screen 'Memory \(smaps\)'
wait_screen 'Unknown +.*(No such file|smaps)'
screen | grep -q -E 'Start +0x' || fail "no maps facts without smaps"
keys q
check_restored 0

# live refresh of a tree: pid reuse (start time changed) is never the same
# process, and a vanished process keeps its last snapshot on screen
rm -rf "$tmp/tree"
mkdir -p "$tmp/tree"
cp -r "$fx/testproc/3960" "$fx/testproc/meminfo" "$tmp/tree/"
[ -d "$fx/testproc/sys" ] && cp -r "$fx/testproc/sys" "$tmp/tree/"
start_ui 120 40 -- -d 0.2 --proc-root "$tmp/tree" -p 3960
wait_screen 'pid 3960 .*every 0.2s'
awk '{ $22 = $22 + 100; print }' "$tmp/tree/3960/stat" >"$tmp/stat" &&
	mv "$tmp/stat" "$tmp/tree/3960/stat"
wait_screen 'EXITED, pid reused: last snapshot'
wait_screen 'pid was reused; refreshing stopped'
screen | grep -q 'private.dat' || fail "the last snapshot is gone after pid reuse"
keys q
check_restored 0

cp "$fx/testproc/3960/stat" "$tmp/tree/3960/stat"
start_ui 120 40 -- -d 0.2 --proc-root "$tmp/tree" -p 3960
wait_screen 'pid 3960 .*every 0.2s'
rm -rf "$tmp/tree/3960"
wait_screen 'EXITED: last snapshot'
screen | grep -q 'private.dat' || fail "the last snapshot is gone after the exit"
keys q
check_restored 0
# a malformed counter in smaps: the statistics name the file and the kind
rm -rf "$tmp/tree"
mkdir -p "$tmp/tree"
cp -R "$fx/sleep/." "$tmp/tree/"
sed -i '0,/^Rss: .* kB/s//Rss: 12 kX/' "$tmp/tree/3958/smaps"
start_ui 200 150 -- --proc-root "$tmp/tree" -p 3958
wait_screen 'pid 3958 '
# (the pane is narrow: the line ends in an ellipsis)
wait_screen 'Skipped 1 malformed smaps line \(0 mapping, 1 co'
keys q
check_restored 0
echo "fixtures: ok"
