/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process list and system memory figures: through libproc2 on the live
 * system, from the files of a directory source otherwise.
 */
#include <errno.h>
#include <pwd.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <libproc2/meminfo.h>
#include <libproc2/pids.h>

#include "vasx/pidinfo.h"
#include "vasx/proc.h"
#include "vasx/source.h"
#include "vasx/status.h"

#define PF_KTHREAD 0x00200000ul

static void copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* Can this user read /proc/PID/maps? Opening is where the kernel decides. */
static int maps_access(struct vasx_source *src, int pid)
{
	FILE *f;
	int err = vasx_source_fopen(src, pid, "maps", &f);

	if (!err)
		fclose(f);
	return err;
}

static char *join_cmdline(char **argv, const char *comm, bool kthread)
{
	size_t len = 0;
	char *s;

	if (kthread || !argv || !argv[0] || !argv[0][0]) {
		size_t n = strlen(comm) + 3;

		s = malloc(n);
		if (s)
			snprintf(s, n, "[%s]", comm);
		return s;
	}
	for (char **a = argv; *a; a++)
		len += strlen(*a) + 1;
	s = malloc(len + 1);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (char **a = argv; *a; a++) {
		if (a != argv)
			strcat(s, " ");
		strcat(s, *a);
	}
	return s;
}

enum live_item { L_PID, L_CMD, L_CMDLINE, L_EUID, L_EUSER, L_RSS, L_VSZ, L_NLWP, L_BEGAN, L_FLAGS };

static int proclist_live(struct vasx_source *src, struct vasx_proclist *pl)
{
	enum pids_item items[] = {
		[L_PID] = PIDS_ID_PID, [L_CMD] = PIDS_CMD, [L_CMDLINE] = PIDS_CMDLINE_V,
		[L_EUID] = PIDS_ID_EUID, [L_EUSER] = PIDS_ID_EUSER, [L_RSS] = PIDS_VM_RSS,
		[L_VSZ] = PIDS_VM_SIZE, [L_NLWP] = PIDS_NLWP, [L_BEGAN] = PIDS_TICS_BEGAN,
		[L_FLAGS] = PIDS_FLAGS,
	};
	struct pids_info *info = NULL;
	struct pids_fetch *fetch;
	int err, n;

	err = procps_pids_new(&info, items, (int)(sizeof(items) / sizeof(items[0])));
	if (err < 0)
		return err;
	fetch = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (!fetch) {
		err = errno ? -errno : -EIO;
		procps_pids_unref(&info);
		return err;
	}
	n = fetch->counts->total;
	pl->v = calloc(n ? (size_t)n : 1, sizeof(*pl->v));
	if (!pl->v) {
		procps_pids_unref(&info);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		struct pids_stack *st = fetch->stacks[i];
		struct vasx_procinfo *p = &pl->v[pl->n];

		p->pid = PIDS_VAL(L_PID, s_int, st, info);
		copy_str(p->comm, sizeof(p->comm), PIDS_VAL(L_CMD, str, st, info));
		p->uid = PIDS_VAL(L_EUID, u_int, st, info);
		copy_str(p->user, sizeof(p->user), PIDS_VAL(L_EUSER, str, st, info));
		p->rss_kb = PIDS_VAL(L_RSS, ul_int, st, info);
		p->vsz_kb = PIDS_VAL(L_VSZ, ul_int, st, info);
		p->threads = PIDS_VAL(L_NLWP, s_int, st, info);
		p->start_time = PIDS_VAL(L_BEGAN, ull_int, st, info);
		p->kernel_thread = PIDS_VAL(L_FLAGS, ul_int, st, info) & PF_KTHREAD;
		p->cmdline = join_cmdline(PIDS_VAL(L_CMDLINE, strv, st, info), p->comm,
					  p->kernel_thread);
		p->maps_err = maps_access(src, p->pid);
		pl->n++;
	}
	procps_pids_unref(&info);
	return 0;
}

static void user_name(unsigned uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		copy_str(buf, len, pw->pw_name);
	else
		snprintf(buf, len, "%u", uid);
}

/* A directory source: the same facts from the saved files. */
static int proclist_dir(struct vasx_source *src, struct vasx_proclist *pl)
{
	int *pids;
	size_t n;
	int err = src->ops->list_ids(src, 0, &pids, &n);

	if (err)
		return err;
	pl->v = calloc(n ? n : 1, sizeof(*pl->v));
	if (!pl->v) {
		free(pids);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct vasx_procinfo *p = &pl->v[pl->n];
		struct vasx_status status;
		struct vasx_stat st;

		if (vasx_pidinfo_load(src, pids[i], &st, &status, NULL, NULL))
			continue;
		p->pid = pids[i];
		copy_str(p->comm, sizeof(p->comm), st.comm);
		p->uid = status.uid[1];
		user_name(p->uid, p->user, sizeof(p->user));
		p->rss_kb = st.rss_pages * 4;
		if (status.present & (1u << VASX_ST_VMRSS))
			p->rss_kb = status.v[VASX_ST_VMRSS];
		p->vsz_kb = st.vsize / 1024;
		p->threads = st.num_threads;
		p->start_time = st.starttime;
		p->cmdline = vasx_cmdline_load(src, pids[i]);
		p->kernel_thread = !p->cmdline || !p->cmdline[0];
		if (p->kernel_thread) {
			free(p->cmdline);
			p->cmdline = join_cmdline(NULL, p->comm, true);
		}
		p->maps_err = maps_access(src, p->pid);
		pl->n++;
	}
	free(pids);
	return 0;
}

