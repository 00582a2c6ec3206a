/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel half: the module's layout and tasks parsers on files captured
 * from real boots (tests/fixtures/kernel, 4- and 5-level paging), unknown
 * versions, truncated and hostile input, the fallbacks without the module
 * (kallsyms + modules, documented layout), and choosing processes by their
 * task_struct addresses.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "vasx/klayout.h"
#include "vasx/source.h"
#include "vasx/status.h"
#include "vasx/strpool.h"

static char *fixture_path(const char *rel)
{
	const char *top = getenv("TOP");
	static char buf[8][1024];
	static int next;
	char *p = buf[next++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/tests/fixtures/kernel/%s", top ? top : ".", rel);
	return p;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static size_t count_prefix(const char *text, const char *prefix)
{
	size_t n = 0, plen = strlen(prefix);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, prefix, plen))
			n++;
	return n;
}

static int parse_text(const char *text, size_t len, struct vasx_klayout *kl,
		      struct vasx_strpool *pool)
{
	FILE *f = fmemopen((void *)text, len ? len : 1, "r");
	int err;

	assert_non_null(f);
	if (!len)	/* fmemopen refuses size 0: read nothing instead */
		fgetc(f);
	err = vasx_klayout_parse(f, kl, pool);
	fclose(f);
	return err;
}

static const struct vasx_kregion *key(const struct vasx_klayout *kl, const char *k)
{
	for (size_t i = 0; i < kl->nregions; i++)
		if (!strcmp(kl->regions[i].key, k))
			return &kl->regions[i];
	return NULL;
}

/* Sorted by start, parents first, each nested in the last open region. */
static void assert_nested(const struct vasx_klayout *kl)
{
	const struct vasx_kregion *open[256];

	for (size_t i = 0; i < kl->nregions; i++) {
		const struct vasx_kregion *r = &kl->regions[i];

		assert_true(r->start <= r->last);
		if (i)
			assert_true(kl->regions[i - 1].start <= r->start);
		if (r->depth) {
			assert_true(r->start >= open[r->depth - 1]->start);
			assert_true(r->last <= open[r->depth - 1]->last);
		} else if (i) {
			assert_true(r->start > open[0]->last);
		}
		open[r->depth] = r;
	}
}

static void check_fixture_layout(const char *rel, unsigned levels)
{
	struct vasx_strpool *pool = vasx_strpool_new();
	struct vasx_klayout kl;
	size_t len;
	char *text = slurp(fixture_path(rel), &len);
	const struct vasx_kregion *r, *p;

	assert_int_equal(parse_text(text, len, &kl, pool), 0);
	assert_int_equal(kl.source, VASX_KSRC_MODULE);
	assert_string_equal(kl.arch, "x86_64");
	assert_int_equal(kl.page_size, 4096);
	assert_int_equal(kl.paging_levels, levels);
	assert_int_equal(kl.user_va_bits, levels == 5 ? 56 : 47);
	assert_int_equal(kl.task_size, (1ull << kl.user_va_bits) - 4096);
	assert_int_equal(kl.nregions, count_prefix(text, "region "));
	assert_int_equal(kl.malformed, 0);
	assert_nested(&kl);

	/* Nesting as the kernel has it. */
	r = key(&kl, "kernel-text");
	p = key(&kl, "kernel-image");
	assert_non_null(r);
	assert_non_null(p);
	assert_int_equal(r->depth, 2);
	assert_int_equal(p->depth, 1);
	assert_int_equal(r->start, p->start);
	assert_int_equal(r->perms, VASX_P_READ | VASX_P_EXEC);
	assert_int_equal(key(&kl, "vsyscall")->depth, 1);
	assert_int_equal(key(&kl, "ram")->depth, 1);
	assert_int_equal(key(&kl, "direct-map")->depth, 0);
	assert_int_equal(key(&kl, "modules")->last, 0xfffffffffeffffffull);
	assert_int_equal(key(&kl, "vsyscall")->start, 0xffffffffff600000ull);
	if (levels == 5)
		assert_true(key(&kl, "direct-map")->start >= 0xff00000000000000ull);
	else
		assert_true(key(&kl, "direct-map")->start >= 0xffff800000000000ull);
	for (size_t i = 0; i < kl.nregions; i++)
		assert_int_equal(kl.regions[i].flags & VASX_F_APPROX, 0);

	vasx_klayout_release(&kl);
	vasx_strpool_free(pool);
	free(text);
}

