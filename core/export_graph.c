/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --graph: the whole address space as a column of boxes, highest address
 * on top, as procmap draws it. A box's height grows with the logarithm of
 * its size so 4 KB and 16 EB fit one screen; every row is written once, so
 * the cost is linear in the number of regions.
 */
#include <string.h>

#include "vasx/export.h"
#include "vasx/fmt.h"
#include "vasx/status.h"
#include "vasx/vas.h"
#include "export_int.h"
#include "utf8.h"

#define SIZE_W 10		/* "1023.99 KB" */
#define RIGHT_W (SIZE_W + 1 + 5 + 1 + 9)
#define MAX_EXTRA_ROWS 6	/* beyond this a box is cut with a "~" row */
#define MAX_CHILD_ROWS 24
#define MAX_LABELS 48

#define C_RESET "\033[0m"
#define C_DIM "\033[2m"
#define C_WX "\033[1;97;41m"
#define C_NOACC "\033[1;31m"
#define C_LOCATE "\033[1;7m"
#define C_LABEL "\033[1;36m"

struct label {
	uint64_t addr;
	const char *name;
};

struct graph {
	FILE *f;
	const struct vasx_snapshot *s;
	const struct vasx_export_opts *o;
	unsigned inner;		/* columns between the box's two '|' */
	unsigned namew;		/* columns for the name on a box's first row */
	struct label labels[MAX_LABELS];
	size_t nlabels;
	struct vasx_escbuf esc;	/* names escaped whole */
	char word[64];		/* "[kind of tid]" */
};

static const char *kind_color(const struct vasx_region *r)
{
	switch (r->kind) {
	case VASX_KIND_GAP:
	case VASX_KIND_HOLE:
	case VASX_KIND_NULLTRAP:
		return C_DIM;
	case VASX_KIND_TEXT:
		return "\033[32m";
	case VASX_KIND_RODATA:
		return "\033[36m";
	case VASX_KIND_DATA:
	case VASX_KIND_BSS:
		return "\033[33m";
	case VASX_KIND_HEAP:
	case VASX_KIND_STACK:
	case VASX_KIND_THREAD_STACK:
		return "\033[35m";
	case VASX_KIND_VDSO:
	case VASX_KIND_VVAR:
	case VASX_KIND_VSYSCALL:
	case VASX_KIND_KERNEL:
	case VASX_KIND_KOBJECT:
		return "\033[34m";
	case VASX_KIND_SHARED:
	case VASX_KIND_SHM:
		return "\033[95m";
	case VASX_KIND_DELETED:
	case VASX_KIND_GUARD:
		return "\033[31m";
	default:
		return "";
	}
}

static void color_on(struct graph *g, const char *c)
{
	if (g->o->color && c[0])
		fputs(c, g->f);
}

static void color_off(struct graph *g, const char *c)
{
	if (g->o->color && c[0])
		fputs(C_RESET, g->f);
}

/*
 * Bytes and columns of the first whole piece of @s, which is escaped text:
 * an escape ("\\x1b", "\\\\") or one character, wide ones two columns.
 */
static size_t piece(const char *s, unsigned *cols)
{
	uint32_t cp;
	size_t k;

	if (s[0] == '\\') {
		k = s[1] == 'x' ? 4 : 2;
		*cols = (unsigned)k;
		return k;
	}
	k = vasx_utf8_decode((const unsigned char *)s, strnlen(s, 4), &cp);
	if (!k) {
		*cols = 1;
		return 1;
	}
	*cols = vasx_utf8_wide(cp) ? 2 : 1;
	return k;
}

static unsigned text_width(const char *s)
{
	unsigned n = 0, c;

	while (*s) {
		s += piece(s, &c);
		n += c;
	}
	return n;
}

/*
 * The last @w columns of @s, starting with "..." when cut: paths end in
 * what matters. Whole pieces only: "...1b[2J" would read as other text.
 */
