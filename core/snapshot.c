/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading a snapshot from a source: the process's files, the kernel half
 * and the system figures, checked against the process exiting (or its pid
 * being reused) while they were read.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <time.h>

#include "vasx/klayout.h"
#include "vasx/maps.h"
#include "vasx/pidinfo.h"
#include "vasx/smaps.h"
#include "vasx/source.h"
#include "vasx/status.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long read_long(struct vasx_source *src, const char *name, long dflt)
{
	char *buf, *end;
	long v;

	if (vasx_source_slurp(src, 0, name, &buf, NULL))
		return dflt;
	v = strtol(buf, &end, 10);
	if (end == buf)
		v = dflt;
	free(buf);
	return v;
}

/* Maps (and with @want_smaps the counters) in one pass over one file. */
static int load_maps(struct vasx_snapshot *s, struct vasx_source *src, bool want_smaps,
		     struct vasx_maps *m)
{
	struct vasx_smaps_set set = { 0 };
	FILE *f;
	int err;

	if (want_smaps) {
		err = vasx_source_fopen(src, s->pid, "smaps", &f);
		if (!err) {
			err = vasx_smaps_read(f, m, &set, s->pool);
			fclose(f);
			if (!err) {
				for (size_t i = 0; i < m->n; i++)
					m->v[i].smaps = (uint32_t)i;
				s->smaps = set.n ? realloc(set.v, set.n * sizeof(*set.v)) : NULL;
				if (!s->smaps)
					s->smaps = set.v;
				s->nsmaps = set.n;
				s->extras = set.extra;
				s->smaps_malformed = set.malformed;
				s->maps_malformed = m->malformed;
				s->maps_from_smaps = true;
				return 0;
			}
			vasx_smaps_set_release(&set);
			vasx_maps_release(m);
		}
		s->smaps_err = err;
	}
	err = vasx_source_fopen(src, s->pid, "maps", &f);
	if (err)
		return err;
	err = vasx_maps_read(f, m, s->pool);
	fclose(f);
	s->maps_malformed = m->malformed;
	return err;
}

static void load_rollup(struct vasx_snapshot *s, struct vasx_source *src)
{
	FILE *f;
	int err = vasx_source_fopen(src, s->pid, "smaps_rollup", &f);

	if (!err) {
		err = vasx_smaps_read_rollup(f, &s->rollup, &s->extras, s->pool);
		fclose(f);
	}
	s->rollup_err = err;
	s->have_rollup = err == 0;
}

/* Keep this process's threads from the module's task list. */
static void load_ktasks(struct vasx_snapshot *s, struct vasx_source *src)
{
	int tgid = s->status.tgid > 0 ? s->status.tgid : s->pid;	/* -p TID: its process */
	struct vasx_ktask *all;
	size_t n, k = 0;

	if (vasx_ktasks_load(src, &all, &n))
		return;
	for (size_t i = 0; i < n; i++)
		if (all[i].tgid == tgid)
			all[k++] = all[i];
	s->ktasks = all;
	s->nktasks = k;
}

/* 47 unless a user mapping lies above 2^47 (then 5-level paging is on). */
static unsigned guess_va_bits(const struct vasx_maps *m)
{
	for (size_t i = m->n; i-- > 0;) {
		if (m->v[i].space != VASX_SPACE_USER)
			continue;
		return m->v[i].last >> 47 ? 56 : 47;
	}
	return 47;
}

/*
 * Without the kernel half, the module's layout still tells the width of
 * the user half: 56 bits under 5-level paging even when no mapping lies
 * above 2^47, as the whole picture would show it. Its header says it; the
 * regions (most of the file) are not wanted here, so they are not read.
 */
static void module_va_bits(struct vasx_snapshot *s, struct vasx_source *src)
{
	unsigned bits;
	FILE *f;

	if (vasx_source_fopen(src, 0, "vasx/layout", &f))
		return;
	if (!vasx_klayout_user_va_bits(f, &bits) && bits)
		s->va_bits = bits;
	fclose(f);
}

/* The kernel sets it at the start of an exit, before the address space goes. */
#define PF_EXITING 0x00000004ul