static void test_klayout_fixture_4level(void **state)
{
	(void)state;
	check_fixture_layout("l4/vasx/layout", 4);
}

static void test_klayout_fixture_5level(void **state)
{
	(void)state;
	check_fixture_layout("l5/vasx/layout", 5);
}

static void test_klayout_versions(void **state)
{
	static const struct { const char *text; int err; } cases[] = {
		{ "vasx-layout 2\narch x86_64\nregion 0x0000000000001000 0x0000000000002000 rw- a b\n", -VASX_E_VERSION },
		{ "vasx-layout 0\n", -VASX_E_VERSION },
		{ "vasx-layout 1.1\n", -VASX_E_VERSION },
		{ "vasx-layout \n", -VASX_E_VERSION },
		{ "vasx-tasks 1\n", -VASX_E_MALFORMED },
		{ "\033[2Jhello\n", -VASX_E_MALFORMED },
		{ "", -VASX_E_TRUNCATED },
		{ "vasx-layout 1\n", -VASX_E_TRUNCATED },
		{ "vasx-layout 1\narch x86_64\npage_size 4096\n", -VASX_E_TRUNCATED },
		{ "vasx-layout 1\nregion 0x0000000000001000 0x0000000000002000 rw- a b\n", -VASX_E_TRUNCATED },
	};
	struct vasx_strpool *pool = vasx_strpool_new();

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vasx_klayout kl;

		assert_int_equal(parse_text(cases[i].text, strlen(cases[i].text), &kl, pool),
				 cases[i].err);
		assert_null(kl.regions);
		assert_int_equal(kl.nregions, 0);
	}
	vasx_strpool_free(pool);
}

static int va_bits_of(const char *text, unsigned *bits)
{
	size_t len = strlen(text);
	FILE *f = fmemopen((void *)text, len ? len : 1, "r");
	int err;

	assert_non_null(f);
	if (!len)
		fgetc(f);
	err = vasx_klayout_user_va_bits(f, bits);
	fclose(f);
	return err;
}

/*
 * The width alone, from the lines before the regions: what the full parse
 * says on the real files, nothing from a file it would refuse, and nothing
 * from after the first region (those lines are never read).
 */
static void test_klayout_user_va_bits(void **state)
{
	static const struct { const char *text; int err; unsigned bits; } cases[] = {
		{ "vasx-layout 1\narch x86_64\nuser_va_bits 56\n", 0, 56 },
		{ "vasx-layout 1\nsome_later_fact 7\nuser_va_bits 52\nregion x\n", 0, 52 },
		{ "vasx-layout 1\nregion 0x0000000000001000 0x0000000000002000 rw- a b\n"
		  "user_va_bits 56\n", 0, 0 },
		{ "vasx-layout 1\nuser_va_bits 64\n", 0, 0 },
		{ "vasx-layout 1\nuser_va_bits 31\n", 0, 0 },
		{ "vasx-layout 1\nuser_va_bits 56x\n", 0, 0 },
		{ "vasx-layout 1\nuser_va_bits\n", 0, 0 },
		{ "vasx-layout 1\n", 0, 0 },
		{ "vasx-layout 2\nuser_va_bits 56\n", -VASX_E_VERSION, 0 },
		{ "vasx-tasks 1\nuser_va_bits 56\n", -VASX_E_MALFORMED, 0 },
		{ "\033[2Jhello\n", -VASX_E_MALFORMED, 0 },
		{ "", -VASX_E_MALFORMED, 0 },
	};
	const char *files[] = { "l4/vasx/layout", "l5/vasx/layout" };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned bits = 99;

		assert_int_equal(va_bits_of(cases[i].text, &bits), cases[i].err);
		assert_int_equal(bits, cases[i].bits);
	}
	for (size_t i = 0; i < 2; i++) {
		struct vasx_strpool *pool = vasx_strpool_new();
		char *text = slurp(fixture_path(files[i]), NULL);
		struct vasx_klayout kl;
		unsigned bits;

		assert_int_equal(parse_text(text, strlen(text), &kl, pool), 0);
		assert_int_equal(va_bits_of(text, &bits), 0);
		assert_int_equal(bits, kl.user_va_bits);
		/* cut anywhere: the width or none, never a wrong one */
		for (size_t cut = strlen(text); cut-- > 0;) {
			text[cut] = 0;
			if (va_bits_of(text, &bits) == 0)
				assert_true(bits == 0 || bits == kl.user_va_bits);
		}
		vasx_klayout_release(&kl);
		vasx_strpool_free(pool);
		free(text);
	}
}

