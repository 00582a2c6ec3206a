/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target: the bytes as /proc/PID/smaps and as smaps_rollup. The
 * reader's fast path for the kernel's own layout must agree with the
 * general line parser; the mappings and counters build a snapshot that
 * covers the whole address space and goes through every exporter.
 */
#include <stdlib.h>
#include <string.h>

#include "vasx/maps.h"
#include "vasx/smaps.h"
#include "vasx/status.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"
#include "check.h"

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static bool header_like(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && is_hex(p[i]))
		i++;
	return i > 0 && i < len && p[i] == '-';
}

static bool counter_like(const char *p, size_t len)
{
	size_t i = 0;

	if (!len || !((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z'))
		return false;
	while (i < len && (((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z') ||
			   (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
		i++;
	return i < len && p[i] == ':';
}

static bool same_counters(const struct vasx_smaps *a, const struct vasx_smaps *b)
{
	return !memcmp(a->v, b->v, sizeof(a->v)) && a->present == b->present &&
	       a->vmflags == b->vmflags;
}

/*
 * The file read the slow, plain way: one line at a time through the
 * public line parsers. Every mapping and counter must match the reader's.
 */
static void check_reference(const uint8_t *data, size_t size, const struct vasx_maps *m,
			    const struct vasx_smaps_set *set, struct vasx_strpool *pool)
{
	const char *p = (const char *)data, *end = p + size;
	struct vasx_smaps cur;
	bool have = false;
	size_t k = 0;

	for (const char *q = p; q < end;) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));

		if ((size_t)((nl ? nl : end) - q) >= 65535)
			return;		/* the reader skips what it cannot hold */
		q = nl ? nl + 1 : end;
	}
	while (p < end) {
		const char *line = p, *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		struct vasx_region r;

		p = nl ? nl + 1 : end;
		if (have && vasx_smaps_parse_line(line, len, &cur, pool, NULL))
			continue;
		if ((!have && counter_like(line, len)) || !header_like(line, len))
			continue;
		if (have && !same_counters(&cur, &set->v[k - 1]))
			fz_fail("smaps", "the fast reader and the line parser disagree on a counter");
		have = !vasx_maps_parse_line(line, len, &r, pool);
		if (!have)
			continue;
		if (k >= m->n || r.start != m->v[k].start || r.last != m->v[k].last ||
		    r.name != m->v[k].name)
			fz_fail("smaps", "the reader and the line parser disagree on a mapping");
		memset(&cur, 0, sizeof(cur));
		k++;
	}
	if (have && !same_counters(&cur, &set->v[k - 1]))
		fz_fail("smaps", "the fast reader and the line parser disagree on a counter");
	if (k != m->n)
		fz_fail("smaps", "the reader and the line parser found other numbers of mappings");
}

static void check_set(const struct vasx_maps *m, const struct vasx_smaps_set *set)
{
	if (set->n != m->n)
		fz_fail("smaps", "counters and mappings out of step");
	for (size_t i = 0; i < set->n; i++) {
		const struct vasx_smaps *sm = &set->v[i];

		if (sm->present >> VASX_SM_COUNT)
			fz_fail("smaps", "a counter present that the table lacks");
		if (sm->nextra && (sm->extra >= set->extra.n ||
				   set->extra.n - sm->extra < sm->nextra))
			fz_fail("smaps", "extra fields outside their array");
	}
}

static void fuzz_rollup(const uint8_t *data, size_t size, struct vasx_strpool *pool)
{
	struct vasx_smaps_extras extra = { 0 };
	struct vasx_smaps sm;
	FILE *f = fz_open(data, size);
	int err = vasx_smaps_read_rollup(f, &sm, &extra, pool);

	fclose(f);
	if (err && err != -VASX_E_MALFORMED)
		abort();
	if (sm.present >> VASX_SM_COUNT || (sm.nextra && sm.extra + sm.nextra > extra.n))
		fz_fail("smaps_rollup", "counters or extras out of range");
	free(extra.v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vasx_snapshot *s = calloc(1, sizeof(*s));
	struct vasx_smaps_set set = { 0 };
	struct vasx_maps m = { 0 };
	FILE *f = fz_open(data, size);

	if (!s)
		abort();
	s->pool = vasx_strpool_new();
	if (!s->pool || vasx_smaps_read(f, &m, &set, s->pool))
		abort();
	fclose(f);
	check_set(&m, &set);
	check_reference(data, size, &m, &set, s->pool);
	fuzz_rollup(data, size, s->pool);
	for (size_t i = 0; i < m.n; i++)
		m.v[i].smaps = (uint32_t)i;
	s->pid = 1;
	s->smaps = set.v;
	s->nsmaps = set.n;
	s->extras = set.extra;
	s->totals.mmap_min_addr = 65536;
	s->va_bits = m.n && m.v[m.n - 1].last >> 47 && !(m.v[m.n - 1].last >> 63) ? 56 : 47;
	if (vasx_snapshot_build_owned(s, m.v, m.n))
		abort();
	fz_check_snapshot(s);
	fz_render(s, size ? data[0] | (unsigned)size << 8 : 0);
	vasx_snapshot_free(s);
	return 0;
}
