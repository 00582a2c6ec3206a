/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/PID/stat, status and cmdline, and each thread's stack pointer from
 * task/TID/syscall: the boundaries the classifier needs to name the heap,
 * the stacks and the program's own segments.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/pidinfo.h"
#include "vasx/source.h"
#include "vasx/status.h"
#include "lines.h"

/* Fields of stat are numbered from 1 as in proc(5); 52 is exit_code. */
#define STAT_FIELDS 52
/* rss (24): every kernel this runs on prints at least this far. */
#define STAT_MIN_FIELDS 24

static void copy_text(char *dst, size_t size, const char *s, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* One decimal token, maybe negative (nice, priority): two's complement. */
static int parse_num(const char *s, size_t len, uint64_t *v)
{
	struct vasx_scan sc = { s, s + len, false };
	bool neg = len && *s == '-';

	if (neg)
		sc.p++;
	*v = vasx_scan_dec(&sc);
	if (!vasx_scan_at_end(&sc))
		return -VASX_E_MALFORMED;
	if (neg)
		*v = -*v;
	return 0;
}

/* Fields 3.. after the comm, into f[3..]; the number of the last one, or < 0. */
static int stat_fields(const char *p, const char *end, uint64_t f[STAT_FIELDS + 1],
		       char *state)
{
	int n = 2;

	while (p < end && n < STAT_FIELDS) {
		const char *tok;

		while (p < end && *p == ' ')
			p++;
		if (p == end || *p == '\n')
			break;
		tok = p;
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		n++;
		if (n == 3) {
			/*
			 * One letter (R, S, D, T, t, Z, X, P, I, ...): whatever
			 * else a tree holds would reach JSON and the terminal raw.
			 */
			if (p - tok != 1 || !((*tok >= 'A' && *tok <= 'Z') || (*tok >= 'a' && *tok <= 'z')))
				return -VASX_E_MALFORMED;
			*state = *tok;
		} else if (parse_num(tok, (size_t)(p - tok), &f[n]) < 0) {
			return -VASX_E_MALFORMED;
		}
	}
	return n;
}

int vasx_stat_parse(const char *buf, size_t len, struct vasx_stat *st)
{
	uint64_t f[STAT_FIELDS + 1] = { 0 };
	const char *open, *close;
	uint64_t pid;
	int n;

	memset(st, 0, sizeof(*st));
	open = memchr(buf, '(', len);
	/* The comm may hold ')' itself: the kernel's own ')' is the last one. */
	close = memrchr(buf, ')', len);
	if (!open || !close || close < open || open == buf || open[-1] != ' ')
		return -VASX_E_MALFORMED;
	if (parse_num(buf, (size_t)(open - 1 - buf), &pid) < 0 || !pid || pid > INT32_MAX)
		return -VASX_E_MALFORMED;
	n = stat_fields(close + 1, buf + len, f, &st->state);
	if (n < STAT_MIN_FIELDS)
		return -VASX_E_MALFORMED;

	st->pid = (int)pid;
	copy_text(st->comm, sizeof(st->comm), open + 1, (size_t)(close - open - 1));
	st->ppid = (int)f[4];
	st->flags = (unsigned long)f[9];
	st->num_threads = (int)f[20];
	st->starttime = f[22];
	st->vsize = f[23];
	st->rss_pages = f[24];
	st->start_code = f[26];
	st->end_code = f[27];
	st->start_stack = f[28];
	st->kstkesp = f[29];
	st->kstkeip = f[30];
	st->start_data = f[45];
	st->end_data = f[46];
	st->start_brk = f[47];
	st->arg_start = f[48];
	st->arg_end = f[49];
	st->env_start = f[50];
	st->env_end = f[51];
	return 0;
}

static const char *const status_names[VASX_ST_COUNT] = {
#define VASX_STF_NAME(id, name) [VASX_ST_##id] = name,
	VASX_STATUS_FIELDS(VASX_STF_NAME)
#undef VASX_STF_NAME
};

const char *vasx_status_field_name(enum vasx_status_field f)
{
	return (unsigned)f < VASX_ST_COUNT ? status_names[f] : NULL;
}

/*
 * The Name line escapes '\n' and '\\' (proc_task_name()); older kernels
 * also wrote \t and the like. Decode them back to the bytes of stat's comm.
 */
static void status_name(char *dst, size_t size, const char *s, size_t len)
{
	static const char from[] = "ntrfvae\\\"", to[] = "\n\t\r\f\v\a\x1b\\\"";
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < size; i++) {
		const char *c;

		if (s[i] == '\\' && i + 1 < len && (c = strchr(from, s[i + 1])) && *c) {
			dst[n++] = to[c - from];
			i++;
		} else {
			dst[n++] = s[i];
		}
	}
	dst[n] = '\0';
}

