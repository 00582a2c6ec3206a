#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The terminal is put back on every way out: q, an error met while the
# explorer is up, Ctrl-C, SIGINT, SIGTERM, SIGHUP, and the crashes SIGSEGV,
# SIGBUS, SIGFPE and SIGABRT; Ctrl-Z gives the shell its terminal and fg
# takes it back. After each, in the same terminal: `stty -g` is what it
# was before vasx started, the main screen is shown (not the alternate
# one), the cursor is visible, mouse reporting and the keypad modes are
# off, text is plain again, and the exit status is the documented one.
# A real hangup (the terminal closed under vasx) ends it at once.
set -u
suite=restore
. "$(dirname "$0")/lib.inc"

# Modes tmux keeps for the pane, which vasx turns on and must turn off.
FLAGS='alt=#{alternate_on} cursor=#{cursor_flag} mouse=#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}#{mouse_all_flag}#{mouse_sgr_flag}#{mouse_utf8_flag} keypad=#{keypad_cursor_flag}#{keypad_flag} insert=#{insert_flag} wrap=#{wrap_flag} origin=#{origin_flag}'
CLEAN='alt=0 cursor=1 mouse=000000 keypad=00 insert=0 wrap=1 origin=0'

flags() {
	T display-message -p -t 0 "$FLAGS"
}

# new_shell: an interactive shell (job control, as a person has) in a
# fresh terminal, prompt "$ ".
new_shell() {
	T kill-server 2>/dev/null
	nsock=$((nsock + 1))
	sock="vasx-$suite-$$-$nsock"
	socks="$socks $sock"
	printf 'set -g status off\n' >"$tmp/tmux.conf"
	T -f "$tmp/tmux.conf" new-session -d -x 100 -y 30 "env -i PATH=$PATH HOME=$tmp TERM=xterm-256color PS1='\$ ' ENV= sh -i" ||
		fail "tmux would not start"
	wait_screen '^\$'
	[ "$(flags)" = "$CLEAN" ] || fail "a fresh terminal is not clean: $(flags)"
}

# run_vasx ARGS... [--]: in the shell, record the modes, run vasx (its pid
# in $tmp/pid), then record its status and the modes again; with "--"
# last, the caller records them.
run_vasx() {
	after="; echo \$? >$tmp/rc; stty -g >$tmp/after; echo VASX-EXIT=\$(cat $tmp/rc)"
	args=
	for a in "$@"; do
		if [ "$a" = -- ]; then after=; else args="$args $a"; fi
	done
	rm -f "$tmp/pid" "$tmp/rc" "$tmp/before" "$tmp/after" "$tmp/stopped"
	keys -l "clear; ulimit -c 0; stty -g >$tmp/before; sh -c 'echo \$\$ >$tmp/pid; exec env TERM=xterm-256color LANG=C.UTF-8 \"\$@\"' vasx $VASX$args$after"
	keys Enter
	n=0
	while [ ! -s "$tmp/pid" ]; do
		n=$((n + 1))
		[ $n -gt 200 ] && fail "vasx did not start"
		sleep 0.05
	done
	vp=$(cat "$tmp/pid")
}

# ui_up: the explorer is drawn and has changed the terminal's modes.
ui_up() {
	wait_screen 'F10Quit'
	n=0
	while [ "$(flags)" = "$CLEAN" ]; do
		n=$((n + 1))
		[ $n -gt 100 ] && fail "the explorer did not switch the terminal's modes"
		sleep 0.05
	done
}

