#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Register the vasx module with DKMS, which then builds and installs it for
# the running kernel and for every kernel installed later; or remove it.
# Usage: dkms-install.sh install|uninstall VERSION
# DKMS_SRC (default /usr/src) and DKMS (default dkms) may be overridden;
# KERNELVER builds for that kernel instead of the running one.
set -eu

action=${1:-}
version=${2:-}
if [ -z "$version" ] || { [ "$action" != install ] && [ "$action" != uninstall ]; }; then
	echo "usage: $0 install|uninstall VERSION" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
dkms=${DKMS:-dkms}
src=${DKMS_SRC:-/usr/src}/vasx-$version

if ! command -v "$dkms" >/dev/null 2>&1; then
	echo "dkms is not installed (Debian: apt-get install dkms)." >&2
	exit 1
fi
if [ -z "${DKMS:-}" ] && [ "$(id -u)" -ne 0 ]; then
	echo "registering a module with DKMS needs root: run 'sudo make dkms-$action'." >&2
	exit 1
fi

if [ "$action" = uninstall ]; then
	if "$dkms" status -m vasx -v "$version" | grep -q .; then
		"$dkms" remove -m vasx -v "$version" --all
	fi
	rm -rf "$src"
	echo "vasx $version removed from DKMS."
	exit 0
fi

rm -rf "$src"
mkdir -p "$src"
cp "$here/vasx.c" "$here/Kbuild" "$src/"
sed "s/@VERSION@/$version/" "$here/dkms.conf" >"$src/dkms.conf"
if ! "$dkms" status -m vasx -v "$version" | grep -q .; then
	"$dkms" add -m vasx -v "$version"
fi
"$dkms" build -m vasx -v "$version" ${KERNELVER:+-k "$KERNELVER"}
"$dkms" install -m vasx -v "$version" ${KERNELVER:+-k "$KERNELVER"}
echo "vasx $version registered with DKMS; load it with 'modprobe vasx'."
