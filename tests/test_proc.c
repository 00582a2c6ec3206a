/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of process selection and of the process list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <cmocka.h>

#include "vasx/proc.h"
#include "vasx/source.h"
#include "vasx/status.h"

static void test_proc_parse_pidlist(void **state)
{
	int *p;
	size_t n;

	(void)state;
	assert_int_equal(vasx_parse_pidlist("42", &p, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(p[0], 42);
	free(p);
	assert_int_equal(vasx_parse_pidlist("3,1,2", &p, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(p[0], 1);
	assert_int_equal(p[2], 3);
	free(p);
	assert_int_equal(vasx_parse_pidlist("", &p, &n), -EINVAL);
	assert_int_equal(vasx_parse_pidlist("1,", &p, &n), -EINVAL);
	assert_int_equal(vasx_parse_pidlist("1,,2", &p, &n), -EINVAL);
	assert_int_equal(vasx_parse_pidlist("0", &p, &n), -EINVAL);
	assert_int_equal(vasx_parse_pidlist("-1", &p, &n), -EINVAL);
	assert_int_equal(vasx_parse_pidlist("12a", &p, &n), -EINVAL);
	assert_int_equal(vasx_parse_pidlist("99999999999999999999", &p, &n), -EINVAL);
}

static void test_proc_select(void **state)
{
	struct vasx_procinfo v[] = {
		{ .pid = 1, .comm = "systemd" },
		{ .pid = 20, .comm = "bash" },
		{ .pid = 300, .comm = "sleep" },
		{ .pid = 301, .comm = "bashful" },
	};
	struct vasx_proclist pl = { v, 4 };
	int *p;
	size_t n;

	(void)state;
	assert_int_equal(vasx_proclist_select(&pl, NULL, NULL, &p, &n), 0);
	assert_int_equal(n, 4);
	free(p);
	assert_int_equal(vasx_proclist_select(&pl, NULL, "^bash$", &p, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(p[0], 20);
	free(p);
	assert_int_equal(vasx_proclist_select(&pl, "20,300,301", "bash", &p, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(p[1], 301);
	free(p);
	assert_int_equal(vasx_proclist_select(&pl, "7", NULL, &p, &n), 0);
	assert_int_equal(n, 0);
	free(p);
	assert_int_equal(vasx_proclist_select(&pl, NULL, "(", &p, &n), -VASX_E_BADREGEX);
}

/* The live list holds this test's own process, readable, with its name. */
static void test_proc_live_list(void **state)
{
	struct vasx_source *src;
	struct vasx_proclist pl;
	const struct vasx_procinfo *me = NULL;

	(void)state;
	assert_int_equal(vasx_source_open_live(&src), 0);
	assert_int_equal(vasx_proclist_load(src, &pl), 0);
	for (size_t i = 0; i < pl.n; i++)
		if (pl.v[i].pid == getpid())
			me = &pl.v[i];
	assert_non_null(me);
	assert_int_equal(me->maps_err, 0);
	assert_false(me->kernel_thread);
	assert_true(me->rss_kb > 0);
	assert_true(me->vsz_kb >= me->rss_kb);
	assert_non_null(me->cmdline);
	assert_non_null(strstr(me->cmdline, program_invocation_short_name));
	vasx_proclist_release(&pl);
	vasx_source_close(src);
}

static void test_proc_meminfo(void **state)
{
	struct vasx_source *src;
	struct vasx_meminfo mi;

	(void)state;
	assert_int_equal(vasx_source_open_live(&src), 0);
	assert_int_equal(vasx_meminfo_load(src, &mi), 0);
	assert_true(mi.total_kb > 1024);
	assert_true(mi.available_kb <= mi.total_kb);
	vasx_source_close(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_parse_pidlist),
		cmocka_unit_test(test_proc_select),
		cmocka_unit_test(test_proc_live_list),
		cmocka_unit_test(test_proc_meminfo),
	};

	return cmocka_run_group_tests_name("proc", tests, NULL, NULL);
}
