/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_tui: the cost of one frame of the address-space view for a process
 * with 60,000 mappings, drawn into a terminal on /dev/null.
 *
 *   bench_tui [MAPPINGS] [FRAMES]
 *   bench_tui --picker [HELPERS] [ANON] [RUNS]
 *   bench_tui --idle [ANON] [RUNS]
 *
 * The snapshot is built by hand (vasx_snapshot_build), so the figure is the
 * drawing alone. Each frame first moves the selection (down, page down, a
 * jump), then draws everything and writes it out. Prints the median frame
 * time and its ratio to the 2 ms goal, at 80x24 and at 250x70, and how
 * many files the source opened while the selection moved (must be 0: moving
 * never reads /proc).
 *
 * With --picker: the cost of one refresh of the process list (the list
 * read, sorted and drawn) sorted by MAPS, as a ratio to the same sorted by
 * RSS, measured in turn in one run, with HELPERS (300) more processes of
 * the test helper ($TESTPROC, else build/tests/vasx-testproc), each with
 * ANON (0) more one-page mappings. Also checks that both show the same
 * figures for the same processes.
 *
 * With --idle: what one tick of the refresh timer costs the address-space
 * view of a helper with ANON (40000) mappings that do not change, at
 * 120x40: the snapshot read again and taken in (vasx_vas_reload), then the
 * frame drawn, and the frame's share of the whole.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <curses.h>
#include <sys/wait.h>

#include "vasx/source.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"
#include "draw.h"
#include "ui.h"

#define GOAL_MS 2.0
#define MAX_FRAMES 2000
#define BLOCK 5		/* refreshes in a row with one sort (--picker) */

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

/* ---- --picker ---- */

/*
 * @n helpers with @anon more mappings each, their stdin one pipe whose end
 * is *@hold: they end when it closes. Returns 0 when all said "ready".
 */
static int start_helpers(const char *prog, int n, const char *anon, int *hold, pid_t *pids)
{
	int in[2], out[2], ready = 0;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	if (pipe(in) || pipe(out))
		return -1;
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return -1;
		if (!pids[i]) {
			dup2(in[0], STDIN_FILENO);
			dup2(out[1], STDOUT_FILENO);
			close(in[0]), close(in[1]), close(out[0]), close(out[1]);
			execl(prog, prog, "--seconds", "600", "--anon", anon, (char *)NULL);
			_exit(127);
		}
	}
	close(in[0]);
	close(out[1]);
	*hold = in[1];
	f = fdopen(out[0], "r");
	while (f && ready < n && getline(&line, &cap, f) > 0)
		ready += !strcmp(line, "ready\n");
	free(line);
	if (f)
		fclose(f);
	else
		close(out[0]);
	return ready == n ? 0 : -1;
}

static void stop_helpers(int hold, const pid_t *pids, int n)
{
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	if (hold >= 0)
		close(hold);
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
}

/* One refresh of the list sorted by @col: read, sort, draw. In ms. */
static double picker_refresh(struct vasx_ui *ui, enum vasx_pcol col)
{
	double t0 = now_ms();

	ui->picker.sort = col;
	if (vasx_picker_load(ui))
		return -1;
	vasx_ui_draw(ui);
	return now_ms() - t0;
}

/* Helpers whose mappings the list counted and /proc says otherwise. */
static int picker_wrong_counts(const struct vasx_ui *ui)
{
	const struct vasx_picker *p = &ui->picker;
	int wrong = 0;

	for (size_t i = 0; p->nmaps && i < p->pl.n; i++) {
		char path[64], line[4096];
		int32_t lines = 0;
		FILE *f;

		if (p->nmaps[i] < 0 || strcmp(p->pl.v[i].comm, "vasx-testproc"))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/maps", p->pl.v[i].pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			lines += !!strchr(line, '\n');
		fclose(f);
		wrong += lines != p->nmaps[i];
	}
	return wrong;
}

