#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Turn the fixtures into first inputs for each fuzz target, in DIR/<target>/:
# the files themselves for the one-file formats, whole /proc trees packed
# into the tree target's text ("=== path" before each file), and typed
# arguments and names for the addr target. The checked-in corpus was grown
# from these:
#
#   sh tests/fuzz/corpus/seed.sh build/fuzz/seeds
#   cp build/fuzz/seeds/T/* tests/fuzz/corpus/T/    (for each target T)
#   FUZZ_SECONDS=300 sh tests/fuzz/run.sh --update-corpus
#
# Usage: seed.sh DIR
set -eu
top=$(cd "$(dirname "$0")/../../.." && pwd)
fx=$top/tests/fixtures
dir=${1:?usage: seed.sh DIR}
for t in maps smaps pidinfo layout tasks tree addr; do
	rm -rf "${dir:?}/$t"
	mkdir -p "$dir/$t"
done

n=0
seed() {	# seed TARGET FILE
	n=$((n + 1))
	cp "$2" "$1/seed-$n"
}

for f in $(cd "$fx" && find . -type f | sort); do
	f=${f#./}
	case $f in
	*/maps) seed "$dir/maps" "$fx/$f" ;;
	*/smaps | */smaps_rollup) seed "$dir/smaps" "$fx/$f" ;;
	*/stat | */status | */syscall) seed "$dir/pidinfo" "$fx/$f" ;;
	*/vasx/layout) seed "$dir/layout" "$fx/$f" ;;
	*/vasx/tasks) seed "$dir/tasks" "$fx/$f" ;;
	esac
done

# pack ROOT PATH...: the files under ROOT/PATH (relative), each after its
# header; a file that does not end in a newline gets one, so the next
# header starts a line. With $keep set, maps and smaps keep only their
# first $keep mappings (small inputs fuzz faster and keep the corpus small).
keep=
pack() {
	root=$1
	shift
	(cd "$root" && find "$@" -type f | sort) | while read -r f; do
		printf '=== %s\n' "$f"
		case $f in
		*/maps | */smaps)
			awk -v keep="${keep:-999999}" '/^[0-9a-f]+-[0-9a-f]+ / { n++ } n <= keep' "$root/$f" ;;
		*)
			cat "$root/$f" ;;
		esac
		[ ! -s "$root/$f" ] || [ "$(tail -c 1 "$root/$f" | wc -l)" -eq 1 ] || echo
	done
}

common="meminfo sys"
keep=12
for tree in sleep bash testproc parsers/live; do
	root=$fx/$tree
	pid=$(cd "$root" && ls -d [0-9]*)
	# shellcheck disable=SC2086
	pack "$root" $pid $(cd "$root" && ls -d $common 2>/dev/null) >"$dir/tree/$(echo "$tree" | tr / -)"
done
keep=
for pid in $(cd "$fx/hostile" && ls -d [0-9]*); do
	pack "$fx/hostile" "$pid" meminfo sys >"$dir/tree/hostile-$pid"
done

# A process with the kernel half: the module's files, else kallsyms and modules.
keep=8
{
	pack "$fx/sleep" 3958 meminfo sys
	pack "$fx/kernel/l4" vasx modules kallsyms |
		sed 's/^task 1 1 init /task 3958 3958 sleep /'
} >"$dir/tree/sleep-module-l4"
{
	pack "$fx/bash" 3959 meminfo sys
	pack "$fx/kernel/l5" modules kallsyms
} >"$dir/tree/bash-kallsyms-l5"

# --diff A B: the second tree changes a few files of the first.
{
	pack "$fx/testproc" 3960 meminfo sys
	echo "=== ----"
	echo "=== 3960/smaps"
	awk '/^[0-9a-f]+-/ { h++ } h != 3 && h <= keep { print }' keep=$keep "$fx/testproc/3960/smaps" |
		sed '0,/ rw-p /s// r-xp /; s/^Rss: *[0-9]*/Rss:                 96/'
} >"$dir/tree/testproc-diff"
{
	pack "$fx/sleep" 3958
	echo "=== ----"
	pack "$fx/bash" 3959
	printf '=== vasx-save\nvasx-save 1\npid 3959\nsource live\n'
} >"$dir/tree/diff-other-process"

# Arguments and names.
a=$dir/addr
printf '0x7ffd12345000' >"$a/hex"
printf '7ffd12345000\n' >"$a/bare-hex"
printf '#140737488347136' >"$a/decimal"
printf '0xffffffffffffffff' >"$a/top"
printf '1,2,3' >"$a/pidlist"
printf '0xffff888100a18000,ffff888100a1c000' >"$a/tasks"
printf '/tmp/\033[2J\033[Hcleared\t\177\302\205\342\200\256evil\377' >"$a/hostile-name"
printf 'caf\303\251 \360\237\230\200 \\012' >"$a/utf8-name"
