/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The help screen, generated from the action table, and the legend of
 * glyphs, colours and marks (shared with the statistics pane).
 */
#include <stdio.h>
#include "ui.h"

struct kind_look {
	enum vasx_elem elem;
	const char *utf8, *ascii;
};

static const struct kind_look looks[VASX_KIND_COUNT] = {
	[VASX_KIND_GAP] = { VASX_E_R_GAP, "\u00b7", "." },
	[VASX_KIND_NULLTRAP] = { VASX_E_R_GUARD, "\u00d7", "x" },
	[VASX_KIND_HOLE] = { VASX_E_R_HOLE, "\u2571", "/" },
	[VASX_KIND_TEXT] = { VASX_E_R_TEXT, "\u2588", "#" },
	[VASX_KIND_RODATA] = { VASX_E_R_RODATA, "\u2593", "%" },
	[VASX_KIND_DATA] = { VASX_E_R_DATA, "\u2592", "=" },
	[VASX_KIND_BSS] = { VASX_E_R_DATA, "\u2591", ":" },
	[VASX_KIND_HEAP] = { VASX_E_R_HEAP, "\u2592", "h" },
	[VASX_KIND_STACK] = { VASX_E_R_STACK, "\u2592", "s" },
	[VASX_KIND_THREAD_STACK] = { VASX_E_R_STACK, "\u2591", "t" },
	[VASX_KIND_VDSO] = { VASX_E_R_SPECIAL, "\u2593", "v" },
	[VASX_KIND_VVAR] = { VASX_E_R_SPECIAL, "\u2591", "v" },
	[VASX_KIND_VSYSCALL] = { VASX_E_R_SPECIAL, "\u2593", "v" },
	[VASX_KIND_ANON] = { VASX_E_R_ANON, "\u2592", "+" },
	[VASX_KIND_FILE] = { VASX_E_R_FILE, "\u2593", "f" },
	[VASX_KIND_SHARED] = { VASX_E_R_SHARED, "\u2593", "S" },
	[VASX_KIND_SHM] = { VASX_E_R_SHARED, "\u2592", "M" },
	[VASX_KIND_DELETED] = { VASX_E_WARN, "\u2593", "d" },
	[VASX_KIND_GUARD] = { VASX_E_R_GUARD, "\u2504", "-" },
	[VASX_KIND_KERNEL] = { VASX_E_R_KERNEL, "\u2588", "K" },
	[VASX_KIND_KOBJECT] = { VASX_E_R_SPECIAL, "\u25c6", "o" },
};

enum vasx_elem vasx_kind_elem(unsigned kind)
{
	return kind < VASX_KIND_COUNT ? looks[kind].elem : VASX_E_NORMAL;
}

const char *vasx_kind_glyph(unsigned kind, bool utf8)
{
	if (kind >= VASX_KIND_COUNT)
		return "?";
	return utf8 ? looks[kind].utf8 : looks[kind].ascii;
}

static void legend(struct vasx_lines *ls, bool utf8)
{
	vasx_lines_heading(ls, "Marks beside the column (they need no colour)");
	vasx_lines_add(ls, VASX_E_WARN, "!", "writable and executable (W+X)");
	vasx_lines_add(ls, VASX_E_NORMAL, "-", "no access at all (---): guard or reserve");
	vasx_lines_add(ls, VASX_E_WARN, "D", "mapping of a deleted file");
	vasx_lines_add(ls, VASX_E_NORMAL, "~", "kernel region from the documented layout (approximate)");
	vasx_lines_add(ls, VASX_E_MATCH, "*", "search match or located range");
	vasx_lines_heading(ls, "Changes (live refresh or against the baseline)");
	vasx_lines_add(ls, VASX_E_CH_NEW, "+", "new region");
	vasx_lines_add(ls, VASX_E_CH_GONE, "x", "removed region (kept a few ticks as a ghost)");
	vasx_lines_add(ls, VASX_E_CH_GROWN, "> <", "grown, shrunk");
	vasx_lines_add(ls, VASX_E_CH_GROWN, "P", "permissions changed");
	vasx_lines_add(ls, VASX_E_CH_EXEC, "X", "became executable");
	vasx_lines_add(ls, VASX_E_CH_GROWN, "^ v", "resident memory (RSS/PSS/swap) up, down");
	vasx_lines_heading(ls, "Kinds of region");
	for (int k = 0; k < VASX_KIND_COUNT; k++) {
		char g[48];

		snprintf(g, sizeof(g), "%s%s %s", vasx_kind_glyph((unsigned)k, utf8),
			 vasx_kind_glyph((unsigned)k, utf8), vasx_kind_name((enum vasx_kind)k));
		vasx_lines_add(ls, vasx_kind_elem((unsigned)k), g, "%s",
			       vasx_kind_desc((enum vasx_kind)k));
	}
}

void vasx_help_build(struct vasx_lines *ls, bool utf8)
{
	vasx_lines_clear(ls);
	for (int s = 0; s < VASX_SCOPE_COUNT; s++) {
		vasx_lines_heading(ls, vasx_scope_title((enum vasx_scope)s));
		for (int a = 1; a < VASX_A_COUNT; a++) {
			char keys[64];

			if (vasx_actions[a].scope != (enum vasx_scope)s)
				continue;
			vasx_lines_add(ls, VASX_E_NORMAL,
				       vasx_action_keys((enum vasx_action)a, keys, sizeof(keys)),
				       "%s", vasx_actions[a].help);
		}
	}
	vasx_lines_heading(ls, "Mouse");
	vasx_lines_add(ls, VASX_E_NORMAL, "click", "select; on the bottom bar: that key");
	vasx_lines_add(ls, VASX_E_NORMAL, "wheel", "scroll");
	legend(ls, utf8);
}
