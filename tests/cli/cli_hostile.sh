#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Hostile input: the hand-made trees of tests/fixtures/hostile (truncated
# lines, huge paths, non-hex digits, reversed ranges, escape sequences,
# unknown counters, overflowing numbers, a kernel thread) and a live file
# named with an escape sequence and a newline. Nothing may crash, no
# control byte may reach a terminal, CSV and JSON stay valid, a name that
# is valid UTF-8 comes back byte for byte from JSON, and CSV holds the
# escaped form the terminal shows.
. "$(dirname "$0")/cli_lib"

H="$TOP/tests/fixtures/hostile"
[ -d "$H" ] || { echo "cli_hostile: no fixture $H" >&2; exit 77; }

for pid in 1001 1002 1003 1004 1005 1006 1007 1008; do
	for args in --graph "--graph -v" --table "--table --format=csv" "--table --format=json" \
		    --json "--maps --format=text" "--maps --format=csv" "--maps --format=json" \
		    "--maps --format=jsonl"; do
		"$VASX" --proc-root "$H" -p "$pid" $args >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ $rc -eq 0 ] || { fail "$pid $args: exit $rc: $(cat "$tmp/err")"; continue; }
		case $args in
		*--format=csv*)
			"$CHECK" csv <"$tmp/out" >/dev/null || fail "$pid $args: invalid CSV" ;;
		*jsonl*)
			[ ! -s "$tmp/out" ] || "$CHECK" json -l <"$tmp/out" || fail "$pid $args: invalid JSON Lines" ;;
		*json*)
			"$CHECK" json <"$tmp/out" || fail "$pid $args: invalid JSON" ;;
		esac
		# CSV and JSON too: they are printed on terminals as often as not
		! has_ctrl "$tmp/out" || fail "$pid $args: a control byte reaches the terminal"
		! has_ctrl "$tmp/err" || fail "$pid $args: a control byte in the message"
	done
done
ok "every hostile tree, every output: no crash, valid CSV/JSON, nothing raw for a terminal"

# The escape case: every UTF-8 name round-trips exactly through JSON; CSV
# holds the escaped form, as the terminal shows it.
"$VASX" --proc-root "$H" -p 1005 --json >"$tmp/j"
"$VASX" --proc-root "$H" -p 1005 --table --format=csv >"$tmp/c"
while IFS=' ' read -r raw esc; do
	name=$(printf "$raw")
	"$CHECK" csv -f "$esc" <"$tmp/c" >/dev/null || fail "CSV does not hold the escaped form $esc"
	case $raw in *'\377'*) continue ;; esac
	"$CHECK" json -f "path=$name" <"$tmp/j" || fail "JSON does not give back $(printf '%s' "$name" | od -c | head -2)"
done <<'EOF'
/tmp/\033[2J\033[Hcleared /tmp/\x1b[2J\x1b[Hcleared
/tmp/\033]0;pwned\007title /tmp/\x1b]0;pwned\x07title
/tmp/\033[31mred\033[0m /tmp/\x1b[31mred\x1b[0m
/tmp/ctl\001\002\003\010\177 /tmp/ctl\x01\x02\x03\x08\x7f
/tmp/\342\200\256txt.exe /tmp/\xe2\x80\xaetxt.exe
/tmp/tab\there /tmp/tab\x09here
[anon:\033[5mblink] [anon:\x1b[5mblink]
/tmp/new\nline /tmp/new\x0aline
/tmp/bad\377\376utf8 /tmp/bad\xff\xfeutf8
EOF
grep -q '"path":"/tmp/bad\\u00ff\\u00feutf8"' "$tmp/j" || fail "bytes that are not UTF-8 are not \\u00XX in JSON"
"$CHECK" json -f "comm=$(printf 'x) R 9 (\033[2J')" <"$tmp/j" || fail "JSON comm"
"$VASX" --proc-root "$H" -p 1005 --graph >"$tmp/g"
grep -qF '/tmp/\x1b[2J\x1b[Hcleared' "$tmp/g" || fail "graph does not show the escape sequence escaped"
grep -qF 'x) R 9 (\x1b[2J' "$tmp/g" || fail "graph does not show the command name escaped"
ok "names with escape sequences: escaped on the terminal and in CSV, exact in JSON"

# Live: the helper's file named ESC[31mevil newline name.
if start_testproc --evil --spaces; then
	dir=$(awk '$1 == "dir" { print $2 }' "$tmp/tp.out")
	evil="$dir/$(printf '\033[31mevil')
name"
	"$VASX" -p "$tp" --json | "$CHECK" json -f "path=$evil" || fail "live: JSON does not give back the evil name"
	"$VASX" -p "$tp" --table --format=csv | "$CHECK" csv -f "$dir/\x1b[31mevil\x0aname" >/dev/null ||
		fail "live: CSV"
	"$VASX" --maps -p "$tp" --format=jsonl | "$CHECK" json -l -f "path=$evil" || fail "live: --maps jsonl"
	for args in --graph --table --maps; do
		"$VASX" -p "$tp" $args >"$tmp/out" || fail "live $args"
		! has_ctrl "$tmp/out" || fail "live $args: a control byte reaches the terminal"
		grep -qF '\x1b[31mevil\x0aname' "$tmp/out" || fail "live $args: the name is not shown escaped"
	done
	"$VASX" -p "$tp" --json | "$CHECK" json -f "path=$dir/file with spaces.dat" || fail "live: name with spaces"
	ok "live file named with an escape sequence and a newline"
else
	echo "note: no test helper ($TESTPROC): live hostile names skipped"
fi

finish
