/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the unit tests: finding fixtures. $TOP is the source tree
 * (tests/run.sh sets it); without it, the current directory.
 */
#ifndef VASX_TESTLIB_H
#define VASX_TESTLIB_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#endif
