/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks run inside the test VM against the vasx module's files and the
 * kernel's own views (/proc/modules, /proc/vmallocinfo, /proc/kallsyms).
 * Deliberately independent of the core's parser: it is the ground truth
 * the core is compared with. Built statically, so the VM needs no libc.
 *
 *   vmcheck layout LAYOUT LEVELS        format, order, nesting, keys
 *   vmcheck modules LAYOUT /proc/modules
 *   vmcheck vmallocinfo LAYOUT /proc/vmallocinfo
 *   vmcheck kallsyms LAYOUT /proc/kallsyms
 *   vmcheck tasks LAYOUT TASKS
 *   vmcheck nocap FILE                  without CAP_SYS_ADMIN: EPERM
 *   vmcheck nonroot FILE                as nobody: refused
 *   vmcheck json LAYOUT JSON [TASKS]    every region's bounds in vasx's JSON,
 *                                       and pid 1's kernel objects inside them
 *   vmcheck asnobody CMD [ARG...]       run a command as nobody
 *   vmcheck tui STEPS CMD [ARG...]      run the explorer on a terminal of its
 *                                       own and play STEPS (see run_tui)
 *
 * Prints one line saying what was found; exits 0 when the check holds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAXREG 256

struct reg {
	uint64_t start, last;
	int depth, parent;
	char key[40];
};

static struct reg regs[MAXREG];
static int nregs;
static char arch[32];
static unsigned levels, va_bits;

static int fail(const char *fmt, const char *a, const char *b)
{
	printf(fmt, a, b);
	putchar('\n');
	return 1;
}

static bool hex(const char *s, uint64_t *v)
{
	char *end;

	if (strncmp(s, "0x", 2))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 16);
	return !errno && end != s + 2 && (*end == 0 || *end == ' ' || *end == '\n');
}

static int load_layout(const char *path)
{
	char line[512], key[64], a[32], b[32], perms[8];
	int stack[MAXREG], sp = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return fail("cannot open %s: %s", path, strerror(errno));
	if (!fgets(line, sizeof(line), f) || strcmp(line, "vasx-layout 1\n"))
		return fail("%s: bad version line %s", path, line);
	while (fgets(line, sizeof(line), f)) {
		struct reg *r = &regs[nregs];
		uint64_t end;

		if (sscanf(line, "arch %31s", arch) == 1 ||
		    sscanf(line, "paging_levels %u", &levels) == 1 ||
		    sscanf(line, "user_va_bits %u", &va_bits) == 1 ||
		    !strncmp(line, "page_size ", 10) || !strncmp(line, "task_size ", 10))
			continue;
		if (sscanf(line, "region %31s %31s %7s %63s", a, b, perms, key) != 4 ||
		    !hex(a, &r->start) || !hex(b, &end) || strlen(a) != 18 ||
		    strlen(b) != 18 || strlen(key) >= sizeof(r->key))
			return fail("%s: malformed line: %s", path, line);
		if (nregs == MAXREG)
			return fail("%s: too many regions%s", path, "");
		r->last = end - 1;	/* an end of 0 is the top: wraps to ~0 */
		if (end && end <= r->start)
			return fail("%s: empty or reversed region: %s", path, line);
		strcpy(r->key, key);
		if (nregs && r->start < regs[nregs - 1].start)
			return fail("%s: not sorted at %s", path, line);
		while (sp && regs[stack[sp - 1]].last < r->start)
			sp--;
		if (sp && r->last > regs[stack[sp - 1]].last)
			return fail("overlap without nesting: %s inside %s", line,
				    regs[stack[sp - 1]].key);
		r->depth = sp;
		r->parent = sp ? stack[sp - 1] : -1;
		stack[sp++] = nregs++;
	}
	fclose(f);
	return 0;
}

static const struct reg *find(const char *key)
{
	for (int i = 0; i < nregs; i++)
		if (!strcmp(regs[i].key, key))
			return &regs[i];
	return NULL;
}

