/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading the module through libkmod, as far as it can be tested without
 * loading anything into this machine's kernel: whether it is loaded (against
 * /sys/module), and the refusals a process without privilege gets. Loading
 * for real is tested inside QEMU (tests/kernel/qemu.sh).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "vasx/kmod.h"
#include "vasx/status.h"

static bool module_present(void)
{
	return access("/sys/module/vasx", F_OK) == 0;
}

static void test_kmod_loaded_matches_sysfs(void **state)
{
	(void)state;
	assert_int_equal(vasx_kmod_loaded(), module_present());
}

/* Run @fn as nobody in a child; its exit status is the check's verdict. */
static void as_nobody(int (*fn)(void))
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) || setuid(65534)))
			_exit(99);
		_exit(fn());
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static int load_refused(void)
{
	bool loaded = true;

	if (vasx_kmod_load("/nonexistent/vasx.ko", &loaded) != -VASX_E_NOTROOT)
		return 1;
	if (loaded)
		return 2;
	if (vasx_kmod_load(NULL, &loaded) != -VASX_E_NOTROOT)
		return 3;
	return 0;
}

static void test_kmod_load_needs_root(void **state)
{
	(void)state;
	if (module_present()) {
		skip();
		return;
	}
	as_nobody(load_refused);
}

static int unload_refused(void)
{
	return vasx_kmod_unload() == -VASX_E_NOTROOT ? 0 : 1;
}

static void test_kmod_unload_needs_root(void **state)
{
	(void)state;
	as_nobody(unload_refused);
}

static int mount_refused_or_done(void)
{
	struct statfs st;
	bool mounted = statfs("/sys/kernel/debug", &st) == 0 &&
		       (unsigned long)st.f_type == 0x64626720;
	int err = vasx_debugfs_mount();

	return err == (mounted ? 0 : -VASX_E_NOTROOT) ? 0 : 1;
}

static void test_kmod_debugfs_mount_needs_root(void **state)
{
	(void)state;
	as_nobody(mount_refused_or_done);
}

static void test_kmod_messages(void **state)
{
	static const int codes[] = {
		VASX_E_NOTROOT, VASX_E_SIGNATURE, VASX_E_NOMODBUILD, VASX_E_NODEBUGFS,
		VASX_E_NOMODULE,
	};
	static const char *const words[] = { "root", "signature", "built", "debugfs", "module" };

	(void)state;
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		assert_non_null(strstr(vasx_strerror(-codes[i]), words[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kmod_loaded_matches_sysfs),
		cmocka_unit_test(test_kmod_load_needs_root),
		cmocka_unit_test(test_kmod_unload_needs_root),
		cmocka_unit_test(test_kmod_debugfs_mount_needs_root),
		cmocka_unit_test(test_kmod_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
