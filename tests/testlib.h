/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the unit tests: finding fixtures ($TOP is the source tree, set
 * by tests/run.sh; without it, the current directory) and empty snapshots
 * to build by hand.
 */
#ifndef VASX_TESTLIB_H
#define VASX_TESTLIB_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vasx/strpool.h"
#include "vasx/vas.h"

/* The path of tests/fixtures/@rel in @buf. */
static inline const char *test_fixture_path(const char *rel, char *buf, size_t len)
{
	const char *top = getenv("TOP");

	snprintf(buf, len, "%s/tests/fixtures/%s", top ? top : ".", rel);
	return buf;
}

/* tests/fixtures/@rel opened for reading; fails the test when it cannot be. */
static inline FILE *test_fixture(const char *rel)
{
	char path[1024];
	FILE *f = fopen(test_fixture_path(rel, path, sizeof(path)), "r");

	if (!f)
		fail_msg("fixture %s: %s", path, strerror(errno));
	return f;
}

/*
 * An empty snapshot for building by hand: pid, 47-bit user half, a string
 * pool, and a NULL trap below @mmap_min_addr (0: none). Freed with
 * vasx_snapshot_free().
 */
static inline struct vasx_snapshot *test_snapshot_new(int pid, uint64_t mmap_min_addr)
{
	struct vasx_snapshot *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	s->pid = pid;
	s->va_bits = 47;
	s->totals.mmap_min_addr = mmap_min_addr;
	s->pool = vasx_strpool_new();
	assert_non_null(s->pool);
	return s;
}

#endif
