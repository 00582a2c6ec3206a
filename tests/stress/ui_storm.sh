#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The explorer in tmux refreshes every 0.1 s a helper that changes its
# mappings 20000 times a second, while keys move around, take and clear a
# baseline and switch the scale (the change log fills); the helper is
# killed half-way. The
# explorer keeps running, says the process exited, keeps its last snapshot
# and answers keys; q then ends it with status 0 and the terminal restored.
set -u
suite=ui_storm
. "$(dirname "$0")/../screen/lib.inc"
"$TESTPROC" --help | grep -q -- --storm || { echo "$suite: $TESTPROC has no --storm" >&2; exit 77; }

start_helper --storm 20000 --special
start_ui 120 40 -- -d 0.1 -p "$pid"
wait_screen "pid $pid vasx-testproc"
wait_screen 'private\.dat'
wait_screen 'Changes \([1-9]' 10

# drive PERIOD SECONDS: keys every 0.1 s, the explorer still up after each
drive() {
	i=0
	for k in j j k G g NPage PPage Tab b j j B s Tab k s G j; do
		i=$((i + 1))
		keys "$k"
		sleep 0.1
		screen | grep -q 'VASX-EXIT' && fail "$1: the explorer ended after key $k"
		screen | grep -q "pid $pid vasx-testproc" || fail "$1: the title is gone after key $k"
	done
}

end=$(($(date +%s) + 8))
rounds=0
while [ "$(date +%s)" -lt "$end" ]; do
	drive "storming"
	rounds=$((rounds + 1))
done

kill $holder $tp
wait $tp 2>/dev/null
tp= holder=
wait_screen 'EXITED|process exited' 10

end=$(($(date +%s) + 3))
while [ "$(date +%s)" -lt "$end" ]; do
	drive "after the exit"
	rounds=$((rounds + 1))
done
screen | grep -q 'last snapshot' || fail "the exit notice is gone"
screen | grep -q 'EXITED, pid reused' && fail "an exit was taken for a reused pid"
keys q
check_restored 0
echo "ui_storm: $rounds rounds of 18 keys, the explorer refreshing every 0.1 s; exit shown, quit cleanly"
