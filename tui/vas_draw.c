/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Painting the address-space screen: the title, the column of bands (or
 * of rows when zoomed), and the text panes beside it. Only the rows on
 * screen are touched, so a frame costs the same for 60 or 60,000 mappings.
 */
#include <curses.h>
#include <errno.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "vasx/diff.h"
#include "vasx/fmt.h"
#include "vasx/status.h"
#include "draw.h"

/* A region's label holds a whole path (the file name is at its end) and its indent. */
#define LABEL_MAX (4096 + 320)

enum { X_MARK = 0, X_ADDR = 1, X_BAND = 18, X_FLAG = 20, X_CHG = 21, X_SIZE = 23 };

void vasx_geom_compute(const struct vasx_ui *ui, struct vasx_geom *g)
{
	int cols = ui->cols, h = ui->rows - 3;
	int side_w = cols >= 120 ? cols - (cols / 2 < 110 ? cols / 2 : 110) - 1
				 : (cols * 3 / 8 > 30 ? cols * 3 / 8 : 30);
	int col_w = cols - side_w - 1, sx = col_w + 1;

	memset(g, 0, sizeof(*g));
	g->pane[VASX_PANE_COLUMN] = (struct vasx_rect){ 0, 1, col_w, h };
	if (side_w >= 90) {
		int dw = side_w / 2;

		g->pane[VASX_PANE_DETAILS] = (struct vasx_rect){ sx, 1, dw, h };
		g->pane[VASX_PANE_STATS] = (struct vasx_rect){ sx + dw + 1, 1, side_w - dw - 1, h / 2 };
		g->pane[VASX_PANE_LOG] = (struct vasx_rect){ sx + dw + 1, 1 + h / 2, side_w - dw - 1,
							     h - h / 2 };
	} else if (h >= 36) {
		g->pane[VASX_PANE_DETAILS] = (struct vasx_rect){ sx, 1, side_w, h / 2 };
		g->pane[VASX_PANE_STATS] = (struct vasx_rect){ sx, 1 + h / 2, side_w, h / 4 };
		g->pane[VASX_PANE_LOG] = (struct vasx_rect){ sx, 1 + h / 2 + h / 4, side_w,
							     h - h / 2 - h / 4 };
	} else {
		enum vasx_pane side = ui->vas.side ? ui->vas.side : VASX_PANE_DETAILS;

		g->pane[side] = (struct vasx_rect){ sx, 1, side_w, h };
	}
}

static void draw_title(struct vasx_ui *ui)
{
	const struct vasx_snapshot *s = ui->vas.snap;
	char line[512], comm[96], rss[24], right[200];
	int w;

	vasx_draw_fill(0, 0, ui->cols, VASX_E_TITLE, " ");
	vasx_fmt_escape(s->stat.comm, comm, sizeof(comm));
	if (s->totals.have_mem)
		vasx_short_size(s->totals.rss_kb * 1024, rss, sizeof(rss));
	else
		vasx_short_size(s->status.v[VASX_ST_VMRSS] * 1024, rss, sizeof(rss));
	snprintf(line, sizeof(line), " pid %d %s | %zu maps | RSS %s | kernel: %s", s->pid, comm,
		 s->totals.map_count, rss, vasx_ksource_name(s->kernel.source));
	if (ui->vas.exited)
		snprintf(right, sizeof(right), " %s ", ui->vas.notice);
	else if (ui->paused)
		snprintf(right, sizeof(right), " PAUSED (Space resumes)%s ",
			 ui->vas.base ? "  vs baseline" : "");
	else
		snprintf(right, sizeof(right), " every %gs%s ", ui->delay,
			 ui->vas.base ? "  vs baseline" : "");
	w = vasx_str_width(right);
	vasx_draw_cut(0, 0, ui->cols - w - 1, VASX_E_TITLE, line);
	vasx_draw_str(0, ui->cols - w > 0 ? ui->cols - w : 0, ui->cols,
		      ui->vas.exited || ui->paused ? VASX_E_NOTICE : VASX_E_TITLE, right);
}