static const char *fit_tail(const char *s, unsigned w, bool *cut)
{
	unsigned have = text_width(s), c;

	*cut = have > w && w > 3;
	if (!*cut)
		return s;
	while (*s && have > w - 3) {
		s += piece(s, &c);
		have -= c;
	}
	return s;
}

/* Write @s in exactly @w columns, left-aligned. */
static void put_fit(struct graph *g, const char *s, unsigned w, const char *color)
{
	bool cut;
	const char *t = fit_tail(s, w, &cut);
	unsigned n;

	color_on(g, color);
	if (cut)
		fputs("...", g->f);
	fputs(t, g->f);
	color_off(g, color);
	for (n = text_width(t) + (cut ? 3 : 0); n < w; n++)
		putc(' ', g->f);
}

static void add_label(struct graph *g, uint64_t addr, const char *name)
{
	if (!addr || g->nlabels == MAX_LABELS)
		return;
	g->labels[g->nlabels].addr = addr;
	g->labels[g->nlabels].name = name;
	g->nlabels++;
}

/* Kernel keys whose start (and end) have names kernel people know. */
static void kernel_labels(struct graph *g, const struct vasx_region *r)
{
	static const struct {
		const char *key, *start, *end;
	} names[] = {
		{ "direct-map", "PAGE_OFFSET", NULL },
		{ "vmalloc", "VMALLOC_START", "VMALLOC_END" },
		{ "vmemmap", "VMEMMAP_START", NULL },
		{ "modules", "MODULES_VADDR", "MODULES_END" },
		{ "fixmap", "FIXADDR_START", NULL },
		{ "kernel-map", "__START_KERNEL_map", NULL },
		{ "kernel-text", "_text", "_etext" },
		{ "cpu-entry-area", "CPU_ENTRY_AREA_BASE", NULL },
		{ "ldt-remap", "LDT_BASE_ADDR", NULL },
		{ "espfix", "ESPFIX_BASE_ADDR", NULL },
		{ "kasan-shadow", "KASAN_SHADOW_START", "KASAN_SHADOW_END" },
		{ "efi", "EFI_VA_END", NULL },
	};
	size_t i;

	if (!r->name)
		return;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(r->name, names[i].key))
			continue;
		add_label(g, r->start, names[i].start);
		if (names[i].end && r->last != UINT64_MAX)
			add_label(g, r->last + 1, names[i].end);
	}
}

static void collect_labels(struct graph *g)
{
	const struct vasx_snapshot *s = g->s;
	const struct vasx_stat *st = &s->stat;
	size_t i;

	for (i = 0; i < s->nregions; i++) {
		const struct vasx_region *r = &s->regions[i];

		if (r->space == VASX_SPACE_KERNEL && !(r->flags & VASX_F_MAPPING))
			kernel_labels(g, r);
		if (r->kind == VASX_KIND_HOLE) {
			add_label(g, r->start, "end of user VA");
			if (r->last != UINT64_MAX)
				add_label(g, r->last + 1, "START_KVA");
		}
		if (r->kind == VASX_KIND_NULLTRAP && r->last != UINT64_MAX)
			add_label(g, r->last + 1, "mmap_min_addr");
	}
	add_label(g, s->kernel.task_size, "TASK_SIZE");
	add_label(g, st->start_code, "start_code");
	add_label(g, st->end_code, "end_code");
	add_label(g, st->start_data, "start_data");
	add_label(g, st->end_data, "end_data");
	add_label(g, st->start_brk, "start_brk");
	add_label(g, st->start_stack, "start_stack");
	add_label(g, st->arg_start, "arg_start");
	add_label(g, st->env_end, "env_end");
}

static bool shown(const struct graph *g, const struct vasx_region *r)
{
	if (g->o->only_user)
		return r->space == VASX_SPACE_USER;
	if (g->o->only_kernel)
		return r->space == VASX_SPACE_KERNEL;
	return true;
}

static bool located(const struct graph *g, const struct vasx_region *r)
{
	return g->o->locate && r->start <= g->o->locate_last && r->last >= g->o->locate_start;
}

