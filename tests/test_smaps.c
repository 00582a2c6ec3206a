/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of the smaps and smaps_rollup parsers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testlib.h"

#include "vasx/maps.h"
#include "vasx/smaps.h"
#include "vasx/status.h"
#include "vasx/strpool.h"

static int setup_pool(void **state)
{
	*state = vasx_strpool_new();
	return *state ? 0 : -1;
}

static int teardown_pool(void **state)
{
	vasx_strpool_free(*state);
	return 0;
}

static int parse(void **state, const char *line, struct vasx_smaps *sm,
		 struct vasx_smaps_extras *x)
{
	return vasx_smaps_parse_line(line, strlen(line), sm, *state, x);
}

static FILE *memfile(const char *text, size_t len)
{
	FILE *f = fmemopen((void *)text, len, "r");

	assert_non_null(f);
	return f;
}

static void test_smaps_field_table(void **state)
{
	(void)state;
	assert_string_equal(vasx_smaps_field_name(VASX_SM_SIZE), "Size");
	assert_string_equal(vasx_smaps_field_name(VASX_SM_PSS_DIRTY), "Pss_Dirty");
	assert_string_equal(vasx_smaps_field_name(VASX_SM_PROTECTIONKEY), "ProtectionKey");
	assert_null(vasx_smaps_field_name(VASX_SM_COUNT));
	assert_null(vasx_smaps_field_name((enum vasx_smaps_field)-1));
	assert_true(vasx_smaps_field_is_kb(VASX_SM_RSS));
	assert_true(vasx_smaps_field_is_kb(VASX_SM_LOCKED));
	assert_false(vasx_smaps_field_is_kb(VASX_SM_THPELIGIBLE));
	assert_false(vasx_smaps_field_is_kb(VASX_SM_PROTECTIONKEY));
	assert_false(vasx_smaps_field_is_kb(VASX_SM_COUNT));
	/* present is a 32-bit mask. */
	assert_true(VASX_SM_COUNT <= 32);
}

static void test_smaps_field_from_name(void **state)
{
	(void)state;
	for (int f = 0; f < VASX_SM_COUNT; f++) {
		const char *name = vasx_smaps_field_name((enum vasx_smaps_field)f);
		size_t len = strlen(name);
		char buf[32];

		assert_int_equal(vasx_smaps_field_from_name(name, len), f);
		/* Any one byte changed: unknown, or exactly another field. */
		for (size_t i = 0; i < len; i++) {
			static const char alt[] = "aAzZ_0:xPSCD ";

			for (size_t k = 0; k < sizeof(alt) - 1; k++) {
				int g;

				memcpy(buf, name, len);
				buf[i] = alt[k];
				g = vasx_smaps_field_from_name(buf, len);
				if (g >= 0)
					assert_memory_equal(vasx_smaps_field_name(
						(enum vasx_smaps_field)g), buf, len);
			}
		}
		/* A prefix or an extension is not the field. */
		assert_int_equal(vasx_smaps_field_from_name(name, len - 1) == f, 0);
		memcpy(buf, name, len);
		buf[len] = 'x';
		assert_int_not_equal(vasx_smaps_field_from_name(buf, len + 1), f);
	}
	assert_int_equal(vasx_smaps_field_from_name("VmFlags", 7), -1);
	assert_int_equal(vasx_smaps_field_from_name("", 0), -1);
	assert_int_equal(vasx_smaps_field_from_name("FutureCounter", 13), -1);
	assert_int_equal(vasx_smaps_field_from_name("Rsss", 4), -1);
}

