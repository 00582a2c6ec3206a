/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The explorer's one loop: read a key or wait for the next tick, hand the
 * key to the current screen, and act on the flags it returns.
 */
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <unistd.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vasx/status.h"
#include "draw.h"

void vasx_ui_init(struct vasx_ui *ui, struct vasx_source *src, const struct vasx_tui_opts *o)
{
	memset(ui, 0, sizeof(*ui));
	ui->src = src;
	ui->opts = *o;
	ui->delay = o->delay > 0 ? o->delay : 1.0;
	ui->rows = 24;
	ui->cols = 80;
	ui->msg_elem = VASX_E_STATUS;
	ui->picker.sort = VASX_PC_RSS;
	ui->vas.side = VASX_PANE_DETAILS;
	ui->utf8 = !o->ascii;
}

void vasx_ui_release(struct vasx_ui *ui)
{
	vasx_vas_close(ui);
	vasx_picker_release(&ui->picker);
	vasx_lines_release(&ui->help);
}

void vasx_ui_message(struct vasx_ui *ui, enum vasx_elem e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_elem = e;
}

void vasx_ui_resize(struct vasx_ui *ui, int rows, int cols)
{
	ui->rows = rows;
	ui->cols = cols;
	if (ui->vas.snap)
		vasx_vas_layout(ui);
	ui->picker.list.height = rows > 4 ? (unsigned)rows - 4 : 1;
	vasx_list_fix(&ui->picker.list);
}

static bool too_small(const struct vasx_ui *ui)
{
	return ui->rows < VASX_MIN_ROWS || ui->cols < VASX_MIN_COLS;
}

static unsigned prompt_key(struct vasx_ui *ui, int key)
{
	struct vasx_prompt *p = &ui->prompt;
	enum vasx_prompt_kind k = p->kind;
	int r;
	double d;
	char *end;

	if (vasx_kmodui_question(k))
		return vasx_kmodui_answer(ui, k, key);
	r = vasx_prompt_key(p, key);
	if (k == VASX_PR_FILTER && r >= 0) {
		snprintf(ui->picker.filter, sizeof(ui->picker.filter), "%s", p->buf);
		vasx_picker_apply(ui);
	}
	if (r == 0)
		return VASX_H_REDRAW;
	p->kind = VASX_PR_NONE;
	if (r < 0) {
		if (k == VASX_PR_FILTER) {
			ui->picker.filter[0] = '\0';
			vasx_picker_apply(ui);
		}
		return VASX_H_REDRAW;
	}
	switch (k) {
	case VASX_PR_DELAY:
		d = strtod(p->buf, &end);
		if (end == p->buf || *end || d < 0.1 || d > 3600) {
			vasx_ui_message(ui, VASX_E_WARN, "the period is seconds between 0.1 and 3600");
			return VASX_H_REDRAW;
		}
		ui->delay = d;
		vasx_ui_message(ui, VASX_E_NORMAL, "refreshing every %g s", d);
		return VASX_H_REDRAW;
	case VASX_PR_FILTER:
		return VASX_H_REDRAW;
	default:
		return vasx_vas_prompt_done(ui, k, p->buf);
	}
}

static unsigned help_action(struct vasx_ui *ui, enum vasx_action a, int key)
{
	/* the keys that go back elsewhere (Esc, Backspace) close it too */
	if (a == VASX_A_NONE && vasx_action_lookup(VASX_SCOPE_VAS, key) == VASX_A_ZOOM_OUT)
		a = VASX_A_ZOOM_OUT;
	switch (a) {
	case VASX_A_UP:
		vasx_list_scroll(&ui->hlist, -1);
		break;
	case VASX_A_DOWN:
		vasx_list_scroll(&ui->hlist, 1);
		break;
	case VASX_A_PGUP:
		vasx_list_scroll(&ui->hlist, -(int64_t)ui->hlist.height);
		break;
	case VASX_A_PGDN:
		vasx_list_scroll(&ui->hlist, ui->hlist.height);
		break;
	case VASX_A_HOME:
		vasx_list_home(&ui->hlist);
		break;
	case VASX_A_END:
		vasx_list_end(&ui->hlist);
		break;
	case VASX_A_QUIT:
	case VASX_A_HELP:
	case VASX_A_ZOOM_OUT:
		ui->screen = ui->back;
		break;
	default:
		return 0;
	}
	return VASX_H_REDRAW;
}