static int bench_picker(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 300, runs = argc > 4 ? atoi(argv[4]) : 20;
	const char *anon = argc > 3 ? argv[3] : "0";
	const char *prog = getenv("TESTPROC") ? getenv("TESTPROC") : "build/tests/vasx-testproc";
	struct vasx_tui_opts opts = { .color = true, .delay = 1.0 };
	static double t_rss[MAX_FRAMES], t_maps[MAX_FRAMES];
	struct vasx_source *src;
	struct vasx_ui ui;
	pid_t *pids = calloc((size_t)(n > 0 ? n : 1), sizeof(*pids));
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	int hold = -1, wrong, rc = 0;
	double rss, maps;

	if (n < 0 || runs < 1 || runs > MAX_FRAMES)
		runs = 20;
	if (!pids || !out || !in || vasx_source_open_live(&src))
		return 1;
	if (start_helpers(prog, n, anon, &hold, pids)) {
		fprintf(stderr, "bench_tui: %d helpers (%s) did not all start\n", n, prog);
		stop_helpers(hold, pids, n);
		return 1;
	}
	setenv("TERM", "xterm-256color", 1);
	vasx_ui_init(&ui, src, &opts);
	if (vasx_display_open(&ui, out, in)) {
		stop_helpers(hold, pids, n);
		return 1;
	}
	resize_term(24, 80);
	vasx_ui_resize(&ui, 24, 80);
	ui.screen = VASX_SCR_PICKER;
	/*
	 * In blocks, one sort after the other, as the list refreshes while a
	 * person looks at it; the first refresh of a block, the one that
	 * changed the sort, is not counted.
	 */
	for (int i = 0; i < runs; i += BLOCK) {
		for (int k = 0; k <= BLOCK; k++) {
			double t = picker_refresh(&ui, VASX_PC_RSS);

			if (k && i + k - 1 < runs)
				t_rss[i + k - 1] = t;
		}
		for (int k = 0; k <= BLOCK; k++) {
			double t = picker_refresh(&ui, VASX_PC_MAPS);

			if (k && i + k - 1 < runs)
				t_maps[i + k - 1] = t;
		}
	}
	wrong = picker_wrong_counts(&ui);
	vasx_display_close();
	qsort(t_rss, (size_t)runs, sizeof(double), cmp_double);
	qsort(t_maps, (size_t)runs, sizeof(double), cmp_double);
	rss = t_rss[runs / 2];
	maps = t_maps[runs / 2];
	printf("process list: %zu processes (%d helpers, --anon %s), median of %d refreshes\n",
	       ui.picker.pl.n, n, anon, runs);
	printf("refresh sorted by MAPS / by RSS: %.2f x (%.2f ms / %.2f ms)\n", maps / rss, maps, rss);
	printf("helpers whose mappings were miscounted: %d (must be 0)\n", wrong);
	if (wrong || rss < 0 || maps < 0)
		rc = 1;
	vasx_ui_release(&ui);
	vasx_source_close(src);
	stop_helpers(hold, pids, n);
	free(pids);
	fclose(out);
	fclose(in);
	return rc;
}

static int bench_idle(int argc, char **argv)
{
	const char *anon = argc > 2 ? argv[2] : "40000";
	int runs = argc > 3 ? atoi(argv[3]) : 20, hold = -1, rc = 1;
	const char *prog = getenv("TESTPROC") ? getenv("TESTPROC") : "build/tests/vasx-testproc";
	struct vasx_tui_opts opts = { .color = true, .delay = 0.1 };
	static double t_reload[MAX_FRAMES], t_draw[MAX_FRAMES];
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	struct vasx_source *src;
	struct vasx_ui ui;
	pid_t helper = 0;
	double reload, draw;

	if (runs < 1 || runs > MAX_FRAMES)
		runs = 20;
	if (!out || !in || vasx_source_open_live(&src))
		return 1;
	if (start_helpers(prog, 1, anon, &hold, &helper)) {
		fprintf(stderr, "bench_tui: the helper (%s --anon %s) did not start\n", prog, anon);
		stop_helpers(hold, &helper, 1);
		return 1;
	}
	setenv("TERM", "xterm-256color", 1);
	vasx_ui_init(&ui, src, &opts);
	if (vasx_display_open(&ui, out, in))
		goto out;
	resize_term(40, 120);
	vasx_ui_resize(&ui, 40, 120);
	if (vasx_vas_open(&ui, helper)) {
		vasx_display_close();
		goto out;
	}
	vasx_ui_draw(&ui);
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms();

		if (vasx_vas_reload(&ui))
			break;
		t_reload[i] = now_ms() - t0;
		t0 = now_ms();
		vasx_ui_draw(&ui);
		t_draw[i] = now_ms() - t0;
		rc = i + 1 < runs;
	}
	vasx_display_close();
	if (rc) {
		fprintf(stderr, "bench_tui: the helper could not be read again\n");
		goto out;
	}
	qsort(t_reload, (size_t)runs, sizeof(double), cmp_double);
	qsort(t_draw, (size_t)runs, sizeof(double), cmp_double);
	reload = t_reload[runs / 2];
	draw = t_draw[runs / 2];
	printf("idle tick, %zu mappings at 120x40, median of %d: reload %.2f ms, frame %.3f ms\n",
	       ui.vas.snap ? ui.vas.snap->totals.map_count : 0, runs, reload, draw);
	printf("frame / (reload + frame): %.4f\n", draw / (reload + draw));
out:
	vasx_ui_release(&ui);
	vasx_source_close(src);
	stop_helpers(hold, &helper, 1);
	fclose(out);
	fclose(in);
	return rc;
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

	if (argc > 1 && !strcmp(argv[1], "--picker"))
		return bench_picker(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "--idle"))
		return bench_idle(argc, argv);
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
