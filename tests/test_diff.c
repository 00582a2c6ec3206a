/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The snapshot diff: every kind of change, their order, empty and identical
 * snapshots, pid reuse, and the text/JSON/log-line exports of a diff.
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
#include "vasx/strpool.h"
#include "vasx/vas.h"

/* One mapping of a hand-made snapshot; rss < 0: no smaps for it. */
struct spec {
	uint64_t start, end;
	const char *perms;
	const char *name;
	long rss, pss, swap;
};

static unsigned parse_perms(const char *p)
{
	return (p[0] == 'r' ? VASX_P_READ : 0) | (p[1] == 'w' ? VASX_P_WRITE : 0) |
	       (p[2] == 'x' ? VASX_P_EXEC : 0) | (p[3] == 's' ? VASX_P_SHARED : 0);
}

/*
 * A snapshot of @n mappings through the same builder the loader uses. Names
 * are interned in the snapshot's own pool, so the two sides of a diff never
 * share a pointer, as with two real loads. With @smaps every mapping gets
 * counters (spec rss < 0 means 0).
 */
static struct vasx_snapshot *snap(int pid, unsigned long long starttime,
				  const struct spec *m, size_t n, bool smaps)
{
	struct vasx_snapshot *s = test_snapshot_new(pid, 0);
	struct vasx_region *maps = calloc(n + 1, sizeof(*maps));

	assert_non_null(maps);
	s->stat.pid = pid;
	s->stat.starttime = starttime;
	if (smaps) {
		s->smaps = calloc(n + 1, sizeof(*s->smaps));
		assert_non_null(s->smaps);
		s->nsmaps = n;
	}
	for (size_t i = 0; i < n; i++) {
		struct vasx_region *r = &maps[i];

		r->start = m[i].start;
		r->last = m[i].end - 1;
		r->perms = (uint8_t)parse_perms(m[i].perms);
		r->flags = VASX_F_MAPPING;
		r->space = VASX_SPACE_USER;
		r->name = m[i].name ? vasx_strpool_intern(s->pool, m[i].name, strlen(m[i].name))
				    : NULL;
		r->smaps = smaps ? (uint32_t)i : VASX_NONE;
		if (smaps && m[i].rss >= 0) {
			s->smaps[i].v[VASX_SM_RSS] = (uint64_t)m[i].rss;
			s->smaps[i].v[VASX_SM_PSS] = (uint64_t)m[i].pss;
			s->smaps[i].v[VASX_SM_SWAP] = (uint64_t)m[i].swap;
		}
	}
	assert_int_equal(vasx_snapshot_build(s, maps, n), 0);
	free(maps);
	return s;
}

#define SNAP(pid, st, arr, sm) snap(pid, st, arr, sizeof(arr) / sizeof(arr[0]), sm)

static void check_change(const struct vasx_change *c, enum vasx_change_kind kind,
			 uint64_t start, uint64_t end, const char *name)
{
	assert_string_equal(vasx_change_name(c->kind), vasx_change_name(kind));
	assert_int_equal(c->start, start);
	assert_int_equal(c->last, end - 1);
	if (name)
		assert_string_equal(c->name, name);
	else
		assert_null(c->name);
}

static void check_sorted(const struct vasx_diff *d)
{
	for (size_t i = 1; i < d->n; i++)
		assert_true(d->v[i - 1].start <= d->v[i].start);
}

static const struct spec base[] = {
	{ 0x400000, 0x401000, "r--p", "/usr/bin/prog", 4, 4, 0 },
	{ 0x401000, 0x405000, "r-xp", "/usr/bin/prog", 16, 16, 0 },
	{ 0x1000000, 0x1021000, "rw-p", "[heap]", 8, 8, 0 },
	{ 0x7f0000000000, 0x7f0000010000, "rw-p", NULL, 64, 64, 0 },
	{ 0x7f0000020000, 0x7f0000030000, "r--p", "/lib/libc.so.6", 12, 3, 0 },
	{ 0x7ffd00000000, 0x7ffd00021000, "rw-p", "[stack]", 20, 20, 0 },
};

