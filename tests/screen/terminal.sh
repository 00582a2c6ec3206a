#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The terminal at its limits. In every screen (the process list, the
# address-space view, the details and change-log panes, the help, an open
# search prompt, a zoom) the terminal shrinks to 1x1, 1x3, 2x2, 10x3, 20x5:
# vasx says it is too small in as much as fits and ignores every key but
# q, then grows to 500x200, where the layout fills the whole width, and
# back to 120x40 with the screen as it was. Then a SIGWINCH storm (resizes
# and kill -WINCH hundreds of times a second while it refreshes every
# 0.1 s): vasx lives, answers the next key and draws for the final size,
# and does not spin. Last, the explorer without a terminal on stdin or
# stdout: a clear message or the graph, never a hang.
set -u
suite=terminal
command -v python3 >/dev/null 2>&1 || { echo "terminal: python3 is not installed" >&2; exit 77; }
. "$(dirname "$0")/lib.inc"

start_helper --special

# drained: vasx has read every key sent (the terminal's input queue is
# empty), so a resize sent next cannot overtake one of them.
drained() {
	python3 - "$(T display -p -t 0 '#{pane_tty}')" <<'PY' || fail "keys still unread after 20 s"
import fcntl, os, struct, sys, termios, time
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
for _ in range(400):
    if struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0] == 0:
        sys.exit(0)
    time.sleep(0.05)
sys.exit(1)
PY
	sleep 0.1
}

# tty_is COLSxROWS: the terminal has that size (so vasx has had its SIGWINCH).
tty_is() {
	python3 - "$(T display -p -t 0 '#{pane_tty}')" "$1" <<'PY' || fail "the terminal never became $1"
import fcntl, os, struct, sys, termios, time
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
for _ in range(400):
    rows, cols = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))[:2]
    if "%dx%d" % (cols, rows) == sys.argv[2]:
        sys.exit(0)
    time.sleep(0.05)
sys.exit(1)
PY
	sleep 0.1
}

# too_small: in each tiny size, the notice cut to fit, keys ignored. In
# one column nothing fits and vasx writes nothing (curses cannot update
# the only cell of a row safely there).
too_small() {
	for size in 1x1 1x3 2x2 10x3 20x5; do
		T resize-window -t 0 -x "${size%x*}" -y "${size#*x}"
		case $size in
		1x*) tty_is "$size" ;;
		2x2) wait_screen '^va$' ;;
		10x3) wait_screen '^Enlarge th$' ;;
		20x5) wait_screen '^Terminal too small:$' ;;
		esac
		# none of these may act while nothing can be seen
		keys j Enter '?' / : Tab + Escape p M d b
		drained
		screen | grep -q -E 'VASX-EXIT' && fail "vasx ended at $size"
		[ "$(screen | grep -c .)" -le "${size#*x}" ] || fail "more lines than rows at $size"
	done
}

# huge: at 500x200 the title spans the width, the key bar is on the last
# row and the pane border runs the whole height (no stale area).
huge() {
	T resize-window -t 0 -x 500 -y 200
	wait_screen 'F10Quit'
	wait_screen "$1"
	sleep 0.3
	s=$(screen)
	[ "$(printf '%s\n' "$s" | wc -l)" -eq 200 ] || fail "500x200: not 200 rows"
	printf '%s\n' "$s" | sed -n '200p' | grep -q 'F1Help' || fail "500x200: the key bar is not on row 200"
	if [ "$2" = vas ]; then
		w=$(printf '%s\n' "$s" | head -n 1 | python3 -c 'import sys; print(len(sys.stdin.read().rstrip()))')
		[ "$w" -ge 495 ] || fail "500x200: the title ends at column $w"
		# the border between the column and the side panes: the same column on every row
		cols=$(printf '%s\n' "$s" | sed -n '2,197p' |
			python3 -c 'import sys; [print(l.find("│")) for l in sys.stdin.read().splitlines()]' | sort -u)
		[ "$(echo "$cols" | wc -l)" -eq 1 ] && [ "$cols" -gt 0 ] ||
			fail "500x200: the pane border is not one straight line: $(echo $cols)"
	fi
}

# back STATE_REGEX: 120x40 again, the same screen as before.
back() {
	T resize-window -t 0 -x 120 -y 40
	wait_screen 'F10Quit'
	wait_screen "$1"
	[ "$(screen | wc -l)" -eq 40 ] || fail "120x40: not 40 rows"
	screen | grep -q 'Terminal too small' && fail "the too-small notice stayed"
	return 0
}

# ---- every screen at every size
start_ui 120 40 -- -d 0.3
wait_screen 'processes: [0-9]+ of'
too_small
huge 'processes: [0-9]+ of' picker
back 'processes: [0-9]+ of'
keys q
check_restored 0

