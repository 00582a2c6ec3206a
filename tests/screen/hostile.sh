#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The explorer on a process whose mapped files are named to attack a
# terminal (tests/vasx-mapnames.c): escape sequences that clear the screen,
# set the title, move the cursor, leave the alternate screen, set the
# clipboard (OSC 52), C1 controls, bidirectional and invisible characters,
# bytes that are not UTF-8, a path of 4,000 bytes; its name and command
# line hold escape sequences too. Walking over every region with its
# details, searching for part of a name (typed with a C1 control in it),
# the change log of the names unmapped and mapped again, and the process
# list: the names are shown escaped, the pane's title and the clipboard
# never change (tmux takes OSC 52 here: set-clipboard on), the terminal's
# modes stay the explorer's, the screen keeps its frame, and after q the
# shell's terminal is sane.
set -u
suite=hostile
. "$(dirname "$0")/lib.inc"

HELPER="${B:-$(dirname "$VASX")/build}/tests/vasx-mapnames"
[ -x "$HELPER" ] || { echo "$suite: $HELPER is not built (make helpers)" >&2; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "$suite: python3 is not installed" >&2; exit 77; }

TITLE=vasx-test-title
COLS=140 ROWS=45

# Fresh tmux that takes OSC 52 into a paste buffer and OSC 0/2 into the
# pane title; the command waits for a line on its stdin before it starts.
tmux_with() {
	T kill-server 2>/dev/null
	nsock=$((nsock + 1))
	sock="vasx-$suite-$$-$nsock"
	socks="$socks $sock"
	printf 'set -g status off\nset -g set-clipboard on\n' >"$tmp/tmux.conf"
	T -f "$tmp/tmux.conf" new-session -d -x $COLS -y $ROWS "read go; $1" ||
		fail "tmux would not start"
	T select-pane -t 0 -T "$TITLE"
}

# The sequences do reach this tmux when printed raw: else the test proves nothing.
tmux_with "printf '\\033]52;c;cHduZWQ=\\007\\033]2;PWNED\\007'; echo printed; sleep 600"
keys Enter
wait_screen printed
skip() {
	echo "$suite: this tmux ($(tmux -V)) $1: nothing to test against" >&2
	exit 77
}
T list-buffers | grep -q . || skip "does not take OSC 52 into its buffers"
[ "$(T display-message -p -t 0 '#{pane_title}')" = PWNED ] || skip "does not set the pane title from OSC 2"

mkdir "$tmp/n" && mkfifo "$tmp/hold" || exit 1
exec 3<>"$tmp/hold"
# Started from $tmp by a short relative name, so that its whole command line
# fits the process list however deep the checkout lies.
ln -s "$HELPER" "$tmp/vasx-mapnames" || exit 1
(cd "$tmp" && exec ./vasx-mapnames n "arg$(printf '\033]2;ARGTITLE\007\033[2J')") \
	<"$tmp/hold" >"$tmp/names" 2>"$tmp/helper.err" &
tp=$!
n=0
while ! grep -q '^ready' "$tmp/names" 2>/dev/null; do
	n=$((n + 1))
	[ $n -gt 100 ] && { cat "$tmp/helper.err" >&2; fail "the helper did not start"; }
	sleep 0.05
done

tmux_with "env TERM=xterm-256color LANG=C.UTF-8 $VASX -d 0.5 -p $tp; echo VASX-EXIT=\$?; stty -a >$tmp/stty; sleep 600"
keys Enter

# intact WHERE: nothing a name held has acted on the terminal.
intact() {
	[ "$(T display-message -p -t 0 '#{pane_title}')" = "$TITLE" ] ||
		fail "$1: the pane title became $(T display-message -p -t 0 '#{pane_title}')"
	T list-buffers | grep -q . && fail "$1: the clipboard was set: $(T list-buffers)"
	f=$(T display-message -p -t 0 'alt=#{alternate_on} cursor=#{cursor_flag} insert=#{insert_flag} origin=#{origin_flag}')
	[ "$f" = "alt=1 cursor=0 insert=0 origin=0" ] || fail "$1: terminal modes $f"
	screen >"$tmp/screen"
	python3 - "$tmp/screen" $ROWS <<'EOF' || fail "$1: the screen lost its frame"
import sys, unicodedata
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")[:int(sys.argv[2])]
ok = rows[0].startswith(" pid ") and "F10Quit" in rows[-1]
# the divider between the panes is in one column on every row of the body
cols = set()
for r in rows[2:-2]:
    at = r.find("\u2502")
    if at >= 0:
        cols.add(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in r[:at]))
if not ok or len(cols) != 1:
    print("frame: header/bar %s, divider columns %s" % (ok, sorted(cols)), file=sys.stderr)
    sys.exit(1)
EOF
}

wait_screen 'F10Quit'
wait_screen 'clear-screen'
intact "first frame"
screen | grep -qF '\x1b[2J\x1b[Hclear-screen' || fail "the clear-screen name is not shown escaped"
screen | grep -qF "pid $tp "'\x1b]0;CT\x07\x1b[2J!' || fail "the process name is not shown escaped"

# Every region, each with its details: the whole list, from the top.
keys g
wait_screen '^(▶|>)f'
last= n=0
while [ $n -lt 200 ]; do
	keys j
	n=$((n + 1))
	# each step drawn before the next: the walk sees every region
	k=0
	while cur=$(selected_line) && [ "$cur" = "$last" ] && [ $k -lt 100 ]; do
		sleep 0.02
		k=$((k + 1))
	done
	[ "$cur" = "$last" ] && break
	last=$cur
	screen >>"$tmp/walk"
