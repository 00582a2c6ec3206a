/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The batch commands. Output is rendered into memory and written in one
 * piece at the end, so a process that exits while it is read gives an
 * error and no output, never a truncated table.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vasx/export.h"
#include "vasx/pidinfo.h"
#include "vasx/proc.h"
#include "vasx/source.h"
#include "vasx/status.h"
#include "vasx/vas.h"
#include "cli.h"

int vasx_cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("vasx: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int vasx_cli_write_error(int err)
{
	/* "vasx ... | head": the reader has what it wanted; a message would be noise. */
	if (err == -EPIPE)
		return 1;
	return vasx_cli_fail("cannot write the output: %s", vasx_strerror(err));
}

int vasx_cli_flush(void)
{
	return fflush(stdout) || ferror(stdout) ? -(errno ? errno : EIO) : 0;
}

double vasx_cli_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void vasx_cli_trace(void *ctx, const char *what, int err, double ms)
{
	(void)ctx;
	if (err)
		fprintf(stderr, "vasx: debug: %s: %s (%.3f ms)\n", what, vasx_strerror(err), ms);
	else
		fprintf(stderr, "vasx: debug: opened %s (%.3f ms)\n", what, ms);
}

/* Exited before vasx started: nothing was read "while" it exited. */
static bool is_zombie(struct vasx_source *src, int pid)
{
	struct vasx_stat st;

	return src->live && !vasx_pidinfo_load(src, pid, &st, NULL, NULL, NULL) &&
	       st.state == 'Z';
}

int vasx_cli_load_error(const struct vasx_cli *c, int pid, int err)
{
	const char *root = c->src->root;

	switch (err) {
	case -ESRCH:
	case -ENOENT:
		if (c->src->live)
			return vasx_cli_fail("no process with pid %d", pid);
		return vasx_cli_fail("no process %d in %s", pid, root);
	case -EACCES:
	case -EPERM:
		if (c->src->live && geteuid() == 0)
			return vasx_cli_fail("permission denied reading %s/%d/maps even as root: "
					     "ptrace access to it is refused (a security policy, or "
					     "a process of another user namespace)", root, pid);
		return vasx_cli_fail("permission denied reading %s/%d/maps: run as root or as the "
				     "process's owner (needs ptrace read access)", root, pid);
	case -VASX_E_EXITED:
	case -VASX_E_PIDREUSED:
		if (err == -VASX_E_EXITED && is_zombie(c->src, pid))
			return vasx_cli_fail("process %d exited and is a zombie (its parent has "
					     "not reaped it yet): it has no address space", pid);
		return vasx_cli_fail("process %d exited while it was being read (%s); nothing "
				     "was printed", pid, vasx_strerror(err));
	default:
		return vasx_cli_fail("cannot read process %d from %s: %s", pid, root,
				     vasx_strerror(err));
	}
}

struct render {
	const struct vasx_cli *c;
	const struct vasx_snapshot *s;
	int (*fn)(FILE *f, const struct render *r, bool color);
	/* --maps: the processes */
	const int *pids;
	size_t npids;
	size_t nbyname;		/* pids[0..nbyname) were chosen by -p and --regex */
	bool strict;		/* a process that cannot be read is an error */
};

static int render_to_memory(const struct render *r, bool color, char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);
	int err;

	if (!f)
		return -errno;
	err = r->fn(f, r, color);
	if (fclose(f) && !err)
		err = -ENOMEM;
	if (err) {
		free(*buf);
		*buf = NULL;
	}
	return err;
}

/*
 * 0, or 1 once said why the log was not written. A record is appended whole
 * or not at all: one that fails half way (a full disk) is cut off again, and
 * a log this call created is removed.
 */
