/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of loading snapshots: of this very process, and of processes that are gone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "vasx/source.h"
#include "vasx/status.h"
#include "vasx/vas.h"

static struct vasx_snapshot *load_self(unsigned what)
{
	struct vasx_source *src;
	struct vasx_snapshot *s = NULL;

	assert_int_equal(vasx_source_open_live(&src), 0);
	assert_int_equal(vasx_snapshot_load(src, getpid(), what, &s), 0);
	vasx_source_close(src);
	return s;
}

static void test_snapshot_self(void **state)
{
	int on_stack = 0;
	char *anon = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vasx_snapshot *s;
	const struct vasx_region *r;
	const struct vasx_smaps *sm;

	(void)state;
	assert_ptr_not_equal(anon, MAP_FAILED);
	memset(anon, 1, 2 * 4096);
	s = load_self(VASX_LOAD_SMAPS | VASX_LOAD_THREADS);

	r = vasx_snapshot_lookup(s, (uintptr_t)&on_stack);
	assert_int_equal(r->kind, VASX_KIND_STACK);
	r = vasx_snapshot_lookup(s, (uintptr_t)&load_self);
	assert_int_equal(r->kind, VASX_KIND_TEXT);
	assert_true(r->flags & VASX_F_MAPPING);
	assert_non_null(r->name);
	assert_non_null(strstr(r->name, program_invocation_short_name));

	r = vasx_snapshot_lookup(s, (uintptr_t)anon);
	assert_true(r->flags & VASX_F_MAPPING);
	sm = vasx_region_smaps(s, r);
	assert_non_null(sm);
	/* The two touched pages are resident (the mapping may have merged with a neighbour). */
	assert_true(sm->v[VASX_SM_RSS] >= 8);
	assert_int_equal(sm->v[VASX_SM_SIZE] * 1024, vasx_region_size(r));
	assert_non_null(sm->vmflags);
	assert_non_null(strstr(sm->vmflags, "rd"));

	assert_int_equal(s->stat.pid, getpid());
	assert_true(s->totals.map_count > 5);
	assert_true(s->totals.have_mem);
	assert_true(s->totals.rss_kb > 0);
	assert_true(s->totals.uss_kb <= s->totals.rss_kb);
	assert_true(s->totals.ram_total_kb > 0);
	assert_int_equal(s->smaps_err, 0);
	assert_int_equal(s->maps_malformed, 0);
	vasx_snapshot_free(s);
	munmap(anon, 3 * 4096);
}

static void test_snapshot_without_smaps(void **state)
{
	struct vasx_snapshot *s = load_self(VASX_LOAD_ROLLUP);

	(void)state;
	assert_null(s->smaps);
	assert_true(s->have_rollup);
	assert_true(s->totals.have_mem);
	assert_true(s->totals.rss_kb > 0);
	vasx_snapshot_free(s);
}

static void test_snapshot_gone(void **state)
{
	struct vasx_source *src;
	struct vasx_snapshot *s = NULL;
	pid_t child = fork();

	(void)state;
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	assert_int_equal(vasx_source_open_live(&src), 0);
	assert_int_equal(vasx_snapshot_load(src, child, VASX_LOAD_SMAPS, &s), -ESRCH);
	assert_null(s);
	assert_int_equal(vasx_snapshot_load(src, 0, 0, &s), -EINVAL);
	vasx_source_close(src);
}

static void test_snapshot_zombie(void **state)
{
	struct vasx_source *src;
	struct vasx_snapshot *s = NULL;
	pid_t child = fork();
	int err;

	(void)state;
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	/* Until reaped it is a zombie: its directory is there, its memory is not. */
	for (int i = 0; i < 200; i++) {
		char path[64], buf[512];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat", child);
		f = fopen(path, "r");
		if (f && fgets(buf, sizeof(buf), f) && strstr(buf, ") Z ")) {
			fclose(f);
			break;
		}
		if (f)
			fclose(f);
		usleep(5000);
	}
	assert_int_equal(vasx_source_open_live(&src), 0);
	err = vasx_snapshot_load(src, child, VASX_LOAD_SMAPS, &s);
	assert_int_equal(err, -VASX_E_EXITED);
	waitpid(child, NULL, 0);
	vasx_source_close(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_self),
		cmocka_unit_test(test_snapshot_without_smaps),
		cmocka_unit_test(test_snapshot_gone),
		cmocka_unit_test(test_snapshot_zombie),
	};

	return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}
