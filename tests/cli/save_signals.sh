#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# --save stopped by SIGINT, SIGTERM or SIGHUP at every stage of building
# its tree (before it starts, as the tree is made, among the threads' files,
# after smaps, after kallsyms, while the tree is moved into place), into a
# new DIR and over an existing one: vasx dies of the signal, no temporary
# tree is left, and DIR is absent or a whole tree when it was new, the old
# tree untouched or a whole new one when it existed, never a mix.
# Then SIGKILL, which cannot be caught: its tree stays, and the next --save
# to the same place removes it, but no tree it cannot prove abandoned (one
# whose save still runs, one without the mark, another user's, a link).
. "$(dirname "$0")/cli_lib"

command -v python3 >/dev/null 2>&1 || { echo "$me: python3 is not installed" >&2; exit 77; }
# 20,000 mappings and 200 threads: a save of about half a second, long
# enough for each stage to be seen and the process stopped in it.
start_testproc --anon 20000 --threads 200 ||
	{ echo "$me: the test helper did not start" >&2; exit 1; }

python3 - "$VASX" "$tmp" "$tp" <<'EOF' || fail "see above"
import fcntl, os, signal, subprocess, sys, time

vasx, tmp, tp = sys.argv[1:]
failures = 0
live_maps = sum(1 for _ in open("/proc/%s/maps" % tp))


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg, file=sys.stderr)


def temps(target):
    """The temporary trees of saves to target: inside it and beside it."""
    found = []
    if os.path.isdir(target):
        found += [os.path.join(target, e) for e in os.listdir(target)
                  if e.startswith(".vasx-save.")]
    parent, name = os.path.split(target)
    found += [os.path.join(parent, e) for e in os.listdir(parent)
              if e.startswith(name + ".tmp")]
    return found


def tree(target):
    """Every path of the tree with its inode, size and mtime."""
    out = {}
    for root, dirs, files in os.walk(target):
        for n in dirs + files:
            p = os.path.join(root, n)
            st = os.lstat(p)
            out[os.path.relpath(p, target)] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return out


