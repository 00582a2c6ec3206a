/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process list (libproc2 on the live system, the files of a directory
 * source otherwise) and system figures from meminfo.
 */
#ifndef VASX_PROC_H
#define VASX_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

struct vasx_source;

struct vasx_procinfo {
	int pid;
	int threads;
	unsigned uid;
	char user[32];
	char comm[64];
	char *cmdline;		/* malloc'ed; comm in brackets for kernel threads */
	uint64_t rss_kb, vsz_kb;
	unsigned long long start_time;	/* clock ticks after boot */
	int maps_err;		/* 0 if /proc/PID/maps is readable, else -errno */
	bool kernel_thread;
};

struct vasx_proclist {
	struct vasx_procinfo *v;
	size_t n;
};

int vasx_proclist_load(struct vasx_source *src, struct vasx_proclist *pl);
void vasx_proclist_release(struct vasx_proclist *pl);

/*
 * Select processes: "1,2,3" (pids) and/or a POSIX extended regex on the
 * process name (comm). Either may be NULL; both NULL selects all. Fills
 * @pids (malloc'ed, sorted). -VASX_E_BADREGEX, -EINVAL for a bad pid list.
 */
int vasx_proclist_select(const struct vasx_proclist *pl, const char *pidlist,
			 const char *regex, int **pids, size_t *n);

/* Parse "1,2,3" into pids. -EINVAL on anything else. */
int vasx_parse_pidlist(const char *s, int **pids, size_t *n);

struct vasx_meminfo {
	uint64_t total_kb, free_kb, available_kb, swap_total_kb, swap_free_kb;
};

int vasx_meminfo_load(struct vasx_source *src, struct vasx_meminfo *mi);

#endif
