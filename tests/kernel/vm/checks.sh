#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The checks run inside the test VM. Each prints one line the host reads:
#   VASX ok|fail|skip NAME: what was seen
# and the module's files are dumped between VASX-BEGIN/VASX-END markers so
# the host can keep them as fixtures. $vasx_levels comes from the kernel
# command line (4 or 5).
levels=${vasx_levels:-4}
V=/vasx
D=/sys/kernel/debug/vasx
CHK=$V/vmcheck
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
# Fail on any oops, BUG or warning the kernel printed since the last call.
console_clean() {
	if dmesg -c | grep -E 'BUG|Oops|WARNING|general protection|Call Trace|RIP:' >/tmp/oops; then
		bad "$1" "kernel complained: $(one_line </tmp/oops)"
	else
		ok "$1" "no BUG, Oops or WARNING on the console"
	fi
}

dmesg -c >/dev/null
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
dump layout /tmp/layout
dump tasks /tmp/tasks
dump modules /proc/modules
# The symbols vasx looks for, and a few of a module's (which it must skip).
grep -E ' (_text|_etext|__start_rodata|__end_rodata|_sdata|_edata|__bss_start|__bss_stop|_end|_stext)$' \
	/proc/kallsyms >/tmp/kallsyms
grep '\[dummy\]$' /proc/kallsyms | head -5 >>/tmp/kallsyms
dump kallsyms /tmp/kallsyms
if unload; then ok rmmod "module unloaded"; else bad rmmod "module stayed loaded"; fi

# --- 50 loads and unloads with readers of both files running ---------------
rm -f /tmp/stop
readers=
for f in layout tasks; do
	(while [ ! -f /tmp/stop ]; do cat $D/$f >/dev/null 2>&1; done) &
	readers="$readers $!"
done
i=0
cycles=0
while [ $i -lt 50 ]; do
	i=$((i + 1))
	insmod $V/module/vasx.ko || break
	head -c 200 $D/layout >/dev/null 2>&1
	unload || break
	cycles=$i
done
touch /tmp/stop
wait $readers
if [ $cycles -eq 50 ]; then
	ok load-unload "50 loads and unloads with concurrent readers"
else
	bad load-unload "stopped after $cycles cycles"
fi
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