/* "+----+ 00007ffd1c607000  <-- start_brk/TASK_SIZE", with @title in the line. */
static void border(struct graph *g, uint64_t addr, bool top_of_all, const char *title)
{
	unsigned n = 0, tl = title ? (unsigned)strlen(title) : 0;
	const char *sep = "  <-- ";
	size_t i;

	putc('+', g->f);
	if (tl && tl + 4 < g->inner) {
		for (; n < (g->inner - tl) / 2; n++)
			putc('-', g->f);
		fputs(title, g->f);
		n += tl;
	}
	for (; n < g->inner; n++)
		putc('-', g->f);
	fprintf(g->f, "+ %016llx", (unsigned long long)addr);
	for (i = 0; i < g->nlabels && !top_of_all; i++) {
		if (g->labels[i].addr != addr)
			continue;
		fputs(sep, g->f);
		color_on(g, C_LABEL);
		fputs(g->labels[i].name, g->f);
		color_off(g, C_LABEL);
		sep = "/";
	}
	putc('\n', g->f);
}

static void row_open(struct graph *g)
{
	putc('|', g->f);
}

static void row_close(struct graph *g)
{
	fputs("|\n", g->f);
}

static void empty_row(struct graph *g, bool cut)
{
	unsigned n;

	if (cut) {
		putc('~', g->f);
		for (n = 0; n < g->inner; n++)
			putc(n % 8 == 3 ? '.' : ' ', g->f);
		fputs("~\n", g->f);
		return;
	}
	row_open(g);
	for (n = 0; n < g->inner; n++)
		putc(' ', g->f);
	row_close(g);
}

/* A row of free text inside a box, indented by @indent. */
static void text_row(struct graph *g, unsigned indent, const char *text, const char *color)
{
	row_open(g);
	fprintf(g->f, "%*s", (int)indent, "");
	put_fit(g, text, g->inner - indent, color);
	row_close(g);
}

static const char *region_name(struct graph *g, const struct vasx_region *r)
{
	switch (r->kind) {
	case VASX_KIND_GAP:
		return r->space == VASX_SPACE_KERNEL ? "<... K sparse region ...>"
						     : "<... sparse region ...>";
	case VASX_KIND_HOLE:
		return "<... non-canonical hole ...>";
	case VASX_KIND_NULLTRAP:
		return "< NULL trap >";
	default:
		break;
	}
	if (r->name && r->name[0]) {
		static const char deleted[] = " (deleted)";
		const char *name = vasx_escbuf_name(&g->esc, r->name);
		size_t len = strlen(name);

		if ((r->flags & VASX_F_DELETED) &&
		    vasx_escbuf_reserve(&g->esc, len + sizeof(deleted))) {
			memcpy(g->esc.buf + len, deleted, sizeof(deleted));
			return g->esc.buf;
		}
		return name;
	}
	if (r->tid)
		snprintf(g->word, sizeof(g->word), "[%s of %d]", vasx_kind_name(r->kind), r->tid);
	else
		snprintf(g->word, sizeof(g->word), "[%s]", vasx_kind_name(r->kind));
	return g->word;
}

/* Size, perms with a marker, offset: the fixed columns at the right of a first row. */
static void right_columns(struct graph *g, const struct vasx_region *r)
{
	bool mapping = r->flags & VASX_F_MAPPING;
	bool gap = r->kind == VASX_KIND_GAP || r->kind == VASX_KIND_HOLE ||
		   r->kind == VASX_KIND_NULLTRAP;
	const char *pc = "";
	char size[32], perms[5], mark = ' ', off[24] = "";

	vasx_fmt_size(vasx_region_size(r), size, sizeof(size));
	vasx_perms_str(r->perms, perms);
	if (!mapping)
		perms[3] = ' ';
	if (gap)
		memcpy(perms, "    ", 4);
	if (r->flags & VASX_F_WX) {
		mark = '!';
		pc = C_WX;
	} else if (mapping && (r->flags & VASX_F_NOACCESS)) {
		mark = '#';
		pc = C_NOACC;
	}
	if (mapping)
		snprintf(off, sizeof(off), "0x%llx", (unsigned long long)r->offset);
	fprintf(g->f, "%*s ", SIZE_W, size);
	color_on(g, pc);
	fprintf(g->f, "%.4s%c", perms, mark);
	color_off(g, pc);
	fprintf(g->f, " %-9s", off);
}

