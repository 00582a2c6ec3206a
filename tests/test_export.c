/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the batch exporters: quoting of hostile names, the graph,
 * the tables, the region CSV, the maps table, atomic writes and saved
 * trees, on snapshots built by hand and on the fixture trees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testlib.h"

#include "vasx/diff.h"
#include "vasx/export.h"
#include "vasx/fmt.h"
#include "vasx/source.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"

#define EVIL "\033[31mevil\nname"

/* What an exporter wrote, as a NUL-terminated string the test frees. */
struct out {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *out_open(struct out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
	return o->f;
}

static char *out_close(struct out *o)
{
	assert_int_equal(fclose(o->f), 0);
	return o->buf;
}

static char *json_of(const char *s)
{
	struct out o;

	vasx_json_str(out_open(&o), s);
	return out_close(&o);
}

static char *csv_of(const char *s)
{
	struct out o;

	vasx_csv_str(out_open(&o), s);
	return out_close(&o);
}

static void expect_json(const char *in, const char *want)
{
	char *got = json_of(in);

	assert_string_equal(got, want);
	free(got);
}

static void expect_csv(const char *in, const char *want)
{
	char *got = csv_of(in);

	assert_string_equal(got, want);
	free(got);
}

static void test_export_json_str(void **state)
{
	(void)state;
	expect_json("/usr/lib/libc.so.6", "\"/usr/lib/libc.so.6\"");
	expect_json(NULL, "null");
	expect_json("", "\"\"");
	expect_json("a\"b\\c", "\"a\\\"b\\\\c\"");
	expect_json(EVIL, "\"\\u001b[31mevil\\nname\"");
	expect_json("tab\there\r", "\"tab\\there\\r\"");
	expect_json("\x7f", "\"\\u007f\"");
	/* Valid UTF-8 is kept byte for byte. */
	expect_json("caf\xc3\xa9 \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
	/* What a terminal acts on is \u-escaped: the same string, parsed. */
	expect_json("\xc2\x85\xc2\x9b", "\"\\u0085\\u009b\"");
	expect_json("a\xe2\x80\xae" "b\xe2\x81\xa6", "\"a\\u202eb\\u2066\"");
	expect_json("\xf3\xa0\x81\x81", "\"\\udb40\\udc41\"");
	/* Invalid: a stray byte, an overlong form, a surrogate, a cut sequence. */
	expect_json("\xff", "\"\\u00ff\"");
	expect_json("\xc0\x80", "\"\\u00c0\\u0080\"");
	expect_json("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"");
	expect_json("\xe2\x82", "\"\\u00e2\\u0082\"");
	expect_json("\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\"");
}

static void expect_json_bytes(const char *in, const char *want)
{
	struct out o;
	char *got;

	vasx_json_bytes(out_open(&o), "k", in);
	got = out_close(&o);
	assert_string_equal(got, want);
	free(got);
}

/* Only a name that is not UTF-8 gets its bytes too, which tell \xff from U+00FF. */
static void test_export_json_bytes(void **state)
{
	(void)state;
	expect_json_bytes(NULL, "");
	expect_json_bytes("", "");
	expect_json_bytes("/usr/lib/caf\xc3\xa9", "");
	expect_json_bytes(EVIL, "");
	expect_json_bytes("\xff", ",\"k\":\"ff\"");
	expect_json_bytes("a\xc3\xbf\xff", ",\"k\":\"61c3bfff\"");
	expect_json_bytes("\xe2\x82", ",\"k\":\"e282\"");
	expect_json_bytes("\xed\xa0\x80", ",\"k\":\"eda080\"");
}

static void test_export_csv_str(void **state)
{
	(void)state;
	expect_csv("/usr/bin/cat", "/usr/bin/cat");
	expect_csv(NULL, "");
	expect_csv("", "");
	expect_csv("a,b", "\"a,b\"");
	expect_csv("say \"hi\"", "\"say \"\"hi\"\"\"");
	/* The escaped form: valid UTF-8, one record per line, nothing raw. */
	expect_csv(EVIL, "\\x1b[31mevil\\x0aname");
	expect_csv("a\\b\xff,\xe2\x80\xae", "\"a\\\\b\\xff,\\xe2\\x80\\xae\"");
	expect_csv("caf\xc3\xa9\r\n", "caf\xc3\xa9\\x0d\\x0a");
	expect_csv(" lead", "\" lead\"");
	expect_csv("trail ", "\"trail \"");
	expect_csv("file with spaces.dat", "file with spaces.dat");
}

static struct vasx_region map(uint64_t start, uint64_t end, const char *perms, const char *name)
{
	struct vasx_region r = {
		.start = start, .last = end - 1, .name = name, .smaps = VASX_NONE,
		.flags = VASX_F_MAPPING, .space = start >> 47 ? VASX_SPACE_KERNEL : VASX_SPACE_USER,
	};

	r.perms = (perms[0] == 'r' ? VASX_P_READ : 0) | (perms[1] == 'w' ? VASX_P_WRITE : 0) |
		  (perms[2] == 'x' ? VASX_P_EXEC : 0) | (perms[3] == 's' ? VASX_P_SHARED : 0);
	if ((r.perms & (VASX_P_WRITE | VASX_P_EXEC)) == (VASX_P_WRITE | VASX_P_EXEC))
		r.flags |= VASX_F_WX;
	if (!(r.perms & (VASX_P_READ | VASX_P_WRITE | VASX_P_EXEC)))
		r.flags |= VASX_F_NOACCESS;
	if (name && name[0] == '[')
		r.flags |= VASX_F_SPECIAL;
	if (name && name[0] == '/') {
		r.dev_major = 0xfe;
		r.inode = 4242;
	}
	return r;
}

#define HEAP 0x55555557e000ull
#define WX 0x7f0000100000ull

static struct vasx_snapshot *hand_snapshot(void)
{
	struct vasx_snapshot *s = test_snapshot_new(100, 65536);
	struct vasx_region maps[] = {
		map(0x555555554000, 0x555555556000, "r--p", "/usr/bin/cat"),
		map(0x555555556000, 0x55555555a000, "r-xp", "/usr/bin/cat"),
		map(0x55555555c000, 0x55555555d000, "rw-p", "/usr/bin/cat"),
		map(HEAP, HEAP + 0x21000, "rw-p", "[heap]"),
		map(0x7f0000000000, 0x7f0000001000, "---p", NULL),
		map(0x7f0000001000, 0x7f0000003000, "rw-p", EVIL),
		map(WX, WX + 0x1000, "rwxp", NULL),
		map(0x7ffffffde000, 0x7ffffffff000, "rw-p", "[stack]"),
	};

	s->stat.pid = 100;
	strcpy(s->stat.comm, "cat\033]0;x\a");
	maps[2].offset = 0x6000;
	assert_int_equal(vasx_snapshot_build(s, maps, sizeof(maps) / sizeof(maps[0])), 0);
	return s;
}

static size_t count_mappings(const struct vasx_snapshot *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->nregions; i++)
		n += !!(s->regions[i].flags & VASX_F_MAPPING);
	return n;
}

static size_t count_lines(const char *s, const char *prefix)
{
	size_t n = 0;
	const char *p = s;

	while (p && *p) {
		if (!prefix || !strncmp(p, prefix, strlen(prefix)))
			n++;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return n;
}

/* No byte a terminal would act on, except the line ends (and ESC when @esc_ok). */
static void assert_terminal_safe(const char *s, bool esc_ok)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n' || (esc_ok && c == 033))
			continue;
		assert_false(c < 0x20 || c == 0x7f);
	}
}

static char *graph_of(const struct vasx_snapshot *s, const struct vasx_export_opts *o)
{
	struct out f;

	assert_int_equal(vasx_export_graph(out_open(&f), s, o), 0);
	return out_close(&f);
}

/* Border addresses, top to bottom, strictly descending; returns how many. */
static size_t check_borders(const char *g, uint64_t *top, uint64_t *bottom)
{
	const char *p = g;
	uint64_t prev = 0;
	size_t n = 0;

	while ((p = strstr(p, "+ "))) {
		uint64_t a = strtoull(p + 2, NULL, 16);

		if (n == 0)
			*top = a;
		else
			assert_true(a < prev);
		prev = a;
		n++;
		p += 2;
	}
	*bottom = prev;
	return n;
}

static void test_export_graph(void **state)
{
	struct vasx_snapshot *s = hand_snapshot();
	struct vasx_export_opts o = { 0 };
	uint64_t top, bottom;
	char *g;

	(void)state;
	g = graph_of(s, &o);
	assert_terminal_safe(g, false);
	assert_true(check_borders(g, &top, &bottom) > count_mappings(s));
	assert_true(top == UINT64_MAX);
	assert_true(bottom == 0);
	/* The name reaches the terminal escaped, W+X and --- carry markers. */
	assert_non_null(strstr(g, "\\x1b[31mevil\\x0aname"));
	assert_non_null(strstr(g, "cat\\x1b]0;x\\x07"));
	assert_non_null(strstr(g, "rwxp!"));
	assert_non_null(strstr(g, "---p#"));
	assert_non_null(strstr(g, "non-canonical hole"));
	assert_non_null(strstr(g, "16.00 EB"));
	assert_non_null(strstr(g, "132.00 KB rw-p"));
	assert_non_null(strstr(g, "0x6000"));
	assert_null(strstr(g, "|>"));
	free(g);

	o.color = true;
	g = graph_of(s, &o);
	assert_terminal_safe(g, true);
	assert_non_null(strstr(g, "\033[1;97;41mrwxp!"));
	free(g);
	vasx_snapshot_free(s);
}

static void test_export_graph_filters_and_locate(void **state)
{
	struct vasx_snapshot *s = hand_snapshot();
	struct vasx_export_opts o = { .only_user = true, .locate = true,
				      .locate_start = HEAP + 0x100, .locate_last = HEAP + 0x100,
				      .verbose = true };
	uint64_t top, bottom;
	const char *row, *report;
	char *g;

	(void)state;
	g = graph_of(s, &o);
	check_borders(g, &top, &bottom);
	assert_true(top == 1ull << 47);
	assert_null(strstr(g, "non-canonical hole ..."));
	row = strstr(g, "|>");
	assert_non_null(row);
	assert_true(strstr(row, "[heap]") < strchr(row, '\n'));
	assert_null(strstr(row + 1, "|>"));
	report = strstr(g, "falls in:");
	assert_non_null(report);
	assert_non_null(strstr(report, "heap  0x000055555557e000-0x000055555559f000"));
	assert_non_null(strstr(report, "(+0x100)"));
	assert_non_null(strstr(g, "Statistics:"));
	assert_non_null(strstr(g, "W+X mappings    1"));
	free(g);

	o = (struct vasx_export_opts){ .only_kernel = true };
	g = graph_of(s, &o);
	check_borders(g, &top, &bottom);
	assert_true(top == UINT64_MAX);
	assert_true(bottom == 0xffff800000000000ull);
	assert_null(strstr(g, "[heap]"));
	free(g);
	vasx_snapshot_free(s);
}

static void test_export_json_snapshot(void **state)
{
	struct vasx_snapshot *s = hand_snapshot();
	struct out f;
	char *j;

	(void)state;
	assert_int_equal(vasx_export_json(out_open(&f), s), 0);
	j = out_close(&f);
	assert_terminal_safe(j, false);
	assert_int_equal(j[0], '{');
	assert_non_null(strstr(j, "\"path\":\"\\u001b[31mevil\\nname\""));
	assert_non_null(strstr(j, "\"start\":\"0x00007f0000100000\",\"end\":\"0x00007f0000101000\","
				  "\"size\":4096,\"perms\":\"rwxp\""));
	assert_non_null(strstr(j, "\"flags\":[\"wx\"]"));
	assert_non_null(strstr(j, "\"offset\":24576,\"dev\":\"fe:00\",\"inode\":4242,"
				  "\"path\":\"/usr/bin/cat\""));
	assert_non_null(strstr(j, "\"end\":\"0x10000000000000000\""));
	assert_non_null(strstr(j, "\"kind\":\"non-canonical\""));
	assert_non_null(strstr(j, "\"map_count\":8"));
	assert_non_null(strstr(j, "\"comm\":\"cat\\u001b]0;x\\u0007\""));
	/* Mappings, gaps and kernel regions: every region on a line of its own. */
	assert_int_equal(count_lines(j, "{\"start\""), s->nregions);
	free(j);
	vasx_snapshot_free(s);
}

/* Fields of a CSV record, honouring quotes; returns where the next record starts. */
static const char *csv_fields(const char *p, size_t *n)
{
	bool quoted = false;

	*n = 1;
	for (; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ',' && !quoted)
			(*n)++;
		else if (*p == '\n' && !quoted)
			return p + 1;
	}
	return p;
}

