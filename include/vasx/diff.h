/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between two snapshots of one process.
 */
#ifndef VASX_DIFF_H
#define VASX_DIFF_H

#include <stddef.h>
#include <stdint.h>

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

int vasx_diff(const struct vasx_snapshot *a, const struct vasx_snapshot *b, struct vasx_diff *d);
void vasx_diff_release(struct vasx_diff *d);

#endif