static void test_smaps_vmflag_desc(void **state)
{
	static const char *const codes[] = {
		"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "gd", "pf", "dw", "lo",
		"io", "sr", "rr", "dc", "de", "ac", "nr", "ht", "sf", "ar", "wf", "dd",
		"sd", "mm", "hg", "nh", "mg", "um", "uw", "ui", "ss", "sl", "lf", "dp",
		"bt", "mt", "mp", "nl",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		const char *d = vasx_vmflag_desc(codes[i]);

		if (!d || !*d)
			fail_msg("no words for %s", codes[i]);
	}
	assert_string_equal(vasx_vmflag_desc("rd"), "readable");
	assert_string_equal(vasx_vmflag_desc("mr"), "may read");
	assert_string_equal(vasx_vmflag_desc("gd"), "stack grows down");
	assert_string_equal(vasx_vmflag_desc("ht"), "uses huge TLB pages");
	assert_null(vasx_vmflag_desc("zz"));
	assert_null(vasx_vmflag_desc("??"));
	assert_null(vasx_vmflag_desc("rdx"));
	assert_null(vasx_vmflag_desc("r"));
	assert_null(vasx_vmflag_desc(""));
	assert_null(vasx_vmflag_desc(NULL));
}

static void test_smaps_counter_lines(void **state)
{
	struct vasx_smaps sm = { 0 };
	struct vasx_smaps_extras x = { 0 };

	assert_int_equal(parse(state, "Rss:                1616 kB\n", &sm, &x), 1);
	assert_true(sm.v[VASX_SM_RSS] == 1616);
	assert_int_equal(sm.present, 1u << VASX_SM_RSS);
	assert_int_equal(parse(state, "Private_Hugetlb:       0 kB", &sm, &x), 1);
	assert_true(sm.present & (1u << VASX_SM_PRIVATE_HUGETLB));
	assert_int_equal(parse(state, "THPeligible:           1", &sm, &x), 1);
	assert_true(sm.v[VASX_SM_THPELIGIBLE] == 1);
	assert_int_equal(parse(state, "ProtectionKey:         15\n", &sm, &x), 1);
	assert_true(sm.v[VASX_SM_PROTECTIONKEY] == 15);
	assert_int_equal(parse(state, "Size:\t18446744073709551615 kB ", &sm, &x), 1);
	assert_true(sm.v[VASX_SM_SIZE] == UINT64_MAX);
	/* The last of a repeated field wins. */
	assert_int_equal(parse(state, "Rss: 8 kB", &sm, &x), 1);
	assert_true(sm.v[VASX_SM_RSS] == 8);
	assert_int_equal(x.n, 0);
	assert_null(sm.vmflags);
}

static void test_smaps_vmflags_line(void **state)
{
	struct vasx_smaps sm = { 0 };

	assert_int_equal(parse(state, "VmFlags: rd wr mr mw me ac sd \n", &sm, NULL), 2);
	assert_string_equal(sm.vmflags, "rd wr mr mw me ac sd");
	assert_int_equal(parse(state, "VmFlags: ", &sm, NULL), 2);
	assert_string_equal(sm.vmflags, "");
}

static void test_smaps_unknown_fields_kept(void **state)
{
	struct vasx_smaps a = { 0 }, b = { 0 };
	struct vasx_smaps_extras x = { 0 };

	assert_int_equal(parse(state, "FutureCounter:        12 kB\n", &a, &x), 3);
	assert_int_equal(parse(state, "Mystery:    seven", &a, &x), 3);
	assert_int_equal(parse(state, "EmptyField:", &b, &x), 3);
	assert_int_equal(x.n, 3);
	assert_int_equal(a.nextra, 2);
	assert_int_equal(a.extra, 0);
	assert_int_equal(b.nextra, 1);
	assert_int_equal(b.extra, 2);
	assert_string_equal(x.v[0].name, "FutureCounter");
	assert_string_equal(x.v[0].value, "12 kB");
	assert_string_equal(x.v[1].name, "Mystery");
	assert_string_equal(x.v[1].value, "seven");
	assert_string_equal(x.v[2].name, "EmptyField");
	assert_string_equal(x.v[2].value, "");
	assert_int_equal(a.present, 0);
	free(x.v);
	/* Without a place to keep them they are still recognised. */
	assert_int_equal(parse(state, "Other: 1", &a, NULL), 3);
}