static size_t csv_check(const char *csv)
{
	size_t header, n, records = 0;
	const char *p = csv_fields(csv, &header);

	while (*p) {
		p = csv_fields(p, &n);
		assert_int_equal(n, header);
		records++;
	}
	return records;
}

static void test_export_tables(void **state)
{
	struct vasx_snapshot *s = hand_snapshot();
	struct vasx_export_opts o = { 0 };
	struct out f;
	char *t;

	(void)state;
	assert_int_equal(vasx_export_table_csv(out_open(&f), s), 0);
	t = out_close(&f);
	assert_int_equal(csv_check(t), count_mappings(s));
	assert_non_null(strstr(t, ",\\x1b[31mevil\\x0aname\n"));
	free(t);

	assert_int_equal(vasx_export_table(out_open(&f), s, &o), 0);
	t = out_close(&f);
	assert_terminal_safe(t, false);
	/* Header, one row per mapping, the total row. */
	assert_int_equal(count_lines(t, NULL), count_mappings(s) + 2);
	assert_non_null(strstr(t, "total kB"));
	free(t);

	assert_int_equal(vasx_export_table_json(out_open(&f), s), 0);
	t = out_close(&f);
	assert_int_equal(count_lines(t, "{\"start\""), count_mappings(s));
	free(t);

	assert_int_equal(vasx_export_regions_csv(out_open(&f), s, false), 0);
	t = out_close(&f);
	assert_true(csv_check(t) > count_mappings(s));
	assert_non_null(strstr(t, "gap,---"));
	assert_non_null(strstr(t, "0x0000000000000000,0x0000000000010000,65536,null-trap"));
	free(t);
	vasx_snapshot_free(s);
}

