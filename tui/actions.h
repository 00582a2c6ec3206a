/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every action of the explorer, its default keys and its help text. The key
 * handling, the help screen, the function-key bar and the KEYS section of
 * the manual page are all generated from this one list.
 *
 * X(id, scope, bar label or NULL, help text, keys...)
 *
 * A scope's own actions are looked up before LIST and GLOBAL ones, so a
 * screen may give a key a meaning of its own.
 */
#ifndef VASX_TUI_ACTIONS_H
#define VASX_TUI_ACTIONS_H

#include <curses.h>

#define VASX_CTRL(c) ((c) & 0x1f)
#define VASX_KEY_ESC 27

#define VASX_SCOPE_LIST(X) \
	X(GLOBAL, "Everywhere") \
	X(LIST, "In every list") \
	X(PICKER, "Process list") \
	X(VAS, "Address-space view")

#define VASX_ACTIONS(X) \
	X(HELP, GLOBAL, "Help", "show this help", KEY_F(1), '?') \
	X(QUIT, GLOBAL, "Quit", "quit vasx", 'q', KEY_F(10)) \
	X(REFRESH, GLOBAL, "Refresh", "read the process again now", KEY_F(5), VASX_CTRL('l')) \
	X(PAUSE, GLOBAL, "Pause", "pause or resume the live refresh", ' ', 'Z') \
	X(DELAY, GLOBAL, NULL, "set the refresh period in seconds", 'd') \
	X(UP, LIST, NULL, "select the previous item", KEY_UP, 'k') \
	X(DOWN, LIST, NULL, "select the next item", KEY_DOWN, 'j') \
	X(PGUP, LIST, NULL, "one page up", KEY_PPAGE) \
	X(PGDN, LIST, NULL, "one page down", KEY_NPAGE) \
	X(HOME, LIST, NULL, "first item", KEY_HOME, 'g') \
	X(END, LIST, NULL, "last item", KEY_END, 'G') \
	X(OPEN, PICKER, "Open", "open the selected process's address space", '\n', KEY_ENTER) \
	X(FILTER, PICKER, "Filter", "filter by name, pid or user (typing a digit or an unbound letter does too)", '/', KEY_F(4)) \
	X(UNFILTER, PICKER, NULL, "clear the filter", VASX_KEY_ESC) \
	X(SORT, PICKER, "SortBy", "sort by the next column", KEY_F(6), '>') \
	X(SORT_PREV, PICKER, NULL, "sort by the previous column", '<') \
	X(INVERT, PICKER, NULL, "invert the sort order", 'I') \
	X(PANE, VAS, NULL, "focus the next pane", '\t') \
	X(PANE_PREV, VAS, NULL, "focus the previous pane", KEY_BTAB) \
	X(ZOOM, VAS, "Zoom", "zoom into the selected region or row", '\n', KEY_ENTER) \
	X(ZOOM_OUT, VAS, "Back", "zoom out; at the top, back to the process list", KEY_BACKSPACE, 127, VASX_KEY_ESC) \
	X(ZOOM_IN, VAS, NULL, "zoom in one step (down to single pages)", '+', '=') \
	X(ZOOM_STEP_OUT, VAS, NULL, "zoom out one step", '-') \
	X(JUMP, VAS, "Jump", "jump to an address: hex, 0x optional, or #decimal", ':', KEY_F(2)) \
	X(SEARCH, VAS, "Search", "search by name, regex, perms (rwx) or kind", '/', KEY_F(3)) \
	X(NEXT, VAS, NULL, "next search match", 'n') \
	X(PREV, VAS, NULL, "previous search match", 'N') \
	X(LOCATE, VAS, "Locate", "highlight every region overlapping ADDRESS LENGTH", 'L', KEY_F(4)) \
	X(SCALE, VAS, "Scale", "switch between logarithmic and linear heights", 's', KEY_F(6)) \
	X(BASELINE, VAS, NULL, "take the current snapshot as baseline", 'b') \
	X(UNBASELINE, VAS, NULL, "clear the baseline", 'B') \
	X(MODULE, VAS, NULL, "load the vasx kernel module for the kernel's real layout (asks first; root)", 'M') \
	X(PICK, VAS, NULL, "back to the process list", 'p')

enum vasx_scope {
#define VASX_SCOPE_ENUM(id, title) VASX_SCOPE_##id,
	VASX_SCOPE_LIST(VASX_SCOPE_ENUM)
#undef VASX_SCOPE_ENUM
	VASX_SCOPE_COUNT
};

enum vasx_action {
	VASX_A_NONE,
#define VASX_ACTION_ENUM(id, scope, label, help, ...) VASX_A_##id,
	VASX_ACTIONS(VASX_ACTION_ENUM)
#undef VASX_ACTION_ENUM
	VASX_A_COUNT
};

#define VASX_ACTION_MAXKEYS 4

struct vasx_action_info {
	enum vasx_action id;
	enum vasx_scope scope;
	const char *name;	/* "zoom-out" */
	const char *label;	/* function-key bar, or NULL */
	const char *help;
	int keys[VASX_ACTION_MAXKEYS + 1];	/* 0-terminated */
};

extern const struct vasx_action_info vasx_actions[VASX_A_COUNT];
const char *vasx_scope_title(enum vasx_scope s);

/* The action @key means in @scope, or VASX_A_NONE. */
enum vasx_action vasx_action_lookup(enum vasx_scope scope, int key);
/* "Up", "PgDn", "F5", "C-l", "Space", "q". */
const char *vasx_key_name(int key, char *buf, size_t len);
/* "F5 C-l" into @buf: every key of @a. */
const char *vasx_action_keys(enum vasx_action a, char *buf, size_t len);
/* The function key (1..12) of @a, or 0. */
int vasx_action_fkey(enum vasx_action a);
/* The KEYS section of the manual page, in roff, without its .SH line. */
void vasx_actions_man(FILE *f);

#endif
