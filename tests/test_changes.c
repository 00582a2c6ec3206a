/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the explorer's change marks and ghosts (tui/changes.c):
 * several changes of one region folded into one mark, and many regions
 * removed at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testlib.h"

#include "vasx/diff.h"
#include "ui.h"

#define PAGE 4096ull
#define AT 0x10000000ull
#define RW (VASX_P_READ | VASX_P_WRITE)
#define RX (VASX_P_READ | VASX_P_EXEC)

/* A change of the mapping at AT from (@old_pages, @old_perms) to (@pages, @perms). */
static struct vasx_change change(enum vasx_change_kind kind, uint64_t old_pages, unsigned old_perms,
				 uint64_t pages, unsigned perms)
{
	struct vasx_change c = {
		.kind = kind, .start = AT, .last = AT + pages * PAGE - 1,
		.old_start = AT, .old_last = AT + old_pages * PAGE - 1,
		.old_perms = old_perms, .new_perms = perms, .name = "/file",
	};

	return c;
}

static const struct vasx_mark *marks_of(struct vasx_vas *v, struct vasx_change *c, size_t n)
{
	struct vasx_diff d = { .v = c, .n = n };

	vasx_changes_mark(v, &d);
	assert_int_equal(v->nmarks, 1);
	return vasx_vas_mark(v, AT);
}

/* Resized twice: it was the older size, it is the newer; never a blend of the two. */
static void test_changes_resized_twice(void **state)
{
	struct vasx_change c[] = {
		change(VASX_CH_GROWN, 4, RW, 8, RW),
		change(VASX_CH_SHRUNK, 8, RW, 6, RW),
	};
	struct vasx_vas v = { 0 };
	const struct vasx_mark *m;

	(void)state;
	m = marks_of(&v, c, 2);
	assert_int_equal(m->marks, VASX_M_GROWN);
	assert_int_equal(m->old_size, 4 * PAGE);
	assert_int_equal(m->new_size, 6 * PAGE);
	/* the other way round it shrank, from 8 pages */
	c[0] = change(VASX_CH_SHRUNK, 8, RW, 2, RW);
	c[1] = change(VASX_CH_GROWN, 2, RW, 4, RW);
	m = marks_of(&v, c, 2);
	assert_int_equal(m->marks, VASX_M_SHRUNK);
	assert_int_equal(m->old_size, 8 * PAGE);
	/* grown and shrunk back: its size did not change */
	c[0] = change(VASX_CH_GROWN, 4, RW, 8, RW);
	c[1] = change(VASX_CH_SHRUNK, 8, RW, 4, RW);
	m = marks_of(&v, c, 2);
	assert_int_equal(m->marks, 0);
	vasx_changes_release(&v);
}

/* Re-protected twice: the perms it had first, and whether it became executable. */
static void test_changes_reprotected_twice(void **state)
{
	struct vasx_change c[] = {
		change(VASX_CH_PERMS, 4, VASX_P_READ, 4, RW),
		change(VASX_CH_EXEC, 4, RW, 4, RX),
	};
	struct vasx_vas v = { 0 };
	const struct vasx_mark *m;

	(void)state;
	m = marks_of(&v, c, 2);
	assert_int_equal(m->marks, VASX_M_PERMS | VASX_M_EXEC);
	assert_int_equal(m->old_perms, VASX_P_READ);
	assert_int_equal(m->new_perms, RX);
	/* executable, then not: a perms change, no longer "became executable" */
	c[0] = change(VASX_CH_EXEC, 4, VASX_P_READ, 4, RX);
	c[1] = change(VASX_CH_PERMS, 4, RX, 4, RW);
	m = marks_of(&v, c, 2);
	assert_int_equal(m->marks, VASX_M_PERMS);
	assert_int_equal(m->old_perms, VASX_P_READ);
	/* and back to what it was */
	c[1] = change(VASX_CH_PERMS, 4, RX, 4, VASX_P_READ);
	m = marks_of(&v, c, 2);
	assert_int_equal(m->marks, 0);
	vasx_changes_release(&v);
}

