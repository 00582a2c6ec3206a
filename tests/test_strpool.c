/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of the string pool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vasx/strpool.h"

static void test_strpool_interns_once(void **state)
{
	struct vasx_strpool *p = vasx_strpool_new();
	const char *a, *b, *c;

	(void)state;
	assert_non_null(p);
	a = vasx_strpool_intern(p, "/usr/lib/libc.so.6xyz", 18);
	b = vasx_strpool_intern(p, "/usr/lib/libc.so.6", 18);
	c = vasx_strpool_intern(p, "/usr/lib/libm.so.6", 18);
	assert_ptr_equal(a, b);
	assert_ptr_not_equal(a, c);
	assert_string_equal(a, "/usr/lib/libc.so.6");
	vasx_strpool_free(p);
}

static void test_strpool_many_and_long(void **state)
{
	struct vasx_strpool *p = vasx_strpool_new();
	const char *first[20000];
	char buf[100000];

	(void)state;
	for (int i = 0; i < 20000; i++) {
		char s[32];
		int n = snprintf(s, sizeof(s), "name-%d", i);

		first[i] = vasx_strpool_intern(p, s, (size_t)n);
		assert_non_null(first[i]);
	}
	for (int i = 0; i < 20000; i++) {
		char s[32];
		int n = snprintf(s, sizeof(s), "name-%d", i);

		assert_ptr_equal(vasx_strpool_intern(p, s, (size_t)n), first[i]);
	}
	/* Longer than a chunk, with an embedded NUL cut by the length. */
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(strlen(vasx_strpool_intern(p, buf, sizeof(buf))), sizeof(buf));
	assert_string_equal(vasx_strpool_intern(p, "", 0), "");
	assert_true(vasx_strpool_bytes(p) > sizeof(buf));
	vasx_strpool_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strpool_interns_once),
		cmocka_unit_test(test_strpool_many_and_long),
	};

	return cmocka_run_group_tests_name("strpool", tests, NULL, NULL);
}
