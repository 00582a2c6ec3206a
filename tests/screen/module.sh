#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The M key (load the vasx module) as far as it may go on this machine: as
# root the question, and that answering no changes nothing; as nobody the
# sentence that it needs root, with no question; on a saved tree neither.
#
# It never answers yes: a module is loaded only inside QEMU
# (tests/kernel/qemu.sh). So that a slip could not load one either, the
# explorer runs from a copy with no module/vasx.ko beside it, and the suite
# refuses to run where a vasx module is loaded or installed.
set -u
suite=module
. "$(dirname "$0")/lib.inc"

refuse() {
	echo "$suite: $*; not testing the M key here" >&2
	exit 77
}
[ -e /sys/module/vasx ] && refuse "the vasx module is loaded (M would use it)"
if command -v modinfo >/dev/null 2>&1 && modinfo vasx >/dev/null 2>&1; then
	refuse "a vasx module is installed for this kernel"
fi
[ -n "$(find "/lib/modules/$(uname -r)" -name 'vasx.ko*' 2>/dev/null | head -n 1)" ] &&
	refuse "a vasx module is installed for this kernel"

bin=$(mktemp -d "${TMPDIR:-/tmp}/vasx-module-bin.XXXXXX") || exit 1
chmod 755 "$bin"
cp "$VASX" "$bin/vasx" || exit 1
[ ! -e "$bin/module" ] || exit 1
VASX=$bin/vasx
trap 'rm -rf "$bin"; cleanup' EXIT

loaded() {
	[ -e /sys/module/vasx ]
}

kernel_source() {
	screen | sed -n 's/.* | kernel: \([a-z]*\) .*/\1/p' | head -n 1
}

start_helper --threads 1

# a person who is not root: told so, never asked
if [ "$(id -u)" -ne 0 ]; then
	start_ui 120 40 -- -p "$pid"
	wait_screen "pid $pid vasx-testproc"
	keys M
	wait_screen 'loading the vasx module needs root \(CAP_SYS_ADMIN\): run vasx as root'
	screen | grep -q '\[y/N\]' && fail "asked without root"
	keys q
	check_restored 0
	echo "$suite: not root: the question itself is not tested" >&2
	exit 0
fi

start_ui 120 40 -- -p "$pid"
wait_screen "pid $pid vasx-testproc"
src=$(kernel_source)
[ -n "$src" ] && [ "$src" != module ] || fail "kernel source '$src' before M"

# the details of a kernel region (the top one) name the key
keys g
wait_screen 'Hint +press M to load the vasx module \(root\)'

# the question; other keys leave it up, n declines
keys M
wait_screen "Load the vasx kernel module to show the kernel's real layout\\? \\[y/N\\]"
keys x j
sleep 0.3
screen | grep -q '\[y/N\]' || fail "a key other than y or n answered the question"
keys n
wait_screen 'the vasx module was not loaded'
screen | grep -q '\[y/N\]' && fail "the question is still up after n"
loaded && fail "the vasx module is loaded after answering no"
# the view goes on as before: same source, refreshing, keys work
keys F5
sleep 0.3
[ "$(kernel_source)" = "$src" ] || fail "kernel source changed from $src to $(kernel_source)"
# Esc and Enter decline too
keys M
wait_screen '\[y/N\]'
keys Escape
wait_gone '\[y/N\]' 3
keys M
wait_screen '\[y/N\]'
keys Enter
wait_gone '\[y/N\]' 3
screen | grep -q 'the vasx module was not loaded' || fail "Enter did not decline"
keys q
check_restored 0
loaded && fail "the vasx module is loaded after the explorer quit"

# nobody: the sentence, not the question
if command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups "$VASX" --version >/dev/null 2>&1; then
	setpriv --reuid=65534 --regid=65534 --clear-groups sleep 300 &
	tp="$tp $!"
	VASX="setpriv --reuid=65534 --regid=65534 --clear-groups $bin/vasx"
	start_ui 120 40 -- -p "$!"
	wait_screen "pid $! sleep"
	keys M
	wait_screen 'loading the vasx module needs root \(CAP_SYS_ADMIN\): run vasx as root'
	screen | grep -q '\[y/N\]' && fail "nobody was asked"
	keys q
	check_restored 0
	VASX=$bin/vasx
else
	echo "$suite: no setpriv: the not-root sentence is not tested" >&2
fi

# a saved tree: the kernel half is the tree's, nothing to load
"$VASX" -p "$pid" --save "$tmp/tree" || fail "could not save pid $pid"
start_ui 120 40 -- --proc-root "$tmp/tree" -p "$pid"
wait_screen "pid $pid vasx-testproc"
keys M
wait_screen 'the kernel half comes from the saved tree'
screen | grep -q '\[y/N\]' && fail "asked on a saved tree"
keys q
check_restored 0
loaded && fail "the vasx module is loaded"
echo "$suite: ok"
