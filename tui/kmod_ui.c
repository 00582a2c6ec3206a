/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The M key: load the vasx module from the explorer, after asking, so the
 * kernel half becomes the running kernel's own layout. What to ask or say
 * is decided by two pure functions (begin, after) the unit tests drive;
 * only the key and answer handlers below touch the kernel.
 *
 * The explorer unloads only a module it loaded itself. One loaded by
 * --load-module is already there when M is pressed, so the explorer never
 * owns it and main.c alone unloads it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include "vasx/kmod.h"
#include "vasx/source.h"
#include "vasx/status.h"
#include "ui.h"

static void say(struct vasx_kmod_step *st, enum vasx_kmod_next next, enum vasx_elem e,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void say(struct vasx_kmod_step *st, enum vasx_kmod_next next, enum vasx_elem e,
		const char *fmt, ...)
{
	va_list ap;

	st->next = next;
	st->elem = e;
	va_start(ap, fmt);
	vsnprintf(st->msg, sizeof(st->msg), fmt, ap);
	va_end(ap);
}

void vasx_kmodui_begin(bool live, enum vasx_ksource src, bool loaded, bool root,
		       struct vasx_kmod_step *st)
{
	if (!live)
		say(st, VASX_KM_SAY, VASX_E_WARN, "the kernel half comes from the saved tree: "
		    "the vasx module only shows a live kernel");
	else if (src == VASX_KSRC_NONE)
		say(st, VASX_KM_SAY, VASX_E_WARN, "the kernel half is not shown (--only-user)");
	else if (src == VASX_KSRC_MODULE)
		say(st, VASX_KM_SAY, VASX_E_NORMAL, "the vasx module is already loaded: "
		    "the kernel half is the running kernel's own layout");
	else if (!root)
		say(st, VASX_KM_SAY, VASX_E_WARN, loaded ?
		    "the vasx module is loaded, but its files are root's: run vasx as root" :
		    "loading the vasx module needs root (CAP_SYS_ADMIN): run vasx as root");
	else if (loaded)	/* nothing new enters the kernel: no question */
		say(st, VASX_KM_LOAD, VASX_E_NORMAL, "the vasx module is already loaded");
	else
		say(st, VASX_KM_ASK_LOAD, VASX_E_PROMPT, "%s",
		    vasx_prompt_title(VASX_PR_KMOD_LOAD));
}

void vasx_kmodui_after(int err, bool mounting, bool asked_mount, bool by_us,
		       struct vasx_kmod_step *st)
{
	if (!err)
		say(st, VASX_KM_RELOAD, VASX_E_NORMAL, "%s", by_us ?
		    "vasx module loaded: the kernel half is the running kernel's own layout "
		    "(unloaded when vasx quits)" :
		    "the kernel half now comes from the vasx module");
	else if (mounting)
		say(st, VASX_KM_SAY, VASX_E_WARN, "cannot mount debugfs on /sys/kernel/debug: %s",
		    vasx_strerror(err));
	else if (err == -VASX_E_NODEBUGFS && !asked_mount)
		say(st, VASX_KM_ASK_MOUNT, VASX_E_PROMPT, "%s",
		    vasx_prompt_title(VASX_PR_KMOD_MOUNT));
	else if (err == -VASX_E_NODEBUGFS)
		say(st, VASX_KM_SAY, VASX_E_WARN, "cannot use the vasx module: %s "
		    "(mount -t debugfs none /sys/kernel/debug)", vasx_strerror(err));
	else if (err == -VASX_E_NOTROOT)
		say(st, VASX_KM_SAY, VASX_E_WARN,
		    "loading the vasx module needs root (CAP_SYS_ADMIN): run vasx as root");
	else
		say(st, VASX_KM_SAY, VASX_E_WARN, "cannot load the vasx module: %s",
		    vasx_strerror(err));
}

bool vasx_kmodui_question(enum vasx_prompt_kind k)
{
	return k == VASX_PR_KMOD_LOAD || k == VASX_PR_KMOD_MOUNT;
}

static unsigned act(struct vasx_ui *ui, const struct vasx_kmod_step *st, bool fail)
{
	/*
	 * An attempt that ends in a sentence failed, and half done is not
	 * done: a module the explorer loaded but cannot use goes again.
	 */
	if (st->next == VASX_KM_SAY && fail)
		vasx_kmod_release(&ui->kmod_loaded);
	vasx_ui_message(ui, st->elem, "%s", st->msg);
	switch (st->next) {
	case VASX_KM_ASK_LOAD:
		ui->prompt.kind = VASX_PR_KMOD_LOAD;
		break;
	case VASX_KM_ASK_MOUNT:
		ui->prompt.kind = VASX_PR_KMOD_MOUNT;
		break;
	case VASX_KM_RELOAD:
		return VASX_H_REDRAW | VASX_H_RELOAD;
	case VASX_KM_SAY:
	case VASX_KM_LOAD:
		break;
	}
	ui->prompt.len = 0;
	ui->prompt.buf[0] = '\0';
	return VASX_H_REDRAW;
}

static unsigned load(struct vasx_ui *ui, bool asked_mount)
{
	struct vasx_kmod_step st;
	bool by_us = false;
	int err = vasx_kmod_load(ui->opts.module_path, &by_us);

	if (by_us)
		ui->kmod_loaded = true;
	vasx_kmodui_after(err, false, asked_mount, ui->kmod_loaded, &st);
	return act(ui, &st, true);
}

unsigned vasx_kmodui_key(struct vasx_ui *ui)
{
	struct vasx_kmod_step st;
	bool live = ui->src && ui->src->live;

	/* only a live source may touch the kernel; a saved tree never asks */
	vasx_kmodui_begin(live, ui->vas.snap->kernel.source, live && vasx_kmod_loaded(),
			  geteuid() == 0, &st);
	if (st.next == VASX_KM_LOAD)
		return load(ui, false);
	return act(ui, &st, false);
}

unsigned vasx_kmodui_answer(struct vasx_ui *ui, enum vasx_prompt_kind k, int key)
{
	struct vasx_kmod_step st;
	int err;

	if (key != 'y' && key != 'Y' && key != 'n' && key != 'N' && key != '\n' &&
	    key != '\r' && key != KEY_ENTER && key != VASX_KEY_ESC && key != VASX_CTRL('c') &&
	    key != VASX_CTRL('g'))
		return 0;
	ui->prompt.kind = VASX_PR_NONE;
	if (key != 'y' && key != 'Y') {
		say(&st, VASX_KM_SAY, VASX_E_DIM, "%s", k == VASX_PR_KMOD_LOAD ?
		    "the vasx module was not loaded" :
		    "debugfs not mounted: the kernel half stays as it was");
		/* the module is no use without debugfs */
		return act(ui, &st, k == VASX_PR_KMOD_MOUNT);
	}
	if (k == VASX_PR_KMOD_LOAD)
		return load(ui, false);
	err = vasx_debugfs_mount();
	if (err) {
		vasx_kmodui_after(err, true, true, ui->kmod_loaded, &st);
		return act(ui, &st, true);
	}
	return load(ui, true);
}

const char *vasx_kmodui_hint(const struct vasx_ui *ui)
{
	if (!ui->src || !ui->src->live)
		return "saved without the vasx module; vasx --save as root with it loaded keeps "
		       "the kernel's own layout";
	return "press M to load the vasx module (root) and see the running kernel's own layout";
}

int vasx_kmodui_exit(struct vasx_ui *ui)
{
	return vasx_kmod_release(&ui->kmod_loaded);
}
