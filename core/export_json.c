/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --json: the whole snapshot as one JSON object. Its fields are documented
 * in vasx(1) (JSON OUTPUT); scripts depend on them, so add, never rename.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vasx/export.h"
#include "vasx/fmt.h"
#include "vasx/status.h"
#include "vasx/vas.h"
#include "export_int.h"

int vasx_export_status(FILE *f)
{
	if (fflush(f) || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

char *vasx_fmt_dev(const struct vasx_region *r, char buf[24])
{
	snprintf(buf, 24, "%02x:%02x", r->dev_major, r->dev_minor);
	return buf;
}

const char *vasx_region_label(const struct vasx_region *r)
{
	if (r->name && r->name[0])
		return r->name;
	return vasx_kind_desc(r->kind);
}

static void json_hex(FILE *f, const char *key, uint64_t v)
{
	fprintf(f, "\"%s\":\"0x%llx\"", key, (unsigned long long)v);
}

static void json_end(FILE *f, uint64_t last)
{
	char buf[32];

	fprintf(f, "\"end\":\"%s\"", vasx_fmt_end(last, buf, sizeof(buf)));
}

static void json_range(FILE *f, const struct vasx_region *r)
{
	char buf[32];

	fprintf(f, "\"start\":\"%s\",", vasx_fmt_addr(r->start, buf, sizeof(buf)));
	json_end(f, r->last);
	fprintf(f, ",\"size\":%llu", (unsigned long long)vasx_region_size(r));
}

static const char *space_name(unsigned space)
{
	switch (space) {
	case VASX_SPACE_USER:
		return "user";
	case VASX_SPACE_HOLE:
		return "hole";
	default:
		return "kernel";
	}
}

/* "12 kB" from an unknown field becomes 12; anything else stays text. */
static void json_extra_value(FILE *f, const char *v)
{
	unsigned long long n;
	int end = 0;

	if (v && sscanf(v, "%llu kB%n", &n, &end) == 1 && end > 0 && v[end] == '\0')
		fprintf(f, "%llu", n);
	else
		vasx_json_str(f, v);
}

static void json_vmflags(FILE *f, const char *flags)
{
	const char *p = flags;
	bool first = true;

	putc('[', f);
	while (p && *p) {
		size_t n;
		char word[16];

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (!n)
			break;
		if (n >= sizeof(word))
			n = sizeof(word) - 1;
		memcpy(word, p, n);
		word[n] = '\0';
		fputs(first ? "" : ",", f);
		vasx_json_str(f, word);
		first = false;
		p += strcspn(p, " ");
	}
	putc(']', f);
}

static void json_smaps(FILE *f, const struct vasx_snapshot *s, const struct vasx_smaps *sm)
{
	const char *sep = "";
	unsigned i;

	putc('{', f);
	for (i = 0; i < VASX_SM_COUNT; i++) {
		if (!(sm->present & (1u << i)))
			continue;
		fprintf(f, "%s\"%s\":%llu", sep, vasx_smaps_field_name(i),
			(unsigned long long)sm->v[i]);
		sep = ",";
	}
	for (i = 0; i < sm->nextra && sm->extra + i < s->extras.n; i++) {
		const struct vasx_smaps_extra *x = &s->extras.v[sm->extra + i];

		fputs(sep, f);
		vasx_json_str(f, x->name);
		putc(':', f);
		json_extra_value(f, x->value);
		sep = ",";
	}
	if (sm->vmflags) {
		fprintf(f, "%s\"VmFlags\":", sep);
		json_vmflags(f, sm->vmflags);
	}
	putc('}', f);
}

static void json_flag_words(FILE *f, unsigned flags)
{
	static const struct {
		unsigned bit;
		const char *word;
	} words[] = {
		{ VASX_F_WX, "wx" },
		{ VASX_F_EXEC_ANON, "exec-anon" },
		{ VASX_F_WFILE_EXEC, "exec-writable-file" },
		{ VASX_F_DELETED, "deleted" },
		{ VASX_F_NOACCESS, "no-access" },
		{ VASX_F_APPROX, "approximate" },
		{ VASX_F_SPECIAL, "special" },
	};
	const char *sep = "";
	size_t i;

	fputs("\"flags\":[", f);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (flags & words[i].bit) {
			fprintf(f, "%s\"%s\"", sep, words[i].word);
			sep = ",";
		}
	}
	putc(']', f);
}

void vasx_json_mapping(FILE *f, const struct vasx_snapshot *s, const struct vasx_region *r)
{
	const struct vasx_smaps *sm = vasx_region_smaps(s, r);
	char perms[5], dev[24];

	putc('{', f);
	json_range(f, r);
	fprintf(f, ",\"perms\":\"%s\",\"offset\":%llu,\"dev\":\"%s\",\"inode\":%llu,\"path\":",
		vasx_perms_str(r->perms, perms), (unsigned long long)r->offset,
		vasx_fmt_dev(r, dev), (unsigned long long)r->inode);
	vasx_json_str(f, r->name && r->name[0] ? r->name : NULL);
	vasx_json_bytes(f, "path_bytes", r->name);
	fprintf(f, ",\"kind\":\"%s\",\"deleted\":%s,", vasx_kind_name(r->kind),
		r->flags & VASX_F_DELETED ? "true" : "false");
	json_flag_words(f, r->flags);
	if (r->tid)
		fprintf(f, ",\"tid\":%d", r->tid);
	fputs(",\"smaps\":", f);
	if (sm)
		json_smaps(f, s, sm);
	else
		fputs("null", f);
	putc('}', f);
}

static void json_gap(FILE *f, const struct vasx_region *r)
{
	putc('{', f);
	json_range(f, r);
	fprintf(f, ",\"kind\":\"%s\",\"space\":\"%s\"}", vasx_kind_name(r->kind),
		space_name(r->space));
}

static void json_kregion(FILE *f, const struct vasx_snapshot *s, const struct vasx_region *r)
{
	char perms[5];

	putc('{', f);
	json_range(f, r);
	vasx_perms_str(r->perms, perms);
	perms[3] = '\0';
	fprintf(f, ",\"perms\":\"%s\",\"kind\":\"%s\",\"key\":", perms, vasx_kind_name(r->kind));
	vasx_json_str(f, r->name);
	fputs(",\"description\":", f);
	vasx_json_str(f, r->desc);
	fprintf(f, ",\"depth\":%u,\"source\":\"%s\",\"approximate\":%s", r->depth,
		vasx_ksource_name(s->kernel.source), r->flags & VASX_F_APPROX ? "true" : "false");
	if (r->tid)
		fprintf(f, ",\"tid\":%d", r->tid);
	putc('}', f);
}

static bool is_gap(const struct vasx_region *r)
{
	return r->kind == VASX_KIND_GAP || r->kind == VASX_KIND_NULLTRAP ||
	       r->kind == VASX_KIND_HOLE;
}

enum region_set { SET_MAPPINGS, SET_GAPS, SET_KERNEL };

static bool in_set(const struct vasx_region *r, enum region_set set)
{
	if (r->flags & VASX_F_MAPPING)
		return set == SET_MAPPINGS;
	if (is_gap(r))
		return set == SET_GAPS;
	return set == SET_KERNEL;
}

static void json_regions(FILE *f, const struct vasx_snapshot *s, const char *key,
			 enum region_set set)
{
	const char *sep = "\n";
	size_t i;

	fprintf(f, ",\n\"%s\":[", key);
	for (i = 0; i < s->nregions; i++) {
		const struct vasx_region *r = &s->regions[i];

		if (!in_set(r, set))
			continue;
		fputs(sep, f);
		if (set == SET_MAPPINGS)
			vasx_json_mapping(f, s, r);
		else if (set == SET_GAPS)
			json_gap(f, r);
		else
			json_kregion(f, s, r);
		sep = ",\n";
	}
	fputs("\n]", f);
}

static void json_process(FILE *f, const struct vasx_snapshot *s)
{
	const struct vasx_stat *st = &s->stat;
	const char *sep = "";
	const struct {
		const char *name;
		uint64_t v;
	} bounds[] = {
		{ "start_code", st->start_code }, { "end_code", st->end_code },
		{ "start_data", st->start_data }, { "end_data", st->end_data },
		{ "start_brk", st->start_brk }, { "start_stack", st->start_stack },
		{ "arg_start", st->arg_start }, { "arg_end", st->arg_end },
		{ "env_start", st->env_start }, { "env_end", st->env_end },
	};
	unsigned i;

	fprintf(f, "\"pid\":%d,\"comm\":", s->pid);
	vasx_json_str(f, st->comm);
	vasx_json_bytes(f, "comm_bytes", st->comm);
	fputs(",\"cmdline\":", f);
	vasx_json_str(f, s->cmdline);
	vasx_json_bytes(f, "cmdline_bytes", s->cmdline);
	fprintf(f, ",\"state\":\"%c\",\"ppid\":%d,\"uid\":%u,\"threads\":%d,\"va_bits\":%u,\n",
		st->state ? st->state : '?', st->ppid, s->status.uid[0], st->num_threads,
		s->va_bits);
	fputs("\"boundaries\":{", f);
	for (i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++) {
		if (i)
			putc(',', f);
		json_hex(f, bounds[i].name, bounds[i].v);
	}
	fputs("},\n\"status\":{", f);
	for (i = 0; i < VASX_ST_COUNT; i++) {
		if (!(s->status.present & (1u << i)))
			continue;
		fprintf(f, "%s\"%s\":%llu", sep, vasx_status_field_name(i),
			(unsigned long long)s->status.v[i]);
		sep = ",";
	}
	putc('}', f);
}

static void json_kernel(FILE *f, const struct vasx_snapshot *s)
{
	const struct vasx_klayout *k = &s->kernel;

	fprintf(f, ",\n\"kernel\":{\"source\":\"%s\",\"arch\":", vasx_ksource_name(k->source));
	vasx_json_str(f, k->arch[0] ? k->arch : NULL);
	fprintf(f, ",\"page_size\":%u,\"paging_levels\":%u,\"user_va_bits\":%u,",
		k->page_size, k->paging_levels, k->user_va_bits);
	json_hex(f, "task_size", k->task_size);
	putc('}', f);
}

static void json_threads(FILE *f, const struct vasx_snapshot *s)
{
	size_t i;

	fputs(",\n\"thread_list\":[", f);
	for (i = 0; i < s->nthreads; i++) {
		fprintf(f, "%s{\"tid\":%d,\"comm\":", i ? "," : "", s->threads[i].tid);
		vasx_json_str(f, s->threads[i].comm);
		vasx_json_bytes(f, "comm_bytes", s->threads[i].comm);
		fputs(",", f);
		json_hex(f, "sp", s->threads[i].sp);
		putc('}', f);
	}
	fputs("]", f);
	fputs(",\n\"kernel_tasks\":[", f);
	for (i = 0; i < s->nktasks; i++) {
		const struct vasx_ktask *t = &s->ktasks[i];

		fprintf(f, "%s{\"pid\":%d,\"tgid\":%d,\"comm\":", i ? "," : "", t->pid, t->tgid);
		vasx_json_str(f, t->comm);
		putc(',', f);
		json_hex(f, "task", t->task);
		putc(',', f);
		json_hex(f, "task_phys", t->task_phys);
		putc(',', f);
		json_hex(f, "stack", t->stack);
		putc(',', f);
		json_hex(f, "mm", t->mm);
		putc(',', f);
		json_hex(f, "pgd", t->pgd);
		putc('}', f);
	}
	fputs("]", f);
}

static void json_pct(FILE *f, const char *key, double v)
{
	if (isfinite(v))
		fprintf(f, ",\"%s\":%.2f", key, v);
	else
		fprintf(f, ",\"%s\":null", key);
}

static void json_mem(FILE *f, const char *key, bool have, uint64_t v)
{
	if (have)
		fprintf(f, ",\"%s\":%llu", key, (unsigned long long)v);
	else
		fprintf(f, ",\"%s\":null", key);
}

static void json_totals(FILE *f, const struct vasx_snapshot *s)
{
	const struct vasx_totals *t = &s->totals;

	fprintf(f, ",\n\"totals\":{\"user_vas\":%llu,\"kernel_vas\":%llu,\"hole\":%llu,"
		"\"mapped\":%llu,\"sparse\":%llu",
		(unsigned long long)t->user_vas, (unsigned long long)t->kernel_vas,
		(unsigned long long)t->hole, (unsigned long long)t->mapped,
		(unsigned long long)t->sparse);
	json_pct(f, "mapped_pct", t->mapped_pct);
	json_pct(f, "sparse_pct", t->sparse_pct);
	json_mem(f, "rss_kb", t->have_mem, t->rss_kb);
	json_mem(f, "pss_kb", t->have_mem, t->pss_kb);
	json_mem(f, "uss_kb", t->have_mem, t->uss_kb);
	json_mem(f, "swap_kb", t->have_mem, t->swap_kb);
	fprintf(f, ",\"largest_gap\":%llu,", (unsigned long long)t->largest_gap);
	json_hex(f, "largest_gap_start", t->largest_gap_start);
	fprintf(f, ",\"map_count\":%zu,\"vma_count\":%zu", t->map_count, t->vma_count);
	if (t->max_map_count >= 0)
		fprintf(f, ",\"max_map_count\":%ld", t->max_map_count);
	else
		fputs(",\"max_map_count\":null", f);
	json_mem(f, "ram_total_kb", t->ram_total_kb != 0, t->ram_total_kb);
	fputs(",", f);
	json_hex(f, "mmap_min_addr", t->mmap_min_addr);
	putc('}', f);
}

/* A count of lines skipped in a file, null for a file that was not read. */
static void json_skipped(FILE *f, const char *key, bool read, size_t n)
{
	if (read)
		fprintf(f, ",\"%s\":%zu", key, n);
	else
		fprintf(f, ",\"%s\":null", key);
}

static void json_problems(FILE *f, const struct vasx_snapshot *s)
{
	bool smaps = s->maps_from_smaps;

	fprintf(f, ",\n\"problems\":{\"maps_malformed\":%zu,\"smaps_malformed\":%zu",
		s->maps_malformed, s->smaps_malformed);
	/* Which file the skipped lines were in: with smaps read, maps was not. */
	json_skipped(f, "maps_lines_skipped", !smaps, s->maps_malformed + s->smaps_malformed);
	json_skipped(f, "smaps_lines_skipped", smaps, s->maps_malformed + s->smaps_malformed);
	fprintf(f, ",\"kernel_malformed\":%zu,\"smaps_error\":", s->kernel.malformed);
	vasx_json_str(f, s->smaps_err ? vasx_strerror(s->smaps_err) : NULL);
	fputs(",\"module_error\":", f);
	vasx_json_str(f, s->kernel.module_err ? vasx_strerror(s->kernel.module_err) : NULL);
	putc('}', f);
}

int vasx_export_json(FILE *f, const struct vasx_snapshot *s)
{
	fputs("{\"format\":\"vasx-snapshot\",\"version\":1,\n", f);
	json_process(f, s);
	json_kernel(f, s);
	json_regions(f, s, "mappings", SET_MAPPINGS);
	json_regions(f, s, "gaps", SET_GAPS);
	json_regions(f, s, "kernel_regions", SET_KERNEL);
	json_threads(f, s);
	if (s->have_rollup) {
		fputs(",\n\"rollup\":", f);
		json_smaps(f, s, &s->rollup);
	}
	json_totals(f, s);
	json_problems(f, s);
	fputs("\n}\n", f);
	return vasx_export_status(f);
}
