/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of the column layout, the zoom arithmetic and the list widget: no terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testlib.h"

#include "vasx/strpool.h"
#include "vasx/vas.h"
#include "colscale.h"
#include "list.h"

#define PAGE 4096ull

static struct vasx_region map(uint64_t start, uint64_t size, unsigned perms)
{
	struct vasx_region r = {
		.start = start, .last = start + size - 1, .perms = (uint8_t)perms,
		.flags = VASX_F_MAPPING, .smaps = VASX_NONE, .space = VASX_SPACE_USER,
	};

	return r;
}

static struct vasx_snapshot *snap_of(const struct vasx_region *maps, size_t n)
{
	struct vasx_snapshot *s = test_snapshot_new(7, 65536);

	assert_int_equal(vasx_snapshot_build(s, maps, n), 0);
	return s;
}

static void test_colscale_log_rows(void **state)
{
	unsigned prev = 0;

	(void)state;
	assert_int_equal(vasx_colscale_log_rows(1), 1);
	assert_int_equal(vasx_colscale_log_rows(PAGE), 1);
	assert_int_equal(vasx_colscale_log_rows(4 * PAGE), 1);
	assert_int_equal(vasx_colscale_log_rows(8 * PAGE), 2);
	assert_int_equal(vasx_colscale_log_rows(64 * PAGE), 3);
	/* never shrinks as the size grows, and stops at the cap */
	for (unsigned b = 0; b < 64; b++) {
		unsigned r = vasx_colscale_log_rows(1ull << b);

		assert_true(r >= prev);
		assert_true(r <= VASX_COL_MAXROWS);
		prev = r;
	}
	assert_int_equal(vasx_colscale_log_rows(UINT64_MAX), VASX_COL_MAXROWS);
}

static void check_layout(const struct vasx_colscale *cs, const struct vasx_region *r, size_t n)
{
	assert_int_equal(cs->ypos[0], 0);
	for (size_t i = 0; i < cs->n; i++) {
		const struct vasx_region *reg = &r[cs->v[i].region];

		assert_int_equal(cs->ypos[i + 1] - cs->ypos[i], cs->v[i].rows);
		assert_true(cs->v[i].rows >= 1);
		assert_int_equal(cs->item_of[cs->v[i].region], i);
		if (vasx_colscale_compressed(reg))
			assert_int_equal(cs->v[i].rows, 1);
		/* descending: each top-level band starts above the next one */
		if (i && reg->depth == 0 && r[cs->v[i - 1].region].depth == 0)
			assert_true(r[cs->v[i - 1].region].start > reg->start);
	}
	(void)n;
}

static void test_colscale_descending(void **state)
{
	struct vasx_region maps[] = {
		map(0x400000, PAGE, VASX_P_READ | VASX_P_EXEC),
		map(0x401000, 16 * PAGE, VASX_P_READ | VASX_P_WRITE),
		map(0x7f0000000000ull, 1024 * PAGE, VASX_P_READ),
		map(0x7ffd00000000ull, 33 * PAGE, VASX_P_READ | VASX_P_WRITE),
	};
	struct vasx_snapshot *s = snap_of(maps, 4);
	struct vasx_colscale cs = { 0 };
	struct vasx_colscale_opts o = { .height = 20 };

	(void)state;
	assert_int_equal(vasx_colscale_build(&cs, s->regions, s->nregions, &o), 0);
	assert_int_equal(cs.n, s->nregions);
	check_layout(&cs, s->regions, s->nregions);
	/* the top of the column is the top of the address space */
	assert_int_equal(s->regions[cs.v[0].region].last, UINT64_MAX);
	assert_int_equal(s->regions[cs.v[cs.n - 1].region].start, 0);
	/* a 4 MB mapping is taller than a one-page mapping */
	assert_true(cs.v[cs.item_of[vasx_snapshot_find(s, 0x7f0000000000ull)]].rows >
		    cs.v[cs.item_of[vasx_snapshot_find(s, 0x400000)]].rows);

	/* only the user half: no hole, no kernel */
	o.only_user = true;
	assert_int_equal(vasx_colscale_build(&cs, s->regions, s->nregions, &o), 0);
	check_layout(&cs, s->regions, s->nregions);
	for (size_t i = 0; i < cs.n; i++)
		assert_int_equal(s->regions[cs.v[i].region].space, VASX_SPACE_USER);
	assert_int_equal(cs.item_of[vasx_snapshot_find(s, 0xffff800000000000ull)], UINT32_MAX);
	vasx_colscale_release(&cs);
	vasx_snapshot_free(s);
}

