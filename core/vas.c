/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The snapshot model: turns a process's mappings and the kernel layout into
 * one sorted array of regions covering all 2^64 addresses, and answers
 * "what is at this address".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/vas.h"
#include "vasx/strpool.h"

#define TOP UINT64_MAX

struct region_vec {
	struct vasx_region *v;
	size_t n, cap;
};

static int push(struct region_vec *rv, const struct vasx_region *r)
{
	if (rv->n == rv->cap) {
		size_t cap = rv->cap ? rv->cap * 2 : 256;
		struct vasx_region *t = realloc(rv->v, cap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		rv->v = t;
		rv->cap = cap;
	}
	rv->v[rv->n++] = *r;
	return 0;
}

static int push_span(struct region_vec *rv, uint64_t start, uint64_t last,
		     enum vasx_kind kind, enum vasx_space space)
{
	struct vasx_region r = {
		.start = start, .last = last, .kind = (uint8_t)kind,
		.space = (uint8_t)space, .smaps = VASX_NONE,
	};

	return push(rv, &r);
}

/* Bounds of the halves for @va_bits of user address space. */
static uint64_t user_last(unsigned va_bits)
{
	return va_bits >= 64 ? TOP : (1ull << va_bits) - 1;
}

static uint64_t kernel_start(unsigned va_bits)
{
	return va_bits >= 64 ? TOP : ~0ull << va_bits;
}

/*
 * The user half is built in place in the loader's array of mappings, so a
 * snapshot of 60,000 mappings never holds two copies of them.
 *
 * First pass, forward: keep the mappings that tile the user half in order
 * (a mapping overlapping its predecessor or crossing the top is counted as
 * malformed) and move them to the front.
 */
static size_t user_compact(struct vasx_snapshot *s, struct vasx_region *maps, size_t n,
			   uint64_t ulast)
{
	uint64_t next = 0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct vasx_region *m = &maps[i];

		if (m->start > ulast)
			continue;	/* kernel half: built apart */
		if (m->start < next || m->last > ulast) {
			s->maps_malformed++;
			continue;
		}
		next = m->last + 1;
		maps[k++] = *m;
	}
	return k;
}

static struct vasx_region span(uint64_t start, uint64_t last, enum vasx_kind kind,
			       enum vasx_space space)
{
	return (struct vasx_region){
		.start = start, .last = last, .kind = (uint8_t)kind,
		.space = (uint8_t)space, .smaps = VASX_NONE,
	};
}

/* What lies before mapping @k (of @n kept) that is not a mapping: up to two spans. */
static size_t user_fill_before(const struct vasx_region *maps, size_t k, uint64_t trap,
			       struct vasx_region out[2])
{
	uint64_t from = k ? maps[k - 1].last + 1 : 0;
	uint64_t to = maps[k].start;	/* exclusive */
	size_t n = 0;

	if (to <= from)
		return 0;
	if (k == 0 && trap && trap <= to) {
		out[n++] = span(0, trap - 1, VASX_KIND_NULLTRAP, VASX_SPACE_USER);
		from = trap;
	}
	if (to > from)
		out[n++] = span(from, to - 1, VASX_KIND_GAP, VASX_SPACE_USER);
	return n;
}

/* What follows the last mapping up to the top of the user half. */
static size_t user_fill_after(const struct vasx_region *maps, size_t n, uint64_t trap,
			      uint64_t ulast, struct vasx_region out[2])
{
	uint64_t from = n ? maps[n - 1].last + 1 : 0;
	size_t k = 0;

	if (n && maps[n - 1].last == ulast)
		return 0;
	if (!n && trap && trap <= ulast) {
		out[k++] = span(0, trap - 1, VASX_KIND_NULLTRAP, VASX_SPACE_USER);
		from = trap;
	}
	out[k++] = span(from, ulast, VASX_KIND_GAP, VASX_SPACE_USER);
	return k;
}

/*
 * Second pass, backward: spread the kept mappings out to their final
 * places, writing the gaps between them. Every mapping only moves up, so
 * nothing is overwritten before it is read.
 */
static void user_expand(struct vasx_region *maps, size_t n, size_t total, uint64_t trap,
			uint64_t ulast)
{
	struct vasx_region fill[2];
	size_t j = total, f;

	f = user_fill_after(maps, n, trap, ulast, fill);
	while (f)
		maps[--j] = fill[--f];
	for (size_t k = n; k-- > 0;) {
		maps[--j] = maps[k];
		f = user_fill_before(maps, k, trap, fill);
		while (f)
			maps[--j] = fill[--f];
	}
}