/* Each screen: its key scope, how it draws, acts and reads again. */
static const struct vasx_screen_ops {
	enum vasx_scope scope;
	void (*draw)(struct vasx_ui *ui);
	unsigned (*action)(struct vasx_ui *ui, enum vasx_action a, int key);
	int (*reload)(struct vasx_ui *ui);
} screens[] = {
	[VASX_SCR_PICKER] = { VASX_SCOPE_PICKER, vasx_picker_draw, vasx_picker_action, vasx_picker_load },
	[VASX_SCR_VAS] = { VASX_SCOPE_VAS, vasx_vas_draw, vasx_vas_action, vasx_vas_reload },
	[VASX_SCR_HELP] = { VASX_SCOPE_GLOBAL, vasx_draw_help, help_action, NULL },
};

enum vasx_scope vasx_ui_scope(const struct vasx_ui *ui)
{
	return screens[ui->screen].scope;
}

static unsigned global_action(struct vasx_ui *ui, enum vasx_action a)
{
	switch (a) {
	case VASX_A_QUIT:
		return VASX_H_QUIT;
	case VASX_A_HELP:
		vasx_help_build(&ui->help, ui->utf8);
		ui->hlist = (struct vasx_list){ .n = ui->help.n, .height = (unsigned)(ui->rows - 3) };
		ui->back = ui->screen;
		ui->screen = VASX_SCR_HELP;
		return VASX_H_REDRAW;
	case VASX_A_REFRESH:
		return VASX_H_REDRAW | VASX_H_RELOAD;
	case VASX_A_PAUSE:
		ui->paused = !ui->paused;
		vasx_ui_message(ui, VASX_E_NORMAL, ui->paused ? "paused: nothing is read until Space"
							      : "live again");
		return VASX_H_REDRAW | (ui->paused ? 0 : VASX_H_RELOAD);
	case VASX_A_DELAY:
		ui->prompt.kind = VASX_PR_DELAY;
		ui->prompt.len = (size_t)snprintf(ui->prompt.buf, sizeof(ui->prompt.buf), "%g",
						  ui->delay);
		return VASX_H_REDRAW;
	default:
		return 0;
	}
}

unsigned vasx_ui_action(struct vasx_ui *ui, enum vasx_action a, int key)
{
	unsigned f = 0;

	f = screens[ui->screen].action(ui, a, key);
	return f || ui->screen == VASX_SCR_HELP ? f : global_action(ui, a);
}

unsigned vasx_ui_key(struct vasx_ui *ui, int key)
{
	/*
	 * Too small, the screen says only that q quits: keys typed blind into
	 * a prompt that cannot be seen would act unseen, so they wait.
	 */
	if (too_small(ui) && ui->curses)
		return key == 'q' || key == KEY_F(10) ? VASX_H_QUIT : 0;
	if (ui->prompt.kind != VASX_PR_NONE)
		return prompt_key(ui, key);
	return vasx_ui_action(ui, vasx_action_lookup(vasx_ui_scope(ui), key), key);
}