/* Every prefix of a real file: an error or fewer regions, never a crash. */
static void test_klayout_every_prefix(void **state)
{
	struct vasx_strpool *pool = vasx_strpool_new();
	size_t len, full, header_end;
	char *text = slurp(fixture_path("l4/vasx/layout"), &len);

	(void)state;
	full = count_prefix(text, "region ");
	header_end = (size_t)(strstr(text, "region ") - text);
	for (size_t cut = 0; cut <= len; cut++) {
		char *copy = malloc(cut + 1);
		struct vasx_klayout kl;
		int err;

		memcpy(copy, text, cut);
		copy[cut] = 0;
		err = parse_text(copy, cut, &kl, pool);
		if (cut <= header_end) {
			assert_int_not_equal(err, 0);
		} else if (!err) {
			assert_true(kl.nregions <= full);
			assert_true(kl.malformed <= 1);
			assert_true(kl.nregions + kl.malformed >= count_prefix(copy, "region ") - 1);
			assert_nested(&kl);
		} else {
			assert_int_equal(err, -VASX_E_TRUNCATED);
		}
		vasx_klayout_release(&kl);
		free(copy);
	}
	vasx_strpool_free(pool);
	free(text);
}

static void test_klayout_hostile_lines(void **state)
{
	const char *text =
		"vasx-layout 1\n"
		"arch x86_64\n"
		"future_fact 42\n"
		"region 0xffff888000000000 0xffffc88000000000 rw- direct-map plain\n"
		/* control bytes in the description become '?' */
		"region 0xffffc90000000000 0xffffe90000000000 rw- vmalloc \033[31mred\007\n"
		/* a key with an escape: refused */
		"region 0xffffea0000000000 0xffffeb0000000000 rw- vm\033map x\n"
		/* empty and reversed */
		"region 0xffffec0000000000 0xffffec0000000000 rw- empty x\n"
		"region 0xffffed0000000000 0xffffec0000000000 rw- reversed x\n"
		/* bad perms, short address, missing key */
		"region 0xffffee0000000000 0xffffef0000000000 rwz bad x\n"
		"region 0xffffee000000000 0xffffef0000000000 rw- short x\n"
		"region 0xffffee0000000000 0xffffef0000000000 rw-\n"
		"page_size lots\n"
		/* overlapping without nesting: cut to fit its parent */
		"region 0xffffffff80000000 0xffffffffc0000000 rwx kernel-map m\n"
		"region 0xffffffffa0000000 0xffffffffd0000000 rwx kernel-image i\n"
		/* an end of 0 is the top of the address space */
		"region 0xffffffffffe00000 0x0000000000000000 --- top t\n";
	struct vasx_strpool *pool = vasx_strpool_new();
	struct vasx_klayout kl;
	const struct vasx_kregion *r;

	(void)state;
	assert_int_equal(parse_text(text, strlen(text), &kl, pool), 0);
	assert_int_equal(kl.malformed, 7);
	assert_int_equal(kl.nregions, 5);
	assert_int_equal(kl.page_size, 0);
	assert_string_equal(key(&kl, "vmalloc")->desc, "?[31mred?");
	r = key(&kl, "kernel-image");
	assert_int_equal(r->depth, 1);
	assert_int_equal(r->last, 0xffffffffbfffffffull);
	r = key(&kl, "top");
	assert_int_equal(r->last, UINT64_MAX);
	assert_int_equal(r->perms, 0);
	assert_nested(&kl);
	vasx_klayout_release(&kl);
	vasx_strpool_free(pool);
}