static bool inside(const char *key, uint64_t start, uint64_t last)
{
	for (int i = 0; i < nregs; i++)
		if (!strcmp(regs[i].key, key) && start >= regs[i].start &&
		    last <= regs[i].last)
			return true;
	return false;
}

static int check_layout(const char *want_levels)
{
	static const char *const keys[] = {
		"guard-hole", "ldt-remap", "direct-map", "ram", "vmalloc", "vmemmap",
		"cpu-entry-area", "espfix", "efi", "kernel-map", "kernel-image",
		"kernel-text", "kernel-rodata", "kernel-data", "modules", "fixmap",
		"vsyscall",
	};
	static const char *const nest[][2] = {
		{ "ram", "direct-map" }, { "kernel-image", "kernel-map" },
		{ "kernel-text", "kernel-image" }, { "kernel-rodata", "kernel-image" },
		{ "kernel-data", "kernel-image" }, { "vsyscall", "fixmap" },
	};
	unsigned want = (unsigned)atoi(want_levels);

	if (strcmp(arch, "x86_64"))
		return fail("arch is %s, not %s", arch, "x86_64");
	if (levels != want || va_bits != (want == 5 ? 56u : 47u))
		return fail("paging levels/VA bits do not match %s-level paging%s",
			    want_levels, "");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!find(keys[i]))
			return fail("region %s is missing%s", keys[i], "");
	for (int i = 0; i < nregs; i++)
		for (size_t k = 0; k < sizeof(nest) / sizeof(nest[0]); k++)
			if (!strcmp(regs[i].key, nest[k][0]) &&
			    (regs[i].parent < 0 ||
			     strcmp(regs[regs[i].parent].key, nest[k][1])))
				return fail("%s is not nested in %s", nest[k][0], nest[k][1]);
	if (levels == 5 && find("direct-map")->start < 0xff00000000000000ull)
		return fail("direct map below the 5-level kernel half%s%s", "", "");
	printf("%d regions, sorted and nested, %u-level paging\n", nregs, levels);
	return 0;
}

static int check_modules(const char *path)
{
	char name[64], addr[32], line[512];
	unsigned long size;
	uint64_t a;
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return fail("cannot open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lu %*s %*s %*s %31s", name, &size, addr) != 3 ||
		    !hex(addr, &a))
			return fail("malformed %s line: %s", path, line);
		if (!a)
			return fail("module %s has no address (not root?)%s", name, "");
		if (!inside("modules", a, a + size - 1))
			return fail("module %s at %s is outside the modules region", name, addr);
		n++;
	}
	fclose(f);
	if (!n)
		return fail("no module in %s%s", path, "");
	printf("%d modules inside the modules region\n", n);
	return 0;
}

static int check_vmallocinfo(const char *path)
{
	char line[1024];
	uint64_t s, e;
	int n = 0, nmod = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return fail("cannot open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *dash = strchr(line, '-');

		if (dash)
			*dash = ' ';
		if (!dash || !hex(line, &s) || !hex(dash + 1, &e))
			return fail("malformed %s line: %s", path, line);
		if (inside("vmalloc", s, e - 1)) {
			n++;
		} else if (inside("modules", s, e - 1)) {
			nmod++;
		} else {
			*dash = '-';
			return fail("outside vmalloc and modules: %s%s", line, "");
		}
	}
	fclose(f);
	printf("%d vmalloc ranges in vmalloc, %d in modules\n", n, nmod);
	return n ? 0 : 1;
}

/*
 * The image's sections against the kernel's own symbols: text ends at
 * _etext, rodata runs from __start_rodata to __end_rodata (page-rounded),
 * data follows it, and the padding between text and rodata, when mapped,
 * is one region filling the space between them. Pages freed at boot and
 * given out again since (with any permissions) must change none of this.
 */
