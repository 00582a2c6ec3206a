/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --table: one row per mapping with every smaps figure, as text (pmap -XX
 * users will recognise it), CSV or JSON.
 */
#include <stdio.h>
#include <string.h>

#include "vasx/export.h"
#include "vasx/fmt.h"
#include "vasx/vas.h"
#include "export_int.h"

/* VmFlags: two letters a flag, a few dozen flags at most. */
#define FLAGS_BUF 512

static uint64_t field_value(const struct vasx_snapshot *s, const struct vasx_region *r,
			    unsigned field, bool *have)
{
	const struct vasx_smaps *sm = vasx_region_smaps(s, r);

	if (sm && (sm->present & (1u << field))) {
		*have = true;
		return sm->v[field];
	}
	/* Without smaps the size is still known from maps. */
	*have = field == VASX_SM_SIZE;
	return field == VASX_SM_SIZE ? vasx_region_size(r) / 1024 : 0;
}

/* The page sizes and the plain numbers make no sense summed. */
static bool field_sums(unsigned field)
{
	return vasx_smaps_field_is_kb(field) && field != VASX_SM_KERNELPAGESIZE &&
	       field != VASX_SM_MMUPAGESIZE;
}

static unsigned digits_base(uint64_t v, unsigned base)
{
	unsigned n = 1;

	while (v >= base) {
		v /= base;
		n++;
	}
	return n;
}

static unsigned digits(uint64_t v)
{
	return digits_base(v, 10);
}

struct table_cols {
	uint32_t fields;		/* bit i: smaps field i is shown */
	unsigned width[VASX_SM_COUNT];
	uint64_t sum[VASX_SM_COUNT];
	unsigned offset_w, inode_w, kind_w, flags_w;
};

static void table_measure(const struct vasx_snapshot *s, struct table_cols *c)
{
	size_t i;
	unsigned k;

	memset(c, 0, sizeof(*c));
	c->fields = 1u << VASX_SM_SIZE;
	c->offset_w = 6;
	c->inode_w = 5;
	c->kind_w = 4;
	c->flags_w = 7;
	for (k = 0; k < VASX_SM_COUNT; k++)
		c->width[k] = (unsigned)strlen(vasx_smaps_field_name(k));
	for (i = 0; i < s->nregions; i++) {
		const struct vasx_region *r = &s->regions[i];
		const struct vasx_smaps *sm = vasx_region_smaps(s, r);

		if (!(r->flags & VASX_F_MAPPING))
			continue;
		if (sm)
			c->fields |= sm->present;
		if (sm && sm->vmflags) {
			char esc[FLAGS_BUF];
			size_t w = strlen(vasx_fmt_escape(sm->vmflags, esc, sizeof(esc)));

			if (w > c->flags_w)
				c->flags_w = (unsigned)w;
		}
		if (digits_base(r->offset, 16) > c->offset_w)
			c->offset_w = digits_base(r->offset, 16);
		if (digits(r->inode) > c->inode_w)
			c->inode_w = digits(r->inode);
		if (strlen(vasx_kind_name(r->kind)) > c->kind_w)
			c->kind_w = (unsigned)strlen(vasx_kind_name(r->kind));
		for (k = 0; k < VASX_SM_COUNT; k++) {
			bool have;
			uint64_t v = field_value(s, r, k, &have);

			if (have && field_sums(k))
				c->sum[k] += v;
			if (have && digits(v) > c->width[k])
				c->width[k] = digits(v);
		}
	}
	for (k = 0; k < VASX_SM_COUNT; k++)
		if (field_sums(k) && digits(c->sum[k]) > c->width[k])
			c->width[k] = digits(c->sum[k]);
}

static void table_header(FILE *f, const struct table_cols *c, bool vmflags)
{
	unsigned k;

	fprintf(f, "%16s %16s Perm %*s Device %*s %-*s", "Start", "End", (int)c->offset_w,
		"Offset", (int)c->inode_w, "Inode", (int)c->kind_w, "Kind");
	for (k = 0; k < VASX_SM_COUNT; k++)
		if (c->fields & (1u << k))
			fprintf(f, " %*s", (int)c->width[k], vasx_smaps_field_name(k));
	if (vmflags)
		fprintf(f, " %-*s", (int)c->flags_w, "VmFlags");
	fputs(" Mapping\n", f);
}

