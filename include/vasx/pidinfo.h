/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/PID/stat, status, cmdline and the threads' stack pointers.
 */
#ifndef VASX_PIDINFO_H
#define VASX_PIDINFO_H

#include <stdint.h>
#include <stdio.h>

struct vasx_source;

/* Boundaries from /proc/PID/stat (zero when the kernel hides them). */
struct vasx_stat {
	int pid;
	char state;
	char comm[64];		/* as in stat, parentheses removed; may hold any byte */
	int ppid;
	unsigned long flags;		/* the task's PF_* flags (field 9) */
	unsigned long long starttime;	/* clock ticks after boot: pid reuse check */
	uint64_t vsize;
	uint64_t rss_pages;
	uint64_t start_code, end_code, start_stack;
	uint64_t start_data, end_data, start_brk;
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t kstkesp, kstkeip;
	int num_threads;
};

/* X(id, status name): the Vm* and Rss* lines of /proc/PID/status, in kB. */
#define VASX_STATUS_FIELDS(X) \
	X(VMPEAK, "VmPeak") X(VMSIZE, "VmSize") X(VMLCK, "VmLck") \
	X(VMPIN, "VmPin") X(VMHWM, "VmHWM") X(VMRSS, "VmRSS") \
	X(RSSANON, "RssAnon") X(RSSFILE, "RssFile") X(RSSSHMEM, "RssShmem") \
	X(VMDATA, "VmData") X(VMSTK, "VmStk") X(VMEXE, "VmExe") \
	X(VMLIB, "VmLib") X(VMPTE, "VmPTE") X(VMSWAP, "VmSwap") \
	X(HUGETLBPAGES, "HugetlbPages")

enum vasx_status_field {
#define VASX_STF_ENUM(id, name) VASX_ST_##id,
	VASX_STATUS_FIELDS(VASX_STF_ENUM)
#undef VASX_STF_ENUM
	VASX_ST_COUNT
};

struct vasx_status {
	char name[64];
	int tgid, pid, ppid, threads;
	unsigned uid[4], gid[4];	/* real, effective, saved, fs */
	uint64_t v[VASX_ST_COUNT];	/* kB */
	uint32_t present;
};

const char *vasx_status_field_name(enum vasx_status_field f);

/* Parse the text of /proc/PID/stat. 0 or -VASX_E_MALFORMED. */
int vasx_stat_parse(const char *buf, size_t len, struct vasx_stat *st);
/* Parse the text of /proc/PID/status. 0 or -VASX_E_MALFORMED. */
int vasx_status_parse(const char *buf, size_t len, struct vasx_status *st);

/* A thread and its user stack pointer (0 when unknown: running, or hidden). */
struct vasx_thread {
	int tid;
	char comm[64];
	uint64_t sp;
};

/*
 * Parse /proc/PID/task/TID/syscall ("nr a1..a6 sp pc", "-1 sp pc" or
 * "running"): the stack pointer, or 0. 0 or -VASX_E_MALFORMED.
 */
int vasx_syscall_parse_sp(const char *buf, size_t len, uint64_t *sp);

/* Load stat, status and the threads of @pid. Any may be skipped (NULL). */
int vasx_pidinfo_load(struct vasx_source *src, int pid, struct vasx_stat *st,
		      struct vasx_status *status, struct vasx_thread **threads,
		      size_t *nthreads);

/* The command line with NULs turned into spaces (malloc'ed), or NULL. */
char *vasx_cmdline_load(struct vasx_source *src, int pid);

#endif