static void test_colscale_nested(void **state)
{
	struct vasx_region r[6] = {
		{ .start = 0, .last = 0xfff, .kind = VASX_KIND_GAP },
		{ .start = 0x1000, .last = 0xffff, .kind = VASX_KIND_KERNEL },
		{ .start = 0x1000, .last = 0x2fff, .kind = VASX_KIND_KERNEL, .depth = 1 },
		{ .start = 0x1000, .last = 0x1fff, .kind = VASX_KIND_KERNEL, .depth = 2 },
		{ .start = 0x3000, .last = 0x3fff, .kind = VASX_KIND_KERNEL, .depth = 1 },
		{ .start = 0x10000, .last = 0x1ffff, .kind = VASX_KIND_KERNEL },
	};
	static const uint32_t want[6] = { 5, 1, 4, 2, 3, 0 };
	struct vasx_colscale cs = { 0 };
	struct vasx_colscale_opts o = { .height = 20 };

	(void)state;
	assert_int_equal(vasx_colscale_build(&cs, r, 6, &o), 0);
	assert_int_equal(cs.n, 6);
	/* parents before what they hold, siblings descending, grandchildren after their parent */
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(cs.v[i].region, want[i]);
	assert_int_equal(cs.v[3].rows, 1);
	check_layout(&cs, r, 6);
	vasx_colscale_release(&cs);
}

static void test_colscale_linear(void **state)
{
	struct vasx_region r[3] = {
		map(0x10000, 64 * PAGE, VASX_P_READ),
		{ .start = 0x50000, .last = 0x9ffff, .kind = VASX_KIND_GAP },
		map(0xa0000, 128 * PAGE, VASX_P_READ),
	};
	struct vasx_colscale cs = { 0 };
	struct vasx_colscale_opts o = { .linear = true, .height = 24 };
	unsigned small, big;

	(void)state;
	assert_int_equal(vasx_colscale_build(&cs, r, 3, &o), 0);
	assert_true(cs.unit >= PAGE);
	small = cs.v[cs.item_of[0]].rows;
	big = cs.v[cs.item_of[2]].rows;
	/* heights follow sizes: twice the bytes, twice the rows (within one row) */
	assert_true(big >= 2 * small - 1 && big <= 2 * small + 1);
	assert_int_equal(cs.v[cs.item_of[1]].rows, 1);
	vasx_colscale_release(&cs);
}

/* A kernel half does not flatten the user mappings; its bands are capped. */
static void test_colscale_linear_kernel(void **state)
{
	struct vasx_region maps[] = {
		map(0x10000000, 64 * PAGE, VASX_P_READ),
		map(0x20000000, 128 * PAGE, VASX_P_READ),
	};
	struct vasx_snapshot *s = snap_of(maps, 2);
	struct vasx_colscale cs = { 0 };
	struct vasx_colscale_opts o = { .linear = true, .height = 24 };
	size_t hole;

	(void)state;
	assert_int_equal(vasx_colscale_build(&cs, s->regions, s->nregions, &o), 0);
	assert_true(cs.v[cs.item_of[vasx_snapshot_find(s, 0x20000000)]].rows >
		    cs.v[cs.item_of[vasx_snapshot_find(s, 0x10000000)]].rows);
	for (size_t i = 0; i < cs.n; i++)
		assert_true(cs.v[i].rows <= 4 * o.height);
	hole = vasx_snapshot_find(s, 0x800000000000ull);
	assert_int_equal(cs.v[cs.item_of[hole]].rows, 1);
	vasx_colscale_release(&cs);
	vasx_snapshot_free(s);
}