static size_t user_total(const struct vasx_region *maps, size_t n, uint64_t trap, uint64_t ulast)
{
	struct vasx_region fill[2];
	size_t total = n + user_fill_after(maps, n, trap, ulast, fill);

	for (size_t k = 0; k < n; k++)
		total += user_fill_before(maps, k, trap, fill);
	return total;
}

/* An item of the kernel half before nesting is worked out. */
struct kitem {
	struct vasx_region r;
	int prio;		/* layout 0, mapping 1, kernel object 2 */
};

static int kitem_cmp(const void *a, const void *b)
{
	const struct kitem *x = a, *y = b;

	if (x->r.start != y->r.start)
		return x->r.start < y->r.start ? -1 : 1;
	if (x->r.last != y->r.last)
		return x->r.last > y->r.last ? -1 : 1;	/* parents first */
	return x->prio - y->prio;
}

static int kitems_collect(struct vasx_snapshot *s, const struct vasx_region *maps, size_t n,
			  uint64_t kstart, struct kitem **out, size_t *nout);

/*
 * The kernel half: layout regions, mappings that live there (vsyscall) and
 * the process's kernel objects, nested where one lies inside another, with
 * the gaps between top-level regions made explicit.
 */
static int build_kernel(struct vasx_snapshot *s, struct region_vec *rv,
			const struct vasx_region *maps, size_t n, uint64_t kstart)
{
	size_t stack[16];	/* indices into rv of the open parents */
	struct kitem *items;
	size_t nitems, depth = 0;
	uint64_t next = kstart;
	bool at_top = false;
	int err;

	err = kitems_collect(s, maps, n, kstart, &items, &nitems);
	if (err)
		return err;
	qsort(items, nitems, sizeof(*items), kitem_cmp);
	for (size_t i = 0; i < nitems && !at_top; i++) {
		struct vasx_region *r = &items[i].r;

		while (depth && !(r->start >= rv->v[stack[depth - 1]].start &&
				  r->last <= rv->v[stack[depth - 1]].last))
			depth--;
		if (depth == 0) {
			if (r->start < next) {
				/* Overlaps a top-level region without nesting: keep what is new. */
				if (r->last < next)
					continue;
				r->start = next;
			}
			if (r->start > next) {
				err = push_span(rv, next, r->start - 1, VASX_KIND_GAP, VASX_SPACE_KERNEL);
				if (err)
					goto out;
			}
			next = r->last + 1;
			at_top = r->last == TOP;
		} else if (depth == sizeof(stack) / sizeof(stack[0])) {
			continue;
		}
		r->depth = (uint8_t)depth;
		err = push(rv, r);
		if (err)
			goto out;
		stack[depth++] = rv->n - 1;
	}
	if (!at_top)
		err = push_span(rv, next, TOP, VASX_KIND_GAP, VASX_SPACE_KERNEL);
out:
	free(items);
	return err;
}

static void kobject(struct kitem *it, uint64_t start, uint64_t size, const char *name,
		    const struct vasx_ktask *t)
{
	/* An object of a hostile tasks file may sit in the last page: end at the top. */
	uint64_t last = size - 1 > TOP - start ? TOP : start + size - 1;

	*it = (struct kitem){
		.prio = 2,
		.r = {
			.start = start, .last = last, .name = name,
			.kind = VASX_KIND_KOBJECT, .space = VASX_SPACE_KERNEL,
			.smaps = VASX_NONE, .tid = t->pid,
			.perms = VASX_P_READ | VASX_P_WRITE,
		},
	};
}

