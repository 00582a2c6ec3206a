#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The process list's rows say what they know:
#   * a process that is exiting (a zombie: its address space is gone) shows
#     "-" for RSS, VSZ and MAPS, not "0K 0K 0" that would pass for figures,
#     and its name (its command line went with its memory); sorted by RSS
#     either way, it comes after every process whose RSS is known;
#   * a command cut at the screen's edge ends in "…" ("> " on a terminal
#     that is not UTF-8), as every cut text of the explorer;
#   * as root, in a private pid namespace (unshare --pid --fork --mount-proc:
#     the host's pids are left alone): the selected process exits and a new
#     one takes its pid (/proc/sys/kernel/ns_last_pid); after a refresh the
#     selection is on the row that followed the gone process, not on the
#     newcomer in its pid.
#
# Exit 0 pass, 77 skip (the reason on stderr), anything else fails.
set -u
suite=picker

if [ -z "${VASX_PIDNS:-}" ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null 2>&1 &&
   unshare --pid --fork --mount-proc true 2>/dev/null; then
	VASX_PIDNS=1 exec timeout 110 unshare --pid --fork --mount-proc sh "$0" "$@"
fi

. "$(dirname "$0")/lib.inc"

# row PID: the list's row of PID.
row() {
	screen | grep -E "^ *$1 "
}

# ---- an exiting process: no figures ---------------------------------------
# `sleep 0` is a child of a shell that becomes `sleep 100`, which never
# reaps it: it stays a zombie.
sh -c 'sleep 0 & echo $! >"$1"; exec sleep 100' sh "$tmp/zombie" &
tp="$tp $!"
n=0
while ! [ -s "$tmp/zombie" ] || ! grep -q '^[0-9]* (sleep) Z' "/proc/$(cat "$tmp/zombie")/stat" 2>/dev/null; do
	n=$((n + 1)); [ $n -gt 200 ] && fail "no zombie was made"
	sleep 0.05
done
z=$(cat "$tmp/zombie")

# a command longer than the screen
set -- 300
for i in $(seq 1 80); do set -- "$@" 0; done
sleep "$@" &
long=$!
tp="$tp $long"

start_ui 120 30 -- -d 100
wait_screen 'PID'
keys "$z"
wait_screen "^ *$z "
r=$(row "$z")
echo "$r" | grep -q -E "^ *$z +[^ ]+ +- +- +[0-9]+ +- " ||
	fail "an exiting process does not show '-' for its figures: $r"
echo "$r" | grep -q -E ' 0K ' && fail "an exiting process shows 0K: $r"
echo "$r" | grep -q -E ' sleep$' || fail "an exiting process's row does not name it: $r"
echo "ok: an exiting process shows '-' for RSS, VSZ and MAPS"

keys Escape
wait_gone "processes: 1 of"
# in the namespace every row is on screen: sorted by RSS smallest first,
# the zombie's unknown figure still comes after every known one
if [ -n "${VASX_PIDNS:-}" ]; then
	keys I
	wait_screen 'sort: RSS \(inverted\)'
	# (a short-lived process, such as a tmux client, may be exiting too:
	# every row from the zombie's on must be unknown, whichever is last)
	rows=$(screen | grep -E '^ *[0-9]+ ')
	echo "$rows" | grep -q -E "^ *$z " || fail "the exiting process is not listed"
	after=$(echo "$rows" | sed -n "/^ *$z /,\$p")
	known=$(echo "$after" | grep -v -E '^ *[0-9]+ +[^ ]+ +- +- ')
	[ -z "$known" ] || fail "a process with known figures sorts after the exiting one, by RSS inverted: $known"
	keys I
	wait_gone 'inverted'
	echo "ok: an exiting process sorts after every known RSS, both ways"
fi
keys "$long"
wait_screen "^ *$long "
r=$(row "$long")
case $r in
*"sleep 300 0 0"*…) ;;
*) fail "a cut command does not end in an ellipsis: $r" ;;
esac
[ "$(printf '%s\n' "$r" | LC_ALL=C.UTF-8 wc -L)" -eq 120 ] ||
	fail "the cut command does not fill the row: $r"
keys Enter
wait_gone 'Filter \('
keys F10
check_restored 0

# the same on a terminal that is not UTF-8
start_ui 120 30 LANG=C LC_ALL=C -- -d 100
wait_screen 'PID'
keys "$long"
wait_screen "^ *$long "
r=$(row "$long")
case $r in
*"sleep 300 0 0"*">") ;;
*) fail "a cut command does not end in '>' in ASCII: $r" ;;
esac
keys Enter
wait_gone 'Filter \('
keys F10
check_restored 0
echo "ok: a cut command ends in an ellipsis (UTF-8 and ASCII)"

# ---- the selection across a pid reuse ----------------------------------------
if [ -z "${VASX_PIDNS:-}" ]; then
	echo "note: not root or no pid namespace: the pid reuse check did not run" >&2
	exit 0
fi
[ -w /proc/sys/kernel/ns_last_pid ] || { echo "$suite: /proc/sys/kernel/ns_last_pid is not writable" >&2; exit 77; }

helper a --anon 1
x=$hp
helper b --anon 2
y=$hp
[ "$y" -gt "$x" ] || fail "the helpers' pids are not in order: $x $y"
start_ui 160 30 -- -d 100
wait_screen 'PID'
keys / 'vasx-testproc' Enter
wait_screen 'processes: 2 of'
wait_gone 'Filter \('
# sorted by pid, the first row: helper a, then helper b
keys '<' '<'
wait_screen 'sort: PID'
keys Up Up
sleep 0.3
# helper a ends; helper c takes its pid; both not in the same clock tick
sleep 0.05
kill "$x"
wait "$x" 2>/dev/null
echo $((x - 1)) >/proc/sys/kernel/ns_last_pid
helper c --anon 3
[ "$hp" -eq "$x" ] || fail "the new helper got pid $hp, not $x"
keys F5
wait_screen "^ *$x .*--anon 3"
keys Enter
wait_screen "pid ($x|$y) vasx-testproc"
screen | grep -q "pid $y vasx-testproc" ||
	fail "the selection went to the process that took pid $x, not to the row that followed"
keys F10
check_restored 0
kill "$hp"; wait "$hp" 2>/dev/null
echo "ok: the selection does not follow a pid to a newcomer"
echo "picker: all checks passed"
