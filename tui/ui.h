/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The explorer's shared state: screens, panes, colours and the handler
 * flags the main loop acts on. Key handlers only change this state; they
 * never call curses, so they run in unit tests without a terminal.
 */
#ifndef VASX_TUI_UI_H
#define VASX_TUI_UI_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "vasx/proc.h"
#include "vasx/vas.h"
#include "actions.h"
#include "colscale.h"
#include "list.h"
#include "tui.h"

struct vasx_diff;

/* What a handler asks of the main loop. */
#define VASX_H_HANDLED	0x01u
#define VASX_H_REDRAW	0x02u
#define VASX_H_RELOAD	0x04u	/* read the process (list) again now */
#define VASX_H_QUIT	0x08u

/*
 * X(id, fg, bg, colour attrs, monochrome attrs): semantic colours. Drawing
 * code names these, never a raw colour; -1 is the terminal's default.
 */
#define VASX_ELEMS(X) \
	X(NORMAL, -1, -1, 0, 0) \
	X(TITLE, COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE) \
	X(STATUS, -1, -1, 0, 0) \
	X(FKEY, -1, -1, A_BOLD, A_BOLD) \
	X(FLABEL, COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE) \
	X(HEADER, COLOR_BLACK, COLOR_GREEN, 0, A_UNDERLINE) \
	X(PANE, COLOR_CYAN, -1, A_BOLD, A_BOLD) \
	X(PANE_FOCUS, COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD) \
	X(SELECTED, COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE) \
	X(SELECTED_DIM, COLOR_BLACK, COLOR_WHITE, 0, A_UNDERLINE) \
	X(DIM, -1, -1, A_DIM, A_DIM) \
	X(LABEL, COLOR_CYAN, -1, 0, 0) \
	X(VALUE, -1, -1, 0, 0) \
	X(ADDR, COLOR_GREEN, -1, 0, 0) \
	X(SIZE, COLOR_YELLOW, -1, 0, 0) \
	X(WARN, COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE) \
	X(NOTICE, COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD) \
	X(MATCH, COLOR_BLACK, COLOR_YELLOW, 0, A_BOLD | A_UNDERLINE) \
	X(PROMPT, -1, -1, A_BOLD, A_BOLD) \
	X(R_GAP, -1, -1, A_DIM, A_DIM) \
	X(R_HOLE, COLOR_WHITE, -1, A_DIM, A_DIM) \
	X(R_TEXT, COLOR_RED, -1, 0, 0) \
	X(R_RODATA, COLOR_MAGENTA, -1, 0, 0) \
	X(R_DATA, COLOR_BLUE, -1, A_BOLD, 0) \
	X(R_HEAP, COLOR_GREEN, -1, A_BOLD, 0) \
	X(R_STACK, COLOR_YELLOW, -1, A_BOLD, 0) \
	X(R_ANON, COLOR_GREEN, -1, 0, 0) \
	X(R_FILE, COLOR_BLUE, -1, 0, 0) \
	X(R_SHARED, COLOR_CYAN, -1, 0, 0) \
	X(R_SPECIAL, COLOR_MAGENTA, -1, A_BOLD, 0) \
	X(R_GUARD, COLOR_WHITE, -1, A_DIM, 0) \
	X(R_KERNEL, COLOR_WHITE, -1, 0, 0) \
	X(CH_NEW, COLOR_GREEN, -1, A_BOLD, A_BOLD) \
	X(CH_GONE, COLOR_RED, -1, A_DIM, A_DIM) \
	X(CH_GROWN, COLOR_YELLOW, -1, A_BOLD, A_BOLD) \
	X(CH_EXEC, COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD) \
	X(PG_PRESENT, COLOR_GREEN, -1, A_BOLD, A_BOLD) \
	X(PG_SWAPPED, COLOR_YELLOW, -1, 0, 0) \
	X(PG_ABSENT, -1, -1, A_DIM, A_DIM)

enum vasx_elem {
#define VASX_ELEM_ENUM(id, fg, bg, attr, mono) VASX_E_##id,
	VASX_ELEMS(VASX_ELEM_ENUM)
#undef VASX_ELEM_ENUM
	VASX_ELEM_COUNT
};

enum vasx_screen {
	VASX_SCR_PICKER,
	VASX_SCR_VAS,
	VASX_SCR_HELP,
};

enum vasx_pane {
	VASX_PANE_COLUMN,
	VASX_PANE_DETAILS,
	VASX_PANE_STATS,
	VASX_PANE_LOG,
	VASX_PANE_COUNT
};

/* One line of a text pane (details, statistics, help, change log). */
struct vasx_line {
	char label[24];
	char text[200];
	uint8_t elem;		/* of the text */
	uint8_t heading;	/* a section heading */
};

