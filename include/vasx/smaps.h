/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/PID/smaps and smaps_rollup: the per-mapping counters.
 */
#ifndef VASX_SMAPS_H
#define VASX_SMAPS_H

#include <stdio.h>
#include "vasx/types.h"

struct vasx_strpool;

/*
 * X(id, smaps name, unit): every counter the kernel prints (fs/proc/task_mmu.c),
 * in its order. unit 1 = "kB" figures, 0 = plain numbers (THPeligible,
 * ProtectionKey). VmFlags is kept apart as a string. smaps_rollup's own
 * Pss_Anon, Pss_File and Pss_Shmem are not in the table: one entry per
 * mapping is held for 60,000 mappings, and these never appear there, so
 * the rollup keeps them among its extra fields, verbatim.
 */
#define VASX_SMAPS_FIELDS(X) \
	X(SIZE, "Size", 1) \
	X(KERNELPAGESIZE, "KernelPageSize", 1) \
	X(MMUPAGESIZE, "MMUPageSize", 1) \
	X(RSS, "Rss", 1) \
	X(PSS, "Pss", 1) \
	X(PSS_DIRTY, "Pss_Dirty", 1) \
	X(SHARED_CLEAN, "Shared_Clean", 1) \
	X(SHARED_DIRTY, "Shared_Dirty", 1) \
	X(PRIVATE_CLEAN, "Private_Clean", 1) \
	X(PRIVATE_DIRTY, "Private_Dirty", 1) \
	X(REFERENCED, "Referenced", 1) \
	X(ANONYMOUS, "Anonymous", 1) \
	X(KSM, "KSM", 1) \
	X(LAZYFREE, "LazyFree", 1) \
	X(ANONHUGEPAGES, "AnonHugePages", 1) \
	X(SHMEMPMDMAPPED, "ShmemPmdMapped", 1) \
	X(FILEPMDMAPPED, "FilePmdMapped", 1) \
	X(SHARED_HUGETLB, "Shared_Hugetlb", 1) \
	X(PRIVATE_HUGETLB, "Private_Hugetlb", 1) \
	X(SWAP, "Swap", 1) \
	X(SWAPPSS, "SwapPss", 1) \
	X(LOCKED, "Locked", 1) \
	X(THPELIGIBLE, "THPeligible", 0) \
	X(PROTECTIONKEY, "ProtectionKey", 0)

enum vasx_smaps_field {
#define VASX_SMAPS_ENUM(id, name, kb) VASX_SM_##id,
	VASX_SMAPS_FIELDS(VASX_SMAPS_ENUM)
#undef VASX_SMAPS_ENUM
	VASX_SM_COUNT
};

struct vasx_smaps {
	uint64_t v[VASX_SM_COUNT];	/* kB for kB fields */
	uint32_t present;		/* bit i: field i was in the file */
	uint32_t nextra;		/* unknown fields, in snapshot->smaps_extra */
	uint32_t extra;			/* index of the first one */
	const char *vmflags;		/* interned "rd mr mw me ac", or NULL */
};

/* A field the kernel printed that this table does not know: kept verbatim. */
struct vasx_smaps_extra {
	const char *name;		/* interned */
	const char *value;		/* interned, e.g. "12 kB" */
};

const char *vasx_smaps_field_name(enum vasx_smaps_field f);
bool vasx_smaps_field_is_kb(enum vasx_smaps_field f);
/* -1 if unknown. */
int vasx_smaps_field_from_name(const char *name, size_t len);

/* Words for a two-letter VmFlags code ("ex" -> "executable"); NULL if unknown. */
const char *vasx_vmflag_desc(const char *code);

/*
 * Parse one smaps counter line ("Rss:  12 kB") into @sm. Returns 1 if it
 * was a counter of the table, 2 for VmFlags (stored interned), 3 for an
 * unknown "Name: value" line (appended to @extra), 0 if it is not a counter
 * line at all (e.g. a mapping header), -VASX_E_MALFORMED for garbage.
 */
struct vasx_smaps_extras {
	struct vasx_smaps_extra *v;
	size_t n, cap;
};
int vasx_smaps_parse_line(const char *line, size_t len, struct vasx_smaps *sm,
			  struct vasx_strpool *pool, struct vasx_smaps_extras *extra);

struct vasx_maps;

struct vasx_smaps_set {
	struct vasx_smaps *v;		/* v[i] belongs to maps->v[i] */
	size_t n, cap;
	struct vasx_smaps_extras extra;
	size_t malformed;		/* counter lines counted and skipped */
};

/*
 * Read a whole smaps file in one pass: each mapping header becomes a region
 * of @m (exactly as vasx_maps_read would make it) and the counters below it
 * the entry of @s with the same index. So loading needs no separate read
 * of maps. 0, -ENOMEM or -errno of a read error.
 */
int vasx_smaps_read(FILE *f, struct vasx_maps *m, struct vasx_smaps_set *s,
		    struct vasx_strpool *pool);
/* smaps_rollup: its one header line, then counters. */
int vasx_smaps_read_rollup(FILE *f, struct vasx_smaps *sm, struct vasx_smaps_extras *extra,
			   struct vasx_strpool *pool);
void vasx_smaps_set_release(struct vasx_smaps_set *s);

#endif
