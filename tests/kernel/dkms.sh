#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make dkms-install / dkms-uninstall: module/dkms-install.sh against a
# stand-in dkms that records its calls and, for "build", runs dkms.conf's
# MAKE line the way DKMS does, against Debian's kernel headers. Nothing is
# installed on this machine. Exits 77 without kernel headers.
set -u
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${B:-$top/build}
work=$B/kernel-dkms
version=$(sed -n 's/^VERSION := //p' "$top/Makefile")

kver=
for h in /usr/src/linux-headers-*-amd64; do
	[ -f "$h/Makefile" ] && kver=${h#/usr/src/linux-headers-}
done
[ -n "$kver" ] || { echo "dkms: no Debian kernel headers; skipping" >&2; exit 77; }

rm -rf "$work"
mkdir -p "$work/bin" "$work/src" "$work/tree"
cat >"$work/bin/dkms" <<FAKE
#!/bin/sh
echo "\$*" >>"$work/calls"
case "\$1" in
status) [ -d "$work/tree/vasx" ] && echo "vasx/$version: added" ;;
add) mkdir -p "$work/tree/vasx/$version" ;;
build)
	src=$work/src/vasx-$version
	b=$work/tree/vasx/$version/build
	mkdir -p "\$b" && cp "\$src"/* "\$b"/
	kernel_source_dir=/usr/src/linux-headers-$kver
	dkms_tree=$work/tree
	. "\$src/dkms.conf"
	eval "\${MAKE[0]:-\$MAKE}" >"$work/build.log" 2>&1 ;;
remove) rm -rf "$work/tree/vasx" ;;
esac
FAKE
chmod +x "$work/bin/dkms"

fail() {
	echo "dkms: $*" >&2
	[ -f "$work/calls" ] && sed 's/^/  dkms /' "$work/calls" >&2
	exit 1
}

# dkms.conf is sourced by bash in DKMS (it uses arrays).
command -v bash >/dev/null 2>&1 || { echo "dkms: no bash; skipping" >&2; exit 77; }
sed -i '1s|^#!/bin/sh|#!/bin/bash|' "$work/bin/dkms"

DKMS="$work/bin/dkms" DKMS_SRC="$work/src" sh "$top/module/dkms-install.sh" install "$version" \
	>"$work/out" 2>&1 || { cat "$work/out" >&2; fail "install failed"; }
s=$work/src/vasx-$version
[ -f "$s/vasx.c" ] && [ -f "$s/Kbuild" ] || fail "the sources were not copied to $s"
grep -q "^PACKAGE_VERSION=\"$version\"\$" "$s/dkms.conf" || fail "dkms.conf does not carry version $version"
[ "$(cut -d' ' -f1 "$work/calls" | tr '\n' ' ')" = "status add build install " ] ||
	fail "unexpected dkms calls"
[ -f "$work/tree/vasx/$version/build/vasx.ko" ] ||
	{ cat "$work/build.log" >&2; fail "dkms.conf's MAKE did not build vasx.ko"; }
modinfo "$work/tree/vasx/$version/build/vasx.ko" 2>/dev/null | grep -q "vermagic: *$kver " ||
	fail "vasx.ko was not built for $kver"

# Installing again replaces the sources without adding twice.
: >"$work/calls"
DKMS="$work/bin/dkms" DKMS_SRC="$work/src" sh "$top/module/dkms-install.sh" install "$version" \
	>"$work/out" 2>&1 || fail "second install failed"
grep -q '^add' "$work/calls" && fail "added twice"

: >"$work/calls"
DKMS="$work/bin/dkms" DKMS_SRC="$work/src" sh "$top/module/dkms-install.sh" uninstall "$version" \
	>"$work/out" 2>&1 || fail "uninstall failed"
grep -q "^remove -m vasx -v $version --all" "$work/calls" || fail "dkms remove was not called"
[ ! -e "$s" ] || fail "the sources stayed in $s"

sh "$top/module/dkms-install.sh" frobnicate 1 >/dev/null 2>&1 && fail "a bad action was accepted"
echo "dkms: install (sources, version, add/build/install, a real build) and uninstall work"

# The real DKMS, when installed and root: register, build and install for
# Debian's kernel (never loaded here), then remove every trace. A version
# of its own keeps a real installation of vasx out of the way.
if ! command -v dkms >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
	echo "dkms: the real DKMS is not installed or this is not root; only the stand-in ran"
	exit 0
fi
tv=0.0.0-test
: >"$work/calls"
KERNELVER=$kver sh "$top/module/dkms-install.sh" install "$tv" >"$work/real.out" 2>&1 ||
	{ cat "$work/real.out" >&2; fail "real DKMS install failed"; }
dkms status -m vasx -v "$tv" | grep -q "$kver.*installed" ||
	{ dkms status >&2; KERNELVER=$kver sh "$top/module/dkms-install.sh" uninstall "$tv" >/dev/null 2>&1;
	  fail "DKMS does not list vasx $tv as installed for $kver"; }
ko=$(find "/lib/modules/$kver" -path '*dkms*' -name 'vasx.ko*' | head -1)
[ -n "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$kver " ||
	{ KERNELVER=$kver sh "$top/module/dkms-install.sh" uninstall "$tv" >/dev/null 2>&1;
	  fail "DKMS installed no vasx.ko for $kver"; }
KERNELVER=$kver sh "$top/module/dkms-install.sh" uninstall "$tv" >"$work/real.out" 2>&1 ||
	fail "real DKMS uninstall failed"
dkms status -m vasx -v "$tv" | grep -q . && fail "DKMS still lists vasx $tv"
[ -e "/usr/src/vasx-$tv" ] && fail "/usr/src/vasx-$tv stayed"
find "/lib/modules/$kver" -path '*dkms*' -name 'vasx.ko*' | grep -q . && fail "$ko stayed"
echo "dkms: the real DKMS built and installed vasx for $kver, and removed it again"