static void first_row(struct graph *g, const struct vasx_region *r, unsigned indent)
{
	bool loc = located(g, r);

	/* Deep nesting in a narrow graph: keep room for a name. */
	if (indent + 8 > g->namew)
		indent = g->namew - 8;
	row_open(g);
	color_on(g, loc ? C_LOCATE : "");
	fprintf(g->f, "%c%*s", loc ? '>' : ' ', (int)indent, "");
	color_off(g, loc ? C_LOCATE : "");
	put_fit(g, region_name(g, r), g->namew - indent, kind_color(r));
	putc(' ', g->f);
	right_columns(g, r);
	row_close(g);
}

/* Rows a box gets for its size: one per 16x beyond a page, log scale. */
static unsigned size_rows(const struct vasx_region *r, bool *cut)
{
	uint64_t size = vasx_region_size(r);
	unsigned lg = 63 - (unsigned)__builtin_clzll(size ? size : 1);
	unsigned extra = lg > 12 ? (lg - 12) / 4 : 0;

	*cut = extra > MAX_EXTRA_ROWS;
	return 1 + (*cut ? MAX_EXTRA_ROWS : extra);
}

static void landmark_rows(struct graph *g, const struct vasx_region *r, unsigned *used)
{
	char text[96];
	size_t i;

	for (i = 0; i < g->nlabels; i++) {
		const struct label *l = &g->labels[i];

		if (l->addr <= r->start || l->addr > r->last)
			continue;
		snprintf(text, sizeof(text), "%s = 0x%llx", l->name, (unsigned long long)l->addr);
		text_row(g, 4, text, g->o->color ? C_LABEL : "");
		(*used)++;
	}
}

/*
 * Nested regions (kernel-text in kernel-image...) of [first, end) at
 * @depth, highest first, each followed by its own nested ones.
 */
static void child_rows(struct graph *g, size_t first, size_t end, unsigned depth,
		       unsigned *used)
{
	size_t j, sub_end = end;

	for (j = end; j-- > first;) {
		const struct vasx_region *c = &g->s->regions[j];

		if (c->depth != depth)
			continue;
		if (*used > MAX_CHILD_ROWS) {
			text_row(g, 2 * depth, "... and more inside", C_DIM);
			(*used)++;
			return;
		}
		first_row(g, c, 2 * depth);
		(*used)++;
		child_rows(g, j + 1, sub_end, depth + 1, used);
		sub_end = j;
	}
}

static void detail_row(struct graph *g, const struct vasx_region *r, unsigned *used)
{
	const struct vasx_smaps *sm = vasx_region_smaps(g->s, r);
	char text[160], a[24], b[24];

	if (sm && (sm->present & (1u << VASX_SM_RSS))) {
		snprintf(text, sizeof(text), "%s; rss %s, swap %s", vasx_kind_desc(r->kind),
			 vasx_fmt_size(sm->v[VASX_SM_RSS] * 1024, a, sizeof(a)),
			 vasx_fmt_size(sm->v[VASX_SM_SWAP] * 1024, b, sizeof(b)));
		text_row(g, 4, text, C_DIM);
	} else {
		text_row(g, 4, r->desc ? vasx_escbuf_name(&g->esc, r->desc) :
				      vasx_kind_desc(r->kind), C_DIM);
	}
	(*used)++;
}

