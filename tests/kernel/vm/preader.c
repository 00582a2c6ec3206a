/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hostile readers of the vasx module's debugfs files, run inside the test
 * VM (built statically, like vmcheck).
 *
 *   preader partial FILE REF|-   read FILE with every read size, offset and
 *                                seek that can trip a seq_file, and try
 *                                what must be refused (writes, mmap, reads
 *                                without CAP_SYS_ADMIN). REF holds the
 *                                content FILE must have (the layout does
 *                                not change); "-" checks the structure of
 *                                the tasks file instead, whose content
 *                                changes as processes come and go.
 *   preader stress KO DIR CYCLES READERS
 *                                load and unload the module KO CYCLES times
 *                                while READERS processes open and read
 *                                DIR/layout and DIR/tasks; each whole
 *                                layout is compared with the loader's read
 *                                of the same load. With $PR_LAYOUTS set,
 *                                each layout that differs from the last
 *                                load's is saved there (load-N).
 *
 * Prints what it did on one line and any failure on lines of their own;
 * exits 0 when everything held.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DOC_MAX (4 << 20)

static char *ref;		/* expected content, NULL for tasks */
static size_t ref_len;
static char *doc;		/* one document as read */
static int nfail;
static long nreads, npreads, nseeks, nrefused;

/* What one stress reader or the loader did, shared with the supervisor. */
struct slot {
	pid_t pid;
	int kind, file, op, bad, holding;
	long long since;
	long opens, gone[3], reads, docs, early, read_eio;
	char note[240];
};

static struct slot *me;		/* a stress reader's own counters */

/* A failure: printed, or a stress reader's note for its supervisor. */
static void failf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (me) {
		if (!me->bad++)
			vsnprintf(me->note, sizeof(me->note), fmt, ap);
		va_end(ap);
		return;
	}
	fputs("FAIL ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fflush(stdout);
	nfail++;
}

static bool slurp(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY);
	ssize_t got;

	*len = 0;
	*buf = malloc(DOC_MAX);
	if (fd < 0 || !*buf)
		return false;
	while ((got = read(fd, *buf + *len, DOC_MAX - *len)) > 0)
		*len += got;
	close(fd);
	return got == 0;
}

static bool is_hex16(const char *s)
{
	if (s[0] != '0' || s[1] != 'x')
		return false;
	for (int i = 2; i < 18; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return true;
}

/* One "task PID TGID COMM TASK PHYS STACK MM PGD" line, without its '\n'. */
static bool task_line_ok(const char *s, size_t n, bool first)
{
	char line[512], *p, *end;
	long pid;

	if (n >= sizeof(line) || strncmp(s, "task ", 5))
		return false;
	memcpy(line, s, n);
	line[n] = 0;
	pid = strtol(line + 5, &end, 10);
	if (end == line + 5 || *end != ' ' || pid < 0 || (first && pid))
		return false;
	strtol(end + 1, &p, 10);
	if (p == end + 1 || *p++ != ' ')
		return false;
	/* The name: printable bytes but spaces, other bytes as \ooo. */
	for (end = p; *end && *end != ' '; end++) {
		if (*end == '\\' && !(end[1] >= '0' && end[1] <= '3' &&
				      end[2] >= '0' && end[2] <= '7' &&
				      end[3] >= '0' && end[3] <= '7'))
			return false;
		if ((unsigned char)*end < 0x21 || (unsigned char)*end > 0x7e)
			return false;
	}
	if (end == p)
		return false;
	for (int i = 0; i < 5; i++, end += 19)
		if (end[0] != ' ' || !is_hex16(end + 1))
			return false;
	return *end == 0;
}

/* The tasks file: its header, then well-formed lines, the idle task first. */
static const char *tasks_wrong(const char *b, size_t n)
{
	size_t i = 13, lines = 0;

	if (n < 13 || memcmp(b, "vasx-tasks 1\n", 13))
		return "no vasx-tasks 1 header";
	if (b[n - 1] != '\n')
		return "the last line is not terminated";
	if (memchr(b, 0, n))
		return "a NUL byte";
	while (i < n) {
		const char *nl = memchr(b + i, '\n', n - i);

		if (!task_line_ok(b + i, nl - (b + i), !lines))
			return "a malformed task line";
		lines++;
		i = nl - b + 1;
	}
	return lines < 2 ? "fewer than two tasks" : NULL;
}

/*
 * The layout without a reference: its header, then lines it knows. Its
 * content can change between loads: loading a module changes page
 * protections, also those of aliases inside the kernel image's mapping.
 */
static const char *layout_wrong(const char *b, size_t n)
{
	static const char *const heads[] = {
		"arch ", "page_size ", "paging_levels ", "user_va_bits ",
		"task_size 0x", "region 0x", "truncated\n",
	};
	size_t i = 14, regions = 0;

	if (n < 14 || memcmp(b, "vasx-layout 1\n", 14))
		return "no vasx-layout 1 header";
	if (b[n - 1] != '\n')
		return "the last line is not terminated";
	if (memchr(b, 0, n))
		return "a NUL byte";
	while (i < n) {
		const char *l = b + i, *nl = memchr(l, '\n', n - i);
		size_t k = 0;

		while (k < 7 && strncmp(l, heads[k], strlen(heads[k])))
			k++;
		if (k == 7)
			return "a line of no known kind";
		if (k == 5 && (nl - l < 48 || !is_hex16(l + 7) || l[25] != ' ' ||
			       !is_hex16(l + 26) || l[44] != ' '))
			return "a malformed region line";
		regions += k == 5;
		i = nl - b + 1;
	}
	return regions < 5 ? "fewer than five regions" : NULL;
}

static bool layout_file;	/* reading the layout, not the tasks */

/*
 * NULL when @b is a whole document: the reference when there is one, a
 * well-formed layout or tasks file otherwise.
 */
static const char *doc_wrong(const char *b, size_t n)
{
	if (!ref)
		return layout_file ? layout_wrong(b, n) : tasks_wrong(b, n);
	if (n != ref_len)
		return n < ref_len ? "shorter than the file" : "longer than the file";
	return memcmp(b, ref, n) ? "content differs from the file" : NULL;
}

/* Read to EOF in pieces of @size into doc: the length, or -errno. */
static long read_all(int fd, size_t size, size_t have)
{
	ssize_t got;

	do {
		if (have + size > DOC_MAX)
			return -EFBIG;
		got = read(fd, doc + have, size);
		nreads++;
		if (got > (ssize_t)size)
			return -ERANGE;
		if (got > 0)
			have += got;
	} while (got > 0);
	return got < 0 ? -errno : (long)have;
}

static int open_file(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		failf("open %s: %s", path, strerror(errno));
	return fd;
}

/* Each read size alone on a fresh descriptor; EOF stays EOF. */
static void check_sizes(const char *path)
{
	static const size_t sizes[] = {
		1, 2, 3, 7, 13, 4095, 4096, 4097, 65536,
	};
	char c;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int fd = open_file(path, O_RDONLY);
		long n;
		const char *why;

		if (fd < 0)
			return;
		n = read_all(fd, sizes[i], 0);
		if (n < 0)
			failf("reads of %zu: %s", sizes[i], strerror(-n));
		else if ((why = doc_wrong(doc, n)))
			failf("reads of %zu bytes: %s", sizes[i], why);
		else if (read(fd, &c, 1) != 0 || read(fd, doc, 4097) != 0)
			failf("a read after EOF returned data or an error");
		nreads += 2;
		close(fd);
	}
}