static int parse_tasks_text(const char *text, size_t len, struct vasx_ktask **t, size_t *n,
			    size_t *bad)
{
	FILE *f = fmemopen((void *)text, len ? len : 1, "r");
	int err;

	assert_non_null(f);
	if (!len)
		fgetc(f);
	err = vasx_ktasks_parse(f, t, n, bad);
	fclose(f);
	return err;
}

static void check_fixture_tasks(const char *rel)
{
	size_t len, n, bad, leaders = 0, hostile = 0;
	char *text = slurp(fixture_path(rel), &len);
	struct vasx_ktask *t;
	bool have1 = false;

	assert_int_equal(parse_tasks_text(text, len, &t, &n, &bad), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(n, count_prefix(text, "task "));
	assert_int_equal(t[0].pid, 0);
	assert_string_equal(t[0].comm, "swapper/0");
	assert_int_equal(t[0].mm, 0);
	for (size_t i = 0; i < n; i++) {
		char line[256];

		/* Each line's numbers, read back the slow way. */
		snprintf(line, sizeof(line), "task %d %d ", t[i].pid, t[i].tgid);
		assert_non_null(strstr(text, line));
		snprintf(line, sizeof(line), " 0x%016llx 0x%016llx 0x%016llx 0x%016llx 0x%016llx\n",
			 (unsigned long long)t[i].task, (unsigned long long)t[i].task_phys,
			 (unsigned long long)t[i].stack, (unsigned long long)t[i].mm,
			 (unsigned long long)t[i].pgd);
		assert_non_null(strstr(text, line));
		if (t[i].pid == 1) {
			have1 = true;
			assert_int_equal(t[i].tgid, 1);
			assert_int_not_equal(t[i].mm, 0);
			assert_int_not_equal(t[i].pgd, 0);
		}
		leaders += t[i].pid == t[i].tgid;
		hostile += !strcmp(t[i].comm, "a b\033[31m\\x");
	}
	assert_true(have1);
	/* The test VM names one thread so; the module escaped it, we undo that. */
	assert_int_equal(hostile, 1);
	assert_true(leaders > 1);
	free(t);
	free(text);
}

static void test_ktasks_fixture_4level(void **state)
{
	(void)state;
	check_fixture_tasks("l4/vasx/tasks");
}

static void test_ktasks_fixture_5level(void **state)
{
	(void)state;
	check_fixture_tasks("l5/vasx/tasks");
}

#define T0 " 0xffff888001234000 0x0000000001234000 0xffffc90000010000 0x0000000000000000 0x0000000000000000"

static void test_ktasks_comm_and_malformed(void **state)
{
	const char *text =
		"vasx-tasks 1\n"
		"task 7 7 a\\040b\\033[31m\\134" T0 "\n"
		"task 8 8 \\000" T0 "\n"
		"task 9 7 worker" T0 "\n"
		"task 10 10 bad\\9" T0 "\n"		/* not an octal escape */
		"task 11 11 half\\04" T0 "\n"
		"task -1 1 neg" T0 "\n"
		"task 12 12 short 0xffff888001234000\n"
		"task 13 13 two words" T0 "\n"
		"task 14 14 x 0xffff888001234000 0x1 0x0 0x0 0x0\n";
	struct vasx_ktask *t;
	size_t n, bad;

	(void)state;
	assert_int_equal(parse_tasks_text(text, strlen(text), &t, &n, &bad), 0);
	assert_int_equal(n, 3);
	assert_int_equal(bad, 6);
	assert_string_equal(t[0].comm, "a b\033[31m\\");
	assert_string_equal(t[1].comm, "");
	assert_int_equal(t[2].pid, 9);
	assert_int_equal(t[2].tgid, 7);
	assert_int_equal(t[2].task, 0xffff888001234000ull);
	assert_int_equal(t[2].task_phys, 0x1234000);
	assert_int_equal(t[2].stack, 0xffffc90000010000ull);
	free(t);
}

static void test_ktasks_versions_and_prefixes(void **state)
{
	struct vasx_ktask *t = NULL;
	size_t n, bad, len;
	char *text = slurp(fixture_path("l5/vasx/tasks"), &len);
	size_t full = count_prefix(text, "task ");

	(void)state;
	assert_int_equal(parse_tasks_text("vasx-tasks 2\n", 13, &t, &n, &bad), -VASX_E_VERSION);
	assert_int_equal(parse_tasks_text("vasx-layout 1\n", 14, &t, &n, &bad), -VASX_E_MALFORMED);
	assert_int_equal(parse_tasks_text("", 0, &t, &n, &bad), -VASX_E_TRUNCATED);
	assert_int_equal(parse_tasks_text("vasx-tasks 1\n", 13, &t, &n, &bad), 0);
	assert_int_equal(n, 0);
	free(t);
	for (size_t cut = 13; cut <= len; cut++) {
		assert_int_equal(parse_tasks_text(text, cut, &t, &n, &bad), 0);
		assert_true(n <= full);
		assert_true(bad <= 1);
		free(t);
	}
	free(text);
}

static void load_tasks(const char *rel, struct vasx_ktask **t, size_t *n)
{
	struct vasx_source *src;

	assert_int_equal(vasx_source_open_dir(fixture_path(rel), &src), 0);
	assert_int_equal(vasx_ktasks_load(src, t, n), 0);
	vasx_source_close(src);
}

static const struct vasx_ktask *task_of(const struct vasx_ktask *t, size_t n, int pid)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].pid == pid)
			return &t[i];
	fail();
	return NULL;
}

