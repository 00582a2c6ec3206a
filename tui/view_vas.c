/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The address-space view's state and keys: the column of regions, zoom
 * down to pages, jump, locate, search, panes, and taking a new snapshot
 * while keeping the selection. No curses here (see vas_draw.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vasx/diff.h"
#include "vasx/fmt.h"
#include "vasx/status.h"
#include "ui.h"

#define PAGE_SIZE_DEFAULT 4096u
#define MAX_PAGES_ON_SCREEN (1u << 18)

static uint64_t page_size(void)
{
	static uint64_t ps;

	if (!ps) {
		long v = sysconf(_SC_PAGESIZE);

		ps = v > 0 ? (uint64_t)v : PAGE_SIZE_DEFAULT;
	}
	return ps;
}

static struct vasx_zoom *zoom_top(struct vasx_vas *v)
{
	return v->zdepth ? &v->zoom[v->zdepth - 1] : NULL;
}

/* The list keys act on: the column's, or the innermost zoom's. */
static struct vasx_list *column_list(struct vasx_vas *v)
{
	return v->zdepth ? &v->zoom[v->zdepth - 1].list : &v->list;
}

size_t vasx_vas_item_region(const struct vasx_vas *v, uint64_t item)
{
	return item < v->cs.n ? v->cs.v[item].region : 0;
}

const struct vasx_region *vasx_vas_selected(const struct vasx_ui *ui)
{
	const struct vasx_vas *v = &ui->vas;
	uint64_t lo, hi;

	if (!v->snap || !v->cs.n)
		return NULL;
	if (!v->zdepth)
		return &v->snap->regions[vasx_vas_item_region(v, v->list.sel)];
	vasx_zoom_row_range(v->zoom[v->zdepth - 1].start, v->zoom[v->zdepth - 1].last,
			    v->zoom[v->zdepth - 1].gran, v->zoom[v->zdepth - 1].list.sel, &lo, &hi);
	return vasx_snapshot_lookup(v->snap, lo);
}

/* Which snapshot parts the panes on screen need. */
static unsigned load_what(const struct vasx_ui *ui)
{
	unsigned what = VASX_LOAD_THREADS | VASX_LOAD_KTASKS;
	struct vasx_geom g;

	if (!ui->opts.only_user)
		what |= VASX_LOAD_KERNEL;
	vasx_geom_compute(ui, &g);
	if (g.pane[VASX_PANE_DETAILS].w || g.pane[VASX_PANE_LOG].w)
		what |= VASX_LOAD_SMAPS;
	if (g.pane[VASX_PANE_STATS].w)
		what |= VASX_LOAD_ROLLUP;
	return what;
}

void vasx_vas_layout(struct vasx_ui *ui)
{
	struct vasx_vas *v = &ui->vas;
	struct vasx_geom g;
	struct vasx_colscale_opts o = {
		.linear = v->linear,
		.only_user = ui->opts.only_user,
		.only_kernel = ui->opts.only_kernel,
	};
	unsigned h;

	vasx_geom_compute(ui, &g);
	h = g.pane[VASX_PANE_COLUMN].h > 1 ? (unsigned)g.pane[VASX_PANE_COLUMN].h - 1 : 1;
	o.height = h;
	if (v->snap && vasx_colscale_build(&v->cs, v->snap->regions, v->snap->nregions, &o))
		vasx_ui_message(ui, VASX_E_WARN, "out of memory laying out the column");
	v->list.n = v->cs.n;
	v->list.ypos = v->cs.ypos;
	v->list.height = h;
	vasx_list_fix(&v->list);
	for (int i = 0; i < v->zdepth; i++) {
		v->zoom[i].list.height = h;
		vasx_list_fix(&v->zoom[i].list);
	}
	v->dlist.height = g.pane[VASX_PANE_DETAILS].h > 1 ? (unsigned)g.pane[VASX_PANE_DETAILS].h - 1 : 1;
	v->slist.height = g.pane[VASX_PANE_STATS].h > 1 ? (unsigned)g.pane[VASX_PANE_STATS].h - 1 : 1;
	v->llist.height = g.pane[VASX_PANE_LOG].h > 1 ? (unsigned)g.pane[VASX_PANE_LOG].h - 1 : 1;
	v->details_key = 0;
}

static void select_item(struct vasx_vas *v, uint64_t item, bool center)
{
	vasx_list_select(&v->list, item);
	if (center && v->list.height > 4) {
		uint64_t y = vasx_list_y(&v->list, item);

		v->list.top = y > v->list.height / 3 ? y - v->list.height / 3 : 0;
		vasx_list_fix(&v->list);
	}
}

/* The item of the region holding @addr (deepest shown), or cs.n. */
static uint64_t item_of_addr(const struct vasx_vas *v, uint64_t addr)
{
	const struct vasx_region *r = vasx_snapshot_lookup(v->snap, addr);
	size_t idx;

	if (!r)
		return v->cs.n;
	idx = (size_t)(r - v->snap->regions);
	while (v->cs.item_of[idx] == UINT32_MAX && idx > 0 && v->snap->regions[idx].depth)
		idx--;	/* a nested region not shown: its parent */
	return v->cs.item_of[idx] == UINT32_MAX ? v->cs.n : v->cs.item_of[idx];
}

/* First view of a process: the main stack, else the highest user mapping. */
static void select_initial(struct vasx_vas *v)
{
	uint64_t best = v->cs.n;

	for (uint64_t i = 0; i < v->cs.n; i++) {
		const struct vasx_region *r = &v->snap->regions[v->cs.v[i].region];

		if (r->kind == VASX_KIND_STACK) {
			best = i;
			break;
		}
		if (best == v->cs.n && (r->flags & VASX_F_MAPPING) && r->space == VASX_SPACE_USER)
			best = i;
	}
	select_item(v, best < v->cs.n ? best : 0, true);
}

void vasx_vas_show(struct vasx_ui *ui, struct vasx_snapshot *snap)
{
	struct vasx_vas *v = &ui->vas;

	vasx_vas_close(ui);
	v->pid = snap->pid;
	v->starttime = snap->stat.starttime;
	v->snap = snap;
	v->snap_time = time(NULL);
	v->generation++;
	v->linear = ui->opts.linear;
	v->focus = VASX_PANE_COLUMN;
	v->side = VASX_PANE_DETAILS;
	vasx_vas_layout(ui);
	select_initial(v);
	ui->screen = VASX_SCR_VAS;
}

int vasx_vas_open(struct vasx_ui *ui, int pid)
{
	struct vasx_snapshot *snap = NULL;
	int err;

	err = vasx_snapshot_load(ui->src, pid, load_what(ui), &snap);
	if (err)
		return err;
	vasx_vas_show(ui, snap);
	return 0;
}

void vasx_vas_close(struct vasx_ui *ui)
{
	struct vasx_vas *v = &ui->vas;
	unsigned gen = v->generation;

	if (v->base && v->base != v->snap)
		vasx_snapshot_free(v->base);
	vasx_snapshot_free(v->snap);
	vasx_colscale_release(&v->cs);
	vasx_lines_release(&v->details);
	vasx_lines_release(&v->stats);
	if (v->have_regex)
		regfree(&v->sre);
	free(v->pages);
	vasx_changes_release(v);
	memset(v, 0, sizeof(*v));
	v->generation = gen;
}

/* Keep the selection on the same region (start and name), else its nearest neighbour. */
static void reselect(struct vasx_vas *v, uint64_t start, const char *name)
{
	uint64_t item = item_of_addr(v, start);

	if (item < v->cs.n) {
		const struct vasx_region *r = &v->snap->regions[v->cs.v[item].region];
		bool same = r->start == start &&
			    ((!r->name && !name) || (r->name && name && !strcmp(r->name, name)));

		if (!same && r->kind == VASX_KIND_GAP && item + 1 < v->cs.n)
			item++;	/* it vanished: the neighbour below */
	}
	vasx_list_select(&v->list, item < v->cs.n ? item : 0);
}

void vasx_vas_set_snapshot(struct vasx_ui *ui, struct vasx_snapshot *snap)
{
	struct vasx_vas *v = &ui->vas;
	struct vasx_snapshot *old = v->snap;
	const struct vasx_region *sel = vasx_vas_selected(ui);
	uint64_t sel_start = sel ? sel->start : 0;
	char sel_name[256] = "";
	bool had_name = sel && sel->name;
	uint64_t top = v->list.top;

	if (had_name)
		snprintf(sel_name, sizeof(sel_name), "%s", sel->name);
	if (v->zdepth)
		sel_start = v->snap->regions[vasx_vas_item_region(v, v->list.sel)].start;
	v->snap = snap;
	v->snap_time = time(NULL);
	v->generation++;
	vasx_changes_apply(ui, old, snap, true);
	vasx_vas_layout(ui);
	reselect(v, sel_start, had_name ? sel_name : NULL);
	v->list.top = top;
	vasx_list_fix(&v->list);
	if (old != v->base)
		vasx_snapshot_free(old);
}

static void mark_exited(struct vasx_ui *ui, int err)
{
	struct vasx_vas *v = &ui->vas;
	char when[16];
	struct tm tm;

	v->exited = true;
	v->load_err = err;
	localtime_r(&v->snap_time, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	snprintf(v->notice, sizeof(v->notice), "%s: last snapshot, %s",
		 err == -VASX_E_PIDREUSED ? "EXITED, pid reused" : "EXITED", when);
	vasx_ui_message(ui, VASX_E_NOTICE, "process %d: %s; refreshing stopped", v->pid,
			vasx_strerror(err));
}

int vasx_vas_reload(struct vasx_ui *ui)
{
	struct vasx_vas *v = &ui->vas;
	struct vasx_snapshot *snap = NULL;
	int err;

	if (!v->snap || v->exited)
		return 0;
	err = vasx_snapshot_load(ui->src, v->pid, load_what(ui), &snap);
	if (!err && snap->stat.starttime != v->starttime) {
		vasx_snapshot_free(snap);
		err = -VASX_E_PIDREUSED;
	}
	if (err == -ESRCH || err == -ENOENT || err == -VASX_E_EXITED || err == -VASX_E_PIDREUSED) {
		mark_exited(ui, err == -VASX_E_PIDREUSED ? err : -VASX_E_EXITED);
		return err;
	}
	if (err) {
		vasx_ui_message(ui, VASX_E_WARN, "reading process %d: %s", v->pid, vasx_strerror(err));
		return err;
	}
	vasx_vas_set_snapshot(ui, snap);
	return 0;
}

/* ---- zoom ---- */

static void zoom_push(struct vasx_ui *ui, uint64_t start, uint64_t last, uint64_t focus_addr)
{
	struct vasx_vas *v = &ui->vas;
	struct vasx_zoom *z;

	if (v->zdepth == VASX_ZOOM_MAX) {
		vasx_ui_message(ui, VASX_E_WARN, "zoomed in too deep: Backspace zooms out");
		return;
	}
	z = &v->zoom[v->zdepth++];
	z->start = start;
	z->last = last;
	z->list.height = v->list.height;
	z->list.ypos = NULL;
	z->gran = vasx_zoom_gran(start, last, z->list.height, page_size());
	z->list.n = vasx_zoom_rows(start, last, z->gran);
	z->list.top = 0;
	vasx_list_select(&z->list, vasx_zoom_row_of(start, last, z->gran, focus_addr));
	v->pg_valid = false;
}

static void zoom_regran(struct vasx_ui *ui, struct vasx_zoom *z, uint64_t gran)
{
	uint64_t lo, hi;

	vasx_zoom_row_range(z->start, z->last, z->gran, z->list.sel, &lo, &hi);
	z->gran = gran;
	z->list.n = vasx_zoom_rows(z->start, z->last, gran);
	vasx_list_select(&z->list, vasx_zoom_row_of(z->start, z->last, gran, lo));
	ui->vas.pg_valid = false;
}

static unsigned zoom_in(struct vasx_ui *ui)
{
	struct vasx_vas *v = &ui->vas;
	struct vasx_zoom *z = zoom_top(v);
	uint64_t lo, hi;

	if (!v->snap)
		return 0;
	if (!z) {
		const struct vasx_region *r = vasx_vas_selected(ui);

		if (!r)
			return VASX_H_HANDLED;
		zoom_push(ui, r->start, r->last,
			  v->jumped && vasx_region_contains(r, v->jump_addr) ? v->jump_addr : r->last);
		return VASX_H_REDRAW;
	}
	vasx_zoom_row_range(z->start, z->last, z->gran, z->list.sel, &lo, &hi);
	if (hi - lo + 1 <= page_size()) {
		vasx_ui_message(ui, VASX_E_NORMAL, "page level: each row is one page");
		return VASX_H_REDRAW;
	}
	/* deeper too, the row of a jump stays selected */
	zoom_push(ui, lo, hi, v->jumped && v->jump_addr >= lo && v->jump_addr <= hi ? v->jump_addr : hi);
	return VASX_H_REDRAW;
}

static unsigned zoom_step(struct vasx_ui *ui, int dir)
{
	struct vasx_vas *v = &ui->vas;
	struct vasx_zoom *z = zoom_top(v);

	if (!z)
		return dir > 0 ? zoom_in(ui) : VASX_H_HANDLED;
	if (dir > 0) {
		if (z->gran <= page_size()) {
			vasx_ui_message(ui, VASX_E_NORMAL, "page level: each row is one page");
			return VASX_H_REDRAW;
		}
		zoom_regran(ui, z, z->gran / 2);
	} else if (z->gran >= (1ull << 62) || (z->last - z->start) / z->gran < 1) {
		v->zdepth--;
	} else {
		zoom_regran(ui, z, z->gran * 2);
		if (z->list.n <= 1)
			v->zdepth--;
	}
	v->pg_valid = false;
	return VASX_H_REDRAW;
}

/* The process list again; what was said about this process is no longer news. */
static unsigned to_picker(struct vasx_ui *ui)
{
	ui->screen = VASX_SCR_PICKER;
	ui->from_picker = true;
	ui->msg[0] = '\0';
	return VASX_H_REDRAW | VASX_H_RELOAD;
}

static unsigned zoom_out(struct vasx_ui *ui)
{
	struct vasx_vas *v = &ui->vas;

	if (v->zdepth) {
		v->zdepth--;
		v->pg_valid = false;
		return VASX_H_REDRAW;
	}
	if (v->jumped || v->locating) {
		v->jumped = v->locating = false;
		return VASX_H_REDRAW;
	}
	if (ui->from_picker)
		return to_picker(ui);
	vasx_ui_message(ui, VASX_E_NORMAL, "the whole address space is shown; q quits");
	return VASX_H_REDRAW;
}

/* ---- jump, locate, search ---- */

int vasx_vas_goto(struct vasx_ui *ui, uint64_t addr)
{
	struct vasx_vas *v = &ui->vas;
	struct vasx_zoom *z = zoom_top(v);
	uint64_t item;

	if (!v->snap)
		return -VASX_E_BADADDR;
	if (z && addr >= z->start && addr <= z->last) {
		vasx_list_select(&z->list, vasx_zoom_row_of(z->start, z->last, z->gran, addr));
		v->pg_valid = false;
		return 0;
	}
	item = item_of_addr(v, addr);
	if (item >= v->cs.n)
		return -VASX_E_BADADDR;
	v->zdepth = 0;
	select_item(v, item, true);
	return 0;
}

static void jump(struct vasx_ui *ui, const char *text)
{
	struct vasx_vas *v = &ui->vas;
	const struct vasx_region *r;
	uint64_t addr;
	char a[24], off[24];

	if (vasx_parse_addr(text, 1, &addr)) {
		vasx_ui_message(ui, VASX_E_WARN, "not an address: write hex (0x optional) or #decimal");
		return;
	}
	if (vasx_vas_goto(ui, addr)) {
		vasx_ui_message(ui, VASX_E_WARN, "%s is not in the part of the address space shown",
				vasx_fmt_addr(addr, a, sizeof(a)));
		return;
	}
	v->jumped = true;
	v->jump_addr = addr;
	r = vasx_snapshot_lookup(v->snap, addr);
	snprintf(off, sizeof(off), "0x%llx", (unsigned long long)(addr - r->start));
	vasx_ui_message(ui, VASX_E_NORMAL, "%s is %s into this %s", vasx_fmt_addr(addr, a, sizeof(a)),
			off, vasx_kind_name((enum vasx_kind)r->kind));
	v->details_key = 0;
}

static void locate(struct vasx_ui *ui, const char *text)
{
	struct vasx_vas *v = &ui->vas;
	char addr_s[64], len_s[64];
	uint64_t addr, len;
	size_t count = 0;

	if (sscanf(text, "%63s %63s", addr_s, len_s) != 2 || vasx_parse_addr(addr_s, 1, &addr) ||
	    vasx_parse_addr(len_s, 1, &len) || !len || addr + (len - 1) < addr) {
		vasx_ui_message(ui, VASX_E_WARN, "write ADDRESS LENGTH, e.g. 7f0000001000 0x2000");
		return;
	}
	v->locating = true;
	v->loc_start = addr;
	v->loc_last = addr + (len - 1);
	for (size_t i = 0; i < v->cs.n; i++) {
		const struct vasx_region *r = &v->snap->regions[v->cs.v[i].region];

		count += r->start <= v->loc_last && r->last >= v->loc_start;
	}
	vasx_vas_goto(ui, addr);
	vasx_ui_message(ui, VASX_E_NORMAL, "%zu region%s the range (marked *); Esc clears",
			count, count == 1 ? " overlaps" : "s overlap");
}

static int parse_perms(const char *s, unsigned *perms, unsigned *mask)
{
	static const char want[4] = { 'r', 'w', 'x', 'p' };
	size_t n = strlen(s);

	if (n < 3 || n > 4)
		return -1;
	*perms = *mask = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned bit = i < 3 ? 1u << i : VASX_P_SHARED;

		if (s[i] == want[i] || (i == 3 && s[i] == 's')) {
			*mask |= bit;
			*perms |= i == 3 ? (s[i] == 's' ? bit : 0) : bit;
		} else if (s[i] == '-') {
			*mask |= bit;
		} else if (s[i] != '?' && s[i] != '.') {
			return -1;
		}
	}
	return 0;
}

static int search_set(struct vasx_vas *v, const char *text)
{
	const char *pat = text;

	if (v->have_regex)
		regfree(&v->sre);
	v->have_regex = false;
	snprintf(v->spat, sizeof(v->spat), "%s", text);
	if (!strncmp(text, "kind:", 5) || vasx_kind_from_name(text) >= 0) {
		pat = !strncmp(text, "kind:", 5) ? text + 5 : text;
		v->skind = VASX_SK_KIND;
		v->skindval = vasx_kind_from_name(pat);
		return v->skindval < 0 ? -VASX_E_MALFORMED : 0;
	}
	if (!strncmp(text, "perm:", 5) || !parse_perms(text, &v->sperms, &v->sperms_mask)) {
		v->skind = VASX_SK_PERMS;
		return parse_perms(!strncmp(text, "perm:", 5) ? text + 5 : text, &v->sperms,
				   &v->sperms_mask) ? -VASX_E_MALFORMED : 0;
	}
	if (!strncmp(text, "re:", 3)) {
		v->skind = VASX_SK_REGEX;
		if (regcomp(&v->sre, text + 3, REG_EXTENDED | REG_NOSUB))
			return -VASX_E_BADREGEX;
		v->have_regex = true;
		return 0;
	}
	v->skind = VASX_SK_NAME;
	if (!strncmp(text, "name:", 5))
		memmove(v->spat, v->spat + 5, strlen(v->spat + 5) + 1);
	return 0;
}

bool vasx_vas_match(const struct vasx_vas *v, const struct vasx_region *r)
{
	if (!v->spat[0])
		return false;
	switch (v->skind) {
	case VASX_SK_KIND:
		/* "heap" also finds a mapping named [heap] the classifier did not call heap */
		return r->kind == v->skindval ||
		       (v->skindval == VASX_KIND_STACK && r->kind == VASX_KIND_THREAD_STACK) ||
		       (r->name && (r->flags & VASX_F_MAPPING) &&
			strstr(r->name, vasx_kind_name((enum vasx_kind)v->skindval)));
	case VASX_SK_PERMS:
		return (r->flags & VASX_F_MAPPING) && (r->perms & v->sperms_mask) == v->sperms;
	case VASX_SK_REGEX:
		return v->have_regex && r->name && !regexec(&v->sre, r->name, 0, NULL, 0);
	case VASX_SK_NAME:
		return r->name && strstr(r->name, v->spat);
	}
	return false;
}

/*
 * The next match from the selection in direction @dir (+1 down the column,
 * -1 up), the selection itself first when @here. "wrapped" only when the
 * search went past an end of the column to find it.
 */
static unsigned search_from(struct vasx_ui *ui, int dir, bool here)
{
	struct vasx_vas *v = &ui->vas;
	uint64_t n = v->cs.n, sel = v->list.sel;

	if (!v->spat[0]) {
		vasx_ui_message(ui, VASX_E_NORMAL, "no search yet: / searches");
		return VASX_H_REDRAW;
	}
	v->zdepth = 0;
	for (uint64_t step = 0; step < n; step++) {
		uint64_t k = here ? step : step + 1;
		uint64_t i = dir > 0 ? (sel + k) % n : (sel + n - k % n) % n;

		if (vasx_vas_match(v, &v->snap->regions[v->cs.v[i].region])) {
			bool wrapped = k && (dir > 0 ? i <= sel : i >= sel);

			select_item(v, i, true);
			vasx_ui_message(ui, VASX_E_NORMAL, "match%s: %s", wrapped ? " (wrapped)" : "",
					v->spat);
			return VASX_H_REDRAW;
		}
	}
	vasx_ui_message(ui, VASX_E_WARN, "no region matches %s", v->spat);
	return VASX_H_REDRAW;
}

static unsigned search_next(struct vasx_ui *ui, int dir)
{
	return search_from(ui, dir, false);
}

unsigned vasx_vas_prompt_done(struct vasx_ui *ui, enum vasx_prompt_kind k, const char *text)
{
	struct vasx_vas *v = &ui->vas;
	int err;

	switch (k) {
	case VASX_PR_JUMP:
		jump(ui, text);
		break;
	case VASX_PR_LOCATE:
		locate(ui, text);
		break;
	case VASX_PR_SEARCH:
		if (!text[0])
			break;
		err = search_set(v, text);
		if (err) {
			v->spat[0] = '\0';
			vasx_ui_message(ui, VASX_E_WARN, "search %s: %s", text, vasx_strerror(err));
			break;
		}
		return search_from(ui, 1, true);	/* the selection itself first */
	default:
		break;
	}
	return VASX_H_REDRAW;
}

/* ---- panes ---- */

void vasx_vas_set_focus(struct vasx_ui *ui, enum vasx_pane p)
{
	struct vasx_vas *v = &ui->vas;

	v->focus = p;
	if (p != VASX_PANE_COLUMN)
		v->side = p;
	vasx_vas_layout(ui);
}

static unsigned pane_cycle(struct vasx_ui *ui, int dir)
{
	int p = (int)ui->vas.focus;

	p = (p + (dir > 0 ? 1 : VASX_PANE_COUNT - 1)) % VASX_PANE_COUNT;
	vasx_vas_set_focus(ui, (enum vasx_pane)p);
	/* a pane that needs smaps appears: read them now rather than at the next tick */
	if (ui->vas.snap && !ui->vas.snap->smaps && !ui->vas.snap->smaps_err &&
	    (load_what(ui) & VASX_LOAD_SMAPS))
		return VASX_H_REDRAW | VASX_H_RELOAD;
	return VASX_H_REDRAW;
}

static struct vasx_list *focus_list(struct vasx_vas *v)
{
	switch (v->focus) {
	case VASX_PANE_DETAILS:
		return &v->dlist;
	case VASX_PANE_STATS:
		return &v->slist;
	case VASX_PANE_LOG:
		return &v->llist;
	default:
		return column_list(v);
	}
}

static unsigned list_action(struct vasx_list *l, enum vasx_action a)
{
	switch (a) {
	case VASX_A_UP:
		vasx_list_move(l, -1);
		break;
	case VASX_A_DOWN:
		vasx_list_move(l, 1);
		break;
	case VASX_A_PGUP:
		vasx_list_page(l, -1);
		break;
	case VASX_A_PGDN:
		vasx_list_page(l, 1);
		break;
	case VASX_A_HOME:
		vasx_list_home(l);
		break;
	case VASX_A_END:
		vasx_list_end(l);
		break;
	default:
		return 0;
	}
	return VASX_H_REDRAW;
}

static unsigned log_enter(struct vasx_ui *ui)
{
	struct vasx_vas *v = &ui->vas;
	const struct vasx_logent *e;

	if (v->llist.sel >= v->nlog)
		return VASX_H_HANDLED;
	e = &v->log[v->nlog - 1 - v->llist.sel];
	if (vasx_vas_goto(ui, e->start))
		vasx_ui_message(ui, VASX_E_WARN, "that region is not shown");
	v->focus = VASX_PANE_COLUMN;
	return VASX_H_REDRAW;
}

static unsigned baseline(struct vasx_ui *ui, bool set)
{
	struct vasx_vas *v = &ui->vas;

	if (!set && !v->base) {
		vasx_ui_message(ui, VASX_E_NORMAL, "no baseline to clear: b takes one");
		return VASX_H_REDRAW;
	}
	if (v->base && v->base != v->snap)
		vasx_snapshot_free(v->base);
	v->base = set ? v->snap : NULL;
	vasx_changes_apply(ui, NULL, v->snap, false);
	vasx_ui_message(ui, VASX_E_NORMAL, set ? "baseline taken: marks show changes since now"
					       : "baseline cleared: marks show the last refresh");
	return VASX_H_REDRAW;
}

static unsigned start_prompt(struct vasx_ui *ui, enum vasx_prompt_kind k)
{
	ui->prompt.kind = k;
	ui->prompt.len = 0;
	ui->prompt.buf[0] = '\0';
	return VASX_H_REDRAW;
}

unsigned vasx_vas_action(struct vasx_ui *ui, enum vasx_action a, int key)
{
	struct vasx_vas *v = &ui->vas;
	unsigned f;

	(void)key;
	if (!v->snap)
		return 0;
	f = list_action(focus_list(v), a);
	if (f)
		return f;
	switch (a) {
	case VASX_A_PANE:
		return pane_cycle(ui, 1);
	case VASX_A_PANE_PREV:
		return pane_cycle(ui, -1);
	case VASX_A_ZOOM:
		if (v->focus == VASX_PANE_LOG)
			return log_enter(ui);
		v->focus = VASX_PANE_COLUMN;
		return zoom_in(ui);
	case VASX_A_ZOOM_OUT:
		if (v->focus != VASX_PANE_COLUMN) {
			v->focus = VASX_PANE_COLUMN;
			return VASX_H_REDRAW;
		}
		return zoom_out(ui);
	case VASX_A_ZOOM_IN:
		return zoom_step(ui, 1);
	case VASX_A_ZOOM_STEP_OUT:
		return zoom_step(ui, -1);
	case VASX_A_JUMP:
		return start_prompt(ui, VASX_PR_JUMP);
	case VASX_A_SEARCH:
		return start_prompt(ui, VASX_PR_SEARCH);
	case VASX_A_LOCATE:
		return start_prompt(ui, VASX_PR_LOCATE);
	case VASX_A_NEXT:
		return search_next(ui, 1);
	case VASX_A_PREV:
		return search_next(ui, -1);
	case VASX_A_SCALE:
		v->linear = !v->linear;
		vasx_vas_layout(ui);
		select_item(v, v->list.sel, true);
		vasx_ui_message(ui, VASX_E_NORMAL, "%s band heights",
				v->linear ? "linear" : "logarithmic");
		return VASX_H_REDRAW;
	case VASX_A_BASELINE:
		return baseline(ui, true);
	case VASX_A_UNBASELINE:
		return baseline(ui, false);
	case VASX_A_MODULE:
		return vasx_kmodui_key(ui);
	case VASX_A_PICK:
		return to_picker(ui);
	default:
		return 0;
	}
}

/* ---- residency of the zoomed rows on screen ---- */

void vasx_vas_need_pages(struct vasx_ui *ui)
{
	struct vasx_vas *v = &ui->vas;
	struct vasx_zoom *z = zoom_top(v);
	uint64_t lo, hi, l2, h2, last_row, n;

	if (!z || !v->snap)
		return;
	last_row = z->list.top + z->list.height - 1;
	if (last_row >= z->list.n)
		last_row = z->list.n - 1;
	vasx_zoom_row_range(z->start, z->last, z->gran, last_row, &lo, &h2);
	vasx_zoom_row_range(z->start, z->last, z->gran, z->list.top, &l2, &hi);
	lo &= ~(page_size() - 1);
	if (v->pg_valid && v->pg_gen == v->generation && v->pg_addr == lo &&
	    v->npages == (hi - lo) / page_size() + 1)
		return;
	v->pg_valid = true;
	v->pg_gen = v->generation;
	v->pg_addr = lo;
	v->npages = 0;
	v->pg_err = 0;
	if (vasx_snapshot_lookup(v->snap, lo)->space != VASX_SPACE_USER ||
	    vasx_snapshot_lookup(v->snap, hi)->space != VASX_SPACE_USER) {
		v->pg_err = -EFAULT;
		return;
	}
	n = (hi - lo) / page_size() + 1;
	if (n > MAX_PAGES_ON_SCREEN) {
		v->pg_err = -E2BIG;
		return;
	}
	if (n > v->cap_pages) {
		struct vasx_page *p = realloc(v->pages, n * sizeof(*p));

		if (!p) {
			v->pg_err = -ENOMEM;
			return;
		}
		v->pages = p;
		v->cap_pages = n;
	}
	/* Not the pages of a process that took the pid since the last refresh. */
	if (v->exited) {
		v->pg_err = v->load_err ? v->load_err : -VASX_E_EXITED;
		return;
	}
	v->pg_err = vasx_pagemap_read(ui->src, v->pid, lo, n, v->pages);
	if (!v->pg_err)
		v->pg_err = vasx_snapshot_recheck(ui->src, v->snap);
	if (!v->pg_err)
		v->npages = n;
}

int vasx_vas_click(struct vasx_ui *ui, int y, int x)
{
	struct vasx_vas *v = &ui->vas;
	struct vasx_geom g;
	struct vasx_list *l;
	uint64_t item;

	vasx_geom_compute(ui, &g);
	for (int p = 0; p < VASX_PANE_COUNT; p++) {
		struct vasx_rect *r = &g.pane[p];

		if (!r->w || y < r->y || y >= r->y + r->h || x < r->x || x >= r->x + r->w)
			continue;
		if (p != VASX_PANE_COLUMN || v->focus != (enum vasx_pane)p)
			vasx_vas_set_focus(ui, (enum vasx_pane)p);
		if (y == r->y)
			return 1;
		l = focus_list(v);
		item = l->ypos ? vasx_list_item_at(l, l->top + (uint64_t)(y - r->y - 1))
			       : l->top + (uint64_t)(y - r->y - 1);
		if (item < l->n)
			vasx_list_select(l, item);
		return 1;
	}
	return 0;
}