/* Sizes changing on one descriptor, two descriptors interleaved. */
static void check_mixed(const char *path)
{
	static const size_t sizes[] = { 1, 4097, 2, 13, 4095, 3, 65536, 7, 4096 };
	int a = open_file(path, O_RDONLY), b = open_file(path, O_RDONLY);
	size_t have = 0, i = 0, bhave = 0;
	char *bdoc = malloc(DOC_MAX);
	ssize_t got, bgot = 1;
	const char *why;

	if (a < 0 || b < 0 || !bdoc)
		goto out;
	do {
		size_t size = sizes[i++ % 9];

		got = read(a, doc + have, size);
		nreads++;
		if (got > 0)
			have += got;
		if (bgot > 0 && bhave + 7 <= DOC_MAX) {
			bgot = read(b, bdoc + bhave, 7);
			nreads++;
			if (bgot > 0)
				bhave += bgot;
		}
	} while (got > 0 && have + 65536 <= DOC_MAX);
	if (got < 0)
		failf("mixed read sizes: %s", strerror(errno));
	else if ((why = doc_wrong(doc, have)))
		failf("mixed read sizes: %s", why);
	while (bgot > 0 && bhave + 7 <= DOC_MAX) {
		bgot = read(b, bdoc + bhave, 7);
		nreads++;
		if (bgot > 0)
			bhave += bgot;
	}
	if (bgot < 0 || (why = doc_wrong(bdoc, bhave)))
		failf("a second descriptor read alongside: %s",
		      bgot < 0 ? strerror(errno) : why);
out:
	free(bdoc);
	close(a);
	close(b);
}

/*
 * What a read of @n at @off must return: the reference's bytes, or for
 * the tasks file the header near 0 and nothing far past the end.
 */
static void expect_at(const char *what, const char *got, long n, long long off,
		      size_t want_n)
{
	static const char head[] = "vasx-tasks 1\n";
	long want = -1;
	const char *want_p = NULL;

	if (layout_file && !ref) {
		return;		/* no reference for this load: nothing to compare */
	} else if (ref) {
		want = off >= (long long)ref_len ? 0 :
		       (long)(want_n < ref_len - off ? want_n : ref_len - off);
		want_p = ref + (off < (long long)ref_len ? off : 0);
	} else if (off < 13) {
		want = (long long)want_n < 13 - off ? (long)want_n : 13 - off;
		want_p = head + off;
		if (n > want)
			n = want;	/* a task line follows the header */
	} else if (off >= 1 << 20) {
		want = 0;
	} else if (n > 0 && memchr(got, 0, n)) {
		failf("%s at %lld: a NUL byte", what, off);
		return;
	}
	if (n < 0)
		failf("%s of %zu at %lld: %s", what, want_n, off, strerror(errno));
	else if (want >= 0 && n != want)
		failf("%s of %zu at %lld: %ld bytes, not %ld", what, want_n, off,
		      n, want);
	else if (want >= 0 && memcmp(got, want_p, n))
		failf("%s of %zu at %lld: not the file's bytes", what, want_n, off);
}