struct vasx_lines {
	struct vasx_line *v;
	size_t n, cap;
};

void vasx_lines_clear(struct vasx_lines *ls);
void vasx_lines_release(struct vasx_lines *ls);
/* Append a line; printf-style text. Returns the line (never NULL: drops when out of memory). */
struct vasx_line *vasx_lines_add(struct vasx_lines *ls, enum vasx_elem elem, const char *label,
				 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void vasx_lines_heading(struct vasx_lines *ls, const char *title);
/* "4K", "1.5M", "128T": six columns at most. */
char *vasx_short_size(uint64_t bytes, char *buf, size_t len);
/* Escape @raw and add it over as many lines of @width as it needs. */
void vasx_lines_wrap(struct vasx_lines *ls, const char *label, const char *raw, size_t width);

/* The line editor at the bottom: jump, search, locate, filter, delay. */
enum vasx_prompt_kind {
	VASX_PR_NONE,
	VASX_PR_JUMP,
	VASX_PR_SEARCH,
	VASX_PR_LOCATE,
	VASX_PR_FILTER,
	VASX_PR_DELAY,
	VASX_PR_KMOD_LOAD,	/* yes/no questions: one key answers */
	VASX_PR_KMOD_MOUNT,
};

struct vasx_prompt {
	enum vasx_prompt_kind kind;
	char buf[256];
	size_t len;
};

/* Feed one key to the prompt: 1 when it ended (Enter), -1 when cancelled, 0 otherwise. */
int vasx_prompt_key(struct vasx_prompt *p, int key);
const char *vasx_prompt_title(enum vasx_prompt_kind k);

/* ---- the process picker ---- */

enum vasx_pcol { VASX_PC_PID, VASX_PC_USER, VASX_PC_RSS, VASX_PC_VSZ, VASX_PC_THR, VASX_PC_MAPS,
		 VASX_PC_CMD, VASX_PC_COUNT };

struct vasx_picker {
	struct vasx_proclist pl;
	int32_t *nmaps;		/* per pl.v: mappings, -1 not counted yet, -2 unreadable */
	bool *fresh;		/* per pl.v: nmaps counted in this refresh, not kept */
	unsigned serial;	/* refreshes, for the turns of counting again */
	size_t *shown;		/* indices into pl.v after the filter, sorted */
	size_t nshown;
	struct vasx_list list;
	enum vasx_pcol sort;
	bool invert;
	char filter[256];
	int err;
	int sel_pid;		/* kept across refreshes */
	unsigned long long sel_start;	/* with sel_pid: the same process, not one in its pid */
};

/* ---- the address-space view ---- */

#define VASX_ZOOM_MAX 16

struct vasx_zoom {
	uint64_t start, last;	/* the range zoomed into */
	uint64_t gran;		/* bytes per row */
	struct vasx_list list;
};

/* A mark on a region from the last refresh (or against the baseline). */
#define VASX_M_NEW	0x01u
#define VASX_M_GROWN	0x02u
#define VASX_M_SHRUNK	0x04u
#define VASX_M_PERMS	0x08u
#define VASX_M_EXEC	0x10u
#define VASX_M_RSS_UP	0x20u
#define VASX_M_RSS_DOWN	0x40u

/*
 * What a region was (old_*) and is (new_*): the old figures are the oldest
 * any of its changes recorded, the new ones the latest, and the marks say
 * how the two differ.
 */
struct vasx_mark {
	uint64_t start;
	unsigned marks;
	unsigned old_perms, new_perms;	/* with VASX_M_PERMS */
	uint64_t old_size, new_size;	/* with VASX_M_GROWN or SHRUNK */
	int64_t d_rss_kb, d_pss_kb, d_swap_kb;
	size_t order;			/* in the diff: of one start's, the older first */
};

struct vasx_ghost {
	uint64_t start, last;
	char name[96];
	unsigned ticks;		/* left to show */
};

struct vasx_logent {
	time_t when;
	unsigned kind;		/* enum vasx_change_kind */
	uint64_t start, last;
	char text[160];		/* in words */
	char brief[160];	/* with the column's marks, for narrow panes */
};

enum vasx_search_kind { VASX_SK_NAME, VASX_SK_REGEX, VASX_SK_PERMS, VASX_SK_KIND };

struct vasx_vas {
	struct vasx_snapshot *snap;
	struct vasx_snapshot *base;	/* baseline, or NULL */
	struct vasx_snapshot *prev;	/* previous tick, for the change marks */
	int pid;
	unsigned long long starttime;
	bool exited;
	int load_err;
	char notice[160];	/* shown in the title, e.g. exited */
	time_t snap_time;
	unsigned generation;	/* bumped per snapshot */

	struct vasx_colscale cs;
	struct vasx_list list;	/* over cs items */
	bool linear;

	struct vasx_zoom zoom[VASX_ZOOM_MAX];
	int zdepth;		/* 0: the whole column */

	enum vasx_pane focus;
	enum vasx_pane side;	/* the pane beside the column on narrow screens */
	struct vasx_list dlist, slist, llist;
	struct vasx_lines details, stats;
	uint64_t details_key;	/* what details were built for */

	/* jump and locate */
	bool jumped;
	uint64_t jump_addr;
	bool locating;
	uint64_t loc_start, loc_last;

	/* search */
	enum vasx_search_kind skind;
	char spat[128];
	bool have_regex;
	regex_t sre;
	unsigned sperms, sperms_mask;
	int skindval;

	/* residency of the rows on screen when zoomed */
	struct vasx_page *pages;
	size_t npages, cap_pages;
	uint64_t pg_addr;
	unsigned pg_gen;
	int pg_err;
	bool pg_valid;

	/* changes */
	struct vasx_mark *marks;
	size_t nmarks;
	struct vasx_ghost *ghosts;
	size_t nghosts, capghosts;
	struct vasx_logent *log;
	size_t nlog, caplog;
};

struct vasx_ui {
	struct vasx_source *src;
	struct vasx_tui_opts opts;
	bool utf8;
	bool color;
	bool curses;		/* a terminal is up (false in unit tests) */
	int rows, cols;
	enum vasx_screen screen, back;
	bool from_picker;	/* the VAS view was opened from the picker */
	struct vasx_picker picker;
	struct vasx_vas vas;
	struct vasx_lines help;
	struct vasx_list hlist;
	struct vasx_prompt prompt;
	char msg[200];
	enum vasx_elem msg_elem;
	bool paused;
	bool kmod_loaded;	/* the explorer loaded the vasx module: unloaded on exit */
	double delay;
	double next_tick;	/* monotonic seconds */
};

/* Geometry of the VAS screen for the current terminal size; w == 0: hidden. */
struct vasx_rect {
	int x, y, w, h;
};

struct vasx_geom {
	struct vasx_rect pane[VASX_PANE_COUNT];	/* each includes its title row */
};

void vasx_geom_compute(const struct vasx_ui *ui, struct vasx_geom *g);
#define VASX_MIN_COLS 60
#define VASX_MIN_ROWS 16

void vasx_ui_init(struct vasx_ui *ui, struct vasx_source *src, const struct vasx_tui_opts *o);
void vasx_ui_release(struct vasx_ui *ui);
void vasx_ui_message(struct vasx_ui *ui, enum vasx_elem e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Resize the lists to the terminal (no curses: rows and cols are given). */
void vasx_ui_resize(struct vasx_ui *ui, int rows, int cols);
/* One key (or action) into the current screen; returns VASX_H_* flags. */
unsigned vasx_ui_key(struct vasx_ui *ui, int key);
unsigned vasx_ui_action(struct vasx_ui *ui, enum vasx_action a, int key);
enum vasx_scope vasx_ui_scope(const struct vasx_ui *ui);

/* picker */
int vasx_picker_load(struct vasx_ui *ui);
void vasx_picker_apply(struct vasx_ui *ui);
unsigned vasx_picker_action(struct vasx_ui *ui, enum vasx_action a, int key);
void vasx_picker_release(struct vasx_picker *p);
void vasx_picker_draw(struct vasx_ui *ui);
/* Count the mappings of the rows on screen for this refresh (drawing does). */
void vasx_picker_count_shown(struct vasx_ui *ui);
const char *vasx_pcol_title(enum vasx_pcol c);

/* VAS view */
int vasx_vas_open(struct vasx_ui *ui, int pid);
/* Show @snap (ownership), e.g. one built by hand, from the top. */
void vasx_vas_show(struct vasx_ui *ui, struct vasx_snapshot *snap);
/* Take @snap (ownership) as the view's snapshot, keeping selection and zoom. */
void vasx_vas_set_snapshot(struct vasx_ui *ui, struct vasx_snapshot *snap);
int vasx_vas_reload(struct vasx_ui *ui);
void vasx_vas_close(struct vasx_ui *ui);
void vasx_vas_layout(struct vasx_ui *ui);
unsigned vasx_vas_action(struct vasx_ui *ui, enum vasx_action a, int key);
unsigned vasx_vas_prompt_done(struct vasx_ui *ui, enum vasx_prompt_kind k, const char *text);
void vasx_vas_draw(struct vasx_ui *ui);
/* "[heap]", "[stack:TID]": what the column calls a mapping without a path. */
void vasx_vas_kind_label(const struct vasx_region *r, char *buf, size_t len);
/* The region selected (deepest when zoomed), or NULL. */
const struct vasx_region *vasx_vas_selected(const struct vasx_ui *ui);
/* Select the region or row holding @addr. 0 or -VASX_E_BADADDR when not shown. */
int vasx_vas_goto(struct vasx_ui *ui, uint64_t addr);
bool vasx_vas_match(const struct vasx_vas *v, const struct vasx_region *r);
/* Index into regions[] of column item @item. */
size_t vasx_vas_item_region(const struct vasx_vas *v, uint64_t item);
void vasx_vas_set_focus(struct vasx_ui *ui, enum vasx_pane p);
/* Ask for the residency of the zoomed rows on screen (reads pagemap once per window). */
void vasx_vas_need_pages(struct vasx_ui *ui);
/* What a mouse click on (y, x) means in the VAS screen: select; 1 if it selected. */
int vasx_vas_click(struct vasx_ui *ui, int y, int x);

/* details, statistics, changes */
void vasx_details_build(struct vasx_ui *ui, struct vasx_lines *ls);
void vasx_stats_build(struct vasx_ui *ui, struct vasx_lines *ls);
unsigned vasx_vas_marks(const struct vasx_vas *v, uint64_t start);
/* The mark of the region starting at @start, or NULL. */
const struct vasx_mark *vasx_vas_mark(const struct vasx_vas *v, uint64_t start);
const struct vasx_ghost *vasx_vas_ghost(const struct vasx_vas *v, uint64_t start, uint64_t last);
void vasx_changes_apply(struct vasx_ui *ui, const struct vasx_snapshot *old,
			const struct vasx_snapshot *cur, bool log);
/* The marks of @d (NULL: none), one per start, replacing those of @v. */
void vasx_changes_mark(struct vasx_vas *v, const struct vasx_diff *d);
/* Fold @newer into @older, two marks of one start. */
void vasx_mark_merge(struct vasx_mark *older, const struct vasx_mark *newer);
void vasx_changes_release(struct vasx_vas *v);
void vasx_changes_tick(struct vasx_vas *v);

/* Words for one page's residency (pagemap, and kpageflags as root). */
void vasx_page_words(const struct vasx_page *p, char *buf, size_t len);
/* Pages, present, swapped, file of [lo, hi] from the pages read for the screen. */
bool vasx_vas_residency(const struct vasx_vas *v, uint64_t lo, uint64_t hi, size_t counts[4]);

/* ---- loading the vasx module from the explorer (kmod_ui.c) ---- */

enum vasx_kmod_next {
	VASX_KM_SAY,		/* only show the message */
	VASX_KM_ASK_LOAD,	/* ask before loading the module */
	VASX_KM_LOAD,		/* it is loaded already: use it without asking */
	VASX_KM_ASK_MOUNT,	/* ask before mounting debugfs */
	VASX_KM_RELOAD,		/* the module is usable: read the snapshot again */
};

struct vasx_kmod_step {
	enum vasx_kmod_next next;
	enum vasx_elem elem;	/* of the message */
	char msg[200];
};

/*
 * What pressing M leads to, from what is known before touching the kernel:
 * a live source?, where the kernel half came from, is the module loaded,
 * are we root.
 */
void vasx_kmodui_begin(bool live, enum vasx_ksource src, bool loaded, bool root,
		       struct vasx_kmod_step *st);
/*
 * What follows a vasx_kmod_load() (or, with @mounting, a vasx_debugfs_mount())
 * that returned @err. @asked_mount: the debugfs question was asked already;
 * @by_us: the explorer has loaded the module.
 */
void vasx_kmodui_after(int err, bool mounting, bool asked_mount, bool by_us,
		       struct vasx_kmod_step *st);
/* The M key in the address-space view. */
unsigned vasx_kmodui_key(struct vasx_ui *ui);
bool vasx_kmodui_question(enum vasx_prompt_kind k);
/* One key answering the question @k (y yes; n, Enter, Esc no; others ignored). */
unsigned vasx_kmodui_answer(struct vasx_ui *ui, enum vasx_prompt_kind k, int key);
/* The kernel half's one-line hint how to get the module's view. */
const char *vasx_kmodui_hint(const struct vasx_ui *ui);
/* Unload the module if the explorer loaded it: 0 or the error. */
int vasx_kmodui_exit(struct vasx_ui *ui);

/* help */
void vasx_help_build(struct vasx_lines *ls, bool utf8);

/* the glyph and colour of a region kind */
enum vasx_elem vasx_kind_elem(unsigned kind);
const char *vasx_kind_glyph(unsigned kind, bool utf8);

#endif
