/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The batch commands of the command line: what main.c parsed, and the
 * functions that print a graph, a table, JSON, the maps of many processes
 * or save a snapshot tree. Each returns the program's exit status.
 */
#ifndef VASX_CLI_H
#define VASX_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include "vasx/export.h"

struct vasx_source;

enum vasx_cli_mode {
	VASX_MODE_AUTO,		/* the UI on a terminal, else the graph */
	VASX_MODE_GRAPH,
	VASX_MODE_TABLE,
	VASX_MODE_JSON,
	VASX_MODE_MAPS,
	VASX_MODE_SAVE,		/* --save alone: write the tree, print nothing */
};

struct vasx_cli {
	enum vasx_cli_mode mode;
	const char *pids;	/* -p as given: "42" or, for --maps, "1,2,3" */
	int pid;
	const char *format;	/* --format, NULL for the mode's default */
	enum vasx_maps_format fmt;
	const char *regex;
	/* --maps by kernel objects (the module's task list), as Rekall does */
	const char *task_kvas, *phys_tasks, *task_head;
	const char *save_dir;
	const char *export_maps, *export_kernel;
	const char *log_path;
	struct vasx_export_opts eo;
	bool debug;
	struct vasx_source *src;
};

/* Run the batch command @c asks for. Returns the exit status. */
int vasx_cli_run(struct vasx_cli *c);

/*
 * A stop signal (SIGINT, SIGTERM, SIGHUP) came during --save, which then
 * removed its unfinished tree and returned 128 + the signal: die of that
 * signal now, as if it had not been caught. Returns when none came.
 */
void vasx_cli_reraise(void);

/* "vasx: " + a sentence on stderr; returns 1 for `return vasx_cli_fail(...)`. */
int vasx_cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Writing the output failed with -errno @err: say so once, except for a
 * reader that went away (EPIPE), which is told nothing. Returns 1.
 */
int vasx_cli_write_error(int err);

/* Flush stdout: 0, or -errno of a write that failed (-EIO when none is known). */
int vasx_cli_flush(void);

/* Print a load error of @pid as one sentence saying what to do. Returns 1. */
int vasx_cli_load_error(const struct vasx_cli *c, int pid, int err);

/* Trace hook for --debug: what was opened from where and how long it took. */
void vasx_cli_trace(void *ctx, const char *what, int err, double ms);

/* Milliseconds on the monotonic clock, for timings and intervals. */
double vasx_cli_now_ms(void);

/*
 * --debug: wrap @inner (closed with the wrapper) in a source that reports
 * each file read, its size and the time it took on stderr.
 */
int vasx_cli_trace_source(struct vasx_source *inner, struct vasx_source **out);

#endif
