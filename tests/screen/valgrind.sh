#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A whole explorer session under memcheck, in a real terminal: the process
# list (sort, filter), a process whose mappings keep changing (refresh
# ticks, the change log, a baseline), moves, zoom in and out, jump,
# search, locate, the help, the panes, resizes down to 1x1, 1x3 and up to
# 300x90, then q. The valgrind log must show no error and no definitely,
# indirectly or possibly lost block. ncurses keeps its screens, terminfo
# and key tables until exit by design ("still reachable"): that memory is
# not a leak of vasx and is not counted. The only suppressions, in
# ncurses.supp, are for the terminal libraries' own tparm cache.
set -u
suite=valgrind-ui
. "$(dirname "$0")/lib.inc"

command -v valgrind >/dev/null 2>&1 || { echo "$suite: valgrind is not installed" >&2; exit 77; }
vglog="$tmp/vg.log"
VASX="valgrind --suppressions=$(cd "$(dirname "$0")" && pwd)/ncurses.supp --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --track-fds=no --log-file=$vglog $VASX"

start_helper --special --churn 0.4
# tmux's own terminal type: its terminfo makes curses update the bottom-right
# cell by way of the cell left of it, which a one-column screen lacks
# under valgrind every step is slower: waits are generous
start_ui 120 40 TERM=tmux-256color -- -d 0.4 -p "$pid"
wait_screen "pid $pid vasx-testproc" 30

# refresh ticks: the helper's changes reach the change log
wait_screen 'Changes \([1-9]' 30
keys b
wait_screen 'baseline' 20

# moves, zoom in and out
keys j j k G g NPage PPage
keys Enter
wait_screen 'zoom|Zoom|×|x[0-9]' 20
keys + + - Escape Escape
keys Tab j Tab j Tab BTab

# jump, search, locate
start=$(region file-private | cut -d' ' -f1)
start=${start#0x}	# tmux takes 0x1000 for the key U+1000
[ -n "$start" ] || fail "the helper did not report its file-private mapping"
keys G : "$start" Enter
wait_screen "^(▶|>)0*$start " 20
keys / 'private' Enter
wait_screen 'match' 20
keys n N
keys L "$start 8" Enter
wait_screen 'overlap' 20

# help, scrolled and closed
keys '?'
wait_screen 'help: keys' 20
keys j NPage Escape
wait_gone 'help: keys' 20

# resizes: tiny (the "too small" notice), huge, and back
for size in 60x16 1x1 120x40 1x3 2x2 1x1 20x5 300x90 120x40; do
	T resize-window -t 0 -x "${size%x*}" -y "${size#*x}"
	case $size in
	1x*) sleep 1 ;;	# one column: nothing is drawn
	2x2) wait_screen '^Te$' 20 ;;
	20x5) wait_screen 'Terminal too small' 20 ;;
	*) wait_screen "pid $pid vasx-testproc" 20 ;;
	esac
	keys j
done
# the process list: sorts, a filter, open what it shows first, back
keys p
wait_screen 'processes: [0-9]+ of' 20
keys '>' '<' I I
keys "$pid"
wait_screen "^ *$pid " 20
keys Enter Enter
wait_screen 'pid [0-9]+ ' 30
keys q
wait_screen 'VASX-EXIT=[0-9]+' 60
screen | grep -q 'VASX-EXIT=0' || {
	echo "---- valgrind log:" >&2
	head -n 80 "$vglog" >&2
	fail "vasx under valgrind: $(screen | grep -o 'VASX-EXIT=[0-9]*')"
}
grep -q 'ERROR SUMMARY: 0 errors' "$vglog" || fail "memcheck errors: $(grep 'ERROR SUMMARY' "$vglog")"
for kind in definitely indirectly possibly; do
	grep -q -E "$kind lost: [1-9]" "$vglog" && fail "memcheck: $(grep "$kind lost" "$vglog")"
done
echo "$suite: a whole session under memcheck: $(grep -o 'ERROR SUMMARY: [0-9]* errors' "$vglog"), $(grep -o 'still reachable: .*' "$vglog" | head -n 1) (ncurses)"