/* Resized and re-protected, with RSS: each figure from the change that has it. */
static void test_changes_size_perms_rss(void **state)
{
	struct vasx_change c[] = {
		change(VASX_CH_GROWN, 4, RW, 8, RW),
		change(VASX_CH_PERMS, 8, RW, 8, VASX_P_READ),
		change(VASX_CH_RSS, 8, VASX_P_READ, 8, VASX_P_READ),
		change(VASX_CH_RSS, 8, VASX_P_READ, 8, VASX_P_READ),
	};
	struct vasx_vas v = { 0 };
	const struct vasx_mark *m;

	(void)state;
	c[2].d_rss_kb = 12;
	c[3].d_rss_kb = -16;
	m = marks_of(&v, c, 4);
	assert_int_equal(m->marks, VASX_M_GROWN | VASX_M_PERMS | VASX_M_RSS_DOWN);
	assert_int_equal(m->old_size, 4 * PAGE);
	assert_int_equal(m->old_perms, RW);
	assert_int_equal(m->d_rss_kb, -4);
	vasx_changes_release(&v);
}

/* Marks come back sorted by start whatever order the changes had, one per start. */
static void test_changes_many_starts(void **state)
{
	struct vasx_change c[64];
	struct vasx_diff d = { .v = c, .n = 64 };
	struct vasx_vas v = { 0 };

	(void)state;
	for (size_t i = 0; i < 64; i++) {
		c[i] = change(VASX_CH_GROWN, 1, RW, 2, RW);
		c[i].start = c[i].old_start = AT + ((i * 37) % 32) * 16 * PAGE;
		c[i].last = c[i].start + 2 * PAGE - 1;
		c[i].old_last = c[i].start + PAGE - 1;
	}
	vasx_changes_mark(&v, &d);
	assert_int_equal(v.nmarks, 32);
	for (size_t i = 0; i < 32; i++) {
		assert_int_equal(v.marks[i].start, AT + i * 16 * PAGE);
		assert_int_equal(v.marks[i].marks, VASX_M_GROWN);
		assert_int_equal(v.marks[i].old_size, PAGE);
	}
	vasx_changes_mark(&v, NULL);
	assert_int_equal(v.nmarks, 0);
	vasx_changes_release(&v);
}

static struct vasx_region map(uint64_t start, uint64_t size, unsigned perms, const char *name)
{
	struct vasx_region r = {
		.start = start, .last = start + size - 1, .perms = (uint8_t)perms,
		.flags = VASX_F_MAPPING, .smaps = VASX_NONE, .space = VASX_SPACE_USER,
		.name = name,
	};

	return r;
}

#define NREMOVED 3000

/* Every mapping but one removed at once: a ghost each, found by its range. */
static void test_changes_many_ghosts(void **state)
{
	struct vasx_region *maps = calloc(NREMOVED + 1, sizeof(*maps));
	struct vasx_snapshot *a = test_snapshot_new(42, 65536), *b = test_snapshot_new(42, 65536);
	struct vasx_tui_opts o = { .delay = 1 };
	struct vasx_ui ui;

	(void)state;
	assert_non_null(maps);
	for (size_t i = 0; i <= NREMOVED; i++)
		maps[i] = map(AT + i * 2 * PAGE, PAGE, RW, i % 2 ? "/odd" : NULL);
	assert_int_equal(vasx_snapshot_build(a, maps, NREMOVED + 1), 0);
	assert_int_equal(vasx_snapshot_build(b, maps + NREMOVED, 1), 0);
	free(maps);
	vasx_ui_init(&ui, NULL, &o);
	vasx_ui_resize(&ui, 24, 80);
	vasx_vas_show(&ui, a);
	vasx_vas_set_snapshot(&ui, b);
	assert_int_equal(ui.vas.nghosts, NREMOVED);
	/* grown by doubling, not one entry at a time */
	assert_true(ui.vas.capghosts >= NREMOVED && ui.vas.capghosts < 2 * NREMOVED);
	for (size_t i = 0; i < NREMOVED; i++) {
		uint64_t start = AT + i * 2 * PAGE;
		const struct vasx_ghost *g = vasx_vas_ghost(&ui.vas, start, start + PAGE - 1);

		assert_non_null(g);
		assert_int_equal(g->start, start);
		assert_string_equal(g->name, i % 2 ? "/odd" : "[anon]");
	}
	assert_null(vasx_vas_ghost(&ui.vas, AT + PAGE, AT + 2 * PAGE - 1));
	vasx_ui_release(&ui);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changes_resized_twice),
		cmocka_unit_test(test_changes_reprotected_twice),
		cmocka_unit_test(test_changes_size_perms_rss),
		cmocka_unit_test(test_changes_many_starts),
		cmocka_unit_test(test_changes_many_ghosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