static int append_log(const struct vasx_cli *c, const char *buf, size_t len)
{
	int fd = open(c->log_path, O_WRONLY | O_APPEND | O_CLOEXEC);
	bool created = false;
	struct stat st;
	size_t done = 0;
	ssize_t n = 1;
	int err;

	if (fd < 0 && errno == ENOENT) {
		fd = open(c->log_path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		created = fd >= 0;
	}
	if (fd < 0)
		return vasx_cli_fail("cannot append to the log %s: %s", c->log_path,
				     strerror(errno));
	if (fstat(fd, &st) < 0)
		st.st_size = -1;
	while (done < len && (n = write(fd, buf + done, len - done)) > 0)
		done += (size_t)n;
	err = done == len ? 0 : n == 0 ? ENOSPC : errno;
	if (!err && fsync(fd) < 0 && errno != EINVAL && errno != EROFS)
		err = errno;
	if (err && created) {
		unlink(c->log_path);
	} else if (err && st.st_size >= 0 && ftruncate(fd, st.st_size) < 0) {
		/* what was appended stays: the message below still tells */
		st.st_size = -1;
	}
	if (close(fd) < 0 && !err)
		err = errno;
	if (err)
		return vasx_cli_fail("cannot append to the log %s: %s", c->log_path,
				     strerror(err));
	return 0;
}

/*
 * Render, then print in one write; the log gets the same without colour.
 * Returns -errno, or 1 when a failure was already said (the log: the
 * output is still printed, the exit status is 1).
 */
static int emit(const struct render *r)
{
	const struct vasx_cli *c = r->c;
	double t0 = vasx_cli_now_ms();
	char *buf = NULL;
	size_t len = 0;
	int err, log_err = 0;

	err = render_to_memory(r, c->eo.color, &buf, &len);
	if (err)
		return err;
	if (c->debug)
		fprintf(stderr, "vasx: debug: rendered %zu bytes in %.3f ms\n", len,
			vasx_cli_now_ms() - t0);
	if (c->log_path) {
		char *plain = NULL;
		size_t plen = 0;

		if (!c->eo.color)
			log_err = append_log(c, buf, len);
		else if (!render_to_memory(r, false, &plain, &plen))
			log_err = append_log(c, plain, plen);
		free(plain);
	}
	if (len && fwrite(buf, 1, len, stdout) != len)
		err = -errno;
	free(buf);
	if (!err && fflush(stdout))
		err = -errno;
	return err ? err : log_err;
}

static int render_graph(FILE *f, const struct render *r, bool color)
{
	struct vasx_export_opts o = r->c->eo;

	o.color = color;
	return vasx_export_graph(f, r->s, &o);
}

static int render_table(FILE *f, const struct render *r, bool color)
{
	struct vasx_export_opts o = r->c->eo;

	o.color = color;
	switch (r->c->fmt) {
	case VASX_FMT_CSV:
		return vasx_export_table_csv(f, r->s);
	case VASX_FMT_JSON:
		return vasx_export_table_json(f, r->s);
	default:
		return vasx_export_table(f, r->s, &o);
	}
}

static int render_json(FILE *f, const struct render *r, bool color)
{
	(void)color;
	return vasx_export_json(f, r->s);
}

static int write_regions_user(FILE *f, void *ctx)
{
	return vasx_export_regions_csv(f, ctx, false);
}

static int write_regions_kernel(FILE *f, void *ctx)
{
	return vasx_export_regions_csv(f, ctx, true);
}

static int export_files(const struct vasx_cli *c, struct vasx_snapshot *s)
{
	int err;

	if (c->export_maps) {
		err = vasx_write_atomic(c->export_maps, write_regions_user, s);
		if (err)
			return vasx_cli_fail("cannot write %s: %s", c->export_maps,
					     vasx_strerror(err));
	}
	if (c->export_kernel) {
		err = vasx_write_atomic(c->export_kernel, write_regions_kernel, s);
		if (err)
			return vasx_cli_fail("cannot write %s: %s", c->export_kernel,
					     vasx_strerror(err));
	}
	return 0;
}

static unsigned what_to_load(const struct vasx_cli *c)
{
	unsigned what = VASX_LOAD_THREADS;

	switch (c->mode) {
	case VASX_MODE_TABLE:
		return what | VASX_LOAD_SMAPS;
	case VASX_MODE_JSON:
		return VASX_LOAD_ALL;
	default:
		break;
	}
	/* --locate says what an address falls in, in either half. */
	if (!c->eo.only_user || c->export_kernel || c->eo.locate)
		what |= VASX_LOAD_KERNEL | VASX_LOAD_KTASKS;
	if (c->eo.verbose)
		what |= VASX_LOAD_ROLLUP;
	return what;
}

/* smaps unreadable though maps was: say so, and what was shown instead. */
static int smaps_warning(const struct vasx_cli *c, const struct vasx_snapshot *s, unsigned what)
{
	if (!(what & VASX_LOAD_SMAPS) || !s->smaps_err)
		return 0;
	if (s->smaps_err == -EACCES || s->smaps_err == -EPERM)
		return vasx_cli_fail("permission denied reading %s/%d/smaps: run as root or as "
				     "the process's owner (needs ptrace read access); showing what "
				     "%s/%d/maps alone shows", c->src->root, s->pid, c->src->root,
				     s->pid);
	return vasx_cli_fail("cannot read %s/%d/smaps (%s); showing what %s/%d/maps alone shows",
			     c->src->root, s->pid, vasx_strerror(s->smaps_err), c->src->root,
			     s->pid);
}

/*
 * Lines the parsers skipped: the output is whole, but say what it lacks,
 * in which file (with smaps read, maps was not) and of which kind.
 */
static void malformed_warning(const struct vasx_cli *c, const struct vasx_snapshot *s)
{
	size_t maps = s->maps_malformed, counters = s->smaps_malformed, n = maps + counters;

	if (!n)
		return;
	fprintf(stderr, "vasx: warning: skipped %zu malformed line%s of %s/%d/%s", n,
		n == 1 ? "" : "s", c->src->root, s->pid, s->maps_from_smaps ? "smaps" : "maps");
	if (s->maps_from_smaps)
		fprintf(stderr, " (mapping lines: %zu, counter lines: %zu)", maps, counters);
	putc('\n', stderr);
}

/*
 * --save and an output read the process twice: the second read must be of
 * the process the tree holds, not of one that took its pid in between.
 */
static int same_as_saved(const struct vasx_cli *c, const struct vasx_snapshot *s)
{
	struct vasx_source *tree;
	struct vasx_stat st;
	int err;

	if (!c->save_dir || !c->src->live || vasx_source_open_dir(c->save_dir, &tree))
		return 0;
	err = vasx_pidinfo_load(tree, s->pid, &st, NULL, NULL, NULL);
	vasx_source_close(tree);
	return !err && st.starttime != s->stat.starttime ? -VASX_E_PIDREUSED : 0;
}

static int cmd_snapshot(struct vasx_cli *c)
{
	unsigned what = what_to_load(c);
	struct render r = { .c = c };
	struct vasx_snapshot *s;
	double t0 = vasx_cli_now_ms();
	int err, status;

	err = vasx_snapshot_load(c->src, c->pid, what, &s);
	if (!err && (err = same_as_saved(c, s)))
		vasx_snapshot_free(s);
	if (err)
		return vasx_cli_load_error(c, c->pid, err);
	if (c->debug)
		fprintf(stderr, "vasx: debug: snapshot of pid %d: %zu regions, %zu mappings, "
			"kernel half from %s, loaded in %.3f ms\n", s->pid, s->nregions,
			s->totals.map_count, vasx_ksource_name(s->kernel.source),
			vasx_cli_now_ms() - t0);
	status = export_files(c, s);
	r.s = s;
	r.fn = c->mode == VASX_MODE_TABLE ? render_table :
	       c->mode == VASX_MODE_JSON ? render_json : render_graph;
	if (!status) {
		err = emit(&r);
		if (err < 0) {
			status = vasx_cli_write_error(err);
		} else if (smaps_warning(c, s, what)) {
			malformed_warning(c, s);	/* of maps, read instead */
			status = 1;
		} else {
			malformed_warning(c, s);
			status = err;	/* 1: the log was not written, as said */
		}
	}
	vasx_snapshot_free(s);
	return status;
}

/*
 * Chosen by name when the list was read: a process that has since taken
 * the pid (or renamed itself) is not one the user asked for.
 */
static bool maps_unwanted(const regex_t *re, const struct vasx_snapshot *s)
{
	return re && regexec(re, s->stat.comm, 0, NULL, 0) != 0;
}

static int render_maps(FILE *f, const struct render *r, bool color)
{
	const struct vasx_cli *c = r->c;
	regex_t re, *rep = NULL;
	bool first = true;
	size_t i;
	int err;

	(void)color;
	if (c->regex && !regcomp(&re, c->regex, REG_EXTENDED | REG_NOSUB))
		rep = &re;
	err = vasx_export_maps_begin(f, c->fmt);
	for (i = 0; i < r->npids && !err; i++) {
		struct vasx_snapshot *s;

		err = vasx_snapshot_load(c->src, r->pids[i], 0, &s);
		if (err && !r->strict) {
			/* Gone, or not ours to read: "every process the user may read". */
			if (c->debug)
				fprintf(stderr, "vasx: debug: skipped pid %d: %s\n", r->pids[i],
					vasx_strerror(err));
			err = 0;
			continue;
		}
		if (err) {
			err = vasx_cli_load_error(c, r->pids[i], err);	/* 1: reported */
			break;
		}
		if (i >= r->nbyname || !maps_unwanted(rep, s)) {
			err = vasx_export_maps_proc(f, c->fmt, s, &first);
			malformed_warning(c, s);
		} else if (c->debug) {
			fprintf(stderr, "vasx: debug: skipped pid %d: its name no longer matches "
				"(the pid was reused, or the process renamed itself)\n", r->pids[i]);
		}
		vasx_snapshot_free(s);
	}
	if (!err)
		err = vasx_export_maps_end(f, c->fmt);
	if (rep)
		regfree(rep);
	return err;
}

/* -p and --regex: the pids they choose (all processes when neither is given). */
static int select_by_proc(struct vasx_cli *c, int **pids, size_t *n, bool *strict)
{
	struct vasx_proclist pl = { 0 };
	int err;

	if (c->pids && !c->regex) {
		err = vasx_parse_pidlist(c->pids, pids, n);
		*strict = true;
	} else {
		err = vasx_proclist_load(c->src, &pl);
		if (!err)
			err = vasx_proclist_select(&pl, c->pids, c->regex, pids, n);
		vasx_proclist_release(&pl);
	}
	if (err == -VASX_E_BADREGEX || err == -EINVAL) {
		if (err == -EINVAL)
			vasx_cli_fail("'%s' is not a list of pids, e.g. 1,42,4242 (see vasx --help)",
				      c->pids);
		else
			vasx_cli_fail("invalid regular expression '%s' (see vasx --help)", c->regex);
		return 2;
	}
	if (err)
		return vasx_cli_fail("cannot list the processes: %s", vasx_strerror(err));
	return 0;
}

/* --task, --phys-task, --task-head: through the module's task list. */
static int select_by_task(struct vasx_cli *c, int **pids, size_t *n)
{
	struct vasx_ktask *t = NULL;
	size_t nt = 0;
	int err;

	err = vasx_ktasks_load(c->src, &t, &nt);
	if (err == -VASX_E_NOMODULE)
		return vasx_cli_fail("--task, --phys-task and --task-head need the vasx module's "
				     "task list: load the module (vasx --load-module, as root)");
	if (err == -EACCES || err == -EPERM)
		return vasx_cli_fail("permission denied reading the vasx module's task list: "
				     "run as root (it shows kernel addresses)");
	if (err)
		return vasx_cli_fail("cannot read the vasx module's task list: %s",
				     vasx_strerror(err));
	err = vasx_ktasks_select(t, nt, c->task_kvas, c->phys_tasks, c->task_head, pids, n);
	free(t);
	if (err == -VASX_E_BADADDR) {
		vasx_cli_fail("--task, --phys-task and --task-head take hex addresses, e.g. "
			      "0xffff888003a1c000 (see vasx --help)");
		return 2;
	}
	if (err == -ESRCH)
		return vasx_cli_fail("no task of the module's task list is at the addresses given");
	if (err)
		return vasx_cli_fail("cannot select tasks: %s", vasx_strerror(err));
	return 0;
}

/* @a followed by the pids of @b that @a lacks; @b is freed. */
static int merge_pids(int **a, size_t *na, int *b, size_t nb)
{
	int *v = realloc(*a, (*na + nb + 1) * sizeof(*v));
	size_t i, j, n = *na;

	if (!v) {
		free(b);
		return -ENOMEM;
	}
	for (i = 0; i < nb; i++) {
		for (j = 0; j < *na && v[j] != b[i]; j++)
			;
		if (j == *na)
			v[n++] = b[i];
	}
	free(b);
	*a = v;
	*na = n;
	return 0;
}

/* @nbyname: how many of @pids, at the front, -p and --regex chose. */
static int select_maps_pids(struct vasx_cli *c, int **pids, size_t *n, size_t *nbyname,
			    bool *strict)
{
	bool by_task = c->task_kvas || c->phys_tasks || c->task_head;
	int *tp = NULL, status = 0;
	size_t ntp = 0;

	*pids = NULL;
	*n = 0;
	*nbyname = 0;
	if (by_task) {
		status = select_by_task(c, &tp, &ntp);
		if (status)
			return status;
		/*
		 * Tasks named one by one must all be there; a walk of the task
		 * list finds processes that may exit before they are read.
		 */
		*strict = !c->task_head;
		if (!c->pids && !c->regex) {
			*pids = tp;
			*n = ntp;
			return 0;
		}
	}
	status = select_by_proc(c, pids, n, strict);
	*nbyname = *n;
	if (!status && by_task && merge_pids(pids, n, tp, ntp))
		status = vasx_cli_fail("out of memory");
	else if (status)
		free(tp);
	return status;
}

static int cmd_maps(struct vasx_cli *c)
{
	struct render r = { .c = c, .fn = render_maps };
	int *pids = NULL, err;
	size_t n = 0;

	err = select_maps_pids(c, &pids, &n, &r.nbyname, &r.strict);
	if (err) {
		free(pids);
		return err;
	}
	r.pids = pids;
	r.npids = n;
	err = emit(&r);
	free(pids);
	if (err == 1)
		return 1;
	return err ? vasx_cli_write_error(err) : 0;
}

/*
 * Permission denied by the directory written to, not by the process read:
 * DIR itself when it exists, else the directory it would be made in.
 */
static bool dest_denied(const char *dir)
{
	char parent[PATH_MAX], *slash;

	if (!access(dir, F_OK))
		return access(dir, W_OK | X_OK) < 0;
	snprintf(parent, sizeof(parent), "%s", dir);
	while ((slash = strrchr(parent, '/')) && !slash[1] && slash > parent)
		*slash = '\0';	/* "out/" is made in ".", as "out" is */
	slash = strrchr(parent, '/');
	if (!slash)
		return access(".", W_OK | X_OK) < 0;
	slash[slash == parent] = '\0';
	return access(parent, W_OK | X_OK) < 0;
}

/*
 * SIGINT, SIGTERM or SIGHUP during --save: the handler only notes the
 * signal; the source below then fails every read, so the save gives up
 * and removes the tree it had begun, and vasx dies of the signal after
 * that (vasx_cli_reraise()). Once the tree is being moved into place it
 * reads nothing more and finishes.
 */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSTOP (sizeof(stop_signals) / sizeof(stop_signals[0]))
static volatile sig_atomic_t stopped_by;

static void note_stop(int sig)
{
	stopped_by = sig;
}

struct stop_source {
	struct vasx_source base;
	struct vasx_source_ops ops;	/* the inner one's name, which the tree records */
	struct vasx_source *inner;
};

static int stop_fopen(struct vasx_source *src, int pid, const char *name, FILE **out)
{
	struct stop_source *s = (struct stop_source *)src;

	return stopped_by ? -EINTR : s->inner->ops->fopen(s->inner, pid, name, out);
}

static int stop_open_fd(struct vasx_source *src, int pid, const char *name, int *out)
{
	struct stop_source *s = (struct stop_source *)src;

	return stopped_by ? -EINTR : s->inner->ops->open_fd(s->inner, pid, name, out);
}

static bool stop_pid_exists(struct vasx_source *src, int pid)
{
	struct stop_source *s = (struct stop_source *)src;

	return !stopped_by && s->inner->ops->pid_exists(s->inner, pid);
}

static int stop_list_ids(struct vasx_source *src, int pid, int **out, size_t *n)
{
	struct stop_source *s = (struct stop_source *)src;

	return stopped_by ? -EINTR : s->inner->ops->list_ids(s->inner, pid, out, n);
}

/* It lives on the stack of cmd_save(): nothing to free, the inner one stays open. */
static void stop_close(struct vasx_source *src)
{
	(void)src;
}

/* Catch the stop signals, but leave one ignored ignored (nohup, a background job). */
static void catch_stops(struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = note_stop, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NSTOP; i++)
		sigaddset(&sa.sa_mask, stop_signals[i]);
	for (size_t i = 0; i < NSTOP; i++) {
		sigaction(stop_signals[i], NULL, &old[i]);
		if (old[i].sa_handler != SIG_IGN)
			sigaction(stop_signals[i], &sa, NULL);
	}
}