static void test_diff_identical(void **state)
{
	struct vasx_snapshot *a = SNAP(10, 100, base, true), *b = SNAP(10, 100, base, true);
	struct vasx_diff d;

	(void)state;
	assert_int_equal(vasx_diff(a, b, &d), 0);
	assert_int_equal(d.n, 0);
	vasx_diff_release(&d);
	assert_int_equal(vasx_diff(a, a, &d), 0);
	assert_int_equal(d.n, 0);
	vasx_diff_release(&d);
	vasx_snapshot_free(a);
	vasx_snapshot_free(b);
}

static void test_diff_empty(void **state)
{
	struct vasx_snapshot *e = snap(10, 100, NULL, 0, false), *f = snap(10, 100, NULL, 0, false);
	struct vasx_snapshot *b = SNAP(10, 100, base, false);
	struct vasx_diff d;
	size_t n = sizeof(base) / sizeof(base[0]);

	(void)state;
	assert_int_equal(vasx_diff(e, f, &d), 0);
	assert_int_equal(d.n, 0);
	vasx_diff_release(&d);

	assert_int_equal(vasx_diff(e, b, &d), 0);
	assert_int_equal(d.n, n);
	for (size_t i = 0; i < n; i++)
		check_change(&d.v[i], VASX_CH_ADDED, base[i].start, base[i].end, base[i].name);
	assert_int_equal(d.v[1].new_perms, VASX_P_READ | VASX_P_EXEC);
	assert_int_equal(d.v[1].old_perms, 0);
	vasx_diff_release(&d);

	assert_int_equal(vasx_diff(b, e, &d), 0);
	assert_int_equal(d.n, n);
	for (size_t i = 0; i < n; i++)
		check_change(&d.v[i], VASX_CH_REMOVED, base[i].start, base[i].end, base[i].name);
	assert_int_equal(d.v[2].old_perms, VASX_P_READ | VASX_P_WRITE);
	assert_int_equal(d.v[2].new_perms, 0);
	vasx_diff_release(&d);
	vasx_snapshot_free(e);
	vasx_snapshot_free(f);
	vasx_snapshot_free(b);
}

static void test_diff_added_removed(void **state)
{
	static const struct spec after[] = {
		{ 0x400000, 0x401000, "r--p", "/usr/bin/prog", 4, 4, 0 },
		{ 0x401000, 0x405000, "r-xp", "/usr/bin/prog", 16, 16, 0 },
		{ 0x1000000, 0x1021000, "rw-p", "[heap]", 8, 8, 0 },
		{ 0x7e0000000000, 0x7e0000100000, "rw-s", "/dev/shm/x y", 0, 0, 0 },
		{ 0x7f0000020000, 0x7f0000030000, "r--p", "/lib/libc.so.6", 12, 3, 0 },
		{ 0x7f0000040000, 0x7f0000041000, "---p", NULL, 0, 0, 0 },
		{ 0x7ffd00000000, 0x7ffd00021000, "rw-p", "[stack]", 20, 20, 0 },
	};
	struct vasx_snapshot *a = SNAP(10, 100, base, true), *b = SNAP(10, 100, after, true);
	struct vasx_diff d;

	(void)state;
	assert_int_equal(vasx_diff(a, b, &d), 0);
	assert_int_equal(d.n, 3);
	check_change(&d.v[0], VASX_CH_ADDED, 0x7e0000000000, 0x7e0000100000, "/dev/shm/x y");
	assert_int_equal(d.v[0].new_perms, VASX_P_READ | VASX_P_WRITE | VASX_P_SHARED);
	check_change(&d.v[1], VASX_CH_REMOVED, 0x7f0000000000, 0x7f0000010000, NULL);
	assert_int_equal(d.v[1].d_rss_kb, -64);
	assert_int_equal(d.v[1].d_pss_kb, -64);
	check_change(&d.v[2], VASX_CH_ADDED, 0x7f0000040000, 0x7f0000041000, NULL);
	assert_int_equal(d.v[2].d_rss_kb, 0);
	check_sorted(&d);
	vasx_diff_release(&d);
	vasx_snapshot_free(a);
	vasx_snapshot_free(b);
}

