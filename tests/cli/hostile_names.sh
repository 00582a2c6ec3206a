#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Real mapped files whose names attack a terminal (tests/vasx-mapnames.c:
# clear screen, titles, cursor moves, OSC 52, DCS, C1 controls, newline,
# tab, CR, bytes that are not UTF-8, bidirectional and invisible
# characters, a path of 4,000 bytes), mapped by a process whose name and
# command line hold escape sequences too. In every output, independently
# of vasx's own code: what goes to a terminal (graph, tables, maps, watch,
# diff) holds no control byte, no C1, no bidirectional or invisible
# character and only valid UTF-8, and shows each name in the escaped form
# vasx(1) documents; CSV parses with Python's csv module (UTF-8, the same
# number of fields in every row) and holds the same escaped form; JSON and
# JSON Lines parse with Python's json module and give back each name
# (valid UTF-8 as it is, other bytes as the character of their value).
. "$(dirname "$0")/cli_lib"

HELPER="$B/tests/vasx-mapnames"
[ -x "$HELPER" ] || { echo "$me: $HELPER is not built (make helpers)" >&2; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "$me: python3 is not installed" >&2; exit 77; }

mkdir "$tmp/n" && mkfifo "$tmp/hold" || exit 1
# the helper lives until this shell closes the fifo's other end
exec 3<>"$tmp/hold"
"$HELPER" "$tmp/n" "arg$(printf '\033]0;ARGTITLE\007\033[2J')" <"$tmp/hold" >"$tmp/names" 2>"$tmp/helper.err" &
hp=$!
pids="$pids $hp"
n=0
while ! grep -q '^ready' "$tmp/names" 2>/dev/null; do
	n=$((n + 1))
	[ $n -gt 100 ] && { cat "$tmp/helper.err" >&2; fail "the helper did not start"; finish; }
	sleep 0.05
done

# Every output, each to its own file; a failing run is a failure.
out() {
	f=$1
	shift
	"$VASX" "$@" >"$tmp/o.$f" 2>"$tmp/e.$f" || fail "vasx $*: exit $?: $(head -c 300 "$tmp/e.$f")"
}
out graph -p "$hp" --graph
out graph_v -p "$hp" --graph -v --width=200
# names cut to many widths: the cut must never fall inside an escape
for w in $(seq 60 79); do
	"$VASX" -p "$hp" --graph -u --width=$w || fail "--graph -u --width=$w"
done >"$tmp/o.graphs" 2>/dev/null
out locate -p "$hp" --graph --locate="$(awk '/\/n\/.*clear-screen/ { split($1, a, "-"); print a[1]; exit }' /proc/$hp/maps)"
out table -p "$hp" --table
out maps -p "$hp" --maps
out csv_table -p "$hp" --table --format=csv
out csv_maps -p "$hp" --maps --format=csv
out json -p "$hp" --json
out json_table -p "$hp" --table --format=json
out json_maps -p "$hp" --maps --format=json
out jsonl_maps -p "$hp" --maps --format=jsonl
out jsonl_all --maps --format=jsonl
out export -p "$hp" --graph --export-maps="$tmp/o.csv_export"
"$VASX" -p "$hp" --save="$tmp/before" >/dev/null 2>&1 || fail "--save"
out saved --proc-root "$tmp/before" -p "$hp" --graph --width=200