/* ---- the loop ---- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void vasx_ui_draw(struct vasx_ui *ui)
{
	/*
	 * One column: curses updates the bottom-right cell by way of the cell
	 * left of it, which does not exist there (it reads before its line).
	 * Nothing fits in one column anyway: the terminal is left as it is
	 * until it grows, when the resize repaints every cell.
	 */
	if (ui->cols < 2)
		return;
	erase();
	if (too_small(ui)) {
		vasx_draw_too_small(ui);
	} else {
		screens[ui->screen].draw(ui);
		vasx_draw_status(ui);
		vasx_draw_fkeys(ui);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

static void reload(struct vasx_ui *ui)
{
	enum vasx_screen s = ui->screen == VASX_SCR_HELP ? ui->back : ui->screen;

	if (screens[s].reload)
		screens[s].reload(ui);
	ui->next_tick = now_s() + ui->delay;
}

static unsigned mouse(struct vasx_ui *ui)
{
	MEVENT ev;
	enum vasx_action a;

	if (getmouse(&ev) != OK || too_small(ui))
		return 0;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		a = ev.bstate & BUTTON4_PRESSED ? VASX_A_UP : VASX_A_DOWN;
		return vasx_ui_action(ui, a, 0) | vasx_ui_action(ui, a, 0) | vasx_ui_action(ui, a, 0);
	}
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
		return 0;
	if (ev.y == ui->rows - 1) {
		a = vasx_fkeys_at(ui, ev.x);
		return a ? vasx_ui_action(ui, a, 0) : 0;
	}
	if (ui->screen == VASX_SCR_VAS)
		return vasx_vas_click(ui, ev.y, ev.x) ? VASX_H_REDRAW : 0;
	if (ui->screen == VASX_SCR_PICKER && ev.y >= 2 && ev.y < ui->rows - 2) {
		vasx_list_select(&ui->picker.list, ui->picker.list.top + (uint64_t)(ev.y - 2));
		return VASX_H_REDRAW;
	}
	return 0;
}

/*
 * SIGWINCH is vasx's own, not curses': curses would resize its screens in
 * the middle of any refresh, whatever size the frame was drawn for (and at
 * one column, update a cell that does not exist). Here the new size is
 * taken between frames, and every cell is repainted for it: a terminal
 * resized again while a frame was drawn (a storm of resizes) holds cells
 * curses does not know of, which an update by difference would keep.
 */
static volatile sig_atomic_t winch_pending;

static void on_winch(int sig)
{
	(void)sig;
	winch_pending = 1;
}

static void winch_catch(struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, old);	/* no SA_RESTART: a wait for a key ends */
}

static void winch_resize(struct vasx_ui *ui)
{
	struct winsize ws;

	winch_pending = 0;
	if ((ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ioctl(STDIN_FILENO, TIOCGWINSZ, &ws)) ||
	    !ws.ws_row || !ws.ws_col)
		return;
	resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	vasx_ui_resize(ui, LINES, COLS);
}

/*
 * The signals the loop acts on are blocked but while it waits: one that
 * came just before the wait would otherwise be seen only when the wait
 * ended, a whole period later. pselect() lets them in and waits as one
 * step, so any of them ends the wait at once.
 */
static void signals_hold(sigset_t *open)
{
	sigset_t held;

	sigemptyset(&held);
	vasx_display_stop_signals(&held);
	sigaddset(&held, SIGWINCH);
	sigprocmask(SIG_BLOCK, &held, open);
}

/* Until the terminal has input, a signal comes, or MS (< 0: no limit) have passed. */
static void wait_input(int ms, const sigset_t *open)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };
	fd_set rd;

	FD_ZERO(&rd);
	FD_SET(STDIN_FILENO, &rd);
	pselect(STDIN_FILENO + 1, &rd, NULL, NULL, ms < 0 ? NULL : &ts, open);
}

/*
 * A key curses holds already (the rest of an escape sequence it did not
 * know) is taken first: the terminal has nothing more to wake a wait. With
 * a key in hand the wait is of no time, and only lets a held signal in, so
 * keys typed ahead of a slow read do not keep a stop waiting.
 */
static int next_key(struct vasx_ui *ui, WINDOW *in, const sigset_t *open)
{
	double wait;
	int key = wgetch(in), ms = 0;

	/* one that came before the signals were held is seen here */
	if (key == ERR && !vasx_display_stop && !vasx_display_gone()) {
		wait = ui->next_tick - now_s();
		/* paused, nothing is due: only a key or a signal has work */
		ms = ui->paused ? -1 : wait <= 0 ? 0 : (int)(wait * 1000) + 1;
	}
	wait_input(ms, open);
	return key != ERR || vasx_display_stop ? key : wgetch(in);
}

/*
 * A frame is drawn after a key, a resize or a reload: nothing else changes
 * what is shown (no clock is on screen). A wait that ended with none of
 * them (a signal acted on elsewhere, a tick not yet due) draws nothing.
 */
