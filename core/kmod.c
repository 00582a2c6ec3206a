/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading and unloading the vasx module through libkmod: the only file of
 * the project that speaks to libkmod. Errors come back as the status codes
 * a person can act on (not root, signature refused, nothing built for this
 * kernel, debugfs not mounted).
 */
#include <errno.h>
#include <libkmod.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "vasx/kmod.h"
#include "vasx/status.h"

#define VASX_KMOD_NAME "vasx"
#define DEBUGFS_DIR "/sys/kernel/debug"
#define DEBUGFS_MAGIC_NR 0x64626720

/* libkmod logs to stderr by default; the core never writes there. */
static void kmod_quiet(void *data, int priority, const char *file, int line,
		       const char *fn, const char *format, va_list args)
{
	(void)data;
	(void)priority;
	(void)file;
	(void)line;
	(void)fn;
	(void)format;
	(void)args;
}

static struct kmod_ctx *kmod_ctx_new(void)
{
	struct kmod_ctx *ctx = kmod_new(NULL, NULL);

	if (ctx)
		kmod_set_log_fn(ctx, kmod_quiet, NULL);
	return ctx;
}

bool vasx_kmod_loaded(void)
{
	struct kmod_ctx *ctx = kmod_ctx_new();
	struct kmod_module *mod;
	bool live = false;

	if (!ctx)
		return false;
	if (kmod_module_new_from_name(ctx, VASX_KMOD_NAME, &mod) == 0) {
		int state = kmod_module_get_initstate(mod);

		live = state == KMOD_MODULE_LIVE || state == KMOD_MODULE_COMING;
		kmod_module_unref(mod);
	}
	kmod_unref(ctx);
	return live;
}

static bool debugfs_mounted(void)
{
	struct statfs st;

	return statfs(DEBUGFS_DIR, &st) == 0 && (unsigned long)st.f_type == DEBUGFS_MAGIC_NR;
}

/* What a failed init_module() means for a person. */
static int insert_error(int err)
{
	switch (err) {
	case -EEXIST:
		return 0;
	case -EPERM:		/* lockdown refuses unsigned modules */
	case -EKEYREJECTED:	/* module.sig_enforce */
	case -ENOKEY:
	case -EKEYEXPIRED:
	case -EKEYREVOKED:
	case -EBADMSG:
		return -VASX_E_SIGNATURE;
	case -ENOEXEC:		/* built for another kernel */
	case -ENOENT:
		return -VASX_E_NOMODBUILD;
	default:
		return err;
	}
}

/* The installed module, found by name in the running kernel's index. */
static int insert_installed(struct kmod_ctx *ctx, bool *found)
{
	struct kmod_list *list = NULL, *l;
	int err = 0;

	*found = false;
	if (kmod_module_new_from_lookup(ctx, VASX_KMOD_NAME, &list) < 0 || !list)
		return 0;
	kmod_list_foreach(l, list) {
		struct kmod_module *mod = kmod_module_get_module(l);

		if (!*found && kmod_module_get_path(mod)) {
			*found = true;
			err = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL, NULL);
			if (err > 0)	/* blacklisted or an install command refused */
				err = -EPERM;
		}
		kmod_module_unref(mod);
	}
	kmod_module_unref_list(list);
	return err;
}

/* module/vasx.ko next to the program, as the build tree has it. */
static int default_build_path(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;
	int w;

	if (n <= 0)
		return -ENOENT;
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (!slash)
		return -ENOENT;
	*slash = 0;
	w = snprintf(buf, len, "%s/module/" VASX_KMOD_NAME ".ko", exe);
	return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
}

static int insert_from_path(struct kmod_ctx *ctx, const char *path)
{
	struct kmod_module *mod;
	int err;

	if (access(path, R_OK))
		return -VASX_E_NOMODBUILD;
	err = kmod_module_new_from_path(ctx, path, &mod);
	if (err < 0)
		return -VASX_E_NOMODBUILD;
	err = kmod_module_insert_module(mod, 0, NULL);
	kmod_module_unref(mod);
	return err;
}

int vasx_kmod_load(const char *build_path, bool *loaded_by_us)
{
	char path[PATH_MAX];
	struct kmod_ctx *ctx;
	bool found;
	int err;

	*loaded_by_us = false;
	if (vasx_kmod_loaded())
		return debugfs_mounted() ? 0 : -VASX_E_NODEBUGFS;
	if (geteuid() != 0)
		return -VASX_E_NOTROOT;
	ctx = kmod_ctx_new();
	if (!ctx)
		return -ENOMEM;
	err = insert_installed(ctx, &found);
	if (!found) {
		if (!build_path && default_build_path(path, sizeof(path)) == 0)
			build_path = path;
		err = build_path ? insert_from_path(ctx, build_path) : -VASX_E_NOMODBUILD;
	}
	kmod_unref(ctx);
	if (err == 0)
		*loaded_by_us = true;
	err = insert_error(err);
	if (err)
		return err;
	return debugfs_mounted() ? 0 : -VASX_E_NODEBUGFS;
}

int vasx_kmod_unload(void)
{
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	struct kmod_ctx *ctx;
	struct kmod_module *mod;
	int err;

	/* nothing to unload is the same answer for everyone */
	if (!vasx_kmod_loaded())
		return -VASX_E_NOMODULE;
	if (geteuid() != 0)
		return -VASX_E_NOTROOT;
	ctx = kmod_ctx_new();
	if (!ctx)
		return -ENOMEM;
	err = kmod_module_new_from_name(ctx, VASX_KMOD_NAME, &mod);
	if (err == 0) {
		/* A reader that has just closed a file may still hold it. */
		for (int tries = 0; tries < 50; tries++) {
			err = kmod_module_remove_module(mod, 0);
			if (err != -EBUSY && err != -EAGAIN)
				break;
			nanosleep(&pause, NULL);
		}
		kmod_module_unref(mod);
	}
	kmod_unref(ctx);
	return err == -ENOENT ? -VASX_E_NOMODULE : err;
}

int vasx_kmod_release(bool *loaded_by_us)
{
	int err;

	if (!*loaded_by_us)
		return 0;
	err = vasx_kmod_unload();
	/* gone by another hand is gone all the same */
	if (err == -VASX_E_NOMODULE)
		err = 0;
	if (!err)
		*loaded_by_us = false;
	return err;
}

int vasx_debugfs_mount(void)
{
	if (debugfs_mounted())
		return 0;
	if (geteuid() != 0)
		return -VASX_E_NOTROOT;
	if (mount("debugfs", DEBUGFS_DIR, "debugfs", 0, NULL))
		return -errno;
	return 0;
}