static void uncatch_stops(const struct sigaction *old)
{
	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &old[i], NULL);
}

void vasx_cli_reraise(void)
{
	int sig = stopped_by;

	if (!sig)
		return;
	signal(sig, SIG_DFL);
	raise(sig);
}

static int save_stoppable(struct vasx_cli *c)
{
	struct sigaction old[NSTOP];
	struct stop_source s = {
		.base = *c->src,
		.ops = {
			.name = c->src->ops->name,
			.fopen = stop_fopen,
			.open_fd = stop_open_fd,
			.pid_exists = stop_pid_exists,
			.list_ids = stop_list_ids,
			.close = stop_close,
		},
		.inner = c->src,
	};
	int err;

	s.base.ops = &s.ops;
	catch_stops(old);
	err = vasx_save_tree(&s.base, c->pid, c->save_dir);
	uncatch_stops(old);
	return err;
}

static int cmd_save(struct vasx_cli *c)
{
	int err = save_stoppable(c);

	if (stopped_by)
		return 128 + stopped_by;
	if ((err == -EACCES || err == -EPERM) && dest_denied(c->save_dir))
		return vasx_cli_fail("cannot save pid %d to %s: %s", c->pid, c->save_dir,
				     vasx_strerror(err));
	if (err == -ESRCH || err == -EACCES || err == -EPERM || err == -VASX_E_EXITED ||
	    err == -VASX_E_PIDREUSED)
		return vasx_cli_load_error(c, c->pid, err);
	if (err)
		return vasx_cli_fail("cannot save pid %d to %s: %s", c->pid, c->save_dir,
				     vasx_strerror(err));
	if (c->debug)
		fprintf(stderr, "vasx: debug: saved pid %d to %s\n", c->pid, c->save_dir);
	return 0;
}

int vasx_cli_run(struct vasx_cli *c)
{
	int status;

	if (c->mode == VASX_MODE_MAPS)
		return cmd_maps(c);
	if (c->save_dir) {
		status = cmd_save(c);
		if (status || c->mode == VASX_MODE_SAVE)
			return status;
	}
	return cmd_snapshot(c);
}
