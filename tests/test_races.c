/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A process that exits (or begins to: its address space is torn down while
 * it still reads as running), or whose pid another process takes, between
 * any two files of a read: the snapshot and the saved tree are refused,
 * never made of two processes or of half of one. A source standing before
 * a copy of a fixture makes the event happen just before its Nth open, for
 * every N a whole read makes; the copy passes for the live system, where
 * the core checks for it.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "vasx/export.h"
#include "vasx/source.h"
#include "vasx/status.h"

#define PID 3958

enum race_event { EV_NONE, EV_REUSE, EV_EXIT, EV_EXITING };

struct race_source {
	struct vasx_source base;
	struct vasx_source *inner;
	enum race_event event;
	int when;		/* before this open (1: the first) */
	int opens;
};

static char tree[200];

/* Stat with its field @field (22: start time, 9: flags) changed by @change. */
static void stat_change(int field, unsigned long long (*change)(unsigned long long))
{
	char path[512], buf[2048], out[2048];
	unsigned long long v;
	char *p, *f;
	FILE *fp;
	size_t n;
	int at = 2;

	snprintf(path, sizeof(path), "%s/%d/stat", tree, PID);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	assert_non_null(p);
	for (f = p + 1; *f && at < field; f++)
		at += *f == ' ';
	assert_int_equal(at, field);
	v = strtoull(f, &p, 10);
	snprintf(out, sizeof(out), "%.*s%llu%s", (int)(f - buf), buf, change(v), p);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(out, fp);
	fclose(fp);
}

static unsigned long long later(unsigned long long v)
{
	return v + 100;
}

/* PF_EXITING: the kernel tears the address space down, stat still says running. */
static unsigned long long exiting(unsigned long long v)
{
	return v | 0x4;
}

/* Another process in the same pid: the start time moves on. */
static void reuse_pid(void)
{
	stat_change(22, later);
}

/* The exit has begun: maps and smaps end early or are empty, stat is not 'Z' yet. */
static void start_exit(void)
{
	char path[512];
	FILE *fp;

	stat_change(9, exiting);
	snprintf(path, sizeof(path), "%s/%d/smaps", tree, PID);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
}

static void exit_pid(void)
{
	char from[512], to[512];

	snprintf(from, sizeof(from), "%s/%d", tree, PID);
	snprintf(to, sizeof(to), "%s/gone", tree);
	assert_int_equal(rename(from, to), 0);
}

static void race_tick(struct vasx_source *src)
{
	struct race_source *r = (struct race_source *)src;

	if (++r->opens != r->when)
		return;
	if (r->event == EV_REUSE)
		reuse_pid();
	else if (r->event == EV_EXIT)
		exit_pid();
	else if (r->event == EV_EXITING)
		start_exit();
}

static int race_fopen(struct vasx_source *src, int pid, const char *name, FILE **out)
{
	struct race_source *r = (struct race_source *)src;

	race_tick(src);
	return r->inner->ops->fopen(r->inner, pid, name, out);
}

static int race_open_fd(struct vasx_source *src, int pid, const char *name, int *out)
{
	struct race_source *r = (struct race_source *)src;

	race_tick(src);
	return r->inner->ops->open_fd(r->inner, pid, name, out);
}

static bool race_pid_exists(struct vasx_source *src, int pid)
{
	struct race_source *r = (struct race_source *)src;

	return r->inner->ops->pid_exists(r->inner, pid);
}

static int race_list_ids(struct vasx_source *src, int pid, int **out, size_t *n)
{
	struct race_source *r = (struct race_source *)src;

	return r->inner->ops->list_ids(r->inner, pid, out, n);
}

static void race_close(struct vasx_source *src)
{
	struct race_source *r = (struct race_source *)src;

	vasx_source_close(r->inner);
}

static const struct vasx_source_ops race_ops = {
	.name = "race",
	.fopen = race_fopen,
	.open_fd = race_open_fd,
	.pid_exists = race_pid_exists,
	.list_ids = race_list_ids,
	.close = race_close,
};

