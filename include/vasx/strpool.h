/* SPDX-License-Identifier: GPL-2.0 */
/*
 * String pool: interns paths, names and flags of one snapshot, so repeated
 * strings (a library's path on five mappings) are stored once and freed
 * with the pool.
 */
#ifndef VASX_STRPOOL_H
#define VASX_STRPOOL_H

#include <stddef.h>

struct vasx_strpool;

struct vasx_strpool *vasx_strpool_new(void);
void vasx_strpool_free(struct vasx_strpool *pool);
/* The interned copy of s[0..len) (NUL-terminated), or NULL when out of memory. */
const char *vasx_strpool_intern(struct vasx_strpool *pool, const char *s, size_t len);
/* Bytes held, for the memory figures of the benchmark. */
size_t vasx_strpool_bytes(const struct vasx_strpool *pool);

#endif
