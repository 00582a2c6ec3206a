/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keys to actions, from the one table in actions.h; the names of keys for
 * the help screen, the function-key bar and the manual page.
 */
#include <stdio.h>
#include <string.h>
#include "actions.h"

const struct vasx_action_info vasx_actions[VASX_A_COUNT] = {
#define VASX_ACTION_INFO(id_, scope_, label_, help_, ...) \
	[VASX_A_##id_] = { .id = VASX_A_##id_, .scope = VASX_SCOPE_##scope_, .name = #id_, \
			   .label = label_, .help = help_, .keys = { __VA_ARGS__, 0 } },
	VASX_ACTIONS(VASX_ACTION_INFO)
#undef VASX_ACTION_INFO
};

static const char *const scope_titles[VASX_SCOPE_COUNT] = {
#define VASX_SCOPE_TITLE(id, title) [VASX_SCOPE_##id] = title,
	VASX_SCOPE_LIST(VASX_SCOPE_TITLE)
#undef VASX_SCOPE_TITLE
};

const char *vasx_scope_title(enum vasx_scope s)
{
	return s < VASX_SCOPE_COUNT ? scope_titles[s] : "";
}

static enum vasx_action find(enum vasx_scope scope, int key)
{
	for (int a = 1; a < VASX_A_COUNT; a++) {
		if (vasx_actions[a].scope != scope)
			continue;
		for (const int *k = vasx_actions[a].keys; *k; k++)
			if (*k == key)
				return (enum vasx_action)a;
	}
	return VASX_A_NONE;
}

enum vasx_action vasx_action_lookup(enum vasx_scope scope, int key)
{
	enum vasx_action a = find(scope, key);

	if (a == VASX_A_NONE && scope != VASX_SCOPE_LIST)
		a = find(VASX_SCOPE_LIST, key);
	if (a == VASX_A_NONE && scope != VASX_SCOPE_GLOBAL)
		a = find(VASX_SCOPE_GLOBAL, key);
	/* terminals send ^M or ^J for Enter, ^H or DEL for Backspace */
	if (a == VASX_A_NONE && key == '\r')
		a = find(scope, '\n');
	if (a == VASX_A_NONE && key == VASX_CTRL('h'))
		a = find(scope, KEY_BACKSPACE);
	return a;
}

const char *vasx_key_name(int key, char *buf, size_t len)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ KEY_UP, "Up" }, { KEY_DOWN, "Down" }, { KEY_LEFT, "Left" },
		{ KEY_RIGHT, "Right" }, { KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" },
		{ KEY_HOME, "Home" }, { KEY_END, "End" }, { KEY_ENTER, "KpEnter" },
		{ KEY_BACKSPACE, "Backspace" }, { KEY_BTAB, "Shift-Tab" },
		{ '\n', "Enter" }, { '\t', "Tab" }, { ' ', "Space" }, { 127, "Del" },
		{ VASX_KEY_ESC, "Esc" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].key == key) {
			snprintf(buf, len, "%s", names[i].name);
			return buf;
		}
	}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, len, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 32)
		snprintf(buf, len, "C-%c", key + 'a' - 1);
	else if (key > 32 && key < 127)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "key%d", key);
	return buf;
}

const char *vasx_action_keys(enum vasx_action a, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (const int *k = vasx_actions[a].keys; *k && at + 1 < len; k++) {
		char name[16];

		/* KpEnter and Del only repeat Enter and Backspace */
		if (*k == KEY_ENTER || *k == 127)
			continue;
		at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? " " : "",
				       vasx_key_name(*k, name, sizeof(name)));
		if (at >= len)
			at = len - 1;
	}
	return buf;
}

int vasx_action_fkey(enum vasx_action a)
{
	for (const int *k = vasx_actions[a].keys; *k; k++)
		if (*k >= KEY_F(1) && *k <= KEY_F(12))
			return *k - KEY_F(0);
	return 0;
}

/* roff needs its hyphens and backslashes escaped */
static void man_str(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '-' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

void vasx_actions_man(FILE *f)
{
	fputs("The same list is on the help screen\n.RB ( ? ).\n"
	      "Keys are read by the screen that is shown first, then by every list, then everywhere.\n", f);
	for (int s = 0; s < VASX_SCOPE_COUNT; s++) {
		fprintf(f, ".SS %s\n", vasx_scope_title((enum vasx_scope)s));
		for (int a = 1; a < VASX_A_COUNT; a++) {
			char keys[64];

			if (vasx_actions[a].scope != (enum vasx_scope)s)
				continue;
			fputs(".TP\n.B ", f);
			man_str(f, vasx_action_keys((enum vasx_action)a, keys, sizeof(keys)));
			fputc('\n', f);
			man_str(f, vasx_actions[a].help);
			fputs(".\n", f);
		}
	}
	fputs(".SS Search, jump and locate\n"
	      "A search pattern is a substring of the path or name, or\n"
	      ".BI re: REGEX\n"
	      "(POSIX extended), permissions such as\n"
	      ".B rwx\n"
	      "or\n"
	      ".B r?xp\n"
	      "(? matches either), or a kind such as\n"
	      ".BR heap \", \" stack \" or \" deleted\n"
	      "(prefixes\n"
	      ".BR name: \", \" perm: \" and \" kind: \" force one reading).\n"
	      "Addresses are hexadecimal with or without\n"
	      ".BR 0x ;\n"
	      "a decimal number is written\n"
	      ".BR #12345 .\n"
	      "Locate takes an address and a length and marks every region that overlaps the range with\n"
	      ".BR * .\n"
	      ".SS Marks\n"
	      "Beside the column:\n"
	      ".B !\n"
	      "writable and executable,\n"
	      ".B D\n"
	      "deleted file,\n"
	      ".B \\-\n"
	      "no access,\n"
	      ".B ~\n"
	      "approximate kernel region; changes:\n"
	      ".B +\n"
	      "new,\n"
	      ".B x\n"
	      "removed,\n"
	      ".B > <\n"
	      "grown, shrunk,\n"
	      ".B P\n"
	      "permissions,\n"
	      ".B X\n"
	      "became executable,\n"
	      ".B ^ v\n"
	      "resident memory up, down.\n", f);
}
