/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of the snapshot model: building, nesting, lookup, classification, totals. */
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

#define K 1024ull
#define PAGE 4096ull

static struct vasx_region map(uint64_t start, uint64_t end, const char *perms, const char *name)
{
	struct vasx_region r = {
		.start = start, .last = end - 1, .name = name, .smaps = VASX_NONE,
		.flags = VASX_F_MAPPING, .space = start >> 47 ? VASX_SPACE_KERNEL : VASX_SPACE_USER,
	};

	r.perms = (perms[0] == 'r' ? VASX_P_READ : 0) | (perms[1] == 'w' ? VASX_P_WRITE : 0) |
		  (perms[2] == 'x' ? VASX_P_EXEC : 0) | (perms[3] == 's' ? VASX_P_SHARED : 0);
	if (name && name[0] == '[')
		r.flags |= VASX_F_SPECIAL;
	return r;
}

static struct vasx_region map_off(uint64_t start, uint64_t end, const char *perms,
				  const char *name, uint64_t offset)
{
	struct vasx_region r = map(start, end, perms, name);

	r.offset = offset;
	return r;
}

static struct vasx_snapshot *snap_new(void)
{
	struct vasx_snapshot *s = test_snapshot_new(100, 65536);

	s->stat.pid = 100;
	return s;
}

/* depth-0 regions tile [0, 2^64) in order, and nested ones sit inside their parent. */
static void assert_partition(const struct vasx_snapshot *s)
{
	uint64_t next = 0;
	const struct vasx_region *parent[8] = { 0 };
	bool done = false;

	for (size_t i = 0; i < s->nregions; i++) {
		const struct vasx_region *r = &s->regions[i];

		assert_true(r->start <= r->last);
		if (r->depth == 0) {
			assert_false(done);
			assert_int_equal(r->start, next);
			next = r->last + 1;
			done = r->last == UINT64_MAX;
		} else {
			const struct vasx_region *p = parent[r->depth - 1];

			assert_non_null(p);
			assert_true(r->start >= p->start && r->last <= p->last);
		}
		parent[r->depth] = r;
	}
	assert_true(done);
}

static struct vasx_snapshot *simple_snapshot(void)
{
	struct vasx_snapshot *s = snap_new();
	struct vasx_region maps[] = {
		map(0x555555554000, 0x555555556000, "r--p", "/usr/bin/cat"),
		map(0x555555556000, 0x55555555a000, "r-xp", "/usr/bin/cat"),
		map(0x55555555a000, 0x55555555c000, "r--p", "/usr/bin/cat"),
		map_off(0x55555555c000, 0x55555555d000, "rw-p", "/usr/bin/cat", 0x7000),
		map(0x55555555d000, 0x55555555e000, "rw-p", NULL),
		map(0x55555557e000, 0x55555559f000, "rw-p", "[heap]"),
		map(0x7f0000000000, 0x7f0000001000, "---p", NULL),
		map(0x7f0000001000, 0x7f0000801000, "rw-p", NULL),
		map(0x7ffffffde000, 0x7ffffffff000, "rw-p", "[stack]"),
		map(0xffffffffff600000, 0xffffffffff601000, "--xp", "[vsyscall]"),
	};
	size_t n = sizeof(maps) / sizeof(maps[0]);

	s->nthreads = 1;
	s->threads = calloc(1, sizeof(*s->threads));
	s->threads[0].tid = 101;
	s->threads[0].sp = 0x7f0000800f00;
	assert_int_equal(vasx_snapshot_build(s, maps, n), 0);
	return s;
}

static void test_vas_partition(void **state)
{
	struct vasx_snapshot *s = simple_snapshot();

	(void)state;
	assert_partition(s);
	/* NULL trap, then a gap up to the program. */
	assert_int_equal(s->regions[0].kind, VASX_KIND_NULLTRAP);
	assert_int_equal(s->regions[0].last, 65535);
	assert_int_equal(s->regions[1].kind, VASX_KIND_GAP);
	assert_int_equal(s->regions[1].last, 0x555555553fff);
	vasx_snapshot_free(s);
}

