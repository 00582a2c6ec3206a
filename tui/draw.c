/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Painting: text fitted to a width, escaped names, panes of lines, the
 * function-key bar, the status line and the "too small" screen. Only this
 * file and the views' draw functions call curses.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include "vasx/fmt.h"
#include "draw.h"

bool vasx_draw_utf8 = true;

/* Bytes of the first @len of @s that fit in @w columns; *used gets the columns. */
static size_t fit_bytes(const char *s, size_t len, int w, int *used)
{
	mbstate_t st;
	size_t i = 0;
	int cols = 0;

	memset(&st, 0, sizeof(st));
	while (i < len) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, len - i, &st);
		int cw;

		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof(st));
			k = 1;
			cw = 1;
		} else {
			cw = wcwidth(wc);
			if (cw < 0)
				cw = 1;
		}
		if (cols + cw > w)
			break;
		cols += cw;
		i += k ? k : 1;
	}
	*used = cols;
	return i;
}

/* Room for the escaped form of a whole path (4 KiB, 4 bytes a byte). */
#define ESC_BUF (4 * 4096 + 16)

/*
 * On a terminal that is not UTF-8, every byte above ASCII as \xNN: such a
 * terminal may take a raw 0x9b for CSI, and curses would print "~[" for it
 * anyway. @buf holds ESC_BUF bytes; @s itself when there is nothing to do.
 */
static const char *ascii_only(const char *s, char *buf)
{
	size_t o = 0;

	if (vasx_draw_utf8)
		return s;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (o + 5 > ESC_BUF)
			break;
		if (*c < 0x80)
			buf[o++] = (char)*c;
		else
			o += (size_t)snprintf(buf + o, 5, "\\x%02x", *c);
	}
	buf[o] = '\0';
	return buf;
}

int vasx_str_width(const char *s)
{
	static char buf[ESC_BUF];
	int used;

	s = ascii_only(s, buf);
	fit_bytes(s, strlen(s), 1 << 20, &used);
	return used;
}

int vasx_draw_str(int y, int x, int w, enum vasx_elem e, const char *s)
{
	static char buf[ESC_BUF];
	int used;
	size_t n;

	if (w <= 0 || !s)
		return 0;
	s = ascii_only(s, buf);
	n = fit_bytes(s, strlen(s), w, &used);
	attrset(vasx_elem_attr(e));
	mvaddnstr(y, x, s, (int)n);
	return used;
}

/* Bytes of the escaped text at @p that make one whole character or escape. */
static size_t token_len(const char *p)
{
	size_t n = 1;

	if (p[0] == '\\')
		return p[1] == 'x' ? 4 : p[1] ? 2 : 1;
	while ((p[n] & 0xc0) == 0x80)
		n++;
	return n;
}

int vasx_draw_cut(int y, int x, int w, enum vasx_elem e, const char *s)
{
	static char buf[ESC_BUF];
	size_t n, end = 0;
	int used = 0;

	if (w < 2 || !s || vasx_str_width(s) <= w)
		return vasx_draw_str(y, x, w, e, s);
	/*
	 * A figure cut short must not pass for a whole one, and an escape is
	 * kept whole or left out: "\x1b]2;T\x" would read as other text.
	 */
	s = ascii_only(s, buf);
	for (; s[end]; end += n) {
		int tw;

		n = token_len(s + end);
		if (fit_bytes(s + end, n, w - 1 - used, &tw) < n)
			break;
		used += tw;
	}
	attrset(vasx_elem_attr(e));
	mvaddnstr(y, x, s, (int)end);
	return used + vasx_draw_str(y, x + used, 1, e, vasx_draw_utf8 ? "\u2026" : ">");
}

/*
 * The escaped form of @raw for this terminal: ASCII only on one that is not
 * UTF-8, before it is cut, so the cut sees what will be shown.
 */
