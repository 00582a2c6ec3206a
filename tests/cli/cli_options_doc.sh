#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The documentation stays true: every long option of the getopt tables in
# tui/*.c is documented in man/vasx.1 (an entry of OPTIONS), in README.md
# and in --help; and every option the man page documents exists.
. "$(dirname "$0")/cli_lib"

sed -n 's/.*{ *"\([a-z][a-z0-9-]*\)", *\(no\|required\|optional\)_argument.*/\1/p' \
	"$TOP"/tui/*.c | sort -u >"$tmp/table"
[ "$(wc -l <"$tmp/table")" -gt 10 ] || fail "found only $(wc -l <"$tmp/table") long options in tui/*.c"

# The man page's option entries: the line after each .TP in OPTIONS.
sed 's/\\-/-/g' "$TOP/man/vasx.1" >"$tmp/man"
awk '/^\.SH OPTIONS/ { on = 1; next } /^\.SH / { on = 0 }
	on && tp { print; tp = 0 } on && /^\.TP/ { tp = 1 }' "$tmp/man" |
	grep -o -e '--[a-z][a-z0-9-]*' | sed 's/^--//' | sort -u >"$tmp/manopts"
"$VASX" --help >"$tmp/help"

while read -r o; do
	grep -qx "$o" "$tmp/manopts" || fail "--$o is not an entry of OPTIONS in man/vasx.1"
	grep -q -e "--$o\b" "$TOP/README.md" || fail "--$o is not in README.md"
	grep -q -e "--$o\b" "$tmp/help" || fail "--$o is not in --help"
done <"$tmp/table"
while read -r o; do
	grep -qx "$o" "$tmp/table" || fail "man/vasx.1 documents --$o, which no option table has"
done <"$tmp/manopts"
ok "$(wc -l <"$tmp/table") long options: in man/vasx.1, README.md and --help, and no more"

# The exit statuses: the same list in --help, README.md and vasx(1).
awk '/^Exit status:/ { on = 1 } on && /^$/ { exit } on' "$tmp/help" |
	grep -o -E '\b[0-9]+(\+N)?\b' | sort -u >"$tmp/st.help"
awk '/^### Errors and exit status/ { on = 1; next } /^#/ { on = 0 } on' "$TOP/README.md" |
	sed -n 's/^| \([0-9][0-9+N]*\) |.*/\1/p' | sort -u >"$tmp/st.readme"
awk '/^\.SH EXIT STATUS/ { on = 1; next } /^\.SH / { on = 0 }
	on && tp { print; tp = 0 } on && /^\.TP/ { tp = 1 }' "$tmp/man" |
	sed 's/^\.[BI]* *//; s/ //g' | sort -u >"$tmp/st.man"
grep -qx 128+N "$tmp/st.man" && [ "$(wc -l <"$tmp/st.man")" -ge 4 ] ||
	fail "found only these exit statuses in vasx(1): $(echo $(cat "$tmp/st.man"))"
for d in help readme; do
	cmp -s "$tmp/st.man" "$tmp/st.$d" ||
		fail "exit statuses: vasx(1) has $(echo $(cat "$tmp/st.man")), $d has $(echo $(cat "$tmp/st.$d"))"
done
ok "exit statuses $(echo $(cat "$tmp/st.man")): in man/vasx.1, README.md and --help"

# The man page renders without warnings.
if command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 -ww -z "$TOP/man/vasx.1" 2>"$tmp/groff"
	[ ! -s "$tmp/groff" ] || fail "groff warns: $(head -3 "$tmp/groff")"
	ok "man page renders cleanly"
fi

finish
