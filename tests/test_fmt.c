/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of sizes, addresses, escaping for terminals and address parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vasx/fmt.h"
#include "vasx/status.h"

static void test_fmt_size(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(vasx_fmt_size(0, b, sizeof(b)), "0 B");
	assert_string_equal(vasx_fmt_size(1023, b, sizeof(b)), "1023 B");
	assert_string_equal(vasx_fmt_size(4096, b, sizeof(b)), "4.00 KB");
	assert_string_equal(vasx_fmt_size(8ull << 20, b, sizeof(b)), "8.00 MB");
	assert_string_equal(vasx_fmt_size(1048575, b, sizeof(b)), "1.00 MB");
	assert_string_equal(vasx_fmt_size(1ull << 47, b, sizeof(b)), "128.00 TB");
	assert_string_equal(vasx_fmt_size(0xffff000000000000ull, b, sizeof(b)), "16.00 EB");
	assert_string_equal(vasx_fmt_size(3ull << 50, b, sizeof(b)), "3.00 PB");
}

static void test_fmt_addr_end(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(vasx_fmt_addr(0x7ffd1000, b, sizeof(b)), "0x000000007ffd1000");
	assert_string_equal(vasx_fmt_end(0xfff, b, sizeof(b)), "0x0000000000001000");
	assert_string_equal(vasx_fmt_end(UINT64_MAX, b, sizeof(b)), "0x10000000000000000");
}

static void test_fmt_escape_controls(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(vasx_fmt_escape("/tmp/a b", b, sizeof(b)), "/tmp/a b");
	assert_string_equal(vasx_fmt_escape("\033[31mevil\n", b, sizeof(b)),
			    "\\x1b[31mevil\\x0a");
	assert_string_equal(vasx_fmt_escape("a\\b", b, sizeof(b)), "a\\\\b");
	assert_string_equal(vasx_fmt_escape("\x7f", b, sizeof(b)), "\\x7f");
	/* C1 control CSI (U+009B) in UTF-8, and a lone continuation byte. */
	assert_string_equal(vasx_fmt_escape("\xc2\x9b" "2J", b, sizeof(b)), "\\xc2\\x9b2J");
	assert_string_equal(vasx_fmt_escape("\x80", b, sizeof(b)), "\\x80");
	/* Right-to-left override (U+202E) would reorder what follows on screen. */
	assert_string_equal(vasx_fmt_escape("a\xe2\x80\xaegpj.exe", b, sizeof(b)),
			    "a\\xe2\\x80\\xaegpj.exe");
	/* Valid UTF-8 stays. */
	assert_string_equal(vasx_fmt_escape("caf\xc3\xa9 \xe2\x82\xac", b, sizeof(b)),
			    "caf\xc3\xa9 \xe2\x82\xac");
	/* Overlong encoding and surrogate are not valid UTF-8. */
	assert_string_equal(vasx_fmt_escape("\xc0\xaf", b, sizeof(b)), "\\xc0\\xaf");
	assert_string_equal(vasx_fmt_escape("\xed\xa0\x80", b, sizeof(b)), "\\xed\\xa0\\x80");
	/* Invisible characters make one name read as another. */
	assert_string_equal(vasx_fmt_escape("a\xe2\x80\x8b" "b", b, sizeof(b)), "a\\xe2\\x80\\x8bb");
	assert_string_equal(vasx_fmt_escape("\xef\xbb\xbf\xe2\x80\xa8", b, sizeof(b)),
			    "\\xef\\xbb\\xbf\\xe2\\x80\\xa8");
	assert_string_equal(vasx_fmt_escape("\xf3\xa0\x81\x81", b, sizeof(b)),
			    "\\xf3\\xa0\\x81\\x81");
	assert_string_equal(vasx_fmt_escape("\xe2\x81\xa6", b, sizeof(b)), "\\xe2\\x81\\xa6");
}

static void test_fmt_escape_truncates_whole(void **state)
{
	char b[6];

	(void)state;
	/* Never cuts an escape in half. */
	assert_string_equal(vasx_fmt_escape("ab\033cd", b, sizeof(b)), "ab");
	assert_string_equal(vasx_fmt_escape("abcdefgh", b, sizeof(b)), "abcde");
}

