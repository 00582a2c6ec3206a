/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Line reader: whole blocks per fread(), so a /proc file costs a few large
 * read(2) calls, and lines are parsed where they lie in the buffer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"

const unsigned char vasx_hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

int vasx_lines_open(struct vasx_lines *lr, FILE *f)
{
	lr->f = f;
	lr->start = lr->end = 0;
	lr->eof = false;
	lr->size = VASX_LINES_BLOCK;
	lr->buf = malloc(lr->size);
	return lr->buf ? 0 : -ENOMEM;
}

void vasx_lines_close(struct vasx_lines *lr)
{
	free(lr->buf);
	lr->buf = NULL;
}

/* Move the partial line to the front and fill the rest. 0 or -errno. */
static int refill(struct vasx_lines *lr)
{
	size_t keep = lr->end - lr->start, got;

	if (keep && lr->start)
		memmove(lr->buf, lr->buf + lr->start, keep);
	lr->start = 0;
	lr->end = keep;
	errno = 0;
	got = fread(lr->buf + keep, 1, lr->size - keep, lr->f);
	lr->end += got;
	if (got < lr->size - keep) {
		if (ferror(lr->f))
			return errno ? -errno : -EIO;
		lr->eof = true;
	}
	return 0;
}

/* Drop bytes up to and including the next newline (or to the end). */
static int skip_rest_of_line(struct vasx_lines *lr)
{
	for (;;) {
		char *nl = memchr(lr->buf + lr->start, '\n', lr->end - lr->start);
		int err;

		if (nl) {
			lr->start = (size_t)(nl - lr->buf) + 1;
			return 0;
		}
		lr->start = lr->end;
		if (lr->eof)
			return 0;
		err = refill(lr);
		if (err)
			return err;
	}
}

/*
 * The buffer is full and holds no newline: make room for a longer line
 * (0), or skip the line when it is too long (VASX_LINE_LONG), or -errno.
 */
static int full_buffer(struct vasx_lines *lr)
{
	char *nb;
	int err;

	if (lr->size < VASX_LINES_MAX) {
		nb = realloc(lr->buf, lr->size * 2);
		if (nb) {
			lr->buf = nb;
			lr->size *= 2;
			return 0;
		}
	}
	err = skip_rest_of_line(lr);
	return err ? err : VASX_LINE_LONG;
}

int vasx_lines_next(struct vasx_lines *lr, const char **line, size_t *len)
{
	for (;;) {
		char *p = lr->buf + lr->start;
		size_t avail = lr->end - lr->start;
		char *nl = memchr(p, '\n', avail);
		int err;

		if (nl) {
			*line = p;
			*len = (size_t)(nl - p);
			lr->start += *len + 1;
			return VASX_LINE;
		}
		if (lr->eof) {
			if (!avail)
				return 0;
			/* The last line had no newline: still a line. */
			*line = p;
			*len = avail;
			lr->start = lr->end;
			return VASX_LINE;
		}
		if (avail == lr->size) {
			err = full_buffer(lr);
			if (err)
				return err;
		}
		err = refill(lr);
		if (err)
			return err;
	}
}

int vasx_lines_block(struct vasx_lines *lr, const char **bp, const char **bend)
{
	for (;;) {
		char *p = lr->buf + lr->start;
		size_t avail = lr->end - lr->start;
		char *nl = avail ? memrchr(p, '\n', avail) : NULL;
		int err;

		if (nl) {
			*bp = p;
			*bend = nl + 1;
			lr->start = (size_t)(nl + 1 - lr->buf);
			return VASX_LINE;
		}
		if (lr->eof) {
			if (!avail)
				return 0;
			*bp = p;
			*bend = p + avail;
			lr->start = lr->end;
			return VASX_LINE;
		}
		if (avail == lr->size) {
			err = full_buffer(lr);
			if (err)
				return err;
		}
		err = refill(lr);
		if (err)
			return err;
	}
}