# The names again, elsewhere: --watch and --diff report them.
"$VASX" -p "$hp" --watch=0.1 >"$tmp/o.watch" 2>"$tmp/e.watch" &
wp=$!
pids="$pids $wp"
sleep 0.5
kill -USR1 "$hp"
n=0
while ! grep -q '^toggled 1' "$tmp/names" && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
n=0
while [ "$(grep -c 'clear-screen' "$tmp/o.watch")" -lt 2 ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
kill "$wp"
"$VASX" -p "$hp" --save="$tmp/after" >/dev/null 2>&1 || fail "--save after"
out diff --diff "$tmp/before" "$tmp/after"
out json_diff --diff "$tmp/before" "$tmp/after" --json
# a terminal that is not UTF-8 (script(1) gives vasx one) gets ASCII only
if command -v script >/dev/null 2>&1; then
	script -qec "env LC_ALL=C $VASX -p $hp --maps" /dev/null </dev/null | tr -d '\r' >"$tmp/o.maps_ascii" ||
		fail "--maps on a terminal that is not UTF-8"
else
	echo "note: no script(1): the terminal that is not UTF-8 is not tried"
fi

# A path longer than PATH_MAX (maps prints it whole, as d_path() makes it
# for a file reached through relative directories): every output shows it,
# whole in JSON, and no line is skipped.
mkdir "$tmp/h"
"$HELPER" "$tmp/h" --huge <"$tmp/hold" >"$tmp/huge" 2>"$tmp/huge.err" &
hh=$!
pids="$pids $hh"
n=0
while ! grep -q '^ready' "$tmp/huge" 2>/dev/null; do
	n=$((n + 1))
	[ $n -gt 100 ] && { cat "$tmp/huge.err" >&2; fail "the helper with a huge path did not start"; break; }
	sleep 0.05
done
for args in --graph --table --json --maps "--maps --format=jsonl" "--table --format=csv"; do
	"$VASX" -p "$hh" $args >"$tmp/o.huge" 2>"$tmp/e.huge" || fail "huge path: $args: exit $?"
	grep -q HHHHHHHHHHHHHHHHHHHH "$tmp/o.huge" || fail "huge path: $args does not show the mapping"
	! grep -q 'skipped' "$tmp/e.huge" || fail "huge path: $args skipped a line: $(cat "$tmp/e.huge")"
done
"$VASX" -p "$hh" --json | python3 -c '
import json, sys
n = max(len(m.get("path") or "") for m in json.load(sys.stdin)["mappings"])
sys.exit(0 if n > 4096 else "longest path in --json: %d bytes" % n)' || fail "huge path: --json cuts it"

python3 - "$tmp" "$hp" <<'EOF' && ok "$(grep -c '^name' "$tmp/names") hostile names: terminal outputs escaped, CSV even and escaped, JSON exact"
import csv, io, json, os, re, sys, unicodedata
# a path the kernel prints may pass 128 KiB, csv's default field limit
csv.field_size_limit(1 << 24)

tmp, pid = sys.argv[1], sys.argv[2]
bad = 0


def no(msg):
    global bad
    bad += 1
    print("FAIL:", msg, file=sys.stderr)


# The characters vasx(1) says are escaped (besides invalid UTF-8).
HIDDEN = [(0x00, 0x1f), (0x7f, 0x9f), (0xad, 0xad), (0x61c, 0x61c), (0x180e, 0x180e),
          (0x200b, 0x200f), (0x2028, 0x202e), (0x2060, 0x206f), (0xfeff, 0xfeff),
          (0xfff9, 0xfffb), (0xe0000, 0xe007f)]


def hidden(c):
    return any(a <= ord(c) <= b for a, b in HIDDEN)


# the same, but a newline, as a pattern for whole outputs
RAW = re.compile("[\\x00-\\x09\\x0b-\\x1f" +
                 "".join("\\U%08x-\\U%08x" % r for r in HIDDEN[1:]) + "]")


def chars(raw):
    """(bytes, char or None) for each character or stray byte of raw."""
    i = 0
    while i < len(raw):
        for k in (1, 2, 3, 4):
            try:
                yield raw[i:i + k], raw[i:i + k].decode("utf-8")
                i += k
                break
            except UnicodeDecodeError:
                continue
        else:
            yield raw[i:i + 1], None
            i += 1


def escaped(raw):
    out = []
    for b, c in chars(raw):
        if c == "\\":
            out.append("\\\\")
        elif c is None or hidden(c):
            out.extend("\\x%02x" % x for x in b)
        else:
            out.append(c)
    return "".join(out)


def decoded(raw):
    return "".join(chr(b[0]) if c is None else c for b, c in chars(raw))


# maps prints a newline as "\\012" and a backslash as itself: a name that
# holds "\\012" reads as one with a newline, to vasx as to any reader.
names = [bytes.fromhex(l.split()[1]).replace(b"\\012", b"\n")
         for l in open(os.path.join(tmp, "names")) if l.startswith("name ")]
comm = open("/proc/%s/comm" % pid, "rb").read().rstrip(b"\n")
if len(names) < 30 or not any(len(n) > 3900 for n in names):
    no("the helper did not report its names")


def load(f):
    return open(os.path.join(tmp, "o." + f), "rb").read()


def terminal_safe(f):
    raw = load(f)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        no("%s: not UTF-8 at byte %d: %r" % (f, e.start, raw[e.start - 20:e.start + 10]))
        return ""
    m = RAW.search(text)
    if m:
        i = m.start()
        no("%s: U+%04X at %d: %r" % (f, ord(text[i]), i, text[max(0, i - 30):i + 5]))
    return text


def starts(e):
    """Where the pieces of escaped text e begin: escapes are not split."""
    i, at = 0, []
    while i < len(e):
        at.append(i)
        i += (4 if e[i + 1:i + 2] == "x" else 2) if e[i] == "\\" else 1
    return at


def shown(text, e):
    """e whole, or cut on the left ("...tail") at a piece's start only."""
    whole, found = set(starts(e)), False
    for m in re.finditer(r"\.\.\.", text):
        tail = text[m.end():m.end() + len(e)]
        p = e.find(tail[:6])
        while p >= 0 and not tail.startswith(e[p:]):
            p = e.find(tail[:6], p + 1)
        if p >= 0 and len(e) - p > 6:
            if p not in whole:
                return False
            found = found or len(e) - p >= 12
    return found or e in text


# What reaches a terminal: safe, and every name in its escaped form.
for f in ("graph", "graph_v", "graphs", "table", "maps", "saved"):
    text = terminal_safe(f)
    for n in names:
        if not shown(text, escaped(n)):
            no("%s does not show %r as %r" % (f, n[:60], escaped(n)[:80]))
    if f != "table" and escaped(comm) not in text:
        no("%s does not show the command name as %r" % (f, escaped(comm)))
# The graph's box stays a box: wide characters count two columns.
widths = {}
for line in load("graph").decode("utf-8", "replace").split("\n"):
    if line.startswith("|"):
        w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
        widths.setdefault(w, line)
if len(widths) != 1:
    no("graph rows of %d widths: %r" % (len(widths), list(widths.values())[:3]))
if os.path.exists(os.path.join(tmp, "o.maps_ascii")):
    text = load("maps_ascii").decode("ascii", "replace")
    if "\ufffd" in text or RAW.search(text):
        no("maps on a terminal that is not UTF-8: a byte above ASCII or a control")
    for n in names:
        e = "".join(c if ord(c) < 0x80 else "".join("\\x%02x" % b for b in c.encode())
                    for c in escaped(n))
        if e not in text:
            no("maps on a terminal that is not UTF-8 does not show %r" % e[:80])
for f in ("locate", "watch", "diff", "export"):
    terminal_safe(f)
if escaped(names[0]) not in load("locate").decode("utf-8", "replace").split("locate")[-1]:
    no("--locate does not name the region escaped")
for f in ("watch", "diff"):
    text = load(f).decode("utf-8", "replace")
    if escaped(names[0]) not in text or escaped(names[1]) not in text:
        no("%s does not report the remapped names escaped" % f)

# CSV: Python reads it as UTF-8, rows are even, names are the escaped form.
for f in ("csv_table", "csv_maps", "csv_export"):
    text = terminal_safe(f)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    widths = set(len(r) for r in rows)
    if len(rows) < len(names) or len(widths) != 1:
        no("%s: %d rows of widths %s" % (f, len(rows), sorted(widths)))
    if len(rows) != text.count("\n"):
        no("%s: a record spans lines" % f)
    fields = set(x for r in rows for x in r)
    for n in names:
        if escaped(n) not in fields:
            no("%s has no field %r" % (f, escaped(n)[:80]))
    if f == "csv_maps" and escaped(comm) not in fields:
        no("%s: the command name is not %r" % (f, escaped(comm)))


# JSON: Python parses it; strings give back the names.
def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)