/* A strict UTF-8 decoder of its own: what the test holds the core to. */
static size_t next_cp(const unsigned char *s, uint32_t *cp)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 :
		   s[0] >= 0xe0 && s[0] < 0xf0 ? 3 : s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : 0;
	uint32_t v = n == 1 ? s[0] : n == 2 ? s[0] & 0x1fu : n == 3 ? s[0] & 0xfu : s[0] & 7u;

	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3fu);
	}
	if (!n || (n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* What vasx(1) says must not reach a terminal as it is. */
static int terminal_hidden(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xad || c == 0x61c || c == 0x180e ||
	       (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
	       (c >= 0x2060 && c <= 0x206f) || c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb) ||
	       (c >= 0xe0000 && c <= 0xe007f);
}

/* Undo the escaped form: "\\\\" a backslash, "\\xNN" a byte. */
static size_t unescape(const char *e, char *out)
{
	size_t o = 0;

	while (*e) {
		if (e[0] == '\\' && e[1] == 'x') {
			unsigned v;

			assert_int_equal(sscanf(e + 2, "%2x", &v), 1);
			out[o++] = (char)v;
			e += 4;
		} else if (e[0] == '\\') {
			assert_int_equal(e[1], '\\');
			out[o++] = '\\';
			e += 2;
		} else {
			out[o++] = *e++;
		}
	}
	out[o] = '\0';
	return o;
}

/*
 * Random names from pieces that matter (controls, backslashes, parts of
 * UTF-8 sequences, C1 and bidirectional characters): the escaped form is
 * valid UTF-8, holds nothing hidden, and gives the name back.
 */
static void test_fmt_escape_random(void **state)
{
	static const char *const pieces[] = {
		"a", "x", "\\", "\\x1b", "\033", "\n", "\t", "\r", "\x7f", "\x80", "\x9b",
		"\xc2", "\xc2\x9b", "\xc3\xa9", "\xe2\x80", "\xe2\x80\xae", "\xe2\x80\x8b",
		"\xed\xa0\x80", "\xf0\x9f\x98\x80", "\xf3\xa0\x81\x81", "\xef\xbb\xbf", "\xff",
		"\xe6\x97\xa5", "\xc0\xaf", "\xf4\x90\x80\x80", " ",
	};
	char in[256], esc[1024], back[256];
	uint32_t seed = 12345, cp = 0;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t n = 0;

		seed = seed * 1103515245u + 12345u;
		for (int k = (int)(seed >> 16) % 12; k >= 0; k--) {
			seed = seed * 1103515245u + 12345u;
			const char *p = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];

			memcpy(in + n, p, strlen(p));
			n += strlen(p);
		}
		in[n] = '\0';
		vasx_fmt_escape(in, esc, sizeof(esc));
		for (const unsigned char *e = (const unsigned char *)esc; *e;) {
			size_t k = next_cp(e, &cp);

			assert_true(k > 0);
			assert_false(terminal_hidden(cp));
			e += k;
		}
		assert_int_equal(unescape(esc, back), n);
		assert_memory_equal(back, in, n);
	}
}

/* A terminal that is not UTF-8 gets ASCII only, and the same escapes. */
static void test_fmt_escape_ascii(void **state)
{
	char b[64];

	(void)state;
	vasx_fmt_set_ascii(true);
	assert_string_equal(vasx_fmt_escape("caf\xc3\xa9\033\\", b, sizeof(b)), "caf\\xc3\\xa9\\x1b\\\\");
	vasx_fmt_set_ascii(false);
	assert_string_equal(vasx_fmt_escape("caf\xc3\xa9", b, sizeof(b)), "caf\xc3\xa9");
}

static void test_parse_addr(void **state)
{
	uint64_t a;

	(void)state;
	assert_int_equal(vasx_parse_addr("0x7ffd1000", 0, &a), 0);
	assert_int_equal(a, 0x7ffd1000);
	assert_int_equal(vasx_parse_addr("555555554000", 0, &a), 0);
	assert_int_equal(a, 0x555555554000);
	assert_int_equal(vasx_parse_addr("ffffffffffffffff", 0, &a), 0);
	assert_int_equal(a, UINT64_MAX);
	assert_int_equal(vasx_parse_addr("#4096", 1, &a), 0);
	assert_int_equal(a, 4096);
	assert_int_equal(vasx_parse_addr("#4096", 0, &a), -VASX_E_BADADDR);
	assert_int_equal(vasx_parse_addr("1ffffffffffffffff", 0, &a), -VASX_E_BADADDR);
	assert_int_equal(vasx_parse_addr("#18446744073709551616", 1, &a), -VASX_E_BADADDR);
	assert_int_equal(vasx_parse_addr("0xzz", 0, &a), -VASX_E_BADADDR);
	assert_int_equal(vasx_parse_addr("", 0, &a), -VASX_E_BADADDR);
	assert_int_equal(vasx_parse_addr("0x", 0, &a), -VASX_E_BADADDR);
	assert_int_equal(vasx_parse_addr(" 0x10 ", 0, &a), 0);
	assert_int_equal(a, 16);
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(vasx_strerror(-VASX_E_EXITED), "the process exited");
	assert_string_equal(vasx_strerror(-VASX_E_VERSION), "unknown format version");
	assert_string_equal(vasx_strerror(-2), "No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_size),
		cmocka_unit_test(test_fmt_addr_end),
		cmocka_unit_test(test_fmt_escape_controls),
		cmocka_unit_test(test_fmt_escape_truncates_whole),
		cmocka_unit_test(test_fmt_escape_random),
		cmocka_unit_test(test_fmt_escape_ascii),
		cmocka_unit_test(test_parse_addr),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
