#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make install / uninstall honour PREFIX and DESTDIR, install the binary and
# the man page, and uninstall removes exactly what install put there.
set -u
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install: $*" >&2; exit 1; }

make -s -C "$top" install DESTDIR="$tmp/root" PREFIX=/opt/vx >"$tmp/out" 2>&1 ||
	fail "make install failed: $(cat "$tmp/out")"
[ -x "$tmp/root/opt/vx/bin/vasx" ] || fail "no executable at PREFIX/bin/vasx"
[ -f "$tmp/root/opt/vx/share/man/man1/vasx.1" ] || fail "no man page at PREFIX/share/man/man1"
"$tmp/root/opt/vx/bin/vasx" --version | grep -q '^vasx ' || fail "the installed vasx does not run"
[ "$(find "$tmp/root" -type f | wc -l)" -eq 2 ] || fail "install wrote more than two files"
make -s -C "$top" uninstall DESTDIR="$tmp/root" PREFIX=/opt/vx >"$tmp/out" 2>&1 ||
	fail "make uninstall failed: $(cat "$tmp/out")"
[ "$(find "$tmp/root" -type f | wc -l)" -eq 0 ] || fail "uninstall left files behind"
echo "install: PREFIX and DESTDIR honoured, uninstall symmetric"
