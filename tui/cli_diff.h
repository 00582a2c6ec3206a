/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line's change reports: --diff of two saved trees, and --watch
 * of a live process printed as log lines.
 */
#ifndef VASX_CLI_DIFF_H
#define VASX_CLI_DIFF_H

#include <stdbool.h>

struct vasx_cli;

/* Exit status of --watch when the process exited or its pid was reused. */
#define VASX_EXIT_GONE 3

/* Print the changes from tree @dir_a to tree @dir_b. Returns the exit status. */
int vasx_cli_diff(const struct vasx_cli *c, const char *dir_a, const char *dir_b, bool json);

/*
 * Re-read c->pid every @seconds and print each change as a line, until the
 * process exits (VASX_EXIT_GONE) or SIGINT/SIGTERM (0).
 */
int vasx_cli_watch(const struct vasx_cli *c, double seconds);

#endif