for f in ("json", "json_table", "json_maps", "jsonl_maps", "jsonl_all", "json_diff"):
    text = terminal_safe(f)
    try:
        docs = ([json.loads(l) for l in text.split("\n") if l] if f.startswith("jsonl")
                else [json.loads(text)])
    except ValueError as e:
        no("%s: not JSON: %s" % (f, e))
        continue
    got = set(s for d in docs for s in strings(d))
    for n in names:
        if decoded(n) not in got:
            no("%s does not give back %r" % (f, n[:60]))
    if f in ("json", "json_maps", "jsonl_maps", "jsonl_all") and decoded(comm) not in got:
        no("%s does not give back the command name" % f)
# A name that is not UTF-8 comes back byte for byte from its *_bytes twin.
def utf8(b):
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def byte_twins(v):
    if isinstance(v, dict):
        for k, x in v.items():
            if k.endswith("_bytes"):
                yield bytes.fromhex(x)
            else:
                yield from byte_twins(x)
    elif isinstance(v, list):
        for x in v:
            yield from byte_twins(x)


for f in ("json", "json_table", "json_maps", "jsonl_maps", "json_diff"):
    text = terminal_safe(f)
    docs = ([json.loads(l) for l in text.split("\n") if l] if f.startswith("jsonl")
            else [json.loads(text)])
    twins = set(b for d in docs for b in byte_twins(d))
    for n in names:
        if not utf8(n) and n not in twins:
            no("%s: no *_bytes gives back %r" % (f, n[:60]))
    for b in twins:
        if utf8(b):
            no("%s: *_bytes for a UTF-8 name: %r" % (f, b[:60]))
    if f in ("json", "json_maps", "jsonl_maps") and not utf8(comm) and comm not in twins:
        no("%s: no *_bytes gives back the command name %r" % (f, comm))
threads = [open("/proc/%s/task/%s/comm" % (pid, t), "rb").read().rstrip(b"\n")
           for t in os.listdir("/proc/%s/task" % pid)]
got = set(s for s in strings(json.loads(load("json"))))
for t in threads:
    if decoded(t) not in got:
        no("JSON does not give back the thread name %r" % t)
if len(threads) < 2 or not any(b"THR" in t for t in threads):
    no("the helper's thread is not named: %r" % threads)
cmdline = json.loads(load("json"))["cmdline"]
if "arg\x1b]0;ARGTITLE\x07\x1b[2J" not in cmdline:
    no("JSON cmdline: %r" % cmdline)
sys.exit(1 if bad else 0)
EOF
[ $? -eq 0 ] || fail "the checks above"
finish
