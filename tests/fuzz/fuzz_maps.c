/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target: the bytes as /proc/PID/maps. Each line parses alone as
 * it does in the file; the mappings build a snapshot that covers the whole
 * address space and goes through every exporter.
 */
#include <stdlib.h>
#include <string.h>

#include "vasx/maps.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"
#include "check.h"

/* Lines of the file as the reader counts them; false if one is too long for it. */
static bool count_lines(const uint8_t *data, size_t size, size_t *n)
{
	const uint8_t *p = data, *end = data + size;

	*n = 0;
	while (p < end) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		if (len >= 65535)
			return false;
		(*n)++;
		p = nl ? nl + 1 : end;
	}
	return true;
}

static void check_region(const struct vasx_region *r)
{
	if (r->start > r->last || !(r->flags & VASX_F_MAPPING))
		fz_fail("maps", "a parsed mapping with a bad range or flags");
	if (r->name && (!r->name[0] || strlen(r->name) > 4096))
		fz_fail("maps", "a name empty or longer than PATH_MAX");
}

/* The file's lines one by one must give what the reader gave. */
static void check_each_line(const uint8_t *data, size_t size, const struct vasx_maps *m,
			    struct vasx_strpool *pool)
{
	const char *p = (const char *)data, *end = p + size;
	size_t k = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct vasx_region r;

		if (!vasx_maps_parse_line(p, (size_t)((nl ? nl : end) - p), &r, pool)) {
			if (k >= m->n || r.start != m->v[k].start || r.last != m->v[k].last ||
			    r.perms != m->v[k].perms || r.flags != m->v[k].flags ||
			    r.name != m->v[k].name)
				fz_fail("maps", "a line parses otherwise alone than in the file");
			k++;
		}
		p = nl ? nl + 1 : end;
	}
	if (k != m->n)
		fz_fail("maps", "the file holds another number of mappings than its lines");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vasx_snapshot *s = calloc(1, sizeof(*s));
	struct vasx_maps m = { 0 };
	FILE *f = fz_open(data, size);
	size_t nlines;

	if (!s)
		abort();
	s->pool = vasx_strpool_new();
	if (!s->pool || vasx_maps_read(f, &m, s->pool))
		abort();
	fclose(f);
	for (size_t i = 0; i < m.n; i++)
		check_region(&m.v[i]);
	if (count_lines(data, size, &nlines)) {
		if (m.n + m.malformed != nlines)
			fz_fail("maps", "lines neither parsed nor counted as malformed");
		check_each_line(data, size, &m, s->pool);
	}
	s->pid = 1;
	s->totals.mmap_min_addr = size ? (uint64_t)data[0] << 8 : 65536;
	s->va_bits = m.n && m.v[m.n - 1].last >> 47 && !(m.v[m.n - 1].last >> 63) ? 56 : 47;
	if (vasx_snapshot_build_owned(s, m.v, m.n))
		abort();
	fz_check_snapshot(s);
	fz_render(s, size ? data[size - 1] | (unsigned)size << 8 : 0);
	vasx_snapshot_free(s);
	return 0;
}
