/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pieces the exporters share; not part of the public API.
 */
#ifndef VASX_EXPORT_INT_H
#define VASX_EXPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "vasx/vas.h"

/* One mapping as the JSON object documented in vasx(1). */
void vasx_json_mapping(FILE *f, const struct vasx_snapshot *s, const struct vasx_region *r);

/* "08:01", as maps prints a device. */
char *vasx_fmt_dev(const struct vasx_region *r, char buf[24]);

/* A region's name for people: the path or [name], or a word for what it is. */
const char *vasx_region_label(const struct vasx_region *r);

/* The write error of @f as -errno, 0 if none. */
int vasx_export_status(FILE *f);

/*
 * Bytes that @n bytes of text take escaped by vasx_fmt_escape(): each
 * may become "\xNN" (any byte, with vasx_fmt_set_ascii()), and a NUL.
 */
#define VASX_ESC_ROOM(n) (4 * (size_t)(n) + 1)

/* A buffer for escaped names that grows to the longest; zeroed to start. */
struct vasx_escbuf {
	char *buf;
	size_t cap;
	int err;	/* -ENOMEM once it could not grow (a name was cut) */
};

/* At least @n bytes at e->buf; false (e->err set) when memory ran out. */
bool vasx_escbuf_reserve(struct vasx_escbuf *e, size_t n);
/* @s escaped whole for a terminal, in @e (valid until its next use). */
const char *vasx_escbuf_name(struct vasx_escbuf *e, const char *s);
void vasx_escbuf_release(struct vasx_escbuf *e);

#endif
