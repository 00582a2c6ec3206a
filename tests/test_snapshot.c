/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of loading snapshots: of this very process, and of processes that are gone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "vasx/source.h"
#include "vasx/status.h"
#include "vasx/strpool.h"
#include "vasx/vas.h"

static struct vasx_snapshot *load_self(unsigned what)
{
	struct vasx_source *src;
	struct vasx_snapshot *s = NULL;

	assert_int_equal(vasx_source_open_live(&src), 0);
	assert_int_equal(vasx_snapshot_load(src, getpid(), what, &s), 0);
	vasx_source_close(src);
	return s;
}

static void test_snapshot_self(void **state)
{
	int on_stack = 0;
	char *anon = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vasx_snapshot *s;
	const struct vasx_region *r;
	const struct vasx_smaps *sm;

	(void)state;
	assert_ptr_not_equal(anon, MAP_FAILED);
	memset(anon, 1, 2 * 4096);
	s = load_self(VASX_LOAD_SMAPS | VASX_LOAD_THREADS);

	r = vasx_snapshot_lookup(s, (uintptr_t)&on_stack);
	assert_int_equal(r->kind, VASX_KIND_STACK);
	r = vasx_snapshot_lookup(s, (uintptr_t)&load_self);
	assert_int_equal(r->kind, VASX_KIND_TEXT);
	assert_true(r->flags & VASX_F_MAPPING);
	assert_non_null(r->name);
	assert_non_null(strstr(r->name, program_invocation_short_name));

	r = vasx_snapshot_lookup(s, (uintptr_t)anon);
	assert_true(r->flags & VASX_F_MAPPING);
	sm = vasx_region_smaps(s, r);
	assert_non_null(sm);
	/* The two touched pages are resident (the mapping may have merged with a neighbour). */
	assert_true(sm->v[VASX_SM_RSS] >= 8);
	assert_int_equal(sm->v[VASX_SM_SIZE] * 1024, vasx_region_size(r));
	assert_non_null(sm->vmflags);
	assert_non_null(strstr(sm->vmflags, "rd"));

	assert_int_equal(s->stat.pid, getpid());
	assert_true(s->totals.map_count > 5);
	assert_true(s->totals.have_mem);
	assert_true(s->totals.rss_kb > 0);
	assert_true(s->totals.uss_kb <= s->totals.rss_kb);
	assert_true(s->totals.ram_total_kb > 0);
	assert_int_equal(s->smaps_err, 0);
	assert_int_equal(s->maps_malformed, 0);
	vasx_snapshot_free(s);
	munmap(anon, 3 * 4096);
}

static void test_snapshot_without_smaps(void **state)
{
	struct vasx_snapshot *s = load_self(VASX_LOAD_ROLLUP);

	(void)state;
	assert_null(s->smaps);
	assert_true(s->have_rollup);
	assert_true(s->totals.have_mem);
	assert_true(s->totals.rss_kb > 0);
	vasx_snapshot_free(s);
}

static void test_snapshot_gone(void **state)
{
	struct vasx_source *src;
	struct vasx_snapshot *s = NULL;
	pid_t child = fork();

	(void)state;
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	assert_int_equal(vasx_source_open_live(&src), 0);
	assert_int_equal(vasx_snapshot_load(src, child, VASX_LOAD_SMAPS, &s), -ESRCH);
	assert_null(s);
	assert_int_equal(vasx_snapshot_load(src, 0, 0, &s), -EINVAL);
	vasx_source_close(src);
}

static void test_snapshot_zombie(void **state)
{
	struct vasx_source *src;
	struct vasx_snapshot *s = NULL;
	pid_t child = fork();
	int err;

	(void)state;
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	/* Until reaped it is a zombie: its directory is there, its memory is not. */
	for (int i = 0; i < 200; i++) {
		char path[64], buf[512];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat", child);
		f = fopen(path, "r");
		if (f && fgets(buf, sizeof(buf), f) && strstr(buf, ") Z ")) {
			fclose(f);
			break;
		}
		if (f)
			fclose(f);
		usleep(5000);
	}
	assert_int_equal(vasx_source_open_live(&src), 0);
	err = vasx_snapshot_load(src, child, VASX_LOAD_SMAPS, &s);
	assert_int_equal(err, -VASX_E_EXITED);
	waitpid(child, NULL, 0);
	vasx_source_close(src);
}

/*
 * A fixture tree whose module layout the test writes and rewrites, as a
 * reload of the module would, counting the bytes of it that are read.
 */
struct layout_source {
	struct vasx_source base;
	struct vasx_source *inner;
	const char *layout;	/* NULL: no module */
	size_t bytes_read;
};

struct layout_reader {
	const char *p;
	size_t left;
	size_t *count;
};

static ssize_t layout_read(void *cookie, char *buf, size_t n)
{
	struct layout_reader *rd = cookie;

	if (n > rd->left)
		n = rd->left;
	memcpy(buf, rd->p, n);
	rd->p += n;
	rd->left -= n;
	*rd->count += n;
	return (ssize_t)n;
}

static int layout_reader_close(void *cookie)
{
	free(cookie);
	return 0;
}

static int layout_fopen(struct vasx_source *src, int pid, const char *name, FILE **out)
{
	struct layout_source *ls = (struct layout_source *)src;
	cookie_io_functions_t io = { .read = layout_read, .close = layout_reader_close };
	struct layout_reader *rd;

	if (pid || strcmp(name, "vasx/layout"))
		return ls->inner->ops->fopen(ls->inner, pid, name, out);
	if (!ls->layout)
		return -ENOENT;
	rd = malloc(sizeof(*rd));
	assert_non_null(rd);
	*rd = (struct layout_reader){ ls->layout, strlen(ls->layout), &ls->bytes_read };
	*out = fopencookie(rd, "r", io);
	assert_non_null(*out);
	return 0;
}

