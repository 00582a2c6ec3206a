/* SPDX-License-Identifier: GPL-2.0 */
/* Formatting shared by every consumer: sizes, addresses, safe names. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vasx/fmt.h"
#include "vasx/status.h"

char *vasx_fmt_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[][3] = { "KB", "MB", "GB", "TB", "PB", "EB" };
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, len, "%u B", (unsigned)bytes);
		return buf;
	}
	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	/* 1023.999 KB would print as "1024.00 KB": move to the next unit. */
	if (v >= 1023.995 && u < 5) {
		v /= 1024.0;
		u++;
	}
	snprintf(buf, len, "%.2f %s", v, units[u]);
	return buf;
}

char *vasx_fmt_addr(uint64_t a, char *buf, size_t len)
{
	snprintf(buf, len, "0x%016llx", (unsigned long long)a);
	return buf;
}

char *vasx_fmt_end(uint64_t last, char *buf, size_t len)
{
	if (last == UINT64_MAX)
		snprintf(buf, len, "0x10000000000000000");
	else
		snprintf(buf, len, "0x%016llx", (unsigned long long)last + 1);
	return buf;
}

/* Length of a valid UTF-8 sequence at @s (at most @n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t need;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	/* C1 controls (U+0080..U+009F) act on terminals too. */
	if (need == 2 && cp < 0xa0)
		return 0;
	/* Bidirectional controls can make a name read as another on screen. */
	if (cp == 0x200e || cp == 0x200f || cp == 0x061c || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return need;
}

char *vasx_fmt_escape(const char *s, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), o = 0;

	if (!len)
		return buf;
	while (*p) {
		size_t k = utf8_len(p, n - (size_t)(p - (const unsigned char *)s));
		char tmp[8];
		size_t tl;

		if (k == 1 && *p >= 0x20 && *p != 0x7f && *p != '\\') {
			tmp[0] = (char)*p;
			tl = 1;
		} else if (k == 1 && *p == '\\') {
			memcpy(tmp, "\\\\", 2);
			tl = 2;
		} else if (k > 1) {
			memcpy(tmp, p, k);
			tl = k;
		} else {
			snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
			tl = 4;
			k = 1;
		}
		if (o + tl >= len)
			break;
		memcpy(buf + o, tmp, tl);
		o += tl;
		p += k;
	}
	buf[o] = '\0';
	return buf;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int vasx_parse_addr(const char *s, int dec_ok, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (dec_ok && *s == '#') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
			if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
				return -VASX_E_BADADDR;
			v = v * 10 + (uint64_t)(*s - '0');
		}
	} else {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			s += 2;
		for (; hexval(*s) >= 0; s++, digits++) {
			if (v >> 60)
				return -VASX_E_BADADDR;
			v = v << 4 | (uint64_t)hexval(*s);
		}
	}
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!digits || *s)
		return -VASX_E_BADADDR;
	*out = v;
	return 0;
}
