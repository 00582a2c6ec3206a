/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the key handling, without a terminal: the action table,
 * the manual page's KEYS section generated from it, and the explorer's
 * state driven key by key over a snapshot built by hand.
 *
 *   test_keys --man	prints the KEYS section (for man/vasx.1)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "testlib.h"

#include "vasx/source.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"
#include "actions.h"
#include "draw.h"
#include "ui.h"

#define PAGE 4096ull
#define HEAP 0x555555560000ull
#define LIB 0x7f0000000000ull

static void test_keys_table(void **state)
{
	(void)state;
	for (int a = 1; a < VASX_A_COUNT; a++) {
		assert_int_equal(vasx_actions[a].id, a);
		assert_non_null(vasx_actions[a].help);
		assert_true(vasx_actions[a].keys[0] != 0);
		/* no key means two things in one scope, and LIST/GLOBAL never overlap */
		for (const int *k = vasx_actions[a].keys; *k; k++) {
			for (int b = a + 1; b < VASX_A_COUNT; b++) {
				bool same = vasx_actions[b].scope == vasx_actions[a].scope;
				bool shared = (vasx_actions[a].scope <= VASX_SCOPE_LIST) &&
					      (vasx_actions[b].scope <= VASX_SCOPE_LIST);

				if (!same && !shared)
					continue;
				for (const int *m = vasx_actions[b].keys; *m; m++)
					assert_int_not_equal(*k, *m);
			}
			/* each key finds its action in its own scope */
			assert_int_equal(vasx_action_lookup(vasx_actions[a].scope, *k), a);
		}
	}
}

