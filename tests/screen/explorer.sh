#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The explorer as a person uses it, in colour at 120x40: pick the test
# helper from the process list, move, zoom to pages and back, jump into a
# known mapping, search, locate, read the help, resize, and quit with the
# terminal restored.
set -u
suite=explorer
. "$(dirname "$0")/lib.inc"

start_helper --special --threads 2
set -- $(region wx)
wx_start=$1
set -- $(region thread)
th_start=$1
wx_hex=$(printf '%016x' "$wx_start")

start_ui 120 40 --
wait_screen 'processes: [0-9]+ of'

# sorting: F6 and > walk the columns, I inverts
keys F6
wait_screen 'sort: VSZ'
keys '>' '>'
wait_screen 'sort: MAPS'
screen | grep -q -E "MAPS(▼|v)" || fail "no sort arrow on the MAPS column"
keys I
wait_screen 'sort: MAPS \(inverted\)'
keys I '<' '<' '<'
wait_screen 'sort: RSS  '
# the arrow says which way the values go: PID smallest first points up
keys '<' '<'
wait_screen 'sort: PID  '
screen | grep -q -E "PID(▲|\^) " || fail "PID, smallest first, has no up arrow"
set -- $(screen | sed -n '3,4p' | awk '{ print $1 }')
[ "$1" -lt "$2" ] || fail "sorted by PID, $1 comes before $2"
keys I
wait_screen 'sort: PID \(inverted\)'
screen | grep -q -E "PID(▼|v) " || fail "PID, largest first, has no down arrow"
keys I '>' '>'
wait_screen 'sort: RSS  '
screen | grep -q -E "RSS(▼|v) " || fail "RSS, largest first, has no down arrow"

# the filter: by pid, then open the process
keys / "$pid" Enter
wait_screen "processes: 1 of"
screen | grep -q -E "^ *$pid .*vasx-testproc" || fail "filter did not keep pid $pid"
keys Enter
wait_screen "pid $pid vasx-testproc"
wait_screen 'Address space, high on top'
screen | grep -q 'non-canonical hole' || fail "no non-canonical hole in the column"

# moving selects the next region, without reading anything new
a=$(selected_line)
keys j
n=0
while [ "$(selected_line)" = "$a" ]; do
	n=$((n + 1)); [ $n -gt 100 ] && fail "j did not move the selection"; sleep 0.05
done
keys k
wait_screen "^(▶|>)$(echo "$a" | cut -c4-20)"

# jump into the W+X mapping: the details name it and give the offset
keys : "$(printf '%x' $((wx_start + 4096)))" Enter
wait_screen "Jumped to \\+0x1000"
wait_screen "Start +0x$wx_hex"
selected_line | grep -q "$wx_hex" || fail "jump did not select $wx_hex"
selected_line | grep -q 'rwxp' || fail "the W+X mapping is not shown as rwxp"
selected_line | grep -q '!' || fail "the W+X mapping has no ! mark"
screen | grep -q 'writable AND executable' || fail "details do not warn about W+X"

# zoom into it: two pages, so each row is a page with its residency
keys Enter
wait_screen 'Zoom 1, pages:'
wait_screen 'present|not present'
# the first page was written: the details give all its flags, wrapped
keys j
wait_screen '│ Page +present'
screen | grep -E '│ Page +present' | grep -q '…$' && fail "the page's flags are cut short"
keys BSpace
wait_screen 'Address space, high on top'

# a thread stack (8 MB): zoom in steps down to single pages, then out
keys : "$(printf '%x' "$th_start")" Enter
wait_screen "Start +0x$(printf '%016x' "$th_start")"
keys Enter
wait_screen 'Zoom 1, row 256.00 KB:'
keys +
wait_screen 'Zoom 1, row 128.00 KB:'
i=0
while ! screen | grep -q 'Zoom 1, pages:'; do
	i=$((i + 1)); [ $i -gt 8 ] && fail "+ never reached page level"
	keys +
	sleep 0.1
done
wait_screen 'Zoom 1, pages:'
keys -
wait_screen 'Zoom 1, row 8.00 KB:'
keys Escape
wait_screen 'Address space, high on top'

# search: by name, by kind, by perms; n goes on
keys / private.dat Enter
wait_screen 'match.*private.dat'
selected_line | grep -q 'private.dat' || fail "search did not select private.dat"
keys / guard Enter
wait_screen 'match.*guard'
selected_line | grep -q '\[guard\]' || fail "kind search did not select a guard region"
keys / rwx Enter
wait_screen 'match.*rwx'
selected_line | grep -q 'rwxp' || fail "perms search did not select the rwx mapping"
keys / 're:evil' Enter
wait_screen 'match.*evil'
selected_line | grep -q 'x1b\[31mevil\\x0aname' || fail "escape sequence in a name not drawn escaped"

# from the top item, a search finds the stack on the way down (no wrap);
# from the stack, n goes past the bottom and around to find it again
keys g
keys / '[stack]' Enter
wait_screen 'match: \[stack\]'
keys n
wait_screen 'match \(wrapped\): \[stack\]'

# locate a range over two neighbours
keys L "$(printf '%x' "$wx_start") 0x3000" Enter
wait_screen '2 regions overlap'

# help, generated from the action table
keys '?'
wait_screen 'Address-space view'
screen | grep -q 'jump to an address' || fail "help lacks the jump action"
keys q
wait_screen 'Address space, high on top'
# G (End) shows its last line, every kind named in full; Esc closes it too
keys '?'
wait_screen 'Address-space view'
keys G
wait_screen 'kernel-object +a kernel object'
wait_screen 'non-canonical +non-canonical hole'
keys Escape
wait_screen 'Address space, high on top'

# resizing: smaller, too small, and back
T resize-window -x 80 -y 24
wait_screen '^ pid .*maps'
# a title too long for the width is cut with an ellipsis, not mid-word;
# paused, it still says that marks are against the baseline
keys b
wait_screen 'every 1s +vs baseline'
screen | head -n 1 | grep -q -E '(kallsyms|approximate|module|none|…) +every 1s +vs baseline' ||
	fail "the title is cut mid-word"
keys Space
wait_screen 'PAUSED \(Space resumes\) +vs baseline'
keys Space B
wait_screen 'every 1s *$'
keys Tab Tab
wait_screen 'Statistics and legend'
# a narrow pane cuts a figure with an ellipsis, never passing a part for a whole
line=$(screen | grep -E '│ +at 0x' | head -n 1)
[ -n "$line" ] || fail "no largest-gap address in the statistics"
echo "$line" | grep -q -E 'at 0x[0-9a-f]{16}|…$' || fail "an address cut short without an ellipsis: $line"
screen | grep -q -E '│ Mapped .*(%|…)$' || fail "the mapped share cut short without an ellipsis"
T resize-window -x 50 -y 12
wait_screen 'Terminal too small: 50x12'
T resize-window -x 120 -y 40
wait_screen 'Address space, high on top'

# at the smallest size, a message too long for the status line ends in an ellipsis
T resize-window -x 60 -y 16
wait_screen 'Address space, high on top'
keys / "$(printf 'z%.0s' $(seq 60))" Enter
wait_screen '^no region matches z+…$'
T resize-window -x 120 -y 40
wait_screen 'Address space, high on top'

keys q
check_restored 0
echo "explorer: ok"
