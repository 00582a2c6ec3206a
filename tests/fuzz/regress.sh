#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Replay, without clang or libFuzzer, every input that once broke a fuzz
# target (tests/fuzz/regress/<target>/, named after what each caught) and
# the checked-in corpus (tests/fuzz/corpus/<target>/): each target is built
# with tests/fuzz/replay.c as its main() and the core under ASan and UBSan
# (the objects `make check` builds for the sanitizer tests). Any crash,
# sanitizer report or broken rule fails the suite.
set -u
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${B:-$top/build}
out=$B/fuzz/replay
cc=${CC:-cc}
mkdir -p "$out"

objs=
for c in "$top"/core/*.c; do
	o=${c#"$top"/}
	objs="$objs $B/asan/${o%.c}.o"
done
# shellcheck disable=SC2086
if ! make -s -C "$top" B="$B" $objs >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	exit 1
fi
libs=$(pkg-config --libs libproc2 libkmod 2>/dev/null)
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

status=0
for f in "$top"/tests/fuzz/fuzz_*.c; do
	t=${f##*/fuzz_}
	t=${t%.c}
	bin=$out/fuzz_$t
	# shellcheck disable=SC2086
	if ! "$cc" -std=c11 -D_GNU_SOURCE -O1 -g $san -I"$top/include" -I"$top/tests/fuzz" \
		-o "$bin" "$top/tests/fuzz/replay.c" "$f" "$top/tests/fuzz/check.c" $objs $libs \
		>"$out/$t.build.log" 2>&1; then
		echo "replay $t: does not build" >&2
		cat "$out/$t.build.log" >&2
		status=1
		continue
	fi
	dirs=
	for d in regress corpus; do
		[ -d "$top/tests/fuzz/$d/$t" ] && dirs="$dirs $top/tests/fuzz/$d/$t"
	done
	[ -n "$dirs" ] || continue
	# shellcheck disable=SC2086
	if n=$(ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		"$bin" $dirs 2>"$out/$t.log"); then
		echo "replay $t: $n: ok"
	else
		echo "replay $t: FAILED (see $out/$t.log)"
		head -30 "$out/$t.log" >&2
		status=1
	fi
done
# Scratch directories the tree target left when it aborted.
for d in /dev/shm/vasx-fuzz-* /tmp/vasx-fuzz-*; do
	[ -d "$d" ] && ! kill -0 "${d##*-}" 2>/dev/null && rm -rf "$d"
done
exit $status