static void box(struct graph *g, size_t i, size_t end)
{
	const struct vasx_region *r = &g->s->regions[i];
	bool cut;
	unsigned rows = size_rows(r, &cut), used = 1;

	first_row(g, r, 0);
	child_rows(g, i + 1, end, 1, &used);
	landmark_rows(g, r, &used);
	if (used < rows && r->kind != VASX_KIND_GAP)
		detail_row(g, r, &used);
	for (; used < rows; used++)
		empty_row(g, cut && used == rows / 2 + 1);
}

static const char *space_title(const struct vasx_region *r)
{
	switch (r->space) {
	case VASX_SPACE_KERNEL:
		return " kernel VAS ";
	case VASX_SPACE_HOLE:
		return " non-canonical ";
	default:
		return " user VAS ";
	}
}

static void header(struct graph *g)
{
	const struct vasx_snapshot *s = g->s;
	char name[VASX_ESC_ROOM(sizeof(s->stat.comm))], cmd[512];

	fprintf(g->f, "vasx: pid %d (%s)", s->pid, vasx_fmt_escape(s->stat.comm, name, sizeof(name)));
	/* The command line is context here, not data: its start will do. */
	if (s->cmdline && s->cmdline[0])
		fprintf(g->f, "  %s", vasx_fmt_escape(s->cmdline, cmd, sizeof(cmd)));
	fprintf(g->f, "\n%zu mappings, %u-bit user VA", s->totals.map_count, s->va_bits);
	if (!g->o->only_user) {
		switch (s->kernel.source) {
		case VASX_KSRC_MODULE:
			fputs("; kernel half from the vasx module", g->f);
			break;
		case VASX_KSRC_KALLSYMS:
			fputs("; kernel half from the documented layout, /proc/kallsyms and /proc/modules",
			      g->f);
			break;
		case VASX_KSRC_APPROX:
			fputs("; kernel half approximate (documented layout; load the vasx module for the real one)",
			      g->f);
			break;
		default:
			break;
		}
		/* The module is there but its file could not be used: say why. */
		if (s->kernel.source != VASX_KSRC_MODULE &&
		    (s->kernel.module_err == -VASX_E_VERSION ||
		     s->kernel.module_err == -VASX_E_MALFORMED ||
		     s->kernel.module_err == -VASX_E_TRUNCATED))
			fprintf(g->f, "\nthe vasx module's layout was not used: %s",
				vasx_strerror(s->kernel.module_err));
	}
	fputs("\n", g->f);
}

static void graph_body(struct graph *g)
{
	const struct vasx_snapshot *s = g->s;
	const struct vasx_region *prev = NULL;
	size_t i, end = s->nregions;

	for (i = s->nregions; i-- > 0;) {
		const struct vasx_region *r = &s->regions[i];

		if (r->depth) {
			continue;
		}
		if (shown(g, r)) {
			if (!prev)
				border(g, r->last == UINT64_MAX ? r->last : r->last + 1, true,
				       space_title(r));
			else
				border(g, prev->start, false,
				       prev->space != r->space ? space_title(r) : NULL);
			box(g, i, end);
			prev = r;
		}
		end = i;
	}
	if (prev)
		border(g, prev->start, false, NULL);
}

static void locate_report(struct graph *g)
{
	const struct vasx_export_opts *o = g->o;
	const struct vasx_snapshot *s = g->s;
	char a[24], b[24], sz[24];
	size_t i;

	fprintf(g->f, "\nlocate %s", vasx_fmt_addr(o->locate_start, a, sizeof(a)));
	if (o->locate_last != o->locate_start)
		fprintf(g->f, "-%s (%s)", vasx_fmt_end(o->locate_last, a, sizeof(a)),
			vasx_fmt_size(o->locate_last - o->locate_start + 1, sz, sizeof(sz)));
	fputs(" falls in:\n", g->f);
	for (i = 0; i < s->nregions; i++) {
		const struct vasx_region *r = &s->regions[i];
		char perms[5];

		if (!located(g, r))
			continue;
		vasx_perms_str(r->perms, perms);
		fprintf(g->f, "  %*s%s  %s-%s  %s  %s", 2 * r->depth, "",
			vasx_kind_name(r->kind), vasx_fmt_addr(r->start, a, sizeof(a)),
			vasx_fmt_end(r->last, b, sizeof(b)), perms,
			vasx_fmt_size(vasx_region_size(r), sz, sizeof(sz)));
		if (r->name)
			fprintf(g->f, "  %s", vasx_escbuf_name(&g->esc, r->name));
		if (o->locate_start >= r->start)
			fprintf(g->f, "  (+0x%llx)", (unsigned long long)(o->locate_start - r->start));
		putc('\n', g->f);
	}
}

