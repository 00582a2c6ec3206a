/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vasx: the command line. Parses the options, opens the source and starts
 * either the interactive explorer or one of the batch commands (cli.c).
 *
 * Every option is one row of options[] below: getopt's table, the short
 * option string and --help are all made from it, so adding an option is
 * one row and one case in handle_option().
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vasx/fmt.h"
#include "vasx/kmod.h"
#include "vasx/source.h"
#include "vasx/status.h"
#include "vasx/vas.h"
#include "cli.h"
#include "cli_diff.h"
#include "tui.h"

/* The graph needs 60 columns; past 4096 a width only makes megabytes of spaces. */
#define VASX_WIDTH_MIN 60
#define VASX_WIDTH_MAX 4096

enum {
	OPT_FORMAT = 256,
	OPT_REGEX,
	OPT_EXPORT_MAPS,
	OPT_EXPORT_KERNEL,
	OPT_DEBUG,
	OPT_LOG,
	OPT_SAVE,
	OPT_PROC_ROOT,
	OPT_WIDTH,
	OPT_NO_COLOR,
	OPT_ASCII,
	OPT_LINEAR,
	OPT_LOAD_MODULE,
	OPT_TASK,
	OPT_PHYS_TASK,
	OPT_TASK_HEAD,
	OPT_DIFF,
	OPT_WATCH,
};

struct cli_option {
	const char *name;
	int has_arg;
	int val;		/* the short option, or OPT_* */
	const char *arg;	/* its argument in --help */
	const char *help;
	const char *group;	/* starts a group of --help */
};

