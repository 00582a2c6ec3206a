/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Batch exporters: each writes one snapshot (or a process table) to the
 * FILE * it is given and returns 0 or -errno of a write error.
 */
#ifndef VASX_EXPORT_H
#define VASX_EXPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct vasx_snapshot;
struct vasx_source;

struct vasx_export_opts {
	bool color;		/* ANSI colours (graph) */
	bool only_user, only_kernel;
	bool verbose;		/* legend and statistics */
	bool locate;		/* mark regions overlapping [locate_start, locate_last] */
	uint64_t locate_start, locate_last;
	unsigned width;		/* graph width in columns (0: 80) */
};

int vasx_export_graph(FILE *f, const struct vasx_snapshot *s, const struct vasx_export_opts *o);
int vasx_export_table(FILE *f, const struct vasx_snapshot *s, const struct vasx_export_opts *o);
int vasx_export_table_csv(FILE *f, const struct vasx_snapshot *s);
int vasx_export_table_json(FILE *f, const struct vasx_snapshot *s);
int vasx_export_json(FILE *f, const struct vasx_snapshot *s);
/* --export-maps / --export-kernel: one row per region, sparse ones too. */
int vasx_export_regions_csv(FILE *f, const struct vasx_snapshot *s, bool kernel);

enum vasx_maps_format { VASX_FMT_TEXT, VASX_FMT_CSV, VASX_FMT_JSON, VASX_FMT_JSONL };
/* The Rekall/Volatility table, one call per process between begin and end. */
int vasx_export_maps_begin(FILE *f, enum vasx_maps_format fmt);
int vasx_export_maps_proc(FILE *f, enum vasx_maps_format fmt, const struct vasx_snapshot *s, bool *first);
int vasx_export_maps_end(FILE *f, enum vasx_maps_format fmt);

/* Write @pid's files as a snapshot tree under @dir (read back by the dir source). */
int vasx_save_tree(struct vasx_source *src, int pid, const char *dir);

/* Write @path atomically: call @fn on a temporary file beside it, then rename. */
int vasx_write_atomic(const char *path, int (*fn)(FILE *f, void *ctx), void *ctx);

/*
 * JSON string literal of any bytes: valid UTF-8 kept, except what
 * vasx_fmt_escape() escapes, as \uXXXX; a byte that is not UTF-8 as \u00XX.
 */
void vasx_json_str(FILE *f, const char *s);
/*
 * When @s is not valid UTF-8 (its JSON string cannot tell a stray byte from
 * the character of the same value): ,"KEY":"hex of its bytes". Else nothing.
 */
void vasx_json_bytes(FILE *f, const char *key, const char *s);
/* CSV field in vasx_fmt_escape()'s form, quoted when needed. */
void vasx_csv_str(FILE *f, const char *s);

#endif
