#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The vasx module in a real kernel: build it against Debian's kernel
# headers, boot Debian's kernel under QEMU (TCG) with a small initramfs
# holding the module, vasx and tests/kernel/vm/checks.sh, once with 4-level
# and once with 5-level paging, and read the verdicts from the console.
# The module is never loaded into the kernel of the machine running this.
#
# Exits 77 (skipped) when QEMU, a Debian kernel with its headers, or a
# static busybox is missing. KEEP=1 keeps the work directory; the module's
# files as seen in each boot are left in $B/kernel/capture-L4 and -L5.
set -u
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${B:-$top/build}
VASX=${VASX:-$top/vasx}
work=$B/kernel
boot_timeout=${VASX_BOOT_TIMEOUT:-300}

skip() {
	echo "kernel: $*; skipping the kernel tests (make deps-kernel installs what they need)" >&2
	exit 77
}
die() {
	echo "kernel: $*" >&2
	exit 1
}

command -v qemu-system-x86_64 >/dev/null 2>&1 || skip "qemu-system-x86_64 is not installed"
command -v cpio >/dev/null 2>&1 || skip "cpio is not installed"
[ "$(uname -m)" = x86_64 ] || skip "the VM tests boot an x86_64 kernel"
busybox=/bin/busybox
if [ ! -x $busybox ] || ldd $busybox >/dev/null 2>&1; then
	skip "no static busybox at $busybox (Debian: busybox-static)"