static void test_diff_grown_shrunk(void **state)
{
	static const struct spec after[] = {
		{ 0x400000, 0x401000, "r--p", "/usr/bin/prog", 4, 4, 0 },
		{ 0x401000, 0x405000, "r-xp", "/usr/bin/prog", 16, 16, 0 },
		{ 0x1000000, 0x1042000, "rw-p", "[heap]", 8, 8, 0 },		/* brk up */
		{ 0x7f0000000000, 0x7f0000008000, "rw-p", NULL, 64, 64, 0 },	/* munmap tail */
		{ 0x7f0000020000, 0x7f0000030000, "r--p", "/lib/libc.so.6", 12, 3, 0 },
		{ 0x7ffcfffff000, 0x7ffd00021000, "rw-p", "[stack]", 20, 20, 0 }, /* down */
	};
	struct vasx_snapshot *a = SNAP(10, 100, base, true), *b = SNAP(10, 100, after, true);
	struct vasx_diff d;

	(void)state;
	assert_int_equal(vasx_diff(a, b, &d), 0);
	assert_int_equal(d.n, 3);
	check_change(&d.v[0], VASX_CH_GROWN, 0x1000000, 0x1042000, "[heap]");
	assert_int_equal(d.v[0].old_start, 0x1000000);
	assert_int_equal(d.v[0].old_last, 0x1020fff);
	check_change(&d.v[1], VASX_CH_SHRUNK, 0x7f0000000000, 0x7f0000008000, NULL);
	assert_int_equal(d.v[1].old_last, 0x7f000000ffff);
	check_change(&d.v[2], VASX_CH_GROWN, 0x7ffcfffff000, 0x7ffd00021000, "[stack]");
	assert_int_equal(d.v[2].old_start, 0x7ffd00000000);
	assert_int_equal(d.v[2].old_last, 0x7ffd00020fff);
	/* Counters unchanged: a resize alone says nothing about residency. */
	for (size_t i = 0; i < d.n; i++)
		assert_int_equal(d.v[i].d_rss_kb, 0);
	vasx_diff_release(&d);
	vasx_snapshot_free(a);
	vasx_snapshot_free(b);
}

static void test_diff_perms_exec(void **state)
{
	static const struct spec after[] = {
		{ 0x400000, 0x401000, "r--p", "/usr/bin/prog", 4, 4, 0 },
		{ 0x401000, 0x405000, "r--p", "/usr/bin/prog", 16, 16, 0 },	/* lost x */
		{ 0x1000000, 0x1021000, "rw-p", "[heap]", 8, 8, 0 },
		{ 0x7f0000000000, 0x7f0000010000, "rwxp", NULL, 64, 64, 0 },	/* gained x */
		{ 0x7f0000020000, 0x7f0000030000, "rw-p", "/lib/libc.so.6", 12, 3, 0 },
		{ 0x7ffd00000000, 0x7ffd00021000, "rw-p", "[stack]", 20, 20, 0 },
	};
	struct vasx_snapshot *a = SNAP(10, 100, base, false), *b = SNAP(10, 100, after, false);
	struct vasx_diff d;

	(void)state;
	assert_int_equal(vasx_diff(a, b, &d), 0);
	assert_int_equal(d.n, 3);
	check_change(&d.v[0], VASX_CH_PERMS, 0x401000, 0x405000, "/usr/bin/prog");
	assert_int_equal(d.v[0].old_perms, VASX_P_READ | VASX_P_EXEC);
	assert_int_equal(d.v[0].new_perms, VASX_P_READ);
	check_change(&d.v[1], VASX_CH_EXEC, 0x7f0000000000, 0x7f0000010000, NULL);
	assert_int_equal(d.v[1].old_perms, VASX_P_READ | VASX_P_WRITE);
	assert_int_equal(d.v[1].new_perms, VASX_P_READ | VASX_P_WRITE | VASX_P_EXEC);
	check_change(&d.v[2], VASX_CH_PERMS, 0x7f0000020000, 0x7f0000030000, "/lib/libc.so.6");
	vasx_diff_release(&d);
	vasx_snapshot_free(a);
	vasx_snapshot_free(b);
}