static const struct cli_option options[] = {
	{ "pid", required_argument, 'p', "PID", "the process to show (a bare PID works too); with --maps a list PID,PID,...", "What to show" },
	{ "graph", no_argument, 'g', NULL, "draw the address space, kernel on top (the default without a terminal)", NULL },
	{ "table", no_argument, 't', NULL, "one row per mapping with every smaps figure", NULL },
	{ "json", no_argument, 'j', NULL, "the whole snapshot as one JSON object", NULL },
	{ "maps", no_argument, 'm', NULL, "Rekall/Volatility maps table of the processes chosen by -p and --regex (all by default)", NULL },
	{ "format", required_argument, OPT_FORMAT, "FMT", "text, csv or json for --table; text, csv, json or jsonl for --maps", NULL },
	{ "regex", required_argument, OPT_REGEX, "RE", "with --maps: processes whose name matches the extended regex RE", NULL },
	{ "task", required_argument, OPT_TASK, "KVA[,KVA...]", "with --maps: the processes whose task_struct is at these kernel addresses (needs the module)", NULL },
	{ "phys-task", required_argument, OPT_PHYS_TASK, "PA[,PA...]", "with --maps: the processes whose task_struct is at these physical addresses (needs the module)", NULL },
	{ "task-head", required_argument, OPT_TASK_HEAD, "KVA", "with --maps: every process on the task list, walking from the task_struct at KVA (needs the module)", NULL },
	{ "only-user", no_argument, 'u', NULL, "only the user half of the address space", "Graph" },
	{ "only-kernel", no_argument, 'k', NULL, "only the kernel half", NULL },
	{ "locate", required_argument, 'l', "ADDR[,LEN_KB]", "mark what overlaps the range and say what it falls in", NULL },
	{ "export-maps", required_argument, OPT_EXPORT_MAPS, "FILE", "also write the user half's regions as CSV to FILE", NULL },
	{ "export-kernel", required_argument, OPT_EXPORT_KERNEL, "FILE", "also write the kernel half's regions as CSV to FILE", NULL },
	{ "verbose", no_argument, 'v', NULL, "add a legend and statistics", NULL },
	{ "no-color", no_argument, OPT_NO_COLOR, NULL, "no colours, here and in the explorer (also when NO_COLOR is set)", NULL },
	{ "width", required_argument, OPT_WIDTH, "COLUMNS", "graph width, 60 to 4096 (default: the terminal's, else $COLUMNS, else 80)", NULL },
	{ "diff", required_argument, OPT_DIFF, "A B", "print what changed from saved tree A to saved tree B, one line per change (--json: as JSON)", "Changes" },
	{ "watch", optional_argument, OPT_WATCH, "SECONDS", "re-read the process every SECONDS (default 1) and print each change as a line as it happens; with a terminal, the explorer refreshing that often", NULL },
	{ "save", required_argument, OPT_SAVE, "DIR", "save the process's files as a snapshot tree in DIR", "Sources" },
	{ "proc-root", required_argument, OPT_PROC_ROOT, "DIR", "read a saved tree or fixture DIR instead of /proc", NULL },
	{ "load-module", no_argument, OPT_LOAD_MODULE, NULL, "load the vasx kernel module for the kernel half (root; unloaded on exit)", NULL },
	{ "delay", required_argument, 'd', "SECONDS", "refresh period of the interactive explorer (default 1; d changes it in the explorer)", "Interactive explorer" },
	{ "ascii", no_argument, OPT_ASCII, NULL, "draw with ASCII characters only", NULL },
	{ "linear", no_argument, OPT_LINEAR, NULL, "band heights proportional to size instead of logarithmic", NULL },
	{ "debug", no_argument, OPT_DEBUG, NULL, "say on stderr what was read from where and how long it took", "Other" },
	{ "log", required_argument, OPT_LOG, "FILE", "append what was printed, without colours, to FILE", NULL },
	{ "version", no_argument, 'V', NULL, "print the version and exit", NULL },
	{ "help", no_argument, 'h', NULL, "print this help and exit", NULL },
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

struct main_state {
	struct vasx_cli cli;
	struct vasx_tui_opts tui;
	const char *proc_root;
	unsigned modes;		/* how many of --graph/--table/--json/--maps */
	bool batch;		/* an option only the batch commands use */
	bool output;		/* ... and one that asks for the graph */
	bool no_color;
	const char *diff_a;	/* --diff A B: B is the operand */
	double watch;		/* --watch period, 0 without --watch */
};

/* @text from column @col on, wrapped before column 80 and indented to @col. */
static void put_wrapped(FILE *f, const char *text, int col)
{
	int at = col;

	while (*text) {
		int n = (int)strcspn(text, " ");

		if (at > col && at + 1 + n > 79) {
			fprintf(f, "\n%*s", col, "");
			at = col;
		} else if (at > col) {
			putc(' ', f);
			at++;
		}
		fwrite(text, 1, (size_t)n, f);
		at += n;
		text += n;
		text += strspn(text, " ");
	}
	putc('\n', f);
}

static void usage(FILE *f)
{
	const char *group = NULL;
	size_t i;

	fputs("Usage: vasx [OPTION]... [PID]\n"
	      "Show the whole virtual address space of a Linux process: its mappings, the\n"
	      "gaps between them, the non-canonical hole and the kernel half.\n"
	      "With a terminal and no batch option, starts the interactive explorer.\n", f);
	for (i = 0; i < NOPTIONS; i++) {
		const struct cli_option *o = &options[i];
		char lhs[64];
		int n;

		if (o->group && o->group != group) {
			fprintf(f, "\n%s:\n", o->group);
			group = o->group;
		}
		if (o->val < 256)
			n = snprintf(lhs, sizeof(lhs), "-%c, --%s", o->val, o->name);
		else
			n = snprintf(lhs, sizeof(lhs), "    --%s", o->name);
		if (o->arg)
			snprintf(lhs + n, sizeof(lhs) - (size_t)n,
				 o->has_arg == optional_argument ? "[=%s]" :
				 strchr(o->arg, ' ') ? " %s" : "=%s", o->arg);
		if (strlen(lhs) > 24)
			fprintf(f, "  %s\n%28s", lhs, "");
		else
			fprintf(f, "  %-24s  ", lhs);
		put_wrapped(f, o->help, 28);
	}
	fputs("\nExit status: 0 on success, 1 on an error, 2 for a usage error, 3 when the\n"
	      "process watched by --watch exits, 128+N when stopped by signal N.\n"
	      "See vasx(1) for the JSON fields, the files read and the environment.\n", f);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vasx: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see vasx --help)\n", stderr);
	return 2;
}

