/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the text parsers share: a line reader (large fread() blocks into one
 * buffer allocated once, lines handed out in place, no allocation per line)
 * and number scanners that never read past the end they are given.
 * Internal to core/.
 */
#ifndef VASX_CORE_LINES_H
#define VASX_CORE_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Longer than any line the kernel writes in maps or smaps (path <= 4 KiB). */
#define VASX_LINES_BLOCK (64 * 1024)

struct vasx_lines {
	FILE *f;
	char *buf;
	size_t start, end;	/* unread bytes are buf[start..end) */
	bool eof;
};

/* 0 or -ENOMEM. */
int vasx_lines_open(struct vasx_lines *lr, FILE *f);

#define VASX_LINE	1	/* *line, *len hold a line, without its newline */
#define VASX_LINE_LONG	2	/* a line longer than the block was skipped */

/* VASX_LINE, VASX_LINE_LONG, 0 at the end, or -errno of a read error. */
int vasx_lines_next(struct vasx_lines *lr, const char **line, size_t *len);
void vasx_lines_close(struct vasx_lines *lr);

/*
 * A cursor over [p, end). The first failed step sets @bad and makes every
 * later step a no-op, so a parser checks once at the end.
 */
struct vasx_scan {
	const char *p, *end;
	bool bad;
};

static inline int vasx_hexdigit(unsigned char c)
{
	if ((unsigned)(c - '0') < 10u)
		return c - '0';
	c |= 0x20;
	if ((unsigned)(c - 'a') < 6u)
		return c - 'a' + 10;
	return -1;
}

/* 1 to @maxdig hex digits (16 fill a uint64_t). */
static inline uint64_t vasx_scan_hex(struct vasx_scan *s, unsigned maxdig)
{
	const char *p = s->p, *stop;
	uint64_t v = 0;
	int d;

	if (s->bad)
		return 0;
	stop = (size_t)(s->end - p) > maxdig ? p + maxdig : s->end;
	while (p < stop && (d = vasx_hexdigit((unsigned char)*p)) >= 0) {
		v = v << 4 | (unsigned)d;
		p++;
	}
	/* No digit, or more than @maxdig of them. */
	if (p == s->p || (p < s->end && vasx_hexdigit((unsigned char)*p) >= 0))
		s->bad = true;
	s->p = p;
	return v;
}

/* Decimal digits, at least one, failing on overflow of a uint64_t. */
static inline uint64_t vasx_scan_dec(struct vasx_scan *s)
{
	const char *p = s->p;
	uint64_t v = 0;

	if (s->bad)
		return 0;
	while (p < s->end && (unsigned)(*p - '0') < 10u) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10) {
			s->bad = true;
			return 0;
		}
		v = v * 10 + d;
		p++;
	}
	if (p == s->p)
		s->bad = true;
	s->p = p;
	return v;
}

static inline void vasx_scan_char(struct vasx_scan *s, char c)
{
	if (s->bad)
		return;
	if (s->p < s->end && *s->p == c)
		s->p++;
	else
		s->bad = true;
}

static inline void vasx_scan_blanks(struct vasx_scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t'))
		s->p++;
}

static inline bool vasx_scan_at_end(const struct vasx_scan *s)
{
	return !s->bad && s->p == s->end;
}

#endif
