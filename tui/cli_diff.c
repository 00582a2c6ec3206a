/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --diff A B: what changed between two saved snapshot trees. --watch: what
 * changes in a live process, one log line per change as it happens.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vasx/diff.h"
#include "vasx/source.h"
#include "vasx/status.h"
#include "vasx/vas.h"
#include "cli.h"
#include "cli_diff.h"

/*
 * The process a tree holds: its only pid, or the one its vasx-save note
 * names. 0 and *pid, or 1 after saying why not.
 */
static int tree_pid(struct vasx_source *src, const char *dir, int *pid)
{
	char *note = NULL, *p;
	size_t n = 0, len;
	int *ids = NULL;
	int err;

	err = src->ops->list_ids(src, 0, &ids, &n);
	if (err)
		return vasx_cli_fail("cannot list %s: %s", dir, vasx_strerror(err));
	*pid = n == 1 ? ids[0] : 0;
	free(ids);
	if (n > 1 && !vasx_source_slurp(src, 0, "vasx-save", &note, &len)) {
		p = strstr(note, "\npid ");
		if (p)
			*pid = atoi(p + 5);
		free(note);
	}
	if (*pid > 0)
		return 0;
	if (!n)
		return vasx_cli_fail("%s holds no process: give a tree written by --save", dir);
	return vasx_cli_fail("%s holds %zu processes and no vasx-save note naming one", dir, n);
}

/* Load the snapshot saved under @dir. 0, or 1 after saying why not. */
static int tree_load(const struct vasx_cli *c, const char *dir, struct vasx_source **src,
		     struct vasx_snapshot **snap)
{
	struct vasx_cli at = *c;
	int pid = 0, err;

	err = vasx_source_open_dir(dir, src);
	if (err)
		return vasx_cli_fail("cannot open snapshot tree %s: %s", dir, vasx_strerror(err));
	if (c->debug) {
		(*src)->trace = vasx_cli_trace;
		(*src)->trace_ctx = NULL;
	}
	if (tree_pid(*src, dir, &pid))
		return 1;
	err = vasx_snapshot_load(*src, pid, VASX_LOAD_SMAPS, snap);
	at.src = *src;
	return err ? vasx_cli_load_error(&at, pid, err) : 0;
}

int vasx_cli_diff(const struct vasx_cli *c, const char *dir_a, const char *dir_b, bool json)
{
	struct vasx_source *src_a = NULL, *src_b = NULL;
	struct vasx_snapshot *a = NULL, *b = NULL;
	struct vasx_diff d = { 0 };
	int status, err;

	status = tree_load(c, dir_a, &src_a, &a);
	if (!status)
		status = tree_load(c, dir_b, &src_b, &b);
	if (status)
		goto out;
	if (a->pid != b->pid)
		fprintf(stderr, "vasx: note: %s holds pid %d and %s pid %d: not the same "
			"process\n", dir_a, a->pid, dir_b, b->pid);
	else if (!vasx_snapshot_same_process(a, b))
		fprintf(stderr, "vasx: note: pid %d of %s and of %s are not the same process "
			"(started at clock tick %llu and %llu): the pid was reused\n", a->pid,
			dir_a, dir_b, a->stat.starttime, b->stat.starttime);
	err = vasx_diff(a, b, &d);
	errno = 0;
	if (!err)
		err = vasx_export_diff(stdout, &d, json);
	if (!err && fflush(stdout))
		err = -errno;
	/* the exporter says -EIO for any write error: the write's errno says which */
	if (err == -EIO && errno)
		err = -errno;
	if (err == -ENOMEM)
		status = vasx_cli_fail("cannot compare %s and %s: %s", dir_a, dir_b,
				       vasx_strerror(err));
	else if (err)
		status = vasx_cli_write_error(err);
out:
	vasx_diff_release(&d);
	vasx_snapshot_free(a);
	vasx_snapshot_free(b);
	vasx_source_close(src_a);
	vasx_source_close(src_b);
	return status;
}

