/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading the module through libkmod, as far as it can be tested without
 * loading anything into this machine's kernel: whether it is loaded (against
 * /sys/module, the real one and a fake one in a private mount namespace),
 * and the refusals a process without privilege gets. Loading for real is
 * tested inside QEMU (tests/kernel/qemu.sh).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
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

/* Nothing loaded: "not loaded", for root and for anyone else alike. */
static int unload_says_not_loaded(void)
{
	bool loaded = true;

	if (vasx_kmod_unload() != -VASX_E_NOMODULE)
		return 1;
	/* what vasx loaded and someone else unloaded is gone all the same */
	if (vasx_kmod_release(&loaded) || loaded)
		return 2;
	loaded = false;
	return vasx_kmod_release(&loaded) || loaded ? 3 : 0;
}

static void test_kmod_unload_not_loaded(void **state)
{
	(void)state;
	if (module_present()) {
		skip();
		return;
	}
	assert_int_equal(unload_says_not_loaded(), 0);
	as_nobody(unload_says_not_loaded);
}

/*
 * In a private mount namespace, a tmpfs on /sys/module holding
 * vasx/initstate "live": libkmod reads the module as loaded, and nothing
 * reaches the kernel's module loader. Then @fn runs as nobody; its result
 * is the child's exit status. Needs root (to mount); 77 when it cannot.
 */
static int with_fake_module(int (*fn)(void))
{
	FILE *f;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("vasx-test", "/sys/module", "tmpfs", 0, "mode=0755") ||
	    mkdir("/sys/module/vasx", 0755) || !(f = fopen("/sys/module/vasx/initstate", "w")))
		return 77;
	fputs("live\n", f);
	if (fclose(f) || !vasx_kmod_loaded())
		return 98;
	if (setgid(65534) || setuid(65534))
		return 99;
	return fn();
}

static int unload_refused(void)
{
	bool loaded = true;

	if (!vasx_kmod_loaded() || vasx_kmod_unload() != -VASX_E_NOTROOT)
		return 1;
	/* not gone: the flag says it is still there to unload */
	return vasx_kmod_release(&loaded) == -VASX_E_NOTROOT && loaded ? 0 : 2;
}

/* Something to unload: only then does a user without root hear "needs root". */
static void test_kmod_unload_needs_root(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	if (geteuid() != 0) {
		skip();
		return;
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(with_fake_module(unload_refused));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77) {
		skip();
		return;
	}
	assert_int_equal(WEXITSTATUS(status), 0);
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
		cmocka_unit_test(test_kmod_unload_not_loaded),
		cmocka_unit_test(test_kmod_unload_needs_root),
		cmocka_unit_test(test_kmod_debugfs_mount_needs_root),
		cmocka_unit_test(test_kmod_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
