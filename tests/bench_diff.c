/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How much a live tick's diff costs: vasx_diff on N mappings with 1% of
 * them changed, against parsing the same N mappings as maps text (what
 * every tick pays anyway), for N = 6,000 and 60,000 so the scaling shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vasx/diff.h"
#include "vasx/maps.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"

#define RUNS 31

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/*
 * @n mappings as maps text, like a process with many libraries and anon
 * regions; with @edit, every 100th is changed in turn: removed, grown,
 * re-protected, replaced by another.
 */
static char *layout_text(size_t n, bool edit, size_t *len)
{
	static const char *const names[] = { "", "/usr/lib/x86_64-linux-gnu/libc.so.6",
					     "/usr/lib/x86_64-linux-gnu/libm.so.6", "[heap]" };
	size_t cap = n * 128 + 1;
	char *buf = malloc(cap);
	size_t o = 0;

	if (!buf)
		exit(1);
	for (size_t i = 0; i < n; i++) {
		unsigned long start = 0x7f0000000000ul + i * 0x10000ul, size = 0x4000;
		const char *perms = i % 3 ? "rw-p" : "r-xp", *name = names[i % 4];
		int op = edit && i % 100 == 7 ? (int)(i / 100 % 4) : -1;

		if (op == 0)
			continue;
		if (op == 1)
			size += 0x1000;
		if (op == 2)
			perms = "rwxp";
		if (op == 3)
			name = "/memfd:jit (deleted)";
		o += (size_t)snprintf(buf + o, cap - o, "%lx-%lx %s %08lx 08:01 %lu %s\n", start,
				      start + size, perms, 0ul, i % 4 ? 131000 + i % 4 : 0, name);
	}
	*len = o;
	return buf;
}

static struct vasx_snapshot *load_text(const char *text, size_t len, double *parse_ms)
{
	struct vasx_snapshot *s = calloc(1, sizeof(*s));
	struct vasx_maps m = { 0 };
	FILE *f = fmemopen((void *)text, len, "r");
	double t0 = now_ms();

	if (!s || !f || !(s->pool = vasx_strpool_new()))
		exit(1);
	if (vasx_maps_read(f, &m, s->pool))
		exit(1);
	*parse_ms = now_ms() - t0;
	fclose(f);
	s->pid = 1;
	s->va_bits = 47;
	if (vasx_snapshot_build(s, m.v, m.n))
		exit(1);
	vasx_maps_release(&m);
	return s;
}

static void bench(size_t n, double *diff_ms, double *parse_ms, size_t *nchanges)
{
	double parse[RUNS], diff[RUNS];
	size_t la, lb;
	char *ta = layout_text(n, false, &la), *tb = layout_text(n, true, &lb);
	struct vasx_snapshot *a = NULL, *b = NULL;

	for (int r = 0; r < RUNS; r++) {
		struct vasx_diff d;
		double t0;

		vasx_snapshot_free(a);
		vasx_snapshot_free(b);
		a = load_text(ta, la, &parse[r]);
		b = load_text(tb, lb, &t0);
		t0 = now_ms();
		if (vasx_diff(a, b, &d))
			exit(1);
		diff[r] = now_ms() - t0;
		*nchanges = d.n;
		vasx_diff_release(&d);
	}
	*diff_ms = median(diff, RUNS);
	*parse_ms = median(parse, RUNS);
	vasx_snapshot_free(a);
	vasx_snapshot_free(b);
	free(ta);
	free(tb);
}

int main(void)
{
	static const size_t sizes[] = { 6000, 60000 };
	double per[2];

	for (size_t i = 0; i < 2; i++) {
		double diff_ms, parse_ms;
		size_t nch;

		bench(sizes[i], &diff_ms, &parse_ms, &nch);
		per[i] = diff_ms * 1e6 / (double)sizes[i];
		printf("diff %zu mappings, %zu changes: %.3f ms (median of %d), "
		       "%.1f ns/mapping, %.3fx the maps parse of the same mappings (%.3f ms)\n",
		       sizes[i], nch, diff_ms, RUNS, per[i], diff_ms / parse_ms, parse_ms);
	}
	printf("diff scaling: ns/mapping at 60000 is %.2fx that at 6000 (1.00 = linear)\n",
	       per[1] / per[0]);
	return 0;
}