static void test_keys_lookup(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(vasx_action_lookup(VASX_SCOPE_VAS, KEY_UP), VASX_A_UP);
	assert_int_equal(vasx_action_lookup(VASX_SCOPE_VAS, 'j'), VASX_A_DOWN);
	assert_int_equal(vasx_action_lookup(VASX_SCOPE_VAS, '\n'), VASX_A_ZOOM);
	assert_int_equal(vasx_action_lookup(VASX_SCOPE_VAS, '\r'), VASX_A_ZOOM);
	assert_int_equal(vasx_action_lookup(VASX_SCOPE_PICKER, '\n'), VASX_A_OPEN);
	assert_int_equal(vasx_action_lookup(VASX_SCOPE_VAS, '/'), VASX_A_SEARCH);
	assert_int_equal(vasx_action_lookup(VASX_SCOPE_PICKER, '/'), VASX_A_FILTER);
	assert_int_equal(vasx_action_lookup(VASX_SCOPE_VAS, VASX_CTRL('h')), VASX_A_ZOOM_OUT);
	assert_int_equal(vasx_action_lookup(VASX_SCOPE_PICKER, 'q'), VASX_A_QUIT);
	assert_int_equal(vasx_action_lookup(VASX_SCOPE_PICKER, 'x'), VASX_A_NONE);
	assert_int_equal(vasx_action_lookup(VASX_SCOPE_PICKER, VASX_KEY_ESC), VASX_A_UNFILTER);
	assert_string_equal(vasx_key_name(KEY_F(5), buf, sizeof(buf)), "F5");
	assert_string_equal(vasx_key_name(VASX_CTRL('l'), buf, sizeof(buf)), "C-l");
	assert_string_equal(vasx_key_name(KEY_NPAGE, buf, sizeof(buf)), "PgDn");
	assert_string_equal(vasx_action_keys(VASX_A_REFRESH, buf, sizeof(buf)), "F5 C-l");
	assert_int_equal(vasx_action_fkey(VASX_A_HELP), 1);
	assert_int_equal(vasx_action_fkey(VASX_A_UP), 0);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The manual's KEYS section is exactly what the action table generates. */
static void test_keys_man_page(void **state)
{
	const char *top = getenv("TOP") ? getenv("TOP") : ".";
	char path[4096], *man, *start, *end, *gen;
	size_t len;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/man/vasx.1", top);
	man = read_file(path);
	if (!man)
		skip();
	start = strstr(man, "\n.SH KEYS\n");
	assert_non_null(start);
	start = strchr(start + 1, '\n') + 1;
	end = strstr(start, "\n.SH ");
	assert_non_null(end);
	f = open_memstream(&gen, &len);
	assert_non_null(f);
	fputs(".\\\" generated: build/tests/test_keys --man\n", f);
	vasx_actions_man(f);
	fclose(f);
	*(end + 1) = '\0';
	assert_string_equal(start, gen);
	free(gen);
	free(man);
}

/* ---- the explorer driven key by key ---- */

static struct vasx_region map(uint64_t start, uint64_t size, unsigned perms, const char *name)
{
	struct vasx_region r = {
		.start = start, .last = start + size - 1, .perms = (uint8_t)perms,
		.flags = VASX_F_MAPPING, .smaps = VASX_NONE, .space = VASX_SPACE_USER,
		.name = name,
	};

	return r;
}

struct fixture {
	struct vasx_ui ui;
};

static int setup(void **state)
{
	struct vasx_region maps[] = {
		map(0x400000, PAGE, VASX_P_READ | VASX_P_EXEC, "/bin/prog"),
		map(HEAP, 32 * PAGE, VASX_P_READ | VASX_P_WRITE, "[heap]"),
		map(LIB, 64 * PAGE, VASX_P_READ | VASX_P_EXEC, "/lib/libc.so.6"),
		map(LIB + 64 * PAGE, 2 * PAGE, VASX_P_READ | VASX_P_WRITE | VASX_P_EXEC, NULL),
		map(0x7ffd00000000ull, 33 * PAGE, VASX_P_READ | VASX_P_WRITE, "[stack]"),
	};
	struct vasx_tui_opts o = { .color = false, .delay = 1 };
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct vasx_snapshot *s = test_snapshot_new(42, 65536);

	assert_non_null(fx);
	assert_int_equal(vasx_snapshot_build(s, maps, 5), 0);
	vasx_ui_init(&fx->ui, NULL, &o);
	vasx_ui_resize(&fx->ui, 24, 80);
	vasx_vas_show(&fx->ui, s);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	vasx_ui_release(&fx->ui);
	free(fx);
	return 0;
}

static unsigned type(struct vasx_ui *ui, const char *s)
{
	unsigned f = 0;

	for (; *s; s++)
		f |= vasx_ui_key(ui, (unsigned char)*s);
	return f;
}

static uint64_t sel_start(struct vasx_ui *ui)
{
	return vasx_vas_selected(ui)->start;
}

static void test_keys_move(void **state)
{
	struct vasx_ui *ui = &((struct fixture *)*state)->ui;
	uint64_t a;

	/* it opens on the main stack */
	assert_int_equal(sel_start(ui), 0x7ffd00000000ull);
	a = ui->vas.list.sel;
	assert_true(vasx_ui_key(ui, 'j') & VASX_H_REDRAW);
	assert_int_equal(ui->vas.list.sel, a + 1);
	/* descending: below the stack comes a lower address */
	assert_true(sel_start(ui) < 0x7ffd00000000ull);
	vasx_ui_key(ui, KEY_UP);
	assert_int_equal(ui->vas.list.sel, a);
	vasx_ui_key(ui, 'G');
	assert_int_equal(sel_start(ui), 0);
	vasx_ui_key(ui, 'g');
	assert_int_equal(vasx_vas_selected(ui)->last, UINT64_MAX);
	assert_int_equal(vasx_ui_key(ui, 'q'), VASX_H_QUIT);
}

static void test_keys_jump_zoom(void **state)
{
	struct vasx_ui *ui = &((struct fixture *)*state)->ui;
	char addr[32];

	/* : address Enter selects the region holding it */
	snprintf(addr, sizeof(addr), ":%llx\n", (unsigned long long)(HEAP + 0x1234));
	type(ui, addr);
	assert_int_equal(ui->prompt.kind, VASX_PR_NONE);
	assert_int_equal(sel_start(ui), HEAP);
	assert_true(ui->vas.jumped);
	assert_non_null(strstr(ui->msg, "0x1234 into"));
	/* a bad address says so and moves nothing */
	type(ui, ":zz\n");
	assert_int_equal(sel_start(ui), HEAP);
	assert_non_null(strstr(ui->msg, "not an address"));

	/* Enter zooms into the heap, on the row of the jump */
	vasx_ui_key(ui, '\n');
	assert_int_equal(ui->vas.zdepth, 1);
	assert_int_equal(ui->vas.zoom[0].start, HEAP);
	assert_true(vasx_zoom_rows(HEAP, HEAP + 32 * PAGE - 1, ui->vas.zoom[0].gran) <= 21);
	/* + steps down to single pages and no further */
	for (int i = 0; i < 10; i++)
		vasx_ui_key(ui, '+');
	assert_int_equal(ui->vas.zoom[0].gran, PAGE);
	assert_int_equal(ui->vas.zoom[0].list.n, 32);
	assert_int_equal(vasx_vas_selected(ui)->start, HEAP);
	/* - steps back out; Backspace leaves the zoom */
	{
		uint64_t lo, hi;
		struct vasx_zoom *z;

		/* a zoom into a row keeps the jumped-to address selected */
		vasx_ui_key(ui, '-');
		vasx_ui_key(ui, '-');
		assert_true(ui->vas.zoom[0].gran >= 4 * PAGE);
		snprintf(addr, sizeof(addr), ":%llx\n", (unsigned long long)(HEAP + 0x234));
		type(ui, addr);
		vasx_ui_key(ui, '\n');
		assert_int_equal(ui->vas.zdepth, 2);
		z = &ui->vas.zoom[1];
		vasx_zoom_row_range(z->start, z->last, z->gran, z->list.sel, &lo, &hi);
		assert_true(lo <= HEAP + 0x234 && HEAP + 0x234 <= hi);
		vasx_ui_key(ui, KEY_BACKSPACE);
		for (int i = 0; i < 10; i++)
			vasx_ui_key(ui, '+');
	}
	vasx_ui_key(ui, '-');
	assert_int_equal(ui->vas.zoom[0].gran, 2 * PAGE);
	vasx_ui_key(ui, KEY_BACKSPACE);
	assert_int_equal(ui->vas.zdepth, 0);
	assert_int_equal(sel_start(ui), HEAP);
}

static void test_keys_search(void **state)
{
	struct vasx_ui *ui = &((struct fixture *)*state)->ui;
	uint64_t first;

	type(ui, "/libc\n");
	assert_int_equal(sel_start(ui), LIB);
	type(ui, "/rwx\n");
	assert_int_equal(sel_start(ui), LIB + 64 * PAGE);
	type(ui, "/heap\n");
	assert_int_equal(sel_start(ui), HEAP);
	type(ui, "/re:^/(bin|lib)/\n");
	first = sel_start(ui);
	assert_true(first == LIB || first == 0x400000);
	vasx_ui_key(ui, 'n');
	assert_true(sel_start(ui) != first);
	assert_true(sel_start(ui) == LIB || sel_start(ui) == 0x400000);
	vasx_ui_key(ui, 'N');
	assert_int_equal(sel_start(ui), first);
	type(ui, "/re:(\n");
	assert_non_null(strstr(ui->msg, "regular expression"));
	/* Esc cancels a prompt without acting */
	type(ui, "/stack");
	vasx_ui_key(ui, VASX_KEY_ESC);
	assert_int_equal(ui->prompt.kind, VASX_PR_NONE);
	assert_int_not_equal(sel_start(ui), 0x7ffd00000000ull);
}

static void test_keys_locate_panes_help(void **state)
{
	struct vasx_ui *ui = &((struct fixture *)*state)->ui;
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "L%llx 0x%llx\n", (unsigned long long)(LIB + 63 * PAGE),
		 (unsigned long long)(2 * PAGE));
	type(ui, cmd);
	assert_true(ui->vas.locating);
	assert_non_null(strstr(ui->msg, "2 regions overlap"));
	vasx_ui_key(ui, VASX_KEY_ESC);
	assert_false(ui->vas.locating);
	/* one region: the verb agrees */
	snprintf(cmd, sizeof(cmd), "L%llx 0x%llx\n", (unsigned long long)HEAP, (unsigned long long)PAGE);
	type(ui, cmd);
	assert_non_null(strstr(ui->msg, "1 region overlaps the range"));
	vasx_ui_key(ui, VASX_KEY_ESC);

	/* Tab walks the panes and back to the column */
	for (int i = 1; i <= VASX_PANE_COUNT; i++) {
		vasx_ui_key(ui, '\t');
		assert_int_equal(ui->vas.focus, i % VASX_PANE_COUNT);
	}
	/* the help screen comes and goes */
	vasx_ui_key(ui, '?');
	assert_int_equal(ui->screen, VASX_SCR_HELP);
	assert_true(ui->help.n > VASX_A_COUNT);
	vasx_ui_key(ui, 'q');
	assert_int_equal(ui->screen, VASX_SCR_VAS);
	/* s switches the scale and keeps the selection */
	{
		uint64_t s0 = sel_start(ui);

		vasx_ui_key(ui, 's');
		assert_true(ui->vas.linear);
		assert_int_equal(sel_start(ui), s0);
	}
	/* Space pauses, d asks for the period */
	vasx_ui_key(ui, ' ');
	assert_true(ui->paused);
	type(ui, "d");
	assert_int_equal(ui->prompt.kind, VASX_PR_DELAY);
	vasx_ui_key(ui, VASX_CTRL('u'));
	type(ui, "0.5\n");
	assert_true(ui->delay > 0.49 && ui->delay < 0.51);
}

