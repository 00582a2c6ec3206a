#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kernel half names its source: the module's layout when a tree has one
# (captured from a QEMU boot), the documented layout when it has none, and
# the reason when the module's file is there but unusable (a version this
# vasx does not know). With 5-level paging, -u shows the same user half.
set -u
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
VASX=${VASX:-$top/vasx}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "kernel_source: $*" >&2; exit 1; }

cp -r "$top/tests/fixtures/sleep" "$tmp/tree"
"$VASX" --proc-root "$tmp/tree" --graph >"$tmp/none.txt" 2>&1 || fail "graph of the sleep fixture"
grep -q "kernel half approximate" "$tmp/none.txt" || fail "no module, no kallsyms: not called approximate"

mkdir "$tmp/tree/vasx"
cp "$top/tests/fixtures/kernel/l4/vasx/layout" "$tmp/tree/vasx/layout"
"$VASX" --proc-root "$tmp/tree" --graph >"$tmp/mod.txt" 2>&1 || fail "graph with the module's layout"
grep -q "kernel half from the vasx module" "$tmp/mod.txt" || fail "the module's layout is not named"
"$VASX" --proc-root "$tmp/tree" --json | grep -q '"source":"module"' ||
	fail "JSON does not name the module as the kernel source"
# Every region the module reported is named in the graph and the JSON.
"$VASX" --proc-root "$tmp/tree" --json >"$tmp/mod.json"
for k in $(awk '$1 == "region" { print $4 }' "$tmp/tree/vasx/layout" | sort -u); do
	grep -q " $k " "$tmp/mod.txt" || fail "module region $k is not in the graph"
	grep -q "\"$k\"" "$tmp/mod.json" || fail "module region $k is not in the JSON"
done

# 5-level paging: -u shows the same 56-bit user half as the whole graph.
cp "$top/tests/fixtures/kernel/l5/vasx/layout" "$tmp/tree/vasx/layout"
"$VASX" --proc-root "$tmp/tree" --graph | grep -q 'user VAS -.* 0100000000000000' ||
	fail "5-level: the user half does not end at 2^56"
"$VASX" --proc-root "$tmp/tree" -u -v >"$tmp/l5u.txt" || fail "5-level: -u"
grep -q 'user VAS -.* 0100000000000000' "$tmp/l5u.txt" && grep -q '(56 bits)' "$tmp/l5u.txt" ||
	fail "5-level: -u shows another user half: $(grep 'user VAS' "$tmp/l5u.txt")"

sed '1s/.*/vasx-layout 99/' "$top/tests/fixtures/kernel/l4/vasx/layout" >"$tmp/tree/vasx/layout"
"$VASX" --proc-root "$tmp/tree" --graph >"$tmp/v99.txt" 2>&1 || fail "graph with an unknown version"
grep -q "kernel half approximate" "$tmp/v99.txt" || fail "an unknown version was used anyway"
grep -q "the vasx module's layout was not used: unknown format version" "$tmp/v99.txt" ||
	fail "the unknown version is not explained: $(sed -n 2,3p "$tmp/v99.txt")"
echo "kernel_source: module, approximate and refused versions are named"
