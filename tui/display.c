/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The terminal's life cycle: start curses, pick colours or monochrome, and
 * put the terminal back however vasx ends (quit, SIGINT, SIGTERM, SIGHUP,
 * a terminal that hung up, or a crash).
 */
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
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
static volatile sig_atomic_t display_up;
static SCREEN *display_screen;

/*
 * What a crash writes to put the terminal back, prepared while all is
 * well: endwin() is not async-signal-safe, write(2) and tcsetattr(3) are.
 */
static struct {
	int fd, in_fd;		/* the terminal curses writes to and reads from */
	bool have_modes;
	struct termios modes;	/* the terminal's modes before curses began */
	char seq[512];		/* mouse off, keypad off, plain text, cursor on, main screen */
	size_t len;
} crash;

/*
 * Signal dispositions to give back when the display closes. The explorer's
 * loop (tui.c) holds the stop signals but while it waits for a key.
 */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE };
#define NSTOP (sizeof(stop_signals) / sizeof(stop_signals[0]))
#define NCRASH (sizeof(crash_signals) / sizeof(crash_signals[0]))
static struct sigaction old_stop[NSTOP], old_crash[NCRASH];
static char alt_stack[64 * 1024];

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
	int saved = errno;
	size_t off = 0;

	if (display_up) {
		while (off < crash.len) {
			ssize_t n = write(crash.fd, crash.seq + off, crash.len - off);

			if (n > 0)
				off += (size_t)n;
			else if (n == 0 || errno != EINTR)
				break;
		}
		if (crash.have_modes)
			tcsetattr(crash.fd, TCSADRAIN, &crash.modes);
	}
	errno = saved;
	/* SA_RESETHAND made the action the default: it comes when we return */
	raise(sig);
}

static void crash_add(const char *cap)
{
	size_t n;

	if (!cap || cap == (char *)-1)
		return;
	n = strlen(cap);
	if (crash.len + n <= sizeof(crash.seq)) {
		memcpy(crash.seq + crash.len, cap, n);
		crash.len += n;
	}
}

/* What endwin() would send, as bytes, from this terminal's own description. */
static void crash_prepare(void)
{
	char *xm = tigetstr("XM");

	crash.len = 0;
	if (xm && xm != (char *)-1)
		crash_add(tiparm(xm, 0));
	else if (tigetstr("kmous") && tigetstr("kmous") != (char *)-1)
		crash_add("\033[?1000l");
	crash_add(tigetstr("rmkx"));
	crash_add(tigetstr("sgr0"));
	crash_add(tigetstr("cnorm"));
	crash_add(tigetstr("rmcup"));
}

static void install_signals(void)
{
	struct sigaction sa;
	stack_t ss = { .ss_sp = alt_stack, .ss_size = sizeof(alt_stack) };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &sa, &old_stop[i]);
	/* a stack overflow is a crash too: its handler needs a stack of its own */
	sigaltstack(&ss, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND | SA_ONSTACK;
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &sa, &old_crash[i]);
}

void vasx_display_stop_signals(sigset_t *set)
{
	for (size_t i = 0; i < NSTOP; i++)
		sigaddset(set, stop_signals[i]);
}

static void restore_signals(void)
{
	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &old_stop[i], NULL);
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &old_crash[i], NULL);
}

/*
 * Home and End as terminals send them whatever TERM says: a terminal
 * description that does not match (TERM=xterm-256color inside tmux or
 * screen, which send \e[1~ and \e[4~) would leave them unread.
 */
static void define_common_keys(void)
{
	static const struct {
		const char *seq;
		int key;
	} keys[] = {
		{ "\033[1~", KEY_HOME }, { "\033[7~", KEY_HOME }, { "\033[H", KEY_HOME },
		{ "\033OH", KEY_HOME }, { "\033[4~", KEY_END }, { "\033[8~", KEY_END },
		{ "\033[F", KEY_END }, { "\033OF", KEY_END },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!key_defined(keys[i].seq))
			define_key(keys[i].seq, keys[i].key);
}

int vasx_display_open(struct vasx_ui *ui, FILE *out, FILE *in)
{
	/* the modes the shell left, before curses changes any */
	crash.fd = fileno(out ? out : stdout);
	crash.in_fd = fileno(in ? in : stdin);
	crash.have_modes = tcgetattr(crash.fd, &crash.modes) == 0;
	/* before curses, so the dispositions given back are the program's own */
	install_signals();
	if (out) {
		display_screen = newterm(NULL, out, in);
		if (!display_screen) {
			restore_signals();
			return -1;
		}
		set_term(display_screen);
	} else if (!initscr()) {
		restore_signals();
		return -1;
	}
	crash_prepare();
	display_up = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	define_common_keys();
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

/*
 * A terminal that hung up reads as at its end for ever, and getch() returns
 * at once each time: without this check the loop would spin, drawing for
 * no one, when no SIGHUP came (the shell ignored it, or was not told).
 */
bool vasx_display_gone(void)
{
	struct pollfd p = { .fd = crash.in_fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

void vasx_display_close(void)
{
	if (!display_up)
		return;
	display_up = 0;
	restore_signals();
	endwin();
	if (display_screen) {
		delscreen(display_screen);
		display_screen = NULL;
	}
}
