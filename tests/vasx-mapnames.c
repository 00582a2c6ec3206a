/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vasx-mapnames: a process that maps files whose names attack a terminal.
 *
 *	vasx-mapnames DIR [--huge] [ARGS...]
 *
 * In DIR (which must exist) it creates one file per hostile name below,
 * maps each, names itself and a thread with escape sequences (comm), then
 * prints
 *
 *	pid 4242
 *	name HEX		the whole path of one mapped file, in hex
 *	ready
 *
 * and waits until its stdin closes or a signal ends it. SIGUSR1 unmaps the
 * hostile files and maps them again (elsewhere), so a viewer sees them
 * removed and added; "toggled N" follows each time. ARGS are ignored:
 * they put escape sequences into its command line. --huge adds a path
 * longer than PATH_MAX (nested directories, opened one level at a time),
 * which /proc/PID/maps prints in full.
 *
 * It does not use the core library: it is what the core is tested against.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#define LONG_TOTAL	4000	/* a path near PATH_MAX, but inside it */
#define HUGE_TOTAL	6000	/* a path beyond PATH_MAX */
#define COMPONENT	255	/* NAME_MAX */

/* Each one either does something to a terminal or hides what it is. */
static const char *const names[] = {
	"\033[2J\033[Hclear-screen",			/* erase, cursor home */
	"\033]0;PWNED-TITLE\007osc-title",		/* window title, BEL */
	"\033]2;PWNED-TITLE2\033\\osc-title-st",	/* window title, ST */
	"\033[10;10H\033[5A\033[3Dcursor-moves",	/* cursor moves */
	"\033]52;c;cHduZWQ=\007osc52-clipboard",	/* set the clipboard */
	"\033[?1049lleave-alt-screen\033[?25l",		/* leave the screen, hide cursor */
	"\033[?1000h\033[?1006hmouse-on",		/* mouse reporting */
	"\033cfull-reset",				/* RIS */
	"\033P+q544e\033\\dcs",				/* DCS (terminfo query) */
	"\xc2\x9b" "2J-c1-csi-utf8",			/* U+009B: CSI on some terminals */
	"\xc2\x9d" "0;C1-TITLE\xc2\x9c-c1-osc",		/* U+009D OSC ... U+009C ST */
	"\x9b" "2J-c1-raw-byte",			/* 0x9b alone: not UTF-8 */
	"\xc3\x9b" "2J-c1-inside",			/* U+00DB: CSI to an 8-bit terminal */
	"new\nline",
	"tab\there",
	"cr\rreturn",
	"bs\b\b\bdel\x7f",
	"bell\a",
	"bad\xff\xfeutf8",
	"trunc\xc3",
	"overlong\xc0\xaf",
	"surrogate\xed\xa0\x80",
	"\xe2\x80\xaetxt.exe",				/* U+202E RLO */
	"lrm\xe2\x80\x8e" "rlm\xe2\x80\x8f" "alm\xd8\x9c",
	"iso\xe2\x81\xa6lri\xe2\x81\xa7rli\xe2\x81\xa8" "fsi\xe2\x81\xa9pdi",
	"zwsp\xe2\x80\x8bzwj\xe2\x80\x8d" "bom\xef\xbb\xbf",
	"ls\xe2\x80\xa8ps\xe2\x80\xa9",
	"back\\012slash\\x1b",				/* a literal backslash */
	"quote\"comma,semi;",
	"  lead and trail spaces  ",
	"caf\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac-\xf0\x9f\x98\x80",	/* valid text */
};

#define NFILES		(sizeof(names) / sizeof(names[0]) + 2)

/* Each mapped file: kept open, so it can be mapped again. */
static struct {
	int fd;
	void *at;
} files[NFILES];
static size_t nfiles;
static volatile sig_atomic_t toggle;

static int put_file(int dirfd, const char *name)
{
	static char page[4096];
	int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_TRUNC, 0600);
	void *at;

	if (fd < 0)
		return -1;
	memset(page, 'x', sizeof(page));
	if (write(fd, page, sizeof(page)) != (ssize_t)sizeof(page))
		goto fail;
	at = mmap(NULL, sizeof(page), PROT_READ, MAP_PRIVATE, fd, 0);
	if (at == MAP_FAILED)
		goto fail;
	files[nfiles].fd = fd;
	files[nfiles++].at = at;
	return 0;