static const char *screen_escape(const char *raw, char *buf)
{
	static char wide[ESC_BUF];

	if (vasx_draw_utf8)
		return vasx_fmt_escape(raw ? raw : "", buf, ESC_BUF);
	vasx_fmt_escape(raw ? raw : "", wide, ESC_BUF);
	return ascii_only(wide, buf);
}

int vasx_draw_name(int y, int x, int w, enum vasx_elem e, const char *raw)
{
	static char buf[ESC_BUF];
	const char *p, *more = vasx_draw_utf8 ? "\u2026" : "<";
	int width;
	size_t n;

	if (w <= 0)
		return 0;
	screen_escape(raw, buf);
	if (vasx_str_width(buf) <= w || w < 8)
		return vasx_draw_str(y, x, w, e, buf);
	/* keep the end of a long path: the file name matters most */
	p = strrchr(buf, '/');
	if (p && p != buf && vasx_str_width(p) + 1 <= w) {
		vasx_draw_str(y, x, 1, e, more);
		return 1 + vasx_draw_str(y, x + 1, w - 1, e, p);
	}
	/* cut whole escapes only: "…b[2J" would read as other text */
	for (p = buf, width = vasx_str_width(buf); *p && width > w - 1; p += n) {
		int tw;

		n = token_len(p);
		fit_bytes(p, n, 8, &tw);
		width -= tw;
	}
	vasx_draw_str(y, x, 1, e, more);
	return 1 + vasx_draw_str(y, x + 1, w - 1, e, p);
}

int vasx_draw_esc(int y, int x, int w, enum vasx_elem e, const char *raw)
{
	static char buf[ESC_BUF];

	return vasx_draw_str(y, x, w, e, screen_escape(raw, buf));
}

void vasx_draw_fill(int y, int x, int w, enum vasx_elem e, const char *glyph)
{
	attrset(vasx_elem_attr(e));
	move(y, x);
	for (int i = 0; i < w; i++)
		addstr(glyph);
}

void vasx_draw_pane_title(int y, int x, int w, const char *title, bool focus)
{
	enum vasx_elem e = focus ? VASX_E_PANE_FOCUS : VASX_E_PANE;

	vasx_draw_fill(y, x, w, e, " ");
	vasx_draw_cut(y, x + 1, w - 1, e, title);
}

/* Labels line up within a section (between headings), not across the pane. */
static int section_label_width(const struct vasx_lines *ls, size_t i, int w)
{
	size_t a = i, b = i;
	int lw = 0;

	while (a > 0 && !ls->v[a].heading)
		a--;
	while (b < ls->n && (b == a || !ls->v[b].heading))
		b++;
	for (size_t k = a; k < b; k++) {
		int n = (int)strlen(ls->v[k].label);

		if (!ls->v[k].heading && n > lw)
			lw = n;
	}
	return lw > w / 2 ? w / 2 : lw;
}

void vasx_draw_lines(int y, int x, int w, int h, const struct vasx_lines *ls,
		     const struct vasx_list *l, bool focus, bool show_sel)
{
	for (int r = 0; r < h; r++) {
		uint64_t i = l->top + (uint64_t)r;
		const struct vasx_line *ln;
		bool sel;
		int lw;

		vasx_draw_fill(y + r, x, w, VASX_E_NORMAL, " ");
		if (i >= ls->n)
			continue;
		ln = &ls->v[i];
		sel = show_sel && i == l->sel;
		if (sel)
			vasx_draw_fill(y + r, x, w, focus ? VASX_E_SELECTED : VASX_E_SELECTED_DIM, " ");
		if (ln->heading) {
			vasx_draw_cut(y + r, x, w, sel ? VASX_E_SELECTED : VASX_E_PANE, ln->text);
			continue;
		}
		lw = section_label_width(ls, (size_t)i, w);
		if (ln->label[0])
			vasx_draw_str(y + r, x, lw, sel ? VASX_E_SELECTED : VASX_E_LABEL, ln->label);
		vasx_draw_cut(y + r, x + (lw ? lw + 1 : 0), w - (lw ? lw + 1 : 0),
			      sel ? VASX_E_SELECTED : (enum vasx_elem)ln->elem, ln->text);
	}
}