static void test_vas_hole(void **state)
{
	struct vasx_snapshot *s = simple_snapshot();
	const struct vasx_region *r;

	(void)state;
	r = vasx_snapshot_lookup(s, 0x8000000000000000ull);
	assert_non_null(r);
	assert_int_equal(r->kind, VASX_KIND_HOLE);
	assert_int_equal(r->start, 0x0000800000000000ull);
	assert_int_equal(r->last, 0xffff7fffffffffffull);
	assert_int_equal(s->totals.hole, 0xffff000000000000ull);
	vasx_snapshot_free(s);
}

/* Shown by the id of one of its threads, a process's stacks keep their owners. */
static void test_vas_by_thread_id(void **state)
{
	struct vasx_snapshot *s = snap_new();
	struct vasx_region maps[] = {
		map(0x7f0000000000, 0x7f0000001000, "---p", NULL),
		map(0x7f0000001000, 0x7f0000801000, "rw-p", NULL),
		map(0x7ffffffde000, 0x7ffffffff000, "rw-p", "[stack]"),
	};

	(void)state;
	s->pid = s->stat.pid = 101;
	s->status.tgid = 100;
	s->nthreads = 2;
	s->threads = calloc(2, sizeof(*s->threads));
	s->threads[0].tid = 100;
	s->threads[0].sp = 0x7fffffffe000;
	s->threads[1].tid = 101;
	s->threads[1].sp = 0x7f0000800f00;
	assert_int_equal(vasx_snapshot_build(s, maps, 3), 0);
	assert_int_equal(vasx_snapshot_lookup(s, 0x7ffffffde000)->kind, VASX_KIND_STACK);
	assert_int_equal(vasx_snapshot_lookup(s, 0x7ffffffde000)->tid, 100);
	assert_int_equal(vasx_snapshot_lookup(s, 0x7f0000001000)->kind, VASX_KIND_THREAD_STACK);
	assert_int_equal(vasx_snapshot_lookup(s, 0x7f0000001000)->tid, 101);
	vasx_snapshot_free(s);
}

/*
 * Thousands of threads, listed in no order of their stacks: each stack is
 * its own thread's; a mapping holding two threads' stack pointers belongs
 * to the first listed, and none of the leader's is a thread stack.
 */
static void test_vas_many_threads(void **state)
{
	enum { NT = 3000 };
	struct vasx_snapshot *s = snap_new();
	struct vasx_region *maps = calloc(NT + 1, sizeof(*maps));
	uint64_t base = 0x7f0000000000ull, size = 0x10000;

	(void)state;
	assert_non_null(maps);
	s->pid = s->stat.pid = 100;
	s->nthreads = NT + 2;
	s->threads = calloc(NT + 2, sizeof(*s->threads));
	assert_non_null(s->threads);
	for (size_t i = 0; i < NT; i++) {
		size_t k = (i * 7919) % NT;	/* the threads' order is not the stacks' */

		maps[k] = map(base + k * size, base + (k + 1) * size, "rw-p", NULL);
		s->threads[i].tid = (int)(1000 + k);
		s->threads[i].sp = base + k * size + 0x100;
	}
	/* the leader's pointer is first into stack 5; a second pointer into stack 6 */
	memmove(&s->threads[1], &s->threads[0], NT * sizeof(*s->threads));
	s->threads[0].tid = 100;
	s->threads[0].sp = base + 5 * size + 0x200;
	s->threads[NT + 1].tid = 99999;
	s->threads[NT + 1].sp = base + 6 * size + 0x200;
	maps[NT] = map(base + NT * size + size, base + NT * size + 2 * size, "rw-p", NULL);
	assert_int_equal(vasx_snapshot_build(s, maps, NT + 1), 0);
	for (size_t k = 0; k < NT; k++) {
		const struct vasx_region *r = vasx_snapshot_lookup(s, base + k * size);

		if (k == 5) {
			assert_int_equal(r->kind, VASX_KIND_ANON);
			continue;
		}
		assert_int_equal(r->kind, VASX_KIND_THREAD_STACK);
		assert_int_equal(r->tid, 1000 + (int)k);
	}
	assert_int_equal(vasx_snapshot_lookup(s, base + NT * size + size)->kind, VASX_KIND_ANON);
	free(maps);
	vasx_snapshot_free(s);
}