static int check_kallsyms(const char *path)
{
	static const char *const names[] = {
		"_text", "_etext", "__start_rodata", "__end_rodata",
	};
	char line[512], name[128], addr[32];
	uint64_t sym[4] = { 0 }, a, page = 4096;
	const struct reg *text, *ro, *data, *gap = find("kernel-gap");
	int ngaps = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return fail("cannot open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char full[40];

		if (sscanf(line, "%31s %*s %127s", addr, name) != 2)
			continue;
		snprintf(full, sizeof(full), "0x%s", addr);
		for (int i = 0; i < 4; i++)
			if (!strcmp(name, names[i]) && hex(full, &a))
				sym[i] = a;
	}
	fclose(f);
	if (!sym[0] || !sym[1])
		return fail("_text or _etext not in %s%s", path, "");
	if (!inside("kernel-image", sym[0], sym[1] - 1) ||
	    !inside("kernel-text", sym[0], sym[1] - 1))
		return fail("_text.._etext is not inside kernel-image/kernel-text%s%s", "", "");
	if (sym[0] != find("kernel-image")->start)
		return fail("the kernel image does not start at _text%s%s", "", "");
	text = find("kernel-text");
	if (text->last + 1 != ((sym[1] + page - 1) & ~(page - 1)))
		return fail("kernel-text does not end at _etext%s%s", "", "");
	ro = find("kernel-rodata");
	data = find("kernel-data");
	if (sym[2] && sym[3] && ro &&
	    (ro->start != sym[2] ||
	     ro->last + 1 != ((sym[3] + page - 1) & ~(page - 1)) ||
	     !data || data->start != ro->last + 1))
		return fail("kernel-rodata is not __start_rodata..__end_rodata%s%s",
			    " with kernel-data after it", "");
	for (int i = 0; i < nregs; i++)
		ngaps += !strcmp(regs[i].key, "kernel-gap");
	if (ngaps > 1 || (gap && (gap->start != text->last + 1 ||
				  !ro || gap->last + 1 != ro->start)))
		return fail("the padding after the text is not one kernel-gap%s%s",
			    " up to the rodata", "");
	printf("_text 0x%" PRIx64 ", _etext 0x%" PRIx64 "%s bound the kernel image's sections\n",
	       sym[0], sym[1], sym[2] && sym[3] && ro ? ", __start_rodata, __end_rodata" : "");
	return 0;
}

static int check_tasks(const char *path)
{
	char line[512], comm[128], f[5][32];
	uint64_t v[5], dm_start = find("direct-map")->start;
	int pid, tgid, n = 0, have1 = 0;
	FILE *fp = fopen(path, "r");

	if (!fp)
		return fail("cannot open %s: %s", path, strerror(errno));
	if (!fgets(line, sizeof(line), fp) || strcmp(line, "vasx-tasks 1\n"))
		return fail("%s: bad version line %s", path, line);
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "task %d %d %127s %31s %31s %31s %31s %31s", &pid, &tgid,
			   comm, f[0], f[1], f[2], f[3], f[4]) != 8)
			return fail("malformed task line: %s%s", line, "");
		for (int i = 0; i < 5; i++)
			if (!hex(f[i], &v[i]))
				return fail("bad number in %s%s", line, "");
		if (n == 0 && pid != 0)
			return fail("the first task is not the idle task: %s%s", line, "");
		/* Slab task_structs live in the direct map; init_task in the image. */
		if (pid && (!inside("direct-map", v[0], v[0]) || v[1] != v[0] - dm_start))
			return fail("task_struct address or its physical address is off: %s%s",
				    line, "");
		if (!pid && (!inside("kernel-image", v[0], v[0]) ||
			     !inside("kernel-image", v[2], v[2])))
			return fail("init_task or its stack outside the image: %s%s", line, "");
		if (pid && v[2] && !inside("vmalloc", v[2], v[2]))
			return fail("kernel stack outside vmalloc: %s%s", line, "");
		if (v[4] && !inside("direct-map", v[4], v[4]))
			return fail("pgd outside the direct map: %s%s", line, "");
		if (pid == 1 && v[3] && v[4])
			have1 = 1;
		n++;
	}
	fclose(fp);
	if (!have1)
		return fail("pid 1 with an mm and pgd not found%s%s", "", "");
	printf("%d tasks, objects inside their regions\n", n);
	return 0;
}

