/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process picker: an htop-like list from the core's process list,
 * sortable by any column, filtered by name, pid or user.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>
#include "vasx/fmt.h"
#include "vasx/pidinfo.h"
#include "vasx/source.h"
#include "vasx/status.h"
#include "draw.h"

static const char *const pcol_titles[VASX_PC_COUNT] = {
	[VASX_PC_PID] = "PID", [VASX_PC_USER] = "USER", [VASX_PC_RSS] = "RSS",
	[VASX_PC_VSZ] = "VSZ", [VASX_PC_THR] = "THR", [VASX_PC_MAPS] = "MAPS",
	[VASX_PC_CMD] = "COMMAND",
};

const char *vasx_pcol_title(enum vasx_pcol c)
{
	return c < VASX_PC_COUNT ? pcol_titles[c] : "";
}

static const struct vasx_procinfo *sort_base;
static const int32_t *sort_maps;
static enum vasx_pcol sort_col;
static int sort_dir;

/* Lines of @f: one per mapping in maps. -errno when the read failed. */
static int32_t count_lines(FILE *f)
{
	static char buf[64 * 1024];
	int32_t n = 0;
	size_t got;

	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		for (const char *q = buf; (q = memchr(q, '\n', (size_t)(buf + got - q))); q++)
			n++;
	return ferror(f) ? -EIO : n;
}

/*
 * Mappings of one process, counted at most once per refresh of the list:
 * for the rows on screen, and (sorted by this column) for the rows without
 * a figure kept from an earlier refresh (see keep_counts()).
 */