static int parse_format(struct main_state *m, const char *s)
{
	static const struct {
		const char *name;
		enum vasx_maps_format fmt;
	} formats[] = {
		{ "text", VASX_FMT_TEXT },
		{ "csv", VASX_FMT_CSV },
		{ "json", VASX_FMT_JSON },
		{ "jsonl", VASX_FMT_JSONL },
	};
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (!strcmp(s, formats[i].name)) {
			m->cli.fmt = formats[i].fmt;
			m->cli.format = s;
			return 0;
		}
	}
	return usage_error("unknown format '%s': use text, csv, json or jsonl", s);
}

static int parse_locate(struct main_state *m, const char *s)
{
	struct vasx_export_opts *eo = &m->cli.eo;
	char addr[64], *end;
	const char *comma = strchr(s, ',');
	size_t n = comma ? (size_t)(comma - s) : strlen(s);
	unsigned long long kb = 0;

	if (n >= sizeof(addr))
		return usage_error("'%s' is not an address", s);
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (vasx_parse_addr(addr, 1, &eo->locate_start))
		return usage_error("'%s' is not an address (hex, as in maps: 0x7ffd1000)", addr);
	if (comma) {
		errno = 0;
		kb = strtoull(comma + 1, &end, 10);
		if (errno || end == comma + 1 || *end || kb > UINT64_MAX / 1024)
			return usage_error("'%s' is not a length in KB", comma + 1);
	}
	eo->locate_last = eo->locate_start;
	if (kb) {
		uint64_t len = kb * 1024;

		eo->locate_last = len - 1 > UINT64_MAX - eo->locate_start ? UINT64_MAX :
				  eo->locate_start + len - 1;
	}
	eo->locate = true;
	return 0;
}

static int parse_positive(const char *s, const char *what, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || !(*out > 0) || *out > 1e6)
		return usage_error("'%s' is not %s", s, what);
	return 0;
}

/* --width: whole columns, as many as the graph needs and no absurd number more. */
static int parse_width(const char *s, unsigned *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || !isdigit((unsigned char)*s) ||
	    v < VASX_WIDTH_MIN || v > VASX_WIDTH_MAX)
		return usage_error("'%s' is not a width: give %d to %d columns", s,
				   VASX_WIDTH_MIN, VASX_WIDTH_MAX);
	*out = (unsigned)v;
	return 0;
}

static int set_mode(struct main_state *m, enum vasx_cli_mode mode)
{
	if (m->cli.mode != mode)
		m->modes++;
	m->cli.mode = mode;
	return 0;
}

/* --help and --version: 0, or 1 when they could not be written (as the batch output). */
static int flush_stdout(void)
{
	int err = vasx_cli_flush();

	return err ? vasx_cli_write_error(err) : 0;
}

