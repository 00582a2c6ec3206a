/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every fuzz target checks after a parser or an exporter ran: a
 * snapshot that covers all 2^64 addresses, lookups that find them, and
 * output that is whole (JSON that parses, CSV whose rows all have the
 * header's fields, text without a control byte). A broken rule aborts, so
 * libFuzzer keeps the input.
 */
#ifndef VASX_FUZZ_CHECK_H
#define VASX_FUZZ_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct vasx_snapshot;
struct vasx_source;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Say which rule broke, then abort(). */
void fz_fail(const char *what, const char *detail) __attribute__((noreturn));

/* The input as a NUL-terminated copy (malloc'ed; aborts when out of memory). */
char *fz_strdup(const uint8_t *data, size_t size);
/* A read-only stream over the bytes (also for zero bytes). */
FILE *fz_open(const uint8_t *data, size_t size);

/* An in-memory output file. */
struct fz_out {
	FILE *f;
	char *buf;
	size_t len;
};

void fz_out_open(struct fz_out *o);
/* Close the stream: o->buf, o->len hold what was written. */
void fz_out_close(struct fz_out *o);
void fz_out_free(struct fz_out *o);

/*
 * A source whose files are held in memory: names relative to the root
 * ("42/maps", "meminfo", "vasx/layout"); of two files of one name the
 * later wins. It answers as the directory source does, so the snapshot
 * loads exactly as from a saved tree, without a file system in the loop.
 */
struct fz_file {
	const char *name;	/* NUL-terminated */
	const char *data;
	size_t len;
};

struct vasx_source *fz_source_new(const struct fz_file *files, size_t n);

/* Regions partition [0, 2^64) and nest; lookups find every region's ends. */
void fz_check_snapshot(const struct vasx_snapshot *s);

void fz_check_json(const char *what, const char *buf, size_t len);
/* One JSON value per line. */
void fz_check_jsonl(const char *what, const char *buf, size_t len);
/* Every record has as many fields as the first. */
void fz_check_csv(const char *what, const char *buf, size_t len);
/* Valid UTF-8 with no control byte but the newline: safe on a terminal. */
void fz_check_text(const char *what, const char *buf, size_t len);

/*
 * Every exporter on @s into memory, each output checked. @variant picks
 * the graph's options (colour, halves, width, locate), so inputs reach
 * them all.
 */
void fz_render(const struct vasx_snapshot *s, unsigned variant);

#endif
