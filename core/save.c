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
#include <sys/file.h>
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

/* Remove the tree under @path, if any. */
static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * A tree being built holds this file, locked by the save that builds it
 * for as long as that process lives. A vasx that dies of a signal it can
 * catch removes its tree; one killed outright (SIGKILL) leaves it, and the
 * lock, which the kernel drops with the process, is then the proof that a
 * later save may remove it.
 */
#define MARK_NAME ".vasx-saving"
#define MARK_TEXT "vasx --save is building this tree\n"
#define MARK_LEN (sizeof(MARK_TEXT) - 1)

/* Mark @tmp as being built, the mark at @path: its locked descriptor, or -errno. */
static int mark_tree(const char *tmp, char *path, size_t len)
{
	int fd, err;

	if (snprintf(path, len, "%s/" MARK_NAME, tmp) >= (int)len)
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	/* locked before it says anything: an empty mark proves nothing */
	errno = 0;
	if (flock(fd, LOCK_EX) == 0 && write(fd, MARK_TEXT, MARK_LEN) == (ssize_t)MARK_LEN)
		return fd;
	err = -(errno ? errno : EIO);
	close(fd);
	return err;
}

/*
 * Is @name (of the pattern) in the directory @at a tree a killed save left?
 * A directory of this user, not a link, holding a whole mark that no live
 * process holds locked.
 */
static bool abandoned(int at, const char *name)
{
	char text[MARK_LEN + 1];
	struct stat st;
	bool dead = false;
	int dfd, fd;

	if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid())
		return false;
	dfd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return false;
	fd = openat(dfd, MARK_NAME, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	close(dfd);
	if (fd < 0)
		return false;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		dead = pread(fd, text, sizeof(text), 0) == (ssize_t)MARK_LEN &&
		       !memcmp(text, MARK_TEXT, MARK_LEN);
	close(fd);
	return dead;
}

/* Remove the abandoned trees in @dir named @prefix and six characters of mkdtemp. */
static void clear_abandoned(const char *dir, const char *prefix)
{
	size_t plen = strlen(prefix);
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, plen) || strlen(e->d_name + plen) != 6 ||
		    !abandoned(dirfd(d), e->d_name))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < (int)sizeof(path))
			remove_tree(path);
	}
	closedir(d);
}

/*
 * Before a save to @base, the trees earlier saves to it were killed in the
 * middle of: inside it (an existing DIR) and beside it (a new one).
 */
static void clear_earlier(const char *base)
{
	char parent[PATH_MAX], prefix[NAME_MAX + 8];
	const char *slash = strrchr(base, '/');
	const char *name = slash ? slash + 1 : base;

	clear_abandoned(base, ".vasx-save.");
	if (!*name || strlen(name) > NAME_MAX - 10)
		return;
	if (!slash)
		strcpy(parent, ".");
	else
		snprintf(parent, sizeof(parent), "%.*s", slash == base ? 1 : (int)(slash - base),
			 base);
	snprintf(prefix, sizeof(prefix), "%s.tmp", name);
	clear_abandoned(parent, prefix);
}

/*
 * Put @name of the finished tree @tmp into @dir: a file by rename, which
 * replaces the old one at once; a directory (the process's, sys/) by
 * exchanging it with the old one, which is then removed.
 */
static int install_entry(const char *tmp, const char *dir, const char *name)
{
	char from[PATH_MAX], to[PATH_MAX], old[PATH_MAX];
	struct stat st;

	if (snprintf(from, sizeof(from), "%s/%s", tmp, name) >= (int)sizeof(from) ||
	    snprintf(to, sizeof(to), "%s/%s", dir, name) >= (int)sizeof(to))
		return -ENAMETOOLONG;
	if (lstat(to, &st) < 0 || !S_ISDIR(st.st_mode))
		return rename(from, to) < 0 ? -errno : 0;
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE) == 0) {
		remove_tree(from);
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -errno;
	/* A file system that cannot exchange: the old one out of the way first. */
	if (snprintf(old, sizeof(old), "%s/.old-%s", tmp, name) >= (int)sizeof(old))
		return -ENAMETOOLONG;
	if (rename(to, old) < 0)
		return -errno;
	if (rename(from, to) < 0) {
		int err = -errno;

		rename(old, to);
		return err;
	}
	remove_tree(old);
	return 0;
}

