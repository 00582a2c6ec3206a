/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classification of one mapping: what a person would call it (text, heap,
 * a thread's stack, ...), from its name, perms, neighbour and the process's
 * boundaries.
 *
 * bss is the anonymous mapping right after a program's or library's data
 * segment. A data segment is never at file offset 0 (the ELF header is), so
 * a plain data file mapped writable is not taken for one.
 */
#include <string.h>

#include "vasx/vas.h"

static bool name_is(const char *name, const char *want)
{
	return name && strcmp(name, want) == 0;
}

static bool name_starts(const char *name, const char *prefix)
{
	return name && strncmp(name, prefix, strlen(prefix)) == 0;
}

static bool is_file(const struct vasx_region *r)
{
	return r->name && r->name[0] == '/' && !(r->flags & VASX_F_SPECIAL);
}

static enum vasx_kind classify_special(const struct vasx_region *r)
{
	if (name_is(r->name, "[heap]"))
		return VASX_KIND_HEAP;
	if (name_is(r->name, "[stack]"))
		return VASX_KIND_STACK;
	if (name_is(r->name, "[vdso]"))
		return VASX_KIND_VDSO;
	if (name_starts(r->name, "[vvar"))
		return VASX_KIND_VVAR;
	if (name_is(r->name, "[vsyscall]"))
		return VASX_KIND_VSYSCALL;
	if (name_starts(r->name, "[anon_shmem:"))
		return VASX_KIND_SHARED;
	return r->perms & VASX_P_SHARED ? VASX_KIND_SHARED : VASX_KIND_ANON;
}

static const struct vasx_thread *stack_owner(const struct vasx_region *r,
					     const struct vasx_thread *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].sp && vasx_region_contains(r, t[i].sp))
			return &t[i];
	return NULL;
}

void vasx_classify(struct vasx_region *r, const struct vasx_region *prev,
		   const struct vasx_stat *st, const struct vasx_thread *threads,
		   size_t nthreads)
{
	const struct vasx_thread *t;
	bool file = is_file(r);

	r->tid = 0;
	/* memfd and SysV shm files read "(deleted)" but were never on a disk. */
	if (name_starts(r->name, "/memfd:") || name_starts(r->name, "/SYSV"))
		r->flags &= (uint8_t)~VASX_F_DELETED;

	if (!(r->perms & (VASX_P_READ | VASX_P_WRITE | VASX_P_EXEC))) {
		r->kind = VASX_KIND_GUARD;
	} else if (r->flags & VASX_F_SPECIAL) {
		r->kind = classify_special(r);
	} else if (name_starts(r->name, "/SYSV")) {
		r->kind = VASX_KIND_SHM;
	} else if (r->flags & VASX_F_DELETED) {
		r->kind = VASX_KIND_DELETED;
	} else if (r->perms & VASX_P_SHARED) {
		r->kind = VASX_KIND_SHARED;
	} else if (file && !name_starts(r->name, "/memfd:") &&
		   !name_is(r->name, "/anon_hugepage")) {
		if (r->perms & VASX_P_EXEC)
			r->kind = VASX_KIND_TEXT;
		else if (r->perms & VASX_P_WRITE)
			r->kind = VASX_KIND_DATA;
		else
			r->kind = VASX_KIND_RODATA;
	} else if (!r->name && prev && is_file(prev) && prev->last + 1 == r->start &&
		   prev->kind == VASX_KIND_DATA && prev->offset &&
		   (r->perms & VASX_P_WRITE) &&
		   !(r->perms & VASX_P_EXEC)) {
		r->kind = VASX_KIND_BSS;
	} else {
		r->kind = VASX_KIND_ANON;
	}

	if (r->kind == VASX_KIND_STACK && st)
		r->tid = st->pid;
	if (r->kind == VASX_KIND_ANON && !r->name && (r->perms & VASX_P_WRITE)) {
		t = stack_owner(r, threads, nthreads);
		if (t && (!st || t->tid != st->pid)) {
			r->kind = VASX_KIND_THREAD_STACK;
			r->tid = t->tid;
		}
	}
}