static void change_mark(unsigned m, char *c, enum vasx_elem *e)
{
	static const struct {
		unsigned bit;
		char c;
		enum vasx_elem e;
	} order[] = {
		{ VASX_M_EXEC, 'X', VASX_E_CH_EXEC }, { VASX_M_NEW, '+', VASX_E_CH_NEW },
		{ VASX_M_GROWN, '>', VASX_E_CH_GROWN }, { VASX_M_SHRUNK, '<', VASX_E_CH_GROWN },
		{ VASX_M_PERMS, 'P', VASX_E_CH_GROWN }, { VASX_M_RSS_UP, '^', VASX_E_CH_GROWN },
		{ VASX_M_RSS_DOWN, 'v', VASX_E_CH_GROWN },
	};

	*c = ' ';
	*e = VASX_E_NORMAL;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (m & order[i].bit) {
			*c = order[i].c;
			*e = order[i].e;
			return;
		}
	}
}

static void flag_mark(const struct vasx_region *r, char *c, enum vasx_elem *e)
{
	*e = VASX_E_WARN;
	if (r->flags & VASX_F_WX)
		*c = '!';
	else if (r->flags & VASX_F_DELETED)
		*c = 'D';
	else if (r->flags & VASX_F_NOACCESS && r->flags & VASX_F_MAPPING)
		*c = '-', *e = VASX_E_NORMAL;
	else if (r->flags & VASX_F_APPROX)
		*c = '~', *e = VASX_E_DIM;
	else
		*c = ' ', *e = VASX_E_NORMAL;
}

void vasx_vas_kind_label(const struct vasx_region *r, char *buf, size_t len)
{
	if (r->kind == VASX_KIND_THREAD_STACK && r->tid)
		snprintf(buf, len, "[stack:%d]", r->tid);
	else
		snprintf(buf, len, "[%s]", vasx_kind_name((enum vasx_kind)r->kind));
}

/* @g: the ghost of what was removed from the gap @r, or NULL. */
static void region_label(const struct vasx_region *r, const struct vasx_ghost *g, char *buf,
			 size_t len, enum vasx_elem *e)
{
	*e = VASX_E_NORMAL;
	switch (r->kind) {
	case VASX_KIND_GAP:
		if (g) {
			snprintf(buf, len, "removed: %s", g->name);
			*e = VASX_E_CH_GONE;
		} else {
			snprintf(buf, len, "%s", "unmapped");
			*e = VASX_E_DIM;
		}
		return;
	case VASX_KIND_NULLTRAP:
		snprintf(buf, len, "NULL trap (below vm.mmap_min_addr)");
		*e = VASX_E_DIM;
		return;
	case VASX_KIND_HOLE:
		snprintf(buf, len, "non-canonical hole");
		*e = VASX_E_DIM;
		return;
	default:
		break;
	}
	if (r->kind == VASX_KIND_THREAD_STACK && r->tid && !r->name) {
		vasx_vas_kind_label(r, buf, len);
	} else if (r->space == VASX_SPACE_KERNEL && r->desc) {
		char name[96], desc[160];

		snprintf(buf, len, "%*s%s: %s", r->depth * 2, "",
			 vasx_fmt_escape(r->name ? r->name : "kernel", name, sizeof(name)),
			 vasx_fmt_escape(r->desc, desc, sizeof(desc)));
	} else if (r->name) {
		/*
		 * A path longer than the label (the kernel prints paths past
		 * PATH_MAX) keeps its end: the row shows the file name.
		 */
		size_t n = strlen(r->name), room = len - 1 - (size_t)r->depth * 2 - 3;

		if (n > room)
			snprintf(buf, len, "%*s\u2026%s", r->depth * 2, "", r->name + n - room);
		else
			snprintf(buf, len, "%*s%s", r->depth * 2, "", r->name);
	} else {
		vasx_vas_kind_label(r, buf, len);
	}
}

struct rowctx {
	struct vasx_ui *ui;
	int y, x, w;
	bool selected, focus, match;
};

