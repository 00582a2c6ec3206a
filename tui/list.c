/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic list: selection and scrolling over items of any height.
 */
#include "list.h"

uint64_t vasx_list_y(const struct vasx_list *l, uint64_t item)
{
	if (item > l->n)
		item = l->n;
	return l->ypos ? l->ypos[item] : item;
}

uint64_t vasx_list_rows(const struct vasx_list *l)
{
	return vasx_list_y(l, l->n);
}

static uint64_t item_rows(const struct vasx_list *l, uint64_t item)
{
	return vasx_list_y(l, item + 1) - vasx_list_y(l, item);
}

uint64_t vasx_list_item_at(const struct vasx_list *l, uint64_t row)
{
	uint64_t lo = 0, hi = l->n;

	if (!l->ypos)
		return row < l->n ? row : l->n;
	if (row >= l->ypos[l->n])
		return l->n;
	/* the last item whose first row is <= row */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (l->ypos[mid] <= row)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static uint64_t max_top(const struct vasx_list *l)
{
	uint64_t rows = vasx_list_rows(l);

	return rows > l->height ? rows - l->height : 0;
}

void vasx_list_show_sel(struct vasx_list *l)
{
	uint64_t y, h;

	if (!l->n)
		return;
	y = vasx_list_y(l, l->sel);
	h = item_rows(l, l->sel);
	if (y < l->top)
		l->top = y;
	else if (y + h > l->top + l->height)
		l->top = h > l->height ? y : y + h - l->height;
}

void vasx_list_fix(struct vasx_list *l)
{
	if (!l->n) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->top > max_top(l))
		l->top = max_top(l);
	vasx_list_show_sel(l);
}

void vasx_list_select(struct vasx_list *l, uint64_t item)
{
	l->sel = item;
	vasx_list_fix(l);
}

void vasx_list_move(struct vasx_list *l, int64_t delta)
{
	if (!l->n)
		return;
	if (delta < 0 && (uint64_t)-delta > l->sel)
		l->sel = 0;
	else if (delta > 0 && (uint64_t)delta >= l->n - l->sel)
		l->sel = l->n - 1;
	else
		l->sel += delta;
	vasx_list_show_sel(l);
}

void vasx_list_scroll(struct vasx_list *l, int64_t rows)
{
	uint64_t first, last;

	if (rows < 0)
		l->top = (uint64_t)-rows > l->top ? 0 : l->top + rows;
	else
		l->top = l->top + rows > max_top(l) ? max_top(l) : l->top + rows;
	/* keep the selection on screen, as a wheel does in htop */
	first = vasx_list_item_at(l, l->top);
	last = vasx_list_item_at(l, l->top + (l->height ? l->height - 1 : 0));
	if (last >= l->n)
		last = l->n ? l->n - 1 : 0;
	if (l->sel < first)
		l->sel = first;
	else if (l->sel > last)
		l->sel = last;
}

/* A page moves the view by its height and the selection with it. */
void vasx_list_page(struct vasx_list *l, int dir)
{
	uint64_t row;

	if (!l->n)
		return;
	if (dir < 0) {
		row = vasx_list_y(l, l->sel);
		row = row > l->height ? row - l->height : 0;
		l->top = l->top > l->height ? l->top - l->height : 0;
	} else {
		row = vasx_list_y(l, l->sel) + l->height;
		l->top = l->top + l->height > max_top(l) ? max_top(l) : l->top + l->height;
	}
	l->sel = vasx_list_item_at(l, row);
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	vasx_list_show_sel(l);
}

void vasx_list_home(struct vasx_list *l)
{
	l->sel = 0;
	l->top = 0;
}

void vasx_list_end(struct vasx_list *l)
{
	if (!l->n)
		return;
	l->sel = l->n - 1;
	l->top = max_top(l);
	vasx_list_show_sel(l);
}
