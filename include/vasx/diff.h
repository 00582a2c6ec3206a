/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between two snapshots of one process.
 */
#ifndef VASX_DIFF_H
#define VASX_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct vasx_snapshot;

enum vasx_change_kind {
	VASX_CH_ADDED,
	VASX_CH_REMOVED,
	VASX_CH_GROWN,
	VASX_CH_SHRUNK,
	VASX_CH_PERMS,		/* perms changed */
	VASX_CH_EXEC,		/* became executable (also a perms change) */
	VASX_CH_RSS,		/* Rss/Pss/Swap changed */
};

const char *vasx_change_name(enum vasx_change_kind k);

struct vasx_change {
	enum vasx_change_kind kind;
	uint64_t start, last;		/* in the new snapshot (old one for REMOVED) */
	uint64_t old_start, old_last;
	unsigned old_perms, new_perms;
	int64_t d_rss_kb, d_pss_kb, d_swap_kb;
	const char *name;		/* points into one of the two snapshots */
};

struct vasx_diff {
	struct vasx_change *v;
	size_t n;
};

/*
 * The changes from @a (older) to @b, sorted by start, in one pass over the
 * mappings. A mapping is the same on both sides when its name and its start
 * or its end are the same; one mapping can yield a size, a perms and an
 * RSS change, in that order. A mapping of the other side cut out of a
 * same-named one (mprotect of a part) is a PERMS/EXEC change of that part,
 * or, with the old perms, SHRUNK. For ADDED the old_* range repeats the new
 * one and old_perms is 0; for REMOVED new_perms is 0. d_*_kb are new minus
 * old when both sides have smaps (RSS), the whole counters for ADDED and
 * REMOVED (negated), 0 otherwise. @d holds pointers into @a and @b.
 * 0 or -ENOMEM.
 */
int vasx_diff(const struct vasx_snapshot *a, const struct vasx_snapshot *b, struct vasx_diff *d);
void vasx_diff_release(struct vasx_diff *d);

/* Same pid and start time: false when the pid was reused by another process. */
bool vasx_snapshot_same_process(const struct vasx_snapshot *a, const struct vasx_snapshot *b);

/*
 * Text (one line per change, sizes for people, names escaped) or JSON
 * ({"changes":[...]}, addresses as "0x..." strings). 0 or -errno.
 */
int vasx_export_diff(FILE *f, const struct vasx_diff *d, bool json);
/* One change as a log line for --watch: UTC time @ts, @pid, the change. */
int vasx_export_change_line(FILE *f, const struct vasx_change *c, int pid,
			    const struct timespec *ts);

#endif