/* Drop CAP_SYS_ADMIN but stay root, so file permissions still let us in. */
static int check_nocap(const char *path)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	char buf[64];
	int fd;
	ssize_t got;

	if (syscall(SYS_capget, &h, d))
		return fail("capget: %s%s", strerror(errno), "");
	d[0].effective &= ~(1u << CAP_SYS_ADMIN);
	d[0].permitted &= ~(1u << CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &h, d))
		return fail("capset: %s%s", strerror(errno), "");
	fd = open(path, O_RDONLY);
	if (fd < 0 && errno == EPERM)
		goto refused;
	if (fd < 0)
		return fail("open failed with %s, not EPERM%s", strerror(errno), "");
	got = read(fd, buf, sizeof(buf));
	if (got < 0 && errno == EPERM)
		goto refused;
	return fail("read without CAP_SYS_ADMIN was not refused with EPERM%s%s", "", "");
refused:
	printf("EPERM without CAP_SYS_ADMIN\n");
	return 0;
}

static int check_nonroot(const char *path)
{
	char buf[64];
	int fd;

	if (setgid(65534) || setuid(65534))
		return fail("cannot become nobody: %s%s", strerror(errno), "");
	fd = open(path, O_RDONLY);
	if (fd < 0 && (errno == EPERM || errno == EACCES)) {
		printf("refused to nobody: %s\n", strerror(errno));
		return 0;
	}
	if (fd >= 0 && read(fd, buf, sizeof(buf)) < 0 && errno == EPERM) {
		printf("refused to nobody: %s\n", strerror(errno));
		return 0;
	}
	return fail("nobody could read %s%s", path, "");
}

/* The line of @text holding @a and @b, or NULL. Lines are restored. */
static char *line_with(char *text, const char *a, const char *b, char *out, size_t outsz)
{
	for (char *at = strstr(text, a); at; at = strstr(at + 1, a)) {
		char *bol = at, *eol = strchr(at, '\n');
		size_t n;

		while (bol > text && bol[-1] != '\n')
			bol--;
		n = eol ? (size_t)(eol - bol) : strlen(bol);
		if (n >= outsz)
			n = outsz - 1;
		memcpy(out, bol, n);
		out[n] = 0;
		if (strstr(out, b))
			return out;
	}
	return NULL;
}

/* pid 1's task_struct, kernel stack, mm and pgd, nested in kernel regions. */
static int check_json_kobjects(char *text, const char *tasks)
{
	static const char *const keys[] = { "task_struct", "kernel stack", "mm_struct", "pgd" };
	char line[512], want[64], key[64], out[4096];
	uint64_t v[5];
	FILE *f = fopen(tasks, "r");
	bool found = false;

	if (!f)
		return fail("cannot open %s: %s", tasks, strerror(errno));
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "task 1 1 %*s 0x%" SCNx64 " 0x%" SCNx64 " 0x%" SCNx64
			       " 0x%" SCNx64 " 0x%" SCNx64, &v[0], &v[1], &v[2], &v[3], &v[4]) == 5;
	fclose(f);
	if (!found)
		return fail("pid 1 is not in %s%s", tasks, "");
	for (int i = 0; i < 4; i++) {
		uint64_t a = v[i < 1 ? 0 : i + 1];
		const char *depth;

		snprintf(want, sizeof(want), "\"start\":\"0x%016" PRIx64 "\"", a);
		snprintf(key, sizeof(key), "\"key\":\"%s\"", keys[i]);
		if (!line_with(text, want, key, out, sizeof(out)) ||
		    !strstr(out, "\"kind\":\"kernel-object\""))
			return fail("pid 1's %s is not a kernel object in the JSON%s", keys[i], "");
		depth = strstr(out, "\"depth\":");
		if (!depth || atoi(depth + 8) < 1)
			return fail("pid 1's %s is not inside a kernel region%s", keys[i], "");
	}
	return 0;
}

