/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vasx-testproc: a process whose address space the tests choose.
 *
 * It creates the mappings asked for on the command line, prints where they
 * are, then waits: for a signal, for its stdin (a pipe) to close, or for its
 * timeout. With --churn it keeps changing its mappings and says how; with
 * --storm it changes them as fast as it can, silently, to race readers.
 *
 * Output, one fact per line, flushed as it goes:
 *
 *	pid 4242
 *	dir /tmp/vasx-testproc.Ab12Cd
 *	NAME 0xSTART 0xEND [more]	one line per interesting region
 *	ready
 *	step N ACTION 0xSTART 0xEND [more]	with --churn, one line per step
 *	storm STEPS SECONDS RATE		with --storm, when it exits
 *
 * It does not use the core library: it is what the core is tested against.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA		0x53564d41
#define PR_SET_VMA_ANON_NAME	0
#endif

#define TP_NAME			"vasx-testproc"
#define TP_MAX_FILES		8
#define TP_MAX_THREADS		32768
#define TP_FEW_THREADS		64	/* more get small stacks, so thousands fit */
#define TP_SMALL_STACK		(64 * 1024)
#define TP_MAX_ANON		1000000L
#define TP_DEFAULT_SECONDS	600.0
#define TP_FILE_PAGES		4
#define CHURN_MAX		16
#define CHURN_PAGES		4
#define CHURN_INITIAL		4
#define CHURN_ROOM_PAGES	(4 * CHURN_PAGES)	/* room to grow in place */
#define STORM_SLOTS		32
#define STORM_MAX_PAGES		8
#define STORM_BATCH		64	/* steps between looks at signals and stdin */

/* The file names tests look for; the last one is hostile on purpose. */
#define TP_FILE_PRIVATE		"private.dat"
#define TP_FILE_SHARED		"shared.dat"
#define TP_FILE_DELETED		"deleted.dat"
#define TP_FILE_SPACES		"file with spaces.dat"
#define TP_FILE_EVIL		"\033[31mevil\nname"

struct testproc;

/*
 * X(id, option and report name, function, help): the special mappings.
 * A function returns 0, -errno when it must stop the program, or 1 when
 * this kernel cannot do it (reported on stderr, the rest goes on).
 */
#define TP_SPECIALS(X) \
	X(FILE_PRIVATE, "file-private", tp_map_file_private, \
	  "private read-write mapping of a file, first page copied on write") \
	X(FILE_SHARED, "file-shared", tp_map_file_shared, \
	  "shared read-write mapping of a file, first page written") \
	X(SHARED_ANON, "shared-anon", tp_map_shared_anon, \
	  "shared anonymous memory, first page written") \
	X(WX, "wx", tp_map_wx, \
	  "anonymous memory both writable and executable") \
	X(GUARD, "guard", tp_map_guard, \
	  "a PROT_NONE page between two read-write pages") \
	X(DELETED, "deleted", tp_map_deleted, \
	  "mapping of a file deleted afterwards (\" (deleted)\")") \
	X(SPACES, "spaces", tp_map_spaces, \
	  "mapping of a file whose name has spaces") \
	X(EVIL, "evil", tp_map_evil, \
	  "mapping of a file named with an escape sequence and a newline") \
	X(MEMFD, "memfd", tp_map_memfd, \
	  "shared mapping of a memfd (\"/memfd:vasx-memfd (deleted)\")") \
	X(SHM, "shm", tp_map_shm, \
	  "System V shared memory segment, already marked for removal") \
	X(ANON_NAME, "anon-name", tp_map_anon_name, \
	  "anonymous memory named [anon:vasx-named] (kernel 5.17+)")

enum tp_special {
#define TP_SPECIAL_ENUM(id, name, fn, help) TP_SP_##id,
	TP_SPECIALS(TP_SPECIAL_ENUM)
#undef TP_SPECIAL_ENUM
	TP_SP_COUNT
};

struct churn_region {
	uintptr_t res;		/* reservation: guard page, region, guard page */
	size_t res_len;
	uintptr_t start;
	size_t len;
	size_t room;		/* PROT_NONE bytes after the region it may grow into */
	int prot;
};

struct storm_slot {
	char *p;		/* NULL: empty */
	size_t pages;
};

struct testproc {
	long anon;		/* alternating anonymous regions; -1: up to the limit */
	int nthreads;
	double churn;		/* seconds between steps; 0: on SIGUSR1 only; <0: off */
	double storm;		/* steps a second; 0: as fast as it can; <0: off */
	double seconds;		/* lifetime */
	const char *parent;	/* where our directory goes */
	unsigned specials;	/* bit per enum tp_special */