static void table_row(FILE *f, const struct vasx_snapshot *s, const struct vasx_region *r,
		      const struct table_cols *c, bool vmflags, struct vasx_escbuf *name)
{
	const struct vasx_smaps *sm = vasx_region_smaps(s, r);
	char perms[5], dev[24], flags[FLAGS_BUF];
	unsigned k;

	fprintf(f, "%16llx %16llx %s %*llx %6s %*llu %-*s",
		(unsigned long long)r->start,
		(unsigned long long)(r->last == UINT64_MAX ? r->last : r->last + 1),
		vasx_perms_str(r->perms, perms), (int)c->offset_w,
		(unsigned long long)r->offset, vasx_fmt_dev(r, dev), (int)c->inode_w,
		(unsigned long long)r->inode, (int)c->kind_w, vasx_kind_name(r->kind));
	for (k = 0; k < VASX_SM_COUNT; k++) {
		bool have;
		uint64_t v;

		if (!(c->fields & (1u << k)))
			continue;
		v = field_value(s, r, k, &have);
		if (have)
			fprintf(f, " %*llu", (int)c->width[k], (unsigned long long)v);
		else
			fprintf(f, " %*s", (int)c->width[k], "-");
	}
	if (vmflags)
		fprintf(f, " %-*s", (int)c->flags_w,
			sm && sm->vmflags ? vasx_fmt_escape(sm->vmflags, flags, sizeof(flags)) : "");
	fprintf(f, " %s%s\n", r->name ? vasx_escbuf_name(name, r->name) : "",
		r->flags & VASX_F_DELETED ? " (deleted)" : "");
}

static void table_footer(FILE *f, const struct table_cols *c, bool vmflags)
{
	unsigned k;
	int lead = 16 + 1 + 16 + 1 + 4 + 1 + (int)c->offset_w + 1 + 6 + 1 + (int)c->inode_w +
		   1 + (int)c->kind_w;

	fprintf(f, "%*s", lead, "total kB");
	for (k = 0; k < VASX_SM_COUNT; k++) {
		if (!(c->fields & (1u << k)))
			continue;
		if (field_sums(k))
			fprintf(f, " %*llu", (int)c->width[k], (unsigned long long)c->sum[k]);
		else
			fprintf(f, " %*s", (int)c->width[k], "");
	}
	if (vmflags)
		fprintf(f, " %*s", (int)c->flags_w, "");
	putc('\n', f);
}

int vasx_export_table(FILE *f, const struct vasx_snapshot *s, const struct vasx_export_opts *o)
{
	struct vasx_escbuf name = { 0 };
	struct table_cols c;
	bool vmflags = false;
	size_t i;
	int err;

	(void)o;
	table_measure(s, &c);
	for (i = 0; i < s->nsmaps && !vmflags; i++)
		vmflags = s->smaps[i].vmflags != NULL;
	table_header(f, &c, vmflags);
	for (i = 0; i < s->nregions; i++)
		if (s->regions[i].flags & VASX_F_MAPPING)
			table_row(f, s, &s->regions[i], &c, vmflags, &name);
	table_footer(f, &c, vmflags);
	vasx_escbuf_release(&name);
	err = vasx_export_status(f);
	return err ? err : name.err;
}

int vasx_export_table_csv(FILE *f, const struct vasx_snapshot *s)
{
	size_t i;
	unsigned k;

	fputs("start,end,perms,offset,dev,inode,kind", f);
	for (k = 0; k < VASX_SM_COUNT; k++)
		fprintf(f, ",%s", vasx_smaps_field_name(k));
	fputs(",VmFlags,deleted,path\n", f);
	for (i = 0; i < s->nregions; i++) {
		const struct vasx_region *r = &s->regions[i];
		const struct vasx_smaps *sm = vasx_region_smaps(s, r);
		char a[32], e[32], perms[5], dev[24];

		if (!(r->flags & VASX_F_MAPPING))
			continue;
		fprintf(f, "%s,%s,%s,0x%llx,%s,%llu,%s", vasx_fmt_addr(r->start, a, sizeof(a)),
			vasx_fmt_end(r->last, e, sizeof(e)), vasx_perms_str(r->perms, perms),
			(unsigned long long)r->offset, vasx_fmt_dev(r, dev),
			(unsigned long long)r->inode, vasx_kind_name(r->kind));
		for (k = 0; k < VASX_SM_COUNT; k++) {
			bool have;
			uint64_t v = field_value(s, r, k, &have);

			if (have)
				fprintf(f, ",%llu", (unsigned long long)v);
			else
				putc(',', f);
		}
		putc(',', f);
		vasx_csv_str(f, sm ? sm->vmflags : NULL);
		fprintf(f, ",%d,", r->flags & VASX_F_DELETED ? 1 : 0);
		vasx_csv_str(f, r->name);
		putc('\n', f);
	}
	return vasx_export_status(f);
}

int vasx_export_table_json(FILE *f, const struct vasx_snapshot *s)
{
	const char *sep = "\n";
	size_t i;

	putc('[', f);
	for (i = 0; i < s->nregions; i++) {
		if (!(s->regions[i].flags & VASX_F_MAPPING))
			continue;
		fputs(sep, f);
		vasx_json_mapping(f, s, &s->regions[i]);
		sep = ",\n";
	}
	fputs("\n]\n", f);
	return vasx_export_status(f);
}
