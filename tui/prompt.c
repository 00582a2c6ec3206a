/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one-line editor of the status line, the text panes' lines, short sizes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vasx/fmt.h"
#include "ui.h"

const char *vasx_prompt_title(enum vasx_prompt_kind k)
{
	switch (k) {
	case VASX_PR_JUMP:
		return "Jump to address (hex, 0x optional; #decimal):";
	case VASX_PR_SEARCH:
		return "Search (name, re:REGEX, rwx perms, or a kind):";
	case VASX_PR_LOCATE:
		return "Locate ADDRESS LENGTH (hex; #decimal):";
	case VASX_PR_FILTER:
		return "Filter (name, pid or user):";
	case VASX_PR_DELAY:
		return "Refresh every (seconds):";
	case VASX_PR_KMOD_LOAD:
		return "Load the vasx kernel module to show the kernel's real layout? [y/N]";
	case VASX_PR_KMOD_MOUNT:
		return "debugfs is not mounted on /sys/kernel/debug. Mount it? [y/N]";
	case VASX_PR_NONE:
		break;
	}
	return "";
}

int vasx_prompt_key(struct vasx_prompt *p, int key)
{
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		return 1;
	case VASX_KEY_ESC:
	case VASX_CTRL('c'):
	case VASX_CTRL('g'):
		return -1;
	case KEY_BACKSPACE:
	case 127:
	case VASX_CTRL('h'):
		/* drop a whole UTF-8 character */
		while (p->len > 0 && ((unsigned char)p->buf[--p->len] & 0xc0) == 0x80)
			;
		p->buf[p->len] = '\0';
		return 0;
	case VASX_CTRL('u'):
		p->len = 0;
		p->buf[0] = '\0';
		return 0;
	default:
		break;
	}
	if (key >= 32 && key < 256 && key != 127 && p->len + 1 < sizeof(p->buf)) {
		p->buf[p->len++] = (char)key;
		p->buf[p->len] = '\0';
	}
	return 0;
}

void vasx_lines_clear(struct vasx_lines *ls)
{
	ls->n = 0;
}

void vasx_lines_release(struct vasx_lines *ls)
{
	free(ls->v);
	memset(ls, 0, sizeof(*ls));
}

static struct vasx_line *lines_next(struct vasx_lines *ls)
{
	static struct vasx_line spill;

	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 64;
		struct vasx_line *v = realloc(ls->v, cap * sizeof(*v));

		if (!v)
			return memset(&spill, 0, sizeof(spill));
		ls->v = v;
		ls->cap = cap;
	}
	return memset(&ls->v[ls->n++], 0, sizeof(*ls->v));
}

struct vasx_line *vasx_lines_add(struct vasx_lines *ls, enum vasx_elem elem, const char *label,
				 const char *fmt, ...)
{
	struct vasx_line *ln = lines_next(ls);
	va_list ap;

	snprintf(ln->label, sizeof(ln->label), "%s", label ? label : "");
	va_start(ap, fmt);
	vsnprintf(ln->text, sizeof(ln->text), fmt, ap);
	va_end(ap);
	ln->elem = (uint8_t)elem;
	return ln;
}

void vasx_lines_heading(struct vasx_lines *ls, const char *title)
{
	struct vasx_line *ln = lines_next(ls);

	snprintf(ln->text, sizeof(ln->text), "%s", title);
	ln->heading = 1;
	ln->elem = VASX_E_PANE;
}

/*
 * @n bytes of the escaped text @s, less an escape (\\, \xNN) the cut would
 * split; never 0.
 */
static size_t escape_whole(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		k = s[i] == '\\' ? (s[i + 1] == 'x' ? 4 : 2) : 1;
		if (i + k > n)
			return i ? i : n;
		i += k;
	}
	return n;
}

/*
 * A long value (a path, a command line, a hint) over as many lines as it
 * needs: broken after a space when one is in the second half of the line,
 * else at the width.
 */
void vasx_lines_wrap(struct vasx_lines *ls, const char *label, const char *raw, size_t width)
{
	/* a path the kernel prints may pass 64 KiB: escaped whole, its end is its file */
	char small[1024], *buf = small;
	size_t len, at = 0, room = 4 * strlen(raw ? raw : "") + 1;

	if (room > sizeof(small))
		buf = malloc(room);
	if (!buf) {
		buf = small;
		room = sizeof(small);
	}
	vasx_fmt_escape(raw ? raw : "", buf, room);
	len = strlen(buf);
	if (width < 16)
		width = 16;
	do {
		size_t n = len - at > width ? width : len - at;

		if (at + n < len) {
			size_t sp = n;

			while (sp > n / 2 && buf[at + sp - 1] != ' ')
				sp--;
			if (sp > n / 2)
				n = sp;
		}
		/* never split a UTF-8 sequence, nor an escape such as \x1b */
		while (at + n < len && n > 1 && ((unsigned char)buf[at + n] & 0xc0) == 0x80)
			n--;
		n = escape_whole(buf + at, n);
		vasx_lines_add(ls, VASX_E_VALUE, at ? "" : label, "%.*s", (int)n, buf + at);
		at += n;
	} while (at < len);
	if (buf != small)
		free(buf);
}

/* "4K", "1.5M", "128T": six columns at most, rounded to the nearest. */
char *vasx_short_size(uint64_t b, char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";
	int u = 0;
	uint64_t d = 1, whole, rem, tenths;

	while (u < 6 && b / d >= 1024) {
		d <<= 10;
		u++;
	}
	whole = b / d;
	rem = b % d;
	/* rem < 2^60, so neither product overflows */
	tenths = whole * 10 + (rem * 10 + d / 2) / d;
	if (tenths < 100 && tenths % 10) {
		snprintf(buf, len, "%llu.%llu%c", (unsigned long long)(tenths / 10),
			 (unsigned long long)(tenths % 10), units[u]);
		return buf;
	}
	whole += rem * 2 >= d;
	if (whole >= 1024 && u < 6) {
		whole = 1;
		u++;
	}
	snprintf(buf, len, "%llu%c", (unsigned long long)whole, units[u]);
	return buf;
}
