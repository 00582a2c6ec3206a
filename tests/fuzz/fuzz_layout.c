/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target: the bytes as the vasx module's debugfs "layout" file.
 * A layout that parses is sorted and nested, its keys and descriptions are
 * safe on a terminal, and the snapshot built on it covers the whole
 * address space and goes through every exporter.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/klayout.h"
#include "vasx/status.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"
#include "check.h"

static void check_layout(const struct vasx_klayout *kl)
{
	uint64_t last[256];	/* by depth, which is a uint8_t */
	bool top = false;

	if (!memchr(kl->arch, '\0', sizeof(kl->arch)))
		fz_fail("layout", "an arch without its end");
	for (size_t i = 0; i < kl->nregions; i++) {
		const struct vasx_kregion *r = &kl->regions[i];

		if (r->start > r->last || !r->key || !r->desc)
			fz_fail("layout", "a region with a bad range or no key");
		if (i && r->start < kl->regions[i - 1].start)
			fz_fail("layout", "regions out of order");
		if (r->depth && (i == 0 || r->depth > kl->regions[i - 1].depth + 1))
			fz_fail("layout", "a nested region without its parent");
		if (r->depth && r->last > last[r->depth - 1])
			fz_fail("layout", "a nested region sticks out of its parent");
		if (!r->depth && top && r->start <= last[0])
			fz_fail("layout", "top-level regions overlap");
		top |= !r->depth;
		last[r->depth] = r->last;
		for (const char *c = r->key; *c; c++)
			if ((unsigned char)*c <= ' ' || *c == 0x7f)
				fz_fail("layout", "a key with a blank or control byte");
		for (const char *c = r->desc; *c; c++)
			if ((unsigned char)*c < ' ' || *c == 0x7f)
				fz_fail("layout", "a description with a control byte");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vasx_snapshot *s = calloc(1, sizeof(*s));
	FILE *f = fz_open(data, size);
	int err;

	if (!s)
		abort();
	s->pool = vasx_strpool_new();
	if (!s->pool)
		abort();
	err = vasx_klayout_parse(f, &s->kernel, s->pool);
	fclose(f);
	if (err == -ENOMEM)
		abort();
	if (!err) {
		check_layout(&s->kernel);
		s->pid = 1;
		s->totals.mmap_min_addr = 4096;
		/* As the loader does: the module's width of the user half wins. */
		s->va_bits = s->kernel.user_va_bits ? s->kernel.user_va_bits : 47;
		if (vasx_snapshot_build(s, NULL, 0))
			abort();
		fz_check_snapshot(s);
		fz_render(s, size ? data[size / 2] | (unsigned)size << 8 : 0);
	}
	vasx_snapshot_free(s);
	return 0;
}