static void check_pread(const char *path)
{
	long long len = ref ? (long long)ref_len : 8192;
	long long offs[] = {
		0, 1, 2, 3, 7, 13, len / 2 + 1, len - 1, len, len + 1, 4095, 4096,
		4097, 65537, 1 << 20, 1LL << 40, LLONG_MAX / 2,
	};
	static const size_t sizes[] = { 1, 13, 4097 };
	int fd = open_file(path, O_RDONLY);

	if (fd < 0)
		return;
	/* Backwards and forwards, so each pread moves the seq_file's cursor. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
			size_t k = pass ? i : sizeof(offs) / sizeof(offs[0]) - 1 - i;

			for (size_t j = 0; j < 3; j++) {
				long n = pread(fd, doc, sizes[j], offs[k]);

				npreads++;
				expect_at("pread", doc, n, offs[k], sizes[j]);
			}
		}
	/* Out of range: refused, never a read. */
	errno = 0;
	if (pread(fd, doc, 1, -1) != -1 || errno != EINVAL)
		failf("pread at -1: not EINVAL (%s)", strerror(errno));
	errno = 0;
	if (pread(fd, doc, 4097, LLONG_MAX - 1) > 0 ||
	    pread(fd, doc, 1, LLONG_MAX - 1) > 0)
		failf("pread near LLONG_MAX returned data");
	npreads += 3;
	close(fd);
}

/* lseek moves the cursor where asked; SEEK_END fails and leaves it alone. */
static void check_seek(const char *path)
{
	int fd = open_file(path, O_RDONLY);
	long n;

	if (fd < 0)
		return;
	n = read(fd, doc, 7);
	expect_at("read", doc, n, 0, 7);
	nseeks += 10;
	if (lseek(fd, 0, SEEK_CUR) != 7)
		failf("SEEK_CUR 0 after 7 bytes: %s", strerror(errno));
	if (lseek(fd, 0, SEEK_END) >= 0 || lseek(fd, -1, SEEK_END) >= 0)
		failf("SEEK_END succeeded on a seq_file");
	if (lseek(fd, -1, SEEK_SET) >= 0 || lseek(fd, -100000, SEEK_CUR) >= 0)
		failf("a seek before the start succeeded");
	if (lseek(fd, 0, SEEK_DATA) >= 0)
		failf("SEEK_DATA succeeded");
	if (lseek(fd, 0, SEEK_CUR) != 7)
		failf("a failed seek moved the cursor");
	n = read(fd, doc, 13);
	expect_at("read after failed seeks", doc, n, 7, 13);
	if (lseek(fd, 4095, SEEK_CUR) != 4115)
		failf("SEEK_CUR +4095: %s", strerror(errno));
	n = read(fd, doc, 3);
	expect_at("read after SEEK_CUR", doc, n, 4115, 3);
	if (lseek(fd, 1, SEEK_SET) != 1)
		failf("SEEK_SET 1: %s", strerror(errno));
	n = read_all(fd, 4097, 0);
	if (ref && (n != (long)ref_len - 1 || memcmp(doc, ref + 1, n)))
		failf("the file from byte 1 is not the file's tail");
	if (lseek(fd, 1LL << 40, SEEK_SET) != 1LL << 40 || read(fd, doc, 1) != 0)
		failf("a read 1 TiB in returned data or an error");
	close(fd);
}

/* A pread between reads does not move the read cursor. */
static void check_interleave(const char *path)
{
	int fd = open_file(path, O_RDONLY);
	long n;

	if (fd < 0)
		return;
	n = read(fd, doc, 7);
	expect_at("read", doc, n, 0, 7);
	n = pread(fd, doc, 13, 1);
	expect_at("pread between reads", doc, n, 1, 13);
	n = pread(fd, doc, 1, 1LL << 40);
	expect_at("pread between reads", doc, n, 1LL << 40, 1);
	n = read(fd, doc, 5);
	expect_at("read after preads", doc, n, 7, 5);
	nreads += 2;
	npreads += 2;
	close(fd);
}

/*
 * A buffer that ends at an unmapped page: the read copies what fits or
 * fails with EFAULT, and nothing is lost for the next read.
 */
static void check_fault(const char *path)
{
	char *volatile nowhere = NULL;	/* hidden from the compiler's checks */
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open_file(path, O_RDONLY);
	long n, have = 0;
	const char *why;

	if (fd < 0 || map == MAP_FAILED || mprotect(map + page, page, PROT_NONE))
		goto out;
	for (int i = 0; i < 3; i++) {
		n = read(fd, map + page - 100, 4097);
		nreads++;
		if (n < 0 && errno != EFAULT)
			failf("a read into a half-mapped buffer: %s", strerror(errno));
		if (n > 100)
			failf("a read wrote %ld bytes into 100 mapped ones", n);
		if (n > 0) {
			memcpy(doc + have, map + page - 100, n);
			have += n;
		}
	}
	errno = 0;
	if (read(fd, nowhere, 10) != -1 || errno != EFAULT)
		failf("a read into NULL: not EFAULT (%s)", strerror(errno));
	nreads++;
	n = read_all(fd, 4096, have);
	if (n < 0)
		failf("reads after EFAULT: %s", strerror(-n));
	else if ((why = doc_wrong(doc, n)))
		failf("reads after EFAULT: %s", why);
out:
	if (fd >= 0)
		close(fd);
	if (map != MAP_FAILED)
		munmap(map, 2 * page);
}

/* debugfs lets root truncate a file's size: the content must not change. */
static bool same_after_truncate(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read_all(fd, 65536, 0);

	if (fd >= 0)
		close(fd);
	return n >= 0 && !doc_wrong(doc, n);
}

/*
 * Everything but reading must fail cleanly: write, mmap, mkdir; a
 * truncate may succeed but changes nothing.
 */
