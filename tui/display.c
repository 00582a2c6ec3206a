/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The terminal's life cycle: start curses, pick colours or monochrome, and
 * put the terminal back however vasx ends (quit, error, SIGINT, SIGTERM,
 * or a crash).
 */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "draw.h"

volatile sig_atomic_t vasx_display_stop;

struct elem_def {
	short fg, bg;
	int attr, mono;
};

static const struct elem_def elem_defs[VASX_ELEM_COUNT] = {
#define VASX_ELEM_DEF(id, fg, bg, attr, mono) [VASX_E_##id] = { fg, bg, attr, mono },
	VASX_ELEMS(VASX_ELEM_DEF)
#undef VASX_ELEM_DEF
};

static int elem_attrs[VASX_ELEM_COUNT];
static bool display_up;
static SCREEN *display_screen;

int vasx_elem_attr(enum vasx_elem e)
{
	return elem_attrs[e];
}

void vasx_display_scheme(bool color)
{
	for (int i = 0; i < VASX_ELEM_COUNT; i++) {
		const struct elem_def *d = &elem_defs[i];

		if (!color) {
			elem_attrs[i] = d->mono;
			continue;
		}
		init_pair((short)(i + 1), d->fg, d->bg);
		elem_attrs[i] = (int)COLOR_PAIR(i + 1) | d->attr;
	}
}

bool vasx_display_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

static void on_stop(int sig)
{
	vasx_display_stop = sig;
}

/* A crash must not leave the terminal raw: restore it, then die as we would have. */
static void on_crash(int sig)
{
	if (display_up)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
}

int vasx_display_open(struct vasx_ui *ui, FILE *out, FILE *in)
{
	if (out) {
		display_screen = newterm(NULL, out, in);
		if (!display_screen)
			return -1;
		set_term(display_screen);
	} else if (!initscr()) {
		return -1;
	}
	display_up = true;
	install_signals();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	ui->color = ui->opts.color && has_colors();
	if (ui->color) {
		start_color();
		use_default_colors();
	}
	vasx_display_scheme(ui->color);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	ui->curses = true;
	vasx_draw_utf8 = ui->utf8;
	ui->rows = LINES;
	ui->cols = COLS;
	return 0;
}

void vasx_display_close(void)
{
	if (!display_up)
		return;
	display_up = false;
	endwin();
	if (display_screen) {
		delscreen(display_screen);
		display_screen = NULL;
	}
}
