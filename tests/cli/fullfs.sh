#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A full disk, a read-only file system and a directory vasx may not write:
# --save, --export-maps, --export-kernel and --log each fail with exit
# status 1 and one sentence on stderr, print no half answer and leave no
# partial file behind; a file or tree that was there before is left as it
# was. The disk is a small tmpfs mounted for the test (root only), filled
# to the byte count each case needs: nothing free, or half of what the
# write needs, so that it fails midway.
. "$(dirname "$0")/cli_lib"

[ "$(id -u)" -eq 0 ] || { echo "$me: needs root to mount a small tmpfs" >&2; exit 77; }
mnt="$tmp/mnt"
mkdir "$mnt" || exit 1
mount -t tmpfs -o size=24m,mode=0755 vasx-fullfs "$mnt" 2>"$tmp/mount.err" ||
	{ echo "$me: cannot mount a tmpfs: $(cat "$tmp/mount.err")" >&2; exit 77; }
fs_cleanup() {
	umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
	cleanup
}
trap fs_cleanup EXIT

# 2000 mappings: a tree of several MB, an export of more than 100 KB.
# --churn 0: each SIGUSR1 changes the mappings, so a new save differs.
start_testproc --anon 2000 --churn 0 || { echo "$me: the test helper did not start" >&2; exit 1; }

# fill BYTES: leave BYTES free on the tmpfs (whole pages).
fill() {
	rm -f "$mnt/fill"
	avail=$(stat -f -c '%a' "$mnt")
	keep=$((($1 + 4095) / 4096))
	[ "$avail" -gt "$keep" ] || return 0
	dd if=/dev/zero of="$mnt/fill" bs=4096 count=$((avail - keep)) 2>/dev/null
}

# one_error WHAT RC REGEX: exit status RC and exactly one line on stderr matching REGEX.
one_error() {
	[ "$rc" -eq "$2" ] || { fail "$1: exit $rc, not $2: $(cat "$tmp/err")"; return 1; }
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || { fail "$1: not one line on stderr: $(cat "$tmp/err")"; return 1; }
	grep -q -E -e "$3" "$tmp/err" || { fail "$1: unexpected message: $(cat "$tmp/err")"; return 1; }
	return 0
}

# no_debris WHAT: nothing on the tmpfs but the filler and what was there before ($keep_names).
no_debris() {
	left=
	for f in $(ls -A "$mnt"); do
		case " fill $keep_names " in
		*" $f "*) ;;
		*) left="$left $f" ;;
		esac
	done
	[ -z "$left" ] || fail "$1 left $left"
	[ -z "$(find "$mnt" -name '*.tmp*' -o -name '.vasx-save.*' -o -name '.old-*')" ] ||
		fail "$1 left temporary files: $(find "$mnt" -name '*.tmp*' -o -name '.vasx-save.*' | head -3)"
}

# listing DIR: every file of a tree with its checksum.
listing() {
	(cd "$1" && find . -type f | sort | xargs md5sum)
}

"$VASX" -p "$tp" --save "$tmp/ref" || { fail "--save to a roomy disk"; finish; }
tree_bytes=$(du -sb "$tmp/ref" | cut -f1)
"$VASX" -p "$tp" --export-maps "$tmp/ref.csv" >/dev/null || fail "--export-maps to a roomy disk"
csv_bytes=$(wc -c <"$tmp/ref.csv")
"$VASX" -p "$tp" --graph >"$tmp/ref.graph" || fail "--graph"
graph_bytes=$(wc -c <"$tmp/ref.graph")
keep_names=

# ---- a save over a tree replaces its process and keeps the others
start_sleeper
"$VASX" -p "$sp" --save "$tmp/multi" && "$VASX" -p "$tp" --save "$tmp/multi/" ||
	fail "two saves into one tree"
[ -d "$tmp/multi/$sp" ] && [ -d "$tmp/multi/$tp" ] && grep -q "^pid $tp\$" "$tmp/multi/vasx-save" ||
	fail "a save over a tree of another process: $(ls -A "$tmp/multi" | tr '\n' ' ')"
"$VASX" --proc-root "$tmp/multi" -p "$sp" --graph >/dev/null || fail "the first process no longer reads back"
ls -A "$tmp/multi" | grep -q -e '^\.' && fail "a save left $(ls -A "$tmp/multi" | grep -e '^\.')"
ls -A "$tmp" | grep -q -e '\.tmp' && fail "a save left $(ls -A "$tmp" | grep -e '\.tmp')"
ok "a save over a tree of another process keeps it"

# ---- a full disk: a new tree, a new file
for free in 0 $((tree_bytes / 2)); do
	fill "$free"
	"$VASX" -p "$tp" --save "$mnt/new" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	one_error "--save to a full disk ($free bytes free)" 1 \
		"^vasx: cannot save pid $tp to $mnt/new: No space left on device$" &&
		ok "--save to a full disk ($free bytes free): one message, exit 1"
	[ ! -s "$tmp/out" ] || fail "--save to a full disk printed something"
	no_debris "--save to a full disk ($free bytes free)"
done

for free in 0 $((csv_bytes / 2)); do
	fill "$free"
	"$VASX" -p "$tp" --export-maps "$mnt/m.csv" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	one_error "--export-maps to a full disk ($free bytes free)" 1 \
		"^vasx: cannot write $mnt/m.csv: No space left on device$" &&
		ok "--export-maps to a full disk ($free bytes free): one message, exit 1"
	[ ! -s "$tmp/out" ] || fail "--export-maps to a full disk printed the graph anyway"
	no_debris "--export-maps to a full disk"
