/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The differences of two snapshots as text for people, JSON for programs,
 * and one log line per change for --watch.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "vasx/diff.h"
#include "vasx/export.h"
#include "vasx/fmt.h"
#include "vasx/types.h"
#include "export_int.h"

static const char *change_label(const struct vasx_change *c, struct vasx_escbuf *name)
{
	if (!c->name)
		return "[anon]";
	return vasx_escbuf_name(name, c->name);
}

/* "+1.50 MB", "-12.00 KB", "0 B" of a kB delta. */
static char *fmt_delta_kb(int64_t kb, char *buf, size_t len)
{
	uint64_t mag = kb < 0 ? (uint64_t)0 - (uint64_t)kb : (uint64_t)kb;
	char size[24];

	vasx_fmt_size(mag * 1024, size, sizeof(size));
	snprintf(buf, len, "%s%s", kb > 0 ? "+" : kb < 0 ? "-" : "", size);
	return buf;
}

static void change_detail(FILE *f, const struct vasx_change *c)
{
	char p1[5], p2[5], s1[32], s2[32], s3[32], a[24], e[24];

	switch (c->kind) {
	case VASX_CH_ADDED:
		fprintf(f, "%s %s", vasx_fmt_size(c->last - c->start + 1, s1, sizeof(s1)),
			vasx_perms_str(c->new_perms, p1));
		break;
	case VASX_CH_REMOVED:
		fprintf(f, "%s %s", vasx_fmt_size(c->last - c->start + 1, s1, sizeof(s1)),
			vasx_perms_str(c->old_perms, p1));
		break;
	case VASX_CH_GROWN:
	case VASX_CH_SHRUNK:
		fprintf(f, "%s -> %s (was %s-%s)",
			vasx_fmt_size(c->old_last - c->old_start + 1, s1, sizeof(s1)),
			vasx_fmt_size(c->last - c->start + 1, s2, sizeof(s2)),
			vasx_fmt_addr(c->old_start, a, sizeof(a)),
			vasx_fmt_end(c->old_last, e, sizeof(e)));
		break;
	case VASX_CH_PERMS:
	case VASX_CH_EXEC:
		fprintf(f, "%s -> %s%s", vasx_perms_str(c->old_perms, p1),
			vasx_perms_str(c->new_perms, p2),
			c->kind == VASX_CH_EXEC ? " became executable" : "");
		/* A part of a mapping: the split made it a mapping of its own. */
		if (c->old_start != c->start || c->old_last != c->last)
			fprintf(f, " (split from %s-%s)", vasx_fmt_addr(c->old_start, a, sizeof(a)),
				vasx_fmt_end(c->old_last, e, sizeof(e)));
		break;
	case VASX_CH_RSS:
		fprintf(f, "rss %s pss %s swap %s", fmt_delta_kb(c->d_rss_kb, s1, sizeof(s1)),
			fmt_delta_kb(c->d_pss_kb, s2, sizeof(s2)),
			fmt_delta_kb(c->d_swap_kb, s3, sizeof(s3)));
		break;
	}
}

/* "grown    0x...-0x...  <detail>  <name>": the name last, as it may hold spaces. */
static void change_text(FILE *f, const struct vasx_change *c, struct vasx_escbuf *name)
{
	char a[24], e[24];

	fprintf(f, "%-7s %s-%s  ", vasx_change_name(c->kind), vasx_fmt_addr(c->start, a, sizeof(a)),
		vasx_fmt_end(c->last, e, sizeof(e)));
	change_detail(f, c);
	fprintf(f, "  %s\n", change_label(c, name));
}

static void json_addr(FILE *f, const char *key, uint64_t v)
{
	fprintf(f, ",\"%s\":\"0x%" PRIx64 "\"", key, v);
}

/* End addresses are exclusive in JSON as in maps; the top of 2^64 stays exact. */
static void json_end(FILE *f, const char *key, uint64_t last)
{
	if (last == UINT64_MAX)
		fprintf(f, ",\"%s\":\"0x10000000000000000\"", key);
	else
		fprintf(f, ",\"%s\":\"0x%" PRIx64 "\"", key, last + 1);
}

static void json_perms(FILE *f, const char *key, unsigned perms, bool known)
{
	char p[5];

	if (known)
		fprintf(f, ",\"%s\":\"%s\"", key, vasx_perms_str(perms, p));
	else
		fprintf(f, ",\"%s\":null", key);
}

static void change_json(FILE *f, const struct vasx_change *c)
{
	fprintf(f, "{\"change\":\"%s\"", vasx_change_name(c->kind));
	json_addr(f, "start", c->start);
	json_end(f, "end", c->last);
	json_addr(f, "old_start", c->old_start);
	json_end(f, "old_end", c->old_last);
	fprintf(f, ",\"size\":%" PRIu64 ",\"old_size\":%" PRIu64, c->last - c->start + 1,
		c->old_last - c->old_start + 1);
	json_perms(f, "perms", c->new_perms, c->kind != VASX_CH_REMOVED);
	json_perms(f, "old_perms", c->old_perms, c->kind != VASX_CH_ADDED);
	fprintf(f, ",\"d_rss_kb\":%" PRId64 ",\"d_pss_kb\":%" PRId64 ",\"d_swap_kb\":%" PRId64
		",\"name\":", c->d_rss_kb, c->d_pss_kb, c->d_swap_kb);
	vasx_json_str(f, c->name);
	vasx_json_bytes(f, "name_bytes", c->name);
	fputc('}', f);
}

/* A write error first; else whether every name could be escaped whole. */
static int write_status(FILE *f, struct vasx_escbuf *name)
{
	vasx_escbuf_release(name);
	if (ferror(f))
		return -EIO;
	return name->err;
}

int vasx_export_diff(FILE *f, const struct vasx_diff *d, bool json)
{
	struct vasx_escbuf name = { 0 };
	size_t i;

	if (json)
		fputs("{\"changes\":[", f);
	for (i = 0; i < d->n; i++) {
		if (!json) {
			change_text(f, &d->v[i], &name);
			continue;
		}
		fputs(i ? ",\n" : "\n", f);
		change_json(f, &d->v[i]);
	}
	if (json)
		fputs(d->n ? "\n]}\n" : "]}\n", f);
	return write_status(f, &name);
}

int vasx_export_change_line(FILE *f, const struct vasx_change *c, int pid,
			    const struct timespec *ts)
{
	struct vasx_escbuf name = { 0 };
	char when[32];
	struct tm tm;

	if (!gmtime_r(&ts->tv_sec, &tm) || !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm))
		when[0] = '\0';
	fprintf(f, "%s.%03ldZ pid %d ", when, ts->tv_nsec / 1000000, pid);
	change_text(f, c, &name);
	return write_status(f, &name);
}