static void test_smaps_not_counters(void **state)
{
	static const char *const lines[] = {
		"7fa9ab2ce000-7fa9ab424000 r-xp 00026000 fe:00 332835 /lib/libc.so.6",
		"abc-def r--p 0 00:00 0",
		"",
		"\n",
		"Shared_Clean",
		":12 kB",
		" Rss: 4 kB",
		"_x: 1",
		"9Rss: 4 kB",
	};
	struct vasx_smaps sm = { 0 };
	struct vasx_smaps_extras x = { 0 };

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (parse(state, lines[i], &sm, &x) != 0)
			fail_msg("took \"%s\" for a counter", lines[i]);
	assert_int_equal(sm.present, 0);
	assert_int_equal(x.n, 0);
}

static void test_smaps_malformed_counters(void **state)
{
	static const char *const bad[] = {
		"Rss:", "Rss:      ", "Rss: kB", "Pss:          4 k", "Pss: 4 K", "Rss: 4 MB",
		"Anonymous:             4kB", "Rss:                 1x kB", "Pss: -4 kB",
		"Shared_Clean:    0x10 kB", "Private_Dirty: 99999999999999999999999 kB",
		"Private_Dirty: 18446744073709551616 kB", "Private_Dirty:  4 kB extra words",
		"Referenced:\t", "THPeligible:    1 kB", "THPeligible:    yes",
		"ProtectionKey: -1", "Size: 4 kB kB", "Rss: 4\tkB x",
	};
	struct vasx_smaps sm = { 0 };
	struct vasx_smaps_extras x = { 0 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = parse(state, bad[i], &sm, &x);

		if (err != -VASX_E_MALFORMED)
			fail_msg("\"%s\" gave %d", bad[i], err);
	}
	/* Nothing of a rejected line was kept. */
	assert_int_equal(sm.present, 0);
	assert_int_equal(x.n, 0);
}

static const char two_mappings[] =
	"00400000-00401000 r-xp 00000000 fe:00 7                          /bin/a\n"
	"Size:                  4 kB\n"
	"Rss:                   4 kB\n"
	"Pss:                   2 kB\n"
	"FutureCounter:        12 kB\n"
	"THPeligible:           0\n"
	"VmFlags: rd ex mr mw me \n"
	"7ffd6c5e6000-7ffd6c607000 rw-p 00000000 00:00 0                  [stack]\n"
	"Size:                132 kB\n"
	"Rss:                  16 kB\n"
	"NewThing:              1\n"
	"OtherThing:            2 kB\n"
	"VmFlags: rd wr mr mw me gd ac \n";

static void test_smaps_read_two(void **state)
{
	struct vasx_maps m = { 0 };
	struct vasx_smaps_set s = { 0 };
	FILE *f = memfile(two_mappings, sizeof(two_mappings) - 1);

	assert_int_equal(vasx_smaps_read(f, &m, &s, *state), 0);
	fclose(f);
	assert_int_equal(m.n, 2);
	assert_int_equal(s.n, 2);
	assert_int_equal(m.malformed + s.malformed, 0);
	assert_true(m.v[0].start == 0x400000 && m.v[1].start == 0x7ffd6c5e6000ULL);
	assert_string_equal(m.v[1].name, "[stack]");
	assert_int_equal(m.v[1].smaps, VASX_NONE);
	assert_true(s.v[0].v[VASX_SM_SIZE] == 4 && s.v[0].v[VASX_SM_PSS] == 2);
	assert_true(s.v[1].v[VASX_SM_SIZE] == 132 && s.v[1].v[VASX_SM_RSS] == 16);
	assert_int_equal(s.v[0].present, (1u << VASX_SM_SIZE) | (1u << VASX_SM_RSS) |
			 (1u << VASX_SM_PSS) | (1u << VASX_SM_THPELIGIBLE));
	assert_false(s.v[1].present & (1u << VASX_SM_PSS));
	assert_string_equal(s.v[0].vmflags, "rd ex mr mw me");
	assert_string_equal(s.v[1].vmflags, "rd wr mr mw me gd ac");
	assert_int_equal(s.extra.n, 3);
	assert_int_equal(s.v[0].nextra, 1);
	assert_string_equal(s.extra.v[s.v[0].extra].name, "FutureCounter");
	assert_int_equal(s.v[1].nextra, 2);
	assert_string_equal(s.extra.v[s.v[1].extra].name, "NewThing");
	assert_string_equal(s.extra.v[s.v[1].extra + 1].value, "2 kB");
	vasx_smaps_set_release(&s);
	vasx_maps_release(&m);
	assert_null(s.v);
	assert_null(s.extra.v);
}

