/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The explorer's M key: what it asks or says for every state the kernel
 * and the user can be in, and the answers that load nothing. No test here
 * answers yes: loading is tested only inside QEMU (tests/kernel/qemu.sh).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "testlib.h"

#include "vasx/kmod.h"
#include "vasx/source.h"
#include "vasx/status.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"
#include "ui.h"

static const enum vasx_ksource sources[] = {
	VASX_KSRC_NONE, VASX_KSRC_APPROX, VASX_KSRC_KALLSYMS, VASX_KSRC_MODULE,
};

static void assert_says(const struct vasx_kmod_step *st, const char *words)
{
	if (!strstr(st->msg, words))
		fail_msg("\"%s\" does not say \"%s\"", st->msg, words);
}

/* Every combination: a question only when it can lead to loading. */
static void test_kmodui_begin_all(void **state)
{
	(void)state;
	for (int live = 0; live < 2; live++)
	for (size_t s = 0; s < sizeof(sources) / sizeof(sources[0]); s++)
	for (int loaded = 0; loaded < 2; loaded++)
	for (int root = 0; root < 2; root++) {
		struct vasx_kmod_step st;
		bool usable = live && sources[s] != VASX_KSRC_NONE &&
			      sources[s] != VASX_KSRC_MODULE;

		memset(&st, 0xa5, sizeof(st));
		vasx_kmodui_begin(live, sources[s], loaded, root, &st);
		assert_non_null(memchr(st.msg, '\0', sizeof(st.msg)));
		assert_true(st.msg[0]);
		assert_int_not_equal(st.next, VASX_KM_ASK_MOUNT);
		assert_int_not_equal(st.next, VASX_KM_RELOAD);
		assert_int_equal(st.next == VASX_KM_ASK_LOAD, usable && root && !loaded);
		assert_int_equal(st.next == VASX_KM_LOAD, usable && root && loaded);
		if (usable && !root)
			assert_says(&st, "root");
	}
}

static void test_kmodui_begin_sentences(void **state)
{
	struct vasx_kmod_step st;

	(void)state;
	vasx_kmodui_begin(true, VASX_KSRC_KALLSYMS, false, true, &st);
	assert_int_equal(st.next, VASX_KM_ASK_LOAD);
	assert_string_equal(st.msg, "Load the vasx kernel module to show the kernel's real "
			    "layout? [y/N]");
	assert_string_equal(st.msg, vasx_prompt_title(VASX_PR_KMOD_LOAD));
	vasx_kmodui_begin(true, VASX_KSRC_APPROX, false, false, &st);
	assert_int_equal(st.next, VASX_KM_SAY);
	assert_int_equal(st.elem, VASX_E_WARN);
	assert_string_equal(st.msg, "loading the vasx module needs root (CAP_SYS_ADMIN): "
			    "run vasx as root");
	vasx_kmodui_begin(true, VASX_KSRC_MODULE, true, true, &st);
	assert_int_equal(st.next, VASX_KM_SAY);
	assert_says(&st, "already loaded");
	vasx_kmodui_begin(false, VASX_KSRC_APPROX, false, true, &st);
	assert_says(&st, "saved tree");
	vasx_kmodui_begin(true, VASX_KSRC_NONE, false, true, &st);
	assert_says(&st, "--only-user");
}

static void test_kmodui_after(void **state)
{
	struct vasx_kmod_step st;
	char want[200];

	(void)state;
	vasx_kmodui_after(0, false, false, true, &st);
	assert_int_equal(st.next, VASX_KM_RELOAD);
	assert_says(&st, "unloaded when vasx quits");
	/* loaded by someone else (or --load-module): vasx does not unload it */
	vasx_kmodui_after(0, false, true, false, &st);
	assert_int_equal(st.next, VASX_KM_RELOAD);
	assert_null(strstr(st.msg, "unload"));

	vasx_kmodui_after(-VASX_E_NODEBUGFS, false, false, true, &st);
	assert_int_equal(st.next, VASX_KM_ASK_MOUNT);
	assert_string_equal(st.msg, "debugfs is not mounted on /sys/kernel/debug. Mount it? [y/N]");
	/* asked once: the second time it is a sentence, with the command */
	vasx_kmodui_after(-VASX_E_NODEBUGFS, false, true, true, &st);
	assert_int_equal(st.next, VASX_KM_SAY);
	assert_says(&st, "mount -t debugfs none /sys/kernel/debug");

	vasx_kmodui_after(-VASX_E_NOTROOT, false, false, false, &st);
	assert_int_equal(st.next, VASX_KM_SAY);
	assert_says(&st, "needs root");
	vasx_kmodui_after(-VASX_E_SIGNATURE, false, false, false, &st);
	assert_int_equal(st.next, VASX_KM_SAY);
	assert_says(&st, "lockdown or Secure Boot");
	snprintf(want, sizeof(want), "cannot load the vasx module: %s",
		 vasx_strerror(-VASX_E_NOMODBUILD));
	vasx_kmodui_after(-VASX_E_NOMODBUILD, false, false, false, &st);
	assert_string_equal(st.msg, want);
	assert_int_equal(st.elem, VASX_E_WARN);
	vasx_kmodui_after(-ENOMEM, false, false, false, &st);
	assert_says(&st, vasx_strerror(-ENOMEM));

	/* mounting failed: said, not asked again */
	vasx_kmodui_after(-EPERM, true, true, true, &st);
	assert_int_equal(st.next, VASX_KM_SAY);
	assert_says(&st, "cannot mount debugfs");
	vasx_kmodui_after(-VASX_E_NODEBUGFS, true, false, true, &st);
	assert_int_equal(st.next, VASX_KM_SAY);
}

