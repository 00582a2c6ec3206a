#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fuzz every parser with libFuzzer (clang, AddressSanitizer and
# UndefinedBehaviorSanitizer): one target per input format,
# tests/fuzz/fuzz_<target>.c, each for FUZZ_SECONDS (default 20) starting
# from its checked-in corpus tests/fuzz/corpus/<target>/ and the inputs that
# once broke it, tests/fuzz/regress/<target>/.
#
#   sh tests/fuzz/run.sh [TARGET...]                 fuzz (all targets by default)
#   sh tests/fuzz/run.sh --update-corpus [TARGET...] also merge what was found
#                                                     into the checked-in corpus
#                                                     (minimised, within a budget)
#
# FUZZ_FLAGS adds libFuzzer options (e.g. -use_value_profile=1).
# The corpus is copied to $B/fuzz/corpus/ first, so a run never changes the
# repository unless asked to. Prints one line per target; exits 1 when a
# target finds a crash, a sanitizer report or a broken rule (and says where
# the input is and how to keep it), 77 when clang's fuzzer runtime is missing.
set -u
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${B:-$top/build}
out=$B/fuzz
secs=${FUZZ_SECONDS:-20}
update=0
if [ "${1:-}" = --update-corpus ]; then
	update=1
	shift
fi
targets=$*
if [ -z "$targets" ]; then
	for f in "$top"/tests/fuzz/fuzz_*.c; do
		t=${f##*/fuzz_}
		targets="$targets ${t%.c}"
	done
fi
for t in $targets; do
	[ -f "$top/tests/fuzz/fuzz_$t.c" ] || { echo "fuzz: no target $t (tests/fuzz/fuzz_$t.c)" >&2; exit 2; }
done

command -v clang >/dev/null 2>&1 || { echo "fuzz: clang is not installed (apt-get install clang libclang-rt-14-dev)" >&2; exit 77; }
mkdir -p "$out"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$out/probe.c"
if ! clang -fsanitize=fuzzer,address,undefined -o "$out/probe" "$out/probe.c" >"$out/probe.log" 2>&1; then
	echo "fuzz: clang cannot link a fuzzer here: its fuzzer runtime is missing (apt-get install libclang-rt-14-dev)" >&2
	exit 77
fi

# The core once, instrumented, through the Makefile's own rules.
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-O1 -g -fno-omit-frame-pointer $san"
if ! make -s -j2 -C "$top" CC=clang B="$out/obj" CFLAGS="$cflags -fsanitize=fuzzer-no-link" \
	"$out/obj/libvasxcore.a" >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	exit 1
fi
libs=$(pkg-config --libs libproc2 libkmod 2>/dev/null)

status=0
for t in $targets; do
	bin=$out/fuzz_$t
	corpus=$out/corpus/$t
	crashes=$out/crash/$t
	log=$out/$t.log
	if ! clang -std=c11 -D_GNU_SOURCE $cflags -fsanitize=fuzzer -I"$top/include" \
		-I"$top/tests/fuzz" -o "$bin" "$top/tests/fuzz/fuzz_$t.c" "$top/tests/fuzz/check.c" \
		"$out/obj/libvasxcore.a" $libs >"$out/$t.build.log" 2>&1; then
		echo "fuzz $t: does not build" >&2
		cat "$out/$t.build.log" >&2
		status=1
		continue
	fi
	rm -rf "$corpus" "$crashes"
	mkdir -p "$corpus" "$crashes"
	[ -d "$top/tests/fuzz/corpus/$t" ] && cp "$top/tests/fuzz/corpus/$t"/* "$corpus/" 2>/dev/null
	seeds=
	[ -d "$top/tests/fuzz/regress/$t" ] && seeds="$top/tests/fuzz/regress/$t"
	# Inputs past the line reader's 64 KiB block for the line formats; a
	# checked-in corpus of at most $budget KiB.
	case $t in
	addr) maxlen=8192 budget=64 ;;
	pidinfo) maxlen=16384 budget=192 ;;
	tree) maxlen=65536 budget=512 ;;
	*) maxlen=140000 budget=256 ;;
	esac
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=$maxlen \
		-dict="$top/tests/fuzz/fuzz.dict" -print_final_stats=1 -artifact_prefix="$crashes/" \
		${FUZZ_FLAGS:-} "$corpus" $seeds >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	size=$(ls "$corpus" | wc -l)
	crash=$(ls "$crashes" 2>/dev/null | head -1)
	if [ $rc -eq 0 ] && [ -z "$crash" ]; then
		echo "fuzz $t: ${runs:-0} runs in ${secs} s, corpus $size inputs: ok"
	else
		status=1
		echo "fuzz $t: FAILED after ${runs:-?} runs (exit $rc)"
		grep -E "^(==[0-9]+==ERROR|SUMMARY|fuzz: broken rule)|runtime error" "$log" | head -5 >&2
		if [ -n "$crash" ]; then
			echo "  input:     $crashes/$crash" >&2
			echo "  replay:    $bin $crashes/$crash" >&2
			echo "  minimise:  $bin -minimize_crash=1 -runs=100000 -exact_artifact_path=$crashes/min $crashes/$crash" >&2
			echo "  keep it:   fix the defect, then copy the minimised input to" >&2
			echo "             tests/fuzz/regress/$t/<what-it-caught> (replayed by make check)" >&2
		fi
		echo "  log:       $log" >&2
	fi
	if [ $update -eq 1 ] && [ $rc -eq 0 ]; then
		rm -rf "$out/merged/$t"
		mkdir -p "$out/merged/$t" "$top/tests/fuzz/corpus/$t"
		if "$bin" -merge=1 -max_len=$maxlen "$out/merged/$t" "$corpus" \
			>"$out/$t.merge.log" 2>&1; then
			# Within budget: the smallest inputs first (they also run fastest).
			rm -f "$top/tests/fuzz/corpus/$t"/*
			# shellcheck disable=SC2046
			(cd "$out/merged/$t" && wc -c $(ls -S -r)) |
				awk -v max=$((budget * 1024)) '$2 != "total" { s += $1; if (s > max) exit; print $2 }' |
				while read -r f; do cp "$out/merged/$t/$f" "$top/tests/fuzz/corpus/$t/"; done
			echo "fuzz $t: corpus now $(ls "$top/tests/fuzz/corpus/$t" | wc -l) inputs," \
				"$(($(cat "$top/tests/fuzz/corpus/$t"/* | wc -c) / 1024)) KiB"
		fi
	fi
	# The tree target's scratch directories of processes that are gone
	# (a crash or libFuzzer's exit skips their removal).
	for d in /dev/shm/vasx-fuzz-* /tmp/vasx-fuzz-*; do
		[ -d "$d" ] && ! kill -0 "${d##*-}" 2>/dev/null && rm -rf "$d"
	done
done
exit $status
