/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of the stat, status, syscall and cmdline parsers and loaders. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testlib.h"

#include "vasx/pidinfo.h"
#include "vasx/source.h"
#include "vasx/status.h"

static int stat_of(const char *text, struct vasx_stat *st)
{
	return vasx_stat_parse(text, strlen(text), st);
}

static void test_pidinfo_stat_real(void **state)
{
	static const char line[] =
		"6404 (vasx-testproc) S 6397 6395 32737 0 -1 4194304 104 0 0 0 0 0 0 0 20 0 3 0 "
		"51451 19472384 448 18446744073709551615 94536589352960 94536589361417 "
		"140726421709376 0 0 0 16899 4102 0 0 0 0 17 1 0 0 0 0 0 94536589376112 "
		"94536589378848 94537006620672 140726421711255 140726421711316 140726421711316 "
		"140726421712862 0\n";
	struct vasx_stat st;

	(void)state;
	assert_int_equal(stat_of(line, &st), 0);
	assert_int_equal(st.pid, 6404);
	assert_string_equal(st.comm, "vasx-testproc");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 6397);
	assert_int_equal(st.num_threads, 3);
	assert_true(st.starttime == 51451);
	assert_true(st.vsize == 19472384);
	assert_true(st.rss_pages == 448);
	assert_true(st.start_code == 94536589352960ULL);
	assert_true(st.end_code == 94536589361417ULL);
	assert_true(st.start_stack == 140726421709376ULL);
	assert_true(st.kstkesp == 0 && st.kstkeip == 0);
	assert_true(st.start_data == 94536589376112ULL);
	assert_true(st.end_data == 94536589378848ULL);
	assert_true(st.start_brk == 94537006620672ULL);
	assert_true(st.arg_start == 140726421711255ULL);
	assert_true(st.arg_end == 140726421711316ULL);
	assert_true(st.env_start == 140726421711316ULL);
	assert_true(st.env_end == 140726421712862ULL);
}

static void test_pidinfo_stat_hostile_comm(void **state)
{
	struct vasx_stat st;

	(void)state;
	/* The comm "x) R 9 (\e[2J": only the last ')' ends it. */
	assert_int_equal(stat_of("1005 (x) R 9 (\033[2J) S 1 1005 1005 0 -1 4194304 141 0 0 0 0 "
				 "0 0 0 20 0 1 0 42540 2990080 407 18446744073709551615 1 2 3 "
				 "0 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0 4 5 6 7 8 9 10 0", &st), 0);
	assert_string_equal(st.comm, "x) R 9 (\033[2J");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 1);
	assert_true(st.start_code == 1 && st.env_end == 10);
	/* Blanks and empty comms. */
	assert_int_equal(stat_of("7 (a b  c) R 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7", &st), 0);
	assert_string_equal(st.comm, "a b  c");
	assert_true(st.rss_pages == 7);
	assert_int_equal(stat_of("7 () R 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7", &st), 0);
	assert_string_equal(st.comm, "");
}

/*
 * Field 9, the task's flags (PF_EXITING 0x4 says an exit has begun), is
 * counted after the kernel's ')': a comm with spaces or parentheses of its
 * own moves it, and a field 9 read from the start of the line would not.
 */
static void test_pidinfo_stat_flags(void **state)
{
	static const struct {
		const char *line;
		unsigned long flags;
	} cases[] = {
		{ "6404 (vasx-testproc) S 6397 6395 32737 0 -1 4194304 104 0 0 0 0 0 0 0 20 0 3 0 "
		  "51451 19472384 448 18446744073709551615 1 2 3 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 "
		  "4 5 6 7 8 9 10 0\n", 4194304 },
		/* an exiting task: PF_EXITING (4) among its other flags */
		{ "77 (a b) c) R 1 0 0 0 -1 4194308 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7", 4194308 },
		{ "78 (x) R 9 (\033[2J) S 1 1 1 0 -1 4 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7", 4 },
		{ "79 ( 1 2 3 4 5 6 7 ) D 1 0 0 0 -1 2097216 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7",
		  2097216 },
		/* the largest the kernel's %u prints */
		{ "80 ()) Z 1 0 0 0 -1 4294967295 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7", 4294967295ul },
		{ "81 (sleep) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7", 0 },
	};
	struct vasx_stat st;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(stat_of(cases[i].line, &st), 0);
		assert_true(st.flags == cases[i].flags);
		/* the fields around it are where they were */
		assert_int_equal(st.ppid, i == 0 ? 6397 : 1);
		assert_true(st.starttime == (i == 0 ? 51451 : 5));
	}
}