static void test_diff_rss(void **state)
{
	static const struct spec after[] = {
		{ 0x400000, 0x401000, "r--p", "/usr/bin/prog", 4, 4, 0 },
		{ 0x401000, 0x405000, "r-xp", "/usr/bin/prog", 16, 16, 0 },
		{ 0x1000000, 0x1021000, "rw-p", "[heap]", 132, 132, 0 },
		{ 0x7f0000000000, 0x7f0000010000, "rw-p", NULL, 32, 32, 32 },
		{ 0x7f0000020000, 0x7f0000030000, "r--p", "/lib/libc.so.6", 12, 2, 0 },
		{ 0x7ffd00000000, 0x7ffd00021000, "rw-p", "[stack]", 20, 20, 4 },
	};
	struct vasx_snapshot *a = SNAP(10, 100, base, true), *b = SNAP(10, 100, after, true);
	struct vasx_snapshot *bare = SNAP(10, 100, after, false);
	struct vasx_diff d;

	(void)state;
	assert_int_equal(vasx_diff(a, b, &d), 0);
	assert_int_equal(d.n, 4);
	check_change(&d.v[0], VASX_CH_RSS, 0x1000000, 0x1021000, "[heap]");
	assert_int_equal(d.v[0].d_rss_kb, 124);
	assert_int_equal(d.v[0].d_pss_kb, 124);
	assert_int_equal(d.v[0].d_swap_kb, 0);
	check_change(&d.v[1], VASX_CH_RSS, 0x7f0000000000, 0x7f0000010000, NULL);
	assert_int_equal(d.v[1].d_rss_kb, -32);
	assert_int_equal(d.v[1].d_swap_kb, 32);
	/* Only Pss moved: another process mapped the library. */
	check_change(&d.v[2], VASX_CH_RSS, 0x7f0000020000, 0x7f0000030000, "/lib/libc.so.6");
	assert_int_equal(d.v[2].d_rss_kb, 0);
	assert_int_equal(d.v[2].d_pss_kb, -1);
	/* Only Swap moved. */
	check_change(&d.v[3], VASX_CH_RSS, 0x7ffd00000000, 0x7ffd00021000, "[stack]");
	assert_int_equal(d.v[3].d_rss_kb, 0);
	assert_int_equal(d.v[3].d_swap_kb, 4);
	vasx_diff_release(&d);

	/* Counters known on one side only: no residency change is claimed. */
	assert_int_equal(vasx_diff(a, bare, &d), 0);
	assert_int_equal(d.n, 0);
	vasx_diff_release(&d);
	assert_int_equal(vasx_diff(bare, b, &d), 0);
	assert_int_equal(d.n, 0);
	vasx_diff_release(&d);
	vasx_snapshot_free(a);
	vasx_snapshot_free(b);
	vasx_snapshot_free(bare);
}