/* Every region of the layout appears in vasx's JSON: same bounds, same key. */
static int check_json(const char *path, const char *tasks)
{
	static char text[1 << 22];
	char want[128], key[64];
	size_t len;
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return fail("cannot open %s: %s", path, strerror(errno));
	len = fread(text, 1, sizeof(text) - 1, f);
	text[len] = 0;
	fclose(f);
	if (!strstr(text, "\"source\":\"module\""))
		return fail("the JSON does not name the module as its kernel source%s%s", "", "");
	for (int i = 0; i < nregs; i++) {
		char *at, *eol;

		snprintf(want, sizeof(want), "\"start\":\"0x%016" PRIx64 "\",\"end\":\"0x%016" PRIx64 "\"",
			 regs[i].start, regs[i].last + 1);
		snprintf(key, sizeof(key), "\"key\":\"%s\"", regs[i].key);
		for (at = strstr(text, want); at; at = strstr(at + 1, want)) {
			eol = strchr(at, '\n');
			if (eol)
				*eol = 0;
			if (strstr(at, key)) {
				if (eol)
					*eol = '\n';
				break;
			}
			if (eol)
				*eol = '\n';
		}
		if (!at)
			return fail("region %s (%s) is missing from the JSON", regs[i].key, want);
		n++;
	}
	if (tasks && check_json_kobjects(text, tasks))
		return 1;
	printf("all %d regions of the module in the JSON with the same bounds and keys%s\n", n,
	       tasks ? "; pid 1's task_struct, stack, mm and pgd nested in them" : "");
	return 0;
}

/* ---- the explorer on a pseudo-terminal ---- */

static char screen_out[1 << 16];
static size_t screen_len;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read what the program wrote for up to @ms; false at end of file. */
static bool pty_read(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char buf[4096];
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return true;
	n = read(fd, buf, sizeof(buf));
	if (n <= 0)
		return false;
	if (screen_len + (size_t)n >= sizeof(screen_out)) {
		/* keep the newest half: waits look at recent output */
		memmove(screen_out, screen_out + sizeof(screen_out) / 2, sizeof(screen_out) / 2);
		screen_len -= sizeof(screen_out) / 2;
	}
	memcpy(screen_out + screen_len, buf, (size_t)n);
	screen_len += (size_t)n;
	screen_out[screen_len] = '\0';
	return true;
}

static bool module_loaded(void)
{
	FILE *f = fopen("/proc/modules", "re");
	char line[256];
	bool yes = false;

	while (f && fgets(line, sizeof(line), f))
		yes |= !strncmp(line, "vasx ", 5);
	if (f)
		fclose(f);
	return yes;
}