/* "N kB" of a Vm or Rss line. */
static int status_kb(struct vasx_scan *sc, uint64_t *v)
{
	vasx_scan_blanks(sc);
	*v = vasx_scan_dec(sc);
	vasx_scan_blanks(sc);
	vasx_scan_char(sc, 'k');
	vasx_scan_char(sc, 'B');
	vasx_scan_blanks(sc);
	return vasx_scan_at_end(sc) ? 0 : -1;
}

/* "N\tN\tN\tN" of Uid and Gid. */
static int status_ids(struct vasx_scan *sc, unsigned id[4])
{
	for (int i = 0; i < 4; i++) {
		uint64_t v;

		vasx_scan_blanks(sc);
		v = vasx_scan_dec(sc);
		if (v > UINT32_MAX)
			return -1;
		id[i] = (unsigned)v;
	}
	vasx_scan_blanks(sc);
	return vasx_scan_at_end(sc) ? 0 : -1;
}

static int status_int(struct vasx_scan *sc, int *out)
{
	uint64_t v;

	vasx_scan_blanks(sc);
	v = vasx_scan_dec(sc);
	vasx_scan_blanks(sc);
	if (!vasx_scan_at_end(sc) || v > INT32_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

#define IS(lit) (nlen == sizeof(lit) - 1 && memcmp(name, lit, nlen) == 0)

/* One "Name:\tvalue" line; a garbled value leaves its field unset. */
static void status_line(const char *name, size_t nlen, struct vasx_scan *sc,
			struct vasx_status *st, bool *have_pid)
{
	if (IS("Name")) {
		vasx_scan_blanks(sc);
		status_name(st->name, sizeof(st->name), sc->p, (size_t)(sc->end - sc->p));
	} else if (IS("Pid")) {
		*have_pid = status_int(sc, &st->pid) == 0;
	} else if (IS("Tgid")) {
		status_int(sc, &st->tgid);
	} else if (IS("PPid")) {
		status_int(sc, &st->ppid);
	} else if (IS("Threads")) {
		status_int(sc, &st->threads);
	} else if (IS("Uid")) {
		status_ids(sc, st->uid);
	} else if (IS("Gid")) {
		status_ids(sc, st->gid);
	} else if (name[0] == 'V' || name[0] == 'R' || name[0] == 'H') {
		for (int f = 0; f < VASX_ST_COUNT; f++) {
			uint64_t v;

			if (strlen(status_names[f]) != nlen || memcmp(status_names[f], name, nlen))
				continue;
			if (status_kb(sc, &v) == 0) {
				st->v[f] = v;
				st->present |= 1u << f;
			}
			break;
		}
	}
}

#undef IS

int vasx_status_parse(const char *buf, size_t len, struct vasx_status *st)
{
	const char *p = buf, *end = buf + len;
	bool have_pid = false;

	memset(st, 0, sizeof(*st));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *colon = memchr(p, ':', (size_t)(eol - p));

		if (colon && colon > p) {
			struct vasx_scan sc = { colon + 1, eol, false };

			status_line(p, (size_t)(colon - p), &sc, st, &have_pid);
		}
		p = nl ? nl + 1 : end;
	}
	return have_pid ? 0 : -VASX_E_MALFORMED;
}

int vasx_syscall_parse_sp(const char *buf, size_t len, uint64_t *sp)
{
	const char *p = buf, *end = buf + len;
	const char *tok[9];
	size_t tlen[9];
	int n = 0;

	*sp = 0;
	while (end > p && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	if ((size_t)(end - p) == 7 && memcmp(p, "running", 7) == 0)
		return 0;
	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		if (n == 9)
			return -VASX_E_MALFORMED;
		tok[n] = p;
		while (p < end && *p != ' ')
			p++;
		tlen[n] = (size_t)(p - tok[n]);
		n++;
	}
	/* "nr a1..a6 sp pc" in a system call, "-1 sp pc" blocked outside one. */
	if (n != 9 && n != 3)
		return -VASX_E_MALFORMED;
	for (int i = 1; i < n; i++) {
		struct vasx_scan sc = { tok[i], tok[i] + tlen[i], false };
		uint64_t v;

		vasx_scan_char(&sc, '0');
		vasx_scan_char(&sc, 'x');
		v = vasx_scan_hex(&sc, 16);
		if (!vasx_scan_at_end(&sc))
			return -VASX_E_MALFORMED;
		if (i == n - 2)
			*sp = v;
	}
	return 0;
}

/* A file of @pid that is gone: the process exited, unless only the file is missing. */
static int gone(struct vasx_source *src, int pid, int err)
{
	if ((err == -ENOENT || err == -ESRCH) && !src->ops->pid_exists(src, pid))
		return -VASX_E_EXITED;
	return err;
}

static int load_stat(struct vasx_source *src, int pid, struct vasx_stat *st)
{
	char *buf;
	size_t len;
	int err = vasx_source_slurp(src, pid, "stat", &buf, &len);

	if (err) {
		memset(st, 0, sizeof(*st));
		return gone(src, pid, err);
	}
	err = vasx_stat_parse(buf, len, st);
	free(buf);
	return err;
}

static int load_status(struct vasx_source *src, int pid, struct vasx_status *st)
{
	char *buf;
	size_t len;
	int err = vasx_source_slurp(src, pid, "status", &buf, &len);

	if (err) {
		memset(st, 0, sizeof(*st));
		return gone(src, pid, err);
	}
	err = vasx_status_parse(buf, len, st);
	free(buf);
	return err;
}

/*
 * The thread is gone, or (in a tree) its entry is no thread's: a file
 * where its directory should be, or a directory where its comm should be.
 */
static bool vanished(int err)
{
	return err == -ENOENT || err == -ESRCH || err == -ENOTDIR || err == -EISDIR;
}

/* One thread: 1 if filled, 0 if it exited while we looked, or -ENOMEM. */
static int load_thread(struct vasx_source *src, int pid, int tid, struct vasx_thread *t)
{
	char name[48], *buf;
	size_t len;
	int err;

	memset(t, 0, sizeof(*t));
	t->tid = tid;
	snprintf(name, sizeof(name), "task/%d/comm", tid);
	err = vasx_source_slurp(src, pid, name, &buf, &len);
	if (vanished(err))
		return 0;
	if (err == -ENOMEM)
		return err;
	if (!err) {
		while (len && buf[len - 1] == '\n')
			len--;
		copy_text(t->comm, sizeof(t->comm), buf, len);
		free(buf);
	}
	/*
	 * syscall needs ptrace access (-EACCES, -EPERM otherwise) and a
	 * directory source may not hold it: the thread stays, without sp.
	 */
	snprintf(name, sizeof(name), "task/%d/syscall", tid);
	err = vasx_source_slurp(src, pid, name, &buf, &len);
	if (err == -ENOMEM)
		return err;
	if (!err) {
		if (vasx_syscall_parse_sp(buf, len, &t->sp) < 0)
			t->sp = 0;
		free(buf);
	}
	return 1;
}

static int load_threads(struct vasx_source *src, int pid, struct vasx_thread **out,
			size_t *nout)
{
	struct vasx_thread *t;
	size_t nids, n = 0;
	int *ids, err;

	err = src->ops->list_ids(src, pid, &ids, &nids);
	/* A saved tree may hold no task/: no threads, not an error. */
	if (err == -ENOENT && src->ops->pid_exists(src, pid))
		return 0;
	if (err)
		return gone(src, pid, err);
	t = calloc(nids ? nids : 1, sizeof(*t));
	if (!t) {
		free(ids);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nids; i++) {
		err = load_thread(src, pid, ids[i], &t[n]);
		if (err < 0) {
			free(ids);
			free(t);
			return err;
		}
		n += (size_t)err;
	}
	free(ids);
	*out = t;
	*nout = n;
	return 0;
}

/*
 * Whatever loads is filled in even when another part fails; the return is
 * the first error, and a process that exited stops the rest.
 */
int vasx_pidinfo_load(struct vasx_source *src, int pid, struct vasx_stat *st,
		      struct vasx_status *status, struct vasx_thread **threads,
		      size_t *nthreads)
{
	struct vasx_thread *t = NULL;
	size_t nt = 0;
	int err = 0, e;

	if (st) {
		err = load_stat(src, pid, st);
		if (err == -VASX_E_EXITED)
			goto out;
	}
	if (status) {
		e = load_status(src, pid, status);
		if (!err)
			err = e;
		if (e == -VASX_E_EXITED)
			goto out;
	}
	if (threads) {
		e = load_threads(src, pid, &t, &nt);
		if (!err)
			err = e;
	}
out:
	if (threads)
		*threads = t;
	if (nthreads)
		*nthreads = nt;
	return err;
}

char *vasx_cmdline_load(struct vasx_source *src, int pid)
{
	char *buf;
	size_t len;

	if (vasx_source_slurp(src, pid, "cmdline", &buf, &len))
		return NULL;
	/* Arguments end in NUL; a process may also have rewritten them. */
	while (len && (buf[len - 1] == '\0' || buf[len - 1] == ' '))
		len--;
	if (!len) {
		free(buf);
		return NULL;
	}
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[len] = '\0';
	return buf;
}