static void legend(struct graph *g)
{
	fputs("\nLegend: size, perms (p private / s shared), file offset; '!' writable and\n"
	      "executable (W+X), '#' no access (---), '>' overlaps --locate. Box heights grow\n"
	      "with log16 of the size; '~' marks a box cut short.\n", g->f);
}

static void statistics(struct graph *g)
{
	const struct vasx_totals *t = &g->s->totals;
	char a[24], b[24], c[24], d[24];
	size_t i, wx = 0;

	for (i = 0; i < g->s->nregions; i++)
		wx += (g->s->regions[i].flags & (VASX_F_WX | VASX_F_MAPPING)) ==
		      (VASX_F_WX | VASX_F_MAPPING);
	fprintf(g->f, "\nStatistics:\n  user VAS        %s (%u bits)\n",
		vasx_fmt_size(t->user_vas, a, sizeof(a)), g->s->va_bits);
	fprintf(g->f, "  mapped          %s in %zu mappings (%.6f%% of user VAS)\n",
		vasx_fmt_size(t->mapped, a, sizeof(a)), t->map_count, t->mapped_pct);
	fprintf(g->f, "  sparse          %s (%.6f%%); largest gap %s at 0x%llx\n",
		vasx_fmt_size(t->sparse, a, sizeof(a)), t->sparse_pct,
		vasx_fmt_size(t->largest_gap, b, sizeof(b)),
		(unsigned long long)t->largest_gap_start);
	if (t->hole || t->kernel_vas)
		fprintf(g->f, "  kernel VAS      %s; non-canonical hole %s\n",
			vasx_fmt_size(t->kernel_vas, a, sizeof(a)),
			vasx_fmt_size(t->hole, b, sizeof(b)));
	if (t->have_mem)
		fprintf(g->f, "  memory          rss %s, pss %s, uss %s, swap %s\n",
			vasx_fmt_size(t->rss_kb * 1024, a, sizeof(a)),
			vasx_fmt_size(t->pss_kb * 1024, b, sizeof(b)),
			vasx_fmt_size(t->uss_kb * 1024, c, sizeof(c)),
			vasx_fmt_size(t->swap_kb * 1024, d, sizeof(d)));
	if (t->max_map_count > 0)
		fprintf(g->f, "  map count       %zu (%zu VMAs of vm.max_map_count %ld)\n",
			t->map_count, t->vma_count, t->max_map_count);
	if (t->ram_total_kb)
		fprintf(g->f, "  RAM             %s\n", vasx_fmt_size(t->ram_total_kb * 1024, a, sizeof(a)));
	fprintf(g->f, "  W+X mappings    %zu\n", wx);
}

int vasx_export_graph(FILE *f, const struct vasx_snapshot *s, const struct vasx_export_opts *o)
{
	unsigned width = o->width ? o->width : 80;
	struct graph g = { .f = f, .s = s, .o = o };
	int err;

	if (width < 60)
		width = 60;
	g.inner = width - 17 - 2;
	g.namew = g.inner - 2 - RIGHT_W;
	collect_labels(&g);
	header(&g);
	graph_body(&g);
	if (o->locate)
		locate_report(&g);
	if (o->verbose) {
		legend(&g);
		statistics(&g);
	}
	vasx_escbuf_release(&g.esc);
	err = vasx_export_status(f);
	return err ? err : g.esc.err;
}
