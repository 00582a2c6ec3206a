/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The escape buffer of the text exporters: it grows to hold the longest
 * name met, so a name is escaped whole and a cut for width is made on
 * the finished text (where it keeps the file name at the end), never by
 * a buffer too small for it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/fmt.h"
#include "export_int.h"

bool vasx_escbuf_reserve(struct vasx_escbuf *e, size_t n)
{
	char *p;

	if (n <= e->cap)
		return true;
	/* Whole pages: a run of names of about one length grows it once. */
	n = (n + 4095) & ~(size_t)4095;
	p = realloc(e->buf, n);
	if (!p) {
		e->err = -ENOMEM;
		return false;
	}
	e->buf = p;
	e->cap = n;
	return true;
}

const char *vasx_escbuf_name(struct vasx_escbuf *e, const char *s)
{
	/* Short of memory: as much of it as fits, cut between characters. */
	vasx_escbuf_reserve(e, VASX_ESC_ROOM(strlen(s)));
	if (!e->cap)
		return "";
	return vasx_fmt_escape(s, e->buf, e->cap);
}

void vasx_escbuf_release(struct vasx_escbuf *e)
{
	free(e->buf);
	e->buf = NULL;
	e->cap = 0;
}
