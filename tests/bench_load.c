/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_load: the cost of loading a snapshot, as ratios measured in one run.
 *
 *   bench_load PID [RUNS]
 *
 * Time: the median of RUNS loads (maps + smaps) against the median of RUNS
 * raw reads of /proc/PID/maps and /proc/PID/smaps into a buffer, taken in
 * turn so both see the same machine.
 *
 * Memory: the peak resident growth of a load (VmHWM, reset through
 * /proc/self/clear_refs after the freed memory went back to the system), and
 * the heap the finished snapshot keeps (mallinfo2), medians of RUNS loads,
 * each per mapping and less the string pool that holds the paths.
 *
 * Prints "key value" lines for tests/bench.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vasx/source.h"
#include "vasx/status.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"

#define MAX_RUNS 101

struct raw_buf {
	char *p;
	size_t cap;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Read a whole /proc file into @b, growing it as needed; bytes read or -errno. */
static long raw_read(const char *path, struct raw_buf *b)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (b->cap - len < 65536) {
			size_t cap = b->cap ? 2 * b->cap : 1 << 20;
			char *p = realloc(b->p, cap);

			if (!p) {
				close(fd);
				return -ENOMEM;
			}
			b->p = p;
			b->cap = cap;
		}
		n = read(fd, b->p + len, b->cap - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	return n < 0 ? -errno : (long)len;
}

static int raw_once(int pid, struct raw_buf *b, double *ms)
{
	char maps[64], smaps[64];
	double t0;
	long n;

	snprintf(maps, sizeof(maps), "/proc/%d/maps", pid);
	snprintf(smaps, sizeof(smaps), "/proc/%d/smaps", pid);
	t0 = now_ms();
	n = raw_read(maps, b);
	if (n >= 0)
		n = raw_read(smaps, b);
	*ms = now_ms() - t0;
	return n < 0 ? (int)n : 0;
}

static int load_once(struct vasx_source *src, int pid, double *ms, struct vasx_snapshot **keep)
{
	struct vasx_snapshot *snap;
	double t0 = now_ms();
	int err;

	err = vasx_snapshot_load(src, pid, VASX_LOAD_SMAPS, &snap);
	*ms = now_ms() - t0;
	if (err)
		return err;
	if (keep)
		*keep = snap;
	else
		vasx_snapshot_free(snap);
	return 0;
}

/* VmHWM of this process in kB, or -1. */
static long hwm_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Make the next VmHWM reading start from the present resident size. */
static int hwm_reset(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
	int ok;

	if (fd < 0)
		return -errno;
	ok = write(fd, "5", 1) == 1;
	close(fd);
	return ok ? 0 : -EIO;
}

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static int bench_time(struct vasx_source *src, int pid, int runs)
{
	double raw[MAX_RUNS], load[MAX_RUNS];
	struct raw_buf b = { NULL, 0 };
	double raw_ms, load_ms;
	int i, err;

	/* Warm up: page cache, lazy binding, the buffer's final size. */
	err = raw_once(pid, &b, &raw[0]);
	if (!err)
		err = load_once(src, pid, &load[0], NULL);
	for (i = 0; i < runs && !err; i++) {
		err = raw_once(pid, &b, &raw[i]);
		if (!err)
			err = load_once(src, pid, &load[i], NULL);
	}
	free(b.p);
	if (err) {
		fprintf(stderr, "bench_load: pid %d: %s\n", pid, vasx_strerror(err));
		return err;
	}
	raw_ms = median(raw, runs);
	load_ms = median(load, runs);
	printf("runs %d\n", runs);
	printf("raw_ms %.3f\n", raw_ms);
	printf("load_ms %.3f\n", load_ms);
	printf("load_ratio %.3f\n", load_ms / raw_ms);
	return 0;
}

struct mem_sample {
	size_t kept;		/* heap the snapshot holds */
	size_t peak;		/* resident growth during the load */
	size_t pool;		/* of which strings */
	size_t mappings;
};

/*
 * One load from a trimmed heap. VmHWM is summed from per-CPU counters and
 * misses memory that was resident already, so the peak is taken as at
 * least what the snapshot keeps, and callers take the median of several.
 */
static int mem_once(struct vasx_source *src, int pid, struct mem_sample *m)
{
	struct vasx_snapshot *snap = NULL;
	size_t heap0;
	long hwm0, hwm1;
	double ms;
	int err;

	malloc_trim(0);
	heap0 = heap_in_use();
	err = hwm_reset();
	if (err)
		return err;
	hwm0 = hwm_kb();
	err = load_once(src, pid, &ms, &snap);
	hwm1 = hwm_kb();
	if (err)
		return err;
	m->kept = heap_in_use() - heap0;
	m->peak = hwm0 >= 0 && hwm1 >= hwm0 ? (size_t)(hwm1 - hwm0) * 1024 : 0;
	if (m->peak < m->kept)
		m->peak = m->kept;
	m->pool = vasx_strpool_bytes(snap->pool);
	m->mappings = snap->totals.map_count;
	vasx_snapshot_free(snap);
	return 0;
}

static int bench_memory(struct vasx_source *src, int pid, int runs)
{
	double peak[MAX_RUNS], kept[MAX_RUNS];
	struct mem_sample m = { 0 };
	double ms;
	int i, err;

	/* One small load first, so one-time set-up is not counted as the load's. */
	err = load_once(src, (int)getpid(), &ms, NULL);
	for (i = 0; i < runs && !err; i++) {
		err = mem_once(src, pid, &m);
		peak[i] = (double)m.peak;
		kept[i] = (double)m.kept;
	}
	if (err) {
		fprintf(stderr, "bench_load: pid %d: %s\n", pid, vasx_strerror(err));
		return err;
	}
	printf("mappings %zu\n", m.mappings);
	printf("pool_bytes %zu\n", m.pool);
	printf("kept_bytes %.0f\n", median(kept, runs));
	printf("peak_bytes %.0f\n", median(peak, runs));
	if (m.mappings) {
		double n = (double)m.mappings, pool = (double)m.pool;

		printf("kept_per_mapping %.0f\n", (median(kept, runs) - pool) / n);
		printf("peak_per_mapping %.0f\n", (median(peak, runs) - pool) / n);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct vasx_source *src;
	int pid, runs = 7, err;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench_load PID [RUNS]\n");
		return 2;
	}
	vasx_memory_tune();	/* as the program does */
	pid = atoi(argv[1]);
	if (argc == 3)
		runs = atoi(argv[2]);
	if (pid <= 0 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "bench_load: bad pid or run count (1..%d)\n", MAX_RUNS);
		return 2;
	}
	err = vasx_source_open_live(&src);
	if (err) {
		fprintf(stderr, "bench_load: %s\n", vasx_strerror(err));
		return 1;
	}
	/* Memory first, while the heap holds little from earlier loads. */
	err = bench_memory(src, pid, runs);
	if (!err)
		err = bench_time(src, pid, runs);
	vasx_source_close(src);
	return err ? 1 : 0;
}