static bool has_line(const struct vasx_lines *ls, const char *label, const char *text)
{
	for (size_t i = 0; i < ls->n; i++)
		if (!strcmp(ls->v[i].label, label) && strstr(ls->v[i].text, text))
			return true;
	return false;
}

/* A snapshot of the same process with @n mappings and their Rss. */
static struct vasx_snapshot *snap_rss(const struct vasx_region *maps, size_t n, const uint64_t *rss)
{
	struct vasx_snapshot *s = test_snapshot_new(42, 65536);
	struct vasx_region *m = calloc(n, sizeof(*m));

	assert_non_null(m);
	s->smaps = calloc(n, sizeof(*s->smaps));
	s->nsmaps = n;
	for (size_t i = 0; i < n; i++) {
		m[i] = maps[i];
		m[i].smaps = (uint32_t)i;
		s->smaps[i].v[VASX_SM_RSS] = rss[i];
		s->smaps[i].present = 1u << VASX_SM_RSS;
	}
	assert_int_equal(vasx_snapshot_build(s, m, n), 0);
	free(m);
	return s;
}

/* Every kind of change is marked on its region and listed in the log. */
static void test_keys_changes(void **state)
{
	struct vasx_ui *ui = &((struct fixture *)*state)->ui;
	const unsigned rw = VASX_P_READ | VASX_P_WRITE, rx = VASX_P_READ | VASX_P_EXEC;
	struct vasx_region a[] = {
		map(0x10000000, 4 * PAGE, rw, "/grows"), map(0x20000000, 8 * PAGE, rw, "/shrinks"),
		map(0x30000000, 2 * PAGE, VASX_P_READ, "/perms"), map(0x40000000, 2 * PAGE, rw, "/exec"),
		map(0x50000000, 2 * PAGE, rw, "/rss"), map(0x60000000, 2 * PAGE, rw, "/goes"),
	};
	struct vasx_region b[] = {
		map(0x10000000, 8 * PAGE, rw, "/grows"), map(0x20000000, 4 * PAGE, rw, "/shrinks"),
		map(0x30000000, 2 * PAGE, rw, "/perms"), map(0x40000000, 2 * PAGE, rx, "/exec"),
		map(0x50000000, 2 * PAGE, rw, "/rss"), map(0x70000000, 2 * PAGE, rw, "/new"),
	};
	static const uint64_t rss_a[] = { 4, 4, 4, 4, 4, 4 }, rss_b[] = { 4, 4, 4, 4, 8, 4 };
	bool exec_logged = false;

	vasx_vas_show(ui, snap_rss(a, 6, rss_a));
	vasx_ui_key(ui, 'g');
	vasx_vas_set_snapshot(ui, snap_rss(b, 6, rss_b));
	assert_true(vasx_vas_marks(&ui->vas, 0x10000000) & VASX_M_GROWN);
	assert_true(vasx_vas_marks(&ui->vas, 0x20000000) & VASX_M_SHRUNK);
	assert_true(vasx_vas_marks(&ui->vas, 0x30000000) & VASX_M_PERMS);
	assert_false(vasx_vas_marks(&ui->vas, 0x30000000) & VASX_M_EXEC);
	assert_true(vasx_vas_marks(&ui->vas, 0x40000000) & VASX_M_EXEC);
	assert_true(vasx_vas_marks(&ui->vas, 0x50000000) & VASX_M_RSS_UP);
	assert_true(vasx_vas_marks(&ui->vas, 0x70000000) & VASX_M_NEW);
	assert_non_null(vasx_vas_ghost(&ui->vas, 0x60000000, 0x60000000 + 2 * PAGE - 1));
	assert_true(ui->vas.nlog >= 7);
	for (size_t i = 0; i < ui->vas.nlog; i++)
		exec_logged |= strstr(ui->vas.log[i].text, "BECAME EXECUTABLE") &&
			       !strncmp(ui->vas.log[i].brief, "X 40000000 rw-p>r-xp /exec", 26);
	assert_true(exec_logged);
	/* the selection stayed on its region: the highest one, the kernel's top */
	assert_int_equal(vasx_vas_selected(ui)->last, UINT64_MAX);
	/* the details say what it was before */
	vasx_vas_goto(ui, 0x40000000);
	vasx_details_build(ui, &ui->vas.details);
	assert_true(has_line(&ui->vas.details, "Changed", "became executable"));
	assert_true(has_line(&ui->vas.details, "Was", "rw-p"));
	vasx_vas_goto(ui, 0x10000000);
	vasx_details_build(ui, &ui->vas.details);
	assert_true(has_line(&ui->vas.details, "Was", "16.00 KB"));
	vasx_vas_goto(ui, 0x50000000);
	vasx_details_build(ui, &ui->vas.details);
	assert_true(has_line(&ui->vas.details, "Delta", "RSS +4 kB"));
	vasx_vas_goto(ui, 0x60000000);
	vasx_details_build(ui, &ui->vas.details);
	assert_true(has_line(&ui->vas.details, "Removed", "/goes"));

	vasx_vas_goto(ui, 0x20000000);
	/* next tick without change: marks clear, the ghost fades in a few ticks */
	vasx_vas_set_snapshot(ui, snap_rss(b, 6, rss_b));
	assert_int_equal(vasx_vas_marks(&ui->vas, 0x10000000), 0);
	assert_int_equal(sel_start(ui), 0x20000000);
	for (int t = 0; t < 3; t++)
		vasx_vas_set_snapshot(ui, snap_rss(b, 6, rss_b));
	assert_null(vasx_vas_ghost(&ui->vas, 0x60000000, 0x60000000 + 2 * PAGE - 1));

	/* B without a baseline says so */
	vasx_ui_key(ui, 'B');
	assert_non_null(strstr(ui->msg, "no baseline"));
	/* a baseline keeps the marks of later changes across ticks */
	vasx_ui_key(ui, 'b');
	vasx_vas_set_snapshot(ui, snap_rss(a, 6, rss_a));
	vasx_vas_set_snapshot(ui, snap_rss(a, 6, rss_a));
	assert_true(vasx_vas_marks(&ui->vas, 0x60000000) & VASX_M_NEW);
	vasx_ui_key(ui, 'B');
	assert_non_null(strstr(ui->msg, "baseline cleared"));
	assert_int_equal(vasx_vas_marks(&ui->vas, 0x60000000), 0);
	/* a region that vanished: the selection moves to its neighbour */
	vasx_vas_goto(ui, 0x60000000);
	vasx_vas_set_snapshot(ui, snap_rss(b, 6, rss_b));
	assert_int_equal(sel_start(ui), 0x50000000);
}

