#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Races: for RACES_SECONDS (default 25), vasx reads processes that change or
# exit under it, one run after another:
#   * --json, --table (text, csv, json) and --graph of a helper that maps,
#     unmaps, mprotects and mremaps thousands of times a second;
#   * the same of short-lived helpers that exit, or are killed, at random
#     moments (before, while or after they are read);
#   * the same of helpers with 20,000 mappings killed while they are read
#     (an exiting process reads as running while its address space goes);
#   * --maps of every process (text, csv, json, jsonl) while such helpers
#     are started and end all the time.
#
# What vasx guarantees, and what each run is checked for:
#   * exit status 0 and a complete document on stdout: JSON and JSONL parse,
#     every CSV row has the header's columns, the graph ends with its bottom
#     line (address 0), the table with its total line, a --maps text row has
#     all its columns; a snapshot's mappings are sorted, do not overlap and
#     are as many as its totals say; a process's own mappings are there, and
#     all of those it had (a killed helper's 20,000);
#   * or exit status 1, nothing at all on stdout, and one line on stderr
#     that says the process exited or is gone (short-lived targets only:
#     the storming helper and --maps must always succeed);
#   * never a signal, another exit status, or a run longer than 20 s.
# The counts of runs and outcomes are printed at the end, with the rate the
# helper changed its mappings at (RACES_STORM changes a second, default
# 20000; 0 for as fast as it can).
#
# Exit 0 pass, 77 skip (the reason on stderr), anything else fails.
set -u

skip() {
	echo "races: skipped: $*" >&2
	exit 77
}

top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
VASX=${VASX:-$top/vasx}
TESTPROC=${TESTPROC:-$top/build/tests/vasx-testproc}

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
[ -x "$VASX" ] || skip "$VASX is not built (make)"
[ -x "$TESTPROC" ] || skip "$TESTPROC is not built (make helpers)"
"$TESTPROC" --help | grep -q -- --storm || skip "$TESTPROC has no --storm"

exec python3 - "$VASX" "$TESTPROC" "${RACES_SECONDS:-25}" <<'EOF'
import collections
import csv
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
# a path the kernel prints may pass 128 KiB, csv's default field limit
csv.field_size_limit(1 << 24)

VASX, TESTPROC, SECONDS = sys.argv[1], sys.argv[2], float(sys.argv[3])
HANG = 20
rng = random.Random(4242)	# the same sequence of choices every run
tmp = tempfile.mkdtemp(prefix="vasx-races.")
counts = collections.Counter()
failures = []
stop = threading.Event()


def fail(kind, why, out=b"", err=b""):
    failures.append(kind)
    print("FAIL: %s: %s" % (kind, why), flush=True)
    if err:
        print("  stderr: %r" % err[:300], flush=True)
    if out:
        print("  stdout (%d bytes) ends: %r" % (len(out), out[-200:]), flush=True)