	size_t page;
	char *dir;
	char *files[TP_MAX_FILES];
	size_t nfiles;
	int block_pipe[2];	/* threads wait on its read end, nobody writes */

	struct churn_region churn_v[CHURN_MAX];
	size_t nchurn;
	unsigned long step;

	struct storm_slot storm_v[STORM_SLOTS];
	unsigned long storm_steps, storm_failed;
	uint64_t storm_rand;
	double storm_t0;
};

static struct testproc tp = {
	.churn = -1,
	.storm = -1,
	.seconds = TP_DEFAULT_SECONDS,
	.block_pipe = { -1, -1 },
};

static void tp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void tp_warn(const char *fmt, ...)
{
	va_list ap;

	fputs(TP_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void tp_report(const char *name, const void *start, size_t len)
{
	printf("%s %#lx %#lx\n", name, (unsigned long)(uintptr_t)start,
	       (unsigned long)((uintptr_t)start + len));
}

static double tp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- files ---------------------------------------------------------- */

/* Create @name in our directory with @pages pages of a pattern; fd or -errno. */
static int tp_file_create(const char *name, size_t pages, char **path_out)
{
	char *path, *buf;
	size_t i;
	int fd, err = 0;

	if (tp.nfiles == TP_MAX_FILES)
		return -ENOSPC;
	if (asprintf(&path, "%s/%s", tp.dir, name) < 0)
		return -ENOMEM;
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = -errno;
		free(path);
		return err;
	}
	tp.files[tp.nfiles++] = path;
	buf = malloc(tp.page);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (i = 0; i < pages && !err; i++) {
		memset(buf, 'a' + (int)(i % 26), tp.page);
		if (write(fd, buf, tp.page) != (ssize_t)tp.page)
			err = errno ? -errno : -EIO;
	}
	free(buf);
	if (err) {
		close(fd);
		return err;
	}
	if (path_out)
		*path_out = path;
	return fd;
}

/* Map a new file of our directory, touch it as asked, report it. */
static int tp_map_new_file(const char *report, const char *name, int prot, int flags,
			   bool write_first, bool delete_after)
{
	size_t len = TP_FILE_PAGES * tp.page;
	char *path = NULL;
	volatile char *p;
	int fd;

	fd = tp_file_create(name, TP_FILE_PAGES, &path);
	if (fd < 0)
		return fd;
	p = mmap(NULL, len, prot, flags, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	if (write_first)
		p[0] = 'w';
	else
		(void)p[0];
	(void)p[tp.page];
	if (delete_after && unlink(path) < 0)
		return -errno;
	tp_report(report, (const void *)p, len);
	return 0;
}

static int tp_map_file_private(void)
{
	return tp_map_new_file("file-private", TP_FILE_PRIVATE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE, true, false);
}

static int tp_map_file_shared(void)
{
	return tp_map_new_file("file-shared", TP_FILE_SHARED, PROT_READ | PROT_WRITE,
			       MAP_SHARED, true, false);
}

static int tp_map_deleted(void)
{
	return tp_map_new_file("deleted", TP_FILE_DELETED, PROT_READ, MAP_PRIVATE,
			       false, true);
}

static int tp_map_spaces(void)
{
	return tp_map_new_file("spaces", TP_FILE_SPACES, PROT_READ, MAP_PRIVATE,
			       false, false);
}

static int tp_map_evil(void)
{
	return tp_map_new_file("evil", TP_FILE_EVIL, PROT_READ, MAP_PRIVATE,
			       false, false);
}

/* ---- anonymous memory ------------------------------------------------ */

static void *tp_map_anon(size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int tp_map_shared_anon(void)
{
	size_t len = 4 * tp.page;
	char *p = tp_map_anon(len, PROT_READ | PROT_WRITE, MAP_SHARED);

	if (!p)
		return -errno;
	p[0] = 1;
	tp_report("shared-anon", p, len);
	return 0;
}

static int tp_map_wx(void)
{
	size_t len = 2 * tp.page;
	char *p = tp_map_anon(len, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE);

	if (!p) {
		tp_warn("wx: %s", strerror(errno));
		return 1;	/* a hardened kernel may refuse W+X */
	}
	p[0] = (char)0xc3;	/* ret */
	tp_report("wx", p, len);
	return 0;
}

static int tp_map_guard(void)
{
	char *p = tp_map_anon(3 * tp.page, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	if (!p)
		return -errno;
	p[0] = 1;
	p[2 * tp.page] = 1;
	if (mprotect(p + tp.page, tp.page, PROT_NONE) < 0)
		return -errno;
	tp_report("guard", p + tp.page, tp.page);
	return 0;
}

static int tp_map_memfd(void)
{
	size_t len = 2 * tp.page;
	char *p;
	int fd;

	fd = memfd_create("vasx-memfd", MFD_CLOEXEC);
	if (fd < 0) {
		tp_warn("memfd: %s", strerror(errno));
		return 1;
	}
	if (ftruncate(fd, (off_t)len) < 0) {
		close(fd);
		return -errno;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	p[0] = 1;
	tp_report("memfd", p, len);
	return 0;
}

/* Removed at once: the segment lives while attached, so a killed run leaks none. */
static int tp_map_shm(void)
{
	size_t len = 2 * tp.page;
	char *p;
	int id;

	id = shmget(IPC_PRIVATE, len, IPC_CREAT | 0600);
	if (id < 0) {
		tp_warn("shm: %s", strerror(errno));
		return 1;
	}
	p = shmat(id, NULL, 0);
	shmctl(id, IPC_RMID, NULL);
	if (p == (void *)-1) {
		tp_warn("shm: %s", strerror(errno));
		return 1;
	}
	p[0] = 1;
	tp_report("shm", p, len);
	return 0;
}

static int tp_map_anon_name(void)
{
	size_t len = 2 * tp.page;
	char *p = tp_map_anon(len, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	if (!p)
		return -errno;
	if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)p, len,
		  (unsigned long)"vasx-named") < 0) {
		tp_warn("anon-name: %s", strerror(errno));
		munmap(p, len);
		return 1;
	}
	p[0] = 1;
	tp_report("anon-name", p, len);
	return 0;
}

/*
 * @n one-page regions side by side, rw- and r-- in turn, so the kernel
 * cannot merge them: n VMAs from one mmap and n / 2 mprotects.
 */
static int tp_map_alternating(long n)
{
	size_t len = (size_t)n * tp.page;
	char *p = tp_map_anon(len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE);
	long i;

	if (!p)
		return -errno;
	for (i = 1; i < n; i += 2) {
		if (mprotect(p + (size_t)i * tp.page, tp.page, PROT_READ) < 0) {
			int err = -errno;

			tp_warn("anon: mprotect failed after %ld regions (vm.max_map_count?): %s",
				i, strerror(-err));
			return err;
		}
	}
	printf("anon %#lx %#lx %ld\n", (unsigned long)(uintptr_t)p,
	       (unsigned long)((uintptr_t)p + len), n);
	return 0;
}

/*
 * The mappings the kernel counts against vm.max_map_count: the lines of
 * our maps but [vsyscall], which is no VMA. Read with a static buffer, so
 * counting maps nothing itself.
 */
static long tp_count_vmas(void)
{
	static const char vsys[] = "[vsyscall]";
	static char buf[65536];
	size_t k = 0;
	long lines = 0;
	bool found = false;
	ssize_t n;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			lines += buf[i] == '\n';
			k = buf[i] == vsys[k] ? k + 1 : buf[i] == vsys[0];
			if (k == sizeof(vsys) - 1) {
				found = true;
				k = 0;
			}
		}
	}
	close(fd);
	return n < 0 ? -EIO : lines - found;
}

static long tp_read_max_map_count(void)
{
	char buf[32];
	ssize_t n;
	int fd = open("/proc/sys/vm/max_map_count", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/*
 * --anon max: bring the process to exactly vm.max_map_count mappings.
 * One rw- reservation; splits are made inside it only (its first and last
 * pages stay rw-), so whatever it merged with outside, each r-- page between
 * rw- ones adds two mappings and one PROT_NONE page after an r-- one adds
 * one. The kernel refuses a split at the limit, never below it.
 */
static int tp_map_to_limit(void)
{
	long max = tp_read_max_map_count(), have = tp_count_vmas(), want, pairs, i;
	size_t len;
	char *p;

	if (max < 0 || have < 0)
		return max < 0 ? (int)max : (int)have;
	if (max > TP_MAX_ANON)
		return -E2BIG;
	want = max - have - 1;	/* the reservation itself is one */
	if (want < 0)
		return -ENOSPC;
	/* Room for one pair more, should it merge with a neighbour. */
	len = (size_t)(2 * (want / 2) + 5) * tp.page;
	p = tp_map_anon(len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE);
	if (!p)
		return -errno;
	want = max - tp_count_vmas();	/* 0 if it merged with nothing */
	pairs = want / 2;
	for (i = 1; i <= pairs; i++)
		if (mprotect(p + (size_t)(2 * i) * tp.page, tp.page, PROT_READ) < 0)
			return -errno;
	if (want % 2 && mprotect(p + (size_t)(2 * pairs + 1) * tp.page, tp.page, PROT_NONE) < 0)
		return -errno;
	have = tp_count_vmas();
	if (have != max) {
		tp_warn("anon: %ld mappings instead of vm.max_map_count %ld", have, max);
		return -ERANGE;
	}
	printf("anon %#lx %#lx %ld total %ld\n", (unsigned long)(uintptr_t)p,
	       (unsigned long)((uintptr_t)p + len), 2 * pairs + want % 2 + 1, have);
	return 0;
}

/* ---- threads ---------------------------------------------------------- */

static pthread_barrier_t tp_started;

/* Block in read(2) so /proc/PID/task/TID/syscall shows our stack pointer. */
static void *tp_thread_main(void *arg)
{
	pid_t *tid = arg;
	char c;

	*tid = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&tp_started);
	/* Nobody writes the pipe: this read lasts as long as the process. */
	for (;;) {
		if (read(tp.block_pipe[0], &c, 1) < 0 && errno != EINTR)
			pause();
	}
	return NULL;
}

static int tp_thread_report(pthread_t th, pid_t tid)
{
	pthread_attr_t attr;
	void *stack;
	size_t size;
	int err;

	err = pthread_getattr_np(th, &attr);
	if (err)
		return -err;
	err = pthread_attr_getstack(&attr, &stack, &size);
	pthread_attr_destroy(&attr);
	if (err)
		return -err;
	printf("thread %#lx %#lx %d\n", (unsigned long)(uintptr_t)stack,
	       (unsigned long)((uintptr_t)stack + size), (int)tid);
	return 0;
}

/*
 * A few threads get the default stacks, as a real program's; thousands
 * get small ones, so they fit in memory.
 */
static int tp_threads_start(int n)
{
	pthread_t *th = calloc((size_t)n, sizeof(*th));
	pid_t *tids = calloc((size_t)n, sizeof(*tids));
	pthread_attr_t attr;
	int i, err;

	if (!th || !tids)
		return -ENOMEM;
	if (pipe2(tp.block_pipe, O_CLOEXEC) < 0)
		return -errno;
	err = pthread_barrier_init(&tp_started, NULL, (unsigned)n + 1);
	if (!err)
		err = pthread_attr_init(&attr);
	if (!err && n > TP_FEW_THREADS)
		err = pthread_attr_setstacksize(&attr, TP_SMALL_STACK);
	if (err)
		return -err;
	for (i = 0; i < n; i++) {
		err = pthread_create(&th[i], &attr, tp_thread_main, &tids[i]);
		if (err) {
			tp_warn("threads: %d of %d started: %s", i, n, strerror(err));
			exit(1);	/* the barrier would wait forever */
		}
	}
	pthread_attr_destroy(&attr);
	pthread_barrier_wait(&tp_started);
	for (i = 0, err = 0; i < n && !err; i++)
		err = tp_thread_report(th[i], tids[i]);
	free(th);
	free(tids);
	return err;
}

/* ---- churn: change the mappings step by step ---------------------------- */

static void tp_perms(int prot, char out[4])
{
	out[0] = prot & PROT_READ ? 'r' : '-';
	out[1] = prot & PROT_WRITE ? 'w' : '-';
	out[2] = prot & PROT_EXEC ? 'x' : '-';
	out[3] = '\0';
}

/*
 * A region with a PROT_NONE page either side, so it never merges with a
 * neighbour and the tests see exactly the range printed.
 */
/*
 * A region with a guard page below it and, above it, PROT_NONE room to grow
 * into in place and a guard page: the kernel can never merge it with a
 * neighbour, and mremap can grow it without moving it.
 */
static int churn_reserve(size_t len, int prot, struct churn_region *c)
{
	size_t room = CHURN_ROOM_PAGES * tp.page;
	char *res = tp_map_anon(len + room + 2 * tp.page, PROT_NONE, MAP_PRIVATE);

	if (!res)
		return -errno;
	if (mprotect(res + tp.page, len, prot) < 0) {
		int err = -errno;

		munmap(res, len + room + 2 * tp.page);
		return err;
	}
	c->res = (uintptr_t)res;
	c->res_len = len + room + 2 * tp.page;
	c->start = (uintptr_t)res + tp.page;
	c->len = len;
	c->room = room;
	c->prot = prot;
	return 0;
}

static void churn_release(struct churn_region *c)
{
	munmap((void *)c->res, c->res_len);
}

static void churn_print(const char *action, const struct churn_region *c)
{
	printf("step %lu %s %#lx %#lx", tp.step, action, (unsigned long)c->start,
	       (unsigned long)(c->start + c->len));
}

/* The newest region whose protection is @prot, or NULL. */
static struct churn_region *churn_newest(int prot)
{
	size_t i;

	for (i = tp.nchurn; i-- > 0;)
		if (tp.churn_v[i].prot == prot)
			return &tp.churn_v[i];
	return NULL;
}

static void churn_remove(size_t i)
{
	churn_release(&tp.churn_v[i]);
	memmove(&tp.churn_v[i], &tp.churn_v[i + 1],
		(tp.nchurn - i - 1) * sizeof(tp.churn_v[0]));
	tp.nchurn--;
}

static int churn_step_mmap(void)
{
	struct churn_region *c;
	char perms[4];
	int err;

	if (tp.nchurn == CHURN_MAX)
		churn_remove(0);
	c = &tp.churn_v[tp.nchurn];
	err = churn_reserve(CHURN_PAGES * tp.page, PROT_READ | PROT_WRITE, c);
	if (err)
		return err;
	tp.nchurn++;
	tp_perms(c->prot, perms);
	churn_print("mmap", c);
	printf(" %s\n", perms);
	return 0;
}

/* The oldest executable region goes first, so writable ones stay for later steps. */
static int churn_step_munmap(void)
{
	size_t i, victim = 0;

	if (!tp.nchurn)
		return churn_step_mmap();
	for (i = 0; i < tp.nchurn; i++) {
		if (tp.churn_v[i].prot & PROT_EXEC) {
			victim = i;
			break;
		}
	}
	churn_print("munmap", &tp.churn_v[victim]);
	putchar('\n');
	churn_remove(victim);
	return 0;
}

static int churn_step_mprotect(void)
{
	struct churn_region *c = churn_newest(PROT_READ | PROT_WRITE);
	char perms[4];

	if (!c)
		return churn_step_mmap();
	if (mprotect((void *)c->start, c->len, PROT_READ | PROT_EXEC) < 0)
		return -errno;
	c->prot = PROT_READ | PROT_EXEC;
	tp_perms(c->prot, perms);
	churn_print("mprotect", c);
	printf(" %s\n", perms);
	return 0;
}

/*
 * Grow by CHURN_PAGES in place, as a heap or a JIT arena grows: give the
 * room above back to the kernel and let mremap extend the region into it.
 * The region keeps its start; the output says where it ended before.
 */
static int churn_step_mremap(void)
{
	struct churn_region *c = churn_newest(PROT_READ | PROT_WRITE);
	size_t grow = CHURN_PAGES * tp.page;
	uintptr_t old_end;
	void *p;

	if (!c)
		return churn_step_mmap();
	if (c->room < grow)
		return churn_step_mmap();
	old_end = c->start + c->len;
	if (munmap((void *)old_end, grow) < 0)
		return -errno;
	p = mremap((void *)c->start, c->len, c->len + grow, 0);
	if (p == MAP_FAILED) {
		int err = -errno;

		/* Put the room back so the reservation stays whole. */
		mmap((void *)old_end, grow, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		return err;
	}
	c->len += grow;
	c->room -= grow;
	churn_print("mremap", c);
	printf(" from %#lx %#lx\n", (unsigned long)c->start, (unsigned long)old_end);
	return 0;
}

static int churn_step_touch(void)
{
	struct churn_region *c = churn_newest(PROT_READ | PROT_WRITE);
	size_t off;

	if (!c)
		return churn_step_mmap();
	for (off = 0; off < c->len; off += tp.page)
		((volatile char *)c->start)[off] = 1;
	churn_print("touch", c);
	printf(" pages %zu\n", c->len / tp.page);
	return 0;
}

static int churn_step(void)
{
	static int (*const steps[])(void) = {
		churn_step_mmap, churn_step_munmap, churn_step_mprotect,
		churn_step_mremap, churn_step_touch,
	};
	int err;

	tp.step++;
	err = steps[(tp.step - 1) % (sizeof(steps) / sizeof(steps[0]))]();
	if (err)
		tp_warn("step %lu: %s", tp.step, strerror(-err));
	fflush(stdout);
	return err;
}

static int churn_start(void)
{
	size_t i;
	int err;

	for (i = 0; i < CHURN_INITIAL; i++) {
		err = churn_reserve(CHURN_PAGES * tp.page, PROT_READ | PROT_WRITE,
				    &tp.churn_v[tp.nchurn]);
		if (err)
			return err;
		tp_report("churn", (void *)tp.churn_v[tp.nchurn].start,
			  tp.churn_v[tp.nchurn].len);
		tp.nchurn++;
	}
	return 0;
}

/* ---- storm: change the mappings as fast as possible ---------------------- */

static uint64_t storm_rand(void)
{
	/* xorshift64: cheap, and the same sequence every run */
	tp.storm_rand ^= tp.storm_rand << 13;
	tp.storm_rand ^= tp.storm_rand >> 7;
	tp.storm_rand ^= tp.storm_rand << 17;
	return tp.storm_rand;
}

static void storm_drop(struct storm_slot *sl)
{
	munmap(sl->p, sl->pages * tp.page);
	sl->p = NULL;
}

/* A new region of 1..STORM_MAX_PAGES pages, every page written. */
static int storm_mmap(struct storm_slot *sl)
{
	size_t pages = 1 + storm_rand() % STORM_MAX_PAGES;
	char *p = tp_map_anon(pages * tp.page, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	if (!p)
		return -errno;
	for (size_t i = 0; i < pages; i++)
		p[i * tp.page] = 1;
	sl->p = p;
	sl->pages = pages;
	return 0;
}

/* Some of its pages become r--, r-x, --- or rw- again: splits and merges. */
static int storm_mprotect(struct storm_slot *sl)
{
	static const int prots[] = {
		PROT_READ, PROT_READ | PROT_EXEC, PROT_NONE, PROT_READ | PROT_WRITE,
	};
	size_t first = storm_rand() % sl->pages;
	size_t n = 1 + storm_rand() % (sl->pages - first);

	if (mprotect(sl->p + first * tp.page, n * tp.page, prots[storm_rand() % 4]) < 0)
		return -errno;
	return 0;
}

/* Grow or shrink, moving if it must; a region split by mprotect cannot. */
static int storm_mremap(struct storm_slot *sl)
{
	size_t pages = 1 + storm_rand() % STORM_MAX_PAGES;
	char *p = mremap(sl->p, sl->pages * tp.page, pages * tp.page, MREMAP_MAYMOVE);

	if (p == MAP_FAILED)
		return -errno;
	sl->p = p;
	sl->pages = pages;
	return 0;
}

static void storm_step(void)
{
	struct storm_slot *sl = &tp.storm_v[storm_rand() % STORM_SLOTS];
	int err = 0;

	tp.storm_steps++;
	if (!sl->p) {
		err = storm_mmap(sl);
	} else {
		switch (storm_rand() % 3) {
		case 0:
			storm_drop(sl);
			break;
		case 1:
			err = storm_mprotect(sl);
			break;
		default:
			err = storm_mremap(sl);
			break;
		}
	}
	if (err) {
		/* EFAULT: mremap of a region mprotect split; start the slot again */
		tp.storm_failed++;
		if (sl->p)
			storm_drop(sl);
	}
}

/* The steps due by now at the asked rate, or a batch when it is 0. */
static void storm_run(void)
{
	unsigned long due = STORM_BATCH;

	if (tp.storm > 0) {
		double want = (tp_now() - tp.storm_t0) * tp.storm;

		due = want > (double)tp.storm_steps ? (unsigned long)(want - (double)tp.storm_steps) : 0;
		if (due > 16 * STORM_BATCH)
			due = 16 * STORM_BATCH;
	}
	while (due--)
		storm_step();
}

static void storm_report(void)
{
	double secs = tp_now() - tp.storm_t0;

	printf("storm %lu %.3f %.0f\n", tp.storm_steps, secs,
	       secs > 0 ? (double)tp.storm_steps / secs : 0.0);
}

/* ---- set-up, waiting, clean-up -------------------------------------- */

static void tp_cleanup(void)
{
	size_t i;

	for (i = 0; i < tp.nfiles; i++) {
		unlink(tp.files[i]);
		free(tp.files[i]);
	}
	tp.nfiles = 0;
	if (tp.dir) {
		rmdir(tp.dir);
		free(tp.dir);
		tp.dir = NULL;
	}
}

static int tp_make_dir(void)
{
	const char *parent = tp.parent;

	if (!parent)
		parent = getenv("TMPDIR");
	if (!parent || !*parent)
		parent = "/tmp";
	if (asprintf(&tp.dir, "%s/" TP_NAME ".XXXXXX", parent) < 0) {
		tp.dir = NULL;
		return -ENOMEM;
	}
	if (!mkdtemp(tp.dir)) {
		int err = -errno;

		tp_warn("cannot create a directory in %s: %s", parent, strerror(errno));
		free(tp.dir);
		tp.dir = NULL;
		return err;
	}
	printf("dir %s\n", tp.dir);
	return 0;
}

static int tp_setup(void)
{
	static int (*const specials[])(void) = {
#define TP_SPECIAL_FN(id, name, fn, help) fn,
		TP_SPECIALS(TP_SPECIAL_FN)
#undef TP_SPECIAL_FN
	};
	static const char *const names[] = {
#define TP_SPECIAL_NAME(id, name, fn, help) name,
		TP_SPECIALS(TP_SPECIAL_NAME)
#undef TP_SPECIAL_NAME
	};
	int i, err;

	err = tp_make_dir();
	if (err)
		return err;
	for (i = 0; i < TP_SP_COUNT; i++) {
		if (!(tp.specials & (1u << i)))
			continue;
		err = specials[i]();
		if (err < 0) {
			tp_warn("%s: %s", names[i], strerror(-err));
			return err;
		}
	}
	if (tp.anon > 0 && (err = tp_map_alternating(tp.anon)))
		return err;
	if (tp.nthreads > 0 && (err = tp_threads_start(tp.nthreads)))
		return err;
	if (tp.churn >= 0 && (err = churn_start()))
		return err;
	if (tp.storm >= 0) {
		tp.storm_rand = 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
		tp.storm_t0 = tp_now();
	}
	/* Last: at the limit nothing else could be mapped. */
	if (tp.anon < 0 && (err = tp_map_to_limit())) {
		tp_warn("anon max: %s", strerror(-err));
		return err;
	}
	return 0;
}

/*
 * Watch stdin only when it is a pipe or socket: a shell gives background
 * jobs /dev/null, which reads as closed at once.
 */
static bool tp_watch_stdin(void)
{
	struct stat st;

	return fstat(STDIN_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

/* True when a signal asks us to stop. */
static bool tp_on_signal(int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGUSR1)
			return true;
		if (tp.churn >= 0)
			churn_step();
	}
	return false;
}

/* True when stdin reached its end. */
static bool tp_on_stdin(void)
{
	char buf[256];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	return n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN);
}

static void tp_wait(int sfd)
{
	double deadline = tp_now() + tp.seconds;
	double next = tp.churn > 0 ? tp_now() + tp.churn : deadline;
	struct pollfd fds[2] = {
		{ .fd = sfd, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	nfds_t nfds = tp_watch_stdin() ? 2 : 1;

	for (;;) {
		double now = tp_now(), until = next < deadline ? next : deadline;
		int ms = until > now ? (int)((until - now) * 1000.0) + 1 : 0;

		if (now >= deadline)
			return;
		if (tp.storm >= 0) {
			storm_run();
			ms = tp.storm > 0 && ms > 1 ? 1 : 0;
		}
		if (poll(fds, nfds, ms) < 0 && errno != EINTR)
			return;
		if ((fds[0].revents & POLLIN) && tp_on_signal(sfd))
			return;
		if (nfds > 1 && fds[1].revents && tp_on_stdin())
			return;
		if (tp.churn > 0 && tp_now() >= next) {
			churn_step();
			next += tp.churn;
		}
	}
}

/* ---- command line ------------------------------------------------------- */

static void tp_usage(FILE *f)
{
	fprintf(f,
		"usage: " TP_NAME " [options]\n"
		"Create chosen mappings, print where they are, then wait.\n\n"
		"  --anon N        N one-page anonymous regions side by side, rw- and r-- in\n"
		"                  turn (up to vm.max_map_count less what the program uses);\n"
		"                  --anon max: as many as bring the process to exactly\n"
		"                  vm.max_map_count mappings, made after everything else\n"
		"                  (\"anon 0xSTART 0xEND COUNT total MAPPINGS\")\n"
		"  --threads T     T threads blocked in read(2) (their stacks are mappings;\n"
		"                  up to %d, stacks of %d KiB when more than %d)\n"
		"  --special       every special mapping below\n",
		TP_MAX_THREADS, TP_SMALL_STACK / 1024, TP_FEW_THREADS);
#define TP_SPECIAL_HELP(id, name, fn, help) fprintf(f, "  --%-14s" help "\n", name);
	TP_SPECIALS(TP_SPECIAL_HELP)
#undef TP_SPECIAL_HELP
	fprintf(f,
		"  --churn S       change the mappings every S seconds (0: only on SIGUSR1;\n"
		"                  SIGUSR1 always does one step): mmap, munmap, mprotect to\n"
		"                  r-x, mremap to grow, touch pages, in turn\n"
		"  --storm R       R changes a second (0: as fast as it can), none printed:\n"
		"                  mmap, munmap, mprotect of some pages, mremap, on %d slots\n"
		"                  chosen at random; prints \"storm STEPS SECONDS RATE\" at exit\n"
		"  --seconds S     exit after S seconds (default %.0f)\n"
		"  --dir D         make the temporary files under D (default $TMPDIR or /tmp)\n"
		"  --help          this text\n\n"
		"Prints \"pid N\", \"dir PATH\", one \"NAME 0xSTART 0xEND [more]\" line per\n"
		"region (anon ... COUNT, thread ... TID), then \"ready\"; with --churn one\n"
		"\"step N ACTION 0xSTART 0xEND [more]\" line per step. Exits on SIGTERM,\n"
		"SIGINT, SIGHUP, at the timeout, or when stdin is a pipe that closes, and\n"
		"removes its files.\n",
		STORM_SLOTS, TP_DEFAULT_SECONDS);
}

static int tp_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int tp_parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0 && v <= 1e7))
		return -EINVAL;
	*out = v;
	return 0;
}

enum {
	OPT_ANON = 1000, OPT_THREADS, OPT_SPECIAL, OPT_CHURN, OPT_STORM, OPT_SECONDS, OPT_DIR,
	OPT_HELP, OPT_FIRST_SPECIAL,
};

static int tp_parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "anon", required_argument, NULL, OPT_ANON },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "special", no_argument, NULL, OPT_SPECIAL },
		{ "churn", required_argument, NULL, OPT_CHURN },
		{ "storm", required_argument, NULL, OPT_STORM },
		{ "seconds", required_argument, NULL, OPT_SECONDS },
		{ "dir", required_argument, NULL, OPT_DIR },
		{ "help", no_argument, NULL, OPT_HELP },