static int loop(struct vasx_ui *ui, WINDOW *in, const sigset_t *open)
{
	bool draw = true;

	ui->next_tick = now_s() + ui->delay;
	for (;;) {
		unsigned f = 0;
		int key;

		if (winch_pending) {
			winch_resize(ui);
			draw = true;
		}
		if (draw)
			vasx_ui_draw(ui);
		draw = true;
		key = next_key(ui, in, open);
		if (vasx_display_stop)
			return 128 + vasx_display_stop;
		/* a hangup that sent no SIGHUP: getch() would return at once for ever */
		if (key == ERR && vasx_display_gone())
			return 128 + SIGHUP;
		if (key == ERR) {
			if (!ui->paused && now_s() >= ui->next_tick)
				reload(ui);
			else
				draw = false;
			continue;
		}
		if (key == KEY_RESIZE) {
			clearok(curscr, TRUE);
			vasx_ui_resize(ui, LINES, COLS);
			continue;
		}
		f = key == KEY_MOUSE ? mouse(ui) : vasx_ui_key(ui, key);
		if (f & VASX_H_QUIT)
			return 0;
		if (f & VASX_H_RELOAD)
			reload(ui);
	}
}

/*
 * Keys are read from a pad: getch() on stdscr would refresh it first, and
 * vasx_ui_draw() alone decides when the terminal is written.
 */
static int run(struct vasx_ui *ui)
{
	WINDOW *in = newpad(1, 1);
	sigset_t open;
	int rc;

	if (!in)
		return 1;
	keypad(in, TRUE);
	/* the wait is pselect()'s: curses only reads what is there */
	nodelay(in, TRUE);
	signals_hold(&open);
	rc = loop(ui, in, &open);
	/* one held still is taken now, while its handler only notes it */
	sigprocmask(SIG_SETMASK, &open, NULL);
	delwin(in);
	return rc;
}

int vasx_tui_main(struct vasx_source *src, const struct vasx_tui_opts *opts)
{
	struct sigaction old_winch;
	struct vasx_ui ui;
	int err, rc;

	setlocale(LC_ALL, "");
	vasx_ui_init(&ui, src, opts);
	ui.utf8 = !opts->ascii && vasx_display_utf8();
	/* no-color.org: present and not empty */
	if (getenv("NO_COLOR") && getenv("NO_COLOR")[0])
		ui.opts.color = false;
	if (opts->pid > 0) {
		err = vasx_vas_open(&ui, opts->pid);
		if (err) {
			fprintf(stderr, "vasx: process %d: %s\n", opts->pid, vasx_strerror(err));
			vasx_ui_release(&ui);
			return 1;
		}
	} else {
		err = vasx_picker_load(&ui);
		if (err) {
			fprintf(stderr, "vasx: listing processes: %s\n", vasx_strerror(err));
			vasx_ui_release(&ui);
			return 1;
		}
		ui.screen = VASX_SCR_PICKER;
	}
	winch_catch(&old_winch);
	if (vasx_display_open(&ui, NULL, NULL)) {
		sigaction(SIGWINCH, &old_winch, NULL);
		fprintf(stderr, "vasx: cannot start the terminal UI (is TERM set?)\n");
		vasx_ui_release(&ui);
		return 1;
	}
	vasx_ui_resize(&ui, LINES, COLS);
	vasx_ui_message(&ui, VASX_E_DIM, ui.screen == VASX_SCR_PICKER ?
			"Type to filter, Enter opens, F6 sorts, ? shows every key" :
			"Enter zooms, : jumps, / searches, Tab changes pane, ? shows every key");
	rc = run(&ui);
	vasx_display_close();
	sigaction(SIGWINCH, &old_winch, NULL);
	vasx_ui_release(&ui);
	if (rc > 128)
		fprintf(stderr, "vasx: stopped by signal %d (%s)\n", rc - 128, strsignal(rc - 128));
	/* after the terminal is restored, so a failure can be said on stderr */
	err = vasx_kmodui_exit(&ui);
	if (err) {
		fprintf(stderr, "vasx: could not unload the vasx module it loaded: %s\n",
			vasx_strerror(err));
		rc = rc ? rc : 1;
	}
	return rc;
}