static void check_refused(const char *path)
{
	int flags[] = { O_WRONLY, O_RDWR, O_RDONLY };
	char dir[256], *slash;

	for (int i = 0; i < 3; i++) {
		int fd = open(path, flags[i]);

		if (fd < 0)
			continue;	/* refusing the open is clean too */
		if (write(fd, "x", 1) >= 0 || pwrite(fd, "x\n", 2, 4097) >= 0)
			failf("a write to %s succeeded", path);
		if (ftruncate(fd, 0) == 0 && !same_after_truncate(path))
			failf("ftruncate of %s changed what it reads", path);
		if (mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) != MAP_FAILED ||
		    mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) != MAP_FAILED)
			failf("mmap of %s succeeded", path);
		nrefused += 5;
		close(fd);
	}
	if (open(path, O_CREAT | O_EXCL | O_WRONLY, 0600) >= 0)
		failf("O_CREAT|O_EXCL of an existing file succeeded");
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		strcpy(slash, "/new");
	if (mkdir(dir, 0700) == 0 || open(dir, O_CREAT | O_WRONLY, 0600) >= 0)
		failf("created %s in the module's directory", dir);
	nrefused += 3;
}

/* sendfile either copies the whole file or is refused; poll never blocks. */
static void check_other_io(const char *path)
{
	int fd = open_file(path, O_RDONLY), p[2];
	struct pollfd pfd = { .events = POLLIN };
	long n, have = 0;
	const char *why;

	if (fd < 0 || pipe(p))
		return;
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	pfd.fd = fd;
	if (poll(&pfd, 1, 0) < 0)
		failf("poll: %s", strerror(errno));
	while ((n = sendfile(p[1], fd, NULL, 1000)) > 0)
		while (n > 0) {
			long got = read(p[0], doc + have, n);

			if (got <= 0)
				break;
			have += got;
			n -= got;
		}
	if (n < 0 && errno != EINVAL)
		failf("sendfile: %s, not EINVAL", strerror(errno));
	else if (n == 0 && (why = doc_wrong(doc, have)))
		failf("sendfile: %s", why);
	close(p[0]);
	close(p[1]);
	close(fd);
}

static bool drop_sys_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return false;
	d[0].effective &= ~(1u << CAP_SYS_ADMIN);
	d[0].permitted &= ~(1u << CAP_SYS_ADMIN);
	return !syscall(SYS_capset, &h, d);
}

/*
 * Without CAP_SYS_ADMIN every way of reading is refused with EPERM; a
 * descriptor opened with it keeps working, since the opener is checked.
 */
static int nocap_child(const char *path)
{
	int held = open(path, O_RDONLY), fd, bad = 0;
	long n;

	if (held < 0 || !drop_sys_admin())
		return 100;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno == EPERM ? 0 : 101;
	errno = 0;
	bad += read(fd, doc, 1) != -1 || errno != EPERM;
	errno = 0;
	bad += read(fd, doc, 4097) != -1 || errno != EPERM;
	errno = 0;
	bad += pread(fd, doc, 13, 4097) != -1 || errno != EPERM;
	errno = 0;
	bad += pread(fd, doc, 1, 1LL << 40) != -1 || errno != EPERM;
	bad += lseek(fd, 1, SEEK_SET) == 1 && (read(fd, doc, 7) != -1 || errno != EPERM);
	n = read_all(held, 4096, 0);
	if (n < 0 || doc_wrong(doc, n))
		return 102;
	return bad ? 103 : 0;
}

static void check_nocap(const char *path)
{
	static const char *const why[] = {
		"could not drop CAP_SYS_ADMIN",
		"open without CAP_SYS_ADMIN failed, but not with EPERM",
		"a descriptor opened with CAP_SYS_ADMIN stopped working",
		"a read without CAP_SYS_ADMIN was not refused with EPERM",
	};
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(nocap_child(path));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		failf("the reader without CAP_SYS_ADMIN did not exit");
		return;
	}
	status = WEXITSTATUS(status);
	if (status >= 100 && status <= 103)
		failf("%s", why[status - 100]);
	else if (status)
		failf("the reader without CAP_SYS_ADMIN exited with %d", status);
	nrefused += 5;
}

static int run_partial(const char *path, const char *ref_path)
{
	doc = malloc(DOC_MAX);
	if (!doc)
		return 1;
	layout_file = strcmp(ref_path, "-");
	if (layout_file && !slurp(ref_path, &ref, &ref_len)) {
		printf("cannot read %s\n", ref_path);
		return 1;
	}
	check_sizes(path);
	check_mixed(path);
	check_pread(path);
	check_seek(path);
	check_interleave(path);
	check_fault(path);
	check_other_io(path);
	check_refused(path);
	check_nocap(path);
	printf("%ld reads of 1 to 65536 bytes, %ld preads at odd and huge offsets, %ld seeks, %ld writes/mmaps/reads without CAP_SYS_ADMIN refused%s\n",
	       nreads, npreads, nseeks, nrefused, nfail ? "; FAILED" : "");
	return nfail != 0;
}

/* --- many readers while the module comes and goes ------------------------ */

#define MAX_SLOTS 65
#define HANG_MS 10000		/* one system call this long is a hang */
#define BUSY_MS 10000		/* the module this long busy is a leak */
#define RACE_MS 50
#define STRESS_MS 90000		/* all the cycles, well within a boot's time */

