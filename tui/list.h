/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one scrollable list of the explorer: selection, scrolling, paging and
 * Home/End for every list on screen. Items have a height in rows: one row
 * each, or given by a prefix-sum array (the bands of the address column).
 * No curses here, so key handling is testable without a terminal.
 */
#ifndef VASX_TUI_LIST_H
#define VASX_TUI_LIST_H

#include <stdbool.h>
#include <stdint.h>

struct vasx_list {
	uint64_t n;		/* items */
	uint64_t sel;		/* selected item */
	uint64_t top;		/* first row on screen */
	unsigned height;	/* rows on screen */
	const uint64_t *ypos;	/* n + 1 row offsets, or NULL for one row each */
};

uint64_t vasx_list_rows(const struct vasx_list *l);
uint64_t vasx_list_y(const struct vasx_list *l, uint64_t item);
/* The item drawn on @row (absolute), or l->n when past the end. */
uint64_t vasx_list_item_at(const struct vasx_list *l, uint64_t row);

void vasx_list_select(struct vasx_list *l, uint64_t item);
void vasx_list_move(struct vasx_list *l, int64_t delta);
void vasx_list_page(struct vasx_list *l, int dir);
void vasx_list_scroll(struct vasx_list *l, int64_t rows);
void vasx_list_home(struct vasx_list *l);
void vasx_list_end(struct vasx_list *l);
/* Scroll so that the selected item is on screen. */
void vasx_list_show_sel(struct vasx_list *l);
/* Clamp after n or height changed. */
void vasx_list_fix(struct vasx_list *l);

#endif
