/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What changed: marks on regions (since the last refresh, or against the
 * baseline), ghosts of removed regions for a few ticks, and the change log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vasx/diff.h"
#include "vasx/fmt.h"
#include "ui.h"

#define GHOST_TICKS 3
#define LOG_MAX 1000

static unsigned mark_of(const struct vasx_change *c)
{
	switch (c->kind) {
	case VASX_CH_ADDED:
		return VASX_M_NEW;
	case VASX_CH_GROWN:
		return VASX_M_GROWN;
	case VASX_CH_SHRUNK:
		return VASX_M_SHRUNK;
	case VASX_CH_PERMS:
		return VASX_M_PERMS;
	case VASX_CH_EXEC:
		return VASX_M_EXEC | VASX_M_PERMS;
	case VASX_CH_RSS:
		return c->d_rss_kb + c->d_pss_kb + c->d_swap_kb >= 0 ? VASX_M_RSS_UP
								       : VASX_M_RSS_DOWN;
	default:
		return 0;
	}
}

/* By start, and for one start in the order of the diff: older first. */
static int cmp_mark(const void *a, const void *b)
{
	const struct vasx_mark *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The size and perms marks from what the region was and is now. */
static void mark_recompute(struct vasx_mark *m)
{
	if (m->marks & (VASX_M_GROWN | VASX_M_SHRUNK)) {
		m->marks &= ~(VASX_M_GROWN | VASX_M_SHRUNK);
		if (m->new_size != m->old_size)
			m->marks |= m->new_size > m->old_size ? VASX_M_GROWN : VASX_M_SHRUNK;
	}
	if (m->marks & VASX_M_PERMS) {
		m->marks &= ~(VASX_M_PERMS | VASX_M_EXEC);
		if (m->new_perms != m->old_perms)
			m->marks |= VASX_M_PERMS;
		if (!(m->old_perms & VASX_P_EXEC) && (m->new_perms & VASX_P_EXEC))
			m->marks |= VASX_M_EXEC;
	}
	if (m->marks & (VASX_M_RSS_UP | VASX_M_RSS_DOWN)) {
		m->marks &= ~(VASX_M_RSS_UP | VASX_M_RSS_DOWN);
		m->marks |= m->d_rss_kb + m->d_pss_kb + m->d_swap_kb >= 0 ? VASX_M_RSS_UP
									  : VASX_M_RSS_DOWN;
	}
}

/*
 * Two marks of one start: what the region was is the older mark's figure
 * when it has one (the newer one's "was" is only a step in between), what
 * it is the newer's. The marks are then said again from the two, so a
 * region grown and shrunk back, or made writable and read-only again, is
 * no longer marked for it. RSS deltas add up.
 */
void vasx_mark_merge(struct vasx_mark *older, const struct vasx_mark *newer)
{
	const unsigned size = VASX_M_GROWN | VASX_M_SHRUNK;

	if (newer->marks & size) {
		if (!(older->marks & size))
			older->old_size = newer->old_size;
		older->new_size = newer->new_size;
	}
	if (newer->marks & VASX_M_PERMS) {
		if (!(older->marks & VASX_M_PERMS))
			older->old_perms = newer->old_perms;
		older->new_perms = newer->new_perms;
	}
	older->d_rss_kb += newer->d_rss_kb;
	older->d_pss_kb += newer->d_pss_kb;
	older->d_swap_kb += newer->d_swap_kb;
	older->marks |= newer->marks;
	mark_recompute(older);
}

static void mark_from(struct vasx_mark *m, const struct vasx_change *c, unsigned marks,
		      size_t order)
{
	memset(m, 0, sizeof(*m));
	m->start = c->start;
	m->marks = marks;
	m->order = order;
	if (marks & VASX_M_PERMS) {
		m->old_perms = c->old_perms;
		m->new_perms = c->new_perms;
	}
	if (marks & (VASX_M_GROWN | VASX_M_SHRUNK)) {
		m->old_size = c->old_last - c->old_start + 1;
		m->new_size = c->last - c->start + 1;
	}
	if (c->kind == VASX_CH_RSS) {
		m->d_rss_kb = c->d_rss_kb;
		m->d_pss_kb = c->d_pss_kb;
		m->d_swap_kb = c->d_swap_kb;
	}
}

void vasx_changes_mark(struct vasx_vas *v, const struct vasx_diff *d)
{
	size_t n = 0;

	free(v->marks);
	v->marks = NULL;
	v->nmarks = 0;
	if (!d || !d->n)
		return;
	v->marks = malloc(d->n * sizeof(*v->marks));
	if (!v->marks)
		return;
	for (size_t i = 0; i < d->n; i++) {
		unsigned m = mark_of(&d->v[i]);

		if (m)
			mark_from(&v->marks[n++], &d->v[i], m, i);
	}
	qsort(v->marks, n, sizeof(*v->marks), cmp_mark);
	/* one entry per start: merge a region's several changes */
	for (size_t i = 0; i < n; i++) {
		struct vasx_mark *last = v->nmarks ? &v->marks[v->nmarks - 1] : NULL;

		if (last && last->start == v->marks[i].start)
			vasx_mark_merge(last, &v->marks[i]);
		else
			v->marks[v->nmarks++] = v->marks[i];
	}
}

unsigned vasx_vas_marks(const struct vasx_vas *v, uint64_t start)
{
	const struct vasx_mark *m = vasx_vas_mark(v, start);

	return m ? m->marks : 0;
}

const struct vasx_mark *vasx_vas_mark(const struct vasx_vas *v, uint64_t start)
{
	size_t lo = 0, hi = v->nmarks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->marks[mid].start == start)
			return &v->marks[mid];
		if (v->marks[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct vasx_ghost *vasx_vas_ghost(const struct vasx_vas *v, uint64_t start, uint64_t last)
{
	for (size_t i = 0; i < v->nghosts; i++)
		if (v->ghosts[i].start <= last && v->ghosts[i].last >= start)
			return &v->ghosts[i];
	return NULL;
}

/*
 * A change's name as the column labels its region: the path, or for memory
 * without one its kind ("[heap]" of a nameless heap, "[guard]", "[stack:TID]"),
 * found in @s, the snapshot the change's range is in.
 */
static const char *change_label(const struct vasx_change *c, const struct vasx_snapshot *s,
				char *buf, size_t len)
{
	const struct vasx_region *r;

	if (c->name)
		return c->name;
	r = s ? vasx_snapshot_lookup(s, c->start) : NULL;
	if (!r || r->start != c->start || !(r->flags & VASX_F_MAPPING))
		return "[anon]";
	vasx_vas_kind_label(r, buf, len);
	return buf;
}

static void add_ghost(struct vasx_vas *v, const struct vasx_change *c, const char *name,
		      unsigned ticks)
{
	struct vasx_ghost *g;

	if (v->nghosts == v->capghosts) {
		size_t cap = v->capghosts ? v->capghosts * 2 : 16;

		g = realloc(v->ghosts, cap * sizeof(*g));
		if (!g)
			return;
		v->ghosts = g;
		v->capghosts = cap;
	}
	g = &v->ghosts[v->nghosts++];
	g->start = c->start;
	g->last = c->last;
	g->ticks = ticks;
	vasx_fmt_escape(name, g->name, sizeof(g->name));
}

void vasx_changes_tick(struct vasx_vas *v)
{
	size_t k = 0;

	for (size_t i = 0; i < v->nghosts; i++)
		if (v->ghosts[i].ticks-- > 1)
			v->ghosts[k++] = v->ghosts[i];
	v->nghosts = k;
}

/* One log line, short enough for a narrow pane: what, where, how, which. */
static void describe(const struct vasx_change *c, const char *label, char *buf, size_t len)
{
	char name[96], s1[16], s2[16], p1[5], p2[5];
	unsigned long long a = (unsigned long long)c->start;

	vasx_fmt_escape(label, name, sizeof(name));
	switch (c->kind) {
	case VASX_CH_GROWN:
	case VASX_CH_SHRUNK:
		snprintf(buf, len, "%s %llx %s->%s %s", vasx_change_name(c->kind), a,
			 vasx_short_size(c->old_last - c->old_start + 1, s1, sizeof(s1)),
			 vasx_short_size(c->last - c->start + 1, s2, sizeof(s2)), name);
		break;
	case VASX_CH_PERMS:
	case VASX_CH_EXEC:
		snprintf(buf, len, "%s %llx %s->%s %s",
			 c->kind == VASX_CH_EXEC ? "BECAME EXECUTABLE" : "perms", a,
			 vasx_perms_str(c->old_perms, p1), vasx_perms_str(c->new_perms, p2), name);
		break;
	case VASX_CH_RSS:
		snprintf(buf, len, "rss %llx RSS %+lldK PSS %+lldK swap %+lldK %s", a,
			 (long long)c->d_rss_kb, (long long)c->d_pss_kb, (long long)c->d_swap_kb, name);
		break;
	default:
		snprintf(buf, len, "%s %llx %s %s", vasx_change_name(c->kind), a,
			 vasx_short_size(c->last - c->start + 1, s1, sizeof(s1)), name);
		break;
	}
}

/* The same with the marks of the column: "+ 7f0000 16K [guard]". */
static void brief(const struct vasx_change *c, const char *label, char *buf, size_t len)
{
	static const char sym[] = { [VASX_CH_ADDED] = '+', [VASX_CH_REMOVED] = 'x',
				    [VASX_CH_GROWN] = '>', [VASX_CH_SHRUNK] = '<',
				    [VASX_CH_PERMS] = 'P', [VASX_CH_EXEC] = 'X', [VASX_CH_RSS] = '^' };
	char name[64], s1[16], s2[16], p1[5], p2[5], how[48];
	char mark = (unsigned)c->kind < sizeof(sym) ? sym[c->kind] : '?';

	vasx_fmt_escape(label, name, sizeof(name));
	switch (c->kind) {
	case VASX_CH_GROWN:
	case VASX_CH_SHRUNK:
		snprintf(how, sizeof(how), "%s>%s",
			 vasx_short_size(c->old_last - c->old_start + 1, s1, sizeof(s1)),
			 vasx_short_size(c->last - c->start + 1, s2, sizeof(s2)));
		break;
	case VASX_CH_PERMS:
	case VASX_CH_EXEC:
		snprintf(how, sizeof(how), "%s>%s", vasx_perms_str(c->old_perms, p1),
			 vasx_perms_str(c->new_perms, p2));
		break;
	case VASX_CH_RSS:
		if (c->d_rss_kb + c->d_pss_kb + c->d_swap_kb < 0)
			mark = 'v';
		snprintf(how, sizeof(how), "%+lldK", (long long)(c->d_rss_kb ? c->d_rss_kb : c->d_swap_kb));
		break;
	default:
		vasx_short_size(c->last - c->start + 1, how, sizeof(how));
		break;
	}
	snprintf(buf, len, "%c %llx %s %s", mark, (unsigned long long)c->start, how, name);
}

static void log_add(struct vasx_vas *v, const struct vasx_change *c, const char *label,
		    time_t now)
{
	struct vasx_logent *e;

	if (v->nlog == LOG_MAX) {
		memmove(v->log, v->log + 1, (LOG_MAX - 1) * sizeof(*v->log));
		v->nlog--;
	}
	if (v->nlog == v->caplog) {
		size_t cap = v->caplog ? v->caplog * 2 : 64;
		struct vasx_logent *t = realloc(v->log, cap * sizeof(*t));

		if (!t)
			return;
		v->log = t;
		v->caplog = cap;
	}
	e = &v->log[v->nlog++];
	e->when = now;
	e->kind = c->kind;
	e->start = c->start;
	e->last = c->last;
	describe(c, label, e->text, sizeof(e->text));
	brief(c, label, e->brief, sizeof(e->brief));
}

/*
 * PSS alone moves whenever another process maps or unmaps the same pages
 * (vasx itself, a pmap): that is not a change of this process.
 */
static void drop_pss_jitter(struct vasx_diff *d)
{
	size_t k = 0;

	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].kind != VASX_CH_RSS || d->v[i].d_rss_kb || d->v[i].d_swap_kb)
			d->v[k++] = d->v[i];
	d->n = k;
}

void vasx_changes_apply(struct vasx_ui *ui, const struct vasx_snapshot *old,
			const struct vasx_snapshot *cur, bool log)
{
	struct vasx_vas *v = &ui->vas;
	struct vasx_diff tick = { 0 }, against = { 0 };
	time_t now = time(NULL);
	char name[32];

	if (log)
		vasx_changes_tick(v);
	if (log && old && cur && vasx_snapshot_same_process(old, cur) && !vasx_diff(old, cur, &tick)) {
		drop_pss_jitter(&tick);
		for (size_t i = 0; i < tick.n; i++) {
			const struct vasx_change *c = &tick.v[i];
			const char *label = change_label(c, c->kind == VASX_CH_REMOVED ? old : cur,
							 name, sizeof(name));

			log_add(v, c, label, now);
			if (c->kind == VASX_CH_REMOVED)
				add_ghost(v, c, label, GHOST_TICKS);
		}
	}
	if (v->base && cur && v->base != cur && !vasx_diff(v->base, cur, &against)) {
		drop_pss_jitter(&against);
		vasx_changes_mark(v, &against);
		for (size_t i = 0; i < against.n; i++) {
			const struct vasx_change *c = &against.v[i];

			if (c->kind == VASX_CH_REMOVED && !vasx_vas_ghost(v, c->start, c->last))
				add_ghost(v, c, change_label(c, v->base, name, sizeof(name)), 1);
		}
	} else if (!v->base && log) {
		vasx_changes_mark(v, &tick);
	} else {
		vasx_changes_mark(v, NULL);
	}
	vasx_diff_release(&tick);
	vasx_diff_release(&against);
	v->details_key = 0;
}

void vasx_changes_release(struct vasx_vas *v)
{
	free(v->marks);
	free(v->ghosts);
	free(v->log);
	v->marks = NULL;
	v->ghosts = NULL;
	v->log = NULL;
	v->nmarks = v->nghosts = v->capghosts = v->nlog = v->caplog = 0;
}