#define TP_SPECIAL_OPT(id, name, fn, help) \
		{ name, no_argument, NULL, OPT_FIRST_SPECIAL + TP_SP_##id },
		TP_SPECIALS(TP_SPECIAL_OPT)
#undef TP_SPECIAL_OPT
		{ NULL, 0, NULL, 0 },
	};
	long n;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_ANON:
			if (!strcmp(optarg, "max"))
				tp.anon = -1;
			else if (tp_parse_long(optarg, 0, TP_MAX_ANON, &tp.anon))
				goto bad;
			break;
		case OPT_THREADS:
			if (tp_parse_long(optarg, 0, TP_MAX_THREADS, &n))
				goto bad;
			tp.nthreads = (int)n;
			break;
		case OPT_SPECIAL:
			tp.specials = (1u << TP_SP_COUNT) - 1;
			break;
		case OPT_CHURN:
			if (tp_parse_seconds(optarg, &tp.churn))
				goto bad;
			break;
		case OPT_STORM:
			if (tp_parse_seconds(optarg, &tp.storm))
				goto bad;
			break;
		case OPT_SECONDS:
			if (tp_parse_seconds(optarg, &tp.seconds))
				goto bad;
			break;
		case OPT_DIR:
			tp.parent = optarg;
			break;
		case OPT_HELP:
			tp_usage(stdout);
			exit(0);
		default:
			if (c >= OPT_FIRST_SPECIAL && c < OPT_FIRST_SPECIAL + TP_SP_COUNT) {
				tp.specials |= 1u << (c - OPT_FIRST_SPECIAL);
				break;
			}
			tp_usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		tp_warn("unexpected argument: %s", argv[optind]);
		return -EINVAL;
	}
	return 0;
bad:
	/* opts[] begins with the options of OPT_ANON..OPT_DIR, in that order. */
	tp_warn("bad value for --%s: %s", opts[c - OPT_ANON].name, optarg);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	sigset_t set;
	int sfd;

	if (tp_parse_args(argc, argv))
		return 2;
	tp.page = (size_t)sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A reader that went away must not kill us before we clean up. */
	signal(SIGPIPE, SIG_IGN);

	/* Blocked before any thread exists, so only the signalfd sees them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return 1;
	sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0) {
		tp_warn("signalfd: %s", strerror(errno));
		return 1;
	}
	atexit(tp_cleanup);

	printf("pid %d\n", (int)getpid());
	if (tp_setup())
		return 1;
	printf("ready\n");
	fflush(stdout);
	tp_wait(sfd);
	if (tp.storm >= 0)
		storm_report();
	return 0;
}