/* The parts every column row shares: marker, address, band, flag, change. */
static void row_left(struct rowctx *c, uint64_t addr, bool show_addr, const struct vasx_region *r,
		     unsigned marks)
{
	char a[24], ch;
	enum vasx_elem e;
	const char *glyph = vasx_kind_glyph(r->kind, c->ui->utf8);

	if (c->selected && show_addr)
		vasx_draw_str(c->y, c->x + X_MARK, 1, VASX_E_SELECTED, c->ui->utf8 ? "\u25b6" : ">");
	else if (c->match && show_addr)
		vasx_draw_str(c->y, c->x + X_MARK, 1, VASX_E_MATCH, "*");
	if (show_addr) {
		snprintf(a, sizeof(a), "%016llx", (unsigned long long)addr);
		vasx_draw_str(c->y, c->x + X_ADDR, 16, VASX_E_ADDR, a);
	}
	if (c->ui->color && !c->ui->utf8 && !vasx_colscale_compressed(r)) {
		/* without block glyphs, colour fills the band */
		attrset(vasx_elem_attr(vasx_kind_elem(r->kind)) | A_REVERSE);
		mvaddstr(c->y, c->x + X_BAND, glyph);
		addstr(glyph);
	} else {
		vasx_draw_fill(c->y, c->x + X_BAND, 2, vasx_kind_elem(r->kind), glyph);
	}
	flag_mark(r, &ch, &e);
	a[0] = ch, a[1] = '\0';
	vasx_draw_str(c->y, c->x + X_FLAG, 1, e, a);
	change_mark(marks, &ch, &e);
	a[0] = ch;
	vasx_draw_str(c->y, c->x + X_CHG, 1, e, a);
}

static enum vasx_elem sel_elem(const struct rowctx *c, enum vasx_elem e)
{
	if (c->selected)
		return c->focus ? VASX_E_SELECTED : VASX_E_SELECTED_DIM;
	return c->match && e == VASX_E_NORMAL ? VASX_E_MATCH : e;
}

static void draw_item_row(struct rowctx *c, uint64_t item, uint64_t k)
{
	struct vasx_vas *v = &c->ui->vas;
	const struct vasx_colitem *it = &v->cs.v[item];
	const struct vasx_region *r = &v->snap->regions[it->region];
	const struct vasx_smaps *sm = vasx_region_smaps(v->snap, r);
	unsigned marks = k == 0 ? vasx_vas_marks(v, r->start) : 0;
	const struct vasx_ghost *g = k == 0 && r->kind == VASX_KIND_GAP ?
				     vasx_vas_ghost(v, r->start, r->last) : NULL;
	char buf[LABEL_MAX], sz[24], perms[5];
	enum vasx_elem e;
	int x = c->x + X_SIZE, right = c->x + c->w;

	c->match = vasx_vas_match(v, r) ||
		   (v->locating && r->start <= v->loc_last && r->last >= v->loc_start);
	if (c->selected)
		vasx_draw_fill(c->y, x - 1, right - x + 1, sel_elem(c, VASX_E_NORMAL), " ");
	row_left(c, r->start, k == 0, r, marks);
	if (g)
		vasx_draw_str(c->y, c->x + X_CHG, 1, VASX_E_CH_GONE, "x");
	if (k == 0) {
		vasx_draw_str(c->y, x, 6, sel_elem(c, VASX_E_SIZE),
			      vasx_short_size(vasx_region_size(r), sz, sizeof(sz)));
		x += 7;
		if (c->w >= 56 && (r->flags & VASX_F_MAPPING ||
				     (r->space == VASX_SPACE_KERNEL && r->kind != VASX_KIND_GAP))) {
			vasx_draw_str(c->y, x, 4, sel_elem(c, VASX_E_NORMAL),
				      vasx_perms_str(r->perms, perms));
		}
		if (c->w >= 56)
			x += 5;
		region_label(r, g, buf, sizeof(buf), &e);
		if (r->flags & VASX_F_MAPPING)
			vasx_draw_name(c->y, x, right - x, sel_elem(c, e), buf);
		else
			vasx_draw_cut(c->y, x, right - x, sel_elem(c, e), buf);
		return;
	}
	if (k == 1 && it->rows > 2 && r->space == VASX_SPACE_KERNEL) {
		if (r->flags & VASX_F_APPROX)
			vasx_draw_str(c->y, x + 2, right - x - 2, sel_elem(c, VASX_E_DIM),
				      "approximate: documented layout");
	} else if (k == 1 && it->rows > 2) {
		snprintf(buf, sizeof(buf), "%s", vasx_kind_name((enum vasx_kind)r->kind));
		if (sm && sm->present & (1u << VASX_SM_RSS))
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ", RSS %s",
				 vasx_short_size(sm->v[VASX_SM_RSS] * 1024, sz, sizeof(sz)));
		vasx_draw_str(c->y, x + 2, right - x - 2, sel_elem(c, VASX_E_DIM), buf);
	}
}

