/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The statistics pane: the core's totals for the whole address space, the
 * kernel half's source, and the legend.
 */
#include <errno.h>
#include <stdio.h>
#include "vasx/fmt.h"
#include "vasx/status.h"
#include "ui.h"

static void add_size(struct vasx_lines *ls, const char *label, uint64_t bytes, const char *extra)
{
	char sz[24];

	vasx_lines_add(ls, VASX_E_SIZE, label, "%s%s", vasx_fmt_size(bytes, sz, sizeof(sz)),
		       extra ? extra : "");
}

static void add_memory(const struct vasx_snapshot *s, struct vasx_lines *ls)
{
	const struct vasx_totals *t = &s->totals;
	char sz[24];

	vasx_lines_heading(ls, "Memory");
	if (t->have_mem) {
		add_size(ls, "RSS", t->rss_kb * 1024, NULL);
		add_size(ls, "PSS", t->pss_kb * 1024, NULL);
		add_size(ls, "USS", t->uss_kb * 1024, " (private)");
		add_size(ls, "Swap", t->swap_kb * 1024, NULL);
	} else {
		add_size(ls, "RSS", s->status.v[VASX_ST_VMRSS] * 1024, " (status)");
		vasx_lines_add(ls, VASX_E_DIM, "PSS/USS", "unknown: %s",
			       s->rollup_err ? vasx_strerror(s->rollup_err) :
			       s->smaps_err ? vasx_strerror(s->smaps_err) : "smaps not read");
	}
	if (t->ram_total_kb)
		vasx_lines_add(ls, VASX_E_VALUE, "RAM", "%s",
			       vasx_fmt_size(t->ram_total_kb * 1024, sz, sizeof(sz)));
}

static void add_space(const struct vasx_snapshot *s, struct vasx_lines *ls)
{
	const struct vasx_totals *t = &s->totals;
	char pct[64], a[24];

	vasx_lines_heading(ls, "Address space");
	add_size(ls, "User half", t->user_vas, NULL);
	if (t->kernel_vas)
		add_size(ls, "Kernel", t->kernel_vas, NULL);
	if (t->hole)
		add_size(ls, "Hole", t->hole, NULL);
	snprintf(pct, sizeof(pct), ", %.6f%%", t->mapped_pct);
	add_size(ls, "Mapped", t->mapped, pct);
	snprintf(pct, sizeof(pct), ", %.4f%%", t->sparse_pct);
	add_size(ls, "Sparse", t->sparse, pct);
	add_size(ls, "Largest gap", t->largest_gap, NULL);
	vasx_lines_add(ls, VASX_E_ADDR, "", "at %s", vasx_fmt_addr(t->largest_gap_start, a, sizeof(a)));
	if (t->max_map_count > 0)
		vasx_lines_add(ls, t->vma_count * 10 > (size_t)t->max_map_count * 9 ? VASX_E_WARN :
				   VASX_E_VALUE, "Mappings", "%zu/%ld VMAs (%.1f%%)",
			       t->vma_count, t->max_map_count,
			       100.0 * (double)t->vma_count / (double)t->max_map_count);
	else
		vasx_lines_add(ls, VASX_E_VALUE, "Mappings", "%zu", t->map_count);
}

static void add_kernel(const struct vasx_ui *ui, const struct vasx_snapshot *s,
		       struct vasx_lines *ls, size_t width)
{
	vasx_lines_heading(ls, "Kernel half");
	vasx_lines_add(ls, s->kernel.source == VASX_KSRC_APPROX ? VASX_E_WARN : VASX_E_VALUE,
		       "Source", "%s", vasx_ksource_name(s->kernel.source));
	if (s->kernel.source != VASX_KSRC_MODULE && s->kernel.source != VASX_KSRC_NONE)
		vasx_lines_wrap(ls, "Hint", vasx_kmodui_hint(ui), width);
	if (s->kernel.paging_levels)
		vasx_lines_add(ls, VASX_E_VALUE, "Paging", "%u levels, %u-bit user",
			       s->kernel.paging_levels, s->va_bits);
}

void vasx_stats_build(struct vasx_ui *ui, struct vasx_lines *ls)
{
	const struct vasx_snapshot *s = ui->vas.snap;
	struct vasx_geom geo;
	size_t width;

	vasx_lines_clear(ls);
	if (!s)
		return;
	vasx_geom_compute(ui, &geo);
	width = geo.pane[VASX_PANE_STATS].w > 14 ? (size_t)geo.pane[VASX_PANE_STATS].w - 10 : 40;
	vasx_lines_heading(ls, "Process");
	vasx_lines_wrap(ls, "Command", s->cmdline && s->cmdline[0] ? s->cmdline : s->stat.comm,
			width);
	vasx_lines_add(ls, VASX_E_VALUE, "PID", "%d, uid %u", s->pid, s->status.uid[0]);
	vasx_lines_add(ls, VASX_E_VALUE, "Threads", "%d", s->stat.num_threads);
	add_space(s, ls);
	add_memory(s, ls);
	add_kernel(ui, s, ls, width);
	/* read from smaps, both counts are of its lines: say which kind */
	if (s->maps_from_smaps && (s->maps_malformed || s->smaps_malformed))
		vasx_lines_add(ls, VASX_E_WARN, "Skipped",
			       "%zu malformed smaps line%s (%zu mapping, %zu counter)",
			       s->maps_malformed + s->smaps_malformed,
			       s->maps_malformed + s->smaps_malformed == 1 ? "" : "s",
			       s->maps_malformed, s->smaps_malformed);
	else if (s->maps_malformed || s->smaps_malformed)
		vasx_lines_add(ls, VASX_E_WARN, "Skipped", "%zu maps and %zu smaps lines malformed",
			       s->maps_malformed, s->smaps_malformed);
	vasx_lines_add(ls, VASX_E_DIM, "Read in", "%.1f ms", s->load_ms);
	vasx_lines_heading(ls, "Legend (? for all keys)");
	for (int k = 0; k < VASX_KIND_COUNT; k++) {
		char g[24];

		snprintf(g, sizeof(g), "%s%s %s", vasx_kind_glyph((unsigned)k, ui->utf8),
			 vasx_kind_glyph((unsigned)k, ui->utf8), vasx_kind_name((enum vasx_kind)k));
		vasx_lines_add(ls, vasx_kind_elem((unsigned)k), g, "%s",
			       vasx_kind_desc((enum vasx_kind)k));
	}
	vasx_lines_add(ls, VASX_E_WARN, "! D", "W+X; deleted file");
	vasx_lines_add(ls, VASX_E_NORMAL, "- ~", "no access (---); approximate kernel region");
	vasx_lines_add(ls, VASX_E_CH_NEW, "+ x > <", "new, removed, grown, shrunk");
	vasx_lines_add(ls, VASX_E_CH_EXEC, "X P ^ v", "became executable, perms, RSS up, down");
}
