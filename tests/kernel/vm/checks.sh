#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The checks run inside the test VM. Each prints one line the host reads:
#   VASX ok|fail|skip NAME: what was seen
# and the module's files are dumped between VASX-BEGIN/VASX-END markers so
# the host can keep them as fixtures. From the kernel command line come
# $vasx_levels (4 or 5), and $vasx_cycles and $vasx_readers for the stress.
levels=${vasx_levels:-4}
V=/vasx
D=/sys/kernel/debug/vasx
CHK=$V/vmcheck
PR=$V/preader
VASX=$V/vasx

ok() { echo "VASX ok $1: $2"; }
bad() { echo "VASX fail $1: $2"; }
skip() { echo "VASX skip $1: $2"; }
one_line() { tr '\n' ' ' | cut -c1-300; }
check() {
	name=$1
	shift
	if out=$("$@" 2>&1); then
		ok "$name" "$(echo "$out" | one_line)"
	else
		bad "$name" "$(echo "$out" | one_line)"
	fi
}
# Run a command that must not hang, its output in /tmp/timed.out: its exit
# status, or 124 with where it is stuck when it took longer than $1
# seconds. A process stuck in the kernel cannot be killed: it is left.
timed() {
	limit=$(($1 * 5))
	shift
	"$@" >/tmp/timed.out 2>&1 &
	tpid=$!
	while state=$(cut -d' ' -f3 /proc/$tpid/stat 2>/dev/null) &&
	    [ -n "$state" ] && [ "$state" != Z ]; do
		limit=$((limit - 1))
		if [ $limit -le 0 ]; then
			echo "hangs (state $state) in $(cat /proc/$tpid/wchan 2>/dev/null): $(one_line </proc/$tpid/stack 2>/dev/null)" >>/tmp/timed.out
			return 124
		fi
		usleep 200000
	done
	wait $tpid
}
check_timed() {
	name=$1
	shift
	if timed "$@"; then
		ok "$name" "$(one_line </tmp/timed.out)"
	else
		bad "$name" "$(one_line </tmp/timed.out)"
	fi
}
dump() {
	echo "VASX-BEGIN $1"
	cat "$2"
	echo "VASX-END $1"
}
loaded() { grep -q '^vasx ' /proc/modules; }
# rmmod fails with EBUSY while a reader holds a file open: try again.
unload() {
	n=0
	while loaded; do
		rmmod vasx 2>/dev/null && return 0
		n=$((n + 1))
		[ $n -ge 500 ] && return 1
		usleep 10000
	done
	return 0
}
# What the kernel prints when something went wrong: oopses, BUG and WARN
# splats, list and refcount corruption, slab poison or redzone damage
# (slub_debug), hung tasks, lockups and RCU stalls.
oops_re='BUG|Oops|WARNING|general protection|KASAN|UBSAN|refcount_t|list_(add|del) corruption|kernel BUG|Call Trace|RIP:|Poison overwritten|Redzone|Object already free|INFO: task|blocked for more than|soft lockup|detected stall|rcu_.* stall'
# Fail on anything of that the kernel logged since the last call, and hand
# the host the whole complaint.
console_clean() {
	dmesg -c >/tmp/kmsg.new
	cat /tmp/kmsg.new >>/tmp/kmsg.all
	if grep -E "$oops_re" /tmp/kmsg.new >/tmp/oops; then
		bad "$1" "the kernel complained ($(wc -l </tmp/oops) lines): $(head -3 /tmp/oops | one_line)"
		echo "VASX-BEGIN dmesg-$1"
		grep -E -B3 -A25 "$oops_re" /tmp/kmsg.new | head -300
		echo "VASX-END dmesg-$1"
	else
		ok "$1" "no BUG, Oops, WARNING, corruption, hang or stall in $(wc -l </tmp/kmsg.new) kernel log lines"
	fi
}

# Boot messages are the kernel's own business: start from an empty log.
dmesg -c >/dev/null
# However the checks end, the kernel log is checked last.
trap 'console_clean final-console' EXIT
# Hung-task reports within seconds, not two minutes.
echo 10 >/proc/sys/kernel/hung_task_timeout_secs 2>/dev/null
# Real addresses in /proc/vmallocinfo for root, as on a default system.
echo 1 >/proc/sys/kernel/kptr_restrict

# --- the module's files ---------------------------------------------------
if insmod $V/module/vasx.ko; then
	ok insmod "module loaded"
else
	bad insmod "insmod failed"
	exit 0