static const char *const kpf_names[] = {
	"locked", "error", "referenced", "uptodate", "dirty", "lru", "active", "slab",
	"writeback", "reclaim", "buddy", "mmap", "anon", "swapcache", "swapbacked",
	"compound-head", "compound-tail", "huge", "unevictable", "hwpoison", "nopage",
	"ksm", "thp", "offline", "zero-page", "idle", "pgtable",
};

void vasx_page_words(const struct vasx_page *p, char *buf, size_t len)
{
	size_t at;

	at = (size_t)snprintf(buf, len, "%s%s%s%s%s",
			      p->flags & VASX_PG_PRESENT ? "present" : "not present",
			      p->flags & VASX_PG_SWAPPED ? " swapped" : "",
			      p->flags & VASX_PG_FILE ? " file/shared" :
			      p->flags & VASX_PG_PRESENT ? " anon" : "",
			      p->flags & VASX_PG_EXCLUSIVE ? " exclusive" : "",
			      p->flags & VASX_PG_SOFTDIRTY ? " soft-dirty" : "");
	if (p->pfn && at < len)
		at += (size_t)snprintf(buf + at, len - at, " pfn 0x%llx", (unsigned long long)p->pfn);
	for (size_t b = 0; (p->flags & VASX_PG_HAVE_KFLAGS) &&
			   b < sizeof(kpf_names) / sizeof(kpf_names[0]) && at < len; b++)
		if (p->kflags & (1ull << b))
			at += (size_t)snprintf(buf + at, len - at, " %s", kpf_names[b]);
}

bool vasx_vas_residency(const struct vasx_vas *v, uint64_t lo, uint64_t hi, size_t counts[4])
{
	uint64_t ps = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t first, last;

	memset(counts, 0, 4 * sizeof(counts[0]));
	if (!v->npages || lo < v->pg_addr)
		return false;
	first = (lo - v->pg_addr) / ps;
	last = (hi - v->pg_addr) / ps;
	if (last >= v->npages)
		return false;
	for (uint64_t i = first; i <= last; i++) {
		counts[0]++;
		counts[1] += !!(v->pages[i].flags & VASX_PG_PRESENT);
		counts[2] += !!(v->pages[i].flags & VASX_PG_SWAPPED);
		counts[3] += !!(v->pages[i].flags & VASX_PG_FILE);
	}
	return true;
}

