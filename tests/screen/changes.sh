#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The live refresh: each kind of change the test helper makes is marked in
# the column and listed in the change log; a baseline keeps the marks; the
# process list picks up new and exited processes.
set -u
suite=changes
. "$(dirname "$0")/lib.inc"

start_helper --churn 0
hex() {
	printf '%016x' "$1"
}
# the log writes addresses without leading zeros
short() {
	printf '%x' "0x$1"
}
# step N: one change by the helper; sets $action $start $end
step() {
	kill -USR1 $tp || fail "helper is gone"
	n=0
	while ! grep -q "^step $1 " "$tmp/tp.out"; do
		n=$((n + 1)); [ $n -gt 100 ] && fail "the helper did not make step $1"; sleep 0.05
	done
	set -- $(grep "^step $1 " "$tmp/tp.out")
	action=$3 start=$(hex "$4") end=$(hex "$5")
}
# mark ADDR CHAR: the column row of ADDR shows the change mark CHAR
mark() {
	wait_screen "^.$1 ..(.)[$2] " 10
}

start_ui 250 70 -- -d 0.3 -p "$pid"
wait_screen "pid $pid "
wait_screen 'Changes \(0\)'

step 1
[ "$action" = mmap ] || fail "step 1 was $action"
wait_screen "added $(short "$start")"
mark "$start" '+'
screen | grep -q -E "[0-9]{2}:[0-9]{2}:[0-9]{2} +added $(short "$start")" || fail "the log entry has no time"
# memory without a name is named in the log as in the column, by its kind:
# the helper's PROT_NONE page below the new region is a guard
guard=$(hex $((0x$start - 4096)))
wait_screen "added $(short "$guard") 4K \[guard\]"
wait_screen "^.$guard .*\[guard\]"
wait_screen "added $(short "$start") 16K \[anon\]"

step 2
[ "$action" = munmap ] || fail "step 2 was $action"
wait_screen "removed $(short "$start")"
# the room above it, PROT_NONE, is named by its kind in the old snapshot
wait_screen "removed $(short "$(hex $((0x$start + 16384)))") [0-9]+K \[guard\]"
wait_screen "removed: "
removed_at=$start

step 3
[ "$action" = mprotect ] || fail "step 3 was $action"
wait_screen "BECAME EXECUTABLE $(short "$start") rw-p->r-xp"
mark "$start" 'X'

step 4
[ "$action" = mremap ] || fail "step 4 was $action"
# grown in place: same start, 16K -> 32K, marked '>' in the column
wait_screen "grown $(short "$start") 16K->32K"
mark "$start" '>'

step 5
[ "$action" = touch ] || fail "step 5 was $action"
wait_screen "rss $(short "$start") RSS \+[1-9]"
mark "$start" '\^'

# the ghost of step 2 fades after a few ticks
wait_gone "removed: " 10

# Enter on the newest log entry selects its region
keys Tab Tab Tab
wait_screen 'Enter: go to region'
keys Enter
wait_screen "^(▶|>)$start "

# a baseline keeps marks across ticks; clearing it drops them
keys b
wait_screen 'vs baseline'
step 6
[ "$action" = mmap ] || fail "step 6 was $action"
new=$start
mark "$new" '+'
sleep 1.2
mark "$new" '+'
keys B
wait_gone "^.$new ..(.)[+] " 10

# pause: nothing is read while paused
keys Space
wait_screen 'PAUSED'
count=$(screen | grep -o -E 'Changes \([0-9]+\)')
step 7
[ "$action" = munmap ] || fail "step 7 was $action"
sleep 1
screen | grep -q -F "$count" || fail "a change was read while paused"
screen | grep -q "removed $(short "$start")" && fail "the munmap was seen while paused"
keys Space
wait_screen "removed $(short "$start")"

keys q
check_restored 0

# the process list follows new and exited processes
start_ui 120 30 -- -d 0.3
wait_screen 'processes: [0-9]+ of'
keys / vasx-testproc Enter
start_helper --anon 1
wait_screen "^ *$pid .*vasx-testproc"
kill $tp
tp=
wait_gone "^ *$pid .*vasx-testproc" 10
keys q
check_restored 0
echo "changes: ok"