/* One mapping changing size, perms and residency at once: three changes, in order. */
static void test_diff_several_on_one(void **state)
{
	static const struct spec before[] = {
		{ 0x7f0000000000, 0x7f0000010000, "rw-p", NULL, 8, 8, 0 },
	};
	static const struct spec after[] = {
		{ 0x7f0000000000, 0x7f0000020000, "rwxp", NULL, 16, 16, 0 },
	};
	struct vasx_snapshot *a = SNAP(10, 100, before, true), *b = SNAP(10, 100, after, true);
	struct vasx_diff d;

	(void)state;
	assert_int_equal(vasx_diff(a, b, &d), 0);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.v[0].kind, VASX_CH_GROWN);
	assert_int_equal(d.v[1].kind, VASX_CH_EXEC);
	assert_int_equal(d.v[2].kind, VASX_CH_RSS);
	assert_int_equal(d.v[2].d_rss_kb, 8);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(d.v[i].start, 0x7f0000000000);
		assert_int_equal(d.v[i].last, 0x7f000001ffff);
		assert_int_equal(d.v[i].old_last, 0x7f000000ffff);
	}
	vasx_diff_release(&d);
	vasx_snapshot_free(a);
	vasx_snapshot_free(b);
}

/* A different mapping at the same start is not the same mapping. */
static void test_diff_replaced(void **state)
{
	static const struct spec before[] = {
		{ 0x7f0000000000, 0x7f0000010000, "r--p", "/data/one", 0, 0, 0 },
		{ 0x7f0000100000, 0x7f0000140000, "rw-p", "/data/three", 0, 0, 0 },
	};
	static const struct spec after[] = {
		{ 0x7f0000000000, 0x7f0000010000, "r--p", "/data/two", 0, 0, 0 },
		/* MAP_FIXED over the head of three: three lives on by its end. */
		{ 0x7f0000100000, 0x7f0000110000, "rw-p", NULL, 0, 0, 0 },
		{ 0x7f0000110000, 0x7f0000140000, "rw-p", "/data/three", 0, 0, 0 },
	};
	struct vasx_snapshot *a = SNAP(10, 100, before, false), *b = SNAP(10, 100, after, false);
	struct vasx_diff d;

	(void)state;
	assert_int_equal(vasx_diff(a, b, &d), 0);
	assert_int_equal(d.n, 4);
	check_change(&d.v[0], VASX_CH_REMOVED, 0x7f0000000000, 0x7f0000010000, "/data/one");
	check_change(&d.v[1], VASX_CH_ADDED, 0x7f0000000000, 0x7f0000010000, "/data/two");
	check_change(&d.v[2], VASX_CH_ADDED, 0x7f0000100000, 0x7f0000110000, NULL);
	check_change(&d.v[3], VASX_CH_SHRUNK, 0x7f0000110000, 0x7f0000140000, "/data/three");
	assert_int_equal(d.v[3].old_start, 0x7f0000100000);
	vasx_diff_release(&d);
	vasx_snapshot_free(a);
	vasx_snapshot_free(b);
}

static char *export_text(const struct vasx_diff *d, bool json);

