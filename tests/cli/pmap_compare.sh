#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Ground truth: for real processes (the test helper with its special
# mappings, sleep, a shell), every smaps figure `vasx -p PID --json` reports
# for a mapping must equal what `pmap -XX PID` reports for the same mapping.
#
# procps reads the same smaps with an independent parser. The processes are
# stopped (SIGSTOP) while they are read, and pmap reads each one before and
# after vasx: a figure must equal one of the two readings.
#
# How a page that other processes also map is counted (Pss and its kin,
# Shared_* against Private_*, SwapPss) changes whenever a reader maps the
# same library, and vasx and pmap are two different readers. Those figures
# are compared only for mappings that no reading saw shared
# (Shared_Clean + Shared_Dirty == 0 in all three); all others, always.
#
# Exit 0 pass, 77 skip (the reason on stderr), anything else fails.
set -u

skip() {
	echo "pmap_compare: skipped: $*" >&2
	exit 77
}

top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
VASX=${VASX:-$top/vasx}
TESTPROC=${TESTPROC:-$top/build/tests/vasx-testproc}

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
command -v pmap >/dev/null 2>&1 || skip "pmap (procps) is not installed"
[ -x "$VASX" ] || skip "$VASX is not built (make)"
[ -x "$TESTPROC" ] || skip "$TESTPROC is not built (make helpers)"
"$VASX" --help 2>&1 | grep -q -- --json || skip "$VASX has no --json option yet"
[ -r /proc/self/smaps ] || skip "/proc/PID/smaps is not readable here"

exec python3 - "$VASX" "$TESTPROC" <<'EOF'
import json
import os
import shutil
import signal
import subprocess
import sys
import time

VASX, TESTPROC = sys.argv[1], sys.argv[2]
# Figures that depend on who else maps the page at the moment of reading.
SHARING = {"Pss", "Pss_Dirty", "Pss_Anon", "Pss_File", "Pss_Shmem",
           "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty",
           "SwapPss"}
TIMEOUT = 60
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def text(raw):
    """Bytes as vasx's JSON writes them: UTF-8 kept, other bytes as U+00XX."""
    s = raw.decode("utf-8", "surrogateescape")
    return "".join(chr(ord(c) - 0xdc00) if 0xdc80 <= ord(c) <= 0xdcff else c for c in s)


def parse_pmap(out):
    """pmap -XX: {start: {"Perm":..., field: value, "VmFlags": [...], "Mapping": ...}}."""
    lines = out.split(b"\n")
    head = next((i for i, l in enumerate(lines) if l.split()[:1] == [b"Address"]), None)
    if head is None:
        raise ValueError("no header line in pmap output")
    hdr = lines[head].decode()
    names = hdr.split()
    if names[-1] != "Mapping":
        raise ValueError("unexpected pmap header: " + hdr)
    has_flags = "VmFlags" in names
    nfixed = names.index("VmFlags") if has_flags else len(names) - 1
    # Columns are right-aligned under their headers, so the VmFlags text
    # ends where its header ends; the mapping name (spaces and all) follows.
    fixed_end = hdr.index(" " + names[nfixed - 1] + " ") + len(names[nfixed - 1]) + 1
    flags_end = hdr.index(" VmFlags ") + len(" VmFlags") if has_flags else fixed_end
    rows = {}
    for raw in lines[head + 1:]:
        if not raw.strip() or raw.strip().startswith(b"="):
            break
        tok = raw.split(None, nfixed)
        if len(tok) < nfixed:
            raise ValueError("short pmap line: %r" % raw)
        row = {}
        for name, val in zip(names[:nfixed], tok[:nfixed]):
            row[name] = val.decode()
        for name in names[5:nfixed]:
            row[name] = int(row[name])
        if has_flags:
            row["VmFlags"] = raw[fixed_end:flags_end].decode().split()
        row["Mapping"] = text(raw[flags_end + 1:])
        rows[int(row["Address"], 16)] = row
    return rows


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, timeout=TIMEOUT)
    if p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(cmd), p.returncode,
                                                   p.stderr.decode(errors="replace").strip()))
    return p.stdout


