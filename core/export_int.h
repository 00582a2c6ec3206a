/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pieces the exporters share; not part of the public API.
 */
#ifndef VASX_EXPORT_INT_H
#define VASX_EXPORT_INT_H

#include <stdio.h>
#include "vasx/vas.h"

/* One mapping as the JSON object documented in vasx(1). */
void vasx_json_mapping(FILE *f, const struct vasx_snapshot *s, const struct vasx_region *r);

/* "08:01", as maps prints a device. */
char *vasx_fmt_dev(const struct vasx_region *r, char buf[24]);

/* A region's name for people: the path or [name], or a word for what it is. */
const char *vasx_region_label(const struct vasx_region *r);

/* The write error of @f as -errno, 0 if none. */
int vasx_export_status(FILE *f);

#endif
