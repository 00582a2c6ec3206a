/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The difference of two snapshots: which mappings appeared, vanished,
 * grew, shrank, changed protection or residency. The live view calls this
 * every tick, so it is one merge pass over the two sorted region arrays
 * with no lookup tables and no per-region allocation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/diff.h"
#include "vasx/vas.h"

static const char *const change_names[] = {
	[VASX_CH_ADDED] = "added",
	[VASX_CH_REMOVED] = "removed",
	[VASX_CH_GROWN] = "grown",
	[VASX_CH_SHRUNK] = "shrunk",
	[VASX_CH_PERMS] = "perms",
	[VASX_CH_EXEC] = "exec",
	[VASX_CH_RSS] = "rss",
};

const char *vasx_change_name(enum vasx_change_kind k)
{
	if ((unsigned)k >= sizeof(change_names) / sizeof(change_names[0]))
		return "?";
	return change_names[k];
}

bool vasx_snapshot_same_process(const struct vasx_snapshot *a, const struct vasx_snapshot *b)
{
	return a->pid == b->pid && a->stat.starttime == b->stat.starttime;
}

struct diff_out {
	struct vasx_diff *d;
	size_t cap;
};

/*
 * Append a change about @old (NULL when added) and @cur (NULL when
 * removed); the fields of a side that does not exist repeat the other
 * side's range and leave its perms 0.
 */
