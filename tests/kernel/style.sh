#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module in kernel style: scripts/checkpatch.pl --strict (from Debian's
# linux-source tarball, which holds the scripts the headers package lacks)
# and sparse (make C=2) against Debian's kernel headers, both without a
# single complaint. Exits 77 when those are not installed.
set -u
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${B:-$top/build}
work=$B/kernel-style

skip() {
	echo "style: $*; skipping (make deps-kernel installs what is needed)" >&2
	exit 77
}

kver=
for h in /usr/src/linux-headers-*-amd64; do
	[ -f "$h/Makefile" ] && kver=${h#/usr/src/linux-headers-}
done
[ -n "$kver" ] || skip "no Debian kernel headers under /usr/src"
command -v sparse >/dev/null 2>&1 || skip "sparse is not installed"
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | tail -1)
[ -n "$tarball" ] || skip "no /usr/src/linux-source-*.tar.xz"

mkdir -p "$work"
ksrc=$work/$(basename "$tarball" .tar.xz)
if [ ! -f "$ksrc/scripts/checkpatch.pl" ]; then
	tar -xJf "$tarball" -C "$work" --wildcards '*/scripts/*' 2>"$work/tar.log" ||
		{ cat "$work/tar.log" >&2; exit 1; }
fi

fails=0
out=$(perl "$ksrc/scripts/checkpatch.pl" --no-tree --strict -f \
	"$top/module/vasx.c" 2>&1)
if echo "$out" | grep -q 'total: 0 errors, 0 warnings, 0 checks'; then
	echo "style: checkpatch --strict: clean"
else
	echo "$out" >&2
	fails=$((fails + 1))
fi

rm -rf "$work/mod"
mkdir -p "$work/mod"
cp "$top/module/vasx.c" "$top/module/Kbuild" "$work/mod/"
make -C "/usr/src/linux-headers-$kver" M="$work/mod" C=2 modules >"$work/sparse.log" 2>&1 ||
	{ cat "$work/sparse.log" >&2; exit 1; }
# Anything but kbuild's own progress lines is a complaint.
if grep -v -E '^(make|  (CC|CHECK|MODPOST|LD|BTF) |Skipping BTF)' "$work/sparse.log" >&2; then
	fails=$((fails + 1))
else
	echo "style: sparse and gcc (kernel flags): clean"
fi
[ $fails -eq 0 ]
