#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Skipped lines are reported by file and by kind. Trees made from
# tests/fixtures/sleep: a mapping line broken in both maps and smaps (as
# the kernel would print both) and a counter line broken in smaps; a maps
# line broken while smaps is whole; an smaps of one garbage line. --graph
# and --maps read maps; --table and --json read smaps and not maps, so
# they must name smaps and split its count into mapping and counter lines,
# and JSON must say which file was read (null for the other).
. "$(dirname "$0")/cli_lib"

command -v python3 >/dev/null 2>&1 || { echo "$me: python3 is not installed" >&2; exit 77; }
FIX="$TOP/tests/fixtures/sleep"
PID=3958
[ -d "$FIX/$PID" ] || { echo "$me: no fixture $FIX" >&2; exit 77; }

# tree NAME: a copy of the fixture, its path in $T
tree() {
	T="$tmp/$1"
	mkdir "$T" && cp -R "$FIX/." "$T/" || exit 1
}

# run NAME TREE ARGS...: stdout in $tmp/NAME.out, stderr in $tmp/NAME.err
run() {
	name=$1 root=$2
	shift 2
	"$VASX" --proc-root "$root" -p "$PID" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" ||
		fail "$name: vasx $*: exit $?: $(head -c 300 "$tmp/$name.err")"
}

# expect_err NAME TEXT: stderr is exactly TEXT (one line, or nothing)
expect_err() {
	if [ -z "$2" ]; then
		[ ! -s "$tmp/$1.err" ] || fail "$1: unexpected warning: $(cat "$tmp/$1.err")"
	else
		printf '%s\n' "$2" | cmp -s - "$tmp/$1.err" ||
			fail "$1: stderr is '$(cat "$tmp/$1.err")', not '$2'"
	fi
}

# expect_json NAME KEY=VALUE...: members of "problems" (VALUE as JSON)
expect_json() {
	python3 - "$tmp/$1.out" "$@" <<'EOF' || fail "$1: problems in JSON (see above)"
import json, sys
p = json.load(open(sys.argv[1]))["problems"]
bad = 0
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    if k not in p or p[k] != json.loads(v):
        print("FAIL: %s: problems.%s is %r, not %s" % (sys.argv[2], k, p.get(k, "absent"), v),
              file=sys.stderr)
        bad += 1
sys.exit(bad)
EOF
}

# A: the second mapping's line broken in maps and in smaps (perms r-xq), and
# a counter broken in a later block. smaps then skips the header, the K
# counters that follow it (they belong to no mapping) and the bad counter.
tree both
B="$T"
sed -i '2s/ r-xp / r-xq /' "$B/$PID/maps"
python3 - "$B/$PID/smaps" <<'EOF' || exit 1
import re, sys
path = sys.argv[1]
lines = open(path).read().split("\n")
heads = [i for i, l in enumerate(lines) if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", l)]
lines[heads[1]] = lines[heads[1]].replace(" r-xp ", " r-xq ", 1)
rss = [i for i in range(heads[3], heads[4]) if lines[i].startswith("Rss:")][0]
lines[rss] = lines[rss].replace(" kB", " kX")
open(path, "w").write("\n".join(lines))
print(heads[2] - heads[1] - 1, file=open(path + ".k", "w"))
EOF
K=$(cat "$B/$PID/smaps.k")
rm "$B/$PID/smaps.k"
[ "$K" -gt 10 ] || fail "the fixture's second block has $K counters"
C=$((K + 1))

run graph_a "$B" --graph
expect_err graph_a "vasx: warning: skipped 1 malformed line of $B/$PID/maps"
run maps_a "$B" --maps
expect_err maps_a "vasx: warning: skipped 1 malformed line of $B/$PID/maps"
run table_a "$B" --table
expect_err table_a "vasx: warning: skipped $((C + 1)) malformed lines of $B/$PID/smaps (mapping lines: 1, counter lines: $C)"
run json_a "$B" --json
expect_err json_a "vasx: warning: skipped $((C + 1)) malformed lines of $B/$PID/smaps (mapping lines: 1, counter lines: $C)"
expect_json json_a maps_malformed=1 smaps_malformed=$C maps_lines_skipped=null \
	smaps_lines_skipped=$((C + 1))
ok "a bad mapping line and a bad counter: maps named by --graph and --maps, smaps split by --table and --json"

# B: maps broken, smaps whole: what reads smaps skipped nothing.
tree maps_only
sed -i '3s/^\([0-9a-f]*\)-/\1+/' "$T/$PID/maps"
run graph_b "$T" --graph
expect_err graph_b "vasx: warning: skipped 1 malformed line of $T/$PID/maps"
run table_b "$T" --table
expect_err table_b ""
run json_b "$T" --json
expect_err json_b ""
expect_json json_b maps_malformed=0 smaps_malformed=0 maps_lines_skipped=null smaps_lines_skipped=0
ok "a bad line in maps alone: not reported by what reads smaps"

# C: smaps of one garbage line (no mapping at all): still smaps's line.
tree garbage
printf 'garbage\n' >"$T/$PID/smaps"
run table_c "$T" --table
expect_err table_c "vasx: warning: skipped 1 malformed line of $T/$PID/smaps (mapping lines: 0, counter lines: 1)"
run json_c "$T" --json
expect_json json_c maps_malformed=0 smaps_malformed=1 maps_lines_skipped=null smaps_lines_skipped=1
ok "smaps without a mapping: its garbage is reported as smaps's"

# D: no smaps (exit 1, said so), maps read instead: its lines are its own.
tree no_smaps
rm "$T/$PID/smaps"
sed -i '3s/^\([0-9a-f]*\)-/\1+/' "$T/$PID/maps"
"$VASX" --proc-root "$T" -p "$PID" --json >"$tmp/json_d.out" 2>"$tmp/json_d.err"
[ $? -eq 1 ] || fail "json_d: no smaps is not exit 1"
grep -qx "vasx: warning: skipped 1 malformed line of $T/$PID/maps" "$tmp/json_d.err" ||
	fail "json_d: stderr does not name maps: $(cat "$tmp/json_d.err")"
expect_json json_d maps_malformed=1 smaps_malformed=0 maps_lines_skipped=1 smaps_lines_skipped=null
ok "without smaps, maps's lines are reported as maps's"

finish
