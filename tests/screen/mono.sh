#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The same walk with NO_COLOR in an 80x24 terminal: no colour is sent, the
# marks that replace colour are there, and everything still fits.
set -u
suite=mono
. "$(dirname "$0")/lib.inc"

start_helper --special --threads 1
set -- $(region wx)
wx_start=$1
set -- $(region deleted)
del_start=$1

start_ui 80 24 NO_COLOR=1 --
wait_screen 'processes: [0-9]+ of'
keys "$pid"
wait_screen "processes: 1 of"
keys Enter Enter
wait_screen "pid $pid vasx-testproc"

# no colour escape reaches the terminal (attributes such as reverse may)
T capture-pane -p -e -t 0 >"$tmp/esc"
grep -q -E '\[(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)m' "$tmp/esc" && fail "colours sent under NO_COLOR"
grep -q -E '\[[0-9;]*7m' "$tmp/esc" || fail "the selection is not shown in reverse video"

# every line fits in 80 columns and the bar is on the last row
[ "$(screen | LC_ALL=C.UTF-8 wc -L)" -le 80 ] || fail "a line is wider than 80 columns"
screen | tail -n 1 | grep -q '^F1Help' || fail "no function-key bar on the last row"

# marks visible without colour: W+X, deleted file
keys : "$(printf '%x' "$wx_start")" Enter
wait_screen "Start +0x$(printf '%016x' "$wx_start")"
selected_line | grep -q -E '!' || fail "no ! mark on the W+X mapping"
keys : "$(printf '%x' "$del_start")" Enter
wait_screen "Start +0x$(printf '%016x' "$del_start")"
selected_line | grep -q -E 'D' || fail "no D mark on the deleted file"
screen | grep -q 'mapping of a deleted file' || fail "details do not say the file was deleted"

# zoom to the page level and out again
keys : "$(printf '%x' "$wx_start")" Enter Enter
wait_screen 'Zoom 1, pages:'
keys BSpace
wait_screen 'Address space, high on top'

# Tab walks the panes on the right
keys Tab
wait_screen 'Details'
keys Tab
wait_screen 'Statistics and legend'
wait_screen 'Mappings +[0-9]+/[0-9]+ VMAs'
keys Tab
wait_screen 'Changes \('
keys Tab

keys q
check_restored 0

# --ascii: no UTF-8 glyph at all
start_ui 80 24 NO_COLOR=1 -- --ascii -p "$pid"
wait_screen "pid $pid vasx-testproc"
screen | LC_ALL=C grep -q -P '[\x80-\xff]' && fail "--ascii drew non-ASCII bytes"
screen | grep -q -E '^>[0-9a-f]{16} ' || fail "no ASCII selection marker"
keys q
check_restored 0
echo "mono: ok"