static int handle_option(struct main_state *m, int val, const char *arg)
{
	struct vasx_cli *c = &m->cli;

	switch (val) {
	case 'p':
		c->pids = arg;
		return 0;
	case 'g':
		return set_mode(m, VASX_MODE_GRAPH);
	case 't':
		return set_mode(m, VASX_MODE_TABLE);
	case 'j':
		return set_mode(m, VASX_MODE_JSON);
	case 'm':
		return set_mode(m, VASX_MODE_MAPS);
	case OPT_FORMAT:
		return parse_format(m, arg);
	case OPT_REGEX:
		c->regex = arg;
		return 0;
	case OPT_TASK:
		c->task_kvas = arg;
		return 0;
	case OPT_PHYS_TASK:
		c->phys_tasks = arg;
		return 0;
	case OPT_TASK_HEAD:
		c->task_head = arg;
		return 0;
	case 'u':
		c->eo.only_user = m->tui.only_user = true;
		return 0;
	case 'k':
		c->eo.only_kernel = m->tui.only_kernel = true;
		return 0;
	case 'l':
		m->batch = m->output = true;
		return parse_locate(m, arg);
	case OPT_EXPORT_MAPS:
		m->batch = m->output = true;
		c->export_maps = arg;
		return 0;
	case OPT_EXPORT_KERNEL:
		m->batch = m->output = true;
		c->export_kernel = arg;
		return 0;
	case 'v':
		m->batch = m->output = true;
		c->eo.verbose = true;
		return 0;
	case OPT_WIDTH:
		return parse_width(arg, &c->eo.width);
	case OPT_SAVE:
		m->batch = true;
		c->save_dir = arg;
		return 0;
	case OPT_PROC_ROOT:
		m->proc_root = arg;
		return 0;
	case OPT_DIFF:
		m->diff_a = arg;
		return 0;
	case OPT_WATCH:
		m->watch = 1.0;
		if (arg && parse_positive(arg, "a period in seconds", &m->watch))
			return 2;
		if (arg)
			m->tui.delay = m->watch;
		return 0;
	case OPT_LOAD_MODULE:
		m->tui.load_module = true;
		return 0;
	case 'd':
		return parse_positive(arg, "a delay in seconds", &m->tui.delay);
	case OPT_NO_COLOR:
		m->no_color = true;
		return 0;
	case OPT_ASCII:
		m->tui.ascii = true;
		return 0;
	case OPT_LINEAR:
		m->tui.linear = true;
		return 0;
	case OPT_DEBUG:
		c->debug = true;
		return 0;
	case OPT_LOG:
		m->batch = m->output = true;
		c->log_path = arg;
		return 0;
	case 'V':
		printf("vasx %s\n", VASX_VERSION);
		exit(flush_stdout());
	case 'h':
		usage(stdout);
		exit(flush_stdout());
	}
	return 2;
}

static int parse_args(struct main_state *m, int argc, char **argv)
{
	struct option longopts[NOPTIONS + 1];
	char shorts[2 * NOPTIONS + 2], *sp = shorts;
	size_t i;
	int val, err;

	*sp++ = ':';
	for (i = 0; i < NOPTIONS; i++) {
		longopts[i] = (struct option){ options[i].name, options[i].has_arg, NULL,
					       options[i].val };
		if (options[i].val < 256) {
			*sp++ = (char)options[i].val;
			if (options[i].has_arg == required_argument)
				*sp++ = ':';
		}
	}
	memset(&longopts[NOPTIONS], 0, sizeof(longopts[0]));
	*sp = '\0';
	opterr = 0;
	while ((val = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
		if (val == '?')
			return usage_error("unknown option '%s'", argv[optind - 1]);
		if (val == ':')
			return usage_error("option '%s' needs an argument", argv[optind - 1]);
		err = handle_option(m, val, optarg);
		if (err)
			return err;
	}
	if (optind < argc && m->cli.pids)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (optind < argc)
		m->cli.pids = argv[optind++];
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	return 0;
}

/* A single pid: digits only, at least 1. */
static int parse_pid(const char *s, int *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > INT_MAX)
		return -EINVAL;
	*pid = (int)v;
	return 0;
}

/* The first option given that only the graph uses, or NULL. */
static const char *graph_option(const struct vasx_cli *c)
{
	if (c->eo.only_user)
		return "--only-user";
	if (c->eo.only_kernel)
		return "--only-kernel";
	if (c->eo.locate)
		return "--locate";
	if (c->eo.verbose)
		return "--verbose";
	if (c->eo.width)
		return "--width";
	return NULL;
}

