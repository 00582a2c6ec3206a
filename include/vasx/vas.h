/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The snapshot: one process's whole address space at one instant.
 *
 * regions[] covers [0, 2^64) at depth 0 without overlap, sorted by start:
 * the NULL-trap range, the mappings and the gaps between them, the
 * non-canonical hole (64-bit), and the kernel half (its regions and gaps).
 * Regions nested inside another (kernel-text in kernel-image, vsyscall in
 * fixmap, a task's kernel stack in vmalloc) follow their parent with a
 * greater depth.
 */
#ifndef VASX_VAS_H
#define VASX_VAS_H

#include <stdint.h>
#include "vasx/types.h"
#include "vasx/smaps.h"
#include "vasx/pidinfo.h"
#include "vasx/klayout.h"
#include "vasx/proc.h"

struct vasx_source;
struct vasx_strpool;

/* What to load. Maps, stat and status are always read. */
#define VASX_LOAD_SMAPS		0x01u	/* per-mapping counters */
#define VASX_LOAD_ROLLUP	0x02u	/* smaps_rollup, for totals without smaps */
#define VASX_LOAD_THREADS	0x04u	/* threads' stack pointers: label thread stacks */
#define VASX_LOAD_KERNEL	0x08u	/* the kernel half */
#define VASX_LOAD_KTASKS	0x10u	/* the process's kernel objects (module only) */
#define VASX_LOAD_ALL		0x1fu

struct vasx_totals {
	uint64_t user_vas;		/* size of the user half (TASK_SIZE) */
	uint64_t kernel_vas;		/* size of the kernel half */
	uint64_t hole;			/* size of the non-canonical hole */
	uint64_t mapped;		/* sum of mapping sizes (user) */
	uint64_t sparse;		/* unmapped bytes of the user half */
	double mapped_pct, sparse_pct;	/* of the user half */
	uint64_t rss_kb, pss_kb, uss_kb, swap_kb;	/* from smaps or rollup */
	bool have_mem;			/* the four above are known */
	uint64_t largest_gap;
	uint64_t largest_gap_start;
	size_t map_count;		/* lines of maps */
	size_t vma_count;		/* of those, what vm.max_map_count limits
					 * (not [vsyscall], which is no VMA) */
	long max_map_count;		/* vm.max_map_count, -1 if unknown */
	uint64_t ram_total_kb;		/* MemTotal (libproc2 meminfo) */
	uint64_t mmap_min_addr;
};

struct vasx_snapshot {
	int pid;
	struct vasx_stat stat;
	struct vasx_status status;
	char *cmdline;

	struct vasx_region *regions;
	size_t nregions;
	struct vasx_smaps *smaps;	/* one per mapping when loaded */
	size_t nsmaps;
	struct vasx_smaps_extras extras;
	struct vasx_smaps rollup;	/* smaps_rollup, when loaded */
	bool have_rollup;

	struct vasx_thread *threads;
	size_t nthreads;

	struct vasx_klayout kernel;
	struct vasx_ktask *ktasks;	/* this process's threads, from the module */
	size_t nktasks;

	unsigned va_bits;		/* 47 (4-level) or 56 (5-level); 32 on 32-bit */
	struct vasx_totals totals;

	/*
	 * Lines skipped: maps_malformed those naming a mapping (and mappings
	 * overlapping the one before), smaps_malformed the other lines of
	 * smaps. With maps_from_smaps the mappings were read from smaps and
	 * maps was not read: both counts are of lines of smaps.
	 */
	size_t maps_malformed, smaps_malformed;
	bool maps_from_smaps;
	int smaps_err;			/* 0, or why smaps was not read (-EACCES...) */
	int threads_err;
	int rollup_err;
	double load_ms;

	struct vasx_strpool *pool;
};

int vasx_snapshot_load(struct vasx_source *src, int pid, unsigned what,
		       struct vasx_snapshot **out);
void vasx_snapshot_free(struct vasx_snapshot *snap);
/*
 * Is the live process of @snap still there, the same one (not another in
 * its pid) and not exiting? 0, -VASX_E_EXITED or -VASX_E_PIDREUSED; 0 for
 * a directory source. For files read after the snapshot (--save).
 */
int vasx_snapshot_recheck(struct vasx_source *src, const struct vasx_snapshot *snap);
/* Tune the allocator for snapshots (call once, at the start of a program). */
void vasx_memory_tune(void);

/* The deepest region containing @addr (never NULL for a complete snapshot). */
const struct vasx_region *vasx_snapshot_lookup(const struct vasx_snapshot *snap, uint64_t addr);
/* Index of the depth-0 region containing @addr. */
size_t vasx_snapshot_find(const struct vasx_snapshot *snap, uint64_t addr);

static inline const struct vasx_smaps *
vasx_region_smaps(const struct vasx_snapshot *snap, const struct vasx_region *r)
{
	return r->smaps == VASX_NONE || !snap->smaps ? NULL : &snap->smaps[r->smaps];
}

/*
 * Classify one mapping given its neighbours (for bss after data) and the
 * process's boundaries. Pure: used by the loader and the tests.
 */
void vasx_classify(struct vasx_region *r, const struct vasx_region *prev,
		   const struct vasx_stat *st, const struct vasx_thread *threads,
		   size_t nthreads);

/*
 * Build regions[] from the mappings, adding the NULL trap, the gaps, the
 * hole and the kernel half, and compute the totals. Used by the loader and
 * by tests that build a snapshot by hand.
 */
int vasx_snapshot_build(struct vasx_snapshot *snap, const struct vasx_region *maps, size_t n);
/* The same, taking ownership of @maps (malloc'ed), which becomes regions[]. */
int vasx_snapshot_build_owned(struct vasx_snapshot *snap, struct vasx_region *maps, size_t n);

/* Page residency, from /proc/PID/pagemap (and /proc/kpageflags as root). */
#define VASX_PG_PRESENT		0x01u
#define VASX_PG_SWAPPED		0x02u
#define VASX_PG_FILE		0x04u	/* file page or shared anon */
#define VASX_PG_SOFTDIRTY	0x08u
#define VASX_PG_EXCLUSIVE	0x10u
#define VASX_PG_HAVE_KFLAGS	0x20u	/* kflags below are valid */

struct vasx_page {
	uint8_t flags;
	uint64_t pfn;			/* 0 unless root */
	uint64_t kflags;		/* /proc/kpageflags bits */
};

/* Read residency of @npages pages from @addr. 0 or -errno. */
int vasx_pagemap_read(struct vasx_source *src, int pid, uint64_t addr, size_t npages,
		      struct vasx_page *out);

#endif
