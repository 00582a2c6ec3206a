# SPDX-License-Identifier: GPL-2.0
"""Test helper: map files whose paths are longer than PATH_MAX.

    python3 vasx-deepmap.py DIR KIB:NAME...

For each KIB:NAME, a tree of directories nested under DIR until the path
reaches KIB KiB (each opened from the one before, so no call ever sees the
whole path), and a 4 KiB file NAME at its bottom, mapped shared. The kernel
prints such a path whole in /proc/PID/maps. Prints "ready" and waits until
its stdin ends.
"""
import mmap
import os
import sys

keep = []
for spec in sys.argv[2:]:
    kib, name = spec.split(":", 1)
    size = int(kib) * 1024
    top = os.path.join(sys.argv[1], "t%s" % kib)
    os.mkdir(top)
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    total, i = len(top), 0
    while total < size:
        comp = "d%03d-" % i + "x" * 240
        os.mkdir(comp, dir_fd=fd)
        sub = os.open(comp, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd, total, i = sub, total + 1 + len(comp), i + 1
    f = os.open(name, os.O_RDWR | os.O_CREAT, 0o644, dir_fd=fd)
    os.ftruncate(f, 4096)
    keep.append(mmap.mmap(f, 4096))
    os.close(f)
    os.close(fd)
print("ready", flush=True)
sys.stdin.read()
