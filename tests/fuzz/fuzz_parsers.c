/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target: arbitrary bytes as /proc/PID/smaps (whose headers are
 * maps lines), as stat/status, and as the module's layout and tasks files;
 * the parsed mappings then go through the snapshot builder. Any crash,
 * sanitizer report or broken invariant is a bug.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/klayout.h"
#include "vasx/maps.h"
#include "vasx/pidinfo.h"
#include "vasx/smaps.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_partition(const struct vasx_snapshot *s)
{
	uint64_t next = 0;

	for (size_t i = 0; i < s->nregions; i++) {
		const struct vasx_region *r = &s->regions[i];

		if (r->start > r->last)
			abort();
		if (r->depth)
			continue;
		if (r->start != next)
			abort();
		next = r->last + 1;
	}
	if (s->nregions && s->regions[s->nregions - 1].last != UINT64_MAX) {
		/* the last depth-0 region must end the address space */
		for (size_t i = s->nregions; i-- > 0;)
			if (!s->regions[i].depth) {
				if (s->regions[i].last != UINT64_MAX)
					abort();
				break;
			}
	}
}

static void fuzz_smaps(const uint8_t *data, size_t size)
{
	struct vasx_snapshot *s = calloc(1, sizeof(*s));
	struct vasx_smaps_set set = { 0 };
	struct vasx_maps m = { 0 };
	FILE *f = fmemopen((void *)data, size, "r");

	if (!f || !s) {
		if (f)
			fclose(f);
		free(s);
		return;
	}
	s->pool = vasx_strpool_new();
	if (vasx_smaps_read(f, &m, &set, s->pool) == 0) {
		for (size_t i = 0; i < m.n; i++)
			m.v[i].smaps = (uint32_t)i;
		s->smaps = set.v;
		s->nsmaps = set.n;
		s->extras = set.extra;
		s->totals.mmap_min_addr = 65536;
		s->va_bits = size && (data[0] & 1) ? 56 : 47;
		if (vasx_snapshot_build(s, m.v, m.n) == 0) {
			check_partition(s);
			if (vasx_snapshot_lookup(s, m.n ? m.v[0].start : 0) == NULL)
				abort();
		}
	} else {
		vasx_smaps_set_release(&set);
	}
	fclose(f);
	vasx_maps_release(&m);
	vasx_snapshot_free(s);
}

static void fuzz_text(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	struct vasx_status status;
	struct vasx_stat st;
	uint64_t sp;

	if (!buf)
		return;
	memcpy(buf, data, size);
	buf[size] = '\0';
	vasx_stat_parse(buf, size, &st);
	vasx_status_parse(buf, size, &status);
	vasx_syscall_parse_sp(buf, size, &sp);
	free(buf);
}

static void fuzz_kernel(const uint8_t *data, size_t size)
{
	struct vasx_strpool *pool = vasx_strpool_new();
	struct vasx_klayout kl = { 0 };
	struct vasx_ktask *t = NULL;
	size_t n = 0, bad = 0;
	FILE *f = fmemopen((void *)data, size, "r");

	if (f) {
		vasx_klayout_parse(f, &kl, pool);
		vasx_klayout_release(&kl);
		rewind(f);
		if (vasx_ktasks_parse(f, &t, &n, &bad) == 0)
			free(t);
		fclose(f);
	}
	vasx_strpool_free(pool);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	fuzz_smaps(data, size);
	fuzz_text(data, size);
	fuzz_kernel(data, size);
	return 0;
}
