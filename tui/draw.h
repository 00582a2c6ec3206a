/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The terminal (display.c) and the one place that paints (draw.c). Views
 * decide what a row says; these decide how it looks.
 */
#ifndef VASX_TUI_DRAW_H
#define VASX_TUI_DRAW_H

#include <signal.h>
#include "ui.h"

extern volatile sig_atomic_t vasx_display_stop;	/* the SIGINT, SIGTERM or SIGHUP that arrived */
extern bool vasx_draw_utf8;	/* glyphs and ellipses may be UTF-8 */

/* Start curses on the terminal (or on @out/@in when not NULL: tests, benchmark). */
int vasx_display_open(struct vasx_ui *ui, FILE *out, FILE *in);
void vasx_display_close(void);
/* Has the terminal gone (hung up, input closed)? Keys would never come again. */
bool vasx_display_gone(void);
/* Add the signals that stop the explorer (their handler sets vasx_display_stop) to @set. */
void vasx_display_stop_signals(sigset_t *set);
/* Colour pairs and attributes of every element (after colours are known). */
void vasx_display_scheme(bool color);
int vasx_elem_attr(enum vasx_elem e);
/* Does the locale speak UTF-8? */
bool vasx_display_utf8(void);

/* One whole frame of the current screen. */
void vasx_ui_draw(struct vasx_ui *ui);

/* Draw @s (UTF-8, already safe) from (y, x) in at most @w columns; returns columns used. */
int vasx_draw_str(int y, int x, int w, enum vasx_elem e, const char *s);
/* As vasx_draw_str, but text that does not fit ends in an ellipsis. */
int vasx_draw_cut(int y, int x, int w, enum vasx_elem e, const char *s);
/* Escape @raw (a name from the process) and draw it; long names keep their end. */
int vasx_draw_name(int y, int x, int w, enum vasx_elem e, const char *raw);
/* Escape @raw and draw its beginning (command lines, text). */
int vasx_draw_esc(int y, int x, int w, enum vasx_elem e, const char *raw);
void vasx_draw_fill(int y, int x, int w, enum vasx_elem e, const char *glyph);
/* A pane's title line; the focused pane's is highlighted. */
void vasx_draw_pane_title(int y, int x, int w, const char *title, bool focus);
/* A text pane of lines with its list (scroll and selection). */
void vasx_draw_lines(int y, int x, int w, int h, const struct vasx_lines *ls,
		     const struct vasx_list *l, bool focus, bool show_sel);
/* The function-key bar of the current screen on the last row. */
void vasx_draw_fkeys(struct vasx_ui *ui);
/* The action a click at column @x of the bar means. */
enum vasx_action vasx_fkeys_at(struct vasx_ui *ui, int x);
/* The status line: a prompt being edited, else the message. */
void vasx_draw_status(struct vasx_ui *ui);
void vasx_draw_too_small(struct vasx_ui *ui);
void vasx_draw_help(struct vasx_ui *ui);
/* Display width of a UTF-8 string. */
int vasx_str_width(const char *s);

#endif