static int kitems_collect(struct vasx_snapshot *s, const struct vasx_region *maps, size_t n,
			  uint64_t kstart, struct kitem **out, size_t *nout)
{
	const struct vasx_klayout *kl = &s->kernel;
	uint64_t page = kl->page_size ? kl->page_size : 4096;
	size_t cap = kl->nregions + n + 4 * s->nktasks + 1, k = 0;
	struct kitem *it = calloc(cap, sizeof(*it));

	if (!it)
		return -ENOMEM;
	for (size_t i = 0; i < kl->nregions; i++) {
		const struct vasx_kregion *kr = &kl->regions[i];

		if (kr->start < kstart || kr->last < kr->start)
			continue;
		it[k++] = (struct kitem){
			.prio = 0,
			.r = {
				.start = kr->start, .last = kr->last, .name = kr->key,
				.desc = kr->desc, .perms = kr->perms, .flags = kr->flags,
				.kind = VASX_KIND_KERNEL, .space = VASX_SPACE_KERNEL,
				.smaps = VASX_NONE,
			},
		};
	}
	for (size_t i = 0; i < n; i++) {
		if (maps[i].start < kstart)
			continue;
		it[k].r = maps[i];
		it[k++].prio = 1;
	}
	for (size_t i = 0; i < s->nktasks; i++) {
		const struct vasx_ktask *t = &s->ktasks[i];

		/* Sizes known from x86_64: THREAD_SIZE is 4 pages, a pgd one. */
		if (t->task >= kstart)
			kobject(&it[k++], t->task, 1, "task_struct", t);
		if (t->stack >= kstart)
			kobject(&it[k++], t->stack, 4 * page, "kernel stack", t);
		if (t->mm >= kstart && t->pid == t->tgid)
			kobject(&it[k++], t->mm, 1, "mm_struct", t);
		if (t->pgd >= kstart && t->pid == t->tgid)
			kobject(&it[k++], t->pgd, page, "pgd", t);
	}
	*out = it;
	*nout = k;
	return 0;
}

static void compute_totals(struct vasx_snapshot *s)
{
	struct vasx_totals *t = &s->totals;
	uint64_t ulast = user_last(s->va_bits);

	t->user_vas = ulast + 1;
	t->kernel_vas = s->va_bits >= 64 ? 0 : TOP - kernel_start(s->va_bits) + 1;
	t->hole = s->va_bits >= 63 ? 0 : kernel_start(s->va_bits) - ulast - 1;
	t->mapped = 0;
	t->map_count = 0;
	t->vma_count = 0;
	t->largest_gap = 0;
	t->rss_kb = t->pss_kb = t->uss_kb = t->swap_kb = 0;
	for (size_t i = 0; i < s->nregions; i++) {
		const struct vasx_region *r = &s->regions[i];
		const struct vasx_smaps *sm = vasx_region_smaps(s, r);

		if (r->flags & VASX_F_MAPPING) {
			t->map_count++;
			if (r->space == VASX_SPACE_USER) {
				t->vma_count++;
				t->mapped += vasx_region_size(r);
			}
			if (sm) {
				t->rss_kb += sm->v[VASX_SM_RSS];
				t->pss_kb += sm->v[VASX_SM_PSS];
				t->uss_kb += sm->v[VASX_SM_PRIVATE_CLEAN] +
					     sm->v[VASX_SM_PRIVATE_DIRTY];
				t->swap_kb += sm->v[VASX_SM_SWAP];
			}
		} else if (r->kind == VASX_KIND_GAP && r->space == VASX_SPACE_USER &&
			   vasx_region_size(r) > t->largest_gap) {
			t->largest_gap = vasx_region_size(r);
			t->largest_gap_start = r->start;
		}
	}
	t->have_mem = s->smaps != NULL;
	if (!s->smaps && s->have_rollup) {
		const struct vasx_smaps *ru = &s->rollup;

		t->rss_kb = ru->v[VASX_SM_RSS];
		t->pss_kb = ru->v[VASX_SM_PSS];
		t->uss_kb = ru->v[VASX_SM_PRIVATE_CLEAN] + ru->v[VASX_SM_PRIVATE_DIRTY];
		t->swap_kb = ru->v[VASX_SM_SWAP];
		t->have_mem = true;
	}
	t->sparse = t->user_vas - t->mapped;
	t->mapped_pct = 100.0 * (double)t->mapped / (double)t->user_vas;
	t->sparse_pct = 100.0 - t->mapped_pct;
}

/* Thread indices in the order of their stack pointers. */
static int cmp_thread_sp(const void *a, const void *b, void *threads)
{
	const struct vasx_thread *t = threads;
	uint64_t x = t[*(const size_t *)a].sp, y = t[*(const size_t *)b].sp;

	return (x > y) - (x < y);
}