static void test_ktasks_select(void **state)
{
	struct vasx_ktask *t;
	size_t n, np, leaders = 0;
	int *pids;
	char arg[128];
	const struct vasx_ktask *init, *thread = NULL;

	(void)state;
	load_tasks("l4", &t, &n);
	init = task_of(t, n, 1);
	for (size_t i = 0; i < n; i++) {
		leaders += t[i].pid == t[i].tgid && t[i].pid > 0;
		if (t[i].pid != t[i].tgid && !thread)
			thread = &t[i];
	}

	snprintf(arg, sizeof(arg), "0x%016llx", (unsigned long long)init->task);
	assert_int_equal(vasx_ktasks_select(t, n, arg, NULL, NULL, &pids, &np), 0);
	assert_int_equal(np, 1);
	assert_int_equal(pids[0], 1);
	free(pids);

	/* Physical, without 0x, and the same process twice. */
	snprintf(arg, sizeof(arg), "%llx,0x%llx", (unsigned long long)init->task_phys,
		 (unsigned long long)init->task_phys);
	assert_int_equal(vasx_ktasks_select(t, n, NULL, arg, NULL, &pids, &np), 0);
	assert_int_equal(np, 1);
	assert_int_equal(pids[0], 1);
	free(pids);

	/* The task list from the idle task: every process, pid 1 first. */
	snprintf(arg, sizeof(arg), "0x%llx", (unsigned long long)t[0].task);
	assert_int_equal(vasx_ktasks_select(t, n, NULL, NULL, arg, &pids, &np), 0);
	assert_int_equal(np, leaders);
	assert_int_equal(pids[0], 1);
	free(pids);

	/* From another process: it comes first, the rest follow round. */
	snprintf(arg, sizeof(arg), "0x%llx", (unsigned long long)task_of(t, n, 2)->task);
	assert_int_equal(vasx_ktasks_select(t, n, NULL, NULL, arg, &pids, &np), 0);
	assert_int_equal(np, leaders);
	assert_int_equal(pids[0], 2);
	assert_int_equal(pids[np - 1], 1);
	free(pids);

	if (thread) {
		snprintf(arg, sizeof(arg), "0x%llx", (unsigned long long)thread->task);
		assert_int_equal(vasx_ktasks_select(t, n, arg, NULL, NULL, &pids, &np), 0);
		assert_int_equal(np, 1);
		assert_int_equal(pids[0], thread->tgid);
		free(pids);
	}

	assert_int_equal(vasx_ktasks_select(t, n, "zz", NULL, NULL, &pids, &np), -VASX_E_BADADDR);
	assert_null(pids);
	assert_int_equal(vasx_ktasks_select(t, n, "0x1,", NULL, NULL, &pids, &np), -VASX_E_BADADDR);
	assert_int_equal(vasx_ktasks_select(t, n, "0x1234", NULL, NULL, &pids, &np), -ESRCH);
	assert_int_equal(vasx_ktasks_select(t, n, NULL, NULL, "", &pids, &np), -VASX_E_BADADDR);
	/* The idle task alone has no process to show. */
	snprintf(arg, sizeof(arg), "0x%llx", (unsigned long long)t[0].task);
	assert_int_equal(vasx_ktasks_select(t, n, arg, NULL, NULL, &pids, &np), -ESRCH);
	free(t);
}