def read_vasx(pid):
    out = run([VASX, "-p", str(pid), "--json"])
    try:
        doc = json.loads(out.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise RuntimeError("vasx --json printed invalid JSON: %s" % e)
    maps = {}
    for m in doc["mappings"]:
        start = int(m["start"], 16)
        if start in maps:
            fail("pid %d: vasx lists 0x%x twice" % (pid, start))
        maps[start] = m
    return maps


def pmap_name(path):
    """What pmap -XX prints for a mapping: the last path component."""
    if not path:
        return ""
    path = path.replace("\n", "\\012")
    return path.rsplit("/", 1)[-1] if path.startswith("/") else path


def undeleted(name):
    while name.endswith(" (deleted)"):
        name = name[:-len(" (deleted)")]
    return name


def shared(row):
    return row.get("Shared_Clean", 0) + row.get("Shared_Dirty", 0)


def compare_mapping(label, m, before, after):
    """Count the figures compared and skipped; record every difference."""
    where = "%s 0x%x-%s %r" % (label, int(m["start"], 16), m["end"], m.get("path"))
    want = {"perms": before["Perm"], "offset": int(before["Offset"], 16),
            "dev": before["Device"], "inode": int(before["Inode"])}
    for key, val in want.items():
        if m.get(key) != val:
            fail("%s: %s: vasx %r, pmap %r" % (where, key, m.get(key), val))
    size_kb = (int(m["end"], 16) - int(m["start"], 16)) // 1024
    if size_kb != before["Size"]:
        fail("%s: end: vasx size %d kB, pmap %d kB" % (where, size_kb, before["Size"]))
    if undeleted(pmap_name(m.get("path"))) != undeleted(before["Mapping"]):
        fail("%s: name: vasx %r, pmap %r" % (where, pmap_name(m.get("path")),
                                               before["Mapping"]))
    sm = m.get("smaps")
    if not isinstance(sm, dict):
        fail("%s: no smaps object" % where)
        return 0, 0
    unshared = shared(before) == 0 and shared(after) == 0 and shared(sm) == 0
    compared = skipped = 0
    fields = [k for k in before if k not in ("Address", "Perm", "Offset", "Device",
                                             "Inode", "Mapping")]
    for field in fields:
        if field not in sm:
            fail("%s: %s: missing from vasx (pmap %r)" % (where, field, before[field]))
            continue
        if field in SHARING and not unshared:
            skipped += 1
            continue
        if sm[field] != before[field] and sm[field] != after.get(field):
            fail("%s: %s: vasx %r, pmap %r (before) %r (after)" %
                 (where, field, sm[field], before[field], after.get(field)))
        compared += 1
    for field in sm:
        if field not in before:
            fail("%s: %s: vasx reports %r, pmap has no such column" %
                 (where, field, sm[field]))
    return compared, skipped


def compare(label, pid):
    os.kill(pid, signal.SIGSTOP)
    try:
        time.sleep(0.05)
        before = parse_pmap(run(["pmap", "-XX", str(pid)]))
        ours = read_vasx(pid)
        after = parse_pmap(run(["pmap", "-XX", str(pid)]))
    finally:
        os.kill(pid, signal.SIGCONT)
    if set(before) != set(after):
        fail("%s: the process changed while stopped (pmap readings differ)" % label)
    for start in sorted(set(before) - set(ours)):
        fail("%s: pmap shows 0x%x (%s), vasx does not" % (label, start, before[start]["Mapping"]))
    for start in sorted(set(ours) - set(before)):
        fail("%s: vasx shows 0x%x (%s), pmap does not" % (label, start, ours[start].get("path")))
    compared = skipped = 0
    for start in sorted(set(ours) & set(before) & set(after)):
        c, s = compare_mapping(label, ours[start], before[start], after[start])
        compared += c
        skipped += s
    print("%s (pid %d): %d mappings, %d figures equal-checked, %d sharing-dependent "
          "figures of shared mappings left out" % (label, pid, len(ours), compared, skipped),
          flush=True)
    if compared == 0:
        fail("%s: nothing was compared" % label)


def start_helper():
    p = subprocess.Popen([TESTPROC, "--special", "--threads", "3", "--anon", "200",
                          "--seconds", str(TIMEOUT * 3)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    deadline = time.monotonic() + TIMEOUT
    for line in p.stdout:
        if line.strip() == b"ready":
            return p
        if time.monotonic() > deadline:
            break
    raise RuntimeError("the test helper did not get ready")


def stop_tree(p):
    """Kill a process started here and the children it started (the shell's sleep)."""
    try:
        with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
            children = [int(c) for c in f.read().split()]
    except OSError:
        children = []
    p.kill()
    p.wait()
    for c in children:
        try:
            os.kill(c, signal.SIGKILL)
        except ProcessLookupError:
            pass


def main():
    procs = []
    try:
        helper = start_helper()
        procs.append(helper)
        sleeper = subprocess.Popen(["sleep", str(TIMEOUT * 3)], stdin=subprocess.DEVNULL)
        procs.append(sleeper)
        shell = subprocess.Popen(["sh", "-c", "sleep %d; :" % (TIMEOUT * 3)],
                                 stdin=subprocess.DEVNULL)
        procs.append(shell)
        targets = [("vasx-testproc", helper), ("sleep", sleeper), ("sh", shell)]
        if shutil.which("bash"):
            bash = subprocess.Popen(["bash", "--norc", "--noprofile", "-c",
                                     "sleep %d; :" % (TIMEOUT * 3)],
                                    stdin=subprocess.DEVNULL)
            procs.append(bash)
            targets.append(("bash", bash))
        time.sleep(0.3)     # let sleep and the shells finish starting
        for label, p in targets:
            compare(label, p.pid)
    except (RuntimeError, ValueError, KeyError, subprocess.TimeoutExpired) as e:
        fail(str(e))
    finally:
        for p in procs:
            stop_tree(p)
    if failures:
        print("pmap_compare: %d difference(s)" % len(failures))
        return 1
    print("pmap_compare: vasx and pmap agree")
    return 0


sys.exit(main())
EOF