static volatile sig_atomic_t watch_stop;

static void watch_on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

/* SIGINT and SIGTERM interrupt the wait and end the watch after the line being written. */
static void watch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = watch_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* "2026-11-21T22:40:01.123Z pid 4242 " and the event. 0 or -errno of the write. */
static int watch_event(int pid, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int watch_event(int pid, const char *fmt, ...)
{
	struct timespec ts;
	char when[32];
	struct tm tm;
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (!gmtime_r(&ts.tv_sec, &tm) || !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm))
		when[0] = '\0';
	printf("%s.%03ldZ pid %d ", when, ts.tv_nsec / 1000000, pid);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return vasx_cli_flush();
}

static void timespec_add(struct timespec *t, double seconds)
{
	long long ns = (long long)(seconds * 1e9);

	t->tv_sec += (time_t)(ns / 1000000000);
	t->tv_nsec += (long)(ns % 1000000000);
	if (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

/*
 * A pipe whose reader has gone: "vasx --watch PID | head -1" ends when head
 * does, not at the next change, which may never come.
 */
static bool reader_gone(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = 0 };
	struct stat st;

	return !fstat(STDOUT_FILENO, &st) && S_ISFIFO(st.st_mode) && poll(&p, 1, 0) == 1 &&
	       (p.revents & POLLERR);
}

/*
 * Sleep to @deadline, then move it one period on (never into the past).
 * A gone reader is looked for every tenth of a second meanwhile.
 */
static void watch_wait(struct timespec *deadline, double seconds)
{
	struct timespec now, step;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &step);
		timespec_add(&step, 0.1);
		if (step.tv_sec > deadline->tv_sec ||
		    (step.tv_sec == deadline->tv_sec && step.tv_nsec > deadline->tv_nsec))
			step = *deadline;
		while (!watch_stop &&
		       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &step, NULL) == EINTR)
			;
		if (watch_stop || reader_gone() || (step.tv_sec == deadline->tv_sec &&
						    step.tv_nsec == deadline->tv_nsec))
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	timespec_add(deadline, seconds);
	if (deadline->tv_sec < now.tv_sec ||
	    (deadline->tv_sec == now.tv_sec && deadline->tv_nsec < now.tv_nsec)) {
		*deadline = now;
		timespec_add(deadline, seconds);
	}
}

/* The end of the process, as a line; the exit status says it too. */
static int watch_gone(int pid, int err)
{
	if (err == -VASX_E_PIDREUSED)
		watch_event(pid, "exited; the pid now belongs to another process");
	else
		watch_event(pid, "exited");
	return VASX_EXIT_GONE;
}

/*
 * Pss moves whenever another process maps or unmaps the same pages: news
 * about the others, which would flood the log with libc every tick.
 */
static bool pss_only(const struct vasx_change *ch)
{
	return ch->kind == VASX_CH_RSS && !ch->d_rss_kb && !ch->d_swap_kb;
}

/*
 * What a watch keeps between ticks. Maps is read every tick; smaps, which
 * costs several times more on a big process, only as often as keeps its
 * reading under a tenth of the time (every tick for most processes), and
 * its counters are compared with the last snapshot that had them.
 */
struct watch {
	const struct vasx_cli *c;
	struct vasx_snapshot *prev;	/* the last snapshot */
	struct vasx_snapshot *rss_base;	/* the last one with smaps (may be prev), or NULL */
	bool smaps_ok;			/* smaps could be read at the start */
	double smaps_due;		/* CLOCK_MONOTONIC ms of the next smaps read */
};

/* @next becomes the last snapshot; free those no longer referenced. */
static void watch_keep(struct watch *w, struct vasx_snapshot *next, double now)
{
	struct vasx_snapshot *old_prev = w->prev, *old_base = w->rss_base;

	w->prev = next;
	if (next->smaps) {
		w->rss_base = next;
		w->smaps_due = now + 9 * next->load_ms;
	}
	if (old_prev && old_prev != w->prev && old_prev != w->rss_base)
		vasx_snapshot_free(old_prev);
	if (old_base && old_base != w->rss_base && old_base != old_prev)
		vasx_snapshot_free(old_base);
}