/* A fresh copy of the fixture, and a source over it that passes for live. */
static void race_open(struct race_source *r, enum race_event ev, int when)
{
	char cmd[2048], fix[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -R '%s' '%s'", tree,
		 test_fixture_path("sleep", fix, sizeof(fix)), tree);
	assert_int_equal(system(cmd), 0);
	memset(r, 0, sizeof(*r));
	assert_int_equal(vasx_source_open_dir(tree, &r->inner), 0);
	r->base.ops = &race_ops;
	r->base.root = r->inner->root;
	r->base.live = true;	/* the core checks a live process for exit and reuse */
	r->event = ev;
	r->when = when;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tree, sizeof(tree), "%s/vasx-test-races.%d", getenv("TMPDIR") ? getenv("TMPDIR") :
		 "/tmp", (int)getpid());
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s.save'", tree, tree);
	return system(cmd) == 0 ? 0 : -1;
}

/* How many files a whole read opens, with nothing happening. */
static int count_snapshot_opens(unsigned what)
{
	struct race_source r;
	struct vasx_snapshot *s = NULL;

	race_open(&r, EV_NONE, 0);
	assert_int_equal(vasx_snapshot_load(&r.base, PID, what, &s), 0);
	vasx_snapshot_free(s);
	race_close(&r.base);
	assert_true(r.opens > 3);
	return r.opens;
}

static void check_snapshot(unsigned what)
{
	int total = count_snapshot_opens(what);

	/* From the second open on: the first is the stat the others are checked against. */
	for (int when = 2; when <= total; when++) {
		struct vasx_snapshot *s = NULL;
		struct race_source r;
		int err;

		race_open(&r, EV_REUSE, when);
		err = vasx_snapshot_load(&r.base, PID, what, &s);
		if (err != -VASX_E_PIDREUSED)
			fail_msg("pid reused before open %d of %d: %s, not refused as reused",
				 when, total, err ? vasx_strerror(err) : "a snapshot");
		race_close(&r.base);

		for (enum race_event ev = EV_EXIT; ev <= EV_EXITING; ev++) {
			race_open(&r, ev, when);
			err = vasx_snapshot_load(&r.base, PID, what, &s);
			if (err != -VASX_E_EXITED && err != -ESRCH)
				fail_msg("%s before open %d of %d: %s, not refused as exited",
					 ev == EV_EXIT ? "exit" : "start of an exit", when, total,
					 err ? vasx_strerror(err) : "a snapshot");
			race_close(&r.base);
		}
	}
}

static void test_races_snapshot_maps(void **state)
{
	(void)state;
	check_snapshot(0);
}

static void test_races_snapshot_all(void **state)
{
	(void)state;
	check_snapshot(VASX_LOAD_ALL);
}

static void test_races_snapshot_threads_smaps(void **state)
{
	(void)state;
	check_snapshot(VASX_LOAD_SMAPS | VASX_LOAD_THREADS | VASX_LOAD_ROLLUP);
}

/* A save with @ev before open @when: refused, and no tree left behind. */
static void check_save(const char *dir, enum race_event ev, int when, int total)
{
	struct race_source r;
	struct stat st;
	char cmd[300];
	int err;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	race_open(&r, ev, when);
	err = vasx_save_tree(&r.base, PID, dir);
	race_close(&r.base);
	if (ev == EV_REUSE ? err != -VASX_E_PIDREUSED : err != -VASX_E_EXITED && err != -ESRCH)
		fail_msg("%s before open %d of %d: %s, not refused", ev == EV_REUSE ?
			 "pid reused" : "exit", when, total, err ? vasx_strerror(err) : "saved");
	if (stat(dir, &st) == 0)
		fail_msg("%s before open %d of %d: a tree was left behind",
			 ev == EV_REUSE ? "pid reused" : "exit", when, total);
}

/* --save: every file of the tree from one process, or no tree at all. */
static void test_races_save(void **state)
{
	struct race_source r;
	char dir[256];

	(void)state;
	snprintf(dir, sizeof(dir), "%s.save", tree);
	race_open(&r, EV_NONE, 0);
	assert_int_equal(vasx_save_tree(&r.base, PID, dir), 0);
	race_close(&r.base);
	for (int when = 2; when <= r.opens; when++) {
		check_save(dir, EV_REUSE, when, r.opens);
		check_save(dir, EV_EXIT, when, r.opens);
		check_save(dir, EV_EXITING, when, r.opens);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_races_snapshot_maps),
		cmocka_unit_test(test_races_snapshot_all),
		cmocka_unit_test(test_races_snapshot_threads_smaps),
		cmocka_unit_test(test_races_save),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
