/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout of the address column: which regions are shown, in descending
 * address order, and how many rows each band gets. Computed once per
 * snapshot and scale, never per frame. Pure: no curses, no I/O.
 */
#ifndef VASX_TUI_COLSCALE_H
#define VASX_TUI_COLSCALE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vasx/types.h"

#define VASX_COL_MAXROWS 12	/* tallest band of the logarithmic scale */

struct vasx_colitem {
	uint32_t region;	/* index into the snapshot's regions[] */
	uint32_t rows;
};

struct vasx_colscale_opts {
	bool linear;
	bool only_user, only_kernel;
	unsigned height;	/* rows of the pane: sets the linear unit */
};

struct vasx_colscale {
	struct vasx_colitem *v;
	size_t n;
	uint64_t *ypos;		/* n + 1 prefix sums of rows */
	uint32_t *item_of;	/* region index -> item index, or UINT32_MAX */
	size_t nregions;
	uint64_t unit;		/* linear scale: bytes per row; 0 for log */
};

/* Rows of a band of @size bytes on the logarithmic scale. */
unsigned vasx_colscale_log_rows(uint64_t size);
/* Is @r drawn as a compressed band (gap, hole, NULL trap)? */
bool vasx_colscale_compressed(const struct vasx_region *r);

int vasx_colscale_build(struct vasx_colscale *cs, const struct vasx_region *r, size_t n,
			const struct vasx_colscale_opts *o);
void vasx_colscale_release(struct vasx_colscale *cs);

/*
 * Zooming into [start, last]: the bytes per row, a power of two of at least
 * @page, so that the range fits in about @height rows.
 */
uint64_t vasx_zoom_gran(uint64_t start, uint64_t last, unsigned height, uint64_t page);
uint64_t vasx_zoom_rows(uint64_t start, uint64_t last, uint64_t gran);
/* Row @row (0 at the top: descending) of a zoom covers [*lo, *hi]. */
void vasx_zoom_row_range(uint64_t start, uint64_t last, uint64_t gran, uint64_t row,
			 uint64_t *lo, uint64_t *hi);
/* The row holding @addr. */
uint64_t vasx_zoom_row_of(uint64_t start, uint64_t last, uint64_t gran, uint64_t addr);

#endif
