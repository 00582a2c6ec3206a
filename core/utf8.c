/* SPDX-License-Identifier: GPL-2.0 */
/* UTF-8 decoding and the characters that must not reach a terminal raw. */
#include <string.h>

#include "utf8.h"

size_t vasx_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c, lo = 0x80, hi = 0xbf;
	size_t need;
	uint32_t v;

	if (!n)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	/* the second byte's range is what refuses overlongs and surrogates */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < need || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	*cp = v;
	return need;
}

bool vasx_utf8_hidden(uint32_t cp)
{
	static const uint32_t ranges[][2] = {
		{ 0x0000, 0x001f },	/* C0 controls */
		{ 0x007f, 0x009f },	/* DEL and C1 controls (CSI, OSC, ST...) */
		{ 0x00ad, 0x00ad },	/* soft hyphen */
		{ 0x061c, 0x061c },	/* Arabic letter mark */
		{ 0x180e, 0x180e },	/* Mongolian vowel separator */
		{ 0x200b, 0x200f },	/* zero widths, LRM, RLM */
		{ 0x2028, 0x202e },	/* line and paragraph separators, embeddings */
		{ 0x2060, 0x206f },	/* word joiner, isolates, deprecated formats */
		{ 0xfeff, 0xfeff },	/* zero-width no-break space (BOM) */
		{ 0xfff9, 0xfffb },	/* interlinear annotation */
		{ 0xe0000, 0xe007f },	/* tags */
	};

	/* printable ASCII, nearly every byte of a path: in none of them */
	if (cp >= 0x20 && cp < 0x7f)
		return false;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (cp >= ranges[i][0] && cp <= ranges[i][1])
			return true;
	return false;
}

bool vasx_utf8_wide(uint32_t cp)
{
	static const uint32_t ranges[][2] = {
		{ 0x1100, 0x115f },	/* Hangul Jamo initials */
		{ 0x2e80, 0x303e },	/* CJK radicals, punctuation */
		{ 0x3041, 0x33ff },	/* kana, CJK compatibility */
		{ 0x3400, 0x4dbf },	/* CJK extension A */
		{ 0x4e00, 0x9fff },	/* CJK unified ideographs */
		{ 0xa000, 0xa4cf },	/* Yi */
		{ 0xac00, 0xd7a3 },	/* Hangul syllables */
		{ 0xf900, 0xfaff },	/* CJK compatibility ideographs */
		{ 0xfe30, 0xfe4f },	/* CJK compatibility forms */
		{ 0xff00, 0xff60 },	/* fullwidth forms */
		{ 0xffe0, 0xffe6 },
		{ 0x1f300, 0x1f64f },	/* pictographs, emoticons */
		{ 0x1f900, 0x1f9ff },
		{ 0x20000, 0x3fffd },	/* CJK extensions B and later */
	};

	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (cp >= ranges[i][0] && cp <= ranges[i][1])
			return true;
	return false;
}

size_t vasx_utf8_shown(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t k = vasx_utf8_decode(s, n, &cp);

	return k && !vasx_utf8_hidden(cp) ? k : 0;
}

size_t vasx_utf8_escape_one(const unsigned char *s, size_t n, char out[4], size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	size_t k = vasx_utf8_shown(s, n);

	if (k && s[0] != '\\') {
		memcpy(out, s, k);
		*used = k;
		return k;
	}
	*used = 1;
	out[0] = '\\';
	if (s[0] == '\\') {
		out[1] = '\\';
		return 2;
	}
	out[1] = 'x';
	out[2] = hex[s[0] >> 4];
	out[3] = hex[s[0] & 15];
	return 4;
}