static int check_combination(struct main_state *m)
{
	struct vasx_cli *c = &m->cli;

	if (m->modes > 1)
		return usage_error("%s", "choose one of --graph, --table, --json and --maps");
	if (c->eo.only_user && c->eo.only_kernel)
		return usage_error("%s", "--only-user and --only-kernel exclude each other");
	if (c->format && c->mode != VASX_MODE_TABLE && c->mode != VASX_MODE_MAPS)
		return usage_error("%s", "--format applies to --table and --maps");
	if (c->mode == VASX_MODE_TABLE && c->fmt == VASX_FMT_JSONL)
		return usage_error("%s", "--table writes text, csv or json");
	if (graph_option(c) && (c->mode == VASX_MODE_TABLE || c->mode == VASX_MODE_JSON ||
				c->mode == VASX_MODE_MAPS))
		return usage_error("%s shapes the graph: %s has no use for it", graph_option(c),
				   c->mode == VASX_MODE_TABLE ? "--table" :
				   c->mode == VASX_MODE_JSON ? "--json" : "--maps");
	if (c->regex && c->mode != VASX_MODE_MAPS)
		return usage_error("%s", "--regex selects processes for --maps");
	if ((c->task_kvas || c->phys_tasks || c->task_head) && c->mode != VASX_MODE_MAPS)
		return usage_error("%s", "--task, --phys-task and --task-head select processes for --maps");
	if (m->diff_a && (!c->pids || m->watch || m->batch || graph_option(c) ||
			  (m->modes && c->mode != VASX_MODE_JSON)))
		return usage_error("%s", "--diff compares two trees: vasx --diff A B [--json]");
	if (m->watch && (m->modes || m->batch))
		return usage_error("%s", "--watch prints changes: leave out --graph, --table, "
				   "--json, --maps and --save");
	if (c->mode == VASX_MODE_MAPS && c->save_dir)
		return usage_error("%s", "--save saves one process: use -p PID without --maps");
	if (c->pids && !m->diff_a && c->mode != VASX_MODE_MAPS && parse_pid(c->pids, &c->pid))
		return usage_error("'%s' is not a process id", c->pids);
	return 0;
}

/* A saved tree names its process; a fixture with one process needs no -p either. */
static int default_pid(struct vasx_source *src)
{
	int *ids = NULL, pid = 0;
	size_t n = 0;
	char *note;

	if (!vasx_source_slurp(src, 0, "vasx-save", &note, NULL)) {
		const char *p = strstr(note, "\npid ");

		if (p)
			pid = atoi(p + 5);
		free(note);
		if (pid > 0)
			return pid;
	}
	if (!src->ops->list_ids(src, 0, &ids, &n) && n == 1)
		pid = ids[0];
	free(ids);
	return pid;
}

/* The default width: the terminal's or $COLUMNS, brought into the range --width takes. */
static unsigned terminal_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	long w = 0;

	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col)
		w = ws.ws_col;
	else if (cols)
		w = strtol(cols, NULL, 10);
	if (w <= 0)
		return 0;
	if (w < VASX_WIDTH_MIN)
		return VASX_WIDTH_MIN;
	return w > VASX_WIDTH_MAX ? VASX_WIDTH_MAX : (unsigned)w;
}

/* module/vasx.ko beside the program, when run from the build tree. */
static const char *module_build_path(void)
{
	static char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);
	char *slash;

	if (n <= 0)
		return NULL;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (!slash)
		return NULL;
	strcpy(slash, "/module/vasx.ko");
	return access(path, R_OK) == 0 ? path : NULL;
}

static int load_module(struct main_state *m, bool *loaded)
{
	int err;

	m->tui.module_path = module_build_path();
	err = vasx_kmod_load(m->tui.module_path, loaded);
	if (!err)
		return 0;
	/* Half done is not done: leave the kernel as it was. */
	vasx_kmod_release(loaded);
	if (err == -VASX_E_NOTROOT)
		return vasx_cli_fail("--load-module needs root (CAP_SYS_ADMIN): run vasx as root");
	if (err == -VASX_E_NODEBUGFS)
		return vasx_cli_fail("cannot use the vasx module: %s (mount -t debugfs none "
				     "/sys/kernel/debug)", vasx_strerror(err));
	return vasx_cli_fail("cannot load the vasx module: %s", vasx_strerror(err));
}