fi
kver=
for h in /usr/src/linux-headers-*-amd64; do
	v=${h#/usr/src/linux-headers-}
	[ -f "$h/Makefile" ] && [ -r "/boot/vmlinuz-$v" ] && kver=$v
done
[ -n "$kver" ] || skip "no Debian kernel with headers (/boot/vmlinuz-*-amd64, /usr/src/linux-headers-*-amd64)"
kernel=/boot/vmlinuz-$kver
modsrc=/lib/modules/$kver/kernel

rm -rf "$work/mod" "$work/root"
mkdir -p "$work/mod" "$work/root"

# The module, built out of tree so module/ stays clean.
cp "$top/module/vasx.c" "$top/module/Kbuild" "$work/mod/"
if ! make -C "/usr/src/linux-headers-$kver" M="$work/mod" modules >"$work/build.log" 2>&1; then
	cat "$work/build.log" >&2
	die "the module does not build against $kver"
fi
for c in vmcheck preader; do
	${CC:-cc} -static -O2 -o "$work/$c" "$top/tests/kernel/vm/$c.c" ||
		die "cannot build the static $c (libc6-dev's libc.a?)"
done

# The initramfs.
R=$work/root
mkdir -p "$R/bin" "$R/vasx/module" "$R/vasx/extra" "$R/etc"
cp $busybox "$R/bin/busybox"
cp "$top/tests/kernel/vm/init" "$R/init"
cp "$top/tests/kernel/vm/checks.sh" "$R/vasx/checks.sh"
cp "$work/vmcheck" "$work/preader" "$R/vasx/"
cp "$work/mod/vasx.ko" "$R/vasx/module/vasx.ko"
echo "root:x:0:0:root:/:/bin/sh" >"$R/etc/passwd"
echo "nobody:x:65534:65534:nobody:/:/bin/sh" >>"$R/etc/passwd"
# A few modules of the same kernel without dependencies, so /proc/modules
# has more than vasx in it.
for m in drivers/net/dummy.ko lib/crc7.ko lib/crc-itu-t.ko; do
	[ -f "$modsrc/$m" ] && cp "$modsrc/$m" "$R/vasx/extra/"
done
# The vasx program with its shared libraries, when it has been built.
if [ -x "$VASX" ]; then
	cp "$VASX" "$R/vasx/vasx"
	ldd "$VASX" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' |
		while read -r lib; do
			mkdir -p "$R$(dirname "$lib")"
			cp -L "$lib" "$R$lib"
		done
	# The terminal description the explorer runs with (vmcheck tui).
	for t in /lib/terminfo/x/xterm /usr/share/terminfo/x/xterm; do
		[ -f "$t" ] && mkdir -p "$R$(dirname "$t")" && cp "$t" "$R$t" && break
	done
	# The module installed by name, with the index libkmod looks it up in.
	I=$R/vasx/installed
	mkdir -p "$I/lib/modules/$kver/extra"
	cp "$work/mod/vasx.ko" "$I/lib/modules/$kver/extra/"
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[ -f "/lib/modules/$kver/$f" ] && cp "/lib/modules/$kver/$f" "$I/lib/modules/$kver/"
	done
	depmod -b "$I" "$kver" 2>/dev/null || rm -rf "$I"
fi
(cd "$R" && find . | cpio -o -H newc --quiet) | gzip -1 >"$work/initrd.gz" ||
	die "cannot pack the initramfs"

fails=0
# The stress phase in each boot: load/unload cycles under concurrent
# readers. The boot with page-table isolation runs fewer: every system call
# costs far more there under TCG.
cycles=${VASX_STRESS_CYCLES:-50}
readers=${VASX_STRESS_READERS:-24}
# What the stock kernel can check without a rebuild: slab red zones,
# poisoning and consistency checks, and poisoned free pages.
debug="slub_debug=FZPU page_poison=1"
boot() {
	levels=$1 cpu=$2 extra=$3 boot_cycles=$4 boot_readers=$5
	log=$work/console-L$levels.log
	echo "kernel: booting $kver with $levels-level paging (-cpu $cpu${extra:+ $extra})"
	timeout "$boot_timeout" qemu-system-x86_64 -accel tcg -cpu "$cpu" -m 512 -smp 2 \
		-nographic -no-reboot -kernel "$kernel" -initrd "$work/initrd.gz" \
		-append "console=ttyS0 quiet panic=-1 $debug vasx_levels=$levels vasx_cycles=$boot_cycles vasx_readers=$boot_readers $extra" \
		</dev/null 2>&1 | tr -d '\r' >"$log"
	if ! grep -q '^VASX done' "$log"; then
		tail -40 "$log" >&2
		grep '^VASX fail ' "$log" | sed "s/^VASX /  L$levels /" >&2
		echo "kernel: the $levels-level boot did not finish within ${boot_timeout}s" >&2
		fails=$((fails + 1))
		return
	fi
	cap=$B/kernel/capture-L$levels
	mkdir -p "$cap"
	for f in layout tasks modules kallsyms; do
		sed -n "/^VASX-BEGIN $f\$/,/^VASX-END $f\$/p" "$log" | sed '1d;$d' >"$cap/$f"
	done
	grep '^VASX \(ok\|fail\|skip\) ' "$log" | sed "s/^VASX /  L$levels /"
	# What the kernel said when it complained, as the VM saw it.
	sed -n '/^VASX-BEGIN dmesg-/,/^VASX-END dmesg-/p' "$log" >&2
	if grep -E '^\[ *[0-9.]*\] (Kernel panic|BUG:|Oops|general protection)' "$log" >&2; then
		echo "kernel: the $levels-level console shows a kernel failure" >&2
		fails=$((fails + 1))
	fi
	n_ok=$(grep -c '^VASX ok ' "$log")
	n_fail=$(grep -c '^VASX fail ' "$log")
	[ "$n_ok" -ge 11 ] || { echo "kernel: only $n_ok checks passed" >&2; fails=$((fails + 1)); }
	fails=$((fails + n_fail))
}

# Page-table isolation on one boot: the image then has unmapped holes.
boot 4 qemu64 pti=on $((cycles * 2 / 5)) $((readers * 2 / 3))
boot 5 max "" "$cycles" "$readers"
[ "${KEEP:-0}" = 1 ] || rm -rf "$work/root"
if [ $fails -ne 0 ]; then
	echo "kernel: $fails failures; consoles in $work/console-L*.log" >&2
	exit 1
fi
echo "kernel: both boots passed"