/*
 * Did the process go away (or get replaced) while we read it? An exiting
 * process still reads as running while its address space is torn down:
 * its maps and smaps then end early, or are empty, without an error.
 */
int vasx_snapshot_recheck(struct vasx_source *src, const struct vasx_snapshot *s)
{
	struct vasx_stat now;
	size_t len;
	char *buf;
	int err;

	if (!src->live)
		return 0;
	err = vasx_source_slurp(src, s->pid, "stat", &buf, &len);
	if (err == -ENOENT || err == -ESRCH)
		return -VASX_E_EXITED;
	if (err)
		return err;
	err = vasx_stat_parse(buf, len, &now);
	free(buf);
	if (err)
		return err;
	if (now.starttime != s->stat.starttime)
		return -VASX_E_PIDREUSED;
	if (now.state == 'Z' || now.state == 'X' || (now.flags & PF_EXITING))
		return -VASX_E_EXITED;
	return 0;
}

static int snapshot_fill(struct vasx_snapshot *s, struct vasx_source *src, unsigned what)
{
	struct vasx_maps m = { 0 };
	struct vasx_meminfo mi;
	int err;

	err = vasx_pidinfo_load(src, s->pid, &s->stat, &s->status,
				what & VASX_LOAD_THREADS ? &s->threads : NULL,
				what & VASX_LOAD_THREADS ? &s->nthreads : NULL);
	if (err == -ENOENT)
		return -ESRCH;
	if (err)
		return err;
	s->cmdline = vasx_cmdline_load(src, s->pid);
	err = load_maps(s, src, what & VASX_LOAD_SMAPS, &m);
	if (err == -ENOENT || err == -ESRCH)
		err = -VASX_E_EXITED;
	if (err)
		goto out;
	if (!s->smaps && (what & (VASX_LOAD_ROLLUP | VASX_LOAD_SMAPS)))
		load_rollup(s, src);
	s->va_bits = guess_va_bits(&m);
	s->totals.mmap_min_addr = (uint64_t)read_long(src, "sys/vm/mmap_min_addr", 65536);
	s->totals.max_map_count = read_long(src, "sys/vm/max_map_count", -1);
	if (!vasx_meminfo_load(src, &mi))
		s->totals.ram_total_kb = mi.total_kb;
	if (what & VASX_LOAD_KERNEL) {
		err = vasx_klayout_load(src, s->va_bits, &s->kernel, s->pool);
		if (err)
			goto out;
		if (s->kernel.user_va_bits)
			s->va_bits = s->kernel.user_va_bits;
		if ((what & VASX_LOAD_KTASKS) && s->kernel.source == VASX_KSRC_MODULE)
			load_ktasks(s, src);
	} else if (what) {
		module_va_bits(s, src);	/* not for maps alone (--maps, every process) */
	}
	err = vasx_snapshot_recheck(src, s);
	if (!err) {
		err = vasx_snapshot_build_owned(s, m.v, m.n);
		m.v = NULL;	/* now regions[], or freed */
		m.n = 0;
	}
out:
	vasx_maps_release(&m);
	return err;
}

int vasx_snapshot_load(struct vasx_source *src, int pid, unsigned what,
		       struct vasx_snapshot **out)
{
	double t0 = now_ms();
	struct vasx_snapshot *s;
	int err;

	if (pid <= 0)
		return -EINVAL;
	if (!src->ops->pid_exists(src, pid))
		return -ESRCH;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->pid = pid;
	s->pool = vasx_strpool_new();
	if (!s->pool) {
		free(s);
		return -ENOMEM;
	}
	err = snapshot_fill(s, src, what);
	if (err) {
		vasx_snapshot_free(s);
		return err;
	}
	s->load_ms = now_ms() - t0;
	*out = s;
	return 0;
}

void vasx_memory_tune(void)
{
	/*
	 * Snapshot arrays grow to megabytes. Above a fixed threshold glibc
	 * keeps each in its own mapping, which grows by moving pages (mremap)
	 * instead of copying and goes back to the system when freed. Without
	 * this, the threshold rises after the first free and every later
	 * snapshot (one per refresh) grows by copying on the heap: half again
	 * as much memory at the peak.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
}