static bool label_ends(const struct vasx_lines *ls, const char *tail)
{
	for (size_t i = 0; i < ls->n; i++) {
		size_t n = strlen(ls->v[i].label), t = strlen(tail);

		if (n >= t && !strcmp(ls->v[i].label + n - t, tail))
			return true;
	}
	return false;
}

/* The help screen: every kind named in full; End shows its last line. */
static void test_keys_help(void **state)
{
	struct vasx_ui *ui = &((struct fixture *)*state)->ui;

	for (int utf8 = 0; utf8 <= 1; utf8++) {
		ui->utf8 = utf8;
		vasx_ui_key(ui, '?');
		for (int k = 0; k < VASX_KIND_COUNT; k++)
			assert_true(label_ends(&ui->help, vasx_kind_name((enum vasx_kind)k)));
		assert_true(ui->help.n > ui->hlist.height);
		/* as drawing does: clamp, then keep the selection on screen */
		vasx_ui_key(ui, 'G');
		vasx_list_fix(&ui->hlist);
		assert_int_equal(ui->hlist.top + ui->hlist.height, ui->help.n);
		vasx_ui_key(ui, KEY_UP);
		vasx_list_fix(&ui->hlist);
		assert_int_equal(ui->hlist.top + ui->hlist.height, ui->help.n - 1);
		vasx_ui_key(ui, 'g');
		vasx_list_fix(&ui->hlist);
		assert_int_equal(ui->hlist.top, 0);
		vasx_ui_key(ui, 'q');
		assert_int_equal(ui->screen, VASX_SCR_VAS);
	}
	/* Esc and Backspace close it as its title says, back where it came from */
	vasx_ui_key(ui, '?');
	vasx_ui_key(ui, VASX_KEY_ESC);
	assert_int_equal(ui->screen, VASX_SCR_VAS);
	vasx_ui_key(ui, '?');
	vasx_ui_key(ui, KEY_BACKSPACE);
	assert_int_equal(ui->screen, VASX_SCR_VAS);
	ui->screen = VASX_SCR_PICKER;
	vasx_ui_key(ui, KEY_F(1));
	vasx_ui_key(ui, 127);
	assert_int_equal(ui->screen, VASX_SCR_PICKER);
}