/* The first position of @idx whose thread's stack pointer is above @addr. */
static size_t threads_above(const struct vasx_thread *t, const size_t *idx, size_t n,
			    uint64_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t[idx[mid]].sp <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Each mapping is classified with only the threads whose stack pointer it
 * holds (the first of them in the threads' order, as with all of them):
 * with thousands of threads, trying every thread for every mapping costs
 * more than reading them.
 */
static void classify_all(struct vasx_snapshot *s, struct vasx_region *maps, size_t n,
			 const struct vasx_stat *leader)
{
	const struct vasx_thread *t = s->threads;
	size_t nt = s->nthreads, *idx = nt ? malloc(nt * sizeof(*idx)) : NULL;

	if (!idx) {
		for (size_t i = 0; i < n; i++)
			vasx_classify(&maps[i], i ? &maps[i - 1] : NULL, leader, t, nt);
		return;
	}
	for (size_t k = 0; k < nt; k++)
		idx[k] = k;
	qsort_r(idx, nt, sizeof(*idx), cmp_thread_sp, (void *)t);
	for (size_t i = 0; i < n; i++) {
		size_t lo = maps[i].start ? threads_above(t, idx, nt, maps[i].start - 1) : 0;
		size_t hi = threads_above(t, idx, nt, maps[i].last), first = nt;

		for (size_t k = lo; k < hi; k++)
			if (t[idx[k]].sp && idx[k] < first)
				first = idx[k];
		vasx_classify(&maps[i], i ? &maps[i - 1] : NULL, leader,
			      first < nt ? &t[first] : NULL, first < nt);
	}
	free(idx);
}

int vasx_snapshot_build_owned(struct vasx_snapshot *s, struct vasx_region *maps, size_t n)
{
	struct region_vec kv = { 0 };
	struct vasx_stat leader;
	uint64_t ulast, kstart, trap;
	size_t kept, total, all;
	struct vasx_region *v;
	bool hole;
	int err = 0;

	if (!s->va_bits)
		s->va_bits = 47;
	ulast = user_last(s->va_bits);
	kstart = kernel_start(s->va_bits);
	trap = s->totals.mmap_min_addr;
	hole = kstart > ulast + 1;
	/* Shown by a thread's id, the [stack] is still the group leader's. */
	leader = s->stat;
	if (s->status.tgid > 0)
		leader.pid = s->status.tgid;
	classify_all(s, maps, n, &leader);
	if (hole)
		err = push_span(&kv, ulast + 1, kstart - 1, VASX_KIND_HOLE, VASX_SPACE_HOLE);
	if (!err && kstart > ulast)
		err = build_kernel(s, &kv, maps, n, kstart);
	if (err)
		goto fail;
	kept = user_compact(s, maps, n, ulast);
	total = user_total(maps, kept, trap, ulast);
	all = total + kv.n;
	v = realloc(maps, all * sizeof(*v));
	if (!v) {
		err = -ENOMEM;
		goto fail;
	}
	user_expand(v, kept, total, trap, ulast);
	if (kv.n)
		memcpy(v + total, kv.v, kv.n * sizeof(*v));
	free(kv.v);
	free(s->regions);
	s->regions = v;
	s->nregions = all;
	compute_totals(s);
	return 0;
fail:
	free(kv.v);
	free(maps);
	return err;
}

int vasx_snapshot_build(struct vasx_snapshot *s, const struct vasx_region *maps, size_t n)
{
	struct vasx_region *copy = malloc((n ? n : 1) * sizeof(*copy));

	if (!copy)
		return -ENOMEM;
	if (n)
		memcpy(copy, maps, n * sizeof(*copy));
	return vasx_snapshot_build_owned(s, copy, n);
}

const struct vasx_region *vasx_snapshot_lookup(const struct vasx_snapshot *s, uint64_t addr)
{
	size_t lo = 0, hi = s->nregions;

	if (!s->nregions)
		return NULL;
	/* The last region starting at or below @addr... */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->regions[mid].start <= addr)
			lo = mid;
		else
			hi = mid;
	}
	/* ...or, walking back, the first that contains it: the deepest one. */
	for (size_t i = lo + 1; i-- > 0;)
		if (vasx_region_contains(&s->regions[i], addr))
			return &s->regions[i];
	return NULL;
}

size_t vasx_snapshot_find(const struct vasx_snapshot *s, uint64_t addr)
{
	const struct vasx_region *r = vasx_snapshot_lookup(s, addr);
	size_t i;

	if (!r)
		return 0;
	for (i = (size_t)(r - s->regions); i > 0 && s->regions[i].depth; i--)
		;
	return i;
}

void vasx_snapshot_free(struct vasx_snapshot *s)
{
	if (!s)
		return;
	free(s->cmdline);
	free(s->regions);
	free(s->smaps);
	free(s->extras.v);
	free(s->threads);
	free(s->ktasks);
	vasx_klayout_release(&s->kernel);
	vasx_strpool_free(s->pool);
	free(s);
}
