/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --maps: the table Rekall and Volatility print for a memory image (PID,
 * Process, Start, End, Flags, PgOff, Major, Minor, Inode, File Path), here
 * from the live system, one process after another. The text keeps the
 * kernel's " (deleted)" after the path; CSV and JSON carry the path without
 * it, so they say so in a deleted column of their own (last in CSV, where
 * a reader may count columns).
 */
#include <stdio.h>

#include "vasx/export.h"
#include "vasx/fmt.h"
#include "vasx/vas.h"
#include "export_int.h"


int vasx_export_maps_begin(FILE *f, enum vasx_maps_format fmt)
{
	switch (fmt) {
	case VASX_FMT_TEXT:
		fprintf(f, "%-7s %-16s %-18s %-18s %-5s %-10s %5s %5s %10s %s\n", "PID",
			"Process", "Start", "End", "Flags", "PgOff", "Major", "Minor", "Inode",
			"File Path");
		break;
	case VASX_FMT_CSV:
		fputs("PID,Process,Start,End,Flags,PgOff,Major,Minor,Inode,File Path,deleted\n", f);
		break;
	case VASX_FMT_JSON:
		putc('[', f);
		break;
	case VASX_FMT_JSONL:
		break;
	}
	return vasx_export_status(f);
}

static void maps_json_row(FILE *f, const struct vasx_snapshot *s, const struct vasx_region *r)
{
	char a[32], e[32], perms[5];

	fprintf(f, "{\"pid\":%d,\"process\":", s->pid);
	vasx_json_str(f, s->stat.comm);
	vasx_json_bytes(f, "process_bytes", s->stat.comm);
	fprintf(f, ",\"start\":\"%s\",\"end\":\"%s\",\"flags\":\"%s\",\"pgoff\":%llu,"
		"\"major\":%u,\"minor\":%u,\"inode\":%llu,\"path\":",
		vasx_fmt_addr(r->start, a, sizeof(a)), vasx_fmt_end(r->last, e, sizeof(e)),
		vasx_perms_str(r->perms, perms), (unsigned long long)r->offset, r->dev_major,
		r->dev_minor, (unsigned long long)r->inode);
	vasx_json_str(f, r->name && r->name[0] ? r->name : NULL);
	vasx_json_bytes(f, "path_bytes", r->name);
	fprintf(f, ",\"deleted\":%s}", r->flags & VASX_F_DELETED ? "true" : "false");
}

static void maps_text_row(FILE *f, const struct vasx_snapshot *s, const struct vasx_region *r,
			  struct vasx_escbuf *name)
{
	char a[32], e[32], perms[5], off[24], comm[VASX_ESC_ROOM(sizeof(s->stat.comm))];

	snprintf(off, sizeof(off), "0x%llx", (unsigned long long)r->offset);
	fprintf(f, "%-7d %-16s %-18s %-18s %-5s %-10s %5u %5u %10llu ", s->pid,
		vasx_fmt_escape(s->stat.comm, comm, sizeof(comm)), vasx_fmt_addr(r->start, a, sizeof(a)),
		vasx_fmt_end(r->last, e, sizeof(e)), vasx_perms_str(r->perms, perms), off,
		r->dev_major, r->dev_minor, (unsigned long long)r->inode);
	fputs(r->name ? vasx_escbuf_name(name, r->name) : "", f);
	fputs(r->flags & VASX_F_DELETED ? " (deleted)\n" : "\n", f);
}

static void maps_csv_row(FILE *f, const struct vasx_snapshot *s, const struct vasx_region *r)
{
	char a[32], e[32], perms[5];

	fprintf(f, "%d,", s->pid);
	vasx_csv_str(f, s->stat.comm);
	fprintf(f, ",%s,%s,%s,0x%llx,%u,%u,%llu,", vasx_fmt_addr(r->start, a, sizeof(a)),
		vasx_fmt_end(r->last, e, sizeof(e)), vasx_perms_str(r->perms, perms),
		(unsigned long long)r->offset, r->dev_major, r->dev_minor,
		(unsigned long long)r->inode);
	vasx_csv_str(f, r->name);
	fprintf(f, ",%d\n", r->flags & VASX_F_DELETED ? 1 : 0);
}

int vasx_export_maps_proc(FILE *f, enum vasx_maps_format fmt, const struct vasx_snapshot *s,
			  bool *first)
{
	struct vasx_escbuf name = { 0 };
	size_t i;
	int err;

	for (i = 0; i < s->nregions; i++) {
		const struct vasx_region *r = &s->regions[i];

		if (!(r->flags & VASX_F_MAPPING))
			continue;
		switch (fmt) {
		case VASX_FMT_TEXT:
			maps_text_row(f, s, r, &name);
			break;
		case VASX_FMT_CSV:
			maps_csv_row(f, s, r);
			break;
		case VASX_FMT_JSON:
			fputs(*first ? "\n" : ",\n", f);
			maps_json_row(f, s, r);
			break;
		case VASX_FMT_JSONL:
			maps_json_row(f, s, r);
			putc('\n', f);
			break;
		}
		*first = false;
	}
	vasx_escbuf_release(&name);
	err = vasx_export_status(f);
	return err ? err : name.err;
}

int vasx_export_maps_end(FILE *f, enum vasx_maps_format fmt)
{
	if (fmt == VASX_FMT_JSON)
		fputs("\n]\n", f);
	return vasx_export_status(f);
}