/* Long values wrap between words where they can, never inside a word. */
static void test_keys_wrap(void **state)
{
	struct vasx_lines ls = { 0 };
	const char *cmd = "build/tests/vasx-testproc --special --threads 3 --seconds 3000";
	char joined[256] = "";

	(void)state;
	vasx_lines_wrap(&ls, "Command", cmd, 20);
	assert_true(ls.n > 2);
	for (size_t i = 0; i < ls.n; i++) {
		size_t n = strlen(ls.v[i].text);

		assert_true(n <= 20);
		/* a line ends at a space, or the next one starts the word */
		if (i + 1 < ls.n && strchr(ls.v[i].text, ' '))
			assert_true(ls.v[i].text[n - 1] == ' ');
		strcat(joined, ls.v[i].text);
	}
	assert_string_equal(joined, cmd);
	/* a path without spaces is still cut to the width */
	vasx_lines_clear(&ls);
	vasx_lines_wrap(&ls, "Path", "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 20);
	assert_int_equal(ls.n, 3);
	assert_int_equal(strlen(ls.v[0].text), 20);
	vasx_lines_release(&ls);
}

/* Short sizes round to the nearest tenth or unit, as the details do. */
static void test_keys_short_size(void **state)
{
	static const struct {
		uint64_t b;
		const char *s;
	} t[] = {
		{ 0, "0B" }, { 4096, "4K" }, { 8ull << 20, "8M" }, { 1536, "1.5K" },
		{ (10ull << 20) - 4096, "10M" }, { 1023 * 1024 + 1000, "1M" },
		{ UINT64_MAX - (256ull << 40) + 1, "16E" },
		{ UINT64_MAX, "16E" }, { 5100000000ull, "4.7G" }, { 1030792151040ull - 4096, "960G" },
		{ 1400000, "1.3M" },
	};
	char buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(vasx_short_size(t[i].b, buf, sizeof(buf)), t[i].s);
}

/* Mouse: a click selects the row under it; the bottom bar maps to actions. */
static void test_keys_mouse(void **state)
{
	struct vasx_ui *ui = &((struct fixture *)*state)->ui;
	struct vasx_list *l = &ui->vas.list;
	uint64_t item;

	vasx_ui_key(ui, 'g');
	/* the column's rows start under its title, on screen row 2 */
	assert_int_equal(vasx_vas_click(ui, 2 + 3, 10), 1);
	item = vasx_list_item_at(l, l->top + 3);
	assert_int_equal(l->sel, item);
	assert_int_equal(vasx_fkeys_at(ui, 0), VASX_A_HELP);
	assert_int_equal(vasx_fkeys_at(ui, 7), VASX_A_JUMP);
	assert_int_equal(vasx_fkeys_at(ui, 79), VASX_A_NONE);
	ui->screen = VASX_SCR_PICKER;
	assert_int_equal(vasx_fkeys_at(ui, 7), VASX_A_FILTER);
}

/* Permissions in the details only where something is mapped. */
static void test_keys_details_perms(void **state)
{
	struct vasx_ui *ui = &((struct fixture *)*state)->ui;
	static struct vasx_kregion kr[] = {
		{ .start = 0xffff888000000000ull, .last = 0xffffc87fffffffffull,
		  .perms = VASX_P_READ | VASX_P_WRITE, .key = "direct-map", .desc = "all RAM" },
		{ .start = 0xffffffff80000000ull, .last = 0xffffffff9fffffffull,
		  .perms = VASX_P_READ | VASX_P_EXEC, .key = "kernel-map", .desc = "kernel text" },
	};
	struct vasx_region m = map(0x400000, PAGE, VASX_P_READ, "/bin/prog");
	struct vasx_snapshot *s = test_snapshot_new(42, 0);
	int kgaps = 0, kregions = 0;

	s->kernel.source = VASX_KSRC_KALLSYMS;
	s->kernel.regions = kr;
	s->kernel.nregions = 2;
	assert_int_equal(vasx_snapshot_build(s, &m, 1), 0);
	s->kernel.regions = NULL;
	s->kernel.nregions = 0;
	vasx_vas_show(ui, s);

	for (size_t i = 0; i < s->nregions; i++) {
		const struct vasx_region *r = &s->regions[i];
		bool perms;

		vasx_vas_goto(ui, r->start);
		assert_ptr_equal(vasx_vas_selected(ui), r);
		vasx_details_build(ui, &ui->vas.details);
		perms = has_line(&ui->vas.details, "Perms", ":");
		if (r->kind == VASX_KIND_GAP)
			assert_false(perms);
		else if (r->flags & VASX_F_MAPPING || r->space == VASX_SPACE_KERNEL)
			assert_true(perms);
		kgaps += r->space == VASX_SPACE_KERNEL && r->kind == VASX_KIND_GAP;
		kregions += r->space == VASX_SPACE_KERNEL && r->kind != VASX_KIND_GAP;
	}
	/* the documented kernel layout has both */
	assert_true(kgaps > 0);
	assert_true(kregions > 0);
}

/* Back in the process list, nothing said about the process stays on show. */
static void test_keys_to_picker(void **state)
{
	struct vasx_ui *ui = &((struct fixture *)*state)->ui;

	type(ui, ":zz\n");
	assert_non_null(strstr(ui->msg, "not an address"));
	assert_true(vasx_ui_key(ui, 'p') & VASX_H_RELOAD);
	assert_int_equal(ui->screen, VASX_SCR_PICKER);
	assert_string_equal(ui->msg, "");
	/* Backspace at the top goes back the same way */
	ui->screen = VASX_SCR_VAS;
	type(ui, ":zz\n");
	vasx_ui_key(ui, KEY_BACKSPACE);
	assert_int_equal(ui->screen, VASX_SCR_PICKER);
	assert_string_equal(ui->msg, "");
}

/* One row of a process list built by hand; @vsz_kb 0: exiting, its figures unknown. */
static void proc_row(struct vasx_proclist *pl, int pid, uint64_t rss_kb, uint64_t vsz_kb, bool kthread)
{
	struct vasx_procinfo *pi = &pl->v[pl->n++];

	memset(pi, 0, sizeof(*pi));
	pi->pid = pid;
	pi->threads = 1;
	pi->rss_kb = rss_kb;
	pi->vsz_kb = vsz_kb;
	pi->kernel_thread = kthread;
	snprintf(pi->user, sizeof(pi->user), "root");
	snprintf(pi->comm, sizeof(pi->comm), "p%d", pid);
}

static void picker_order(struct vasx_ui *ui, enum vasx_pcol col, bool invert, const int *want,
			 size_t n)
{
	ui->picker.sort = col;
	ui->picker.invert = invert;
	vasx_picker_apply(ui);
	assert_int_equal(ui->picker.nshown, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ui->picker.pl.v[ui->picker.shown[i]].pid, want[i]);
}

/*
 * Sorted by RSS, VSZ or MAPS, a process whose figure is unknown ("-": it
 * is exiting, or its maps cannot be read) comes after every known figure,
 * largest or smallest first; a kernel thread's RSS and VSZ are a known 0.
 */
static void test_keys_picker_unknown_last(void **state)
{
	struct vasx_ui ui;
	struct vasx_tui_opts o = { .delay = 1 };
	struct vasx_picker *p = &ui.picker;
	/* per row: 2 a kernel thread, 10 and 40 exiting (10's empty maps counted 0) */
	static const int32_t maps[] = { 5, -2, 0, 9, -2, -2 };

	(void)state;
	vasx_ui_init(&ui, NULL, &o);
	vasx_ui_resize(&ui, 24, 80);
	p->pl.v = calloc(6, sizeof(*p->pl.v));
	p->nmaps = malloc(sizeof(maps));
	assert_non_null(p->pl.v);
	assert_non_null(p->nmaps);
	memcpy(p->nmaps, maps, sizeof(maps));
	proc_row(&p->pl, 1, 300, 9000, false);
	proc_row(&p->pl, 2, 0, 0, true);
	proc_row(&p->pl, 10, 0, 0, false);
	proc_row(&p->pl, 20, 500, 8000, false);
	proc_row(&p->pl, 30, 900, 7000, false);
	proc_row(&p->pl, 40, 0, 0, false);
	/* the unknown, by pid, follow the known whichever way these go */
	picker_order(&ui, VASX_PC_RSS, false, (const int[]){ 30, 20, 1, 2, 10, 40 }, 6);
	picker_order(&ui, VASX_PC_RSS, true, (const int[]){ 2, 1, 20, 30, 10, 40 }, 6);
	picker_order(&ui, VASX_PC_VSZ, false, (const int[]){ 1, 20, 30, 2, 10, 40 }, 6);
	picker_order(&ui, VASX_PC_VSZ, true, (const int[]){ 2, 30, 20, 1, 10, 40 }, 6);
	picker_order(&ui, VASX_PC_MAPS, false, (const int[]){ 20, 1, 2, 10, 30, 40 }, 6);
	picker_order(&ui, VASX_PC_MAPS, true, (const int[]){ 1, 20, 2, 10, 30, 40 }, 6);
	/* other columns know every figure: by pid, either way */
	picker_order(&ui, VASX_PC_PID, true, (const int[]){ 40, 30, 20, 10, 2, 1 }, 6);
	vasx_ui_release(&ui);
}

/* ---- the process list's mapping counts over a directory tree ---- */

#define NPROCS 150	/* enough that a refresh does not count them all again */
#define PID0 1000

static void write_file(const char *root, int pid, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d/%s", root, pid, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Process @pid's maps: @n one-page mappings. */
static void write_maps(const char *root, int pid, int n)
{
	size_t cap = (size_t)n * 80 + 1, len = 0;
	char *text = malloc(cap);

	assert_non_null(text);
	text[0] = '\0';
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"%llx-%llx rw-p 00000000 00:00 0\n",
					0x10000000ull + i * 2 * PAGE, 0x10000000ull + (i * 2 + 1) * PAGE);
	write_file(root, pid, "maps", text);
	free(text);
}

static void write_proc(const char *root, int pid, int nmaps)
{
	char path[512], text[1024];

	snprintf(path, sizeof(path), "%s/%d", root, pid);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(text, sizeof(text), "%d (prog) S 1 %d %d 0 -1 4194304 141 0 0 0 0 0 0 0 20 0 1 0 "
		 "42540 2990080 407 18446744073709551615 1 1 0 0 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0 "
		 "0 0 0 0 0 0 0 0\n", pid, pid, pid);
	write_file(root, pid, "stat", text);
	snprintf(text, sizeof(text), "Name:\tprog\nState:\tS (sleeping)\nTgid:\t%d\nPid:\t%d\n"
		 "PPid:\t1\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nVmSize:\t    2920 kB\n"
		 "VmRSS:\t    1800 kB\nThreads:\t1\n", pid, pid);
	write_file(root, pid, "status", text);
	write_file(root, pid, "comm", "prog\n");
	write_file(root, pid, "cmdline", "prog");
	write_maps(root, pid, nmaps);
}

static unsigned long maps_opens;
static char picker_root[] = "/tmp/vasx-test-picker.XXXXXX";

/* The tree goes whether the test passed or not. */
static int picker_tree_remove(void **state)
{
	char cmd[600];

	(void)state;
	if (strcmp(picker_root + strlen(picker_root) - 6, "XXXXXX")) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", picker_root);
		if (system(cmd))
			return -1;
	}
	return 0;
}