# restored WHAT STATUS: vasx ended with STATUS and left the terminal as it was.
restored() {
	wait_screen "VASX-EXIT=[0-9]+" 10
	[ -s "$tmp/after" ] || { sleep 0.2; [ -s "$tmp/after" ] || fail "$1: no stty after"; }
	rc=$(cat "$tmp/rc")
	[ "$rc" = "$2" ] || fail "$1: exit status $rc, not $2"
	cmp -s "$tmp/before" "$tmp/after" ||
		fail "$1: terminal modes changed: $(cat "$tmp/before") -> $(cat "$tmp/after")"
	[ "$(flags)" = "$CLEAN" ] || fail "$1: terminal left with $(flags)"
	screen | grep -q -E 'F10Quit|Address space, high' && fail "$1: the explorer is still drawn"
	# the shell's line after vasx is plain text: colours and bold were reset
	T capture-pane -p -e -t 0 | grep 'VASX-EXIT' | grep -q "$(printf '\033')" &&
		fail "$1: text after vasx still has attributes"
	echo "ok: $1 (status $2)"
}

new_shell

# q
run_vasx -p $$
ui_up
keys q
restored q 0

# An error while the explorer is up: the process picked in the (paused)
# list has exited. vasx says so and stays; quitting then restores.
start_helper --anon 1
run_vasx
wait_screen 'processes: [0-9]+ of'
keys "$pid"
wait_screen "^ *$pid "
keys Enter
wait_gone '^Filter'
keys Space
wait_screen 'paused|Paused'
kill $tp
wait $tp 2>/dev/null
tp=
keys Enter
wait_screen "process $pid exited since the list was read"
keys q
restored "quit after an error" 0

# The process does not exist: vasx fails before it takes the terminal.
run_vasx -p 2147483647
restored "no such process" 1

# Ctrl-C is SIGINT from the terminal; then every signal from kill.
run_vasx -p $$
ui_up
keys C-c
restored "Ctrl-C" 130

for sig in INT:2 TERM:15 HUP:1 SEGV:11 BUS:7 FPE:8 ABRT:6; do
	run_vasx -p $$
	ui_up
	kill -"${sig%:*}" "$vp"
	restored "SIG${sig%:*}" $((128 + ${sig#*:}))
done

# Ctrl-Z: the shell gets a clean terminal; fg gives the explorer back.
# (vasx stands alone on its line: after a stop the shell goes on.)
run_vasx -p $$ --
ui_up
keys C-z
wait_screen 'Stopped|stopped'
[ "$(flags)" = "$CLEAN" ] || fail "Ctrl-Z: terminal left with $(flags)"
keys -l "stty -g >$tmp/stopped; fg; echo \$? >$tmp/rc; stty -g >$tmp/after; echo VASX-EXIT=\$(cat $tmp/rc)"
keys Enter
ui_up
cmp -s "$tmp/before" "$tmp/stopped" || fail "Ctrl-Z: the shell got other terminal modes"
keys q
restored "Ctrl-Z, fg, q" 0

# A real hangup: the terminal goes away under vasx. It must end at once
# (not wait, not spin on a dead terminal) and say it was SIGHUP.
T kill-server 2>/dev/null
nsock=$((nsock + 1))
sock="vasx-$suite-$$-$nsock"
socks="$socks $sock"
rm -f "$tmp/pid" "$tmp/rc"
T -f "$tmp/tmux.conf" new-session -d -x 100 -y 30 \
	"trap '' HUP; sh -c 'echo \$\$ >$tmp/pid; exec env TERM=xterm-256color LANG=C.UTF-8 $VASX -p $$'; echo \$? >$tmp/rc" ||
	fail "tmux would not start"
wait_screen 'F10Quit'
vp=$(cat "$tmp/pid")
T kill-server
n=0
while [ ! -s "$tmp/rc" ]; do
	n=$((n + 1))
	[ $n -gt 100 ] && { kill -9 "$vp" 2>/dev/null; echo "FAIL ($suite): vasx still runs 5 s after its terminal closed" >&2; exit 1; }
	sleep 0.05
done
[ "$(cat "$tmp/rc")" = 129 ] || { echo "FAIL ($suite): hangup: exit status $(cat "$tmp/rc"), not 129" >&2; exit 1; }
echo "ok: hangup (status 129)"
echo "restore: ok"
