#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# --maps chosen by kernel objects (--task, --phys-task, --task-head), on a
# saved tree given a task list in the module's format (vasx/tasks), so it
# runs without the module: the module's own tests check the list itself.
. "$(dirname "$0")/cli_lib"

start_sleeper
"$VASX" -p "$sp" --save "$tmp/t" || fail "--save"
mkdir -p "$tmp/t/vasx"
# The sleeper (pid and a thread), and a task that has no tree of its own.
cat >"$tmp/t/vasx/tasks" <<TASKS
vasx-tasks 1
task $sp $sp sleep 0xffff888003a1c000 0x0000000003a1c000 0xffffc90000010000 0xffff888004000000 0xffff888005000000
task 4194000 4194000 other 0xffff888003a20000 0x0000000003a20000 0xffffc90000020000 0xffff888004100000 0xffff888005100000
TASKS
n=$(maps_lines "$sp")
"$VASX" --proc-root "$tmp/t" --maps --format=csv >"$tmp/all" || fail "--maps of the tree"

for sel in --task=0xffff888003a1c000 --phys-task=3a1c000 "--task=0xffff888003a1c000,0x1000 --regex=^sleep\$"; do
	"$VASX" --proc-root "$tmp/t" --maps --format=csv $sel >"$tmp/out" 2>"$tmp/err"
	rc=$?
	case $sel in
	*0x1000*)
		# An address no task has is an error, not a shorter table.
		[ $rc -eq 1 ] && [ ! -s "$tmp/out" ] || fail "$sel: exit $rc"
		continue ;;
	esac
	[ $rc -eq 0 ] || fail "$sel: exit $rc: $(cat "$tmp/err")"
	cmp -s "$tmp/out" "$tmp/all" || fail "$sel: not the sleeper's $n mappings"
done
# Selectors add up: the task chosen by address is listed though its name
# does not match the regex.
"$VASX" --proc-root "$tmp/t" --maps --format=csv --task=0xffff888003a1c000 --regex='^nomatch$' \
	>"$tmp/out" 2>"$tmp/err" || fail "--task with --regex: exit $?: $(cat "$tmp/err")"
cmp -s "$tmp/out" "$tmp/all" || fail "--task with a regex it does not match: the sleeper is left out"
"$VASX" --proc-root "$tmp/t" --maps --task=0xffff888003a20000 >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^vasx: no process 4194000 in $tmp/t" "$tmp/err" ||
	fail "a task without a process: $(cat "$tmp/err")"
"$VASX" --proc-root "$tmp/t" --maps --task=0xdead >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^vasx: no task of the module's task list is at the addresses given" "$tmp/err" ||
	fail "an address no task has: $(cat "$tmp/err")"
"$VASX" --proc-root "$tmp/t" --maps --task=zz >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "--task=zz is not a usage error"
"$VASX" -p "$sp" --task=0x1 >/dev/null 2>&1
[ $? -eq 2 ] || fail "--task without --maps is not a usage error"
rm -rf "$tmp/t/vasx"
"$VASX" --proc-root "$tmp/t" --maps --task=0xffff888003a1c000 >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "need the vasx module's task list" "$tmp/err" ||
	fail "no task list: $(cat "$tmp/err")"
ok "--task, --phys-task: the right process, clear errors"

finish
