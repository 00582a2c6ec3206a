#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# --save DIR, then --proc-root DIR: the same output as the live process
# gave, for a stopped sleep and for the test helper with its special
# mappings. The Pss family and the Shared/Private split (and the Uss and Pss
# totals) depend on which other processes map the same pages at the instant
# of each read (vasx itself maps libc), so those are left out of the
# comparison: everything else must be byte for byte the same.
. "$(dirname "$0")/cli_lib"

# text_table FILE: the text table less the columns that depend on sharing.
text_table() {
	sed '$d' "$1" | awk 'NR == 1 { for (i = 1; i <= NF; i++) drop[i] = $i ~ /^(Pss|SwapPss|Shared_|Private_)/ }
		{ out = ""; for (i = 1; i <= NF; i++) if (!drop[i]) out = out " " $i; print out }'
}

# same PID TREE: compare every output of the live process and of the tree.
same() {
	pid=$1 tree=$2
	for args in "--graph" "--graph -v -u" "--only-kernel" "--maps --format=csv" "--table" \
		    "--table --format=csv" "--json" "--table --format=json"; do
		"$VASX" -p "$pid" $args >"$tmp/live" 2>"$tmp/live.err" || fail "live $args"
		"$VASX" --proc-root "$tree" -p "$pid" $args >"$tmp/saved" 2>"$tmp/saved.err" ||
			fail "saved $args: $(cat "$tmp/saved.err")"
		case $args in
		--table)
			# Without the columns named above and the total row.
			text_table "$tmp/live" >"$tmp/live.n"
			text_table "$tmp/saved" >"$tmp/saved.n"
			;;
		*json*)
			"$CHECK" json -d Pss -d SwapPss -d Shared_ -d Private_ -d pss_kb -d uss_kb <"$tmp/live" >"$tmp/live.n"
			"$CHECK" json -d Pss -d SwapPss -d Shared_ -d Private_ -d pss_kb -d uss_kb <"$tmp/saved" >"$tmp/saved.n"
			;;
		*table*)
			# Columns 12-20 are Pss..Private_Dirty, 31 SwapPss.
			cut -d, -f1-11,21-30,32- "$tmp/live" >"$tmp/live.n"
			cut -d, -f1-11,21-30,32- "$tmp/saved" >"$tmp/saved.n"
			;;
		*-v*)
			grep -v '^  memory ' "$tmp/live" >"$tmp/live.n"
			grep -v '^  memory ' "$tmp/saved" >"$tmp/saved.n"
			;;
		*)
			cp "$tmp/live" "$tmp/live.n"
			cp "$tmp/saved" "$tmp/saved.n"
			;;
		esac
		[ -s "$tmp/live.n" ] || fail "$args: empty output"
		cmp -s "$tmp/live.n" "$tmp/saved.n" ||
			fail "$args: live and saved differ: $(diff "$tmp/live.n" "$tmp/saved.n" | head -4)"
	done
}

start_sleeper
"$VASX" -p "$sp" --save "$tmp/sleep" >"$tmp/out" 2>"$tmp/err" || fail "--save: $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ] || fail "--save alone printed something"
[ -f "$tmp/sleep/$sp/maps" ] && [ -f "$tmp/sleep/$sp/smaps" ] && [ -f "$tmp/sleep/vasx-save" ] ||
	fail "the tree lacks maps, smaps or vasx-save: $(ls -R "$tmp/sleep" | head)"
same "$sp" "$tmp/sleep"
# A tree of one process needs no -p.
"$VASX" --proc-root "$tmp/sleep" --graph >"$tmp/nop" || fail "--proc-root without -p"
"$VASX" -p "$sp" --graph | cmp -s - "$tmp/nop" || fail "--proc-root without -p shows another picture"
ok "sleep: --save and --proc-root agree"

# --save with an output option prints it too.
"$VASX" -p "$sp" --save "$tmp/again" --json >"$tmp/j" && "$CHECK" json <"$tmp/j" ||
	fail "--save --json"
[ -f "$tmp/again/$sp/smaps" ] || fail "--save --json saved nothing"
ok "--save with --json"

# Saved again over an older tree: a thread that has exited since is gone.
mkdir "$tmp/sleep/$sp/task/999999999" &&
	cp "$tmp/sleep/$sp/task/$sp/comm" "$tmp/sleep/$sp/task/$sp/syscall" \
		"$tmp/sleep/$sp/task/999999999/" || fail "cannot make a stale thread"
"$VASX" -p "$sp" --save "$tmp/sleep" || fail "--save over a tree"
[ ! -e "$tmp/sleep/$sp/task/999999999" ] || fail "--save over a tree kept an exited thread"
"$VASX" --proc-root "$tmp/sleep" --json | grep -q '"thread_list":\[{"tid":'"$sp"',[^]]*}\]' ||
	fail "--save over a tree: the threads read back are not the live ones"
same "$sp" "$tmp/sleep"
ok "--save over an older tree: no exited threads"

# The helper: files, shared, W+X, guard, deleted, spaces, evil names, threads.
if start_testproc --special --threads 2; then
	stop_and_wait "$tp"
	"$VASX" -p "$tp" --save "$tmp/tp" || fail "--save of the helper"
	same "$tp" "$tmp/tp"
	ok "test helper: --save and --proc-root agree"
else
	echo "note: no test helper ($TESTPROC): its round trip skipped"
fi

# Errors: a pid that is gone, a directory that cannot be made.
"$VASX" -p "$sp" --save /proc/version/x >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^vasx: cannot save pid $sp to /proc/version/x" "$tmp/err" ||
	fail "unwritable --save: $(cat "$tmp/err")"
"$VASX" --proc-root "$tmp/nonexistent" -p 1 >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^vasx: cannot read the tree $tmp/nonexistent" "$tmp/err" ||
	fail "missing --proc-root: $(cat "$tmp/err")"
"$VASX" --proc-root "$tmp/sleep" -p 1 >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^vasx: no process 1 in $tmp/sleep" "$tmp/err" ||
	fail "pid not in the tree: $(cat "$tmp/err")"
ok "errors of --save and --proc-root"

# A save that fails half way (another user's process) leaves no tree behind.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	nb="$tmp/nobody"
	mkdir -m 1777 "$nb" && chmod 711 "$tmp"
	mkdir -m 1777 "$nb/old"
	for d in "$nb/new" "$nb/old"; do
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$VASX" -p "$sp" --save "$d" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ $rc -eq 1 ] && grep -q "^vasx: permission denied" "$tmp/err" ||
			fail "--save of another user's process: exit $rc, $(cat "$tmp/err")"
	done
	[ ! -e "$nb/new" ] || fail "a failed --save left $(ls -R "$nb/new" | tr '\n' ' ')"
	[ ! -e "$nb/old/$sp" ] || fail "a failed --save into a directory left $nb/old/$sp"
	ok "a failed --save leaves no tree"
else
	echo "note: not root or no setpriv: a failed --save is not checked"
fi

finish