def whole(target, planted=()):
    """A finished tree: the note, every mapping, and vasx reads it back."""
    try:
        note = open(os.path.join(target, "vasx-save")).read()
        maps = sum(1 for _ in open(os.path.join(target, tp, "maps")))
    except OSError as e:
        return "unreadable: %s" % e
    if "\npid %s\n" % tp not in note:
        return "its note names another process"
    if maps != live_maps:
        return "%d of %d mappings" % (maps, live_maps)
    r = subprocess.run([vasx, "--proc-root", target, "-p", tp, "--graph"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode:
        return "vasx cannot read it back: " + r.stderr.decode(errors="replace")
    stray = [p for p in tree(target) if (".tmp" in p or ".vasx-sav" in p) and
             p.split("/")[0] not in planted]
    return "it holds %s" % stray[0] if stray else None


def in_tmp(path):
    return lambda t: t and os.path.exists(os.path.join(t, path))


def threads_saved(t):
    try:
        return t and len(os.listdir(os.path.join(t, tp, "task"))) > 100
    except OSError:
        return False


STAGES = [
    ("start", lambda t: True),
    ("made", lambda t: t is not None),
    ("threads", threads_saved),
    ("smaps", in_tmp(tp + "/smaps")),
    ("kallsyms", in_tmp("kallsyms")),
    ("note", in_tmp("vasx-save")),
]


def stopped(pid):
    for _ in range(2000):
        try:
            s = open("/proc/%d/stat" % pid).read()
        except OSError:
            return
        if s[s.rindex(")") + 2] in "TZ":
            return
        time.sleep(0.001)


def default_signals():
    """In the child: the signals as a shell started without nohup has them."""
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)


def run(target, stage, cond, sig):
    """Save to target, stop vasx when cond holds, then send sig: was it mid-save?"""
    # this suite may itself run under nohup (SIGHUP ignored), which vasx
    # rightly keeps: the signals are set to their defaults for it
    p = subprocess.Popen([vasx, "-p", tp, "--save", target],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         preexec_fn=default_signals)
    while p.poll() is None:
        t = temps(target)
        if cond(t[0] if t else None):
            break
    midsave = False
    if p.poll() is None:
        os.kill(p.pid, signal.SIGSTOP)
        stopped(p.pid)
        midsave = bool(temps(target))
        os.kill(p.pid, sig)
        os.kill(p.pid, signal.SIGCONT)
    err = p.communicate()[1].decode(errors="replace").strip()
    what = "%s %s at %s" % (os.path.basename(target), signal.Signals(sig).name, stage)
    if p.returncode not in (0, -sig):
        fail("%s: exit %d, not death by the signal: %s" % (what, p.returncode, err))
    if p.returncode == 0 and midsave:
        fail("%s: stopped mid-save, yet exit 0" % what)
    left = temps(target)
    if left:
        fail("%s: left %s" % (what, " ".join(os.path.basename(x) for x in left)))
    return what, midsave and p.returncode == -sig


SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

# A new DIR: absent or whole afterwards.
target = os.path.join(tmp, "new")
hits = {}
for stage, cond in STAGES:
    for sig in SIGNALS:
        for attempt in range(5):
            what, hit = run(target, stage, cond, sig)
            if os.path.exists(target):
                why = whole(target)
                if why:
                    fail("%s: %s is not a whole tree: %s" % (what, target, why))
                subprocess.run(["rm", "-rf", target])
            if hit or stage == "start":
                break
        hits[stage] = hits.get(stage, 0) + hit

# An existing DIR: the old tree as it was, or a whole new one.
target = os.path.join(tmp, "old")
r = subprocess.run([vasx, "-p", tp, "--save", target])
old = tree(target)
if r.returncode or whole(target):
    fail("the first save failed: %s" % whole(target))
for stage, cond in STAGES:
    for sig in SIGNALS:
        for attempt in range(5):
            what, hit = run(target, stage, cond, sig)
            now = tree(target)
            if now != old:
                top = [n for n in old if "/" not in n]
                kept = [n for n in top if n in now and now[n][0] == old[n][0]]
                why = whole(target)
                if kept or why:
                    fail("%s: a mix of old and new: kept %s; %s" % (what, kept, why))
                old = now
            if hit or stage == "start":
                break
        hits[stage] = hits.get(stage, 0) + hit

# Each stage but the last (a moment only) must have been met mid-save.
for stage, _ in STAGES[1:-1]:
    if hits[stage] < 2:
        fail("stage %s was met mid-save only %d times" % (stage, hits[stage]))
if not failures:
    print("ok: %s: vasx died of the signal, no temporary tree, DIR whole or untouched"
          % ", ".join("%d stopped %s" % (hits[s], s) for s, _ in STAGES if s != "start"))
before = failures

# A SIGHUP that vasx was started ignoring (nohup) stays ignored: the save
# goes on to a whole tree and exit 0.
target = os.path.join(tmp, "nohup")
for attempt in range(5):
    p = subprocess.Popen([vasx, "-p", tp, "--save", target], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE,
                         preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    cond = dict(STAGES)["smaps"]
    while p.poll() is None:
        t = temps(target)
        if cond(t[0] if t else None):
            break
    hit = p.poll() is None
    if hit:
        os.kill(p.pid, signal.SIGHUP)
    err = p.communicate()[1].decode(errors="replace").strip()
    if p.returncode != 0 or whole(target) or temps(target):
        fail("an ignored SIGHUP mid-save: exit %d, %s, left %s: %s" %
             (p.returncode, whole(target), temps(target), err))
        break
    subprocess.run(["rm", "-rf", target])
    if hit:
        break
else:
    fail("an ignored SIGHUP: never met a save in its smaps stage")
if failures == before:
    print("ok: a SIGHUP ignored since start (nohup) leaves the save to finish whole")
before = failures


def killed(target, stage):
    """A save SIGKILLed mid-way: its temporary tree."""
    p = subprocess.Popen([vasx, "-p", tp, "--save", target])
    cond = dict(STAGES)[stage]
    while p.poll() is None:
        t = temps(target)
        if cond(t[0] if t else None):
            break
    p.kill()
    p.wait()
    return temps(target)


for name in ("new9", "old"):
    target = os.path.join(tmp, name)
    for attempt in range(5):
        left = killed(target, "smaps")
        if left:
            break
    if len(left) != 1:
        fail("%s: SIGKILL mid-save left %d temporary trees, not 1" % (name, len(left)))
        continue
    left = left[0]
    mark = os.path.join(left, ".vasx-saving")
    if not os.path.isfile(mark):
        fail("%s: the killed save's tree has no mark" % name)
        continue
    if name == "old":
        # Trees the next save must leave alone, beside one it must remove.
        text = open(mark, "rb").read()
        keep = {}
        for k in ("busy", "nomark", "other", "link"):
            d = os.path.join(target, ".vasx-save.%-6s" % k[:6]).replace(" ", "x")
            os.mkdir(d)
            if k != "nomark":
                open(os.path.join(d, ".vasx-saving"), "wb").write(text)
            keep[k] = d
        held = open(os.path.join(keep["busy"], ".vasx-saving"), "rb+")
        fcntl.flock(held, fcntl.LOCK_EX)
        if os.geteuid() == 0:
            os.chown(keep["other"], 65534, 65534)
        else:
            os.rmdir(os.path.join(keep.pop("other")))
        away = os.path.join(tmp, "linked")
        os.rename(keep["link"], away)
        os.symlink(away, keep["link"])
        long = os.path.join(target, ".vasx-save.seven77")
        os.mkdir(long)
        open(os.path.join(long, ".vasx-saving"), "wb").write(text)
        keep["7 characters"] = long
    else:
        keep = {}
    r = subprocess.run([vasx, "-p", tp, "--save", target])
    now = temps(target)
    why = whole(target, [os.path.basename(d) for d in keep.values()])
    if r.returncode or left in now or why:
        fail("%s: the next --save (exit %d) did not clear %s: %s" %
             (name, r.returncode, os.path.basename(left), why))
    for k, d in keep.items():
        if not os.path.lexists(d) or (k == "link" and not os.path.isfile(away + "/.vasx-saving")):
            fail("the next --save removed a tree it cannot prove abandoned (%s)" % k)
    if keep:
        held.close()
if failures == before:
    print("ok: a save killed by SIGKILL leaves its tree; the next --save clears it"
          " and no tree it cannot prove abandoned")
sys.exit(1 if failures else 0)
EOF

finish