done
intact "walking over every region"
for s in 'cHduZWQ=\x07osc52-clipboard' 'leave-alt-screen\x1b[?25l' '\x1bcfull-reset' \
	 '\xc2\x9b2J-c1-csi-utf8' '\x9b2J-c1-raw-byte' '\xe2\x80\xaetxt.exe' 'new\x0aline' \
	 'zwj\xe2\x80\x8dbom' 'bad\xff\xfeutf8' 'tab\x09here' 'cr\x0dreturn' '\x1b[2J!L'; do
	grep -qF -- "$s" "$tmp/walk" || fail "walk: $s is never shown"
done
grep -q 'Path .*/n/' "$tmp/walk" || fail "walk: the details never show a path"
grep -qF 'Thread  \x1b]2;THR\x07\x1b[2J#' "$tmp/walk" || grep -qF '(\x1b]2;THR\x07\x1b[2J#)' "$tmp/walk" ||
	fail "walk: the details never show the thread's name escaped"

# Search for part of a name: plain, then typed with a C1 control in it.
keys /
keys -l PWNED-TITLE2
keys Enter
wait_screen 'match'
screen | grep -F 'Path    ' | grep -qF '/n/\x1b]2;PWNED-TITLE2\x1b\\osc-' ||
	fail "search: the details do not show the found path escaped"
keys /
keys -l "$(printf '\302\2332J-c1')"
wait_screen 'Search.*\\xc2\\x9b2J-c1'
keys Enter
wait_screen 'match'
screen | grep -F 'Path    ' | grep -qF '/n/\xc2\x9b2J-c1-csi-' ||
	fail "search with a C1 control: not found, or not shown escaped"
intact "searching"

# The change log: every file unmapped and mapped again elsewhere.
kill -USR1 "$tp"
wait_screen 'Changes \([1-9]'
wait_screen 'removed .*\\x1b'
intact "the change log"

# The process list shows the name and command line escaped.
keys p
wait_screen 'processes: [0-9]+ of'
keys "$tp"
wait_screen "^ *$tp "
screen | grep "^ *$tp " | grep -qF 'arg\x1b]2;ARGTITLE\x07' || fail "picker: the command line is not shown escaped"
# Cut short, the command line keeps whole escapes: never "ARGTITLE\x…",
# which would read as other text. Widths that end inside "\x07" and after it.
row=$(screen | grep "^ *$tp ")
pre=${row%%'\x07'*}
at=$(printf '%s' "$pre" | LC_ALL=C.UTF-8 wc -m)
for w in $((at + 1)) $((at + 2)) $((at + 3)) $((at + 4)); do
	# from the whole row, so that one ending in "…" is drawn at this width
	T resize-window -t 0 -x $COLS -y $ROWS
	wait_screen "^ *$tp .*ARGTITLE.x07"
	T resize-window -t 0 -x "$w" -y $ROWS
	wait_screen "^ *$tp .*…\$"
	row=$(screen | grep "^ *$tp ")
	case $row in
	*'ARGTITLE…') ;;
	*) fail "picker at $w columns: the command line is cut inside an escape: $row" ;;
	esac
done
T resize-window -t 0 -x $COLS -y $ROWS
wait_screen "^ *$tp .*ARGTITLE.x07"
keys Enter Enter
wait_screen "pid $tp "
f=$(T display-message -p -t 0 '#{pane_title}')
[ "$f" = "$TITLE" ] || fail "picker: the pane title became $f"

keys q
check_restored 0
[ "$(T display-message -p -t 0 '#{pane_title}')" = "$TITLE" ] || fail "after q: the pane title changed"
T list-buffers | grep -q . && fail "after q: the clipboard was set"

# The batch outputs printed on this terminal (in colour) act on it no more.
tmux_with "for a in '--graph -v' '--table' '--maps' '--json' '--table --format=csv'; do env TERM=xterm-256color LANG=C.UTF-8 $VASX -p $tp \$a; done; echo BATCH-DONE; sleep 600"
keys Enter
wait_screen 'BATCH-DONE'
[ "$(T display-message -p -t 0 '#{pane_title}')" = "$TITLE" ] || fail "batch: the pane title changed"
T list-buffers | grep -q . && fail "batch: the clipboard was set"
f=$(T display-message -p -t 0 'alt=#{alternate_on} cursor=#{cursor_flag} insert=#{insert_flag} mouse=#{mouse_any_flag}')
[ "$f" = "alt=0 cursor=1 insert=0 mouse=0" ] || fail "batch: terminal modes $f"

# A terminal that is not UTF-8 gets ASCII only: every other byte escaped
# (a raw 0x9b there may be CSI), so names still read apart.
rm -f "$tmp/stty"
tmux_with "env TERM=xterm LANG=C LC_ALL=C $VASX -d 0.5 -p $tp; echo VASX-EXIT=\$?; stty -a >$tmp/stty; sleep 600"
keys Enter
wait_screen 'F10Quit'
keys /
keys -l caf
keys Enter
wait_screen 'caf\\xc3\\xa9-\\xe6\\x97\\xa5'
screen | LC_ALL=C grep -q '[^ -~]' && fail "ASCII terminal: a byte above ASCII on the screen"
keys q
check_restored 0
[ "$(T display-message -p -t 0 '#{pane_title}')" = "$TITLE" ] || fail "ASCII: the pane title changed"
echo "hostile: ok"
