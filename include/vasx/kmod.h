/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading and unloading the vasx module through libkmod.
 */
#ifndef VASX_KMOD_H
#define VASX_KMOD_H

#include <stdbool.h>

/* Is the vasx module loaded? */
bool vasx_kmod_loaded(void);

/*
 * Load the module: the installed one by name, else @build_path (e.g.
 * module/vasx.ko of the build tree; may be NULL). Returns 0 (and sets
 * *loaded_by_us when this call loaded it), or -VASX_E_NOTROOT,
 * -VASX_E_SIGNATURE, -VASX_E_NOMODBUILD, -VASX_E_NODEBUGFS, -errno.
 */
int vasx_kmod_load(const char *build_path, bool *loaded_by_us);
/*
 * Unload it: 0, -VASX_E_NOMODULE when it is not loaded (whoever asks),
 * -VASX_E_NOTROOT, -errno. vasx unloads only what it loaded: see below.
 */
int vasx_kmod_unload(void);
/*
 * Unload the module if *@loaded_by_us (set by vasx_kmod_load()) says this
 * process loaded it, and clear the flag once it is gone; a module someone
 * else has unloaded meanwhile counts as gone. 0 or what vasx_kmod_unload()
 * returned. Both the command line and the explorer undo a load with it.
 */
int vasx_kmod_release(bool *loaded_by_us);
/* Mount debugfs on /sys/kernel/debug. */
int vasx_debugfs_mount(void);

#endif
