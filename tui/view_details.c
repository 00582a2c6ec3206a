/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The details pane: everything known about the selected region (or zoomed
 * row), as label/value lines. Built when the selection or the snapshot
 * changes, not per frame.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "vasx/diff.h"
#include "vasx/fmt.h"
#include "vasx/status.h"
#include "ui.h"

static void perms_words(unsigned p, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", p & VASX_P_READ ? "read " : "", p & VASX_P_WRITE ? "write " : "",
		 p & VASX_P_EXEC ? "exec" : "");
	if (!(p & (VASX_P_READ | VASX_P_WRITE | VASX_P_EXEC)))
		snprintf(buf, len, "no access");
}

static void add_marks(struct vasx_ui *ui, struct vasx_lines *ls, const struct vasx_region *r)
{
	const struct vasx_mark *mk = vasx_vas_mark(&ui->vas, r->start);
	unsigned m = mk ? mk->marks : 0;
	char sz[24], p[5];

	if (r->flags & VASX_F_WX)
		vasx_lines_add(ls, VASX_E_WARN, "Warning", "writable AND executable (W+X)");
	if (r->flags & VASX_F_EXEC_ANON)
		vasx_lines_add(ls, VASX_E_WARN, "Warning", "executable with no file behind it");
	if (r->flags & VASX_F_WFILE_EXEC)
		vasx_lines_add(ls, VASX_E_WARN, "Warning", "executable mapping of a writable file");
	if (r->flags & VASX_F_DELETED)
		vasx_lines_add(ls, VASX_E_WARN, "Deleted", "the file behind it was deleted");
	if ((r->flags & VASX_F_NOACCESS) && (r->flags & VASX_F_MAPPING))
		vasx_lines_add(ls, VASX_E_NORMAL, "Access", "none (---): a guard or a reservation");
	if (!m)
		return;
	vasx_lines_add(ls, m & VASX_M_EXEC ? VASX_E_CH_EXEC : VASX_E_CH_GROWN, "Changed",
		       "%s%s%s%s%s%s%s(%s)", m & VASX_M_NEW ? "new " : "",
		       m & VASX_M_GROWN ? "grown " : "", m & VASX_M_SHRUNK ? "shrunk " : "",
		       m & VASX_M_EXEC ? "became executable " : m & VASX_M_PERMS ? "perms " : "",
		       m & VASX_M_RSS_UP ? "RSS up " : "", m & VASX_M_RSS_DOWN ? "RSS down " : "",
		       "", ui->vas.base ? "since the baseline" : "at the last refresh");
	if (m & (VASX_M_GROWN | VASX_M_SHRUNK))
		vasx_lines_add(ls, VASX_E_CH_GROWN, "Was", "%s",
			       vasx_fmt_size(mk->old_size, sz, sizeof(sz)));
	if (m & VASX_M_PERMS)
		vasx_lines_add(ls, m & VASX_M_EXEC ? VASX_E_CH_EXEC : VASX_E_CH_GROWN, "Was", "%s",
			       vasx_perms_str(mk->old_perms, p));
	if (m & (VASX_M_RSS_UP | VASX_M_RSS_DOWN))
		vasx_lines_add(ls, VASX_E_CH_GROWN, "Delta", "RSS %+lld kB, PSS %+lld kB, swap %+lld kB",
			       (long long)mk->d_rss_kb, (long long)mk->d_pss_kb,
			       (long long)mk->d_swap_kb);
}

static void add_thread(struct vasx_ui *ui, struct vasx_lines *ls, const struct vasx_region *r)
{
	const struct vasx_snapshot *s = ui->vas.snap;
	char comm[96];

	if (r->kind == VASX_KIND_STACK) {
		vasx_lines_add(ls, VASX_E_VALUE, "Thread", "main, %d", s->pid);
		return;
	}
	if (r->kind != VASX_KIND_THREAD_STACK && r->kind != VASX_KIND_KOBJECT)
		return;
	for (size_t i = 0; i < s->nthreads; i++) {
		if (s->threads[i].tid == r->tid) {
			vasx_fmt_escape(s->threads[i].comm, comm, sizeof(comm));
			vasx_lines_add(ls, VASX_E_VALUE, "Thread", "%d (%s)", r->tid, comm);
			return;
		}
	}
	if (r->tid)
		vasx_lines_add(ls, VASX_E_VALUE, "Thread", "%d", r->tid);
}