static void count_maps_open(void *ctx, const char *what, int err, double ms)
{
	size_t n = strlen(what);

	(void)ctx, (void)err, (void)ms;
	maps_opens += n >= 5 && !strcmp(what + n - 5, "/maps");
}

/* A refresh as the explorer does it: the list read, and the rows on screen. */
static void picker_refresh(struct vasx_ui *ui)
{
	assert_int_equal(vasx_picker_load(ui), 0);
	vasx_picker_count_shown(ui);
}

/* The rows on screen show the mappings their maps have now. */
static void picker_shown_right(struct vasx_ui *ui, const int *lines)
{
	const struct vasx_picker *p = &ui->picker;

	for (uint64_t r = 0; r < p->list.height && p->list.top + r < p->nshown; r++) {
		size_t i = p->shown[p->list.top + r];

		assert_int_equal(p->nmaps[i], lines[p->pl.v[i].pid - PID0]);
	}
}

/*
 * Sorted by MAPS, a refresh does not read every process's maps again, yet
 * the rows on screen always show what their maps hold now, and a process
 * off screen whose mappings grew takes its place within a few refreshes.
 */
static void test_keys_picker_maps_counts(void **state)
{
	char *root = picker_root;
	struct vasx_tui_opts o = { .delay = 1 };
	struct vasx_source *src;
	struct vasx_ui ui;
	int lines[NPROCS], top = 0, refreshes;
	unsigned long before;

	(void)state;
	assert_non_null(mkdtemp(root));
	for (int i = 0; i < NPROCS; i++) {
		lines[i] = 1 + (i * 37) % 101;
		write_proc(root, PID0 + i, lines[i]);
	}
	assert_int_equal(vasx_source_open_dir(root, &src), 0);
	src->trace = count_maps_open;
	vasx_ui_init(&ui, src, &o);
	vasx_ui_resize(&ui, 24, 80);
	ui.picker.sort = VASX_PC_MAPS;
	picker_refresh(&ui);
	assert_int_equal(ui.picker.nshown, NPROCS);
	picker_shown_right(&ui, lines);
	assert_int_equal(ui.picker.nmaps[ui.picker.shown[0]], 101);

	/* another refresh: each maps opened once to see it can be, few read */
	before = maps_opens;
	picker_refresh(&ui);
	assert_true(maps_opens - before < NPROCS + NPROCS / 2);
	picker_shown_right(&ui, lines);

	/* the rows on screen change: they show so at the next refresh */
	for (size_t k = 0; k < ui.picker.list.height; k++) {
		int i = ui.picker.pl.v[ui.picker.shown[k]].pid - PID0;

		lines[i] += 200;
		write_maps(root, PID0 + i, lines[i]);
	}
	picker_refresh(&ui);
	picker_shown_right(&ui, lines);
	/* one shrinks: it leaves the top at once */
	top = ui.picker.pl.v[ui.picker.shown[0]].pid - PID0;
	lines[top] = 2;
	write_maps(root, PID0 + top, 2);
	picker_refresh(&ui);
	picker_shown_right(&ui, lines);
	assert_int_not_equal(ui.picker.pl.v[ui.picker.shown[0]].pid, PID0 + top);
	for (size_t k = 1; k < ui.picker.list.height; k++)
		assert_true(ui.picker.nmaps[ui.picker.shown[k - 1]] >=
			    ui.picker.nmaps[ui.picker.shown[k]]);

	/* a process off screen grows: on top within a few refreshes */
	lines[5] = 500;
	write_maps(root, PID0 + 5, 500);
	for (refreshes = 1; refreshes <= 4; refreshes++) {
		picker_refresh(&ui);
		picker_shown_right(&ui, lines);
		if (ui.picker.pl.v[ui.picker.shown[0]].pid == PID0 + 5)
			break;
	}
	assert_true(refreshes <= 4);
	vasx_ui_release(&ui);
	vasx_source_close(src);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_table),
		cmocka_unit_test(test_keys_lookup),
		cmocka_unit_test(test_keys_man_page),
		cmocka_unit_test_setup_teardown(test_keys_move, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_jump_zoom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_locate_panes_help, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_mouse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_help, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_to_picker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_details_perms, setup, teardown),
		cmocka_unit_test(test_keys_wrap),
		cmocka_unit_test(test_keys_short_size),
		cmocka_unit_test(test_keys_picker_unknown_last),
		cmocka_unit_test_teardown(test_keys_picker_maps_counts, picker_tree_remove),
	};

	if (argc > 1 && !strcmp(argv[1], "--man")) {
		puts(".\\\" generated: build/tests/test_keys --man");
		vasx_actions_man(stdout);
		return 0;
	}
	return cmocka_run_group_tests_name("keys", tests, NULL, NULL);
}