static void test_klayout_load_module_tree(void **state)
{
	struct vasx_strpool *pool = vasx_strpool_new();
	struct vasx_source *src;
	struct vasx_klayout kl;
	const struct vasx_kregion *mods, *dummy;

	(void)state;
	assert_int_equal(vasx_source_open_dir(fixture_path("l5"), &src), 0);
	assert_int_equal(vasx_klayout_load(src, 0, &kl, pool), 0);
	assert_int_equal(kl.source, VASX_KSRC_MODULE);
	assert_int_equal(kl.module_err, 0);
	assert_int_equal(kl.paging_levels, 5);
	/* /proc/modules adds each module inside the modules region. */
	mods = key(&kl, "modules");
	dummy = key(&kl, "module:dummy");
	assert_non_null(dummy);
	assert_non_null(key(&kl, "module:vasx"));
	assert_int_equal(dummy->depth, mods->depth + 1);
	assert_true(dummy->start >= mods->start && dummy->last <= mods->last);
	assert_int_equal(dummy->last - dummy->start + 1, 16384);
	assert_nested(&kl);
	vasx_klayout_release(&kl);
	vasx_source_close(src);
	vasx_strpool_free(pool);
}

static unsigned long long ksym(const char *rel, const char *name)
{
	char *text = slurp(fixture_path(rel), NULL), pat[64], *at;
	unsigned long long a;

	snprintf(pat, sizeof(pat), " %s\n", name);
	at = strstr(text, pat);
	assert_non_null(at);
	while (at > text && at[-1] != '\n')
		at--;
	a = strtoull(at, NULL, 16);
	free(text);
	return a;
}

/* A tree without the module's files; with the 5-level boot's kallsyms and modules. */
static char *tree_without_module(bool with_kallsyms)
{
	static char dir[] = "/tmp/vasx-test-klayout.XXXXXX";
	char cmd[2048];

	strcpy(dir + strlen(dir) - 6, "XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp %s %s %s/", fixture_path("l5/kallsyms"),
		 fixture_path("l5/modules"), dir);
	if (with_kallsyms)
		assert_int_equal(system(cmd), 0);
	return dir;
}

