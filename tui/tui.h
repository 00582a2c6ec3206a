/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interactive explorer's entry point, called by main.c.
 */
#ifndef VASX_TUI_H
#define VASX_TUI_H

#include <stdbool.h>

struct vasx_source;

struct vasx_tui_opts {
	int pid;		/* open this process's VAS view; 0: the process picker */
	bool color;		/* false with --no-color or NO_COLOR */
	bool ascii;		/* --ascii (also chosen when the locale is not UTF-8) */
	bool linear;		/* linear band heights instead of logarithmic */
	bool only_user, only_kernel;
	double delay;		/* refresh period in seconds (-d) */
	bool load_module;	/* --load-module was given */
	const char *module_path;	/* module/vasx.ko of the build tree, or NULL */
};

/* Run the explorer until the user quits. Returns the exit status. */
int vasx_tui_main(struct vasx_source *src, const struct vasx_tui_opts *opts);

#endif