/*
 * An unload starts while the readers open and close their files as fast
 * as they can (PH_DRAIN), so opens race the unload; if the module is
 * still in use after RACE_MS, most readers stop opening (PH_QUIET) and the
 * module must go soon.
 */
enum { PH_UNLOADED, PH_LOADED, PH_DRAIN, PH_QUIET };
enum { OP_NONE, OP_OPEN, OP_READ, OP_CLOSE, OP_DIR, OP_LOAD, OP_UNLOAD };
static const char *const op_names[] = {
	"nothing", "open", "read", "close", "getdents", "finit_module",
	"delete_module",
};
enum { K_FULL, K_PART, K_SLOW, K_SEEK, K_DIR, K_PATH, K_NKINDS };
static const char *const kind_names[] = {
	"full", "partial", "slow", "seek", "dirfd", "O_PATH",
};


#define REF_MAX 65536

/*
 * gen counts loads whose layout has been published in ref; phase turns
 * PH_LOADED only after that, so a reader that sees the same gen and
 * PH_LOADED before its open and after it read the instance ref is from.
 */
struct board {
	int phase, stop;
	long gen, cycles, raced, busy, longest_ms, load_ms, drain_ms;
	long long t0;
	struct slot s[MAX_SLOTS];
	size_t ref_len;
	char ref[REF_MAX];
};

static struct board *board;
static long gen_before;		/* board->gen before the open, or -1 */
static const char *dir_path;
static const char *const file_names[] = { "layout", "tasks" };
static unsigned long long rnd_state;

