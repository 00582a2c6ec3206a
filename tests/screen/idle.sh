#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An idle explorer does no work it does not need:
#   * paused (Space), nothing is due: it sleeps until a key, a resize or a
#     signal, instead of waking every second to draw the same frame. Its
#     wake-ups are counted as voluntary context switches
#     (/proc/PID/status), first while it refreshes every 0.2 s (at least 4
#     in 2 s, or the measure sees nothing), then paused for 3 s (at most
#     one);
#   * paused, a key, a resize and the end of the pause still act at once.
#
# Exit 0 pass, 77 skip (the reason on stderr), anything else fails.
set -u
suite=idle
. "$(dirname "$0")/lib.inc"

# switches PID: voluntary context switches of PID so far.
switches() {
	awk '$1 == "voluntary_ctxt_switches:" { print $2 }' "/proc/$1/status"
}

start_helper --anon 10
printf 'set -g status off\n' >"$tmp/tmux.conf"
T -f "$tmp/tmux.conf" new-session -d -x 120 -y 40 \
	"sh -c 'echo \$\$ >$tmp/pid; exec env TERM=xterm-256color LANG=C.UTF-8 $VASX -d 0.2 -p $pid'; echo VASX-EXIT=\$?; sleep 600" ||
	fail "tmux would not start"
wait_screen 'every 0.2s'
vp=$(cat "$tmp/pid")
[ -r "/proc/$vp/status" ] || fail "no /proc/$vp/status for vasx"

a=$(switches "$vp")
sleep 2
b=$(switches "$vp")
[ $((b - a)) -ge 4 ] || fail "refreshing every 0.2 s, vasx woke only $((b - a)) times in 2 s: the count sees nothing"
echo "ok: refreshing every 0.2 s: $((b - a)) wake-ups in 2 s"

keys Space
wait_screen 'PAUSED'
sleep 0.3
a=$(switches "$vp")
sleep 3
b=$(switches "$vp")
[ $((b - a)) -le 1 ] || fail "paused, vasx woke $((b - a)) times in 3 s"
echo "ok: paused: $((b - a)) wake-ups in 3 s"

# a key still moves the selection at once
before=$(selected_line)
keys j
n=0
while [ "$(selected_line)" = "$before" ]; do
	n=$((n + 1)); [ $n -gt 100 ] && fail "paused, a key did not move the selection"
	sleep 0.05
done
# a resize still repaints for the new size
T resize-window -t 0 -x 90 -y 30
n=0
while ! screen | sed -n 30p | grep -q 'F10Quit' || [ "$(screen | wc -l)" -ne 30 ]; do
	n=$((n + 1)); [ $n -gt 100 ] && fail "paused, a resize did not repaint"
	sleep 0.05
done
screen | grep -q 'PAUSED' || fail "the resized frame lost the pause"
echo "ok: paused, a key and a resize act at once"

keys Space
wait_gone 'PAUSED'
wait_screen 'every 0.2s'
keys q
wait_screen 'VASX-EXIT=0' 15
echo "idle: all checks passed"