/* Counters and VmFlags from a hostile smaps never reach the terminal raw. */
static void test_export_table_hostile_vmflags(void **state)
{
	struct vasx_snapshot *s = hand_snapshot();
	struct vasx_export_opts o = { 0 };
	struct out f;
	size_t i;
	char *t;

	(void)state;
	s->smaps = calloc(1, sizeof(*s->smaps));
	assert_non_null(s->smaps);
	s->nsmaps = 1;
	s->smaps[0].vmflags = "rd \033[2J mr";
	s->smaps[0].present = 1u << VASX_SM_SIZE | 1u << VASX_SM_RSS;
	s->smaps[0].v[VASX_SM_SIZE] = 132;
	s->smaps[0].v[VASX_SM_RSS] = 12;
	for (i = 0; i < s->nregions; i++)
		if (s->regions[i].name && !strcmp(s->regions[i].name, "[heap]"))
			s->regions[i].smaps = 0;
	assert_int_equal(vasx_export_table(out_open(&f), s, &o), 0);
	t = out_close(&f);
	assert_terminal_safe(t, false);
	assert_non_null(strstr(t, "rd \\x1b[2J mr"));
	/* Rss is known for the heap only: the others show "-", the total its 12. */
	assert_non_null(strstr(t, " 12 rd"));
	free(t);
	assert_int_equal(vasx_export_json(out_open(&f), s), 0);
	t = out_close(&f);
	assert_non_null(strstr(t, "\"smaps\":{\"Size\":132,\"Rss\":12,\"VmFlags\":[\"rd\",\"\\u001b[2J\",\"mr\"]}"));
	free(t);
	s->smaps[0].vmflags = NULL;
	vasx_snapshot_free(s);
}