/*
 * Move what @tmp holds into the existing @dir, the vasx-save note last.
 * The names are read first: moving entries while reading @tmp could skip
 * or repeat some.
 */
static int install_tree(const char *tmp, const char *dir)
{
	char **names = NULL, **more;
	size_t n = 0, i;
	struct dirent *e;
	int err = 0;
	DIR *d = opendir(tmp);

	if (!d)
		return -errno;
	while (!err && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, "vasx-save") || !strcmp(e->d_name, MARK_NAME))
			continue;
		more = realloc(names, (n + 1) * sizeof(*names));
		if (!more || !(more[n] = strdup(e->d_name))) {
			names = more ? more : names;
			err = -ENOMEM;
			break;
		}
		names = more;
		n++;
	}
	closedir(d);
	for (i = 0; i < n; i++) {
		if (!err)
			err = install_entry(tmp, dir, names[i]);
		free(names[i]);
	}
	free(names);
	return err ? err : install_entry(tmp, dir, "vasx-save");
}

/* The tree of @pid, whole, under @tmp. */
static int save_into(struct vasx_source *src, int pid, const char *tmp)
{
	struct tee_source t = {
		.base = { .ops = &tee_ops, .root = src->root, .live = src->live },
		.inner = src,
		.dir = tmp,
	};
	struct save_note note = { pid, src->ops->name };
	struct vasx_snapshot *snap;
	char path[PATH_MAX];
	int err;

	err = vasx_snapshot_load(&t.base, pid, VASX_LOAD_ALL, &snap);
	if (err)
		return t.err ? t.err : err;
	/*
	 * What a lighter load reads instead (maps without smaps, the rollup),
	 * and meminfo, which the live source asks libproc2 for.
	 */
	copy_optional(&t, pid, "maps");
	copy_optional(&t, pid, "smaps_rollup");
	copy_optional(&t, 0, "meminfo");
	/* of the same process, not of one that took its pid or is exiting */
	err = t.err ? t.err : vasx_snapshot_recheck(src, snap);
	vasx_snapshot_free(snap);
	if (err)
		return err;
	if (snprintf(path, sizeof(path), "%s/vasx-save", tmp) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	return vasx_write_atomic(path, write_note, &note);
}

/*
 * The tree is made whole under a temporary name on the same file system,
 * then moved into place: a save that fails (the process exited, the disk
 * is full) leaves no half tree, and an older tree in @dir as it was. A new
 * @dir is a sibling renamed at the end; an existing one gets a temporary
 * directory inside it whose entries replace the old ones. Either is marked
 * (mark_tree()) until it is moved into place.
 */
int vasx_save_tree(struct vasx_source *src, int pid, const char *dir)
{
	char base[PATH_MAX], tmp[PATH_MAX], mark[PATH_MAX];
	size_t len = strlen(dir);
	struct stat st;
	bool exists;
	mode_t mask;
	int err, fd;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len >= sizeof(base) - 32)
		return -ENAMETOOLONG;
	memcpy(base, dir, len);
	base[len] = '\0';
	exists = stat(base, &st) == 0;
	if (exists && !S_ISDIR(st.st_mode))
		return -ENOTDIR;
	clear_earlier(base);
	snprintf(tmp, sizeof(tmp), exists ? "%s/.vasx-save.XXXXXX" : "%s.tmpXXXXXX", base);
	if (!mkdtemp(tmp))
		return -errno;
	fd = mark_tree(tmp, mark, sizeof(mark));
	err = fd < 0 ? fd : 0;
	/* mkdtemp makes 0700; the tree gets the mode a plain mkdir gives. */
	mask = umask(0);
	umask(mask);
	if (!err && chmod(tmp, 0755 & ~mask) < 0)
		err = -errno;
	if (!err)
		err = save_into(src, pid, tmp);
	if (!err && exists)
		err = install_tree(tmp, base);
	else if (!err && (unlink(mark) < 0 || rename(tmp, base) < 0))
		err = -errno;
	if (err || exists)
		remove_tree(tmp);
	if (fd >= 0)
		close(fd);
	return err;
}
