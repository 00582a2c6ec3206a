/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --debug: a source standing before the real one that reads each file
 * whole, says on stderr where it came from, how many bytes it held and how
 * long opening and reading took, and hands the loader the bytes it read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/source.h"
#include "vasx/status.h"
#include "cli.h"

struct trace_source {
	struct vasx_source base;
	struct vasx_source *inner;
	char **bufs;		/* what was read, freed with the source */
	size_t nbufs;
};

static void where(const struct vasx_source *src, int pid, const char *name, char *buf,
		  size_t len)
{
	if (src->live && !strncmp(name, "vasx/", 5))
		snprintf(buf, len, "/sys/kernel/debug/%s", name);
	else if (pid > 0)
		snprintf(buf, len, "%s/%d/%s", src->root, pid, name);
	else
		snprintf(buf, len, "%s/%s", src->root, name);
}

static int trace_fopen(struct vasx_source *src, int pid, const char *name, FILE **out)
{
	struct trace_source *t = (struct trace_source *)src;
	double t0 = vasx_cli_now_ms();
	char path[512], **v;
	size_t len = 0;
	char *buf;
	int err = vasx_source_slurp(t->inner, pid, name, &buf, &len);

	where(t->inner, pid, name, path, sizeof(path));
	if (err) {
		fprintf(stderr, "vasx: debug: %s: %s (%.3f ms)\n", path, vasx_strerror(err),
			vasx_cli_now_ms() - t0);
		return err;
	}
	fprintf(stderr, "vasx: debug: read %s: %zu bytes in %.3f ms\n", path, len,
		vasx_cli_now_ms() - t0);
	v = realloc(t->bufs, (t->nbufs + 1) * sizeof(*v));
	if (!v) {
		free(buf);
		return -ENOMEM;
	}
	t->bufs = v;
	t->bufs[t->nbufs++] = buf;
	/* An empty file (a kernel thread's maps) still opens, as the real one does. */
	*out = len ? fmemopen(buf, len, "r") : fopen("/dev/null", "re");
	return *out ? 0 : -errno;
}

static int trace_open_fd(struct vasx_source *src, int pid, const char *name, int *out)
{
	struct trace_source *t = (struct trace_source *)src;
	double t0 = vasx_cli_now_ms();
	char path[512];
	int err = t->inner->ops->open_fd(t->inner, pid, name, out);

	where(t->inner, pid, name, path, sizeof(path));
	fprintf(stderr, "vasx: debug: opened %s: %s (%.3f ms)\n", path,
		err ? vasx_strerror(err) : "ok", vasx_cli_now_ms() - t0);
	return err;
}

static bool trace_pid_exists(struct vasx_source *src, int pid)
{
	struct trace_source *t = (struct trace_source *)src;

	return t->inner->ops->pid_exists(t->inner, pid);
}

static int trace_list_ids(struct vasx_source *src, int pid, int **out, size_t *n)
{
	struct trace_source *t = (struct trace_source *)src;
	double t0 = vasx_cli_now_ms();
	int err = t->inner->ops->list_ids(t->inner, pid, out, n);

	if (pid > 0)
		fprintf(stderr, "vasx: debug: listed %s/%d/task: %zu threads in %.3f ms\n",
			t->inner->root, pid, err ? 0 : *n, vasx_cli_now_ms() - t0);
	else
		fprintf(stderr, "vasx: debug: listed %s: %zu processes in %.3f ms\n",
			t->inner->root, err ? 0 : *n, vasx_cli_now_ms() - t0);
	return err;
}

static void trace_close(struct vasx_source *src)
{
	struct trace_source *t = (struct trace_source *)src;

	while (t->nbufs)
		free(t->bufs[--t->nbufs]);
	free(t->bufs);
	vasx_source_close(t->inner);
	free(t);
}

static const struct vasx_source_ops trace_ops = {
	.name = "debug",
	.fopen = trace_fopen,
	.open_fd = trace_open_fd,
	.pid_exists = trace_pid_exists,
	.list_ids = trace_list_ids,
	.close = trace_close,
};

int vasx_cli_trace_source(struct vasx_source *inner, struct vasx_source **out)
{
	struct trace_source *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base.ops = &trace_ops;
	t->base.root = inner->root;
	t->base.live = inner->live;
	t->inner = inner;
	*out = &t->base;
	return 0;
}