static void test_pidinfo_stat_long_comm_and_negatives(void **state)
{
	char line[512], comm[101];
	struct vasx_stat st;

	(void)state;
	memset(comm, 'c', 100);
	comm[100] = '\0';
	/* Negative priority and nice (-2, -20) are fields like any other. */
	snprintf(line, sizeof(line), "9 (%s) R 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 -2 -20 1 0 5 6 7 "
		 "18446744073709551615 11 12 13 14 15", comm);
	assert_int_equal(stat_of(line, &st), 0);
	assert_int_equal(strlen(st.comm), sizeof(st.comm) - 1);
	assert_true(st.start_code == 11 && st.kstkeip == 15);
	/* An old kernel's shorter line: later fields zero. */
	assert_true(st.start_data == 0 && st.env_end == 0);
}

static void test_pidinfo_stat_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"6404",
		"6404 (comm",
		"6404 comm) S 1",
		"(comm) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7",
		"x (comm) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7",
		"0 (comm) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7",
		"6404(comm) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7",
		"6404 (comm) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 6",
		"6404 (comm) SS 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7",
		"6404 (comm) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 6x 7",
		"6404 (comm) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 - 7",
		"6404 (comm) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 99999999999999999999999 7",
		")6404 (",
	};
	struct vasx_stat st;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (stat_of(bad[i], &st) != -VASX_E_MALFORMED)
			fail_msg("accepted \"%s\"", bad[i]);
	/* Every prefix of a good line: parsed or refused, never past its end. */
	{
		const char *good = "6404 (a) b) S 6397 6395 32737 0 -1 4194304 104 0 0 0 0 0 0 0 "
				   "20 0 3 0 51451 19472384 448 1 2 3 4 5 6";

		for (size_t n = 0; n <= strlen(good); n++) {
			char *copy = malloc(n + 1);
			int err;

			assert_non_null(copy);
			memcpy(copy, good, n);
			err = vasx_stat_parse(copy, n, &st);
			assert_true(err == 0 || err == -VASX_E_MALFORMED);
			free(copy);
		}
	}
}

static const char status_text[] =
	"Name:\tvasx-testproc\n"
	"Umask:\t0022\n"
	"State:\tS (sleeping)\n"
	"Tgid:\t6404\n"
	"Ngid:\t0\n"
	"Pid:\t6404\n"
	"PPid:\t6397\n"
	"TracerPid:\t0\n"
	"Uid:\t1000\t1001\t1002\t1003\n"
	"Gid:\t100\t101\t102\t103\n"
	"FDSize:\t256\n"
	"Groups:\t \n"
	"VmPeak:\t   19016 kB\n"
	"VmSize:\t   19016 kB\n"
	"VmLck:\t       0 kB\n"
	"VmPin:\t       0 kB\n"
	"VmHWM:\t    1816 kB\n"
	"VmRSS:\t    1816 kB\n"
	"RssAnon:\t     140 kB\n"
	"RssFile:\t    1664 kB\n"
	"RssShmem:\t      12 kB\n"
	"VmData:\t   16640 kB\n"
	"VmStk:\t     132 kB\n"
	"VmExe:\t      12 kB\n"
	"VmLib:\t    1528 kB\n"
	"VmPTE:\t      44 kB\n"
	"VmSwap:\t       0 kB\n"
	"HugetlbPages:\t       0 kB\n"
	"CoreDumping:\t0\n"
	"THP_enabled:\t1\n"
	"untag_mask:\t0xffffffffffffffff\n"
	"Threads:\t3\n"
	"SigQ:\t3/96343\n";