static void remove_tree(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_klayout_load_kallsyms(void **state)
{
	struct vasx_strpool *pool = vasx_strpool_new();
	char *dir = tree_without_module(true);
	struct vasx_source *src;
	struct vasx_klayout kl;
	const struct vasx_kregion *r;

	(void)state;
	assert_int_equal(vasx_source_open_dir(dir, &src), 0);
	assert_int_equal(vasx_klayout_load(src, 56, &kl, pool), 0);
	assert_int_equal(kl.source, VASX_KSRC_KALLSYMS);
	assert_int_equal(kl.module_err, -VASX_E_NOMODULE);
	assert_int_equal(kl.kallsyms_err, 0);
	assert_int_equal(kl.paging_levels, 5);
	r = key(&kl, "kernel-image");
	assert_int_equal(r->start, ksym("l5/kallsyms", "_text"));
	assert_int_equal(r->last, ksym("l5/kallsyms", "_end") - 1);
	assert_int_equal(r->flags & VASX_F_APPROX, 0);
	r = key(&kl, "kernel-text");
	assert_int_equal(r->last, ksym("l5/kallsyms", "_etext") - 1);
	assert_int_equal(r->depth, 2);
	r = key(&kl, "kernel-bss");
	assert_int_equal(r->start, ksym("l5/kallsyms", "__bss_start"));
	/* The randomised image lies above 0xffffffffa0000000: 1 GiB of image space. */
	assert_int_equal(key(&kl, "modules")->start, 0xffffffffc0000000ull);
	assert_true(key(&kl, "modules")->flags & VASX_F_APPROX);
	assert_non_null(key(&kl, "module:crc7"));
	/* The documented 5-level bases. */
	assert_int_equal(key(&kl, "direct-map")->start, 0xff11000000000000ull);
	assert_nested(&kl);
	vasx_klayout_release(&kl);
	vasx_source_close(src);
	remove_tree(dir);
	vasx_strpool_free(pool);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_klayout_load_approximate(void **state)
{
	struct vasx_strpool *pool = vasx_strpool_new();
	char *dir = tree_without_module(false), sub[600];
	struct vasx_source *src;
	struct vasx_klayout kl;

	(void)state;
	assert_int_equal(vasx_source_open_dir(dir, &src), 0);
	assert_int_equal(vasx_klayout_load(src, 47, &kl, pool), 0);
	assert_int_equal(kl.source, VASX_KSRC_APPROX);
	assert_int_equal(kl.kallsyms_err, -ENOENT);
	assert_int_equal(kl.paging_levels, 4);
	assert_int_equal(key(&kl, "direct-map")->start, 0xffff888000000000ull);
	assert_int_equal(key(&kl, "vmalloc")->last, 0xffffe8ffffffffffull);
	assert_int_equal(key(&kl, "modules")->start, 0xffffffffa0000000ull);
	for (size_t i = 0; i < kl.nregions; i++)
		assert_true(kl.regions[i].flags & VASX_F_APPROX);
	assert_nested(&kl);
	vasx_klayout_release(&kl);

	/* kallsyms as a reader without privilege sees it: zeros. */
	write_file(dir, "kallsyms", "0000000000000000 T _text\n0000000000000000 T _etext\n");
	write_file(dir, "modules", "dummy 16384 0 - Live 0x0000000000000000\n");
	/* A module file of an unknown version falls back too, and says why. */
	snprintf(sub, sizeof(sub), "%s/vasx", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(dir, "vasx/layout", "vasx-layout 9\n");
	assert_int_equal(vasx_klayout_load(src, 56, &kl, pool), 0);
	assert_int_equal(kl.source, VASX_KSRC_APPROX);
	assert_int_equal(kl.module_err, -VASX_E_VERSION);
	assert_int_equal(kl.kallsyms_err, -EPERM);
	assert_int_equal(kl.user_va_bits, 56);
	assert_null(key(&kl, "module:dummy"));
	vasx_klayout_release(&kl);
	vasx_source_close(src);
	remove_tree(dir);
	vasx_strpool_free(pool);
}

static void test_ksource_names(void **state)
{
	(void)state;
	assert_string_equal(vasx_ksource_name(VASX_KSRC_NONE), "none");
	assert_string_equal(vasx_ksource_name(VASX_KSRC_APPROX), "approximate");
	assert_string_equal(vasx_ksource_name(VASX_KSRC_KALLSYMS), "kallsyms");
	assert_string_equal(vasx_ksource_name(VASX_KSRC_MODULE), "module");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_klayout_fixture_4level),
		cmocka_unit_test(test_klayout_fixture_5level),
		cmocka_unit_test(test_klayout_versions),
		cmocka_unit_test(test_klayout_every_prefix),
		cmocka_unit_test(test_klayout_user_va_bits),
		cmocka_unit_test(test_klayout_hostile_lines),
		cmocka_unit_test(test_ktasks_fixture_4level),
		cmocka_unit_test(test_ktasks_fixture_5level),
		cmocka_unit_test(test_ktasks_comm_and_malformed),
		cmocka_unit_test(test_ktasks_versions_and_prefixes),
		cmocka_unit_test(test_ktasks_select),
		cmocka_unit_test(test_klayout_load_module_tree),
		cmocka_unit_test(test_klayout_load_kallsyms),
		cmocka_unit_test(test_klayout_load_approximate),
		cmocka_unit_test(test_ksource_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