fi
for m in $V/extra/*.ko; do
	insmod "$m" 2>/dev/null
done
# A thread whose name has a space, an escape sequence and a backslash.
# It blocks opening a FIFO nobody writes: no children coming and going.
mkfifo /tmp/hold
sh -c 'printf "a b\033[31m\\\\x" >/proc/self/comm; read x </tmp/hold' &
hostile=$!
usleep 100000
cp $D/layout /tmp/layout
cp $D/tasks /tmp/tasks
if grep -q "^task $hostile $hostile a\\\\040b\\\\033\\[31m\\\\134x 0x" /tmp/tasks; then
	ok tasks-comm "a hostile name is escaped: $(grep "^task $hostile " /tmp/tasks | cut -d' ' -f4)"
else
	bad tasks-comm "$(grep "^task $hostile " /tmp/tasks | one_line)"
fi
check layout $CHK layout /tmp/layout "$levels"
check modules $CHK modules /tmp/layout /proc/modules
check vmallocinfo $CHK vmallocinfo /tmp/layout /proc/vmallocinfo
check kallsyms $CHK kallsyms /tmp/layout /proc/kallsyms
check tasks $CHK tasks /tmp/layout /tmp/tasks
check nocap-layout $CHK nocap $D/layout
check nocap-tasks $CHK nocap $D/tasks
check nonroot $CHK nonroot $D/layout
# Every read size, odd and huge offsets, seeks, and what must be refused.
check_timed partial-layout 60 $PR partial $D/layout /tmp/layout
check_timed partial-tasks 60 $PR partial $D/tasks -
console_clean reads-console
dump layout /tmp/layout
dump tasks /tmp/tasks
dump modules /proc/modules
# The symbols vasx looks for, and a few of a module's (which it must skip).
grep -E ' (_text|_etext|__start_rodata|__end_rodata|_sdata|_edata|__bss_start|__bss_stop|_end|_stext)$' \
	/proc/kallsyms >/tmp/kallsyms
grep '\[dummy\]$' /proc/kallsyms | head -5 >>/tmp/kallsyms
dump kallsyms /tmp/kallsyms
if unload; then ok rmmod "module unloaded"; else bad rmmod "module stayed loaded"; fi

# --- loads and unloads under many readers -----------------------------------
# Readers of both files (opening and closing, holding a descriptor and
# reading a few bytes at a time, seeking, keeping a directory or O_PATH
# descriptor across unloads) while the module is loaded and unloaded
# ${vasx_cycles} times. An open file pins the module, so an unload may be
# refused (EAGAIN) until the readers let go; no call may hang.
stress() {
	rm -rf /tmp/layouts
	mkdir /tmp/layouts
	PR_LAYOUTS=/tmp/layouts timed 120 $PR stress $V/module/vasx.ko $D "$1" "$2"
	status=$?
	grep '^FAIL' /tmp/timed.out | sed 's/^FAIL /VASX fail stress: /'
	if [ $status -eq 0 ]; then
		ok stress "$(tail -1 /tmp/timed.out)"
	else
		bad stress "$(tail -1 /tmp/timed.out)"
	fi
}
stress "${vasx_cycles:-50}" "${vasx_readers:-24}"
# Each load's layout, where it changed, still has the image's sections
# where the kernel's symbols put them.
n=0
wrong=
for f in /tmp/layouts/load-*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	$CHK kallsyms "$f" /proc/kallsyms >/tmp/ks.out 2>&1 ||
		wrong="$wrong ${f#/tmp/layouts/}: $(one_line </tmp/ks.out)"
done
if [ -z "$wrong" ] && [ $n -gt 0 ]; then
	ok stress-layouts "$n distinct layouts over the loads, each with its sections where /proc/kallsyms puts them"
else
	bad stress-layouts "$n distinct layouts;${wrong:- none saved}"
fi
# Afterwards the module loads and its files are whole again. Pages freed
# at boot inside the image's mapping change permissions as modules reuse
# them, so the layout is checked, not compared; what moved is shown.
if insmod $V/module/vasx.ko; then
	cp $D/layout /tmp/layout.after
	cp $D/tasks /tmp/tasks.after
	check after-stress-layout $CHK layout /tmp/layout.after "$levels"
	check after-stress-tasks $CHK tasks /tmp/layout.after /tmp/tasks.after
	check after-stress-kallsyms $CHK kallsyms /tmp/layout.after /proc/kallsyms
	moved=$(diff /tmp/layout /tmp/layout.after | grep '^[-+]region' | cut -d' ' -f1-5 | one_line)
	ok after-stress "the module loads again${moved:+; changed since the first load: $moved}"
else
	bad after-stress "the module does not load after the stress"
fi
unload || bad after-stress "the module does not unload after the stress"
console_clean stress-console

# --- the vasx program ---------------------------------------------------------
if [ ! -x $VASX ]; then
	skip vasx "the vasx program is not in the image"
	exit 0
fi
if ! help=$($VASX --help 2>&1); then
	bad vasx "vasx does not run here: $(echo "$help" | one_line)"
	exit 0
fi
has() { echo "$help" | grep -q -- "$1"; }

insmod $V/module/vasx.ko
cp $D/layout /tmp/layout
cp $D/tasks /tmp/tasks
if has --json; then
	$VASX -p 1 --json >/tmp/p1.json 2>/tmp/p1.err
	check json-module $CHK json /tmp/layout /tmp/p1.json /tmp/tasks
else
	skip json-module "vasx has no --json"
fi

# Without the module: kallsyms as root, the documented layout otherwise.
unload
if has --json; then
	$VASX -p 1 --json >/tmp/ks.json 2>&1
	text=$(awk '$3 == "_text" { print $1; exit }' /proc/kallsyms)
	if grep -q '"source":"kallsyms"' /tmp/ks.json &&
	    grep "\"start\":\"0x$text\"" /tmp/ks.json | grep -q '"key":"kernel-image"'; then
		ok json-kallsyms "without the module, root gets the kernel image at _text 0x$text"
	else
		bad json-kallsyms "$(grep '"source"' /tmp/ks.json | head -c 300 | one_line)"
	fi
	$CHK asnobody /bin/sh -c "exec $VASX -p \$\$ --json" >/tmp/ap.json 2>&1
	if grep -q '"source":"approximate"' /tmp/ap.json &&
	    grep '"key":"direct-map"' /tmp/ap.json | grep -q '"approximate":true'; then
		ok json-approximate "without root, the documented layout marked approximate"
	else
		bad json-approximate "$(head -c 300 /tmp/ap.json | one_line)"
	fi
fi
insmod $V/module/vasx.ko

if has --task=; then
	kva=$(awk '$1 == "task" && $2 == 1 { print $5 }' /tmp/tasks)
	pa=$(awk '$1 == "task" && $2 == 1 { print $6 }' /tmp/tasks)
	head=$(awk '$1 == "task" && $2 == 0 { print $5 }' /tmp/tasks)
	$VASX --maps -p 1 >/tmp/maps-p1 2>&1
	$VASX --maps --task="$kva" >/tmp/maps-task 2>&1
	if [ -s /tmp/maps-p1 ] && cmp -s /tmp/maps-p1 /tmp/maps-task; then
		ok task-kva "--task=$kva selects pid 1"
	else
		bad task-kva "--task=$kva: $(one_line </tmp/maps-task)"
	fi
	$VASX --maps --phys-task="$pa" >/tmp/maps-phys 2>&1
	if cmp -s /tmp/maps-p1 /tmp/maps-phys; then
		ok phys-task "--phys-task=$pa selects pid 1"
	else
		bad phys-task "--phys-task=$pa: $(one_line </tmp/maps-phys)"
	fi
	if $VASX --maps --task-head="$head" >/tmp/maps-head 2>&1 &&
	    [ "$(wc -l </tmp/maps-head)" -gt "$(wc -l </tmp/maps-p1)" ]; then
		ok task-head "--task-head=$head walks the task list"
	else
		bad task-head "--task-head=$head: $(head -c 300 /tmp/maps-head | one_line)"
	fi
	unload
	if $VASX --maps --task="$kva" >/tmp/maps-nomod 2>&1; then
		bad task-nomodule "--task worked without the module"
	else
		ok task-nomodule "$(one_line </tmp/maps-nomod)"
	fi
else
	skip task-kva "vasx has no --task="
fi

# The explorer's M key on a terminal of its own (vmcheck tui plays the keys):
# it asks, loads only on y, offers to mount debugfs, and on quitting unloads
# only what it loaded itself. Starts and ends with the module unloaded and
# debugfs mounted.
tui() {
	name=$1 want=$2 steps=$3
	shift 3
	if $CHK tui "$steps" "$@" >/tmp/tui.out 2>&1 && eval "$want"; then
		ok "$name" "$(one_line </tmp/tui.out)"
	else
		bad "$name" "$(one_line </tmp/tui.out); wanted: $want"
	fi
}
debugfs_on() { grep -q ' /sys/kernel/debug debugfs ' /proc/mounts; }
# Each case starts from the same state, whatever the last one left.
fresh() {
	unload
	debugfs_on || mount -t debugfs debugfs /sys/kernel/debug
}
explorer_module_key() {
	mkdir -p /dev/pts
	mount -t devpts devpts /dev/pts 2>/dev/null
	if [ ! -e /dev/ptmx ]; then
		skip tui-module "no pseudo-terminals in the VM"
		return
	fi
	# pid 1's mm_struct is in the kernel half only when it is the module's;
	# a search from the top item finds it on the way down: "match:"
	find="k:g k:/mm_struct$(printf '\r')"
	fresh
	tui tui-no '! loaded' \
		"w:Quit k:M w:y/N k:n w:loaded $find w:matches n:match: k:q x:0" $VASX -p 1
	fresh
	tui tui-load '! loaded' \
		"w:Quit k:M w:y/N k:y m:1 w:(unloaded $find w:match: k:q x:0" $VASX -p 1
	fresh
	umount /sys/kernel/debug
	tui tui-mount 'debugfs_on && ! loaded' \
		"w:Quit k:M w:y/N k:y w:Mount k:y m:1 w:(unloaded k:q x:0" $VASX -p 1
	fresh
	umount /sys/kernel/debug
	tui tui-mount-no '! debugfs_on && ! loaded' \
		"w:Quit k:M w:y/N k:y w:Mount k:n m:0 w:stays k:q x:0" $VASX -p 1
	fresh
	insmod $V/module/vasx.ko
	tui tui-keep 'loaded' "w:Quit k:M w:already n:y/N k:q x:0" $VASX -p 1
	fresh
	tui tui-load-module '! loaded' "w:Quit k:M w:already n:y/N k:q x:0" \
		$VASX --load-module -p 1
	fresh
	tui tui-notroot '! loaded' "w:Quit k:M w:root n:y/N k:q x:0" \
		$CHK asnobody /bin/sh -c "exec $VASX -p \$\$"
	fresh
}

if has --load-module; then
	unload
	$VASX --load-module -p 1 --json >/tmp/lm.json 2>/tmp/lm.err
	if grep -q '"source":"module"' /tmp/lm.json && ! loaded; then
		ok load-module "vasx loaded the module, used it and unloaded it"
	else
		bad load-module "$(one_line </tmp/lm.err)"
	fi
	insmod $V/module/vasx.ko
	$VASX --load-module -p 1 --json >/dev/null 2>&1
	if loaded; then
		ok keep-module "a module vasx did not load stays loaded"
	else
		bad keep-module "vasx unloaded a module it had not loaded"
	fi
	unload
	if [ -d $V/installed ]; then
		cp -a $V/installed/lib /
		mv $V/module/vasx.ko /tmp/vasx.ko.away
		$VASX --load-module -p 1 --json >/tmp/lm.json 2>/tmp/lm.err
		if grep -q '"source":"module"' /tmp/lm.json && ! loaded; then
			ok load-installed "vasx loaded the installed module by name and unloaded it"
		else
			bad load-installed "$(one_line </tmp/lm.err)"
		fi
		rm -rf /lib/modules
		mv /tmp/vasx.ko.away $V/module/vasx.ko
	else
		skip load-installed "depmod could not index the installed module"
	fi
	$CHK asnobody $VASX --load-module -p 1 --json >/dev/null 2>/tmp/lm.err
	if grep -qi root /tmp/lm.err; then
		ok load-notroot "$(one_line </tmp/lm.err)"
	else
		bad load-notroot "$(one_line </tmp/lm.err)"
	fi
	umount /sys/kernel/debug
	$VASX --load-module -p 1 --json >/dev/null 2>/tmp/lm.err
	if grep -qi debugfs /tmp/lm.err && ! loaded; then
		ok load-nodebugfs "$(one_line </tmp/lm.err)"
	else
		bad load-nodebugfs "$(one_line </tmp/lm.err)"
	fi
	unload
	mount -t debugfs debugfs /sys/kernel/debug
	mv $V/module/vasx.ko /tmp/vasx.ko.away
	$VASX --load-module -p 1 --json >/dev/null 2>/tmp/lm.err
	if grep -qi 'built' /tmp/lm.err; then
		ok load-nobuild "$(one_line </tmp/lm.err)"
	else
		bad load-nobuild "$(one_line </tmp/lm.err)"
	fi
	mv /tmp/vasx.ko.away $V/module/vasx.ko
	explorer_module_key
	if [ -w /sys/kernel/security/lockdown ] &&
	    echo integrity >/sys/kernel/security/lockdown 2>/dev/null; then
		$VASX --load-module -p 1 --json >/dev/null 2>/tmp/lm.err
		if grep -qi 'signature' /tmp/lm.err && ! loaded; then
			ok load-lockdown "$(one_line </tmp/lm.err)"
		else
			bad load-lockdown "$(one_line </tmp/lm.err)"
		fi
	else
		skip load-lockdown "no lockdown LSM"
	fi
else
	skip load-module "vasx has no --load-module"
fi
console_clean vasx-console