done
fill 0
"$VASX" -p "$tp" --export-kernel "$mnt/k.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
one_error "--export-kernel to a full disk" 1 "^vasx: cannot write $mnt/k.csv: No space left on device$" &&
	ok "--export-kernel to a full disk: one message, exit 1"
[ ! -s "$tmp/out" ] || fail "--export-kernel to a full disk printed the graph anyway"
no_debris "--export-kernel to a full disk"

# --log: the output is still printed (as documented), the log untouched.
fill 0
"$VASX" -p "$tp" --graph --log "$mnt/log" >"$tmp/out" 2>"$tmp/err"
rc=$?
one_error "--log to a full disk" 1 "^vasx: cannot append to the log $mnt/log: No space left on device$" &&
	ok "--log to a full disk: one message, exit 1"
cmp -s "$tmp/out" "$tmp/ref.graph" || fail "--log to a full disk: the graph was not printed whole"
no_debris "--log to a full disk"

# ---- a full disk: what was there before stays as it was
rm -f "$mnt/fill"
"$VASX" -p "$tp" --save "$mnt/tree" 2>"$tmp/err" || fail "--save to the tmpfs: $(cat "$tmp/err")"
printf 'old export\n' >"$mnt/m.csv"
printf 'old log line\n' >"$mnt/log"
listing "$mnt/tree" >"$tmp/before"
keep_names="tree m.csv log"
kill -USR1 "$tp"	# the next save differs from this one
n=0
while ! grep -q '^step 1 ' "$tmp/tp.out" && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
fill $((tree_bytes / 2))
"$VASX" -p "$tp" --save "$mnt/tree" >"$tmp/out" 2>"$tmp/err"
rc=$?
one_error "--save over a tree on a full disk" 1 \
	"^vasx: cannot save pid $tp to $mnt/tree: No space left on device$"
listing "$mnt/tree" >"$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then
	ok "--save over a tree on a full disk: the old tree is left whole"
else
	fail "--save over a tree on a full disk changed it: $(diff "$tmp/before" "$tmp/after" | head -4)"
fi
"$VASX" --proc-root "$mnt/tree" --graph >/dev/null 2>"$tmp/err" ||
	fail "the old tree no longer reads back: $(cat "$tmp/err")"
no_debris "--save over a tree on a full disk"

fill $((csv_bytes / 2))
"$VASX" -p "$tp" --export-maps "$mnt/m.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
one_error "--export-maps over a file on a full disk" 1 "^vasx: cannot write $mnt/m.csv: "
[ "$(cat "$mnt/m.csv")" = "old export" ] && ok "--export-maps on a full disk: the old file is left whole" ||
	fail "--export-maps on a full disk changed the old file"
fill $((graph_bytes / 2))
"$VASX" -p "$tp" --graph --log "$mnt/log" >"$tmp/out" 2>"$tmp/err"
rc=$?
one_error "--log appending on a full disk" 1 "^vasx: cannot append to the log $mnt/log: "
[ "$(cat "$mnt/log")" = "old log line" ] && ok "--log on a full disk: no half record appended" ||
	fail "--log on a full disk appended part of a record: $(wc -c <"$mnt/log") bytes"
no_debris "--export-maps and --log on a full disk"

# ---- read-only
rm -f "$mnt/fill"
mount -o remount,ro "$mnt" || fail "remount read-only"
for args in "--save $mnt/new" "--save $mnt/tree" "--export-maps $mnt/x.csv" \
	"--export-kernel $mnt/m.csv" "--graph --log $mnt/log"; do
	# shellcheck disable=SC2086
	"$VASX" -p "$tp" $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	one_error "$args on a read-only file system" 1 "Read-only file system$" &&
		ok "$args on a read-only file system: one message, exit 1"
done
listing "$mnt/tree" >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" || fail "the tree changed on a read-only file system"
mount -o remount,rw "$mnt"

# ---- a directory the user may not write (nobody)
if command -v setpriv >/dev/null 2>&1; then
	chmod 711 "$tmp"
	mkdir -m 755 "$tmp/locked"
	cp -r "$mnt/tree" "$tmp/locked/tree"
	listing "$tmp/locked/tree" >"$tmp/before"
	for args in "--save $tmp/locked/new" "--save $tmp/locked/tree" \
		"--export-maps $tmp/locked/x.csv" "--graph --log $tmp/locked/log"; do
		# nobody's own process, so that reading it is allowed
		setpriv --reuid=65534 --regid=65534 --clear-groups sh -c \
			'sleep 30 & p=$!; "$0" -p $p "$@"; rc=$?; kill $p; exit $rc' \
			"$VASX" $args >"$tmp/out" 2>"$tmp/err"
		rc=$?
		one_error "$args as nobody" 1 "^vasx: cannot (save pid [0-9]+ to|write|append to the log) $tmp/locked/.*: Permission denied$" &&
			ok "$args into a directory nobody may not write: one message, exit 1"
	done
	[ "$(ls -A "$tmp/locked")" = tree ] || fail "nobody's failed writes left $(ls -A "$tmp/locked")"
	listing "$tmp/locked/tree" >"$tmp/after"
	cmp -s "$tmp/before" "$tmp/after" || fail "nobody's failed --save changed the tree"
else
	echo "note: no setpriv: writing as an unprivileged user is not checked"
fi

finish