static void draw_zoom_row(struct rowctx *c, const struct vasx_zoom *z, uint64_t row)
{
	struct vasx_vas *v = &c->ui->vas;
	uint64_t lo, hi, ps = (uint64_t)sysconf(_SC_PAGESIZE);
	const struct vasx_region *r;
	char buf[320], lab[LABEL_MAX];
	enum vasx_elem e = VASX_E_NORMAL;
	size_t cnt[4];
	int x = c->x + X_SIZE, right = c->x + c->w, bw;

	vasx_zoom_row_range(z->start, z->last, z->gran, row, &lo, &hi);
	r = vasx_snapshot_lookup(v->snap, lo);
	c->match = v->locating && lo <= v->loc_last && hi >= v->loc_start;
	if (c->selected)
		vasx_draw_fill(c->y, x - 1, right - x + 1, sel_elem(c, VASX_E_NORMAL), " ");
	row_left(c, lo, true, r, 0);
	if (!(r->flags & VASX_F_MAPPING) || !vasx_vas_residency(v, lo, hi, cnt)) {
		region_label(r, r->kind == VASX_KIND_GAP ? vasx_vas_ghost(v, r->start, r->last) : NULL,
			     lab, sizeof(lab), &e);
		vasx_draw_name(c->y, x, right - x, sel_elem(c, e), lab);
		return;
	}
	if (hi - lo + 1 <= ps) {
		vasx_page_words(&v->pages[(lo - v->pg_addr) / ps], buf, sizeof(buf));
		e = v->pages[(lo - v->pg_addr) / ps].flags & VASX_PG_PRESENT ? VASX_E_PG_PRESENT :
		    v->pages[(lo - v->pg_addr) / ps].flags & VASX_PG_SWAPPED ? VASX_E_PG_SWAPPED :
									      VASX_E_PG_ABSENT;
		vasx_draw_cut(c->y, x, right - x, sel_elem(c, e), buf);
		return;
	}
	bw = right - x > 40 ? 16 : 8;
	for (int i = 0; i < bw; i++) {
		bool on = cnt[0] && (size_t)i * cnt[0] < cnt[1] * (size_t)bw;

		vasx_draw_str(c->y, x + i, 1, on ? VASX_E_PG_PRESENT : VASX_E_PG_ABSENT,
			      on ? (c->ui->utf8 ? "\u2588" : "#") : (c->ui->utf8 ? "\u2591" : "."));
	}
	snprintf(buf, sizeof(buf), " %zu/%zu present%s", cnt[1], cnt[0], "");
	if (cnt[2])
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ", %zu swapped", cnt[2]);
	vasx_draw_str(c->y, x + bw, right - x - bw, sel_elem(c, VASX_E_NORMAL), buf);
}

static void column_title(struct vasx_ui *ui, char *buf, size_t len)
{
	struct vasx_vas *v = &ui->vas;
	const struct vasx_zoom *z = v->zdepth ? &v->zoom[v->zdepth - 1] : NULL;
	char g[32], sz[24];

	if (!z) {
		snprintf(buf, len, "Address space, high on top (%s heights)",
			 v->linear ? "linear" : "log");
		return;
	}
	if (z->gran == (uint64_t)sysconf(_SC_PAGESIZE))
		snprintf(g, sizeof(g), "pages");
	else
		snprintf(g, sizeof(g), "row %s", vasx_fmt_size(z->gran, sz, sizeof(sz)));
	snprintf(buf, len, "Zoom %d, %s: %llx-%llx%s", v->zdepth, g,
		 (unsigned long long)z->start, (unsigned long long)z->last + 1,
		 v->pg_err == -EACCES || v->pg_err == -EPERM ? " (pagemap: permission denied)" :
		 v->pg_err == -E2BIG ? " (zoom in for residency)" : "");
}

static void draw_column(struct vasx_ui *ui, const struct vasx_rect *rc)
{
	struct vasx_vas *v = &ui->vas;
	struct vasx_zoom *z = v->zdepth ? &v->zoom[v->zdepth - 1] : NULL;
	struct vasx_list *l = z ? &z->list : &v->list;
	struct rowctx c = { .ui = ui, .x = rc->x, .w = rc->w,
			    .focus = v->focus == VASX_PANE_COLUMN };
	char title[256];
	uint64_t item;

	column_title(ui, title, sizeof(title));
	vasx_draw_pane_title(rc->y, rc->x, rc->w, title, c.focus);
	if (z)
		vasx_vas_need_pages(ui);
	item = vasx_list_item_at(l, l->top);
	for (int r = 0; r < rc->h - 1; r++) {
		uint64_t row = l->top + (uint64_t)r;

		c.y = rc->y + 1 + r;
		while (item < l->n && vasx_list_y(l, item + 1) <= row)
			item++;
		if (item >= l->n)
			break;
		c.selected = item == l->sel;
		if (z)
			draw_zoom_row(&c, z, item);
		else
			draw_item_row(&c, item, r == 0 ? 0 : row - vasx_list_y(l, item));
	}
}