static void add_kernel(struct vasx_ui *ui, struct vasx_lines *ls, const struct vasx_region *r,
		       size_t width)
{
	const struct vasx_klayout *k = &ui->vas.snap->kernel;

	if (r->space != VASX_SPACE_KERNEL)
		return;
	if (r->desc)
		vasx_lines_wrap(ls, "About", r->desc, width);
	vasx_lines_add(ls, r->flags & VASX_F_APPROX ? VASX_E_WARN : VASX_E_VALUE, "Source", "%s%s",
		       vasx_ksource_name(k->source),
		       r->flags & VASX_F_APPROX ? " (documented layout, bases not resolved)" : "");
	if (k->source != VASX_KSRC_MODULE)
		vasx_lines_wrap(ls, "Hint", vasx_kmodui_hint(ui), width);
}

static void add_smaps(struct vasx_ui *ui, struct vasx_lines *ls, const struct vasx_region *r,
		      size_t width)
{
	const struct vasx_snapshot *s = ui->vas.snap;
	const struct vasx_smaps *sm = vasx_region_smaps(s, r);
	char word[3], esc[12];

	if (!(r->flags & VASX_F_MAPPING))
		return;
	vasx_lines_heading(ls, "Memory (smaps)");
	if (!sm) {
		if (s->smaps_err)
			vasx_lines_wrap(ls, "Unknown", s->smaps_err == -EACCES || s->smaps_err == -EPERM ?
				    "smaps: permission denied; these need the process's user or root "
				    "(ptrace access). What maps shows is above." :
				    vasx_strerror(s->smaps_err), width);
		else
			vasx_lines_add(ls, VASX_E_DIM, "", "not read yet");
		return;
	}
	for (int f = 0; f < VASX_SM_COUNT; f++) {
		if (!(sm->present & (1u << f)))
			continue;
		vasx_lines_add(ls, VASX_E_VALUE, vasx_smaps_field_name((enum vasx_smaps_field)f),
			       "%llu%s", (unsigned long long)sm->v[f],
			       vasx_smaps_field_is_kb((enum vasx_smaps_field)f) ? " kB" : "");
	}
	for (uint32_t i = 0; i < sm->nextra && sm->extra + i < s->extras.n; i++) {
		char name[24], value[64];

		/* fields this vasx does not know: shown as the kernel wrote them, but safely */
		vasx_fmt_escape(s->extras.v[sm->extra + i].name, name, sizeof(name));
		vasx_fmt_escape(s->extras.v[sm->extra + i].value, value, sizeof(value));
		vasx_lines_add(ls, VASX_E_VALUE, name, "%s", value);
	}
	if (!sm->vmflags)
		return;
	vasx_lines_heading(ls, "VmFlags");
	for (const char *p = sm->vmflags; p[0];) {
		const char *d;

		while (*p == ' ')
			p++;
		if (!p[0] || !p[1])
			break;
		word[0] = p[0], word[1] = p[1], word[2] = '\0';
		d = vasx_vmflag_desc(word);
		vasx_lines_add(ls, VASX_E_VALUE, vasx_fmt_escape(word, esc, sizeof(esc)), "%s",
			       d ? d : "(not known to vasx)");
		p += 2;
		while (*p && *p != ' ')
			p++;
	}
}

/* When zoomed: the selected row, or page, first. */
static void add_row(struct vasx_ui *ui, struct vasx_lines *ls, size_t width)
{
	struct vasx_vas *v = &ui->vas;
	const struct vasx_zoom *z = &v->zoom[v->zdepth - 1];
	uint64_t lo, hi, ps = (uint64_t)sysconf(_SC_PAGESIZE);
	char a[24], b[24], sz[24], words[256];
	size_t cnt[4];

	vasx_zoom_row_range(z->start, z->last, z->gran, z->list.sel, &lo, &hi);
	vasx_lines_heading(ls, hi - lo + 1 <= ps ? "Page" : "Row");
	vasx_lines_add(ls, VASX_E_ADDR, "Range", "%s-%s", vasx_fmt_addr(lo, a, sizeof(a)),
		       vasx_fmt_end(hi, b, sizeof(b)));
	vasx_lines_add(ls, VASX_E_VALUE, "Size", "%s", vasx_fmt_size(hi - lo + 1, sz, sizeof(sz)));
	if (!vasx_vas_residency(v, lo, hi, cnt)) {
		vasx_lines_add(ls, VASX_E_DIM, "Resident", "%s",
			       v->pg_err == -EACCES || v->pg_err == -EPERM ?
			       "pagemap: permission denied (needs the process's user or root)" :
			       v->pg_err == -E2BIG ? "zoom in to read residency" :
			       v->pg_err == -EFAULT ? "only user mappings have pages to show" :
			       v->pg_err ? vasx_strerror(v->pg_err) : "unknown");
		return;
	}
	if (hi - lo + 1 <= ps) {
		/* every flag of the page, over as many lines as the pane needs */
		vasx_page_words(&v->pages[(lo - v->pg_addr) / ps], words, sizeof(words));
		vasx_lines_wrap(ls, "Page", words, width);
		return;
	}
	vasx_lines_add(ls, VASX_E_VALUE, "Present", "%zu of %zu pages", cnt[1], cnt[0]);
	vasx_lines_add(ls, VASX_E_VALUE, "Swapped", "%zu", cnt[2]);
	vasx_lines_add(ls, VASX_E_VALUE, "File/shm", "%zu", cnt[3]);
}