static void test_export_maps_formats(void **state)
{
	struct vasx_snapshot *s = hand_snapshot();
	enum vasx_maps_format fmts[] = { VASX_FMT_TEXT, VASX_FMT_CSV, VASX_FMT_JSON, VASX_FMT_JSONL };
	size_t want[] = { 1, 1, 2, 0 };

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		struct out f;
		bool first = true;
		char *t;

		assert_int_equal(vasx_export_maps_begin(out_open(&f), fmts[i]), 0);
		assert_int_equal(vasx_export_maps_proc(f.f, fmts[i], s, &first), 0);
		assert_int_equal(vasx_export_maps_proc(f.f, fmts[i], s, &first), 0);
		assert_int_equal(vasx_export_maps_end(f.f, fmts[i]), 0);
		t = out_close(&f);
		if (fmts[i] == VASX_FMT_TEXT) {
			assert_terminal_safe(t, false);
			assert_int_equal(count_lines(t, "100 "), 2 * count_mappings(s));
		} else if (fmts[i] == VASX_FMT_CSV) {
			assert_int_equal(csv_check(t), 2 * count_mappings(s));
		} else {
			assert_terminal_safe(t, false);
			assert_int_equal(count_lines(t, NULL) - want[i], 2 * count_mappings(s));
		}
		free(t);
	}
	vasx_snapshot_free(s);
}