static void test_pidinfo_status_real(void **state)
{
	struct vasx_status st;

	(void)state;
	assert_int_equal(vasx_status_parse(status_text, sizeof(status_text) - 1, &st), 0);
	assert_string_equal(st.name, "vasx-testproc");
	assert_int_equal(st.tgid, 6404);
	assert_int_equal(st.pid, 6404);
	assert_int_equal(st.ppid, 6397);
	assert_int_equal(st.threads, 3);
	assert_int_equal(st.uid[0], 1000);
	assert_int_equal(st.uid[3], 1003);
	assert_int_equal(st.gid[1], 101);
	assert_int_equal(st.present, (1u << VASX_ST_COUNT) - 1);
	assert_true(st.v[VASX_ST_VMPEAK] == 19016);
	assert_true(st.v[VASX_ST_VMRSS] == 1816);
	assert_true(st.v[VASX_ST_RSSSHMEM] == 12);
	assert_true(st.v[VASX_ST_VMSTK] == 132);
	assert_true(st.v[VASX_ST_VMPTE] == 44);
	assert_true(st.v[VASX_ST_HUGETLBPAGES] == 0);
}

static void test_pidinfo_status_field_names(void **state)
{
	(void)state;
	assert_string_equal(vasx_status_field_name(VASX_ST_VMPEAK), "VmPeak");
	assert_string_equal(vasx_status_field_name(VASX_ST_RSSANON), "RssAnon");
	assert_string_equal(vasx_status_field_name(VASX_ST_HUGETLBPAGES), "HugetlbPages");
	assert_null(vasx_status_field_name(VASX_ST_COUNT));
	assert_true(VASX_ST_COUNT <= 32);
}

static void test_pidinfo_status_edges(void **state)
{
	static const char escaped[] =
		"Name:\tx) R 9 (\\e[2J\\n\\\\end\n"
		"Pid:\t1005\n"
		"VmRSS:\t  12x kB\n"
		"VmSize:\t  400 MB\n"
		"VmHWM:\n"
		"VmData:\t  7 kB\n"
		"Uid:\t1\t2\n"
		"Threads:\tmany\n"
		":\tno name\n"
		"no colon at all\n"
		"VmStk:\t  3 kB";
	struct vasx_status st;

	(void)state;
	assert_int_equal(vasx_status_parse(escaped, sizeof(escaped) - 1, &st), 0);
	assert_string_equal(st.name, "x) R 9 (\033[2J\n\\end");
	assert_int_equal(st.pid, 1005);
	/* Garbled values leave their fields unset; the others still count. */
	assert_int_equal(st.present, (1u << VASX_ST_VMDATA) | (1u << VASX_ST_VMSTK));
	assert_true(st.v[VASX_ST_VMDATA] == 7 && st.v[VASX_ST_VMSTK] == 3);
	assert_int_equal(st.threads, 0);
	/* Without a Pid it is not a status file. */
	assert_int_equal(vasx_status_parse("Name:\tx\nVmRSS:\t4 kB\n", 20, &st), -VASX_E_MALFORMED);
	assert_int_equal(vasx_status_parse("", 0, &st), -VASX_E_MALFORMED);
	assert_int_equal(vasx_status_parse("Pid:\t-1\n", 8, &st), -VASX_E_MALFORMED);
}

static int sp_of(const char *text, uint64_t *sp)
{
	return vasx_syscall_parse_sp(text, strlen(text), sp);
}

