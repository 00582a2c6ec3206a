/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --save DIR: keep a process's files as a tree the dir source reads back.
 *
 * The tree is made by a source that stands between the loader and the
 * live source and keeps a copy of every file the loader reads, so the
 * saved tree holds exactly what a snapshot needs, whatever the loader
 * reads now or later, and reading it back gives the same snapshot.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vasx/export.h"
#include "vasx/source.h"
#include "vasx/vas.h"

int vasx_write_atomic(const char *path, int (*fn)(FILE *f, void *ctx), void *ctx)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 16);
	mode_t mask;
	FILE *f;
	int fd, err;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, len + 16, "%s.tmpXXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	/* mkstemp makes 0600; give the file the mode a plain create would. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || !(f = fdopen(fd, "w"))) {
		err = -errno;
		close(fd);
		goto fail;
	}
	err = fn(f, ctx);
	if (fflush(f) || ferror(f))
		err = err ? err : -(errno ? errno : EIO);
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		goto fail;
	free(tmp);
	return 0;
fail:
	unlink(tmp);
	free(tmp);
	return err;
}

/* mkdir -p of the directory part of @path (which is modified and restored). */
static int make_parents(char *path)
{
	char *p;

	for (p = path + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			int err = -errno;

			*p = '/';
			return err;
		}
		*p = '/';
	}
	return 0;
}

struct tee_source {
	struct vasx_source base;
	struct vasx_source *inner;
	const char *dir;
	int err;		/* the first error writing the tree */
};

static int tee_path(struct tee_source *t, int pid, const char *name, char *buf, size_t len)
{
	int n;

	if (strstr(name, "..") || name[0] == '/')
		return -EINVAL;
	if (pid > 0)
		n = snprintf(buf, len, "%s/%d/%s", t->dir, pid, name);
	else
		n = snprintf(buf, len, "%s/%s", t->dir, name);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return make_parents(buf);
}

struct copy_ctx {
	const char *buf;
	size_t len;
};

static int write_copy(FILE *f, void *ctx)
{
	struct copy_ctx *c = ctx;

	if (c->len && fwrite(c->buf, 1, c->len, f) != c->len)
		return -(errno ? errno : EIO);
	return 0;
}

static int tee_fopen(struct vasx_source *src, int pid, const char *name, FILE **out)
{
	struct tee_source *t = (struct tee_source *)src;
	char path[PATH_MAX];
	struct copy_ctx c;
	char *buf;
	int err;

	err = vasx_source_slurp(t->inner, pid, name, &buf, &c.len);
	if (err)
		return err;
	c.buf = buf;
	err = tee_path(t, pid, name, path, sizeof(path));
	if (!err)
		err = vasx_write_atomic(path, write_copy, &c);
	free(buf);
	if (err) {
		if (!t->err)
			t->err = err;
		return err;
	}
	/* Read the copy back: the loader sees what was saved. */
	*out = fopen(path, "re");
	return *out ? 0 : -errno;
}

static int tee_open_fd(struct vasx_source *src, int pid, const char *name, int *out)
{
	struct tee_source *t = (struct tee_source *)src;

	return t->inner->ops->open_fd(t->inner, pid, name, out);
}

static bool tee_pid_exists(struct vasx_source *src, int pid)
{
	struct tee_source *t = (struct tee_source *)src;

	return t->inner->ops->pid_exists(t->inner, pid);
}

/*
 * A tree saved over an older one of the same process: drop the threads that
 * have exited since (the files the loader reads of each), or reading the
 * tree back would list them.
 */
static void prune_threads(struct tee_source *t, int pid, const int *ids, size_t n)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d;

	if (snprintf(path, sizeof(path), "%s/%d/task", t->dir, pid) >= (int)sizeof(path))
		return;
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char *end;
		long tid = strtol(e->d_name, &end, 10);
		size_t i;
		int fd;

		if (end == e->d_name || *end || tid <= 0)
			continue;
		for (i = 0; i < n && ids[i] != tid; i++)
			;
		if (i < n)
			continue;
		fd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			unlinkat(fd, "comm", 0);
			unlinkat(fd, "syscall", 0);
			close(fd);
		}
		unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

/* Listing a process's threads: make their directories so the tree lists them too. */
static int tee_list_ids(struct vasx_source *src, int pid, int **out, size_t *n)
{
	struct tee_source *t = (struct tee_source *)src;
	char name[32], path[PATH_MAX];
	size_t i;
	int err;

	err = t->inner->ops->list_ids(t->inner, pid, out, n);
	if (err || pid <= 0)
		return err;
	prune_threads(t, pid, *out, *n);
	for (i = 0; i < *n; i++) {
		snprintf(name, sizeof(name), "task/%d/", (*out)[i]);
		err = tee_path(t, pid, name, path, sizeof(path));
		if (err && !t->err)
			t->err = err;
	}
	return 0;
}

static void tee_close(struct vasx_source *src)
{
	(void)src;
}

static const struct vasx_source_ops tee_ops = {
	.name = "save",
	.fopen = tee_fopen,
	.open_fd = tee_open_fd,
	.pid_exists = tee_pid_exists,
	.list_ids = tee_list_ids,
	.close = tee_close,
};

/* Copy a file if the source has it: a missing or unreadable one is no error. */
static void copy_optional(struct tee_source *t, int pid, const char *name)
{
	FILE *f;

	if (!tee_fopen(&t->base, pid, name, &f))
		fclose(f);
}

struct save_note {
	int pid;
	const char *source;
};

static int write_note(FILE *f, void *ctx)
{
	const struct save_note *n = ctx;

	fprintf(f, "vasx-save 1\npid %d\nsource %s\n", n->pid, n->source);
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

int vasx_save_tree(struct vasx_source *src, int pid, const char *dir)
{
	struct tee_source t = {
		.base = { .ops = &tee_ops, .root = src->root, .live = src->live },
		.inner = src,
		.dir = dir,
	};
	struct save_note note = { pid, src->ops->name };
	struct vasx_snapshot *snap;
	char path[PATH_MAX], piddir[PATH_MAX];
	bool made, new_pid;
	int err;

	made = mkdir(dir, 0755) == 0;
	if (!made && errno != EEXIST)
		return -errno;
	if (snprintf(piddir, sizeof(piddir), "%s/%d", dir, pid) >= (int)sizeof(piddir))
		return -ENAMETOOLONG;
	new_pid = access(piddir, F_OK) < 0 && errno == ENOENT;
	err = vasx_snapshot_load(&t.base, pid, VASX_LOAD_ALL, &snap);
	if (err) {
		/* A tree begun here and not finished would read back as a process. */
		if (made || new_pid)
			nftw(made ? dir : piddir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		return err;
	}
	vasx_snapshot_free(snap);
	/*
	 * What a lighter load reads instead (maps without smaps, the rollup),
	 * and meminfo, which the live source asks libproc2 for.
	 */
	copy_optional(&t, pid, "maps");
	copy_optional(&t, pid, "smaps_rollup");
	copy_optional(&t, 0, "meminfo");
	if (t.err)
		return t.err;
	if (snprintf(path, sizeof(path), "%s/vasx-save", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	return vasx_write_atomic(path, write_note, &note);
}