static void test_zoom_rows(void **state)
{
	uint64_t start = 0x7f0000000000ull, last = start + 8 * 1024 * 1024 - 1;
	uint64_t g = vasx_zoom_gran(start, last, 30, PAGE), lo, hi, prev_lo = 0;
	uint64_t rows;

	(void)state;
	assert_int_equal(g & (g - 1), 0);
	assert_true(g >= PAGE);
	rows = vasx_zoom_rows(start, last, g);
	assert_true(rows <= 30);
	assert_true(vasx_zoom_rows(start, last, g / 2) > 30);
	/* rows tile the range from the top down without gaps */
	for (uint64_t i = 0; i < rows; i++) {
		vasx_zoom_row_range(start, last, g, i, &lo, &hi);
		if (i == 0)
			assert_int_equal(hi, last);
		else
			assert_int_equal(hi + 1, prev_lo);
		assert_int_equal(vasx_zoom_row_of(start, last, g, lo), i);
		assert_int_equal(vasx_zoom_row_of(start, last, g, hi), i);
		prev_lo = lo;
	}
	assert_int_equal(prev_lo, start);
	/* a single page is one row of one page */
	assert_int_equal(vasx_zoom_gran(start, start + PAGE - 1, 30, PAGE), PAGE);
	assert_int_equal(vasx_zoom_rows(start, start + PAGE - 1, PAGE), 1);
	/* the whole 2^64 space does not overflow */
	g = vasx_zoom_gran(0, UINT64_MAX, 40, PAGE);
	assert_true(g != 0);
	assert_true(vasx_zoom_rows(0, UINT64_MAX, g) >= 1);
	vasx_zoom_row_range(0, UINT64_MAX, g, 0, &lo, &hi);
	assert_int_equal(hi, UINT64_MAX);
}

static void test_list_heights(void **state)
{
	uint64_t ypos[] = { 0, 1, 5, 6, 18, 19 };	/* 5 items: 1, 4, 1, 12, 1 rows */
	struct vasx_list l = { .n = 5, .height = 10, .ypos = ypos };

	(void)state;
	assert_int_equal(vasx_list_rows(&l), 19);
	assert_int_equal(vasx_list_item_at(&l, 0), 0);
	assert_int_equal(vasx_list_item_at(&l, 4), 1);
	assert_int_equal(vasx_list_item_at(&l, 5), 2);
	assert_int_equal(vasx_list_item_at(&l, 17), 3);
	assert_int_equal(vasx_list_item_at(&l, 19), 5);
	vasx_list_move(&l, 1);
	assert_int_equal(l.sel, 1);
	assert_int_equal(l.top, 0);
	/* a band taller than the screen: its top row is shown */
	vasx_list_move(&l, 2);
	assert_int_equal(l.sel, 3);
	assert_int_equal(l.top, 6);
	vasx_list_move(&l, 10);
	assert_int_equal(l.sel, 4);
	assert_true(l.top + l.height >= 19);
	vasx_list_home(&l);
	assert_int_equal(l.sel, 0);
	assert_int_equal(l.top, 0);
	vasx_list_page(&l, 1);
	assert_true(l.sel >= 2);
	vasx_list_end(&l);
	assert_int_equal(l.sel, 4);
	assert_int_equal(l.top, 9);
	vasx_list_move(&l, -100);
	assert_int_equal(l.sel, 0);
	assert_int_equal(l.top, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_colscale_log_rows),
		cmocka_unit_test(test_colscale_descending),
		cmocka_unit_test(test_colscale_nested),
		cmocka_unit_test(test_colscale_linear),
		cmocka_unit_test(test_colscale_linear_kernel),
		cmocka_unit_test(test_zoom_rows),
		cmocka_unit_test(test_list_heights),
	};

	return cmocka_run_group_tests_name("colscale", tests, NULL, NULL);
}