/* Each header gives the region vasx_maps_read would give for the same line. */
static void test_smaps_headers_match_maps(void **state)
{
	struct vasx_maps m1 = { 0 }, m2 = { 0 };
	struct vasx_smaps_set s = { 0 };
	FILE *f = test_fixture("parsers/live/6404/maps");

	assert_int_equal(vasx_maps_read(f, &m1, *state), 0);
	fclose(f);
	f = test_fixture("parsers/live/6404/smaps");
	assert_int_equal(vasx_smaps_read(f, &m2, &s, *state), 0);
	fclose(f);
	assert_int_equal(m1.n, 39);
	assert_int_equal(m2.n, m1.n);
	assert_int_equal(s.n, m1.n);
	assert_int_equal(m2.malformed + s.malformed, 0);
	for (size_t i = 0; i < m1.n; i++) {
		assert_memory_equal(&m1.v[i], &m2.v[i], sizeof(m1.v[i]));
		/* Size is the mapping's size, every table field is present. */
		assert_true(s.v[i].v[VASX_SM_SIZE] * 1024 == vasx_region_size(&m2.v[i]));
		assert_true(s.v[i].present & (1u << VASX_SM_RSS));
		assert_true(s.v[i].present & (1u << VASX_SM_PROTECTIONKEY));
		assert_non_null(s.v[i].vmflags);
		assert_int_equal(s.v[i].nextra, 0);
	}
	vasx_smaps_set_release(&s);
	vasx_maps_release(&m1);
	vasx_maps_release(&m2);
}

static void test_smaps_fixture_vmflags_known(void **state)
{
	static const char *const files[] = {
		"parsers/live/6404/smaps", "testproc/3960/smaps", "bash/3959/smaps",
	};

	for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		struct vasx_maps m = { 0 };
		struct vasx_smaps_set s = { 0 };
		FILE *f = test_fixture(files[k]);

		assert_int_equal(vasx_smaps_read(f, &m, &s, *state), 0);
		fclose(f);
		assert_true(m.n > 10);
		for (size_t i = 0; i < s.n; i++) {
			const char *p = s.v[i].vmflags;

			assert_non_null(p);
			while (*p) {
				char code[3] = { p[0], p[1], 0 };

				if (!vasx_vmflag_desc(code))
					fail_msg("%s: unknown VmFlags code \"%s\"", files[k], code);
				p += p[2] == ' ' ? 3 : 2;
			}
		}
		vasx_smaps_set_release(&s);
		vasx_maps_release(&m);
	}
}

static uint64_t sum_field(const struct vasx_smaps_set *s, enum vasx_smaps_field f)
{
	uint64_t t = 0;

	for (size_t i = 0; i < s->n; i++)
		t += s->v[i].v[f];
	return t;
}

static void test_smaps_rollup_matches_sum(void **state)
{
	struct vasx_maps m = { 0 };
	struct vasx_smaps_set s = { 0 };
	struct vasx_smaps ru;
	struct vasx_smaps_extras x = { 0 };
	FILE *f = test_fixture("parsers/live/6404/smaps");

	assert_int_equal(vasx_smaps_read(f, &m, &s, *state), 0);
	fclose(f);
	f = test_fixture("parsers/live/6404/smaps_rollup");
	assert_int_equal(vasx_smaps_read_rollup(f, &ru, &x, *state), 0);
	fclose(f);
	/* The process sat idle between the two reads. */
	assert_true(ru.v[VASX_SM_RSS] == 1816);
	assert_true(sum_field(&s, VASX_SM_RSS) == ru.v[VASX_SM_RSS]);
	assert_true(sum_field(&s, VASX_SM_ANONYMOUS) == ru.v[VASX_SM_ANONYMOUS]);
	assert_true(sum_field(&s, VASX_SM_PRIVATE_DIRTY) == ru.v[VASX_SM_PRIVATE_DIRTY]);
	/* Rollup has no Size, but the Pss split the smaps lines lack. */
	assert_false(ru.present & (1u << VASX_SM_SIZE));
	assert_null(ru.vmflags);
	/* Pss_Anon, Pss_File, Pss_Shmem: kept verbatim as extra fields. */
	assert_int_equal(x.n, 3);
	assert_string_equal(x.v[0].name, "Pss_Anon");
	assert_string_equal(x.v[2].name, "Pss_Shmem");
	assert_int_equal(ru.nextra, 3);
	free(x.v);
	vasx_smaps_set_release(&s);
	vasx_maps_release(&m);
}