/*
 * A path of about @size bytes as the kernel prints a deep one: directories
 * of 250 bytes, each holding an ESC and an e-acute, then @file. Also the
 * text a terminal is shown for it, built here byte by byte (with @ascii,
 * for a terminal that is not UTF-8).
 */
static void long_path(size_t size, const char *file, bool ascii, char **raw, char **esc)
{
	size_t cap = size + 512, rn = 0, en = 0;
	char *r = malloc(cap), *e = malloc(4 * cap);
	int dir = 0;

	assert_non_null(r);
	assert_non_null(e);
	rn = (size_t)sprintf(r, "/tmp");
	en = (size_t)sprintf(e, "/tmp");
	while (rn < size) {
		rn += (size_t)sprintf(r + rn, "/d%03d-", dir);
		en += (size_t)sprintf(e + en, "/d%03d-", dir);
		dir++;
		for (int i = 0; i < 240; i++)
			r[rn++] = e[en++] = 'a' + i % 26;
		rn += (size_t)sprintf(r + rn, "\033\xc3\xa9");
		en += (size_t)sprintf(e + en, ascii ? "\\x1b\\xc3\\xa9" : "\\x1b\xc3\xa9");
	}
	sprintf(r + rn, "/%s", file);
	sprintf(e + en, "/%s", file);
	*raw = r;
	*esc = e;
}

/* Does @s end with @tail? */
static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcmp(s + n - t, tail);
}

/*
 * The graph row naming @file: cut on the left with "...", and what follows
 * the dots is the end of @esc (plus @suffix), up to the box's edge.
 */
static void assert_graph_tail(const char *g, const char *file, const char *esc, const char *suffix)
{
	const char *at = strstr(g, file), *line, *dots;
	char *shown, *want;
	size_t n;

	assert_non_null(at);
	for (line = at; line > g && line[-1] != '\n'; line--)
		;
	assert_int_equal(line[0], '|');
	dots = strstr(line, "...");
	assert_non_null(dots);
	assert_true(dots < at);
	n = (size_t)(at - dots - 3) + strlen(file) + strlen(suffix);
	shown = strndup(dots + 3, n);
	assert_non_null(shown);
	assert_true(asprintf(&want, "%s%s", esc, suffix) > 0);
	assert_true(ends_with(want, shown));
	/* a part of the directories too, not just the file's name */
	assert_true(strlen(shown) > strlen(file) + strlen(suffix) + 4);
	free(shown);
	free(want);
}

/* The snapshot of the hand-made process with two mappings of huge paths. */
static struct vasx_snapshot *long_names_snapshot(const char *p20, const char *p60)
{
	struct vasx_snapshot *s = test_snapshot_new(100, 65536);
	struct vasx_region maps[] = {
		map(0x555555554000, 0x555555556000, "r--p", "/usr/bin/cat"),
		map(0x7f0000000000, 0x7f0000002000, "r-xp", p20),
		map(0x7f0000010000, 0x7f0000011000, "rw-s", p60),
		map(0x7ffffffde000, 0x7ffffffff000, "rw-p", "[stack]"),
	};

