/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Quoting for the machine-readable exports: JSON string literals and CSV
 * fields that stay valid whatever bytes a file name holds.
 */
#include <stdio.h>
#include <string.h>

#include "vasx/export.h"

/*
 * Length of the well-formed UTF-8 sequence at @p (1..4), or 0 when the
 * bytes there are not one: overlong forms, surrogates and code points
 * above U+10FFFF are refused, as RFC 3629 asks.
 */
static size_t utf8_seq_len(const unsigned char *p)
{
	unsigned char c = p[0];
	size_t n, i;
	unsigned lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

void vasx_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (!s) {
		fputs("null", f);
		return;
	}
	putc('"', f);
	while (*p) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			n = utf8_seq_len(p);
			if (n == 0 || *p < 0x20 || *p == 0x7f) {
				/* Not text: keep the output valid JSON. */
				fprintf(f, "\\u%04x", *p);
				break;
			}
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		p++;
	}
	putc('"', f);
}

void vasx_csv_str(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!s[0] || (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && s[strlen(s) - 1] != ' ')) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}
