/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --export-maps and --export-kernel: every region of one half of the
 * address space as CSV, sparse regions included, so a spreadsheet sees
 * the whole picture the graph shows.
 */
#include <stdio.h>

#include "vasx/export.h"
#include "vasx/fmt.h"
#include "vasx/vas.h"
#include "export_int.h"

static void csv_region(FILE *f, const struct vasx_snapshot *s, const struct vasx_region *r)
{
	char a[32], e[32], perms[5], dev[24];
	bool mapping = r->flags & VASX_F_MAPPING;

	fprintf(f, "%s,%s,%llu,%s,", vasx_fmt_addr(r->start, a, sizeof(a)),
		vasx_fmt_end(r->last, e, sizeof(e)), (unsigned long long)vasx_region_size(r),
		vasx_kind_name(r->kind));
	vasx_perms_str(r->perms, perms);
	if (!mapping)
		perms[3] = '\0';
	if (mapping)
		fprintf(f, "%s,0x%llx,%s,%llu,", perms, (unsigned long long)r->offset,
			vasx_fmt_dev(r, dev), (unsigned long long)r->inode);
	else if (r->kind == VASX_KIND_GAP || r->kind == VASX_KIND_HOLE)
		fputs("---,,,,", f);
	else
		fprintf(f, "%s,,,,", perms);
	fprintf(f, "%u,%s,", r->depth,
		r->space == VASX_SPACE_KERNEL && !mapping ? vasx_ksource_name(s->kernel.source) : "");
	vasx_csv_str(f, r->name);
	putc(',', f);
	vasx_csv_str(f, r->desc ? r->desc : (mapping ? NULL : vasx_kind_desc(r->kind)));
	putc('\n', f);
}

int vasx_export_regions_csv(FILE *f, const struct vasx_snapshot *s, bool kernel)
{
	size_t i;

	fputs("start,end,size,kind,perms,offset,dev,inode,depth,source,name,description\n", f);
	/* Descending, as the graph reads. */
	for (i = s->nregions; i-- > 0;) {
		const struct vasx_region *r = &s->regions[i];

		if (kernel ? r->space != VASX_SPACE_KERNEL : r->space != VASX_SPACE_USER)
			continue;
		csv_region(f, s, r);
	}
	return vasx_export_status(f);
}