fail:
	close(fd);
	return -1;
}

/* Map each again before unmapping it, so it lands at another address. */
static void remap_all(void)
{
	for (size_t i = 0; i < nfiles; i++) {
		void *at = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, files[i].fd, 0);

		if (at == MAP_FAILED)
			continue;
		munmap(files[i].at, 4096);
		files[i].at = at;
	}
}

/* A thread named with an escape sequence: its name shows in the details. */
static void *named_thread(void *arg)
{
	int *fds = arg;
	char c;

	prctl(PR_SET_NAME, "\033]2;THR\007\033[2J#", 0, 0, 0);
	/* nobody writes: it waits until the process ends */
	while (read(fds[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
	toggle = 1;
}

static void say_name(const char *dir, const char *rel)
{
	const unsigned char *p;

	printf("name ");
	for (p = (const unsigned char *)dir; *p; p++)
		printf("%02x", *p);
	printf("2f");
	for (p = (const unsigned char *)rel; *p; p++)
		printf("%02x", *p);
	putchar('\n');
}

/*
 * A path of about @total bytes under @dir: directories of 255-byte names,
 * then a file, created relative to each level so no call sees it whole.
 */
static int deep_file(const char *dir, int dirfd, size_t total, char fill)
{
	char comp[COMPONENT + 1], *rel;
	size_t used = strlen(dir) + 1, n = 0;
	int fd = dup(dirfd), next, err;

	rel = malloc(total + 1);
	if (!rel || fd < 0)
		return -1;
	memset(comp, fill, COMPONENT);
	comp[COMPONENT] = '\0';
	/* the leaf keeps at least 64 bytes */
	while (total - used > COMPONENT) {
		size_t d = total - used - 65 < COMPONENT ? total - used - 65 : COMPONENT;

		comp[d] = '\0';
		if (mkdirat(fd, comp, 0700) && errno != EEXIST)
			return -1;
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY);
		close(fd);
		if (next < 0)
			return -1;
		fd = next;
		memcpy(rel + n, comp, d);
		rel[n + d] = '/';
		n += d + 1;
		used += d + 1;
		comp[d] = fill;
	}
	comp[total - used] = '\0';
	/* the leaf ends in an escape sequence: cutting must not split it */
	memcpy(comp + total - used - 6, "\033[2J!", 5);
	memcpy(rel + n, comp, total - used + 1);
	err = put_file(fd, comp);
	close(fd);
	if (!err)
		say_name(dir, rel);
	free(rel);
	return err;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : NULL;
	int dirfd;
	struct sigaction sa;
	unsigned long n = 0;
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	static int block[2];
	pthread_t thread;
	int got;
	char c;

	if (!dir) {
		fprintf(stderr, "usage: vasx-mapnames DIR [--huge] [ARGS...]\n");
		return 2;
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dirfd < 0) {
		perror(dir);
		return 1;
	}
	printf("pid %d\n", (int)getpid());
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (put_file(dirfd, names[i])) {
			perror(names[i]);
			return 1;
		}
		say_name(dir, names[i]);
	}
	if (deep_file(dir, dirfd, LONG_TOTAL, 'L') ||
	    (argc > 2 && !strcmp(argv[2], "--huge") && deep_file(dir, dirfd, HUGE_TOTAL, 'H'))) {
		perror("a long path");
		return 1;
	}
	if (pipe(block) || pthread_create(&thread, NULL, named_thread, block)) {
		perror("a named thread");
		return 1;
	}
	/* 15 bytes: the title sequence, then a screen clear */
	prctl(PR_SET_NAME, "\033]0;CT\007\033[2J!", 0, 0, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	printf("ready\n");
	fflush(stdout);
	/* the timeout catches a signal that came just before poll() */
	while ((got = poll(&pfd, 1, 100)) >= 0 || errno == EINTR) {
		if (got > 0 && read(0, &c, 1) <= 0)
			break;
		if (toggle) {
			toggle = 0;
			remap_all();
			printf("toggled %lu\n", ++n);
			fflush(stdout);
		}
	}
	return 0;
}