static int32_t count_maps(struct vasx_ui *ui, size_t i)
{
	struct vasx_picker *p = &ui->picker;
	const struct vasx_procinfo *pi = &p->pl.v[i];
	struct vasx_stat st;
	FILE *f;
	int32_t n;

	if (!p->nmaps || !p->fresh)
		return -2;
	if (p->fresh[i])
		return p->nmaps[i];
	p->fresh[i] = true;
	if (pi->maps_err || pi->kernel_thread || vasx_source_fopen(ui->src, pi->pid, "maps", &f)) {
		p->nmaps[i] = -2;
		return -2;
	}
	n = count_lines(f);
	fclose(f);
	/* The row's process, not one that took its pid since the list was read. */
	if (n < 0 || vasx_pidinfo_load(ui->src, pi->pid, &st, NULL, NULL, NULL) ||
	    st.starttime != pi->start_time)
		n = -2;
	p->nmaps[i] = n;
	return n;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/*
 * No address space left but not a kernel thread: the process is exiting
 * (or a zombie), and its figures cannot be read, not zero.
 */
static bool proc_gone(const struct vasx_procinfo *pi)
{
	return !pi->kernel_thread && !pi->vsz_kb;
}

/* Is the figure of the sorted column known for @pi ("-" when it is not)? */
static bool sort_known(const struct vasx_procinfo *pi)
{
	switch (sort_col) {
	case VASX_PC_RSS:
	case VASX_PC_VSZ:
		return !proc_gone(pi);
	case VASX_PC_MAPS:
		return !proc_gone(pi) && sort_maps[pi - sort_base] >= 0;
	default:
		return true;
	}
}

static int cmp_proc(const void *pa, const void *pb)
{
	const struct vasx_procinfo *a = &sort_base[*(const size_t *)pa];
	const struct vasx_procinfo *b = &sort_base[*(const size_t *)pb];
	bool ka = sort_known(a), kb = sort_known(b);
	int c = 0;

	/* an unknown figure is no figure, not a small one: after all known, either way */
	if (ka != kb)
		return ka ? -1 : 1;
	if (!ka)
		return a->pid - b->pid;
	switch (sort_col) {
	case VASX_PC_USER:
		c = strcmp(a->user, b->user);
		break;
	case VASX_PC_RSS:
		c = cmp_u64(a->rss_kb, b->rss_kb);
		break;
	case VASX_PC_VSZ:
		c = cmp_u64(a->vsz_kb, b->vsz_kb);
		break;
	case VASX_PC_THR:
		c = a->threads - b->threads;
		break;
	case VASX_PC_MAPS:
		c = sort_maps[a - sort_base] - sort_maps[b - sort_base];
		break;
	case VASX_PC_CMD:
		c = strcmp(a->cmdline ? a->cmdline : a->comm, b->cmdline ? b->cmdline : b->comm);
		break;
	default:
		break;
	}
	if (!c)
		c = a->pid - b->pid;
	return c * sort_dir;
}

static bool filter_match(const struct vasx_procinfo *p, const char *f)
{
	char *end;
	long pid;

	if (!f[0])
		return true;
	pid = strtol(f, &end, 10);
	if (!*end && end != f)
		return p->pid == pid;
	return strcasestr(p->comm, f) || strcasestr(p->user, f) ||
	       (p->cmdline && strcasestr(p->cmdline, f));
}

/* 1 when @p lists A to Z or smallest first, -1 when largest first. */
static int sort_order(const struct vasx_picker *p)
{
	/* numbers read best largest first, names A to Z */
	int dir = (p->sort == VASX_PC_RSS || p->sort == VASX_PC_VSZ || p->sort == VASX_PC_THR ||
		   p->sort == VASX_PC_MAPS) ? -1 : 1;

	return p->invert ? -dir : dir;
}

static const struct vasx_procinfo *selected(const struct vasx_picker *p)
{
	return p->list.sel < p->nshown ? &p->pl.v[p->shown[p->list.sel]] : NULL;
}

/* The selected process, to keep selected across refreshes and sorts. */
static void remember_selected(struct vasx_picker *p)
{
	const struct vasx_procinfo *pi = selected(p);

	if (!pi)
		return;
	p->sel_pid = pi->pid;
	p->sel_start = pi->start_time;
}

/*
 * The row to select after the list changed, @sel the row selected before:
 * the selected process's, known by its pid and start time. When it is gone,
 * the row now in its place, as the rows below move up, unless that is a
 * newcomer that took its pid: the row that followed it then.
 */
static uint64_t follow_selected(const struct vasx_picker *p, uint64_t sel)
{
	size_t newcomer = p->nshown;

	for (size_t i = 0; i < p->nshown; i++) {
		const struct vasx_procinfo *pi = &p->pl.v[p->shown[i]];

		if (pi->pid != p->sel_pid)
			continue;
		if (pi->start_time == p->sel_start)
			return i;
		newcomer = i;
	}
	if (newcomer == p->nshown)
		return sel;
	/* the rows are as if the newcomer were not listed */
	if (newcomer <= sel)
		sel++;
	if (sel >= p->nshown)
		sel = p->nshown - 1;
	if (sel == newcomer && sel > 0)
		sel--;
	return sel;
}

/* Filter, sort, and keep the selection on the same process. */
void vasx_picker_apply(struct vasx_ui *ui)
{
	struct vasx_picker *p = &ui->picker;
	size_t n = 0;

	free(p->shown);
	p->shown = malloc((p->pl.n ? p->pl.n : 1) * sizeof(*p->shown));
	if (!p->shown) {
		p->nshown = 0;
		p->list.n = 0;
		return;
	}
	for (size_t i = 0; i < p->pl.n; i++)
		if (filter_match(&p->pl.v[i], p->filter))
			p->shown[n++] = i;
	if (p->sort == VASX_PC_MAPS && p->nmaps)
		for (size_t i = 0; i < n; i++)
			if (p->nmaps[p->shown[i]] == -1)
				count_maps(ui, p->shown[i]);
	sort_base = p->pl.v;
	sort_maps = p->nmaps;
	sort_col = p->sort == VASX_PC_MAPS && !p->nmaps ? VASX_PC_PID : p->sort;
	sort_dir = sort_order(p);
	qsort(p->shown, n, sizeof(*p->shown), cmp_proc);
	p->nshown = n;
	p->list.n = n;
	p->list.sel = follow_selected(p, p->list.sel);
	vasx_list_fix(&p->list);
}

/* Figures of mappings kept from one refresh of the list to the next */
#define MAPS_RECOUNT 64		/* about as many counted again per refresh */

struct kept_count {
	int pid;
	unsigned long long start;
	int32_t n;
};

static int cmp_kept(const void *a, const void *b)
{
	const struct kept_count *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/*
 * Sorted by MAPS, every row needs a figure at each refresh, and reading
 * every process's maps is most of the refresh (the kernel writes them out
 * line by line). A figure of the last refresh is kept for the same process
 * (pid and start time) to sort by; the rows on screen are counted again
 * when drawn, and the others about MAPS_RECOUNT a refresh, taking turns by
 * pid, so none is older than a few refreshes. A short list is counted
 * whole each time.
 */
static void keep_counts(struct vasx_picker *p, const struct vasx_proclist *old,
			const int32_t *old_n)
{
	size_t nk = 0, turns = (p->pl.n + MAPS_RECOUNT - 1) / MAPS_RECOUNT;
	struct kept_count *k, key = { 0 };

	p->serial++;
	if (!old_n || !old->n || turns < 2)
		return;
	k = malloc(old->n * sizeof(*k));
	if (!k)
		return;
	for (size_t i = 0; i < old->n; i++)
		if (old_n[i] >= 0)
			k[nk++] = (struct kept_count){ old->v[i].pid, old->v[i].start_time, old_n[i] };
	qsort(k, nk, sizeof(*k), cmp_kept);
	for (size_t i = 0; i < p->pl.n; i++) {
		const struct vasx_procinfo *pi = &p->pl.v[i];
		const struct kept_count *f;

		if ((unsigned)pi->pid % turns == p->serial % turns)
			continue;	/* its turn */
		key.pid = pi->pid;
		f = bsearch(&key, k, nk, sizeof(*k), cmp_kept);
		if (f && f->start == pi->start_time)
			p->nmaps[i] = f->n;
	}
	free(k);
}

int vasx_picker_load(struct vasx_ui *ui)
{
	struct vasx_picker *p = &ui->picker;
	struct vasx_proclist pl = { 0 }, old;
	int32_t *old_n;
	int err;

	err = vasx_proclist_load(ui->src, &pl);
	p->err = err;
	if (err)
		return err;
	remember_selected(p);
	old = p->pl;
	old_n = p->nmaps;
	p->pl = pl;
	free(p->fresh);
	p->nmaps = malloc((pl.n ? pl.n : 1) * sizeof(*p->nmaps));
	p->fresh = calloc(pl.n ? pl.n : 1, sizeof(*p->fresh));
	for (size_t i = 0; p->nmaps && i < pl.n; i++)
		p->nmaps[i] = -1;
	if (p->sort == VASX_PC_MAPS && p->nmaps)
		keep_counts(p, &old, old_n);
	vasx_proclist_release(&old);
	free(old_n);
	vasx_picker_apply(ui);
	return 0;
}

void vasx_picker_release(struct vasx_picker *p)
{
	vasx_proclist_release(&p->pl);
	free(p->shown);
	free(p->nmaps);
	free(p->fresh);
	p->nmaps = NULL;
	p->fresh = NULL;
	p->shown = NULL;
	p->nshown = 0;
}

static unsigned open_selected(struct vasx_ui *ui)
{
	const struct vasx_procinfo *pi = selected(&ui->picker);
	int err;

	if (!pi)
		return VASX_H_HANDLED;
	remember_selected(&ui->picker);
	err = vasx_vas_open(ui, pi->pid);
	/* The row's process ended and another took its pid since the list was read. */
	if (!err && ui->vas.starttime != pi->start_time) {
		vasx_vas_close(ui);
		ui->screen = VASX_SCR_PICKER;
		err = -VASX_E_PIDREUSED;
	}
	if (err == -ESRCH || err == -VASX_E_EXITED || err == -VASX_E_PIDREUSED) {
		vasx_ui_message(ui, VASX_E_WARN, "process %d exited%s since the list was read (F5 refreshes it)",
				pi->pid, err == -VASX_E_PIDREUSED ? " and its pid was reused" : "");
		return VASX_H_REDRAW;
	}
	if (err) {
		vasx_ui_message(ui, VASX_E_WARN, "process %d: %s%s", pi->pid, vasx_strerror(err),
				err == -EACCES || err == -EPERM ?
				" (run as its user or as root)" : "");
		return VASX_H_REDRAW;
	}
	ui->from_picker = true;
	ui->msg[0] = '\0';
	return VASX_H_REDRAW;
}

static unsigned set_sort(struct vasx_ui *ui, int dir)
{
	struct vasx_picker *p = &ui->picker;

	remember_selected(p);
	p->sort = (enum vasx_pcol)(((int)p->sort + (dir > 0 ? 1 : VASX_PC_COUNT - 1)) % VASX_PC_COUNT);
	vasx_picker_apply(ui);
	vasx_ui_message(ui, VASX_E_NORMAL, "sorted by %s", vasx_pcol_title(p->sort));
	return VASX_H_REDRAW;
}

unsigned vasx_picker_action(struct vasx_ui *ui, enum vasx_action a, int key)
{
	struct vasx_picker *p = &ui->picker;

	switch (a) {
	case VASX_A_UP:
		vasx_list_move(&p->list, -1);
		break;
	case VASX_A_DOWN:
		vasx_list_move(&p->list, 1);
		break;
	case VASX_A_PGUP:
		vasx_list_page(&p->list, -1);
		break;
	case VASX_A_PGDN:
		vasx_list_page(&p->list, 1);
		break;
	case VASX_A_HOME:
		vasx_list_home(&p->list);
		break;
	case VASX_A_END:
		vasx_list_end(&p->list);
		break;
	case VASX_A_OPEN:
		return open_selected(ui);
	case VASX_A_SORT:
		return set_sort(ui, 1);
	case VASX_A_SORT_PREV:
		return set_sort(ui, -1);
	case VASX_A_INVERT:
		p->invert = !p->invert;
		vasx_picker_apply(ui);
		break;
	case VASX_A_FILTER:
		ui->prompt.kind = VASX_PR_FILTER;
		snprintf(ui->prompt.buf, sizeof(ui->prompt.buf), "%s", p->filter);
		ui->prompt.len = strlen(ui->prompt.buf);
		break;
	case VASX_A_NONE:
		/* typing starts the filter, as in htop */
		if (key > 32 && key < 127 && isalnum(key)) {
			ui->prompt.kind = VASX_PR_FILTER;
			ui->prompt.buf[0] = (char)key;
			ui->prompt.buf[1] = '\0';
			ui->prompt.len = 1;
			snprintf(p->filter, sizeof(p->filter), "%s", ui->prompt.buf);
			vasx_picker_apply(ui);
			break;
		}
		return 0;
	case VASX_A_UNFILTER:
		if (!p->filter[0])
			return 0;
		p->filter[0] = '\0';
		vasx_picker_apply(ui);
		break;
	default:
		return 0;
	}
	remember_selected(p);
	return VASX_H_REDRAW;
}

/* ---- drawing ---- */

static const int col_w[VASX_PC_COUNT] = { 7, 10, 8, 8, 4, 6, 0 };

static void draw_header(struct vasx_ui *ui)
{
	struct vasx_picker *p = &ui->picker;
	int x = 0;

	vasx_draw_fill(1, 0, ui->cols, VASX_E_HEADER, " ");
	for (int c = 0; c < VASX_PC_COUNT; c++) {
		bool sorted = (enum vasx_pcol)c == p->sort;
		bool left = c == VASX_PC_USER || c == VASX_PC_CMD;
		char t[32];

		/* up: smallest or A first; down: largest first, whatever the column */
		bool up = sort_order(p) > 0;
		const char *arrow = !sorted ? "" : ui->utf8 ? (up ? "\u25b2" : "\u25bc")
							    : (up ? "^" : "v");

		snprintf(t, sizeof(t), "%s%s", vasx_pcol_title((enum vasx_pcol)c), arrow);
		if (!left)
			snprintf(t, sizeof(t), "%*s%s", col_w[c] - (int)!!sorted,
				 vasx_pcol_title((enum vasx_pcol)c), arrow);
		vasx_draw_str(1, x, ui->cols - x, sorted ? VASX_E_SELECTED : VASX_E_HEADER, t);
		x += col_w[c] + 1;
	}
}

static void size_kb(uint64_t kb, char *buf, size_t len)
{
	if (kb >= 10ull * 1024 * 1024)
		snprintf(buf, len, "%lluG", (unsigned long long)(kb >> 20));
	else if (kb >= 10 * 1024)
		snprintf(buf, len, "%lluM", (unsigned long long)(kb >> 10));
	else
		snprintf(buf, len, "%lluK", (unsigned long long)kb);
}

/* A command, escaped, ending in an ellipsis where it is cut. */
static void draw_command(int y, int x, int w, enum vasx_elem e, const char *raw)
{
	static char buf[4 * 4096 + 16];

	vasx_draw_cut(y, x, w, e, vasx_fmt_escape(raw, buf, sizeof(buf)));
}

static void draw_row(struct vasx_ui *ui, int y, size_t idx, bool sel)
{
	const struct vasx_procinfo *pi = &ui->picker.pl.v[idx];
	int32_t nmaps = count_maps(ui, idx);
	char maps[16];
	bool gone = proc_gone(pi);
	bool dim = pi->maps_err || pi->kernel_thread || gone;
	enum vasx_elem e = sel ? VASX_E_SELECTED : dim ? VASX_E_DIM : VASX_E_NORMAL;
	char buf[64], rss[16], vsz[16];
	int x;

	if (sel)
		vasx_draw_fill(y, 0, ui->cols, e, " ");
	size_kb(pi->rss_kb, rss, sizeof(rss));
	size_kb(pi->vsz_kb, vsz, sizeof(vsz));
	if (gone) {
		snprintf(rss, sizeof(rss), "-");
		snprintf(vsz, sizeof(vsz), "-");
		nmaps = -2;
	}
	snprintf(buf, sizeof(buf), "%*d ", col_w[VASX_PC_PID], pi->pid);
	x = vasx_draw_str(y, 0, ui->cols, e, buf);
	vasx_draw_name(y, x, col_w[VASX_PC_USER], e, pi->user);
	x += col_w[VASX_PC_USER] + 1;
	if (nmaps >= 0)
		snprintf(maps, sizeof(maps), "%d", nmaps);
	else
		snprintf(maps, sizeof(maps), "-");
	snprintf(buf, sizeof(buf), "%*s %*s %*d %*s ", col_w[VASX_PC_RSS], rss, col_w[VASX_PC_VSZ],
		 vsz, col_w[VASX_PC_THR], pi->threads, col_w[VASX_PC_MAPS], maps);
	x += vasx_draw_str(y, x, ui->cols - x, e, buf);
	if (dim) {
		snprintf(buf, sizeof(buf), "[%s] ", pi->kernel_thread ? "kernel thread, no user space" :
			 gone ? "exiting, no memory left" :
			 pi->maps_err == -EACCES || pi->maps_err == -EPERM ?
			 (geteuid() == 0 ? "no access: ptrace refused even to root" :
			  "no access: needs its owner or root") :
			 vasx_strerror(pi->maps_err));
		x += vasx_draw_cut(y, x, ui->cols - x, sel ? e : VASX_E_WARN, buf);
	}
	/* without its memory the command line is gone too: its name is left */
	draw_command(y, x, ui->cols - x, e,
		     !gone && pi->cmdline && pi->cmdline[0] ? pi->cmdline : pi->comm);
}

/*
 * The rows on screen show figures of this refresh. Sorted by MAPS, a kept
 * figure found out of date is sorted again, and the rows then on screen
 * are counted in turn (each process at most once a refresh).
 */
void vasx_picker_count_shown(struct vasx_ui *ui)
{
	struct vasx_picker *p = &ui->picker;
	bool moved = true;

	while (moved && p->nmaps) {
		moved = false;
		for (uint64_t r = 0; r < p->list.height && p->list.top + r < p->nshown; r++) {
			size_t i = p->shown[p->list.top + r];
			int32_t was = p->nmaps[i];

			moved |= count_maps(ui, i) != was && p->sort == VASX_PC_MAPS;
		}
		if (moved)
			vasx_picker_apply(ui);
	}
}

void vasx_picker_draw(struct vasx_ui *ui)
{
	struct vasx_picker *p = &ui->picker;
	char title[512];

	vasx_draw_fill(0, 0, ui->cols, VASX_E_TITLE, " ");
	snprintf(title, sizeof(title), " vasx  processes: %zu of %zu  sort: %s%s  filter: %s%s",
		 p->nshown, p->pl.n, vasx_pcol_title(p->sort), p->invert ? " (inverted)" : "",
		 p->filter[0] ? p->filter : "none",
		 ui->paused ? "  PAUSED" : "");
	vasx_draw_esc(0, 0, ui->cols, VASX_E_TITLE, title);
	draw_header(ui);
	p->list.height = (unsigned)(ui->rows - 4);
	vasx_list_fix(&p->list);
	vasx_picker_count_shown(ui);
	for (int r = 0; r < ui->rows - 4; r++) {
		uint64_t i = p->list.top + (uint64_t)r;

		if (i >= p->nshown)
			break;
		draw_row(ui, 2 + r, p->shown[i], i == p->list.sel);
	}
	if (!p->nshown)
		vasx_draw_str(3, 2, ui->cols - 2, VASX_E_DIM,
			      p->err ? vasx_strerror(p->err) : "no process matches the filter");
}
