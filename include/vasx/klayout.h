/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel half of the address space: from the vasx module's debugfs
 * files (ABI v1, see module/vasx.c), else as root from /proc/kallsyms and
 * /proc/modules, else from the architecture's documented layout.
 */
#ifndef VASX_KLAYOUT_H
#define VASX_KLAYOUT_H

#include <stdint.h>
#include <stdio.h>
#include "vasx/types.h"

struct vasx_source;
struct vasx_strpool;

enum vasx_ksource {
	VASX_KSRC_NONE,		/* not loaded (e.g. --only-user) */
	VASX_KSRC_APPROX,	/* documented layout, bases not resolved */
	VASX_KSRC_KALLSYMS,	/* documented layout + kallsyms/modules */
	VASX_KSRC_MODULE,	/* the vasx module */
};

const char *vasx_ksource_name(enum vasx_ksource s);	/* "none", "approximate", "kallsyms", "module" */

struct vasx_kregion {
	uint64_t start, last;	/* inclusive last */
	uint8_t perms;		/* VASX_P_* */
	uint8_t depth;		/* nesting: kernel-text inside kernel-image = 1 */
	uint8_t flags;		/* VASX_F_APPROX */
	const char *key;	/* "direct-map", "vmalloc", ..., "ram", "module:ext4" */
	const char *desc;
};

struct vasx_ktask {
	int pid, tgid;
	char comm[64];
	uint64_t task, task_phys, stack, mm, pgd;
};

struct vasx_klayout {
	enum vasx_ksource source;
	char arch[16];
	unsigned page_size;
	unsigned paging_levels;
	unsigned user_va_bits;
	uint64_t task_size;
	struct vasx_kregion *regions;	/* sorted by start, parents before children */
	size_t nregions;
	size_t malformed;
	int module_err;		/* why the module's layout was not used (0 if it was) */
	int kallsyms_err;	/* why kallsyms was not used */
};

/* Parse the module's "layout" file. -VASX_E_VERSION for an unknown version line. */
int vasx_klayout_parse(FILE *f, struct vasx_klayout *kl, struct vasx_strpool *pool);

/*
 * The user_va_bits line of the module's "layout" file, read from the lines
 * before the first region (the regions are not read): for a snapshot that
 * wants the width of the user half but not the kernel half. 0 with *bits
 * the width, or 0 when those lines give none; -VASX_E_VERSION for an
 * unknown version line, -VASX_E_MALFORMED when there is none, or -errno.
 */
int vasx_klayout_user_va_bits(FILE *f, unsigned *bits);

/*
 * Fill @kl from the best source @src offers, for a machine whose user half
 * has @user_va_bits (47 or 56, guessed from the process's mappings when 0).
 */
int vasx_klayout_load(struct vasx_source *src, unsigned user_va_bits,
		      struct vasx_klayout *kl, struct vasx_strpool *pool);
void vasx_klayout_release(struct vasx_klayout *kl);

/* Parse the module's "tasks" file. */
int vasx_ktasks_parse(FILE *f, struct vasx_ktask **tasks, size_t *n, size_t *malformed);
int vasx_ktasks_load(struct vasx_source *src, struct vasx_ktask **tasks, size_t *n);

/*
 * Choose processes by their kernel objects, as Rekall does: @task_kvas
 * ("KVA[,KVA...]", kernel addresses of task_structs), @phys (their physical
 * addresses) and @head (every process on the task list, walking from that
 * task); any may be NULL. Fills @pids (malloc'ed, thread group ids in the
 * order found, without duplicates or the idle task). -VASX_E_BADADDR for
 * text that is not an address, -ESRCH when no task has an address given.
 */
int vasx_ktasks_select(const struct vasx_ktask *t, size_t n, const char *task_kvas,
		       const char *phys, const char *head, int **pids, size_t *npids);

#endif