	s->stat.pid = 100;
	strcpy(s->stat.comm, "cat");
	maps[2].flags |= VASX_F_DELETED;
	assert_int_equal(vasx_snapshot_build(s, maps, sizeof(maps) / sizeof(maps[0])), 0);
	return s;
}

static char *maps_of(const struct vasx_snapshot *s, enum vasx_maps_format fmt)
{
	struct out f;
	bool first = true;

	assert_int_equal(vasx_export_maps_begin(out_open(&f), fmt), 0);
	assert_int_equal(vasx_export_maps_proc(f.f, fmt, s, &first), 0);
	assert_int_equal(vasx_export_maps_end(f.f, fmt), 0);
	return out_close(&f);
}

/* Both names in JSON and CSV as their writers give them: whole. */
static void assert_whole_in_data(const struct vasx_snapshot *s, const char *p20, const char *p60)
{
	char *j20 = json_of(p20), *j60 = json_of(p60), *c20 = csv_of(p20), *c60 = csv_of(p60);
	struct out f;
	char *t;

	assert_int_equal(vasx_export_json(out_open(&f), s), 0);
	t = out_close(&f);
	assert_non_null(strstr(t, j20));
	assert_non_null(strstr(t, j60));
	free(t);
	assert_int_equal(vasx_export_table_json(out_open(&f), s), 0);
	t = out_close(&f);
	assert_non_null(strstr(t, j60));
	free(t);
	assert_int_equal(vasx_export_table_csv(out_open(&f), s), 0);
	t = out_close(&f);
	assert_non_null(strstr(t, c20));
	assert_non_null(strstr(t, c60));
	free(t);
	for (enum vasx_maps_format fmt = VASX_FMT_CSV; fmt <= VASX_FMT_JSONL; fmt++) {
		t = maps_of(s, fmt);
		assert_non_null(strstr(t, fmt == VASX_FMT_CSV ? c60 : j60));
		assert_non_null(strstr(t, fmt == VASX_FMT_CSV ? c20 : j20));
		free(t);
	}
	free(j20);
	free(j60);
	free(c20);
	free(c60);
}

/*
 * Paths of 20 and 60 KiB (the kernel prints a deep path whole, and maps
 * is read up to 64 KiB a line): the graph cuts them on the left and shows
 * the file's name, as for any other path; the text tables, --locate and
 * the change lines show them whole; JSON and CSV give them back whole.
 * Escaped for a UTF-8 terminal and, four bytes a byte, for another one.
 */
static void test_export_long_names(void **state)
{
	(void)state;
	for (int ascii = 0; ascii <= 1; ascii++) {
		char *p20, *e20, *p60, *e60, *t;
		struct vasx_snapshot *s;
		struct vasx_export_opts o = { .locate = true, .locate_start = 0x7f0000000100,
					      .locate_last = 0x7f0000000100 };
		struct vasx_change c = { .kind = VASX_CH_ADDED, .start = 0x7f0000010000,
					 .last = 0x7f0000010fff, .new_perms = VASX_P_READ };
		struct vasx_diff d = { &c, 1 };
		struct timespec ts = { 0, 0 };
		struct out f;

		long_path(20 * 1024, "lib-END20.so", ascii, &p20, &e20);
		long_path(60 * 1024, "lib-END60.dat", ascii, &p60, &e60);
		assert_true(strlen(p60) > 60 * 1024 && strlen(p60) < 63 * 1024);
		s = long_names_snapshot(p20, p60);
		vasx_fmt_set_ascii(ascii);

		for (unsigned width = 80; width <= 200; width += 120) {
			o.width = width;
			t = graph_of(s, &o);
			assert_terminal_safe(t, false);
			assert_graph_tail(t, "lib-END20.so", e20, "");
			assert_graph_tail(t, "lib-END60.dat", e60, " (deleted)");
			/* the --locate report names the region whole */
			assert_non_null(strstr(strstr(t, "falls in:"), e20));
			free(t);
		}

		assert_int_equal(vasx_export_table(out_open(&f), s, &o), 0);
		t = out_close(&f);
		assert_terminal_safe(t, false);
		assert_non_null(strstr(t, e20));
		assert_non_null(strstr(t, e60));
		free(t);

		t = maps_of(s, VASX_FMT_TEXT);
		assert_terminal_safe(t, false);
		assert_non_null(strstr(t, e20));
		assert_non_null(strstr(t, e60));
		free(t);

		c.name = p60;
		assert_int_equal(vasx_export_change_line(out_open(&f), &c, 100, &ts), 0);
		t = out_close(&f);
		assert_non_null(strstr(t, e60));
		free(t);
		assert_int_equal(vasx_export_diff(out_open(&f), &d, false), 0);
		t = out_close(&f);
		assert_non_null(strstr(t, e60));
		free(t);

		vasx_fmt_set_ascii(false);
		assert_whole_in_data(s, p20, p60);
		vasx_snapshot_free(s);
		free(p20);
		free(e20);
		free(p60);
		free(e60);
	}
}

