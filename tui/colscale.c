/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Column layout: bands in descending address order, their heights, and the
 * row arithmetic of zoomed views.
 */
#include <errno.h>
#include <stdlib.h>
#include "colscale.h"

static unsigned log2_floor(uint64_t v)
{
	return v ? 63 - (unsigned)__builtin_clzll(v) : 0;
}

/* One more row for every factor of eight above a page. */
unsigned vasx_colscale_log_rows(uint64_t size)
{
	unsigned rows;

	if (size <= 4096)
		return 1;
	rows = 1 + (log2_floor(size - 1) + 1 - 12) / 3;
	return rows > VASX_COL_MAXROWS ? VASX_COL_MAXROWS : rows;
}

bool vasx_colscale_compressed(const struct vasx_region *r)
{
	return r->kind == VASX_KIND_GAP || r->kind == VASX_KIND_HOLE ||
	       r->kind == VASX_KIND_NULLTRAP;
}

static bool shown(const struct vasx_region *r, const struct vasx_colscale_opts *o)
{
	if (o->only_user)
		return r->space == VASX_SPACE_USER;
	if (o->only_kernel)
		return r->space == VASX_SPACE_KERNEL;
	return true;
}

static unsigned band_rows(const struct vasx_region *r, const struct vasx_colscale *cs,
			  unsigned height)
{
	uint64_t rows;

	if (r->depth > 0 || vasx_colscale_compressed(r))
		return 1;
	if (!cs->unit)
		return vasx_colscale_log_rows(vasx_region_size(r));
	rows = vasx_region_size(r) / cs->unit + (vasx_region_size(r) % cs->unit != 0);
	if (rows > 4ull * height)
		rows = 4ull * height;
	return rows ? (unsigned)rows : 1;
}

/*
 * Linear: the shown mapped bytes over eight screens. The user half sets the
 * unit when it is shown: the kernel's terabytes would flatten every mapping
 * to one row (they are capped instead).
 */
static uint64_t linear_unit(const struct vasx_region *r, size_t n,
			    const struct vasx_colscale_opts *o)
{
	uint64_t sum = 0, unit;
	bool user = false;
	size_t i;

	for (i = 0; i < n && !o->only_kernel; i++)
		user |= (r[i].flags & VASX_F_MAPPING) && r[i].space == VASX_SPACE_USER;
	for (i = 0; i < n; i++) {
		if (r[i].depth || vasx_colscale_compressed(&r[i]) || !shown(&r[i], o))
			continue;
		if (user && r[i].space != VASX_SPACE_USER)
			continue;
		if (sum + vasx_region_size(&r[i]) < sum)
			sum = UINT64_MAX;
		else
			sum += vasx_region_size(&r[i]);
	}
	unit = sum / (8ull * (o->height ? o->height : 24));
	return unit < 4096 ? 4096 : unit;
}

static void push(struct vasx_colscale *cs, size_t idx, unsigned rows)
{
	cs->v[cs->n].region = (uint32_t)idx;
	cs->v[cs->n].rows = rows;
	cs->item_of[idx] = (uint32_t)cs->n;
	cs->ypos[cs->n + 1] = cs->ypos[cs->n] + rows;
	cs->n++;
}

/*
 * Emit the regions of [lo, end) whose depth is @depth, from the highest
 * address down, each followed by what is nested inside it.
 */
static void emit(struct vasx_colscale *cs, const struct vasx_region *r, size_t lo, size_t end,
		 unsigned depth, const struct vasx_colscale_opts *o)
{
	while (end > lo) {
		size_t i = end - 1;

		while (i > lo && r[i].depth > depth)
			i--;
		if (depth > 0 || shown(&r[i], o)) {
			push(cs, i, depth ? 1 : band_rows(&r[i], cs, o->height));
			if (depth < 255)
				emit(cs, r, i + 1, end, depth + 1, o);
		}
		end = i;
	}
}

int vasx_colscale_build(struct vasx_colscale *cs, const struct vasx_region *r, size_t n,
			const struct vasx_colscale_opts *o)
{
	vasx_colscale_release(cs);
	cs->v = malloc((n ? n : 1) * sizeof(*cs->v));
	cs->ypos = malloc((n + 1) * sizeof(*cs->ypos));
	cs->item_of = malloc((n ? n : 1) * sizeof(*cs->item_of));
	if (!cs->v || !cs->ypos || !cs->item_of) {
		vasx_colscale_release(cs);
		return -ENOMEM;
	}
	cs->nregions = n;
	cs->unit = o->linear ? linear_unit(r, n, o) : 0;
	cs->ypos[0] = 0;
	for (size_t i = 0; i < n; i++)
		cs->item_of[i] = UINT32_MAX;
	emit(cs, r, 0, n, 0, o);
	return 0;
}

void vasx_colscale_release(struct vasx_colscale *cs)
{
	free(cs->v);
	free(cs->ypos);
	free(cs->item_of);
	cs->v = NULL;
	cs->ypos = NULL;
	cs->item_of = NULL;
	cs->n = cs->nregions = 0;
}

uint64_t vasx_zoom_gran(uint64_t start, uint64_t last, unsigned height, uint64_t page)
{
	uint64_t size_pages = (last - start) / page + 1;	/* no overflow at 2^64 */
	uint64_t per_row = size_pages / (height ? height : 1) +
			   (size_pages % (height ? height : 1) != 0);
	unsigned shift = 0;

	while ((page << shift) < (1ull << 63) && (1ull << shift) < per_row)
		shift++;
	return page << shift;
}

uint64_t vasx_zoom_rows(uint64_t start, uint64_t last, uint64_t gran)
{
	return (last - start) / gran + 1;
}

void vasx_zoom_row_range(uint64_t start, uint64_t last, uint64_t gran, uint64_t row,
			 uint64_t *lo, uint64_t *hi)
{
	uint64_t k = vasx_zoom_rows(start, last, gran) - 1 - row;

	*lo = start + k * gran;
	*hi = last - *lo < gran - 1 ? last : *lo + gran - 1;
}

uint64_t vasx_zoom_row_of(uint64_t start, uint64_t last, uint64_t gran, uint64_t addr)
{
	if (addr < start)
		addr = start;
	if (addr > last)
		addr = last;
	return vasx_zoom_rows(start, last, gran) - 1 - (addr - start) / gran;
}
