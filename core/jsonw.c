/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Quoting for the machine-readable exports: JSON string literals and CSV
 * fields that stay valid whatever bytes a file name holds.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vasx/export.h"
#include "utf8.h"

/* \uXXXX, or a surrogate pair above the Basic Multilingual Plane. */
static void json_u(FILE *f, uint32_t cp)
{
	if (cp > 0xffff) {
		cp -= 0x10000;
		fprintf(f, "\\u%04x\\u%04x", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
		return;
	}
	fprintf(f, "\\u%04x", cp);
}

void vasx_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left, n;
	uint32_t cp;

	if (!s) {
		fputs("null", f);
		return;
	}
	left = strlen(s);
	putc('"', f);
	while (left) {
		n = vasx_utf8_decode(p, left, &cp);
		if (!n) {
			/* not text: the byte as the code point of its value */
			json_u(f, *p);
			n = 1;
		} else if (cp == '"' || cp == '\\') {
			putc('\\', f);
			putc((int)cp, f);
		} else if (cp == '\n') {
			fputs("\\n", f);
		} else if (cp == '\t') {
			fputs("\\t", f);
		} else if (cp == '\r') {
			fputs("\\r", f);
		} else if (vasx_utf8_hidden(cp)) {
			/* the same string, but nothing a terminal acts on */
			json_u(f, cp);
		} else {
			fwrite(p, 1, n, f);
		}
		p += n;
		left -= n;
	}
	putc('"', f);
}

void vasx_json_bytes(FILE *f, const char *key, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left, n;
	uint32_t cp;

	if (!s)
		return;
	for (left = strlen(s); left; p += n, left -= n) {
		n = vasx_utf8_decode(p, left, &cp);
		if (!n)
			break;
	}
	if (!left)
		return;
	fprintf(f, ",\"%s\":\"", key);
	for (p = (const unsigned char *)s; *p; p++)
		fprintf(f, "%02x", *p);
	putc('"', f);
}

/*
 * The escaped form, as on the terminal: valid UTF-8, one record per line,
 * and it can be undone (\\\\ is a backslash, \\xNN a byte).
 */
void vasx_csv_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left, used, k;
	bool quote;
	char tmp[4];

	if (!s || !s[0])
		return;
	left = strlen(s);
	quote = strpbrk(s, ",\"") || s[0] == ' ' || s[left - 1] == ' ';
	if (quote)
		putc('"', f);
	while (left) {
		k = vasx_utf8_escape_one(p, left, tmp, &used);
		if (quote && tmp[0] == '"')
			putc('"', f);
		fwrite(tmp, 1, k, f);
		p += used;
		left -= used;
	}
	if (quote)
		putc('"', f);
}
