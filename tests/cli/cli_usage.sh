#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The command line itself: --help and --version, exit status 2 with one
# sentence for each kind of usage error, 1 for a process that does not
# exist, and a bare PID meaning the same as -p PID.
. "$(dirname "$0")/cli_lib"

"$VASX" --help >"$tmp/help" 2>"$tmp/err"
[ $? -eq 0 ] && [ -s "$tmp/help" ] && [ ! -s "$tmp/err" ] || fail "--help: exit 0, text on stdout only"
grep -q '^Usage: vasx' "$tmp/help" || fail "--help starts with a usage line"
awk 'length($0) > 79 { bad = 1 } END { exit bad }' "$tmp/help" || fail "--help fits 80 columns"
# Every long option of the option table is in --help.
for o in $(sed -n 's/^[[:space:]]*{ "\([a-z][a-z-]*\)", \(no\|required\|optional\)_argument.*/\1/p' \
		"$TOP"/tui/main.c); do
	grep -q -e "--$o" "$tmp/help" || fail "--help lacks --$o"
done
ok "--help"

v=$("$VASX" --version) || fail "--version exits 0"
case $v in "vasx "[0-9]*.[0-9]*) ok "--version: $v" ;; *) fail "--version printed '$v'" ;; esac

# usage_error ARGS...: exit 2, nothing on stdout, one line on stderr naming --help.
usage_error() {
	"$VASX" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	[ $rc -eq 2 ] || fail "vasx $*: exit $rc, not 2"
	[ ! -s "$tmp/out" ] || fail "vasx $*: printed on stdout"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "vasx $*: not one line on stderr"
	grep -q '^vasx: .*--help' "$tmp/err" || fail "vasx $*: no hint to --help: $(cat "$tmp/err")"
}
usage_error --bogus
usage_error -p
usage_error -p abc
usage_error -p 1,2 --graph
usage_error --graph --table -p 1
usage_error --only-user --only-kernel -p 1
usage_error --format=xml --table -p 1
usage_error --format=csv -p 1
usage_error --format=jsonl --table -p 1
usage_error --regex 'x' -p 1
usage_error --maps --regex '('
usage_error --locate=zz -p 1
usage_error --locate=0x1000,abc -p 1
usage_error --delay=0
usage_error --width=-3 -p 1
usage_error --width=1000000 -p 1
usage_error --width=4097 -p 1
usage_error --width=59 -p 1
usage_error --width=100.5 -p 1
usage_error --width=0x100 -p 1
usage_error --table --only-user -p 1
usage_error --json --locate=0x1000 -p 1
usage_error --maps --verbose
usage_error --table --width=100 -p 1
usage_error --diff /tmp /tmp --only-user
usage_error 1 2
usage_error
ok "usage errors exit 2"

# A pid that does not exist: exit 1, the sentence, nothing on stdout.
gone=4194303
while [ -d "/proc/$gone" ]; do gone=$((gone - 1)); done
"$VASX" -p "$gone" --graph >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "missing pid: exit $rc"
[ ! -s "$tmp/out" ] || fail "missing pid: printed on stdout"
grep -qx "vasx: no process with pid $gone" "$tmp/err" || fail "missing pid said: $(cat "$tmp/err")"
ok "a pid that does not exist"

# --width takes 60 to 4096 and the graph's box is 17 columns narrower; the
# terminal's width or $COLUMNS is brought into that range, never refused.
start_sleeper
box() {
	awk '/^\+-+\+ / { print length($1); exit }'
}
for w in 60 4096; do
	[ "$("$VASX" -p "$sp" --graph --width=$w | box)" = $((w - 17)) ] || fail "--width=$w"
done
[ "$("$VASX" -p "$sp" --graph --width 61 | box)" = 44 ] || fail "--width 61"
for cols in 10:43 200:183 5000:4079 99999999999999999999:4079; do
	[ "$(COLUMNS=${cols%:*} "$VASX" -p "$sp" --graph | head -c 100000 | box)" = "${cols#*:}" ] ||
		fail "COLUMNS=${cols%:*} does not give a box of ${cols#*:}"
done
"$VASX" --width=1000000 -p "$sp" 2>"$tmp/err" >/dev/null
grep -qx "vasx: '1000000' is not a width: give 60 to 4096 columns (see vasx --help)" "$tmp/err" ||
	fail "--width out of range said: $(cat "$tmp/err")"
ok "--width: 60 to 4096 columns, the default kept in that range"

# A bare PID is -p PID; without a terminal the default is the graph.
"$VASX" -p "$sp" --graph >"$tmp/a" || fail "vasx -p $sp --graph"
"$VASX" "$sp" </dev/null >"$tmp/b" || fail "vasx $sp"
cmp -s "$tmp/a" "$tmp/b" || fail "vasx PID differs from vasx -p PID --graph"
"$VASX" --pid="$sp" -g >"$tmp/c" && cmp -s "$tmp/a" "$tmp/c" || fail "--pid=PID -g differs"
ok "bare PID, -p, --pid= and the default graph agree"

finish
