#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fuzz the parsers and the snapshot builder for a short while with libFuzzer
# (clang), starting from the fixtures. Exits 77 when clang's fuzzer runtime
# is missing. FUZZ_SECONDS sets the time (default 20).
set -u
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${B:-$top/build}
out=$B/fuzz
secs=${FUZZ_SECONDS:-20}

command -v clang >/dev/null 2>&1 || { echo "fuzz: clang is not installed" >&2; exit 77; }
mkdir -p "$out/corpus"
if ! clang -std=c11 -g -O1 -D_GNU_SOURCE -I"$top/include" -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -o "$out/fuzz_parsers" "$top/tests/fuzz/fuzz_parsers.c" \
	"$top"/core/*.c $(pkg-config --cflags --libs libproc2 libkmod) 2>"$out/build.log"; then
	if grep -q "fuzzer" "$out/build.log"; then
		echo "fuzz: clang cannot build fuzzers here (libclang-rt-14-dev missing?)" >&2
		exit 77
	fi
	cat "$out/build.log" >&2
	exit 1
fi
# Seed with every fixture file (maps, smaps, stat, status, layout, tasks).
i=0
find "$top/tests/fixtures" -type f -size -256k | while read -r f; do
	i=$((i + 1))
	cp "$f" "$out/corpus/seed-$i"
done
"$out/fuzz_parsers" -max_total_time="$secs" -max_len=65536 -timeout=10 \
	-print_final_stats=1 "$out/corpus" >"$out/fuzz.log" 2>&1
rc=$?
grep -E "stat::number_of_executed_units|Done" "$out/fuzz.log" | tail -2
if [ $rc -ne 0 ]; then
	tail -40 "$out/fuzz.log" >&2
	exit 1
fi
