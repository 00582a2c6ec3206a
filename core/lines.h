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
#include <string.h>

/*
 * The buffer starts at a block; a line of maps or smaps holds a path the
 * kernel prints whole, past PATH_MAX (100 KiB seen, from directories nested
 * 400 deep), so it doubles for a longer line, up to VASX_LINES_MAX. A line
 * longer than that is skipped and counted as malformed.
 */
#define VASX_LINES_BLOCK (64 * 1024)
#define VASX_LINES_MAX (1024 * 1024)

struct vasx_lines {
	FILE *f;
	char *buf;
	size_t size;		/* of buf: a block, more for a long line */
	size_t start, end;	/* unread bytes are buf[start..end) */
	bool eof;
};

/* 0 or -ENOMEM. */
int vasx_lines_open(struct vasx_lines *lr, FILE *f);

#define VASX_LINE	1	/* *line, *len hold a line, without its newline */
#define VASX_LINE_LONG	2	/* a line longer than VASX_LINES_MAX was skipped */

/* VASX_LINE, VASX_LINE_LONG, 0 at the end, or -errno of a read error. */
int vasx_lines_next(struct vasx_lines *lr, const char **line, size_t *len);
/*
 * Every whole line the buffer holds, as one run [*p, *end) ending just after
 * a newline (or at the end of the file): for parsers that walk the lines
 * themselves. Same returns as vasx_lines_next().
 */
int vasx_lines_block(struct vasx_lines *lr, const char **p, const char **end);
void vasx_lines_close(struct vasx_lines *lr);

/*
 * A cursor over [p, end). The first failed step sets @bad and makes every
 * later step a no-op, so a parser checks once at the end.
 */
struct vasx_scan {
	const char *p, *end;
	bool bad;
};

/* Hex digit value + 1, 0 for any other byte (lines.c). */
extern const unsigned char vasx_hex1[256];

static inline int vasx_hexdigit(unsigned char c)
{
	return (int)vasx_hex1[c] - 1;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define VASX_SWAR 1
#define VASX_BYTES(b) (0x0101010101010101ULL * (b))

/* How many of the eight bytes in @w (first byte lowest) lead as hex digits. */
static inline unsigned vasx_swar_hexlen(uint64_t w)
{
	uint64_t x = w & VASX_BYTES(0x7f), l = x | VASX_BYTES(0x20);
	/* Per byte, bit 7 of x + (0x80 - lo) is set when x >= lo (x < 0x80). */
	uint64_t dig = (x + VASX_BYTES(0x80 - '0')) & ~(x + VASX_BYTES(0x80 - '9' - 1));
	uint64_t let = (l + VASX_BYTES(0x80 - 'a')) & ~(l + VASX_BYTES(0x80 - 'f' - 1));
	uint64_t bad = ~(dig | let) | w;

	bad &= VASX_BYTES(0x80);
	return bad ? (unsigned)__builtin_ctzll(bad) >> 3 : 8;
}

/* The value of the first @n (1..8) hex digits of @w. */
static inline uint64_t vasx_swar_hexval(uint64_t w, unsigned n)
{
	uint64_t v = (w & VASX_BYTES(0x0f)) + 9 * ((w >> 6) & VASX_BYTES(0x01));

	/* Leading zero nibbles in front, then pairs, quads, octets. */
	v <<= 8 * (8 - n);
	v = ((v & 0x00ff00ff00ff00ffULL) << 4) | ((v >> 8) & 0x00ff00ff00ff00ffULL);
	v = ((v & 0x0000ffff0000ffffULL) << 8) | ((v >> 16) & 0x0000ffff0000ffffULL);
	return ((v & 0xffffffffULL) << 16) | (v >> 32);
}

/*
 * Up to 16 hex digits from 16 readable bytes, without a loop per digit.
 * False when 16 digits are followed by more (the caller decides).
 */
static inline bool vasx_swar_hex16(const char *p, uint64_t *v, unsigned *len)
{
	uint64_t a, b;
	unsigned na, nb;

	memcpy(&a, p, 8);
	na = vasx_swar_hexlen(a);
	if (na < 8) {
		*v = na ? vasx_swar_hexval(a, na) : 0;
		*len = na;
		return true;
	}
	memcpy(&b, p + 8, 8);
	nb = vasx_swar_hexlen(b);
	if (nb == 8)
		return false;
	*v = vasx_swar_hexval(a, 8) << (4 * nb);
	if (nb)
		*v |= vasx_swar_hexval(b, nb);
	*len = 8 + nb;
	return true;
}
#endif

/* 1 to @maxdig hex digits (16 fill a uint64_t). */
static inline uint64_t vasx_scan_hex(struct vasx_scan *s, unsigned maxdig)
{
	const char *p = s->p, *stop;
	uint64_t v = 0;
	unsigned d;

	if (s->bad)
		return 0;
#ifdef VASX_SWAR
	if (maxdig == 16 && s->end - p >= 16 && vasx_swar_hex16(p, &v, &d)) {
		s->p += d;
		if (!d)
			s->bad = true;
		return v;
	}
#endif
	stop = (size_t)(s->end - p) > maxdig ? p + maxdig : s->end;
	while (p < stop && (d = vasx_hex1[(unsigned char)*p]) != 0) {
		v = v << 4 | (d - 1);
		p++;
	}
	/* No digit, or more than @maxdig of them. */
	if (p == s->p || (p < s->end && vasx_hex1[(unsigned char)*p]))
		s->bad = true;
	s->p = p;
	return v;
}

/* Decimal digits, at least one, failing on overflow of a uint64_t. */
static inline uint64_t vasx_scan_dec(struct vasx_scan *s)
{
	const char *p = s->p, *stop;
	uint64_t v = 0;
	unsigned d;

	if (s->bad)
		return 0;
	/* 19 digits cannot overflow: check only from the 20th on. */
	stop = s->end - p > 19 ? p + 19 : s->end;
	while (p < stop && (d = (unsigned)(*p - '0')) < 10u) {
		v = v * 10 + d;
		p++;
	}
	if (p == stop && p < s->end && (d = (unsigned)(*p - '0')) < 10u) {
		if (v > (UINT64_MAX - d) / 10 ||
		    (p + 1 < s->end && (unsigned)(p[1] - '0') < 10u))
			s->bad = true;
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

/*
 * Skip blanks. The kernel pads its columns with runs of spaces, so they go
 * eight at a time where the byte order lets us count them in a word.
 */
static inline void vasx_scan_blanks(struct vasx_scan *s)
{
	const char *p = s->p;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (s->end - p >= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		w ^= 0x2020202020202020ULL;
		if (w) {
			p += __builtin_ctzll(w) >> 3;
			break;
		}
		p += 8;
	}
#endif
	while (p < s->end && (*p == ' ' || *p == '\t'))
		p++;
	s->p = p;
}

static inline bool vasx_scan_at_end(const struct vasx_scan *s)
{
	return !s->bad && s->p == s->end;
}

#endif
