/* SPDX-License-Identifier: GPL-2.0 */
/* Formatting shared by every consumer: sizes, addresses, safe names. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vasx/fmt.h"
#include "vasx/status.h"
#include "utf8.h"

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

static bool fmt_ascii;

void vasx_fmt_set_ascii(bool on)
{
	fmt_ascii = on;
}

char *vasx_fmt_escape(const char *s, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), o = 0;

	if (!len)
		return buf;
	while (*p) {
		char tmp[5];
		size_t used = 1, tl;

		if (fmt_ascii && *p >= 0x80)
			tl = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
		else
			tl = vasx_utf8_escape_one(p, n, tmp, &used);

		/* a character or an escape goes whole or not at all */
		if (o + tl >= len)
			break;
		memcpy(buf + o, tmp, tl);
		o += tl;
		p += used;
		n -= used;
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