static void draw_pane(struct vasx_ui *ui, enum vasx_pane p, const struct vasx_rect *rc)
{
	struct vasx_vas *v = &ui->vas;
	bool focus = v->focus == p;
	char title[96];

	switch (p) {
	case VASX_PANE_DETAILS:
		vasx_details_build(ui, &v->details);
		v->dlist.n = v->details.n;
		vasx_list_fix(&v->dlist);
		snprintf(title, sizeof(title), "Details%s", v->zdepth ? " (zoomed row)" : "");
		vasx_draw_pane_title(rc->y, rc->x, rc->w, title, focus);
		vasx_draw_lines(rc->y + 1, rc->x + 1, rc->w - 1, rc->h - 1, &v->details, &v->dlist,
				focus, focus);
		break;
	case VASX_PANE_STATS:
		vasx_stats_build(ui, &v->stats);
		v->slist.n = v->stats.n;
		vasx_list_fix(&v->slist);
		vasx_draw_pane_title(rc->y, rc->x, rc->w, "Statistics and legend", focus);
		vasx_draw_lines(rc->y + 1, rc->x + 1, rc->w - 1, rc->h - 1, &v->stats, &v->slist,
				focus, focus);
		break;
	case VASX_PANE_LOG: {
		struct vasx_lines ls = { 0 };

		for (size_t i = v->nlog; i-- > 0;) {
			char when[16];
			struct tm tm;

			localtime_r(&v->log[i].when, &tm);
			strftime(when, sizeof(when), "%H:%M:%S", &tm);
			vasx_lines_add(&ls, v->log[i].kind == VASX_CH_EXEC ? VASX_E_CH_EXEC :
					    VASX_E_NORMAL, when, "%s",
				       rc->w < 64 ? v->log[i].brief : v->log[i].text);
		}
		if (!v->nlog)
			vasx_lines_add(&ls, VASX_E_DIM, "", "%s",
				       ui->paused ? "paused: no changes are read" :
						    "no change since the view opened");
		v->llist.n = v->nlog;
		vasx_list_fix(&v->llist);
		snprintf(title, sizeof(title), "Changes (%zu)%s", v->nlog,
			 focus ? "  Enter: go to region" : "");
		vasx_draw_pane_title(rc->y, rc->x, rc->w, title, focus);
		vasx_draw_lines(rc->y + 1, rc->x + 1, rc->w - 1, rc->h - 1, &ls, &v->llist, focus,
				focus && v->nlog);
		vasx_lines_release(&ls);
		break;
	}
	default:
		break;
	}
}

static void pane_rule(struct vasx_ui *ui, int x, int y, int h)
{
	for (int i = 0; i < h; i++)
		vasx_draw_str(y + i, x, 1, VASX_E_PANE, ui->utf8 ? "\u2502" : "|");
}

void vasx_vas_draw(struct vasx_ui *ui)
{
	struct vasx_geom g;

	vasx_geom_compute(ui, &g);
	draw_title(ui);
	draw_column(ui, &g.pane[VASX_PANE_COLUMN]);
	pane_rule(ui, g.pane[VASX_PANE_COLUMN].w, 1, ui->rows - 3);
	for (int p = VASX_PANE_DETAILS; p < VASX_PANE_COUNT; p++) {
		if (!g.pane[p].w)
			continue;
		if (p != VASX_PANE_DETAILS && g.pane[p].x != g.pane[VASX_PANE_DETAILS].x &&
		    g.pane[VASX_PANE_DETAILS].w)
			pane_rule(ui, g.pane[p].x - 1, g.pane[p].y, g.pane[p].h);
		draw_pane(ui, (enum vasx_pane)p, &g.pane[p]);
	}
}