static int open_source(struct main_state *m)
{
	int err;

	if (m->proc_root) {
		err = vasx_source_open_dir(m->proc_root, &m->cli.src);
		if (err)
			return vasx_cli_fail("cannot read the tree %s: %s", m->proc_root,
					     vasx_strerror(err));
	} else {
		err = vasx_source_open_live(&m->cli.src);
		if (err)
			return vasx_cli_fail("cannot open /proc: %s", vasx_strerror(err));
	}
	if (m->cli.debug) {
		fprintf(stderr, "vasx: debug: reading from %s (%s source)\n", m->cli.src->root,
			m->cli.src->ops->name);
		err = vasx_cli_trace_source(m->cli.src, &m->cli.src);
		if (err)
			return vasx_cli_fail("%s", vasx_strerror(err));
	}
	return 0;
}

static int run(struct main_state *m)
{
	struct vasx_cli *c = &m->cli;
	bool interactive = c->mode == VASX_MODE_AUTO && !m->batch &&
			   isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);

	/* a terminal that is not UTF-8 may take a byte inside a UTF-8 name for C1 */
	if (isatty(STDOUT_FILENO) && setlocale(LC_CTYPE, "") &&
	    strcmp(nl_langinfo(CODESET), "UTF-8"))
		vasx_fmt_set_ascii(true);
	if (m->diff_a)
		return vasx_cli_diff(c, m->diff_a, c->pids, c->mode == VASX_MODE_JSON);
	if (!c->pid && c->mode != VASX_MODE_MAPS && !c->src->live)
		c->pid = default_pid(c->src);
	if (interactive) {
		m->tui.pid = c->pid;
		return vasx_tui_main(c->src, &m->tui);
	}
	if (!c->pid && c->mode == VASX_MODE_AUTO && !m->batch &&
	    (isatty(STDIN_FILENO) || isatty(STDOUT_FILENO))) {
		fprintf(stderr, "vasx: the explorer needs a terminal on both stdin and stdout "
			"(%s is not one): give a PID to print its graph instead\n",
			isatty(STDIN_FILENO) ? "stdout" : "stdin");
		return 2;
	}
	if (!c->pid && c->mode != VASX_MODE_MAPS) {
		fputs("vasx: no process given: use vasx -p PID (see vasx --help)\n", stderr);
		return 2;
	}
	if (m->watch)
		return vasx_cli_watch(c, m->watch);
	if (c->mode == VASX_MODE_AUTO)
		c->mode = c->save_dir && !m->output ? VASX_MODE_SAVE : VASX_MODE_GRAPH;
	return vasx_cli_run(c);
}

/*
 * A standard stream that is closed stays closed in effect: /dev/null opened
 * read-only in its place fails every write with EBADF as the closed one did,
 * but keeps the number from going to the next file vasx opens, which would
 * then receive what was meant for stdout or stderr.
 */
static void hold_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		/* the lowest free number: @fd itself, the ones below are open by now */
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_RDONLY) < 0)
			return;
	}
}

int main(int argc, char **argv)
{
	struct main_state m = { .tui.delay = 1.0 };
	bool loaded = false;
	int status;

	hold_std_fds();
	/* A reader gone away is an EPIPE from write(2), which ends the output quietly. */
	signal(SIGPIPE, SIG_IGN);
	vasx_memory_tune();
	status = parse_args(&m, argc, argv);
	if (!status)
		status = check_combination(&m);
	if (status)
		return status;
	m.tui.color = !m.no_color && !getenv("NO_COLOR");
	m.cli.eo.color = m.tui.color && isatty(STDOUT_FILENO);
	if (!m.cli.eo.width)
		m.cli.eo.width = terminal_width();
	if (m.tui.load_module && load_module(&m, &loaded))
		return loaded ? vasx_cli_fail("could not unload the vasx module it loaded") : 1;
	status = open_source(&m);
	if (!status)
		status = run(&m);
	vasx_source_close(m.cli.src);
	if (vasx_kmod_release(&loaded))
		status = vasx_cli_fail("could not unload the vasx module it loaded");
	vasx_cli_reraise();
	return status;
}