/* mprotect of the middle of a mapping splits it; the reverse merges it. */
static void test_diff_split_merge(void **state)
{
	static const struct spec whole[] = {
		{ 0x7f0000000000, 0x7f0000030000, "rw-p", NULL, 0, 0, 0 },
		{ 0x7f0000100000, 0x7f0000101000, "r--p", "/etc/x", 0, 0, 0 },
	};
	static const struct spec split[] = {
		{ 0x7f0000000000, 0x7f0000010000, "rw-p", NULL, 0, 0, 0 },
		{ 0x7f0000010000, 0x7f0000020000, "rwxp", NULL, 0, 0, 0 },
		{ 0x7f0000020000, 0x7f0000030000, "rw-p", NULL, 0, 0, 0 },
		{ 0x7f0000100000, 0x7f0000101000, "r--p", "/etc/x", 0, 0, 0 },
	};
	struct vasx_snapshot *a = SNAP(10, 100, whole, false), *b = SNAP(10, 100, split, false);
	struct vasx_diff d;
	char *text;

	(void)state;
	assert_int_equal(vasx_diff(a, b, &d), 0);
	assert_int_equal(d.n, 3);
	check_change(&d.v[0], VASX_CH_SHRUNK, 0x7f0000000000, 0x7f0000010000, NULL);
	check_change(&d.v[1], VASX_CH_EXEC, 0x7f0000010000, 0x7f0000020000, NULL);
	assert_int_equal(d.v[1].old_start, 0x7f0000000000);
	assert_int_equal(d.v[1].old_last, 0x7f000002ffff);
	check_change(&d.v[2], VASX_CH_SHRUNK, 0x7f0000020000, 0x7f0000030000, NULL);
	text = export_text(&d, false);
	assert_string_equal(text,
		"shrunk  0x00007f0000000000-0x00007f0000010000  192.00 KB -> 64.00 KB "
		"(was 0x00007f0000000000-0x00007f0000030000)  [anon]\n"
		"exec    0x00007f0000010000-0x00007f0000020000  rw-p -> rwxp became executable "
		"(split from 0x00007f0000000000-0x00007f0000030000)  [anon]\n"
		"shrunk  0x00007f0000020000-0x00007f0000030000  192.00 KB -> 64.00 KB "
		"(was 0x00007f0000000000-0x00007f0000030000)  [anon]\n");
	free(text);
	vasx_diff_release(&d);

	assert_int_equal(vasx_diff(b, a, &d), 0);
	assert_int_equal(d.n, 2);
	check_change(&d.v[0], VASX_CH_GROWN, 0x7f0000000000, 0x7f0000030000, NULL);
	check_change(&d.v[1], VASX_CH_PERMS, 0x7f0000010000, 0x7f0000020000, NULL);
	assert_int_equal(d.v[1].old_perms, VASX_P_READ | VASX_P_WRITE | VASX_P_EXEC);
	assert_int_equal(d.v[1].new_perms, VASX_P_READ | VASX_P_WRITE);
	vasx_diff_release(&d);
	vasx_snapshot_free(a);
	vasx_snapshot_free(b);
}

static void test_diff_pid_reuse(void **state)
{
	struct vasx_snapshot *a = SNAP(10, 100, base, false), *same = SNAP(10, 100, base, false);
	struct vasx_snapshot *reused = SNAP(10, 4242, base, false);
	struct vasx_snapshot *other = SNAP(11, 100, base, false);

	(void)state;
	assert_true(vasx_snapshot_same_process(a, same));
	assert_true(vasx_snapshot_same_process(a, a));
	assert_false(vasx_snapshot_same_process(a, reused));
	assert_false(vasx_snapshot_same_process(reused, a));
	assert_false(vasx_snapshot_same_process(a, other));
	vasx_snapshot_free(a);
	vasx_snapshot_free(same);
	vasx_snapshot_free(reused);
	vasx_snapshot_free(other);
}

static void test_diff_names(void **state)
{
	static const char *const want[] = {
		"added", "removed", "grown", "shrunk", "perms", "exec", "rss",
	};

	(void)state;
	for (int k = VASX_CH_ADDED; k <= VASX_CH_RSS; k++)
		assert_string_equal(vasx_change_name((enum vasx_change_kind)k), want[k]);
	assert_string_equal(vasx_change_name((enum vasx_change_kind)99), "?");
}

/*
 * Random layouts and random edits of them (unmap, resize, re-protect,
 * split): whatever happened, the changes come sorted, every added or removed range is a mapping of its side, and
 * diffing back and forth reports as many added as removed.
 */
static void random_layout(struct spec *m, size_t *n, unsigned *seed)
{
	static const char *const perms[] = { "r--p", "rw-p", "r-xp", "---p" };
	static const char *const names[] = { NULL, "/lib/a.so", "/lib/b.so", "[heap]" };
	uint64_t at = 0x10000;

	for (size_t i = 0; i < *n; i++) {
		at += (uint64_t)(rand_r(seed) % 3) * 0x1000;
		m[i].start = at;
		at += (uint64_t)(1 + rand_r(seed) % 4) * 0x1000;
		m[i].end = at;
		m[i].perms = perms[rand_r(seed) % 4];
		m[i].name = names[rand_r(seed) % 4];
		m[i].rss = rand_r(seed) % 3;
	}
}

