/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where facts come from: the live system or a directory laid out like
 * /proc. The only code of the project that opens files of the system.
 *
 * Names are relative to the proc root: "maps" with a pid, or "meminfo",
 * "kallsyms", "modules", "sys/vm/max_map_count", "vmallocinfo" with pid 0.
 * The module's files are named "vasx/layout" and "vasx/tasks" (pid 0); the
 * live source finds them under /sys/kernel/debug/vasx/.
 */
#ifndef VASX_SOURCE_H
#define VASX_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct vasx_source;

struct vasx_source_ops {
	const char *name;	/* "live", "dir" */
	/* Open a file for reading. 0 or -errno. */
	int (*fopen)(struct vasx_source *src, int pid, const char *name, FILE **out);
	/* Open a file descriptor (for pagemap, kpageflags: pread). 0 or -errno. */
	int (*open_fd)(struct vasx_source *src, int pid, const char *name, int *out);
	/* Does pid exist (its directory)? */
	bool (*pid_exists)(struct vasx_source *src, int pid);
	/* List numeric entries: pids (pid 0) or thread ids (of pid). Caller frees *out. */
	int (*list_ids)(struct vasx_source *src, int pid, int **out, size_t *n);
	void (*close)(struct vasx_source *src);
};

struct vasx_source {
	const struct vasx_source_ops *ops;
	char *root;		/* "/proc" or the directory */
	bool live;
	/* Optional trace of reads, for --debug: called after each open/read. */
	void (*trace)(void *ctx, const char *what, int err, double ms);
	void *trace_ctx;
};

int vasx_source_open_live(struct vasx_source **out);
int vasx_source_open_dir(const char *root, struct vasx_source **out);
void vasx_source_close(struct vasx_source *src);

static inline int vasx_source_fopen(struct vasx_source *src, int pid, const char *name, FILE **out)
{
	return src->ops->fopen(src, pid, name, out);
}

/* Read a whole small file into a NUL-terminated malloc'ed buffer. */
int vasx_source_slurp(struct vasx_source *src, int pid, const char *name, char **buf, size_t *len);

#endif