rm -f "$tmp/stty"
start_ui 120 40 -- -d 0.3 -p "$pid"
wait_screen "pid $pid vasx-testproc"
for state in vas details log help search zoom; do
	case $state in
	vas) mark="Address space, high on top" ;;
	details) keys Tab; mark="Details" ;;
	log) keys Tab Tab Tab; mark="Changes \([0-9]+\) +Enter: go to region" ;;
	help) keys '?'; mark="help: keys" ;;
	search) keys /; mark="^Search \(" ;;
	zoom) keys Enter; mark="Zoom 1, pages" ;;
	esac
	wait_screen "$mark"
	too_small
	if [ $state = help ]; then huge "$mark" help; else huge "$mark" vas; fi
	back "$mark"
	case $state in
	details) keys BTab ;;
	log) keys Tab ;;
	help|search) keys Escape; wait_gone "$mark" ;;
	esac
	ok_states="${ok_states:-}$state "
done
# the prompt that stayed open through the resizes still works
keys Escape : "$(region wx | cut -d' ' -f1 | sed 's/^0x//')" Enter
wait_screen "^(▶|>)0*$(region wx | cut -d' ' -f1 | sed 's/^0x//') "
# q at a tiny size quits, as the notice says
T resize-window -t 0 -x 20 -y 5
wait_screen '^Terminal too small:$'
keys q
check_restored 0
echo "$suite: 1x1 1x3 2x2 10x3 20x5 500x200 in the picker and $ok_states"

# ---- a SIGWINCH storm while it refreshes every 0.1 s
rm -f "$tmp/stty"
start_ui 120 40 -- -d 0.1 -p "$pid"
wait_screen "pid $pid vasx-testproc"
vp=$(pgrep -n -f "^$VASX -d 0.1 -p $pid\$") || fail "cannot find the vasx process"
end=$(($(date +%s) + 3))
i=0
while [ "$(date +%s)" -lt $end ]; do
	i=$((i + 1))
	T resize-window -t 0 -x $((1 + i * 37 % 200)) -y $((1 + i * 13 % 70))
	for j in 1 2 3 4 5 6 7 8 9 10; do
		kill -WINCH "$vp" 2>/dev/null || fail "vasx died in the storm (after $i resizes)"
	done
done
T resize-window -t 0 -x 100 -y 30
kill -0 "$vp" 2>/dev/null || fail "vasx died in the storm"
# drawn_for_100x30: the title spans the 100 columns, the key bar is on row
# 30 (a capture may catch a frame half drawn: it is taken again)
drawn_for_100x30() {
	n=0
	while :; do
		s=$(screen)
		w=$(printf '%s\n' "$s" | head -n 1 | python3 -c 'import sys; print(len(sys.stdin.read().rstrip()))')
		printf '%s\n' "$s" | head -n 1 | grep -q "^ pid $pid " && [ "$w" -ge 95 ] && [ "$w" -le 100 ] &&
			[ "$(printf '%s\n' "$s" | wc -l)" -eq 30 ] &&
			printf '%s\n' "$s" | sed -n '30p' | grep -q '^F1Help' && return 0
		n=$((n + 1))
		[ $n -gt 100 ] && fail "$1: not drawn for 100x30 (title ends at column $w)"
		sleep 0.05
	done
}
drawn_for_100x30 "after the storm"
keys '?'
wait_screen 'help: keys'
keys Escape
wait_gone 'help: keys'
drawn_for_100x30 "after a key"
# no spinning: with a refresh every minute, it sleeps
keys d C-u 60 Enter
wait_screen 'refreshing every 60 s'
t0=$(awk '{ print $14 + $15 }' "/proc/$vp/stat")
sleep 2
t1=$(awk '{ print $14 + $15 }' "/proc/$vp/stat")
[ $((t1 - t0)) -lt 50 ] || fail "vasx used $((t1 - t0)) clock ticks in 2 s doing nothing: it spins"
keys q
check_restored 0
echo "$suite: $i resizes and $((i * 10)) SIGWINCH in 3 s, then a key, the right size, $((t1 - t0)) ticks idle in 2 s"

# ---- no terminal on stdin, or on stdout
rm -f "$tmp/stty"
start_ui 100 30 -- '</dev/null'
wait_screen 'VASX-EXIT=2'
screen | grep -q 'the explorer needs a terminal on both stdin and stdout (stdin is not one)' ||
	fail "stdin /dev/null: no clear message"
start_ui 100 30 -- '<&-'
wait_screen 'VASX-EXIT=2'
screen | grep -q 'the explorer needs a terminal' || fail "stdin closed: no clear message"
start_ui 100 30 -- '| cat'
wait_screen 'VASX-EXIT=0'
screen | grep -q 'the explorer needs a terminal on both stdin and stdout (stdout is not one)' ||
	fail "stdout a pipe: no clear message"
start_ui 100 30 -- -u -p "$pid" '</dev/null'
wait_screen 'VASX-EXIT=0'
screen | grep -q 'NULL trap' || fail "stdin /dev/null with a pid: not the graph"
start_ui 100 30 -- -p "$pid" '>&-'
wait_screen 'VASX-EXIT=1'
screen | grep -q 'vasx: cannot write the output: Bad file descriptor' ||
	fail "stdout closed: no clear message"
rm -f "$tmp/stty"
start_ui 100 30 -- -p "$pid" '2>&-'
wait_screen "pid $pid vasx-testproc"
keys q
check_restored 0
echo "$suite: without a terminal on stdin or stdout: a message or the graph"