/* ---- the keys, on a snapshot built by hand ---- */

struct fixture {
	struct vasx_ui ui;
	struct vasx_source live;	/* only its live flag is read */
};

static int setup(void **state)
{
	struct vasx_region r = {
		.start = 0x400000, .last = 0x400fff, .perms = VASX_P_READ | VASX_P_EXEC,
		.flags = VASX_F_MAPPING, .smaps = VASX_NONE, .space = VASX_SPACE_USER,
		.name = "/bin/prog",
	};
	struct vasx_tui_opts o = { .delay = 1 };
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct vasx_snapshot *s = test_snapshot_new(42, 0);

	assert_non_null(fx);
	assert_int_equal(vasx_snapshot_build(s, &r, 1), 0);
	vasx_ui_init(&fx->ui, NULL, &o);
	vasx_ui_resize(&fx->ui, 24, 80);
	vasx_vas_show(&fx->ui, s);
	fx->live.live = true;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	assert_false(fx->ui.kmod_loaded);
	assert_int_equal(vasx_kmodui_exit(&fx->ui), 0);
	vasx_ui_release(&fx->ui);
	free(fx);
	return 0;
}

/* A saved tree never asks and never touches the kernel. */
static void test_kmodui_saved_tree(void **state)
{
	struct vasx_ui *ui = &((struct fixture *)*state)->ui;

	ui->vas.snap->kernel.source = VASX_KSRC_APPROX;
	assert_true(vasx_ui_key(ui, 'M') & VASX_H_REDRAW);
	assert_int_equal(ui->prompt.kind, VASX_PR_NONE);
	assert_non_null(strstr(ui->msg, "saved tree"));
	assert_non_null(strstr(vasx_kmodui_hint(ui), "saved"));
}

/* No, Enter and Esc all decline; other keys leave the question up. */
static void test_kmodui_answers_no(void **state)
{
	struct vasx_ui *ui = &((struct fixture *)*state)->ui;
	const int nos[] = { 'n', 'N', '\n', '\r', 27 };

	for (size_t i = 0; i < sizeof(nos) / sizeof(nos[0]); i++) {
		ui->prompt.kind = VASX_PR_KMOD_LOAD;
		assert_int_equal(vasx_ui_key(ui, 'x'), 0);
		assert_int_equal(vasx_ui_key(ui, 'j'), 0);
		assert_int_equal(ui->prompt.kind, VASX_PR_KMOD_LOAD);
		assert_int_equal(ui->prompt.len, 0);
		assert_false(vasx_ui_key(ui, nos[i]) & VASX_H_RELOAD);
		assert_int_equal(ui->prompt.kind, VASX_PR_NONE);
		assert_string_equal(ui->msg, "the vasx module was not loaded");
		assert_false(ui->kmod_loaded);

		ui->prompt.kind = VASX_PR_KMOD_MOUNT;
		assert_false(vasx_ui_key(ui, nos[i]) & VASX_H_RELOAD);
		assert_int_equal(ui->prompt.kind, VASX_PR_NONE);
		assert_non_null(strstr(ui->msg, "debugfs not mounted"));
	}
}

/*
 * A live source: M says or asks what begin() decides for this machine,
 * and a question is answered no. Skipped where the module is loaded, as
 * M would then use it without asking.
 */
static void test_kmodui_live(void **state)
{
	struct fixture *fx = *state;
	struct vasx_ui *ui = &fx->ui;
	struct vasx_kmod_step st;

	if (vasx_kmod_loaded())
		skip();
	ui->src = &fx->live;
	ui->vas.snap->kernel.source = VASX_KSRC_MODULE;
	vasx_ui_key(ui, 'M');
	assert_int_equal(ui->prompt.kind, VASX_PR_NONE);
	assert_non_null(strstr(ui->msg, "already loaded"));

	ui->vas.snap->kernel.source = VASX_KSRC_KALLSYMS;
	assert_non_null(strstr(vasx_kmodui_hint(ui), "press M"));
	vasx_kmodui_begin(true, VASX_KSRC_KALLSYMS, false, geteuid() == 0, &st);
	vasx_ui_key(ui, 'M');
	if (st.next == VASX_KM_ASK_LOAD) {
		assert_int_equal(ui->prompt.kind, VASX_PR_KMOD_LOAD);
		vasx_ui_key(ui, 'n');
		assert_string_equal(ui->msg, "the vasx module was not loaded");
	} else {
		assert_int_equal(ui->prompt.kind, VASX_PR_NONE);
		assert_string_equal(ui->msg, st.msg);
	}
	assert_false(vasx_kmod_loaded());
	ui->src = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kmodui_begin_all),
		cmocka_unit_test(test_kmodui_begin_sentences),
		cmocka_unit_test(test_kmodui_after),
		cmocka_unit_test_setup_teardown(test_kmodui_saved_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kmodui_answers_no, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kmodui_live, setup, teardown),
	};

	return cmocka_run_group_tests_name("kmod_ui", tests, NULL, NULL);
}