static void test_smaps_rollup_edges(void **state)
{
	static const char cut[] =
		"555555554000-7ffffffff000 ---p 00000000 00:00 0 [rollup]\n"
		"Rss:                   8 kB\n"
		"Pss:                   4 kB\n"
		"FutureCounter:       12 kB\n"
		"Pss_Dir";
	static const char junk[] = "not a rollup\nat all\n";
	struct vasx_smaps ru;
	struct vasx_smaps_extras x = { 0 };
	FILE *f = memfile(cut, sizeof(cut) - 1);

	assert_int_equal(vasx_smaps_read_rollup(f, &ru, &x, *state), 0);
	fclose(f);
	assert_true(ru.v[VASX_SM_RSS] == 8 && ru.v[VASX_SM_PSS] == 4);
	assert_int_equal(ru.present, (1u << VASX_SM_RSS) | (1u << VASX_SM_PSS));
	assert_int_equal(ru.nextra, 1);
	assert_string_equal(x.v[ru.extra].name, "FutureCounter");
	free(x.v);
	/* A kernel thread's rollup is empty: nothing, but no error. */
	f = memfile("", 0);
	assert_int_equal(vasx_smaps_read_rollup(f, &ru, NULL, *state), 0);
	fclose(f);
	assert_int_equal(ru.present, 0);
	f = memfile(junk, sizeof(junk) - 1);
	assert_int_equal(vasx_smaps_read_rollup(f, &ru, NULL, *state), -VASX_E_MALFORMED);
	fclose(f);
}

static void test_smaps_hostile_truncated(void **state)
{
	struct vasx_maps m = { 0 };
	struct vasx_smaps_set s = { 0 };
	FILE *f = test_fixture("hostile/1001/smaps");

	assert_int_equal(vasx_smaps_read(f, &m, &s, *state), 0);
	fclose(f);
	/* Three good mappings and one whose counters are mostly broken. */
	assert_int_equal(m.n, 4);
	assert_int_equal(m.malformed, 1);
	/*
	 * Rss, Pss, "Shared_Clean", trailing words, a lone tab, then the two
	 * counters under the header cut inside its device.
	 */
	assert_int_equal(s.malformed, 7);
	assert_true(s.v[3].v[VASX_SM_SIZE] == 4);
	assert_int_equal(s.v[3].present, 1u << VASX_SM_SIZE);
	assert_null(s.v[3].vmflags);
	/* The good ones before it kept everything. */
	assert_true(s.v[2].v[VASX_SM_SIZE] == 132);
	assert_string_equal(s.v[2].vmflags, "rd mr mw me");
	vasx_smaps_set_release(&s);
	vasx_maps_release(&m);
}

static void test_smaps_hostile_numbers(void **state)
{
	struct vasx_maps m = { 0 };
	struct vasx_smaps_set s = { 0 };
	FILE *f = test_fixture("hostile/1003/smaps");

	assert_int_equal(vasx_smaps_read(f, &m, &s, *state), 0);
	fclose(f);
	assert_int_equal(m.n, 4);
	assert_int_equal(m.malformed, 0);
	assert_int_equal(s.malformed, 6);
	assert_int_equal(s.v[2].present, 1u << VASX_SM_SIZE);
	assert_string_equal(s.v[2].vmflags, "rd wr mr mw me ac");
	vasx_smaps_set_release(&s);
	vasx_maps_release(&m);
}

