#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A stop signal is acted on at once whenever it comes, not at the next
# refresh: with a period of 60 s, SIGTERM sent at 15 random moments after
# the explorer is up (each time a fresh vasx) ends it within 0.5 s, with
# status 143 and the terminal's modes (stty -g) as they were before it.
# The process shown has 40000 regions and a refresh is asked for just
# before: a good part of the moments fall while vasx reads and draws (a
# signal that came then was seen only when the next key or refresh ended
# the wait), the rest while it waits for a key.
set -u
suite=signals
. "$(dirname "$0")/lib.inc"

LIMIT_MS=500
ROUNDS=15

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# gone PID: the process has ended (it may wait, a zombie, for the shell).
gone() {
	[ ! -e "/proc/$1" ] && return 0
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -z "$state" ] || [ "$state" = Z ]
}

start_helper --anon ${SIGNALS_REGIONS:-40000}

printf 'set -g status off\n' >"$tmp/tmux.conf"
T -f "$tmp/tmux.conf" new-session -d -x 100 -y 30 "env -i PATH=$PATH HOME=$tmp TERM=xterm-256color PS1='\$ ' ENV= sh -i" ||
	fail "tmux would not start"
wait_screen '^\$'

i=0
worst=0
while [ $i -lt $ROUNDS ]; do
	i=$((i + 1))
	rm -f "$tmp/pid" "$tmp/rc" "$tmp/before" "$tmp/after"
	keys -l "clear; stty -g >$tmp/before; sh -c 'echo \$\$ >$tmp/pid; exec env TERM=xterm-256color LANG=C.UTF-8 \"\$@\"' vasx $VASX -d 60 -p $pid; echo \$? >$tmp/rc; stty -g >$tmp/after; echo VASX-EXIT=\$(cat $tmp/rc)"
	keys Enter
	wait_screen 'F10Quit'
	vp=$(cat "$tmp/pid")
	keys F5
	# 0 to 300 ms after it is up: anywhere in its wait, or in a frame
	ms=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 301))
	pause=$(printf '0.%03d' $ms)
	sleep "$pause"
	gone "$vp" && fail "round $i: vasx ended before it was signalled"
	t0=$(now_ms)
	kill -TERM "$vp"
	while ! gone "$vp"; do
		if [ $(($(now_ms) - t0)) -gt $LIMIT_MS ]; then
			kill -KILL "$vp" 2>/dev/null
			fail "round $i: vasx still runs ${LIMIT_MS} ms after SIGTERM (sent ${pause} s after it was up)"
		fi
		sleep 0.01
	done
	took=$(($(now_ms) - t0))
	[ $took -gt $worst ] && worst=$took
	wait_screen 'VASX-EXIT=[0-9]+' 5
	[ "$(cat "$tmp/rc")" = 143 ] || fail "round $i: exit status $(cat "$tmp/rc"), not 143"
	cmp -s "$tmp/before" "$tmp/after" ||
		fail "round $i: terminal modes changed: $(cat "$tmp/before") -> $(cat "$tmp/after")"
	echo "ok: round $i: SIGTERM ${pause} s after start, gone in ${took} ms"
done
echo "signals: ok ($ROUNDS rounds, slowest exit ${worst} ms)"
