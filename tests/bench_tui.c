/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_tui: the cost of one frame of the address-space view for a process
 * with 60,000 mappings, drawn into a terminal on /dev/null.
 *
 *   bench_tui [MAPPINGS] [FRAMES]
 *
 * The snapshot is built by hand (vasx_snapshot_build), so the figure is the
 * drawing alone. Each frame first moves the selection (down, page down, a
 * jump), then draws everything and writes it out. Prints the median frame
 * time and its ratio to the 2 ms goal, at 80x24 and at 250x70, and how
 * many files the source opened while the selection moved (must be 0: moving
 * never reads /proc).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curses.h>

#include "vasx/source.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"
#include "draw.h"
#include "ui.h"

#define GOAL_MS 2.0
#define MAX_FRAMES 2000

static unsigned long opens;

static void count_open(void *ctx, const char *what, int err, double ms)
{
	(void)ctx, (void)what, (void)err, (void)ms;
	opens++;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Mappings side by side, rw- and r-- in turn (as the test helper makes them). */
static struct vasx_snapshot *build(size_t n)
{
	struct vasx_snapshot *s = calloc(1, sizeof(*s));
	struct vasx_region *maps = calloc(n, sizeof(*maps));
	uint64_t base = 0x7f0000000000ull;

	if (!s || !maps)
		return NULL;
	s->pid = 1;
	s->va_bits = 47;
	s->pool = vasx_strpool_new();
	s->smaps = calloc(n, sizeof(*s->smaps));
	s->nsmaps = n;
	snprintf(s->stat.comm, sizeof(s->stat.comm), "bench");
	for (size_t i = 0; i < n; i++) {
		struct vasx_region *r = &maps[i];

		r->start = base + i * 4096;
		r->last = r->start + 4095;
		r->perms = (uint8_t)(i % 2 ? VASX_P_READ : VASX_P_READ | VASX_P_WRITE);
		r->flags = VASX_F_MAPPING;
		r->smaps = (uint32_t)i;
		r->name = i % 100 ? NULL : "/usr/lib/x86_64-linux-gnu/libbench.so.1";
		s->smaps[i].v[VASX_SM_SIZE] = 4;
		s->smaps[i].v[VASX_SM_RSS] = i % 3 ? 4 : 0;
		s->smaps[i].present = (1u << VASX_SM_SIZE) | (1u << VASX_SM_RSS);
		s->smaps[i].vmflags = "rd wr mr mw me ac";
	}
	if (vasx_snapshot_build(s, maps, n)) {
		free(maps);
		vasx_snapshot_free(s);
		return NULL;
	}
	free(maps);
	return s;
}

static void one_move(struct vasx_ui *ui, int i)
{
	static const enum vasx_action moves[] = {
		VASX_A_DOWN, VASX_A_DOWN, VASX_A_PGDN, VASX_A_UP, VASX_A_PGUP, VASX_A_DOWN,
	};

	if (i % 50 == 49)
		vasx_vas_goto(ui, 0x7f0000000000ull + (uint64_t)(rand() % 60000) * 4096);
	else
		vasx_ui_action(ui, moves[i % 6], 0);
}

static double run(struct vasx_ui *ui, int rows, int cols, int frames)
{
	static double t[MAX_FRAMES];

	resize_term(rows, cols);
	vasx_ui_resize(ui, rows, cols);
	vasx_ui_draw(ui);
	for (int i = 0; i < frames; i++) {
		double t0;

		one_move(ui, i);
		t0 = now_ms();
		vasx_ui_draw(ui);
		t[i] = now_ms() - t0;
	}
	qsort(t, (size_t)frames, sizeof(t[0]), cmp_double);
	return t[frames / 2];
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 60000;
	int frames = argc > 2 ? atoi(argv[2]) : 500;
	struct vasx_tui_opts opts = { .color = true, .delay = 1.0 };
	struct vasx_source *src;
	struct vasx_snapshot *snap;
	struct vasx_ui ui;
	FILE *out, *in;
	double t0, build_ms, small, big;
	unsigned long before;

	if (frames < 1 || frames > MAX_FRAMES)
		frames = 500;
	if (vasx_source_open_live(&src)) {
		fprintf(stderr, "bench_tui: no live source\n");
		return 1;
	}
	src->trace = count_open;
	t0 = now_ms();
	snap = build(n);
	build_ms = now_ms() - t0;
	if (!snap) {
		fprintf(stderr, "bench_tui: cannot build a snapshot of %zu mappings\n", n);
		return 1;
	}
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	setenv("TERM", "xterm-256color", 1);
	vasx_ui_init(&ui, src, &opts);
	ui.utf8 = true;
	if (!out || !in || vasx_display_open(&ui, out, in)) {
		fprintf(stderr, "bench_tui: cannot start curses on /dev/null\n");
		return 1;
	}
	t0 = now_ms();
	vasx_vas_show(&ui, snap);
	build_ms += now_ms() - t0;
	before = opens;
	small = run(&ui, 24, 80, frames);
	big = run(&ui, 70, 250, frames);
	vasx_display_close();
	printf("snapshot: %zu mappings, %zu regions (built and laid out in %.1f ms)\n", n,
	       ui.vas.snap->nregions, build_ms);
	printf("frame  80x24: median %.3f ms = %.2f x the %.0f ms goal\n", small, small / GOAL_MS,
	       GOAL_MS);
	printf("frame 250x70: median %.3f ms = %.2f x the %.0f ms goal\n", big, big / GOAL_MS,
	       GOAL_MS);
	printf("files read during %d selection moves and frames: %lu (must be 0)\n", 2 * frames,
	       opens - before);
	vasx_ui_release(&ui);
	vasx_source_close(src);
	fclose(out);
	fclose(in);
	return opens - before ? 1 : 0;
}