static void test_smaps_hostile_unknown(void **state)
{
	struct vasx_maps m = { 0 };
	struct vasx_smaps_set s = { 0 };
	struct vasx_smaps ru;
	FILE *f = test_fixture("hostile/1006/smaps");

	assert_int_equal(vasx_smaps_read(f, &m, &s, *state), 0);
	fclose(f);
	assert_int_equal(m.n, 3);
	assert_int_equal(m.malformed + s.malformed, 0);
	assert_int_equal(s.extra.n, 9);
	for (size_t i = 0; i < 3; i++) {
		const struct vasx_smaps_extra *e = &s.extra.v[s.v[i].extra];

		assert_int_equal(s.v[i].nextra, 3);
		assert_string_equal(e[0].name, "FutureCounter");
		assert_string_equal(e[0].value, "12 kB");
		assert_string_equal(e[1].value, "seven");
		assert_string_equal(e[2].name, "EmptyField");
		assert_true(s.v[i].present & (1u << VASX_SM_LOCKED));
	}
	assert_true(s.v[0].v[VASX_SM_RSS] == 8);
	assert_string_equal(s.v[0].vmflags, "rd zz mr qq ?? me");
	f = test_fixture("hostile/1006/smaps_rollup");
	assert_int_equal(vasx_smaps_read_rollup(f, &ru, &s.extra, *state), 0);
	fclose(f);
	assert_int_equal(ru.nextra, 1);
	assert_int_equal(ru.extra, 9);
	vasx_smaps_set_release(&s);
	vasx_maps_release(&m);
}

static void test_smaps_orphan_counters(void **state)
{
	static const char text[] =
		"Rss: 4 kB\n"
		"1000-2000 r--p 0 zz:00 0\n"
		"Rss: 4 kB\n"
		"VmFlags: rd\n"
		"1000-2000 r--p 0 00:00 0\n"
		"Rss: 4 kB\n"
		"%%% garbage %%%\n"
		"Pss: 2 kB\n";
	struct vasx_maps m = { 0 };
	struct vasx_smaps_set s = { 0 };
	FILE *f = memfile(text, sizeof(text) - 1);

	assert_int_equal(vasx_smaps_read(f, &m, &s, *state), 0);
	fclose(f);
	assert_int_equal(m.n, 1);
	/* Counters before any header or under a broken one belong to nobody. */
	assert_int_equal(s.malformed, 4);
	assert_int_equal(m.malformed, 1);
	/* Garbage inside a block does not end it. */
	assert_true(s.v[0].v[VASX_SM_RSS] == 4 && s.v[0].v[VASX_SM_PSS] == 2);
	vasx_smaps_set_release(&s);
	vasx_maps_release(&m);
}

static void test_smaps_appends_in_step(void **state)
{
	static const char more[] = "9000-a000 r--p 0 00:00 0\nRss: 4 kB\n";
	struct vasx_maps m = { 0 };
	struct vasx_smaps_set s = { 0 };
	FILE *f = memfile("1000-2000 r--p 0 00:00 0\n3000-4000 r--p 0 00:00 0\n", 50);

	/* Regions from maps alone, then smaps: indices still match. */
	assert_int_equal(vasx_maps_read(f, &m, *state), 0);
	fclose(f);
	f = memfile(more, sizeof(more) - 1);
	assert_int_equal(vasx_smaps_read(f, &m, &s, *state), 0);
	fclose(f);
	assert_int_equal(m.n, 3);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.v[0].present, 0);
	assert_true(s.v[2].v[VASX_SM_RSS] == 4);
	vasx_smaps_set_release(&s);
	vasx_maps_release(&m);
}