static unsigned long rnd(unsigned long n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return n ? rnd_state % n : 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int phase(void)
{
	return __atomic_load_n(&board->phase, __ATOMIC_SEQ_CST);
}

static void set_phase(int p)
{
	__atomic_store_n(&board->phase, p, __ATOMIC_SEQ_CST);
}

/* Mark the system call about to be made, for the hang watch. */
static void enter(int op)
{
	if (!me)
		return;
	me->since = now_ms();
	__atomic_store_n(&me->op, op, __ATOMIC_SEQ_CST);
}

static void leave(void)
{
	if (me)
		__atomic_store_n(&me->op, OP_NONE, __ATOMIC_SEQ_CST);
}

/*
 * The layout a file just opened must hold: the loader's read of the same
 * load when it is sure to be the same, none (a structure check) otherwise.
 * An open file keeps its load in place until it is closed.
 */
static void pick_ref(void)
{
	ref = NULL;
	if (layout_file && gen_before >= 0 && phase() == PH_LOADED &&
	    __atomic_load_n(&board->gen, __ATOMIC_SEQ_CST) == gen_before) {
		ref = board->ref;
		ref_len = board->ref_len;
	}
}

/* An open that failed: the file is gone (clean) or something is wrong. */
static void open_failed(int err)
{
	if (err == ENOENT)
		me->gone[0]++;
	else if (err == ENXIO)
		me->gone[1]++;
	else if (err == EIO)
		me->gone[2]++;
	else
		failf("open: %s", strerror(err));
	usleep(500 + rnd(1500));
}

static int open_at(int dirfd, const char *name, int flags)
{
	int fd, err;

	gen_before = phase() == PH_LOADED ?
		     __atomic_load_n(&board->gen, __ATOMIC_SEQ_CST) : -1;
	enter(OP_OPEN);
	fd = openat(dirfd, name, flags);
	err = errno;
	leave();
	if (fd >= 0 && !(flags & O_PATH) && !(flags & O_DIRECTORY)) {
		pick_ref();
		__atomic_store_n(&me->holding, fd, __ATOMIC_SEQ_CST);
	}
	if (fd >= 0)
		me->opens++;
	else if (!(flags & O_PATH) && !(flags & O_DIRECTORY))
		open_failed(err);
	else if (err != ENOENT)
		failf("open %s: %s", name, strerror(err));
	errno = err;
	return fd;
}

static void close_fd(int fd)
{
	enter(OP_CLOSE);
	close(fd);
	leave();
	if (me->holding == fd)
		__atomic_store_n(&me->holding, 0, __ATOMIC_SEQ_CST);
}

/* One read or pread (@off >= 0) of up to @n bytes; errno kept. */
static long read_some(int fd, char *buf, size_t n, long long off)
{
	long got;
	int err;

	enter(OP_READ);
	got = off < 0 ? read(fd, buf, n) : pread(fd, buf, n, off);
	err = errno;
	leave();
	me->reads++;
	if (got < 0 && err == EIO)
		me->read_eio++;
	else if (got < 0)
		failf("read: %s", strerror(err));
	else if (got > (long)n)
		failf("read %ld bytes into %zu", got, n);
	errno = err;
	return got;
}

/* Read @fd to EOF in pieces of @size (0: random sizes), then check it. */
static void read_doc(int fd, size_t size, bool slow)
{
	static const size_t sizes[] = { 1, 3, 7, 13, 512, 4095, 4096, 4097, 65536 };
	size_t have = 0;
	const char *why;
	long got;

	do {
		size_t n = size ? size : sizes[rnd(9)];

		if (have + n > DOC_MAX) {
			failf("a file longer than %d bytes", DOC_MAX);
			return;
		}
		got = read_some(fd, doc + have, n, -1);
		if (got > 0)
			have += got;
		/* Let go at once when the loader wants to unload. */
		if (got > 0 && phase() >= PH_DRAIN) {
			me->early++;
			return;
		}
		if (slow && got > 0)
			usleep(500 + rnd(1500));
	} while (got > 0);
	if (got < 0)
		return;
	why = doc_wrong(doc, have);
	if (why)
		failf("%zu bytes read: %s", have, why);
	else
		me->docs++;
}

/* A few bytes from the start, then close with the rest unread. */
static void read_head(int fd)
{
	size_t n = 1 + rnd(400);
	long got = read_some(fd, doc, n, -1);

	if (got <= 0)
		return;
	expect_at("read", doc, got, 0, n);
	me->early++;
}

/* Random preads and seeks; only SEEK_SET and SEEK_CUR may succeed. */
static void read_seeking(int fd)
{
	long long len = ref ? (long long)ref_len : 8192;

	for (int i = 0; i < 8 && phase() < PH_DRAIN; i++) {
		long long off = rnd(len + 200) | 1;
		size_t n = 1 + rnd(4200);
		bool positional = rnd(2);
		long got;

		if (positional) {
			got = read_some(fd, doc, n, off);
		} else {
			if (lseek(fd, off, SEEK_SET) != off) {
				failf("SEEK_SET %lld: %s", off, strerror(errno));
				return;
			}
			got = read_some(fd, doc, n, -1);
		}
		if (got >= 0)
			expect_at(positional ? "pread" : "read", doc, got, off, n);
		if (lseek(fd, 0, SEEK_END) >= 0)
			failf("SEEK_END succeeded");
	}
	me->docs++;
}

/*
 * One pass of a reader that opens and closes its file each time. While
 * the loader unloads, readers only open and close (@race): opens then
 * race the unload, yet leave the module unreferenced often enough for
 * the unload to succeed.
 */
static void pass_plain(const char *path, bool race)
{
	int fd = open_at(AT_FDCWD, path, O_RDONLY);

	if (fd < 0)
		return;
	if (race)
		me->early++;
	else if (me->kind == K_FULL)
		read_doc(fd, 0, false);
	else if (me->kind == K_PART)
		read_head(fd);
	else if (me->kind == K_SLOW)
		read_doc(fd, 1 + rnd(64), true);
	else
		read_seeking(fd);
	close_fd(fd);
}

/*
 * A directory descriptor kept across unloads: the old directory is empty
 * once the module is gone, and a fresh one appears with the next load.
 */
static void pass_dirfd(int *dirfd, const char *name, bool race)
{
	char buf[4096];
	long n;
	int fd;

	if (*dirfd < 0) {
		*dirfd = open_at(AT_FDCWD, dir_path, O_RDONLY | O_DIRECTORY);
		if (*dirfd < 0) {
			usleep(500 + rnd(1500));
			return;
		}
	}
	/* A removed directory lists as ENOENT. */
	enter(OP_DIR);
	n = syscall(SYS_getdents64, *dirfd, buf, sizeof(buf));
	leave();
	if (n < 0 && errno != ENOENT)
		failf("getdents64: %s", strerror(errno));
	fd = n < 0 ? -1 : open_at(*dirfd, name, O_RDONLY);
	if (fd < 0) {
		close_fd(*dirfd);
		*dirfd = -1;
		return;
	}
	if (race)
		me->early++;
	else
		read_doc(fd, 0, false);
	close_fd(fd);
}

/*
 * An O_PATH descriptor kept across unloads and opened again through
 * /proc/self/fd: it must stop working once its file is removed.
 */
static void pass_opath(int *pfd, const char *path, bool race)
{
	char proc[64];
	int fd;

	if (*pfd < 0) {
		*pfd = open_at(AT_FDCWD, path, O_PATH);
		if (*pfd < 0) {
			usleep(500 + rnd(1500));
			return;
		}
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", *pfd);
	fd = open_at(AT_FDCWD, proc, O_RDONLY);
	if (fd < 0) {
		close(*pfd);
		*pfd = -1;
		return;
	}
	if (race)
		me->early++;
	else
		read_doc(fd, 0, false);
	close_fd(fd);
}

static void run_reader(int i)
{
	char path[256];
	int held = -1;

	me = &board->s[i];
	rnd_state = 0x9e3779b97f4a7c15ULL ^ ((unsigned long long)getpid() << 17);
	snprintf(path, sizeof(path), "%s/%s", dir_path, file_names[me->file]);
	layout_file = !me->file;
	ref = NULL;
	while (!__atomic_load_n(&board->stop, __ATOMIC_SEQ_CST)) {
		int ph = phase();
		bool race = ph >= PH_DRAIN;

		/*
		 * Once the unload must go through, only the directory and
		 * O_PATH readers keep opening (and closing at once, now and
		 * then), so opens still meet the unload itself.
		 */
		if (ph == PH_QUIET && me->kind != K_DIR && me->kind != K_PATH) {
			usleep(1000);
			continue;
		}
		if (me->kind == K_DIR)
			pass_dirfd(&held, file_names[me->file], race);
		else if (me->kind == K_PATH)
			pass_opath(&held, path, race);
		else
			pass_plain(path, race);
		usleep(rnd(ph == PH_QUIET ? 3000 : 1500));
	}
	_exit(0);
}

static long load(int kofd)
{
	long r;

	enter(OP_LOAD);
	r = syscall(SYS_finit_module, kofd, "", 0);
	leave();
	return r;
}

/*
 * Unload, retrying for @limit ms while readers hold the module: 0 or
 * -errno. @waited counts from @t0.
 */
static int unload(long *busy, long long t0, long long *waited, long limit)
{
	int err;

	for (;;) {
		enter(OP_UNLOAD);
		err = syscall(SYS_delete_module, "vasx", O_NONBLOCK) ? errno : 0;
		leave();
		*waited = now_ms() - t0;
		if (err != EAGAIN && err != EBUSY)
			return -err;
		++*busy;
		if (*waited > limit)
			return -err;
		usleep(1000 + rnd(2000));
	}
}

/*
 * An open file holds a reference on the module (its file operations are
 * the module's), so unloading fails with EAGAIN until the file is closed,
 * and the reader still gets the whole file meanwhile.
 */
static void check_pinned(int kofd, const char *path)
{
	long busy = 0, got;
	long long waited;
	int fd, err;

	if (load(kofd)) {
		failf("finit_module: %s", strerror(errno));
		return;
	}
	layout_file = true;
	ref = NULL;
	fd = open_file(path, O_RDONLY);
	got = fd < 0 ? -1 : read_all(fd, 65536, 0);
	if (got < 0 || doc_wrong(doc, got)) {
		failf("the layout after a load is not whole");
		return;
	}
	close(fd);
	ref = malloc(got);
	ref_len = got;
	memcpy(ref, doc, got);
	fd = open_file(path, O_RDONLY);
	if (fd < 0)
		return;
	got = read(fd, doc, 5);
	err = syscall(SYS_delete_module, "vasx", O_NONBLOCK) ? errno : 0;
	if (err != EAGAIN && err != EBUSY)
		failf("delete_module with the file open: %s, not EAGAIN",
		      err ? strerror(err) : "unloaded");
	got = read_all(fd, 4096, got > 0 ? got : 0);
	if (got < 0 || doc_wrong(doc, got))
		failf("the file open across a refused unload is not whole");
	close(fd);
	if (unload(&busy, now_ms(), &waited, BUSY_MS))
		failf("delete_module once the file was closed: %s", strerror(errno));
	if (access(path, F_OK) == 0 || errno != ENOENT)
		failf("%s is still there after the unload", path);
	free(ref);
	ref = NULL;
}

/*
 * Keep each layout that differs from the last load's in $PR_LAYOUTS, for
 * checks against the kernel's symbols: pages freed at boot and given out
 * again change permissions inside the kernel image's mapping.
 */
static void save_layout(long n)
{
	const char *dir = getenv("PR_LAYOUTS");
	char path[256];
	int fd;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/load-%ld", dir, board->cycles + 1);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, doc, n) != n)
		failf("cannot save %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Read what this load's layout holds, for the readers to compare. */
static bool publish_layout(void)
{
	char path[256];
	int fd;
	long n;

	snprintf(path, sizeof(path), "%s/layout", dir_path);
	layout_file = true;
	ref = NULL;
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -errno : read_all(fd, 65536, 0);
	if (fd >= 0)
		close(fd);
	if (n < 0 || n > REF_MAX || doc_wrong(doc, n)) {
		failf("the loader's read of the layout: %s",
		      n < 0 ? strerror(-n) : "not a layout");
		return false;
	}
	if ((size_t)n != board->ref_len || memcmp(board->ref, doc, n))
		save_layout(n);
	memcpy(board->ref, doc, n);
	board->ref_len = n;
	__atomic_fetch_add(&board->gen, 1, __ATOMIC_SEQ_CST);
	return true;
}

/* Which readers hold a file open, for a module that would not go. */
static const char *holders(void)
{
	static char buf[128];
	size_t n = 0;

	buf[0] = 0;
	for (int i = 1; i < MAX_SLOTS && n < sizeof(buf) - 8; i++)
		if (__atomic_load_n(&board->s[i].holding, __ATOMIC_SEQ_CST))
			n += snprintf(buf + n, sizeof(buf) - n, " %d", i);
	return n ? buf : " none";
}

static void run_loader(int kofd, long cycles)
{
	long long waited;
	int err;

	struct sched_param sp = { .sched_priority = 1 };
	long long t0;

	me = &board->s[0];
	rnd_state = 0x2545f4914f6cdd1dULL ^ (unsigned long long)getpid();
	/* Run as soon as it wakes: the readers are the load, not the loader. */
	sched_setscheduler(0, SCHED_FIFO, &sp);
	for (long i = 0; i < cycles; i++) {
		t0 = now_ms();

		if (load(kofd)) {
			failf("finit_module in cycle %ld: %s", i + 1, strerror(errno));
			break;
		}
		if (!publish_layout())
			break;
		board->load_ms += now_ms() - t0;
		set_phase(PH_LOADED);
		usleep(30000 + rnd(60000));
		set_phase(PH_DRAIN);
		t0 = now_ms();
		err = unload(&board->busy, t0, &waited, RACE_MS);
		if (err == -EAGAIN || err == -EBUSY) {
			set_phase(PH_QUIET);
			err = unload(&board->busy, t0, &waited, BUSY_MS);
		} else if (!err) {
			board->raced++;
		}
		if (waited > board->longest_ms)
			board->longest_ms = waited;
		board->drain_ms += waited;
		if (err) {
			failf("delete_module in cycle %ld after %lld ms: %s; readers with a file open:%s",
			      i + 1, waited, strerror(-err), holders());
			break;
		}
		set_phase(PH_UNLOADED);
		board->cycles++;
		usleep(rnd(5000));
	}
	_exit(0);
}

static const char *who(int i)
{
	static char buf[64];
	const struct slot *s = &board->s[i];

	if (!i)
		return "the loader";
	snprintf(buf, sizeof(buf), "reader %d (%s, %s)", i, kind_names[s->kind],
		 file_names[s->file]);
	return buf;
}

/* Where a stuck process sleeps, from /proc: wchan and the kernel stack. */
static void show_stuck(pid_t pid)
{
	static const char *const what[] = { "wchan", "stack" };
	char path[64], buf[1024];

	for (int i = 0; i < 2; i++) {
		int fd;
		long n;

		snprintf(path, sizeof(path), "/proc/%d/%s", pid, what[i]);
		fd = open(path, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		buf[n > 0 ? n : 0] = 0;
		for (char *c = buf; *c; c++)
			if (*c == '\n')
				*c = ' ';
		printf("FAIL   %s: %s\n", what[i], buf);
	}
}

/* False when a process has spent HANG_MS in one system call. */
static bool watch(int nslots)
{
	long long t = now_ms();

	for (int i = 0; i < nslots; i++) {
		const struct slot *s = &board->s[i];
		int op = __atomic_load_n(&s->op, __ATOMIC_SEQ_CST);

		if (op != OP_NONE && t - s->since > HANG_MS) {
			failf("%s hangs in %s (%lld ms)", who(i), op_names[op],
			      t - s->since);
			show_stuck(s->pid);
			return false;
		}
	}
	return true;
}

/* Wait for @pid to exit (0: every child), watching for hangs. */
static bool supervise(pid_t pid, int nslots, long long limit_ms,
		      const char *late)
{
	long long t0 = now_ms();

	for (;;) {
		pid_t r = waitpid(pid, NULL, WNOHANG);

		if (r < 0 || (pid > 0 && r == pid))
			return true;
		if (!watch(nslots))
			return false;
		if (now_ms() - t0 > limit_ms) {
			failf("%s within %lld ms", late, limit_ms);
			return false;
		}
		usleep(20000);
	}
}

static void report(int nslots)
{
	long sum[9] = { 0 };

	for (int i = 0; i < nslots; i++) {
		const struct slot *s = &board->s[i];
		long add[9] = {
			s->opens, s->reads, s->docs, s->early, s->gone[0],
			s->gone[1], s->gone[2], s->read_eio, s->bad,
		};

		for (int k = 0; k < 9; k++)
			sum[k] += add[k];
		if (s->bad)
			printf("FAIL %s: %d failures, the first: %s\n", who(i),
			       s->bad, s->note);
	}
	nfail += sum[8];
	printf("%ld load/unload cycles (%ld unloads while readers raced it), %d readers (full, partial, slow, seek, dirfd and O_PATH; layout and tasks): %ld opens, %ld reads, %ld files checked whole, %ld closed early; opens of a gone file: %ld ENOENT, %ld ENXIO, %ld EIO; %ld reads EIO; unload refused %ld times while files were open (longest wait %ld ms); a load took %ld ms, an unload %ld ms on average; %lld s in all%s\n",
	       board->cycles, board->raced, nslots - 1, sum[0], sum[1], sum[2], sum[3],
	       sum[4], sum[5], sum[6], sum[7], board->busy, board->longest_ms,
	       board->load_ms / (board->cycles ? board->cycles : 1),
	       board->drain_ms / (board->cycles ? board->cycles : 1),
	       (now_ms() - board->t0 + 500) / 1000,
	       nfail ? "; FAILED" : "");
}

static pid_t spawn(int i, int kofd, long cycles)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (i)
			run_reader(i);
		run_loader(kofd, cycles);
	}
	board->s[i].pid = pid;
	return pid;
}

static int run_stress(char **argv)
{
	long cycles = atol(argv[2]);
	int nslots = atoi(argv[3]) + 1, kofd = open(argv[0], O_RDONLY);
	char path[256];
	pid_t loader;

	dir_path = argv[1];
	doc = malloc(DOC_MAX);
	board = mmap(NULL, sizeof(*board), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (kofd < 0 || !doc || board == MAP_FAILED || nslots < 2 ||
	    nslots > MAX_SLOTS || cycles < 1) {
		printf("usage: preader stress KO DIR CYCLES READERS (1 to %d)\n",
		       MAX_SLOTS - 1);
		return 2;
	}
	board->t0 = now_ms();
	snprintf(path, sizeof(path), "%s/layout", dir_path);
	check_pinned(kofd, path);
	for (int i = 1; i < nslots; i++) {
		board->s[i].kind = (i - 1) % K_NKINDS;
		board->s[i].file = (i - 1) / K_NKINDS % 2;
		spawn(i, kofd, cycles);
	}
	loader = spawn(0, kofd, cycles);
	if (supervise(loader, nslots, STRESS_MS, "the cycles did not end")) {
		__atomic_store_n(&board->stop, 1, __ATOMIC_SEQ_CST);
		if (supervise(0, nslots, HANG_MS, "the readers did not stop"))
			goto done;
	}
	/* Stuck in the kernel: report it, kill what can be killed, go on. */
	for (int i = 0; i < nslots; i++)
		if (board->s[i].pid > 0)
			kill(board->s[i].pid, SIGKILL);
done:
	report(nslots);
	return nfail != 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "partial"))
		return run_partial(argv[2], argv[3]);
	if (argc == 6 && !strcmp(argv[1], "stress"))
		return run_stress(argv + 2);
	fprintf(stderr, "usage: preader partial FILE REF|-\n"
		"       preader stress KO DIR CYCLES READERS\n");
	return 2;
}