/* The bar's entries in function-key order; @visit is called for each. */
static int fkeys_walk(struct vasx_ui *ui, int click_x, bool paint)
{
	enum vasx_scope scope = vasx_ui_scope(ui);
	int x = 0;

	for (int f = 1; f <= 12 && x < ui->cols; f++) {
		for (int a = 1; a < VASX_A_COUNT; a++) {
			const struct vasx_action_info *ai = &vasx_actions[a];
			char num[16];
			int w;

			if (!ai->label || vasx_action_fkey(ai->id) != f)
				continue;
			if (ai->scope != scope && ai->scope != VASX_SCOPE_GLOBAL &&
			    ai->scope != VASX_SCOPE_LIST)
				continue;
			snprintf(num, sizeof(num), "F%d", f);
			w = (int)strlen(num) + (int)strlen(ai->label) + 1;
			if (paint) {
				vasx_draw_str(ui->rows - 1, x, ui->cols - x, VASX_E_FKEY, num);
				vasx_draw_str(ui->rows - 1, x + (int)strlen(num), ui->cols - x - (int)strlen(num),
					      VASX_E_FLABEL, ai->label);
			} else if (click_x >= x && click_x < x + w) {
				return ai->id;
			}
			x += w;
			break;
		}
	}
	return VASX_A_NONE;
}

void vasx_draw_fkeys(struct vasx_ui *ui)
{
	vasx_draw_fill(ui->rows - 1, 0, ui->cols, VASX_E_NORMAL, " ");
	fkeys_walk(ui, 0, true);
}

enum vasx_action vasx_fkeys_at(struct vasx_ui *ui, int x)
{
	return (enum vasx_action)fkeys_walk(ui, x, false);
}

void vasx_draw_status(struct vasx_ui *ui)
{
	int y = ui->rows - 2;

	vasx_draw_fill(y, 0, ui->cols, VASX_E_STATUS, " ");
	if (ui->prompt.kind != VASX_PR_NONE) {
		const char *t = vasx_prompt_title(ui->prompt.kind);
		int x = vasx_draw_str(y, 0, ui->cols, VASX_E_PROMPT, t);

		x += vasx_draw_str(y, x, ui->cols - x, VASX_E_PROMPT, " ");
		x += vasx_draw_name(y, x, ui->cols - x - 1, VASX_E_NORMAL, ui->prompt.buf);
		vasx_draw_str(y, x, 1, VASX_E_SELECTED, " ");
		return;
	}
	vasx_draw_cut(y, 0, ui->cols, ui->msg_elem, ui->msg);
}

void vasx_draw_too_small(struct vasx_ui *ui)
{
	char line[160];

	erase();
	snprintf(line, sizeof(line), "Terminal too small: %dx%d.", ui->cols, ui->rows);
	vasx_draw_str(0, 0, ui->cols, VASX_E_WARN, line);
	snprintf(line, sizeof(line), "vasx needs at least %dx%d.", VASX_MIN_COLS, VASX_MIN_ROWS);
	vasx_draw_str(1, 0, ui->cols, VASX_E_NORMAL, line);
	vasx_draw_str(2, 0, ui->cols, VASX_E_NORMAL, "Enlarge the window, or press q to quit.");
}

void vasx_draw_help(struct vasx_ui *ui)
{
	char title[128];

	snprintf(title, sizeof(title), "vasx %s help: keys, marks and colours (q or Esc closes)",
		 VASX_VERSION);
	vasx_draw_fill(0, 0, ui->cols, VASX_E_TITLE, " ");
	vasx_draw_str(0, 1, ui->cols - 1, VASX_E_TITLE, title);
	ui->hlist.height = (unsigned)(ui->rows - 3);
	vasx_list_fix(&ui->hlist);
	vasx_draw_lines(1, 1, ui->cols - 2, ui->rows - 3, &ui->help, &ui->hlist, true, false);
}