static void test_vas_five_level(void **state)
{
	struct vasx_snapshot *s = snap_new();
	struct vasx_region maps[] = { map(0x7f0000000000, 0x7f0000001000, "rw-p", NULL) };
	const struct vasx_region *r;

	(void)state;
	s->va_bits = 56;
	assert_int_equal(vasx_snapshot_build(s, maps, 1), 0);
	assert_partition(s);
	r = vasx_snapshot_lookup(s, 0x0100000000000000ull);
	assert_int_equal(r->kind, VASX_KIND_HOLE);
	assert_int_equal(r->last, 0xfeffffffffffffffull);
	assert_int_equal(s->totals.user_vas, 1ull << 56);
	vasx_snapshot_free(s);
}

static void test_vas_classify(void **state)
{
	struct vasx_snapshot *s = simple_snapshot();

	(void)state;
	assert_int_equal(vasx_snapshot_lookup(s, 0x555555554000)->kind, VASX_KIND_RODATA);
	assert_int_equal(vasx_snapshot_lookup(s, 0x555555556000)->kind, VASX_KIND_TEXT);
	assert_int_equal(vasx_snapshot_lookup(s, 0x55555555c000)->kind, VASX_KIND_DATA);
	assert_int_equal(vasx_snapshot_lookup(s, 0x55555555d000)->kind, VASX_KIND_BSS);
	assert_int_equal(vasx_snapshot_lookup(s, 0x55555557e000)->kind, VASX_KIND_HEAP);
	assert_int_equal(vasx_snapshot_lookup(s, 0x7f0000000000)->kind, VASX_KIND_GUARD);
	assert_int_equal(vasx_snapshot_lookup(s, 0x7f0000001000)->kind, VASX_KIND_THREAD_STACK);
	assert_int_equal(vasx_snapshot_lookup(s, 0x7f0000001000)->tid, 101);
	assert_int_equal(vasx_snapshot_lookup(s, 0x7ffffffde000)->kind, VASX_KIND_STACK);
	assert_int_equal(vasx_snapshot_lookup(s, 0xffffffffff600000)->kind, VASX_KIND_VSYSCALL);
	vasx_snapshot_free(s);
}

static void test_vas_classify_special_files(void **state)
{
	struct vasx_region r;

	(void)state;
	r = map(0x1000000, 0x1001000, "rw-s", "/SYSV00000000");
	r.flags |= VASX_F_DELETED;
	vasx_classify(&r, NULL, NULL, NULL, 0);
	assert_int_equal(r.kind, VASX_KIND_SHM);
	assert_false(r.flags & VASX_F_DELETED);

	r = map(0x1000000, 0x1001000, "rw-s", "/memfd:jit");
	r.flags |= VASX_F_DELETED;
	vasx_classify(&r, NULL, NULL, NULL, 0);
	assert_int_equal(r.kind, VASX_KIND_SHARED);
	assert_false(r.flags & VASX_F_DELETED);

	/* MAP_HUGETLB: anonymous memory on the kernel's hugetlbfs, not a file. */
	r = map(0x1000000, 0x1200000, "rw-p", "/anon_hugepage");
	vasx_classify(&r, NULL, NULL, NULL, 0);
	assert_int_equal(r.kind, VASX_KIND_ANON);
	r = map(0x1000000, 0x1200000, "rw-s", "/anon_hugepage");
	vasx_classify(&r, NULL, NULL, NULL, 0);
	assert_int_equal(r.kind, VASX_KIND_SHARED);

	r = map(0x1000000, 0x1001000, "r-xp", "/tmp/gone");
	r.flags |= VASX_F_DELETED;
	vasx_classify(&r, NULL, NULL, NULL, 0);
	assert_int_equal(r.kind, VASX_KIND_DELETED);

	r = map(0x1000000, 0x1001000, "r--p", "[vvar]");
	vasx_classify(&r, NULL, NULL, NULL, 0);
	assert_int_equal(r.kind, VASX_KIND_VVAR);

	r = map(0x1000000, 0x1001000, "r-xp", "[vdso]");
	vasx_classify(&r, NULL, NULL, NULL, 0);
	assert_int_equal(r.kind, VASX_KIND_VDSO);

	/* Anonymous memory after a data file mapped at offset 0 is not bss. */
	{
		struct vasx_region file = map(0x0fff000, 0x1000000, "rw-p", "/tmp/private.dat");

		vasx_classify(&file, NULL, NULL, NULL, 0);
		assert_int_equal(file.kind, VASX_KIND_DATA);
		r = map(0x1000000, 0x1001000, "rw-p", NULL);
		vasx_classify(&r, &file, NULL, NULL, 0);
		assert_int_equal(r.kind, VASX_KIND_ANON);
		file.offset = 0x3000;
		vasx_classify(&r, &file, NULL, NULL, 0);
		assert_int_equal(r.kind, VASX_KIND_BSS);
	}

	r = map(0x1000000, 0x1001000, "rw-p", "[anon:arena]");
	vasx_classify(&r, NULL, NULL, NULL, 0);
	assert_int_equal(r.kind, VASX_KIND_ANON);
}