def helper(*args):
    """A helper with its pid known; its stdout stays open for reading."""
    p = subprocess.Popen([TESTPROC, "--dir", tmp] + list(args),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    line = p.stdout.readline().split()
    if line[:1] != [b"pid"]:
        p.kill()
        p.wait()
        raise RuntimeError("the helper did not start")
    return p, int(line[1])


# ---- checks of a complete document -------------------------------------

HEX = re.compile(r"0x[0-9a-f]+$")


def check_snapshot_json(doc, pid):
    if doc.get("pid") != pid:
        return "pid %r, not %d" % (doc.get("pid"), pid)
    maps = doc["mappings"]
    prev_end = -1
    for m in maps:
        s, e = int(m["start"], 16), int(m["end"], 16)
        if s >= e or s < prev_end:
            return "mappings out of order or overlapping at %s" % m["start"]
        prev_end = e
    if doc["totals"]["map_count"] != len(maps):
        return "totals.map_count %d, %d mappings" % (doc["totals"]["map_count"], len(maps))
    if not any("vasx-testproc" in (m.get("path") or "") for m in maps):
        return "the helper's own program is not among its mappings"
    return None


def check_table_json(rows):
    prev_end = -1
    for m in rows:
        s, e = int(m["start"], 16), int(m["end"], 16)
        if s >= e or s < prev_end:
            return "rows out of order or overlapping at %s" % m["start"]
        prev_end = e
    if not any("vasx-testproc" in (m.get("path") or "") for m in rows):
        return "the helper's program is not among the rows"
    return None


def check_csv(text, min_rows):
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 1 + min_rows:
        return "%d rows" % len(rows)
    width = len(rows[0])
    for i, r in enumerate(rows[1:], 2):
        if len(r) != width:
            return "row %d has %d columns, the header %d" % (i, len(r), width)
    return None


def check_graph(text):
    last = text.rstrip("\n").split("\n")[-1]
    if not text.endswith("\n") or not last.rstrip().endswith("0000000000000000"):
        return "does not end with the bottom line: %r" % last
    if "vasx-testproc" not in text:
        return "the helper's program is not drawn"
    return None


def check_table(text):
    last = text.rstrip("\n").split("\n")[-1]
    if not text.endswith("\n") or not last.lstrip().startswith("total"):
        return "does not end with the total line: %r" % last
    if "vasx-testproc" not in text:
        return "the helper's program is not listed"
    return None


MAPS_ROW = re.compile(r"^\d+ .* 0x[0-9a-f]{16} +0x[0-9a-f]{16} +[r-][w-][x-][ps] +0x[0-9a-f]+ ")


def check_maps(fmt, text):
    if not text.endswith("\n"):
        return "does not end with a newline"
    if fmt == "json":
        rows = json.loads(text)
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in text.split("\n")[:-1]]
    elif fmt == "csv":
        bad = check_csv(text, 1)
        if bad:
            return bad
        rows = list(csv.DictReader(io.StringIO(text)))
    else:
        lines = text.split("\n")[:-1]
        if not lines[0].startswith("PID"):
            return "no header"
        for line in lines[1:]:
            if not MAPS_ROW.match(line):
                return "a row lacks columns: %r" % line
        rows = lines[1:]
    if len(rows) < 10:
        return "only %d rows for every process" % len(rows)
    if fmt in ("json", "jsonl"):
        for r in rows:
            if not HEX.match(r["start"]) or not isinstance(r["pid"], int):
                return "a row without its fields: %r" % r
    return None


# ---- one run ------------------------------------------------------------

GONE = re.compile(r"^vasx: (process \d+ exited|no process with pid \d+)")


def run(kind, args, check, may_fail):
    """Run vasx; True if it ran as promised (exit 0 and whole, or 1 and silent)."""
    try:
        p = subprocess.run([VASX] + args, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=HANG)
    except subprocess.TimeoutExpired:
        fail(kind, "still running after %d s (%s)" % (HANG, " ".join(args)))
        return
    out, err = p.stdout, p.stderr
    if p.returncode < 0:
        fail(kind, "killed by signal %d" % -p.returncode, out, err)
    elif p.returncode == 0:
        try:
            bad = check(out.decode("utf-8", "surrogateescape"))
        except (ValueError, KeyError, TypeError, IndexError) as e:
            bad = "does not parse: %s" % e
        if bad:
            fail(kind, bad, out, err)
        else:
            counts[kind, "complete"] += 1
    elif p.returncode == 1 and may_fail:
        lines = err.decode("utf-8", "replace").splitlines()
        if out:
            fail(kind, "exit status 1 after printing", out, err)
        elif len(lines) != 1 or not GONE.match(lines[0]):
            fail(kind, "exit status 1 without one clear line", out, err)
        else:
            counts[kind, "gone: " + ("exited while read" if "while it was being read" in
                                     lines[0] else "exited before" if "exited" in lines[0]
                                     else "no such pid")] += 1
    else:
        fail(kind, "exit status %d" % p.returncode, out, err)


def mapping_count(mode, text):
    """How many mappings a complete document of @mode holds."""
    if mode == "json":
        return len(json.loads(text)["mappings"])
    if mode == "table-json":
        return len(json.loads(text))
    if mode == "table-csv":
        return len(list(csv.reader(io.StringIO(text)))) - 1
    if mode == "table":
        return sum(1 for line in text.split("\n") if re.match(r" *[0-9a-f]{12,16} ", line))
    m = re.search(r"^(\d+) mappings,", text, re.M)
    return int(m.group(1)) if m else 0


def snapshot_check(mode, pid, at_least=0):
    """The document's own check, and at least @at_least mappings in it."""
    if mode == "json":
        whole = lambda t: check_snapshot_json(json.loads(t), pid)
    elif mode == "graph":
        whole = check_graph
    elif mode == "table":
        whole = check_table
    elif mode == "table-csv":
        whole = lambda t: check_csv(t, 5)
    else:
        whole = lambda t: check_table_json(json.loads(t))

    def check(text):
        bad = whole(text)
        if not bad and mapping_count(mode, text) < at_least:
            bad = "%d mappings, not the %d or more the process had" % (
                mapping_count(mode, text), at_least)
        return bad
    return check