static pid_t tui_start(char **argv, int *master)
{
	struct winsize ws = { .ws_row = 30, .ws_col = 100 };
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	pid_t pid;

	if (m < 0 || grantpt(m) || unlockpt(m) || ioctl(m, TIOCSWINSZ, &ws))
		return -1;
	pid = fork();
	if (pid == 0) {
		int s;

		setsid();
		s = open(ptsname(m), O_RDWR);
		if (s < 0 || ioctl(s, TIOCSCTTY, 0))
			_exit(126);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		close(m);
		setenv("TERM", "xterm", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	*master = m;
	return pid;
}

/* The end of the output, escape sequences dropped, for a failure message. */
static void tui_tail(void)
{
	size_t from = screen_len > 2000 ? screen_len - 2000 : 0, o = 0;
	char out[2001];

	for (size_t i = from; i < screen_len && o < 2000; i++) {
		unsigned char c = (unsigned char)screen_out[i];

		if (c == 27) {
			while (i + 1 < screen_len && !(screen_out[i + 1] >= '@' &&
			       screen_out[i + 1] <= '~' && screen_out[i + 1] != '['))
				i++;
			i++;
			continue;
		}
		if (c >= 32 && c < 127)
			out[o++] = (char)c;
	}
	out[o] = '\0';
	printf("; output ends: %s", out + (o > 300 ? o - 300 : 0));
}

/*
 * STEPS, separated by spaces:
 *   w:TEXT  wait (20 s at most) until the output since the last keys has TEXT
 *   n:TEXT  the output since the last keys does not have TEXT (now)
 *   k:KEYS  type KEYS (each character a key)
 *   m:1 m:0 wait until the vasx module is (not) loaded
 *   x:N     wait until the program exits with status N
 */
static int run_tui(char *steps, char **argv)
{
	size_t mark = 0;
	int master, status = -1;
	pid_t pid = tui_start(argv, &master);
	char *step, *save = NULL, all[512];

	snprintf(all, sizeof(all), "%s", steps);
	if (pid < 0)
		return fail("cannot start %s on a terminal: %s", argv[0], strerror(errno));
	for (step = strtok_r(steps, " ", &save); step; step = strtok_r(NULL, " ", &save)) {
		double end = now_s() + 20;
		bool done = false;

		while (!done && now_s() < end) {
			if (step[0] == 'w')
				done = strstr(screen_out + mark, step + 2) != NULL;
			else if (step[0] == 'n')
				done = strstr(screen_out + mark, step + 2) == NULL;
			else if (step[0] == 'm')
				done = module_loaded() == (step[2] == '1');
			else if (step[0] == 'x')
				done = waitpid(pid, &status, WNOHANG) == pid;
			else if (step[0] == 'k')
				done = write(master, step + 2, strlen(step + 2)) ==
				       (ssize_t)strlen(step + 2);
			if (!done && (step[0] == 'n' || (!pty_read(master, 50) && step[0] != 'x')))
				break;
		}
		if (step[0] == 'k')
			mark = screen_len;
		if (!done) {
			printf("step %s did not happen", step);
			tui_tail();
			putchar('\n');
			kill(pid, SIGKILL);
			return 1;
		}
		if (step[0] == 'x' && (!WIFEXITED(status) || WEXITSTATUS(status) != atoi(step + 2))) {
			printf("exit status %d, not %s", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			       step + 2);
			tui_tail();
			putchar('\n');
			return 1;
		}
	}
	printf("%s\n", all);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "asnobody")) {
		if (setgid(65534) || setuid(65534))
			return fail("cannot become nobody: %s%s", strerror(errno), "");
		execv(argv[2], argv + 2);
		return fail("cannot run %s: %s", argv[2], strerror(errno));
	}
	if (argc >= 4 && !strcmp(argv[1], "tui"))
		return run_tui(argv[2], argv + 3);
	if (argc == 3 && !strcmp(argv[1], "nocap"))
		return check_nocap(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "nonroot"))
		return check_nonroot(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "json"))
		return load_layout(argv[2]) ? 1 : check_json(argv[3], argv[4]);
	if (argc != 4) {
		fprintf(stderr, "usage: vmcheck CHECK LAYOUT ARG\n");
		return 2;
	}
	if (load_layout(argv[2]))
		return 1;
	if (!strcmp(argv[1], "layout"))
		return check_layout(argv[3]);
	if (!strcmp(argv[1], "modules"))
		return check_modules(argv[3]);
	if (!strcmp(argv[1], "vmallocinfo"))
		return check_vmallocinfo(argv[3]);
	if (!strcmp(argv[1], "kallsyms"))
		return check_kallsyms(argv[3]);
	if (!strcmp(argv[1], "tasks"))
		return check_tasks(argv[3]);
	if (!strcmp(argv[1], "json"))
		return check_json(argv[3], NULL);
	fprintf(stderr, "vmcheck: unknown check %s\n", argv[1]);
	return 2;
}