static uint64_t details_key(const struct vasx_ui *ui)
{
	const struct vasx_vas *v = &ui->vas;
	uint64_t k = (uint64_t)v->generation * 0x9e3779b97f4a7c15ull;

	k ^= v->list.sel * 0x100000001b3ull + (uint64_t)v->zdepth;
	if (v->zdepth)
		k ^= (v->zoom[v->zdepth - 1].list.sel + 1) * 0xff51afd7ed558ccdull ^
		     v->zoom[v->zdepth - 1].gran ^ (uint64_t)v->pg_err ^ v->pg_addr ^ v->npages;
	k ^= v->jumped ? v->jump_addr * 31 + 7 : 0;
	k ^= (uint64_t)v->nmarks << 48 ^ (uint64_t)(v->base != NULL) << 47;
	return k | 1;
}

void vasx_details_build(struct vasx_ui *ui, struct vasx_lines *ls)
{
	struct vasx_vas *v = &ui->vas;
	const struct vasx_region *r = vasx_vas_selected(ui);
	struct vasx_geom g;
	size_t width;
	char a[24], b[24], sz[24], words[64];
	uint64_t key = details_key(ui);

	if (v->details_key == key)
		return;
	v->details_key = key;
	vasx_lines_clear(ls);
	if (!r)
		return;
	vasx_geom_compute(ui, &g);
	width = g.pane[VASX_PANE_DETAILS].w > 14 ? (size_t)g.pane[VASX_PANE_DETAILS].w - 12 : 40;
	if (v->zdepth)
		add_row(ui, ls, width);
	vasx_lines_heading(ls, vasx_kind_desc((enum vasx_kind)r->kind));
	vasx_lines_add(ls, VASX_E_ADDR, "Start", "%s", vasx_fmt_addr(r->start, a, sizeof(a)));
	vasx_lines_add(ls, VASX_E_ADDR, "End", "%s", vasx_fmt_end(r->last, b, sizeof(b)));
	vasx_lines_add(ls, VASX_E_SIZE, "Size", "%s", vasx_fmt_size(vasx_region_size(r), sz, sizeof(sz)));
	vasx_lines_add(ls, VASX_E_VALUE, "", "%llu bytes", (unsigned long long)vasx_region_size(r));
	if (v->jumped && vasx_region_contains(r, v->jump_addr))
		vasx_lines_add(ls, VASX_E_MATCH, "Jumped to", "+0x%llx (%s)",
			       (unsigned long long)(v->jump_addr - r->start),
			       vasx_fmt_addr(v->jump_addr, a, sizeof(a)));
	vasx_lines_add(ls, VASX_E_VALUE, "Kind", "%s", vasx_kind_name((enum vasx_kind)r->kind));
	/* a gap, even in the kernel half, has no permissions: nothing is mapped */
	if (r->flags & VASX_F_MAPPING ||
	    (r->space == VASX_SPACE_KERNEL && r->kind != VASX_KIND_GAP)) {
		perms_words(r->perms, words, sizeof(words));
		vasx_lines_add(ls, VASX_E_VALUE, "Perms", "%s: %s", vasx_perms_str(r->perms, a), words);
	}
	if (r->flags & VASX_F_MAPPING) {
		vasx_lines_add(ls, VASX_E_VALUE, "Sharing", "%s",
			       r->perms & VASX_P_SHARED ? "shared" : "private");
		vasx_lines_add(ls, VASX_E_VALUE, "Offset", "0x%llx", (unsigned long long)r->offset);
		vasx_lines_add(ls, VASX_E_VALUE, "Device", "%02x:%02x", r->dev_major, r->dev_minor);
		vasx_lines_add(ls, VASX_E_VALUE, "Inode", "%llu", (unsigned long long)r->inode);
	}
	if (r->name)
		vasx_lines_wrap(ls, r->space == VASX_SPACE_KERNEL ? "Key" : "Path", r->name, width);
	add_thread(ui, ls, r);
	add_marks(ui, ls, r);
	if (r->kind == VASX_KIND_GAP && vasx_vas_ghost(v, r->start, r->last))
		vasx_lines_add(ls, VASX_E_CH_GONE, "Removed", "%s",
			       vasx_vas_ghost(v, r->start, r->last)->name);
	add_kernel(ui, ls, r, width);
	add_smaps(ui, ls, r, width);
}