static void mutate(const struct spec *in, size_t n, struct spec *out, size_t *nout,
		   unsigned *seed)
{
	static const char *const perms[] = { "r--p", "rw-p", "rwxp" };
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int op = rand_r(seed) % 8;

		out[k] = in[i];
		if (op == 0)
			continue;	/* unmapped */
		if (op == 1 && out[k].end - out[k].start > 0x1000)
			out[k].end -= 0x1000;
		if (op == 2 && (i + 1 == n || in[i + 1].start >= out[k].end + 0x1000))
			out[k].end += 0x1000;
		if (op == 3)
			out[k].perms = perms[rand_r(seed) % 3];
		if (op == 4)
			out[k].rss += 1;
		if (op == 5 && out[k].end - out[k].start >= 0x2000) {
			/* mprotect of the upper half: a split */
			out[k + 1] = out[k];
			out[k].end = out[k + 1].start = out[k].start + 0x1000;
			out[k + 1].perms = perms[rand_r(seed) % 3];
			k++;
		}
		k++;
	}
	*nout = k;
}

static size_t count(const struct vasx_diff *d, enum vasx_change_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += d->v[i].kind == kind;
	return n;
}

static bool has_mapping(const struct vasx_snapshot *s, uint64_t start, uint64_t last)
{
	const struct vasx_region *r = vasx_snapshot_lookup(s, start);

	return r && (r->flags & VASX_F_MAPPING) && r->start == start && r->last == last;
}

static void test_diff_random(void **state)
{
	struct spec m[64], e[128];
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 300; round++) {
		size_t n = 1 + (size_t)(rand_r(&seed) % 60), ne;
		struct vasx_snapshot *a, *b;
		struct vasx_diff d, back;

		random_layout(m, &n, &seed);
		mutate(m, n, e, &ne, &seed);
		a = snap(10, 100, m, n, true);
		b = snap(10, 100, e, ne, true);
		assert_int_equal(vasx_diff(a, b, &d), 0);
		assert_int_equal(vasx_diff(b, a, &back), 0);
		check_sorted(&d);
		check_sorted(&back);
		for (size_t i = 0; i < d.n; i++) {
			if (d.v[i].kind == VASX_CH_ADDED)
				assert_true(has_mapping(b, d.v[i].start, d.v[i].last));
			if (d.v[i].kind == VASX_CH_REMOVED)
				assert_true(has_mapping(a, d.v[i].start, d.v[i].last));
		}
		assert_int_equal(count(&d, VASX_CH_ADDED), count(&back, VASX_CH_REMOVED));
		assert_int_equal(count(&d, VASX_CH_REMOVED), count(&back, VASX_CH_ADDED));
		assert_int_equal(count(&d, VASX_CH_RSS), count(&back, VASX_CH_RSS));
		vasx_diff_release(&d);
		vasx_diff_release(&back);
		vasx_snapshot_free(a);
		vasx_snapshot_free(b);
	}
}

/* Run an export into memory and return its text (caller frees). */
static char *export_text(const struct vasx_diff *d, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(vasx_export_diff(f, d, json), 0);
	fclose(f);
	return buf;
}