int vasx_proclist_load(struct vasx_source *src, struct vasx_proclist *pl)
{
	pl->v = NULL;
	pl->n = 0;
	return src->live ? proclist_live(src, pl) : proclist_dir(src, pl);
}

void vasx_proclist_release(struct vasx_proclist *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		free(pl->v[i].cmdline);
	free(pl->v);
	pl->v = NULL;
	pl->n = 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int vasx_parse_pidlist(const char *s, int **pids, size_t *n)
{
	size_t cap = 1, k = 0;
	int *v;

	for (const char *p = s; *p; p++)
		cap += *p == ',';
	v = malloc(cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (;;) {
		long pid = 0;
		int digits = 0;

		for (; *s >= '0' && *s <= '9' && pid <= 4194304; s++, digits++)
			pid = pid * 10 + (*s - '0');
		if (!digits || pid <= 0 || pid > 4194304 || (*s && *s != ',')) {
			free(v);
			return -EINVAL;
		}
		v[k++] = (int)pid;
		if (!*s++)
			break;
	}
	qsort(v, k, sizeof(*v), cmp_int);
	*pids = v;
	*n = k;
	return 0;
}

static bool in_list(const int *v, size_t n, int pid)
{
	return bsearch(&pid, v, n, sizeof(*v), cmp_int) != NULL;
}

int vasx_proclist_select(const struct vasx_proclist *pl, const char *pidlist,
			 const char *regex, int **pids, size_t *n)
{
	int *want = NULL, *out;
	size_t nwant = 0, k = 0;
	regex_t re;
	int err;

	if (pidlist) {
		err = vasx_parse_pidlist(pidlist, &want, &nwant);
		if (err)
			return err;
	}
	if (regex && regcomp(&re, regex, REG_EXTENDED | REG_NOSUB)) {
		free(want);
		return -VASX_E_BADREGEX;
	}
	out = malloc((pl->n ? pl->n : 1) * sizeof(*out));
	if (!out) {
		err = -ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < pl->n; i++) {
		const struct vasx_procinfo *p = &pl->v[i];

		if (want && !in_list(want, nwant, p->pid))
			continue;
		if (regex && regexec(&re, p->comm, 0, NULL, 0) != 0)
			continue;
		out[k++] = p->pid;
	}
	qsort(out, k, sizeof(*out), cmp_int);
	*pids = out;
	*n = k;
	err = 0;
done:
	if (regex)
		regfree(&re);
	free(want);
	return err;
}

static int meminfo_live(struct vasx_meminfo *mi)
{
	struct meminfo_info *info = NULL;

	if (procps_meminfo_new(&info) < 0)
		return -EIO;
	mi->total_kb = MEMINFO_GET(info, MEMINFO_MEM_TOTAL, ul_int);
	mi->free_kb = MEMINFO_GET(info, MEMINFO_MEM_FREE, ul_int);
	mi->available_kb = MEMINFO_GET(info, MEMINFO_MEM_AVAILABLE, ul_int);
	mi->swap_total_kb = MEMINFO_GET(info, MEMINFO_SWAP_TOTAL, ul_int);
	mi->swap_free_kb = MEMINFO_GET(info, MEMINFO_SWAP_FREE, ul_int);
	procps_meminfo_unref(&info);
	return mi->total_kb ? 0 : -EIO;
}

static int meminfo_dir(struct vasx_source *src, struct vasx_meminfo *mi)
{
	const struct {
		const char *name;
		uint64_t *v;
	} keys[] = {
		{ "MemTotal:", &mi->total_kb },
		{ "MemFree:", &mi->free_kb },
		{ "MemAvailable:", &mi->available_kb },
		{ "SwapTotal:", &mi->swap_total_kb },
		{ "SwapFree:", &mi->swap_free_kb },
	};
	char *buf, *line, *save = NULL;
	int err = vasx_source_slurp(src, 0, "meminfo", &buf, NULL);

	if (err)
		return err;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strncmp(line, keys[k].name, strlen(keys[k].name)))
				*keys[k].v = strtoull(line + strlen(keys[k].name), NULL, 10);
	free(buf);
	return mi->total_kb ? 0 : -VASX_E_MALFORMED;
}

int vasx_meminfo_load(struct vasx_source *src, struct vasx_meminfo *mi)
{
	memset(mi, 0, sizeof(*mi));
	return src->live ? meminfo_live(mi) : meminfo_dir(src, mi);
}