static void test_vas_lookup_gap_and_edges(void **state)
{
	struct vasx_snapshot *s = simple_snapshot();
	const struct vasx_region *r;

	(void)state;
	r = vasx_snapshot_lookup(s, 0x55555555e000);
	assert_int_equal(r->kind, VASX_KIND_GAP);
	assert_int_equal(r->start, 0x55555555e000);
	assert_int_equal(r->last, 0x55555557dfff);
	assert_int_equal(vasx_snapshot_lookup(s, 0)->kind, VASX_KIND_NULLTRAP);
	r = vasx_snapshot_lookup(s, UINT64_MAX);
	assert_int_equal(r->space, VASX_SPACE_KERNEL);
	assert_int_equal(r->last, UINT64_MAX);
	/* The last byte of a mapping, and the first past it. */
	assert_int_equal(vasx_snapshot_lookup(s, 0x55555555cfff)->kind, VASX_KIND_DATA);
	assert_int_equal(vasx_snapshot_lookup(s, 0x55555555d000)->kind, VASX_KIND_BSS);
	vasx_snapshot_free(s);
}

static void test_vas_totals(void **state)
{
	struct vasx_snapshot *s = simple_snapshot();
	uint64_t mapped = 0x2000 + 0x4000 + 0x2000 + 0x1000 + 0x1000 + 0x21000 + 0x1000 +
			  0x800000 + 0x21000;

	(void)state;
	assert_int_equal(s->totals.map_count, 10);
	/* [vsyscall] is a line of maps but no VMA: not under vm.max_map_count. */
	assert_int_equal(s->totals.vma_count, 9);
	assert_int_equal(s->totals.mapped, mapped);
	assert_int_equal(s->totals.sparse, (1ull << 47) - mapped);
	assert_int_equal(s->totals.user_vas, 1ull << 47);
	/* The largest user gap lies between the NULL trap and the program. */
	assert_int_equal(s->totals.largest_gap_start, 0x10000);
	assert_int_equal(s->totals.largest_gap, 0x555555554000 - 0x10000);
	assert_true(s->totals.mapped_pct > 0.0 && s->totals.mapped_pct < 0.01);
	vasx_snapshot_free(s);
}

