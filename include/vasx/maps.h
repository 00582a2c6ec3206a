/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/PID/maps: one line per mapping.
 *   start-end perms offset major:minor inode [path]
 */
#ifndef VASX_MAPS_H
#define VASX_MAPS_H

#include <stdio.h>
#include "vasx/types.h"

struct vasx_strpool;

/*
 * Parse one line (without or with its trailing newline) into @r: start,
 * last, perms, offset, device, inode, name (interned in @pool, with the
 * kernel's "\012" escape decoded and " (deleted)" removed into
 * VASX_F_DELETED) and the flags that follow from them. The kind is left for
 * vasx_classify(). Returns 0 or -VASX_E_MALFORMED (truncated line, non-hex
 * digit, start > end, over-long path) or -ENOMEM.
 */
int vasx_maps_parse_line(const char *line, size_t len, struct vasx_region *r,
			 struct vasx_strpool *pool);

struct vasx_maps {
	struct vasx_region *v;
	size_t n, cap;
	size_t malformed;	/* lines counted and skipped */
};

/* Read every line of @f, appending to @m. Returns 0, -ENOMEM or -errno of a read error. */
int vasx_maps_read(FILE *f, struct vasx_maps *m, struct vasx_strpool *pool);
void vasx_maps_release(struct vasx_maps *m);

#endif
