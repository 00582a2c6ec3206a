/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target: a whole saved snapshot tree, what --proc-root and
 * --diff read. The input is the tree's files as text:
 *
 *   === 42/maps
 *   (the file's bytes, up to the next line that starts with "=== ")
 *   === 42/task/42/syscall
 *   ...
 *   === ----
 *   === 42/smaps
 *
 * A header names a file relative to the tree's root. Files after "=== ----"
 * form a second tree: the first with those files replaced or added, for
 * --diff A B. Each process of a tree loads as the program loads it,
 * builds, looks its addresses up and goes through every exporter; the
 * process the tree holds is compared with itself and with the second
 * tree's, as --diff does, and saved with --save: the saved tree, read
 * back through the directory source, must give the same snapshot. The
 * tree itself is also written to disk and read by the directory source,
 * which must see what the in-memory source (check.c) sees.
 */
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vasx/diff.h"
#include "vasx/export.h"
#include "vasx/proc.h"
#include "vasx/source.h"
#include "vasx/status.h"
#include "vasx/vas.h"
#include "check.h"

#define MAX_FILES 64
#define MAX_PIDS 3

struct tree {
	struct fz_file files[MAX_FILES];
	size_t n;
};

/* Split the input into the two trees; the second starts as a copy of the first. */
static void tree_split(char *buf, size_t size, struct tree *a, struct tree *b)
{
	char *p = buf, *end = buf + size;
	struct tree *t = a;
	struct fz_file *cur = NULL;

	b->n = 0;
	a->n = 0;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl ? nl : end;

		if (eol - p >= 4 && !memcmp(p, "=== ", 4)) {
			*eol = '\0';
			if (cur)
				cur->len = (size_t)(p - cur->data);
			cur = NULL;
			if (!strcmp(p + 4, "----") && t == a) {
				memcpy(b->files, a->files, a->n * sizeof(a->files[0]));
				b->n = a->n;
				t = b;
			} else if (t->n < MAX_FILES) {
				cur = &t->files[t->n++];
				cur->name = p + 4;
				cur->data = nl ? nl + 1 : end;
				cur->len = 0;
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (cur)
		cur->len = (size_t)(end - cur->data);
	if (t == a) {
		memcpy(b->files, a->files, a->n * sizeof(a->files[0]));
		b->n = a->n;
	}
}

/* The process a tree holds, as --diff chooses it: its only pid, or the note's. */
static int tree_pid(struct vasx_source *src)
{
	char *note, *p;
	int *ids, pid;
	size_t n;

	if (src->ops->list_ids(src, 0, &ids, &n))
		return 0;
	pid = n == 1 ? ids[0] : 0;
	free(ids);
	if (n > 1 && !vasx_source_slurp(src, 0, "vasx-save", &note, NULL)) {
		p = strstr(note, "\npid ");
		if (p) {
			long v = strtol(p + 5, NULL, 10);

			pid = v > 0 && v < 1 << 30 ? (int)v : 0;
		}
		free(note);
	}
	return pid;
}

/* --maps over every process, as the process picker lists them. */
static void fuzz_proclist(struct vasx_source *src)
{
	struct vasx_proclist pl = { 0 };
	struct vasx_meminfo mi;
	size_t n;
	int *pids;

	if (!vasx_proclist_load(src, &pl)) {
		for (size_t i = 0; i < pl.n; i++)
			if (!pl.v[i].cmdline || !memchr(pl.v[i].comm, '\0', sizeof(pl.v[i].comm)))
				fz_fail("proclist", "a process without a command line or a name's end");
		if (!vasx_proclist_select(&pl, NULL, NULL, &pids, &n))
			free(pids);
		vasx_proclist_release(&pl);
	}
	vasx_meminfo_load(src, &mi);
}

static void check_diff(const struct vasx_snapshot *a, const struct vasx_snapshot *b, bool same)
{
	struct vasx_diff d = { 0 };
	struct fz_out o;

	if (vasx_diff(a, b, &d))
		abort();
	if (same && d.n)
		fz_fail("diff", "a snapshot differs from itself");
	for (size_t i = 0; i < d.n; i++)
		if (d.v[i].start > d.v[i].last || (i && d.v[i].start < d.v[i - 1].start))
			fz_fail("diff", "changes out of order or with a bad range");
	fz_out_open(&o);
	if (vasx_export_diff(o.f, &d, false))
		fz_fail("diff", "the text export failed on a good stream");
	fz_out_close(&o);
	fz_check_text("diff", o.buf, o.len);
	fz_out_free(&o);
	fz_out_open(&o);
	if (vasx_export_diff(o.f, &d, true))
		fz_fail("diff", "the JSON export failed on a good stream");
	fz_out_close(&o);
	fz_check_json("diff", o.buf, o.len);
	fz_out_free(&o);
	vasx_diff_release(&d);
}

static struct vasx_snapshot *load(struct vasx_source *src, int pid, unsigned what)
{
	struct vasx_snapshot *s = NULL;
	int err = vasx_snapshot_load(src, pid, what, &s);

	if (err == -ENOMEM)
		abort();
	if (!err)
		fz_check_snapshot(s);
	return s;
}

/* Every process (a few) as the graph, table and JSON load it. */
static void fuzz_processes(struct vasx_source *src, unsigned variant)
{
	size_t n;
	int *ids;

	if (src->ops->list_ids(src, 0, &ids, &n))
		return;
	for (size_t i = 0; i < n && i < MAX_PIDS; i++) {
		struct vasx_snapshot *s = load(src, ids[i], VASX_LOAD_ALL);

		if (s) {
			fz_render(s, variant + (unsigned)i);
			vasx_snapshot_free(s);
		}
		vasx_snapshot_free(load(src, ids[i], 0));	/* --maps */
	}
	free(ids);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_region(const struct vasx_snapshot *a, const struct vasx_region *x,
			const struct vasx_snapshot *b, const struct vasx_region *y)
{
	const struct vasx_smaps *p = vasx_region_smaps(a, x), *q = vasx_region_smaps(b, y);

	if (x->start != y->start || x->last != y->last || x->kind != y->kind ||
	    x->flags != y->flags || x->perms != y->perms || x->depth != y->depth ||
	    x->offset != y->offset || x->inode != y->inode || x->tid != y->tid ||
	    !same_str(x->name, y->name) || !same_str(x->desc, y->desc) || !p != !q)
		return false;
	return !p || (!memcmp(p->v, q->v, sizeof(p->v)) && p->present == q->present &&
		      same_str(p->vmflags, q->vmflags));
}

static void check_same(const char *what, const struct vasx_snapshot *a,
		       const struct vasx_snapshot *b)
{
	if (a->nregions != b->nregions || a->nthreads != b->nthreads ||
	    a->stat.starttime != b->stat.starttime || strcmp(a->stat.comm, b->stat.comm) ||
	    strcmp(a->status.name, b->status.name) || !same_str(a->cmdline, b->cmdline) ||
	    a->kernel.source != b->kernel.source || a->va_bits != b->va_bits)
		fz_fail(what, "the tree reads back as another process");
	for (size_t i = 0; i < a->nregions; i++)
		if (!same_region(a, &a->regions[i], b, &b->regions[i]))
			fz_fail(what, "the tree reads back with another region");
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static char scratch[64];

static void scratch_remove(void)
{
	rmdir(scratch);
}

/* A scratch directory of this process, on tmpfs when there is one. */
static const char *scratch_dir(void)
{
	char *dir = scratch;

	if (!dir[0]) {
		snprintf(dir, sizeof(scratch), "/dev/shm/vasx-fuzz-%d", (int)getpid());
		if (mkdir(dir, 0700) && errno != EEXIST) {
			snprintf(dir, sizeof(scratch), "/tmp/vasx-fuzz-%d", (int)getpid());
			if (mkdir(dir, 0700) && errno != EEXIST)
				abort();
		}
		atexit(scratch_remove);
	}
	return dir;
}

/* --save DIR, then --proc-root DIR: the same snapshot as straight from the tree. */
static void check_save(struct vasx_source *src, int pid, const struct vasx_snapshot *want)
{
	char dir[128];
	struct vasx_source *back;
	struct vasx_snapshot *got;
	int err;

	snprintf(dir, sizeof(dir), "%s/tree", scratch_dir());
	err = vasx_save_tree(src, pid, dir);
	if (err == -ENOMEM || err == -ENOSPC)
		abort();
	if (!err) {
		if (vasx_source_open_dir(dir, &back))
			fz_fail("save", "the saved tree cannot be opened");
		err = vasx_snapshot_load(back, pid, VASX_LOAD_ALL, &got);
		if (err)
			fz_fail("save", "the saved tree does not load");
		check_same("save", want, got);
		vasx_snapshot_free(got);
		vasx_source_close(back);
	}
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A name the tree can hold on disk: relative, no "." or ".." part, no empty one. */
static bool disk_name(const char *name)
{
	const char *p = name;

	if (!*name || strlen(name) > 200)
		return false;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (!n || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!slash)
			return true;
		p = slash + 1;
	}
}

/* Write @t's files under @dir; false when they cannot all be (a file and a directory of one name). */
static bool write_tree(const struct tree *t, const char *dir)
{
	for (size_t i = 0; i < t->n; i++) {
		char path[512], *p;
		FILE *f;

		if (!disk_name(t->files[i].name))
			return false;
		snprintf(path, sizeof(path), "%s/%s", dir, t->files[i].name);
		for (p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
			*p = '\0';
			if (mkdir(path, 0700) && errno != EEXIST)
				return false;
			*p = '/';
		}
		f = fopen(path, "w");
		if (!f)
			return false;
		if (t->files[i].len && fwrite(t->files[i].data, t->files[i].len, 1, f) != 1)
			abort();
		if (fclose(f))
			abort();
	}
	return true;
}

/*
 * The same tree written to disk and read by the directory source, as
 * --proc-root reads it: the same processes, and the first one the same.
 */
static void check_disk(const struct tree *t, struct vasx_source *mem)
{
	struct vasx_snapshot *a, *b;
	struct vasx_source *disk;
	int *ids = NULL, *dids = NULL;
	size_t n = 0, dn = 0;
	char dir[128];

	snprintf(dir, sizeof(dir), "%s/in", scratch_dir());
	if (mkdir(dir, 0700))
		abort();
	if (write_tree(t, dir)) {
		if (vasx_source_open_dir(dir, &disk))
			abort();
		if (mem->ops->list_ids(mem, 0, &ids, &n) || disk->ops->list_ids(disk, 0, &dids, &dn) ||
		    n != dn || (n && memcmp(ids, dids, n * sizeof(*ids))))
			fz_fail("tree", "the tree on disk lists other processes");
		if (n) {
			a = load(mem, ids[0], VASX_LOAD_ALL);
			b = load(disk, ids[0], VASX_LOAD_ALL);
			if (!a != !b)
				fz_fail("tree", "the tree on disk loads otherwise");
			if (a)
				check_same("tree on disk", a, b);
			vasx_snapshot_free(a);
			vasx_snapshot_free(b);
		}
		free(ids);
		free(dids);
		vasx_source_close(disk);
	}
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tree a, b;
	char *buf = fz_strdup(data, size);
	struct vasx_source *sa, *sb;
	struct vasx_snapshot *x, *y;
	int pid;

	tree_split(buf, size, &a, &b);
	sa = fz_source_new(a.files, a.n);
	sb = fz_source_new(b.files, b.n);
	fuzz_processes(sa, size ? data[0] | (unsigned)size << 8 : 0);
	check_disk(&a, sa);
	fuzz_proclist(sa);
	pid = tree_pid(sa);
	x = pid > 0 ? load(sa, pid, VASX_LOAD_ALL) : NULL;
	if (x) {
		check_save(sa, pid, x);
		vasx_snapshot_free(x);
	}
	x = pid > 0 ? load(sa, pid, VASX_LOAD_SMAPS) : NULL;
	if (x) {
		check_diff(x, x, true);
		y = load(sb, tree_pid(sb), VASX_LOAD_SMAPS);
		if (y) {
			check_diff(x, y, false);
			vasx_snapshot_free(y);
		}
		vasx_snapshot_free(x);
	}
	vasx_source_close(sa);
	vasx_source_close(sb);
	free(buf);
	return 0;
}