static void test_pidinfo_syscall_sp(void **state)
{
	static const char *const bad[] = {
		"", "\n", "7", "7 0x1", "-1 0x7ffd6c605f30", "runnin", "running x",
		"7 0x7ffd6c605f70 0x2 0xea60 0x7fa9ab2b68d0 0x0 0x0 0x7ffd6c605f30",
		"7 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8 0x9",
		"7 0x1 0x2 0x3 0x4 0x5 0x6 0x7fzz 0x8",
		"7 0x1 0x2 0x3 0x4 0x5 0x6 7fff 0x8",
		"7 0x1 0x2 0x3 0x4 0x5 0x6 0x 0x8",
		"-1 0x10000000000000000 0x1",
	};
	uint64_t sp = 1;

	(void)state;
	assert_int_equal(sp_of("7 0x7ffd6c605f70 0x2 0xea60 0x7fa9ab2b68d0 0x0 0x0 "
			       "0x7ffd6c605f30 0x7fa9ab3a426f\n", &sp), 0);
	assert_true(sp == 0x7ffd6c605f30ULL);
	assert_int_equal(sp_of("-1 0x7fa9aaa8fe90 0x7fa9ab3a02ec\n", &sp), 0);
	assert_true(sp == 0x7fa9aaa8fe90ULL);
	assert_int_equal(sp_of("running\n", &sp), 0);
	assert_true(sp == 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sp = 1;
		if (sp_of(bad[i], &sp) != -VASX_E_MALFORMED || sp != 0)
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

/*
 * A source held in memory: each (pid, name) has a text or an error, so a
 * test can make any file vanish or refuse.
 */
struct fake_file {
	int pid;
	const char *name;
	const char *text;	/* NULL: fail with err */
	int err;
	size_t len;		/* 0: strlen(text) */
};

struct fake_source {
	struct vasx_source src;
	const struct fake_file *files;
	size_t nfiles;
	const int *tids;
	size_t ntids;
	int list_err;
};

static const struct fake_file *fake_find(struct vasx_source *src, int pid, const char *name)
{
	struct fake_source *fs = (struct fake_source *)src;

	for (size_t i = 0; i < fs->nfiles; i++)
		if (fs->files[i].pid == pid && strcmp(fs->files[i].name, name) == 0)
			return &fs->files[i];
	return NULL;
}

static int fake_fopen(struct vasx_source *src, int pid, const char *name, FILE **out)
{
	const struct fake_file *f = fake_find(src, pid, name);

	if (!f)
		return -ENOENT;
	if (!f->text)
		return f->err;
	/* fmemopen of zero bytes is refused: an empty file is /dev/null. */
	if (f->text[0])
		*out = fmemopen((void *)f->text, f->len ? f->len : strlen(f->text), "r");
	else
		*out = fopen("/dev/null", "r");
	return *out ? 0 : -errno;
}

static bool fake_pid_exists(struct vasx_source *src, int pid)
{
	return fake_find(src, pid, "stat") != NULL;
}

static int fake_list_ids(struct vasx_source *src, int pid, int **out, size_t *n)
{
	struct fake_source *fs = (struct fake_source *)src;

	(void)pid;
	if (fs->list_err)
		return fs->list_err;
	*out = malloc((fs->ntids ? fs->ntids : 1) * sizeof(int));
	if (!*out)
		return -ENOMEM;
	memcpy(*out, fs->tids, fs->ntids * sizeof(int));
	*n = fs->ntids;
	return 0;
}

static void fake_close(struct vasx_source *src)
{
	(void)src;
}

static const struct vasx_source_ops fake_ops = {
	.name = "fake",
	.fopen = fake_fopen,
	.pid_exists = fake_pid_exists,
	.list_ids = fake_list_ids,
	.close = fake_close,
};

#define FAKE_STAT "42 (prog) S 1 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 4 0 777 4096 1 " \
		  "18446744073709551615 1 2 3 0 0\n"

static const struct fake_file threads_files[] = {
	{ 42, "stat", FAKE_STAT, 0, 0 },
	{ 42, "status", "Name:\tprog\nPid:\t42\nThreads:\t4\n", 0, 0 },
	{ 42, "task/42/comm", "prog\n", 0, 0 },
	{ 42, "task/42/syscall", "7 0x1 0x2 0x3 0x4 0x5 0x6 0x7ffd00001000 0x55\n", 0, 0 },
	/* 43 exited between the listing and the read. */
	{ 42, "task/43/comm", NULL, -ESRCH, 0 },
	{ 42, "task/44/comm", "worker 1\n", 0, 0 },
	{ 42, "task/44/syscall", NULL, -EACCES, 0 },
	{ 42, "task/45/comm", "busy\n", 0, 0 },
	{ 42, "task/45/syscall", "running\n", 0, 0 },
	{ 42, "task/46/comm", "garbled\n", 0, 0 },
	{ 42, "task/46/syscall", "what\n", 0, 0 },
	/* 47's comm is unreadable for another reason: kept, without a name. */
	{ 42, "task/47/comm", NULL, -EIO, 0 },
	{ 42, "task/47/syscall", "-1 0x7000 0x1\n", 0, 0 },
};

static const int threads_tids[] = { 42, 43, 44, 45, 46, 47, 48 };

static struct fake_source fake(const struct fake_file *files, size_t n)
{
	struct fake_source fs = { .files = files, .nfiles = n,
				  .tids = threads_tids,
				  .ntids = sizeof(threads_tids) / sizeof(threads_tids[0]) };

	fs.src.ops = &fake_ops;
	return fs;
}

static void test_pidinfo_load_threads(void **state)
{
	struct fake_source fs = fake(threads_files, sizeof(threads_files) / sizeof(threads_files[0]));
	struct vasx_thread *t = NULL;
	struct vasx_status status;
	struct vasx_stat st;
	size_t n = 99;

	(void)state;
	assert_int_equal(vasx_pidinfo_load(&fs.src, 42, &st, &status, &t, &n), 0);
	assert_int_equal(st.pid, 42);
	assert_true(st.starttime == 777);
	assert_string_equal(status.name, "prog");
	/* 43 and 48 vanished; 44 refused its syscall file; 45 was running. */
	assert_int_equal(n, 5);
	assert_int_equal(t[0].tid, 42);
	assert_string_equal(t[0].comm, "prog");
	assert_true(t[0].sp == 0x7ffd00001000ULL);
	assert_int_equal(t[1].tid, 44);
	assert_string_equal(t[1].comm, "worker 1");
	assert_true(t[1].sp == 0);
	assert_int_equal(t[2].tid, 45);
	assert_true(t[2].sp == 0);
	assert_int_equal(t[3].tid, 46);
	assert_true(t[3].sp == 0);
	assert_int_equal(t[4].tid, 47);
	assert_string_equal(t[4].comm, "");
	assert_true(t[4].sp == 0x7000);
	free(t);
}

static void test_pidinfo_load_parts(void **state)
{
	struct fake_source fs = fake(threads_files, sizeof(threads_files) / sizeof(threads_files[0]));
	struct vasx_thread *t = (void *)1;
	struct vasx_stat st;
	size_t n = 99;

	(void)state;
	/* Only what is asked for. */
	assert_int_equal(vasx_pidinfo_load(&fs.src, 42, &st, NULL, NULL, NULL), 0);
	assert_int_equal(st.num_threads, 4);
	/* Listing threads failed: the error, and no threads. */
	fs.list_err = -EIO;
	assert_int_equal(vasx_pidinfo_load(&fs.src, 42, NULL, NULL, &t, &n), -EIO);
	assert_null(t);
	assert_int_equal(n, 0);
	/* A tree without task/: no threads, no error. */
	fs.list_err = -ENOENT;
	t = (void *)1;
	assert_int_equal(vasx_pidinfo_load(&fs.src, 42, NULL, NULL, &t, &n), 0);
	assert_null(t);
	assert_int_equal(n, 0);
}

static void test_pidinfo_load_exited(void **state)
{
	static const struct fake_file bad_status[] = {
		{ 42, "stat", FAKE_STAT, 0, 0 },
		{ 42, "status", "garbage\n", 0, 0 },
	};
	struct fake_source fs = fake(threads_files, sizeof(threads_files) / sizeof(threads_files[0]));
	struct vasx_thread *t = (void *)1;
	struct vasx_status status;
	struct vasx_stat st;
	size_t n = 99;

	(void)state;
	assert_int_equal(vasx_pidinfo_load(&fs.src, 7, &st, &status, &t, &n), -VASX_E_EXITED);
	assert_null(t);
	assert_int_equal(n, 0);
	assert_int_equal(st.pid, 0);
	/* A bad status is reported, but stat is still filled. */
	fs = fake(bad_status, 2);
	assert_int_equal(vasx_pidinfo_load(&fs.src, 42, &st, &status, NULL, NULL),
			 -VASX_E_MALFORMED);
	assert_int_equal(st.pid, 42);
}

static void test_pidinfo_cmdline(void **state)
{
	static const struct fake_file files[] = {
		{ 1, "stat", FAKE_STAT, 0, 0 },
		{ 1, "cmdline", "prog\0--flag\0a b\0\0", 0, 17 },
		{ 2, "stat", FAKE_STAT, 0, 0 },
		{ 2, "cmdline", "", 0, 0 },
		{ 3, "stat", FAKE_STAT, 0, 0 },
		{ 3, "cmdline", "rewritten by setproctitle   ", 0, 0 },
	};
	struct fake_source fs = fake(files, sizeof(files) / sizeof(files[0]));
	char *s;

	(void)state;
	s = vasx_cmdline_load(&fs.src, 1);
	assert_non_null(s);
	assert_string_equal(s, "prog --flag a b");
	free(s);
	assert_null(vasx_cmdline_load(&fs.src, 2));
	s = vasx_cmdline_load(&fs.src, 3);
	assert_non_null(s);
	assert_string_equal(s, "rewritten by setproctitle");
	free(s);
	assert_null(vasx_cmdline_load(&fs.src, 4));
}

static struct vasx_source *fixture_source(const char *tree)
{
	struct vasx_source *src = NULL;
	char path[1024];

	if (vasx_source_open_dir(test_fixture_path(tree, path, sizeof(path)), &src))
		fail_msg("cannot open %s", path);
	return src;
}

static void test_pidinfo_fixture_live(void **state)
{
	/* Thread stacks printed by the helper when it was captured. */
	static const struct { int tid; uint64_t lo, hi; } stacks[] = {
		{ 6404, 0x7ffd6c5e6000ULL, 0x7ffd6c607000ULL },
		{ 6406, 0x7fa9aaa92000ULL, 0x7fa9ab292000ULL },
		{ 6407, 0x7fa9aa291000ULL, 0x7fa9aaa91000ULL },
	};
	struct vasx_source *src = fixture_source("parsers/live");
	struct vasx_thread *t;
	struct vasx_status status;
	struct vasx_stat st;
	size_t n;
	char *cmd;

	(void)state;
	assert_int_equal(vasx_pidinfo_load(src, 6404, &st, &status, &t, &n), 0);
	assert_string_equal(st.comm, "vasx-testproc");
	assert_int_equal(st.num_threads, 3);
	assert_int_equal(status.threads, 3);
	assert_int_equal(status.pid, 6404);
	assert_true(status.v[VASX_ST_VMRSS] == 1816);
	/* The main stack holds start_stack; the heap starts at start_brk. */
	assert_true(st.start_stack >= stacks[0].lo && st.start_stack < stacks[0].hi);
	assert_true(st.start_brk == 0x55fb1cb2a000ULL);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(t[i].tid, stacks[i].tid);
		assert_string_equal(t[i].comm, "vasx-testproc");
		assert_true(t[i].sp >= stacks[i].lo && t[i].sp < stacks[i].hi);
	}
	free(t);
	cmd = vasx_cmdline_load(src, 6404);
	assert_non_null(cmd);
	assert_string_equal(cmd, "build/tests/vasx-testproc --special --threads 2 --seconds 60");
	free(cmd);
	vasx_source_close(src);
}

static void test_pidinfo_fixture_hostile(void **state)
{
	struct vasx_source *src = fixture_source("hostile");
	struct vasx_thread *t;
	struct vasx_status status;
	struct vasx_stat st;
	size_t n;
	char *cmd;

	(void)state;
	assert_int_equal(vasx_pidinfo_load(src, 1005, &st, &status, NULL, NULL), 0);
	assert_string_equal(st.comm, "x) R 9 (\033[2J");
	/* status escapes the name; decoded, it is stat's comm again. */
	assert_string_equal(status.name, st.comm);
	/* A kernel thread: its one thread is running, so no stack pointer. */
	assert_int_equal(vasx_pidinfo_load(src, 1008, &st, NULL, &t, &n), 0);
	assert_string_equal(st.comm, "kworker/0:1");
	assert_int_equal(n, 1);
	assert_true(t[0].sp == 0);
	free(t);
	cmd = vasx_cmdline_load(src, 1008);
	assert_non_null(cmd);
	assert_string_equal(cmd, "kworker/0:1 --flag \033[31marg");
	free(cmd);
	assert_int_equal(vasx_pidinfo_load(src, 999999, &st, NULL, NULL, NULL), -VASX_E_EXITED);
	vasx_source_close(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pidinfo_stat_real),
		cmocka_unit_test(test_pidinfo_stat_hostile_comm),
		cmocka_unit_test(test_pidinfo_stat_flags),
		cmocka_unit_test(test_pidinfo_stat_long_comm_and_negatives),
		cmocka_unit_test(test_pidinfo_stat_malformed),
		cmocka_unit_test(test_pidinfo_status_real),
		cmocka_unit_test(test_pidinfo_status_field_names),
		cmocka_unit_test(test_pidinfo_status_edges),
		cmocka_unit_test(test_pidinfo_syscall_sp),
		cmocka_unit_test(test_pidinfo_load_threads),
		cmocka_unit_test(test_pidinfo_load_parts),
		cmocka_unit_test(test_pidinfo_load_exited),
		cmocka_unit_test(test_pidinfo_cmdline),
		cmocka_unit_test(test_pidinfo_fixture_live),
		cmocka_unit_test(test_pidinfo_fixture_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
