/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target: the bytes as the vasx module's debugfs "tasks" file.
 * Parsed tasks have sane ids and names; choosing processes by the tasks'
 * own addresses finds them; the kernel objects join a snapshot that
 * covers the whole address space and goes through every exporter.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/klayout.h"
#include "vasx/source.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"
#include "check.h"

static void check_tasks(const struct vasx_ktask *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].pid < 0 || t[i].tgid < 0 || !memchr(t[i].comm, '\0', sizeof(t[i].comm)))
			fz_fail("tasks", "a negative id or a name without its end");
}

/* --task, --phys-task and --task-head with the first task's addresses. */
static void check_select(const struct vasx_ktask *t, size_t n)
{
	char kva[40], phys[40], head[24];
	size_t npids;
	int *pids, err;

	if (!n)
		return;
	snprintf(kva, sizeof(kva), "0x%llx,%llx", (unsigned long long)t[0].task,
		 (unsigned long long)t[n - 1].task);
	snprintf(phys, sizeof(phys), "%llx", (unsigned long long)t[0].task_phys);
	snprintf(head, sizeof(head), "0x%llx", (unsigned long long)t[n / 2].task);
	err = vasx_ktasks_select(t, n, kva, phys, head, &pids, &npids);
	if (err == -ENOMEM)
		abort();
	if (err && err != -ESRCH)
		fz_fail("tasks", "an address written by printf is refused");
	for (size_t i = 0; i < npids; i++) {
		size_t k;

		for (k = 0; k < n && t[k].tgid != pids[i]; k++)
			;
		if (pids[i] <= 0 || k == n)
			fz_fail("tasks", "a chosen pid no task has");
		for (k = 0; k < i; k++)
			if (pids[k] == pids[i])
				fz_fail("tasks", "a pid chosen twice");
	}
	free(pids);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vasx_snapshot *s = calloc(1, sizeof(*s));
	struct vasx_source *none = fz_source_new(NULL, 0);
	struct vasx_ktask *t = NULL;
	size_t n = 0, bad = 0;
	FILE *f = fz_open(data, size);
	int err = vasx_ktasks_parse(f, &t, &n, &bad);

	fclose(f);
	if (!s || err == -ENOMEM)
		abort();
	if (!err) {
		check_tasks(t, n);
		check_select(t, n);
		s->pool = vasx_strpool_new();
		s->pid = n ? t[0].tgid : 1;
		s->va_bits = size && data[0] & 1 ? 56 : 47;
		/* The documented layout: no module layout in an empty source. */
		if (!s->pool || vasx_klayout_load(none, s->va_bits, &s->kernel, s->pool))
			abort();
		s->ktasks = t;
		s->nktasks = n;
		t = NULL;
		if (vasx_snapshot_build(s, NULL, 0))
			abort();
		fz_check_snapshot(s);
		fz_render(s, size ? data[size - 1] | (unsigned)size << 8 : 0);
	}
	free(t);
	vasx_snapshot_free(s);
	vasx_source_close(none);
	return 0;
}