static int write_hello(FILE *f, void *ctx)
{
	(void)ctx;
	fputs("hello\n", f);
	return 0;
}

static int write_then_fail(FILE *f, void *ctx)
{
	(void)ctx;
	fputs("half", f);
	return -EIO;
}

static size_t dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_export_write_atomic(void **state)
{
	char dir[] = "/tmp/vasx-test-export.XXXXXX", path[64], buf[16] = "";
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	assert_int_equal(vasx_write_atomic(path, write_then_fail, NULL), -EIO);
	assert_int_equal(dir_entries(dir), 0);
	assert_int_equal(vasx_write_atomic(path, write_hello, NULL), 0);
	assert_int_equal(dir_entries(dir), 1);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "hello\n");
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_mode & S_IRUSR);
	/* A failed rewrite leaves the old file whole. */
	assert_int_equal(vasx_write_atomic(path, write_then_fail, NULL), -EIO);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 6);
	unlink(path);
	rmdir(dir);
}

static char *json_of_tree(const char *root, int pid)
{
	struct vasx_source *src;
	struct vasx_snapshot *s;
	struct out f;

	assert_int_equal(vasx_source_open_dir(root, &src), 0);
	assert_int_equal(vasx_snapshot_load(src, pid, VASX_LOAD_ALL, &s), 0);
	assert_int_equal(vasx_export_json(out_open(&f), s), 0);
	vasx_snapshot_free(s);
	vasx_source_close(src);
	return out_close(&f);
}

/* Saving a tree and reading it back gives the same snapshot, byte for byte. */
static void test_export_save_round_trip(void **state)
{
	const char *top = getenv("TOP");
	char fixture[512], dir[] = "/tmp/vasx-test-save.XXXXXX", cmd[600];
	struct vasx_source *src;
	char *a, *b;

	(void)state;
	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/testproc", top ? top : ".");
	if (access(fixture, R_OK)) {
		skip();
		return;
	}
	assert_non_null(mkdtemp(dir));
	assert_int_equal(vasx_source_open_dir(fixture, &src), 0);
	assert_int_equal(vasx_save_tree(src, 3960, dir), 0);
	vasx_source_close(src);
	a = json_of_tree(fixture, 3960);
	b = json_of_tree(dir, 3960);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "/\\u001b[31mevil\\nname\""));
	free(a);
	free(b);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_json_str),
		cmocka_unit_test(test_export_json_bytes),
		cmocka_unit_test(test_export_csv_str),
		cmocka_unit_test(test_export_graph),
		cmocka_unit_test(test_export_graph_filters_and_locate),
		cmocka_unit_test(test_export_json_snapshot),
		cmocka_unit_test(test_export_tables),
		cmocka_unit_test(test_export_table_hostile_vmflags),
		cmocka_unit_test(test_export_maps_formats),
		cmocka_unit_test(test_export_long_names),
		cmocka_unit_test(test_export_write_atomic),
		cmocka_unit_test(test_export_save_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
