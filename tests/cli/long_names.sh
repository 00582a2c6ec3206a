#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Mapped files whose paths are 20, 60 and 200 KiB long (directories nested
# up to 820 deep, each opened from the one before: the kernel prints such a
# path whole in maps; the longest is past the line reader's first block). The graph cuts a long name on the left and must show the
# file's name at the end of it, as for a short one; the text table and
# --maps show it whole; CSV and JSON give it back whole; no line is
# skipped. The paths are read from /proc/PID/maps, not from vasx.
. "$(dirname "$0")/cli_lib"

command -v python3 >/dev/null 2>&1 || { echo "$me: python3 is not installed" >&2; exit 77; }

mkfifo "$tmp/hold" || exit 1
exec 3<>"$tmp/hold"
# The helper maps one file at the bottom of each deep tree and waits.
python3 "$TOP/tests/vasx-deepmap.py" "$tmp" 20:lib-END20.so 60:lib-END60.dat 200:lib-END200.bin \
	<"$tmp/hold" >"$tmp/helper.out" 2>"$tmp/helper.err" &
hp=$!
pids="$pids $hp"
n=0
while ! grep -q '^ready' "$tmp/helper.out" 2>/dev/null; do
	n=$((n + 1))
	[ $n -gt 200 ] && { cat "$tmp/helper.err" >&2; fail "the helper did not start"; finish; }
	sleep 0.05
done
cp "/proc/$hp/maps" "$tmp/maps"

out() {
	f=$1
	shift
	"$VASX" -p "$hp" "$@" >"$tmp/o.$f" 2>"$tmp/e.$f" || fail "vasx $*: exit $?: $(head -c 300 "$tmp/e.$f")"
	! grep -q skipped "$tmp/e.$f" || fail "vasx $*: a line was skipped: $(head -c 300 "$tmp/e.$f")"
}
out graph --graph
out graph_wide --graph --width=200
out table --table
out maps --maps
out csv_table --table --format=csv
out csv_maps --maps --format=csv
out json --json
out json_table --table --format=json
out json_maps --maps --format=json
out jsonl_maps --maps --format=jsonl

python3 - "$tmp" <<'EOF' && ok "paths of 20, 60 and 200 KiB: the graph ends them with the file name, tables show them whole, CSV and JSON give them back whole"
import csv, io, json, os, sys

tmp = sys.argv[1]
bad = 0
csv.field_size_limit(1 << 24)


def no(msg):
    global bad
    bad += 1
    print("FAIL:", msg, file=sys.stderr)


def load(f):
    return open(os.path.join(tmp, "o." + f), encoding="utf-8").read()


paths = {}
for line in open(os.path.join(tmp, "maps")):
    p = line.rstrip("\n").split(None, 5)[-1]
    for end in ("lib-END20.so", "lib-END60.dat", "lib-END200.bin"):
        if p.endswith("/" + end):
            paths[end] = p
if sorted(len(p) // 1024 for p in paths.values()) != [20, 60, 200]:
    no("the kernel does not print the paths whole: %r" % {k: len(v) for k, v in paths.items()})
    sys.exit(1)

# The graph: the row of each name is cut on the left and ends with it.
for f in ("graph", "graph_wide"):
    rows = load(f).split("\n")
    for end, p in paths.items():
        row = [r for r in rows if r.startswith("|") and "/" + end in r]
        if len(row) != 1:
            no("%s: %d rows show %s" % (f, len(row), end))
            continue
        shown = row[0][1:].lstrip(" >").split("...", 1)
        tail = shown[-1].split("/" + end)[0] + "/" + end
        if len(shown) != 2 or not p.endswith(tail) or len(tail) < len(end) + 8:
            no("%s: the row of %s is not the end of its path: %r" % (f, end, row[0]))

# The text tables: whole.
for f in ("table", "maps"):
    text = load(f)
    for end, p in paths.items():
        if p not in text:
            no("%s does not show the path of %s whole" % (f, end))

# CSV and JSON: the same bytes back.
for f in ("csv_table", "csv_maps"):
    fields = set(x for r in csv.reader(io.StringIO(load(f), newline="")) for x in r)
    for end, p in paths.items():
        if p not in fields:
            no("%s does not give back the path of %s" % (f, end))
docs = {"json": [m["path"] for m in json.loads(load("json"))["mappings"]],
        "json_table": [m["path"] for m in json.loads(load("json_table"))],
        "json_maps": [m["path"] for m in json.loads(load("json_maps"))],
        "jsonl_maps": [json.loads(l)["path"] for l in load("jsonl_maps").split("\n") if l]}
for f, got in docs.items():
    for end, p in paths.items():
        if p not in got:
            no("%s does not give back the path of %s" % (f, end))
sys.exit(1 if bad else 0)
EOF
[ $? -eq 0 ] || fail "long paths (see above)"

finish
