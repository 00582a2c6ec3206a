/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sources of facts: the live system (/proc, debugfs) or a directory laid
 * out like /proc. Both resolve a (pid, name) pair to a path and differ only
 * in their roots, so fixtures, saved snapshots and the live system are read
 * by the same code.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vasx/source.h"

#define DEBUGFS_VASX "/sys/kernel/debug/"

static int source_path(struct vasx_source *src, int pid, const char *name,
		       char *buf, size_t len)
{
	int n;

	if (src->live && strncmp(name, "vasx/", 5) == 0)
		n = snprintf(buf, len, DEBUGFS_VASX "%s", name);
	else if (pid > 0)
		n = snprintf(buf, len, "%s/%d/%s", src->root, pid, name);
	else
		n = snprintf(buf, len, "%s/%s", src->root, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void trace(struct vasx_source *src, const char *path, int err, double t0)
{
	if (src->trace)
		src->trace(src->trace_ctx, path, err, now_ms() - t0);
}

static int common_fopen(struct vasx_source *src, int pid, const char *name, FILE **out)
{
	char path[PATH_MAX];
	double t0 = now_ms();
	int err = source_path(src, pid, name, path, sizeof(path));

	if (err)
		return err;
	*out = fopen(path, "re");
	err = *out ? 0 : -errno;
	trace(src, path, err, t0);
	return err;
}

static int common_open_fd(struct vasx_source *src, int pid, const char *name, int *out)
{
	char path[PATH_MAX];
	double t0 = now_ms();
	int err = source_path(src, pid, name, path, sizeof(path));

	if (err)
		return err;
	*out = open(path, O_RDONLY | O_CLOEXEC);
	err = *out >= 0 ? 0 : -errno;
	trace(src, path, err, t0);
	return err;
}

static bool common_pid_exists(struct vasx_source *src, int pid)
{
	char path[PATH_MAX];
	struct stat st;

	if (source_path(src, pid, "", path, sizeof(path)))
		return false;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int common_list_ids(struct vasx_source *src, int pid, int **out, size_t *n)
{
	char path[PATH_MAX];
	size_t cap = 64, cnt = 0;
	struct dirent *de;
	int *ids, err;
	DIR *d;

	err = source_path(src, pid, pid > 0 ? "task" : "", path, sizeof(path));
	if (err)
		return err;
	d = opendir(path);
	if (!d)
		return -errno;
	ids = malloc(cap * sizeof(*ids));
	if (!ids) {
		closedir(d);
		return -ENOMEM;
	}
	while ((de = readdir(d))) {
		char *end;
		long v = strtol(de->d_name, &end, 10);

		/*
		 * Only names as the kernel writes them: in a saved tree "05" or
		 * "+5" beside "5" would list one process twice.
		 */
		if (*end || de->d_name[0] < '1' || de->d_name[0] > '9' || v > INT_MAX)
			continue;
		if (cnt == cap) {
			int *t = realloc(ids, 2 * cap * sizeof(*ids));

			if (!t) {
				free(ids);
				closedir(d);
				return -ENOMEM;
			}
			ids = t;
			cap *= 2;
		}
		ids[cnt++] = (int)v;
	}
	closedir(d);
	qsort(ids, cnt, sizeof(*ids), cmp_int);
	*out = ids;
	*n = cnt;
	return 0;
}

static void common_close(struct vasx_source *src)
{
	free(src->root);
	free(src);
}

static const struct vasx_source_ops live_ops = {
	.name = "live",
	.fopen = common_fopen,
	.open_fd = common_open_fd,
	.pid_exists = common_pid_exists,
	.list_ids = common_list_ids,
	.close = common_close,
};

static const struct vasx_source_ops dir_ops = {
	.name = "dir",
	.fopen = common_fopen,
	.open_fd = common_open_fd,
	.pid_exists = common_pid_exists,
	.list_ids = common_list_ids,
	.close = common_close,
};

static int source_new(const struct vasx_source_ops *ops, const char *root, bool live,
		      struct vasx_source **out)
{
	struct vasx_source *src = calloc(1, sizeof(*src));

	if (!src)
		return -ENOMEM;
	src->root = strdup(root);
	if (!src->root) {
		free(src);
		return -ENOMEM;
	}
	src->ops = ops;
	src->live = live;
	*out = src;
	return 0;
}

int vasx_source_open_live(struct vasx_source **out)
{
	return source_new(&live_ops, "/proc", true, out);
}

int vasx_source_open_dir(const char *root, struct vasx_source **out)
{
	struct stat st;
	size_t len;
	int err;

	if (stat(root, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	err = source_new(&dir_ops, root, false, out);
	if (err)
		return err;
	len = strlen((*out)->root);
	while (len > 1 && (*out)->root[len - 1] == '/')
		(*out)->root[--len] = '\0';
	return 0;
}

void vasx_source_close(struct vasx_source *src)
{
	if (src)
		src->ops->close(src);
}

int vasx_source_slurp(struct vasx_source *src, int pid, const char *name, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *b;
	FILE *f;
	int err = vasx_source_fopen(src, pid, name, &f);

	if (err)
		return err;
	b = malloc(cap);
	if (!b) {
		fclose(f);
		return -ENOMEM;
	}
	for (;;) {
		size_t got = fread(b + n, 1, cap - n - 1, f);

		n += got;
		if (got == 0)
			break;
		if (n + 1 == cap) {
			char *t = realloc(b, cap * 2);

			if (!t) {
				free(b);
				fclose(f);
				return -ENOMEM;
			}
			b = t;
			cap *= 2;
		}
	}
	err = ferror(f) ? -(errno ? errno : EIO) : 0;
	fclose(f);
	if (err) {
		free(b);
		return err;
	}
	b[n] = '\0';
	*buf = b;
	if (len)
		*len = n;
	return 0;
}