static void test_vas_kernel_nesting(void **state)
{
	struct vasx_snapshot *s = snap_new();
	struct vasx_kregion kr[] = {
		{ 0xffff888000000000, 0xffffc87fffffffff, VASX_P_READ | VASX_P_WRITE, 0, 0, "direct-map", "physical memory" },
		{ 0xffff888000000000, 0xffff88807fffffff, VASX_P_READ | VASX_P_WRITE, 1, 0, "ram", "RAM" },
		{ 0xffffffff80000000, 0xffffffff9fffffff, VASX_P_READ | VASX_P_EXEC, 0, 0, "kernel-image", "kernel" },
		{ 0xffffffff81000000, 0xffffffff81ffffff, VASX_P_READ | VASX_P_EXEC, 1, 0, "kernel-text", "text" },
		{ 0xffffffffff579000, 0xffffffffff7fefff, VASX_P_READ, 0, 0, "fixmap", "fixmap" },
	};
	struct vasx_region maps[] = {
		map(0x7ffffffde000, 0x7ffffffff000, "rw-p", "[stack]"),
		map(0xffffffffff600000, 0xffffffffff601000, "--xp", "[vsyscall]"),
	};
	struct vasx_ktask kt = {
		.pid = 100, .tgid = 100, .task = 0xffff888001234000,
		.stack = 0xffffc90000010000, .mm = 0xffff888001240000, .pgd = 0xffff888002000000,
	};
	const struct vasx_region *r;

	(void)state;
	s->kernel.regions = kr;
	s->kernel.nregions = sizeof(kr) / sizeof(kr[0]);
	s->kernel.source = VASX_KSRC_MODULE;
	s->ktasks = &kt;
	s->nktasks = 1;
	assert_int_equal(vasx_snapshot_build(s, maps, 2), 0);
	assert_partition(s);

	r = vasx_snapshot_lookup(s, 0xffffffffff600010);
	assert_int_equal(r->kind, VASX_KIND_VSYSCALL);
	assert_int_equal(r->depth, 1);
	assert_string_equal(s->regions[vasx_snapshot_find(s, 0xffffffffff600010)].name, "fixmap");

	r = vasx_snapshot_lookup(s, 0xffffffff81000100);
	assert_string_equal(r->name, "kernel-text");
	assert_int_equal(r->depth, 1);
	r = vasx_snapshot_lookup(s, 0xffffffff82000000);
	assert_string_equal(r->name, "kernel-image");

	/* task_struct inside ram inside the direct map: depth 2. */
	r = vasx_snapshot_lookup(s, 0xffff888001234000);
	assert_int_equal(r->kind, VASX_KIND_KOBJECT);
	assert_string_equal(r->name, "task_struct");
	assert_int_equal(r->depth, 2);
	/* The kernel stack lies in no layout region: a top-level object. */
	r = vasx_snapshot_lookup(s, 0xffffc90000010000);
	assert_int_equal(r->kind, VASX_KIND_KOBJECT);
	assert_int_equal(r->depth, 0);
	assert_int_equal(vasx_region_size(r), 4 * PAGE);

	s->kernel.regions = NULL;
	s->kernel.nregions = 0;
	s->ktasks = NULL;
	vasx_snapshot_free(s);
}

static void test_vas_overlapping_maps_skipped(void **state)
{
	struct vasx_snapshot *s = snap_new();
	struct vasx_region maps[] = {
		map(0x400000, 0x500000, "r-xp", "/bin/a"),
		map(0x480000, 0x490000, "rw-p", "/bin/b"),
		map(0x600000, 0x601000, "rw-p", NULL),
	};

	(void)state;
	assert_int_equal(vasx_snapshot_build(s, maps, 3), 0);
	assert_partition(s);
	assert_int_equal(s->maps_malformed, 1);
	assert_int_equal(s->totals.map_count, 2);
	vasx_snapshot_free(s);
}

static void test_vas_empty(void **state)
{
	struct vasx_snapshot *s = snap_new();

	(void)state;
	/* A kernel thread: no mappings at all. */
	assert_int_equal(vasx_snapshot_build(s, NULL, 0), 0);
	assert_partition(s);
	assert_int_equal(s->totals.map_count, 0);
	assert_int_equal(s->regions[0].kind, VASX_KIND_NULLTRAP);
	vasx_snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vas_partition),
		cmocka_unit_test(test_vas_hole),
		cmocka_unit_test(test_vas_five_level),
		cmocka_unit_test(test_vas_by_thread_id),
		cmocka_unit_test(test_vas_many_threads),
		cmocka_unit_test(test_vas_classify),
		cmocka_unit_test(test_vas_classify_special_files),
		cmocka_unit_test(test_vas_lookup_gap_and_edges),
		cmocka_unit_test(test_vas_totals),
		cmocka_unit_test(test_vas_kernel_nesting),
		cmocka_unit_test(test_vas_overlapping_maps_skipped),
		cmocka_unit_test(test_vas_empty),
	};

	return cmocka_run_group_tests_name("vas", tests, NULL, NULL);
}