static struct vasx_change *emit(struct diff_out *o, enum vasx_change_kind kind,
				const struct vasx_region *old, const struct vasx_region *cur)
{
	struct vasx_change *c;

	if (o->d->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;

		c = realloc(o->d->v, cap * sizeof(*c));
		if (!c)
			return NULL;
		o->d->v = c;
		o->cap = cap;
	}
	c = &o->d->v[o->d->n++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	if (cur) {
		c->start = cur->start;
		c->last = cur->last;
		c->new_perms = cur->perms;
		c->name = cur->name;
	}
	if (old) {
		c->old_start = old->start;
		c->old_last = old->last;
		c->old_perms = old->perms;
		if (!cur) {
			c->start = old->start;
			c->last = old->last;
			c->name = old->name;
		}
	} else {
		c->old_start = c->start;
		c->old_last = c->last;
	}
	return c;
}

static bool same_name(const struct vasx_region *a, const struct vasx_region *b)
{
	if (a->name == b->name)
		return true;
	return a->name && b->name && !strcmp(a->name, b->name);
}

static enum vasx_change_kind perms_kind(unsigned old, unsigned cur)
{
	return !(old & VASX_P_EXEC) && (cur & VASX_P_EXEC) ? VASX_CH_EXEC : VASX_CH_PERMS;
}

/*
 * A counter as a signed figure. A hostile smaps may hold any 64-bit
 * number: capped at INT64_MAX, negating one or subtracting two cannot
 * overflow.
 */
static int64_t counter(const struct vasx_smaps *sm, enum vasx_smaps_field f)
{
	if (!sm)
		return 0;
	return sm->v[f] > INT64_MAX ? INT64_MAX : (int64_t)sm->v[f];
}

/* A mapping seen only on one side: its counters are the whole delta. */
static int emit_lone(struct diff_out *o, enum vasx_change_kind kind,
		     const struct vasx_snapshot *s, const struct vasx_region *r)
{
	const struct vasx_smaps *sm = vasx_region_smaps(s, r);
	struct vasx_change *c;
	int64_t sign = kind == VASX_CH_ADDED ? 1 : -1;

	c = emit(o, kind, kind == VASX_CH_REMOVED ? r : NULL, kind == VASX_CH_ADDED ? r : NULL);
	if (!c)
		return -ENOMEM;
	c->d_rss_kb = sign * counter(sm, VASX_SM_RSS);
	c->d_pss_kb = sign * counter(sm, VASX_SM_PSS);
	c->d_swap_kb = sign * counter(sm, VASX_SM_SWAP);
	return 0;
}

/*
 * An unmatched mapping lying inside a mapping of the other side with the
 * same name is a piece of a split (mprotect of part of a mapping) or of a
 * merge (the reverse). Said as "added" or "removed" it would claim memory
 * was mapped or unmapped; what happened is that the range changed
 * protection, or, for a split, that it is what remains of the old mapping.
 * @old and @cur are the two mappings, @piece the one of them that is the
 * piece; start/last say where the change is in the new snapshot.
 */
static int emit_piece(struct diff_out *o, const struct vasx_region *old,
		      const struct vasx_region *cur, const struct vasx_region *piece)
{
	struct vasx_change *c;

	if (old->perms != cur->perms)
		c = emit(o, perms_kind(old->perms, cur->perms), old, cur);
	else if (piece == cur)
		c = emit(o, VASX_CH_SHRUNK, old, cur);
	else
		return 0;	/* merged into @cur, whose growth says it */
	if (!c)
		return -ENOMEM;
	c->start = piece->start;
	c->last = piece->last;
	c->name = piece->name;
	return 0;
}

static bool is_piece(const struct vasx_region *outer, const struct vasx_region *piece)
{
	return outer && outer->start <= piece->start && piece->last <= outer->last &&
	       same_name(outer, piece);
}

static int diff_pair(struct diff_out *o, const struct vasx_snapshot *sa,
		     const struct vasx_region *a, const struct vasx_snapshot *sb,
		     const struct vasx_region *b)
{
	const struct vasx_smaps *ma = vasx_region_smaps(sa, a), *mb = vasx_region_smaps(sb, b);
	uint64_t old_size = vasx_region_size(a), new_size = vasx_region_size(b);
	struct vasx_change *c;

	if (old_size != new_size &&
	    !emit(o, new_size > old_size ? VASX_CH_GROWN : VASX_CH_SHRUNK, a, b))
		return -ENOMEM;
	if (a->perms != b->perms && !emit(o, perms_kind(a->perms, b->perms), a, b))
		return -ENOMEM;
	if (!ma || !mb)
		return 0;
	if (ma->v[VASX_SM_RSS] == mb->v[VASX_SM_RSS] && ma->v[VASX_SM_PSS] == mb->v[VASX_SM_PSS] &&
	    ma->v[VASX_SM_SWAP] == mb->v[VASX_SM_SWAP])
		return 0;
	c = emit(o, VASX_CH_RSS, a, b);
	if (!c)
		return -ENOMEM;
	c->d_rss_kb = counter(mb, VASX_SM_RSS) - counter(ma, VASX_SM_RSS);
	c->d_pss_kb = counter(mb, VASX_SM_PSS) - counter(ma, VASX_SM_PSS);
	c->d_swap_kb = counter(mb, VASX_SM_SWAP) - counter(ma, VASX_SM_SWAP);
	return 0;
}

static size_t next_mapping(const struct vasx_snapshot *s, size_t i)
{
	while (i < s->nregions && !(s->regions[i].flags & VASX_F_MAPPING))
		i++;
	return i;
}

/*
 * Was the head of @a covered by the other mapping at b[j], @a itself being
 * the next mapping of @b by its end (MAP_FIXED over the first pages)?
 */
static bool head_replaced(const struct vasx_snapshot *sb, size_t j, const struct vasx_region *a)
{
	size_t k = next_mapping(sb, j + 1);

	return k < sb->nregions && sb->regions[k].last == a->last && same_name(&sb->regions[k], a);
}

/*
 * One step of the merge: consume the lower of a[*i] and b[*j], or both when
 * they are the same mapping. Mappings never overlap within a snapshot, so
 * nothing met later can be a better match than the one decided here. On a
 * tie of different mappings the old one goes first, unless it lives on as
 * the next new one. @prev_a and @prev_b are the last pair, the only
 * mappings a piece of a split or merge can belong to.
 */
static int diff_step(struct diff_out *o, const struct vasx_snapshot *sa, size_t *i,
		     const struct vasx_snapshot *sb, size_t *j,
		     const struct vasx_region **prev_a, const struct vasx_region **prev_b)
{
	const struct vasx_region *a = *i < sa->nregions ? &sa->regions[*i] : NULL;
	const struct vasx_region *b = *j < sb->nregions ? &sb->regions[*j] : NULL;
	int err;

	if (a && b && same_name(a, b) && (a->start == b->start || a->last == b->last)) {
		err = diff_pair(o, sa, a, sb, b);
		*prev_a = a;
		*prev_b = b;
		*i = next_mapping(sa, *i + 1);
		*j = next_mapping(sb, *j + 1);
		return err;
	}
	if (a && (!b || a->start < b->start ||
		  (a->start == b->start && !head_replaced(sb, *j, a)))) {
		if (is_piece(*prev_b, a))
			err = emit_piece(o, a, *prev_b, a);
		else
			err = emit_lone(o, VASX_CH_REMOVED, sa, a);
		*i = next_mapping(sa, *i + 1);
		return err;
	}
	if (is_piece(*prev_a, b))
		err = emit_piece(o, *prev_a, b, b);
	else
		err = emit_lone(o, VASX_CH_ADDED, sb, b);
	*j = next_mapping(sb, *j + 1);
	return err;
}

int vasx_diff(const struct vasx_snapshot *a, const struct vasx_snapshot *b, struct vasx_diff *d)
{
	struct diff_out o = { .d = d };
	const struct vasx_region *prev_a = NULL, *prev_b = NULL;
	size_t i = next_mapping(a, 0), j = next_mapping(b, 0);
	int err = 0;

	d->v = NULL;
	d->n = 0;
	while (!err && (i < a->nregions || j < b->nregions))
		err = diff_step(&o, a, &i, b, &j, &prev_a, &prev_b);
	if (err)
		vasx_diff_release(d);
	return err;
}

void vasx_diff_release(struct vasx_diff *d)
{
	free(d->v);
	d->v = NULL;
	d->n = 0;
}