static void test_export_diff(void **state)
{
	static const struct spec before[] = {
		{ 0x1000000, 0x1021000, "rw-p", "[heap]", 8, 8, 0 },
		{ 0x7f0000000000, 0x7f0000010000, "rw-p", "/tmp/evil\033[2J\n name", 4, 4, 0 },
	};
	static const struct spec after[] = {
		{ 0x1000000, 0x1042000, "rw-p", "[heap]", 8, 8, 0 },
		{ 0x7f0000000000, 0x7f0000010000, "rwxp", "/tmp/evil\033[2J\n name", 4, 4, 0 },
		{ 0x7f0000100000, 0x7f0000101000, "r--p", NULL, 0, 0, 0 },
	};
	struct vasx_snapshot *a = SNAP(10, 100, before, true), *b = SNAP(10, 100, after, true);
	static const char json_head[] = "{\"changes\":[\n{\"change\":\"grown\","
		"\"start\":\"0x1000000\",\"end\":\"0x1042000\",\"old_start\":\"0x1000000\","
		"\"old_end\":\"0x1021000\",\"size\":270336,\"old_size\":135168,";
	struct vasx_diff d;
	char *text, *json, *line;

	(void)state;
	assert_int_equal(vasx_diff(a, b, &d), 0);
	assert_int_equal(d.n, 3);
	text = export_text(&d, false);
	assert_non_null(strstr(text, "grown   0x0000000001000000-0x0000000001042000  132.00 KB -> "
				     "264.00 KB (was 0x0000000001000000-0x0000000001021000)  [heap]\n"));
	assert_non_null(strstr(text, "exec    0x00007f0000000000-0x00007f0000010000  rw-p -> rwxp "
				     "became executable  /tmp/evil\\x1b[2J\\x0a name\n"));
	assert_non_null(strstr(text, "added   0x00007f0000100000-0x00007f0000101000  4.00 KB r--p  [anon]\n"));
	assert_null(strchr(text, '\033'));
	/* Three changes, three lines: the newline in the name did not split one. */
	assert_int_equal(strchr(strchr(strchr(text, '\n') + 1, '\n') + 1, '\n')[1], '\0');
	free(text);

	json = export_text(&d, true);
	assert_true(strncmp(json, json_head, strlen(json_head)) == 0);
	assert_non_null(strstr(json, "\"change\":\"exec\""));
	assert_non_null(strstr(json, "\"perms\":\"rwxp\",\"old_perms\":\"rw-p\""));
	assert_non_null(strstr(json, "\"name\":\"/tmp/evil\\u001b[2J\\n name\""));
	assert_non_null(strstr(json, "\"perms\":\"r--p\",\"old_perms\":null"));
	assert_non_null(strstr(json, "\"name\":null}\n]}\n"));
	assert_null(strchr(json, '\033'));
	free(json);

	line = NULL;
	{
		struct timespec ts = { .tv_sec = 1700000000, .tv_nsec = 123456789 };
		size_t len = 0;
		FILE *f = open_memstream(&line, &len);

		assert_non_null(f);
		assert_int_equal(vasx_export_change_line(f, &d.v[2], 4242, &ts), 0);
		fclose(f);
	}
	assert_string_equal(line, "2023-11-14T22:13:20.123Z pid 4242 added   0x00007f0000100000-"
				  "0x00007f0000101000  4.00 KB r--p  [anon]\n");
	free(line);
	vasx_diff_release(&d);

	d.n = 0;
	json = export_text(&d, true);
	assert_string_equal(json, "{\"changes\":[]}\n");
	free(json);
	text = export_text(&d, false);
	assert_string_equal(text, "");
	free(text);
	vasx_snapshot_free(a);
	vasx_snapshot_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_identical),
		cmocka_unit_test(test_diff_empty),
		cmocka_unit_test(test_diff_added_removed),
		cmocka_unit_test(test_diff_grown_shrunk),
		cmocka_unit_test(test_diff_perms_exec),
		cmocka_unit_test(test_diff_rss),
		cmocka_unit_test(test_diff_several_on_one),
		cmocka_unit_test(test_diff_replaced),
		cmocka_unit_test(test_diff_split_merge),
		cmocka_unit_test(test_diff_pid_reuse),
		cmocka_unit_test(test_diff_names),
		cmocka_unit_test(test_diff_random),
		cmocka_unit_test(test_export_diff),
	};

	return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
