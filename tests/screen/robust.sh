#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The hard cases: the process exits while viewed (its last snapshot stays,
# with a notice), SIGTERM, SIGINT and SIGSEGV restore the terminal, a process the
# user may not read is dimmed in the list with the reason.
set -u
suite=robust
. "$(dirname "$0")/lib.inc"

start_helper --special
start_ui 100 30 -- -d 0.2 -p "$pid"
wait_screen "pid $pid vasx-testproc"
wait_screen 'private.dat'
kill $holder $tp
wait $tp 2>/dev/null
tp= holder=
wait_screen 'process exited' 10
screen | grep -q 'private.dat' || fail "the last snapshot is gone after the exit"
keys j
screen | grep -q 'last snapshot' || fail "the exit notice disappeared"
keys q
check_restored 0

# SIGTERM, SIGINT and a crash (SIGSEGV): the program ends, the terminal is sane
for sig in TERM INT SEGV; do
	rm -f "$tmp/stty"
	start_ui 100 30 -- -p $$
	wait_screen "pid $$ "
	vp=$(pgrep -n -f "^$VASX -p $$\$") || fail "cannot find the vasx process"
	kill -$sig "$vp"
	wait_screen 'VASX-EXIT=[0-9]+'
	screen | grep -q 'VASX-EXIT=0' && fail "SIG$sig: exit status 0"
	check_restored '[1-9][0-9]*'
done

# a process the user may not read: dimmed with the reason (needs root to test)
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	start_helper --anon 1
	rm -f "$tmp/stty"
	start_ui 120 30 -- ""
	T respawn-pane -k -t 0 \
		"setpriv --reuid=65534 --regid=65534 --clear-groups env TERM=xterm LANG=C.UTF-8 $VASX; echo VASX-EXIT=\$?; sleep 600"
	wait_screen 'processes: [0-9]+ of'
	keys "$pid"
	wait_screen "^ *$pid .*no access"
	keys Enter Enter
	wait_screen "process $pid: .*([Pp]ermission|not permitted)"
	keys q
	wait_screen 'VASX-EXIT=0'
fi
echo "robust: ok"