/* Random damage to a real smaps file: never a crash, indices stay paired. */
static void test_smaps_mutations(void **state)
{
	static const char junk[] = "0123456789abcdef-: \n\tkBxRss_";
	size_t len = sizeof(two_mappings) - 1;
	char *buf = malloc(len);
	unsigned seed = 99;

	assert_non_null(buf);
	for (int i = 0; i < 5000; i++) {
		struct vasx_maps m = { 0 };
		struct vasx_smaps_set s = { 0 };
		size_t n = len;
		FILE *f;

		memcpy(buf, two_mappings, len);
		for (int k = 0; k < 1 + i % 8; k++) {
			seed = seed * 1103515245u + 12345u;
			buf[(seed >> 8) % len] = junk[(seed >> 20) % (sizeof(junk) - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		if (seed & 0x10000)
			n = (seed >> 17) % (len + 1);
		f = fmemopen(buf, n ? n : 1, "r");
		assert_non_null(f);
		assert_int_equal(vasx_smaps_read(f, &m, &s, *state), 0);
		fclose(f);
		assert_int_equal(m.n, s.n);
		assert_true(m.n <= 2);
		for (size_t r = 0; r < m.n; r++) {
			assert_true(m.v[r].start <= m.v[r].last);
			assert_true(s.v[r].extra + s.v[r].nextra <= s.extra.n);
		}
		vasx_smaps_set_release(&s);
		vasx_maps_release(&m);
	}
	free(buf);
}

/* 60,000 mappings over many read blocks; the set is trimmed to its length. */
static void test_smaps_read_large(void **state)
{
	size_t n = 60000, cap = n * 1200, len = 0;
	char *text = malloc(cap);
	struct vasx_maps m = { 0 };
	struct vasx_smaps_set s = { 0 };
	FILE *f;

	assert_non_null(text);
	for (size_t i = 0; i < n; i++) {
		len += (size_t)snprintf(text + len, cap - len,
					"%012zx-%012zx rw-p 00000000 00:00 0 \n", i * 0x2000,
					i * 0x2000 + 0x1000);
		for (int k = 0; k < VASX_SM_COUNT; k++) {
			enum vasx_smaps_field fld = (enum vasx_smaps_field)k;

			len += (size_t)snprintf(text + len, cap - len, "%s: %8zu%s\n",
						vasx_smaps_field_name(fld), i + (size_t)k,
						vasx_smaps_field_is_kb(fld) ? " kB" : "");
		}
		len += (size_t)snprintf(text + len, cap - len, "VmFlags: rd wr mr mw me ac \n");
	}
	f = memfile(text, len);
	assert_int_equal(vasx_smaps_read(f, &m, &s, *state), 0);
	fclose(f);
	assert_int_equal(m.n, n);
	assert_int_equal(s.n, n);
	assert_int_equal(s.cap, n);
	assert_int_equal(m.malformed + s.malformed, 0);
	for (size_t i = 0; i < n; i++) {
		assert_true(m.v[i].start == i * 0x2000);
		assert_int_equal(s.v[i].present, (1u << VASX_SM_COUNT) - 1);
		for (int k = 0; k < VASX_SM_COUNT; k++)
			assert_true(s.v[i].v[k] == i + (size_t)k);
		assert_ptr_equal(s.v[i].vmflags, s.v[0].vmflags);
	}
	vasx_smaps_set_release(&s);
	vasx_maps_release(&m);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smaps_field_table),
		cmocka_unit_test(test_smaps_field_from_name),
		cmocka_unit_test(test_smaps_vmflag_desc),
		cmocka_unit_test(test_smaps_counter_lines),
		cmocka_unit_test(test_smaps_vmflags_line),
		cmocka_unit_test(test_smaps_unknown_fields_kept),
		cmocka_unit_test(test_smaps_not_counters),
		cmocka_unit_test(test_smaps_malformed_counters),
		cmocka_unit_test(test_smaps_read_two),
		cmocka_unit_test(test_smaps_headers_match_maps),
		cmocka_unit_test(test_smaps_fixture_vmflags_known),
		cmocka_unit_test(test_smaps_rollup_matches_sum),
		cmocka_unit_test(test_smaps_rollup_edges),
		cmocka_unit_test(test_smaps_hostile_truncated),
		cmocka_unit_test(test_smaps_hostile_numbers),
		cmocka_unit_test(test_smaps_hostile_unknown),
		cmocka_unit_test(test_smaps_orphan_counters),
		cmocka_unit_test(test_smaps_appends_in_step),
		cmocka_unit_test(test_smaps_mutations),
		cmocka_unit_test(test_smaps_read_large),
	};

	return cmocka_run_group_tests(tests, setup_pool, teardown_pool);
}
