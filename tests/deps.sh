#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install what a step needs and is missing: apt-get as root, otherwise print
# the exact command and stop. Usage: deps.sh build|test|kernel
set -eu

build="build-essential pkg-config libncurses-dev libproc2-dev libkmod-dev"
test="$build libcmocka-dev tmux clang libclang-rt-14-dev procps valgrind python3 util-linux"
kernel="qemu-system-x86 linux-image-amd64 linux-headers-amd64 busybox-static cpio kmod sparse linux-source-6.1 dkms"

case "${1:-build}" in
build) want=$build ;;
test) want="$test $kernel" ;;
kernel) want=$kernel ;;
*) echo "usage: $0 build|test|kernel" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: not a Debian system; install the equivalents of: $want" >&2
	exit 0
fi

missing=
for p in $want; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "vasx needs these packages:$missing" >&2
	echo "Install them as root with:" >&2
	echo "  apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends $missing >/dev/null
