#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Errors as a user meets them: another user's process (permission denied,
# saying what is needed), smaps unreadable while maps is readable (say so,
# show what maps shows, exit 1), a process that is gone from a tree, a zombie
# (says so), and processes exiting while vasx reads them: always a complete
# output or an error with nothing on stdout, never a truncated table.
. "$(dirname "$0")/cli_lib"

nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

start_sleeper
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 && nobody "$VASX" --version >/dev/null 2>&1; then
	for mode in --graph --table --json; do
		nobody "$VASX" -p "$sp" $mode >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ $rc -eq 1 ] || fail "$mode as nobody on root's process: exit $rc"
		[ ! -s "$tmp/out" ] || fail "$mode as nobody printed on stdout"
		grep -qx "vasx: permission denied reading /proc/$sp/maps: run as root or as the process's owner (needs ptrace read access)" \
			"$tmp/err" || fail "$mode as nobody said: $(cat "$tmp/err")"
	done
	ok "another user's process: permission denied, with what is needed"

	# smaps unreadable, maps readable: a saved tree with smaps locked away.
	chmod 755 "$tmp"
	"$VASX" -p "$sp" --save "$tmp/tree" || fail "--save"
	chmod -R a+rX "$tmp/tree"
	chmod 000 "$tmp/tree/$sp/smaps"
	nobody "$VASX" --proc-root "$tmp/tree" -p "$sp" --table >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] || fail "smaps unreadable: exit $rc"
	grep -qx "vasx: permission denied reading $tmp/tree/$sp/smaps: run as root or as the process's owner (needs ptrace read access); showing what $tmp/tree/$sp/maps alone shows" \
		"$tmp/err" || fail "smaps unreadable said: $(cat "$tmp/err")"
	[ "$(wc -l <"$tmp/out")" -eq $(($(maps_lines "$sp") + 2)) ] ||
		fail "smaps unreadable: the table does not show every mapping of maps"
	head -n 1 "$tmp/out" | grep -q ' Size Mapping$' || fail "smaps unreadable: columns other than maps gives"
	nobody "$VASX" --proc-root "$tmp/tree" -p "$sp" --json >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 1 ] && "$CHECK" json <"$tmp/out" && grep -q '"smaps":null' "$tmp/out" ||
		fail "smaps unreadable: --json"
	ok "smaps unreadable: says so, shows what maps shows, exit 1"

	# --load-module refuses without root before touching the kernel.
	if ! grep -q '^vasx ' /proc/modules 2>/dev/null; then
		nobody "$VASX" --load-module -p "$sp" --graph >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ $rc -eq 1 ] && [ ! -s "$tmp/out" ] || fail "--load-module as nobody: exit $rc"
		grep -qx "vasx: --load-module needs root (CAP_SYS_ADMIN): run vasx as root" "$tmp/err" ||
			fail "--load-module as nobody said: $(cat "$tmp/err")"
		ok "--load-module as another user: needs root"
	fi
else
	echo "note: not root or no setpriv: permission checks skipped"
fi

# Root refused all the same (a container's pid 1, a security policy): not "run as root".
if [ "$(id -u)" -eq 0 ] && ! cat /proc/1/maps >/dev/null 2>&1; then
	"$VASX" -p 1 --graph >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] && [ ! -s "$tmp/out" ] || fail "pid 1 refused to root: exit $rc"
	grep -qx "vasx: permission denied reading /proc/1/maps even as root: ptrace access to it is refused (a security policy, or a process of another user namespace)" \
		"$tmp/err" || fail "pid 1 refused to root said: $(cat "$tmp/err")"
	ok "refused even to root: says so"
else
	echo "note: root may read pid 1 here: the refused-to-root message is not checked"
fi

# A process whose files are gone from a tree: it exited between reads.
"$VASX" -p "$sp" --save "$tmp/gone" || fail "--save"
rm -f "$tmp/gone/$sp/maps" "$tmp/gone/$sp/smaps"
"$VASX" --proc-root "$tmp/gone" -p "$sp" --table >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && [ ! -s "$tmp/out" ] || fail "maps gone: exit $rc, $(wc -c <"$tmp/out") bytes on stdout"
grep -qx "vasx: process $sp exited while it was being read (the process exited); nothing was printed" \
	"$tmp/err" || fail "maps gone said: $(cat "$tmp/err")"
ok "a process that is gone: one sentence, nothing printed"

# A zombie exited before vasx looked: say so, not "while it was being read".
sh -c 'sleep 0.1 & exec sleep 300' &
zp=$!
pids="$pids $zp"
n=0
while { z=$(pgrep -P "$zp" 2>/dev/null | head -n 1); [ -z "$z" ] ||
	[ "$(sed 's/.*) \(.\).*/\1/' /proc/"$z"/stat 2>/dev/null)" != Z ]; } && [ $n -lt 100 ]; do
	sleep 0.05; n=$((n + 1))
done
for mode in --graph --table --json; do
	"$VASX" -p "$z" $mode >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] && [ ! -s "$tmp/out" ] || fail "zombie $mode: exit $rc"
	grep -qx "vasx: process $z exited and is a zombie (its parent has not reaped it yet): it has no address space" \
		"$tmp/err" || fail "zombie $mode said: $(cat "$tmp/err")"
done
ok "a zombie: says it is one, nothing printed"

# Processes that exit while vasx reads them: many mappings, a short life.
if [ -x "${TESTPROC:-}" ]; then
	runs=0 whole=0 errors=0
	for round in 1 2 3; do
		"$TESTPROC" --anon 3000 --seconds 0.6 --dir "$tmp" >"$tmp/short.out" 2>/dev/null &
		short=$!
		pids="$pids $short"
		tries=0
		# A zombie still answers kill -0: the tries bound the loop.
		while kill -0 "$short" 2>/dev/null && [ $tries -lt 100 ]; do
			tries=$((tries + 1))
			for mode in --table --json --graph; do
				"$VASX" -p "$short" $mode >"$tmp/out" 2>"$tmp/err"
				rc=$?
				runs=$((runs + 1))
				if [ $rc -eq 0 ]; then
					case $mode in
					--table) tail -n 1 "$tmp/out" | grep -q 'total kB' ;;
					--json) "$CHECK" json <"$tmp/out" >/dev/null ;;
					--graph) tail -n 1 "$tmp/out" | grep -q '+ 0000000000000000$' ;;
					esac || fail "$mode exit 0 with an incomplete output"
					whole=$((whole + 1))
				else
					errors=$((errors + 1))
					[ $rc -eq 1 ] || fail "$mode on an exiting process: exit $rc"
					[ ! -s "$tmp/out" ] || fail "$mode on an exiting process: error and output"
					grep -q "^vasx: \(no process with pid $short\|process $short exited\)" "$tmp/err" ||
						fail "$mode on an exiting process said: $(cat "$tmp/err")"
				fi
			done
		done
		wait "$short" 2>/dev/null
	done
	ok "exiting processes: $runs reads, $whole complete, $errors errors, none truncated"
fi

finish