/* Print the changes from @a to @b: the layout ones, or the counter ones. */
static int watch_print(const struct watch *w, const struct vasx_snapshot *a,
		       const struct vasx_snapshot *b, bool counters)
{
	struct vasx_diff d;
	struct timespec ts;
	int err = vasx_diff(a, b, &d);

	if (err)
		return vasx_cli_fail("cannot compare snapshots of pid %d: %s", w->c->pid,
				     vasx_strerror(err));
	clock_gettime(CLOCK_REALTIME, &ts);
	errno = 0;
	for (size_t i = 0; i < d.n && !err; i++)
		if ((d.v[i].kind == VASX_CH_RSS) == counters && !pss_only(&d.v[i]))
			err = vasx_export_change_line(stdout, &d.v[i], w->c->pid, &ts);
	if (!err)
		err = vasx_cli_flush();
	if (err == -EIO && errno)
		err = -errno;
	vasx_diff_release(&d);
	return err ? vasx_cli_write_error(err) : 0;
}

/* One tick. 0 to go on, else the exit status. */
static int watch_tick(struct watch *w)
{
	const struct vasx_cli *c = w->c;
	double now = vasx_cli_now_ms();
	bool smaps = w->smaps_ok && now >= w->smaps_due;
	struct vasx_snapshot *next;
	int err, status;

	err = vasx_snapshot_load(c->src, c->pid, smaps ? VASX_LOAD_SMAPS : 0, &next);
	if (err == -ESRCH || err == -ENOENT || err == -VASX_E_EXITED || err == -VASX_E_PIDREUSED)
		return watch_gone(c->pid, err);
	if (err)
		return vasx_cli_load_error(c, c->pid, err);
	if (!vasx_snapshot_same_process(w->prev, next)) {
		vasx_snapshot_free(next);
		return watch_gone(c->pid, -VASX_E_PIDREUSED);
	}
	status = watch_print(w, w->prev, next, false);
	if (!status && next->smaps && w->rss_base)
		status = watch_print(w, w->rss_base, next, true);
	watch_keep(w, next, now);
	return status;
}

int vasx_cli_watch(const struct vasx_cli *c, double seconds)
{
	struct watch w = { .c = c };
	struct vasx_snapshot *snap;
	struct timespec deadline;
	int err, status = 0;

	/* A log reader sees each change when it happens, not when a buffer fills. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	watch_signals();
	err = vasx_snapshot_load(c->src, c->pid, VASX_LOAD_SMAPS, &snap);
	if (err)
		return vasx_cli_load_error(c, c->pid, err);
	w.smaps_ok = snap->smaps != NULL;
	if (!w.smaps_ok)
		fprintf(stderr, "vasx: cannot read %s/%d/smaps (%s): RSS and swap changes will "
			"not be shown\n", c->src->root, c->pid, vasx_strerror(snap->smaps_err));
	watch_keep(&w, snap, vasx_cli_now_ms());
	err = watch_event(c->pid, "watching %zu mappings every %g s", snap->totals.map_count,
			  seconds);
	if (err)
		status = vasx_cli_write_error(err);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	timespec_add(&deadline, seconds);
	while (!status) {
		watch_wait(&deadline, seconds);
		if (watch_stop)
			break;
		if (reader_gone()) {
			status = vasx_cli_write_error(-EPIPE);
			break;
		}
		status = watch_tick(&w);
	}
	if (watch_stop && !status)
		watch_event(c->pid, "watch stopped by a signal");
	if (w.rss_base != w.prev)
		vasx_snapshot_free(w.rss_base);
	vasx_snapshot_free(w.prev);
	return status;
}