static int layout_open_fd(struct vasx_source *src, int pid, const char *name, int *out)
{
	struct layout_source *ls = (struct layout_source *)src;

	return ls->inner->ops->open_fd(ls->inner, pid, name, out);
}

static bool layout_pid_exists(struct vasx_source *src, int pid)
{
	struct layout_source *ls = (struct layout_source *)src;

	return ls->inner->ops->pid_exists(ls->inner, pid);
}

static int layout_list_ids(struct vasx_source *src, int pid, int **out, size_t *n)
{
	struct layout_source *ls = (struct layout_source *)src;

	return ls->inner->ops->list_ids(ls->inner, pid, out, n);
}

static void layout_close(struct vasx_source *src)
{
	struct layout_source *ls = (struct layout_source *)src;

	vasx_source_close(ls->inner);
}

static const struct vasx_source_ops layout_ops = {
	.name = "layout",
	.fopen = layout_fopen,
	.open_fd = layout_open_fd,
	.pid_exists = layout_pid_exists,
	.list_ids = layout_list_ids,
	.close = layout_close,
};

#define SLEEP_PID 3958

/* A module layout claiming @bits, its header followed by @nregions regions. */
static char *make_layout(unsigned version, unsigned bits, size_t nregions)
{
	size_t cap = 256 + nregions * 128, n;
	char *text = malloc(cap);

	assert_non_null(text);
	n = (size_t)snprintf(text, cap, "vasx-layout %u\narch x86_64\npage_size 4096\n"
			     "paging_levels %u\nuser_va_bits %u\ntask_size 0x%016llx\n", version,
			     bits > 47 ? 5 : 4, bits, (1ull << bits) - 4096);
	for (size_t i = 0; i < nregions; i++)
		n += (size_t)snprintf(text + n, cap - n, "region 0x%016llx 0x%016llx rw- vmalloc "
				      "a region description number %zu\n",
				      0xffffc90000000000ull + i * 0x2000,
				      0xffffc90000001000ull + i * 0x2000, i);
	return text;
}

static struct vasx_snapshot *load_layout(struct layout_source *ls, unsigned what)
{
	struct vasx_snapshot *s = NULL;

	assert_int_equal(vasx_snapshot_load(&ls->base, SLEEP_PID, what, &s), 0);
	return s;
}

/*
 * Without the kernel half, the module's layout gives the width of the user
 * half from its header: a reloaded module's new width is seen at once, and
 * the regions (all but a few lines of the file) are neither read nor kept.
 */
static void test_snapshot_module_va_bits(void **state)
{
	const char *top = getenv("TOP");
	char root[1024];
	struct layout_source ls = { 0 };
	struct vasx_snapshot *s;
	char *l56 = make_layout(1, 56, 40000), *l52 = make_layout(1, 52, 40000);
	char *l2 = make_layout(2, 56, 10);
	size_t no_module_pool, size = strlen(l56);

	(void)state;
	snprintf(root, sizeof(root), "%s/tests/fixtures/sleep", top ? top : ".");
	assert_int_equal(vasx_source_open_dir(root, &ls.inner), 0);
	ls.base.ops = &layout_ops;
	ls.base.root = ls.inner->root;

	/* No module: the width is guessed from the mappings, all below 2^47. */
	s = load_layout(&ls, VASX_LOAD_THREADS);
	assert_int_equal(s->va_bits, 47);
	no_module_pool = vasx_strpool_bytes(s->pool);
	vasx_snapshot_free(s);

	ls.layout = l56;
	s = load_layout(&ls, VASX_LOAD_THREADS);
	assert_int_equal(s->va_bits, 56);
	assert_int_equal(s->kernel.source, VASX_KSRC_NONE);
	/* One block at most of a file of megabytes, and no region interned. */
	assert_true(size > 2 * 1024 * 1024);
	assert_true(ls.bytes_read <= 128 * 1024);
	assert_int_equal(vasx_strpool_bytes(s->pool), no_module_pool);
	vasx_snapshot_free(s);

	/* Reloaded with another width, then a version this does not know, then gone. */
	ls.layout = l52;
	s = load_layout(&ls, VASX_LOAD_THREADS | VASX_LOAD_SMAPS);
	assert_int_equal(s->va_bits, 52);
	vasx_snapshot_free(s);
	ls.layout = l2;
	s = load_layout(&ls, VASX_LOAD_THREADS);
	assert_int_equal(s->va_bits, 47);
	vasx_snapshot_free(s);
	ls.layout = NULL;
	s = load_layout(&ls, VASX_LOAD_THREADS);
	assert_int_equal(s->va_bits, 47);
	vasx_snapshot_free(s);

	/* With the kernel half the whole file is still read, every region of it. */
	ls.layout = l56;
	ls.bytes_read = 0;
	s = load_layout(&ls, VASX_LOAD_THREADS | VASX_LOAD_KERNEL);
	assert_int_equal(s->va_bits, 56);
	assert_int_equal(s->kernel.source, VASX_KSRC_MODULE);
	assert_int_equal(s->kernel.nregions, 40000);
	assert_int_equal(ls.bytes_read, size);
	vasx_snapshot_free(s);

	vasx_source_close(&ls.base);
	free(l56);
	free(l52);
	free(l2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_self),
		cmocka_unit_test(test_snapshot_without_smaps),
		cmocka_unit_test(test_snapshot_gone),
		cmocka_unit_test(test_snapshot_zombie),
		cmocka_unit_test(test_snapshot_module_va_bits),
	};

	return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}