MODES = {
    "json": ["--json"], "graph": ["--graph", "--no-color", "--width", "100"],
    "table": ["--table"], "table-csv": ["--table", "--format", "csv"],
    "table-json": ["--table", "--format", "json"],
}


def against_storm(pid, mode):
    run("storm " + mode, MODES[mode] + ["-p", str(pid)], snapshot_check(mode, pid), False)


def against_short_lived(mode):
    """A helper that exits on its own or is killed, at a random moment."""
    life = rng.uniform(0.0, 0.12)
    p, pid = helper("--anon", str(rng.randrange(0, 3000)), "--seconds", "%.4f" % life)
    killer = None
    if rng.random() < 0.5:
        killer = threading.Timer(rng.uniform(0.0, 0.1), p.kill)
        killer.start()
    time.sleep(rng.uniform(0.0, 0.01))
    run("short-lived " + mode, MODES[mode] + ["-p", str(pid)], snapshot_check(mode, pid), True)
    if killer:
        killer.cancel()
    p.kill()
    p.wait()


def killed_while_read(mode):
    """
    A helper with thousands of mappings killed while vasx reads it: its
    address space is torn down while it still reads as running, and its
    maps end early. vasx says it exited, or prints all it had.
    """
    p, pid = helper("--anon", "20000", "--seconds", "100")
    n = 0
    for line in p.stdout:
        f = line.split()
        if f[:1] == [b"anon"]:
            n = int(f[3])
        if f[:1] == [b"ready"]:
            break
    killer = threading.Timer(rng.uniform(0.0, 0.25), p.kill)
    killer.start()
    run("killed while read " + mode, MODES[mode] + ["-p", str(pid)],
        snapshot_check(mode, pid, n), True)
    killer.cancel()
    p.kill()
    p.wait()


def maps_all(fmt):
    run("maps " + fmt, ["--maps", "--format", fmt], lambda t: check_maps(fmt, t), False)


def spawner():
    """Processes that start and end all the time, beside the runs."""
    live = []
    while not stop.is_set():
        try:
            live.append(subprocess.Popen(
                [TESTPROC, "--dir", tmp, "--anon", str(rng.randrange(0, 500)),
                 "--seconds", "%.3f" % rng.uniform(0.001, 0.05)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL))
        except OSError:
            pass
        counts["spawned", "helpers"] += 1
        live = [p for p in live if p.poll() is None]
        time.sleep(0.01)
    for p in live:
        p.kill()
        p.wait()


def main():
    storm, storm_pid = helper("--storm", os.environ.get("RACES_STORM", "20000"), "--special",
                              "--threads", "4", "--seconds", str(int(SECONDS + 120)))
    while storm.stdout.readline().strip() != b"ready":
        pass
    bg = threading.Thread(target=spawner)
    bg.start()
    jobs = [lambda m=m: against_storm(storm_pid, m) for m in MODES]
    jobs += [lambda m=m: against_short_lived(m) for m in MODES]
    jobs += [lambda m=m: killed_while_read(m) for m in MODES]
    jobs += [lambda f=f: maps_all(f) for f in ("text", "csv", "json", "jsonl")]
    end = time.monotonic() + SECONDS
    try:
        while time.monotonic() < end:
            rng.choice(jobs)()
    finally:
        stop.set()
        bg.join()
        storm.terminate()
        rest = storm.communicate(timeout=HANG)[0].decode()
        shutil.rmtree(tmp, ignore_errors=True)
    rate = re.search(r"^storm (\d+) ([\d.]+) (\d+)$", rest, re.M)
    if rate:
        print("storming helper: %s changes in %s s, %s a second" % rate.groups())
    else:
        fail("storm", "the helper did not report its rate: %r" % rest[-200:])
    if storm.returncode != 0:
        fail("storm", "the storming helper ended with status %d" % storm.returncode)
    total = 0
    for (kind, outcome), n in sorted(counts.items()):
        print("%-22s %-22s %6d" % (kind, outcome, n))
        total += n if kind != "spawned" else 0
    print("races: %d runs, %d failed" % (total + len(failures), len(failures)))
    if total < 20:
        fail("races", "only %d runs in %g s" % (total, SECONDS))
    return 1 if failures else 0


sys.exit(main())
EOF
