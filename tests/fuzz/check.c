/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rules the fuzz targets hold the parsers and exporters to (check.h).
 * Written for speed and plainness: a JSON and a CSV recogniser that say
 * yes or no, nothing more.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/export.h"
#include "vasx/source.h"
#include "vasx/vas.h"
#include "check.h"

void fz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz: broken rule: %s%s%s\n", what, detail ? ": " : "",
		detail ? detail : "");
	abort();
}

char *fz_strdup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

FILE *fz_open(const uint8_t *data, size_t size)
{
	static char empty[1];
	FILE *f = fmemopen(size ? (void *)data : empty, size, "r");

	if (!f)
		abort();
	return f;
}

void fz_out_open(struct fz_out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	if (!o->f)
		abort();
}

void fz_out_close(struct fz_out *o)
{
	if (fclose(o->f))
		abort();
	o->f = NULL;
}

void fz_out_free(struct fz_out *o)
{
	if (o->f)
		fclose(o->f);
	free(o->buf);
	o->buf = NULL;
}

/* --- the snapshot ---------------------------------------------------------- */

static void check_lookup(const struct vasx_snapshot *s, uint64_t a)
{
	const struct vasx_region *r = vasx_snapshot_lookup(s, a);
	size_t top = vasx_snapshot_find(s, a);

	if (!r || !vasx_region_contains(r, a))
		fz_fail("snapshot", "lookup missed an address");
	if (top >= s->nregions || s->regions[top].depth ||
	    !vasx_region_contains(&s->regions[top], a))
		fz_fail("snapshot", "find gave no top-level region holding the address");
}

void fz_check_snapshot(const struct vasx_snapshot *s)
{
	const struct vasx_totals *t = &s->totals;
	size_t parent[256];	/* by depth, which is a uint8_t */
	uint64_t next = 0;
	bool done = false;

	if (!s->nregions || s->regions[0].start || s->regions[0].depth)
		fz_fail("snapshot", "does not start at address 0");
	for (size_t i = 0; i < s->nregions; i++) {
		const struct vasx_region *r = &s->regions[i];

		if (r->start > r->last)
			fz_fail("snapshot", "a region ends before it starts");
		if (r->kind >= VASX_KIND_COUNT)
			fz_fail("snapshot", "a region of no kind");
		if (!r->depth) {
			if (done || r->start != next)
				fz_fail("snapshot", "top-level regions leave a gap or overlap");
			next = r->last + 1;
			done = r->last == UINT64_MAX;
		} else if (i == 0 || r->depth > s->regions[i - 1].depth + 1) {
			fz_fail("snapshot", "a nested region without its parent");
		} else {
			const struct vasx_region *p = &s->regions[parent[r->depth - 1]];

			if (r->start < p->start || r->last > p->last)
				fz_fail("snapshot", "a nested region sticks out of its parent");
		}
		parent[r->depth] = i;
		if (i < 512) {
			check_lookup(s, r->start);
			check_lookup(s, r->last);
		}
	}
	if (!done)
		fz_fail("snapshot", "regions do not reach the top of the address space");
	/* The halves and the hole are the whole 2^64 (which wraps to 0). */
	if (t->user_vas + t->hole + t->kernel_vas != 0)
		fz_fail("snapshot", "user half, hole and kernel half do not add up to 2^64");
	if (t->user_vas && t->mapped > t->user_vas)
		fz_fail("snapshot", "more mapped than the user half holds");
	if (!isfinite(t->mapped_pct) || t->mapped_pct < 0 || t->mapped_pct > 100)
		fz_fail("snapshot", "mapped percentage out of range");
}

/* --- JSON ------------------------------------------------------------------ */

struct json {
	const unsigned char *p, *end;
	int depth;
};

static void json_ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r'))
		j->p++;
}

static bool json_lit(struct json *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return false;
	j->p += n;
	return true;
}

/* Length of the UTF-8 sequence at @p (RFC 3629), 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	size_t need, avail = (size_t)(end - p);
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (avail < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need;
}

static bool json_string(struct json *j)
{
	if (j->p == j->end || *j->p != '"')
		return false;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		size_t n;

		if (*j->p < 0x20)
			return false;
		if (*j->p == '\\') {
			if (++j->p == j->end)
				return false;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (j->end - j->p <= i || !strchr("0123456789abcdefABCDEF",
									    j->p[i]) || !j->p[i])
						return false;
				j->p += 5;
			} else if (strchr("\"\\/bfnrt", *j->p) && *j->p) {
				j->p++;
			} else {
				return false;
			}
			continue;
		}
		n = utf8_seq(j->p, j->end);
		if (!n)
			return false;
		j->p += n;
	}
	if (j->p == j->end)
		return false;
	j->p++;
	return true;
}

static bool json_digits(struct json *j)
{
	const unsigned char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s;
}

static bool json_number(struct json *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (!json_digits(j))
		return false;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!json_digits(j))
			return false;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!json_digits(j))
			return false;
	}
	return true;
}

static bool json_value(struct json *j);

/* An object (@close '}') or array (']') after its opening bracket. */
static bool json_members(struct json *j, unsigned char close)
{
	json_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		if (close == '}') {
			json_ws(j);
			if (!json_string(j))
				return false;
			json_ws(j);
			if (j->p == j->end || *j->p++ != ':')
				return false;
		}
		if (!json_value(j))
			return false;
		json_ws(j);
		if (j->p == j->end)
			return false;
		if (*j->p == close) {
			j->p++;
			return true;
		}
		if (*j->p++ != ',')
			return false;
	}
}

static bool json_value(struct json *j)
{
	bool ok;

	json_ws(j);
	if (j->p == j->end)
		return false;
	switch (*j->p) {
	case '{':
	case '[':
		if (++j->depth > 200)
			return false;
		ok = json_members(j, *j->p++ == '{' ? '}' : ']');
		j->depth--;
		return ok;
	case '"':
		return json_string(j);
	case 't':
		return json_lit(j, "true");
	case 'f':
		return json_lit(j, "false");
	case 'n':
		return json_lit(j, "null");
	default:
		return json_number(j);
	}
}

static bool json_doc(const char *buf, size_t len)
{
	struct json j = { (const unsigned char *)buf, (const unsigned char *)buf + len, 0 };

	if (!json_value(&j))
		return false;
	json_ws(&j);
	return j.p == j.end;
}

void fz_check_json(const char *what, const char *buf, size_t len)
{
	if (!json_doc(buf, len))
		fz_fail(what, "not one valid JSON document");
}

void fz_check_jsonl(const char *what, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			fz_fail(what, "JSON lines: the last line has no newline");
		if (!json_doc(p, (size_t)(nl - p)))
			fz_fail(what, "JSON lines: a line is not one JSON value");
		p = nl + 1;
	}
}

/* --- CSV and text ------------------------------------------------------- */

/* Fields of the record at *p (RFC 4180), moving *p past it; 0 when malformed. */
static size_t csv_record(const char **p, const char *end)
{
	const char *q = *p;
	size_t fields = 1;

	while (q < end && *q != '\n') {
		if (*q == '"') {
			for (q++;; q++) {
				if (q == end)
					return 0;
				if (*q == '"') {
					if (q + 1 < end && q[1] == '"')
						q++;
					else
						break;
				}
			}
			q++;
			if (q < end && *q != ',' && *q != '\n')
				return 0;
			continue;
		}
		if (*q == ',')
			fields++;
		q++;
	}
	if (q == end)
		return 0;	/* every record ends in a newline */
	*p = q + 1;
	return fields;
}

void fz_check_csv(const char *what, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	size_t want = 0;

	while (p < end) {
		size_t n = csv_record(&p, end);

		if (!n)
			fz_fail(what, "CSV: an unterminated quote or record");
		if (!want)
			want = n;
		else if (n != want)
			fz_fail(what, "CSV: a record with another number of fields than the header");
	}
}

static void text_check(const char *what, const char *buf, size_t len, bool sgr)
{
	const unsigned char *p = (const unsigned char *)buf, *end = p + len;

	while (p < end) {
		size_t n;

		if (sgr && *p == 0x1b && end - p > 1 && p[1] == '[') {
			/* A colour: ESC [ digits and semicolons m. */
			for (p += 2; p < end && ((*p >= '0' && *p <= '9') || *p == ';'); p++)
				;
			if (p == end || *p != 'm')
				fz_fail(what, "an escape sequence that is not a colour");
			p++;
			continue;
		}
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			fz_fail(what, "a control byte in text for a terminal");
		n = utf8_seq(p, end);
		if (!n)
			fz_fail(what, "invalid UTF-8 in text for a terminal");
		/* C1 controls (U+0080..U+009F) act on terminals too. */
		if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
			fz_fail(what, "a C1 control in text for a terminal");
		p += n;
	}
}

void fz_check_text(const char *what, const char *buf, size_t len)
{
	text_check(what, buf, len, false);
}

/* --- every exporter -------------------------------------------------------- */

static void render_one(const char *what, const struct vasx_snapshot *s,
		       int (*fn)(FILE *, const struct vasx_snapshot *),
		       void (*check)(const char *, const char *, size_t))
{
	struct fz_out o;

	fz_out_open(&o);
	if (fn(o.f, s))
		fz_fail(what, "the exporter failed on a good stream");
	fz_out_close(&o);
	check(what, o.buf, o.len);
	fz_out_free(&o);
}

static int export_user_csv(FILE *f, const struct vasx_snapshot *s)
{
	return vasx_export_regions_csv(f, s, false);
}

static int export_kernel_csv(FILE *f, const struct vasx_snapshot *s)
{
	return vasx_export_regions_csv(f, s, true);
}

static void render_graph(const struct vasx_snapshot *s, unsigned variant, bool table)
{
	static const unsigned widths[] = { 80, 40, 200, 12 };
	struct vasx_export_opts o = {
		.color = variant & 1,
		.verbose = variant & 2,
		.only_user = (variant >> 2 & 3) == 1,
		.only_kernel = (variant >> 2 & 3) == 2,
		.width = widths[variant >> 4 & 3],
		.locate = variant & 64,
	};
	struct fz_out out;
	int err;

	if (o.locate) {
		const struct vasx_region *r = &s->regions[(variant >> 8) % s->nregions];

		o.locate_start = r->start + (r->last - r->start) / 2;
		o.locate_last = variant & 128 ? o.locate_start : r->last;
	}
	fz_out_open(&out);
	err = table ? vasx_export_table(out.f, s, &o) : vasx_export_graph(out.f, s, &o);
	if (err)
		fz_fail(table ? "table" : "graph", "the exporter failed on a good stream");
	fz_out_close(&out);
	text_check(table ? "table" : "graph", out.buf, out.len, o.color);
	fz_out_free(&out);
}

static void render_maps(const struct vasx_snapshot *s)
{
	static const struct {
		enum vasx_maps_format fmt;
		void (*check)(const char *, const char *, size_t);
	} fmts[] = {
		{ VASX_FMT_TEXT, fz_check_text },
		{ VASX_FMT_CSV, fz_check_csv },
		{ VASX_FMT_JSON, fz_check_json },
		{ VASX_FMT_JSONL, fz_check_jsonl },
	};

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		struct fz_out o;
		bool first = true;

		fz_out_open(&o);
		/* Twice, as for two processes of --maps. */
		if (vasx_export_maps_begin(o.f, fmts[i].fmt) ||
		    vasx_export_maps_proc(o.f, fmts[i].fmt, s, &first) ||
		    vasx_export_maps_proc(o.f, fmts[i].fmt, s, &first) ||
		    vasx_export_maps_end(o.f, fmts[i].fmt))
			fz_fail("maps", "the exporter failed on a good stream");
		fz_out_close(&o);
		fmts[i].check("maps", o.buf, o.len);
		fz_out_free(&o);
	}
}

void fz_render(const struct vasx_snapshot *s, unsigned variant)
{
	render_graph(s, variant, false);
	render_graph(s, variant ^ 1, true);
	render_one("json", s, vasx_export_json, fz_check_json);
	render_one("table json", s, vasx_export_table_json, fz_check_json);
	render_one("table csv", s, vasx_export_table_csv, fz_check_csv);
	render_one("regions csv", s, export_user_csv, fz_check_csv);
	render_one("kernel regions csv", s, export_kernel_csv, fz_check_csv);
	render_maps(s);
}

/* --- a source in memory ------------------------------------------------- */

struct fz_source {
	struct vasx_source src;
	const struct fz_file *files;
	size_t n;
};

static const struct fz_file *fz_find(struct vasx_source *src, int pid, const char *name)
{
	struct fz_source *m = (struct fz_source *)src;
	char path[256];

	if (pid > 0)
		snprintf(path, sizeof(path), "%d/%s", pid, name);
	else
		snprintf(path, sizeof(path), "%s", name);
	for (size_t i = m->n; i-- > 0;)
		if (!strcmp(m->files[i].name, path))
			return &m->files[i];
	return NULL;
}

/* Is there a file under PID/NAME/, making it a directory? */
static bool fz_is_dir(struct vasx_source *src, int pid, const char *name)
{
	struct fz_source *m = (struct fz_source *)src;
	char pre[256];
	int n;

	if (pid > 0)
		n = snprintf(pre, sizeof(pre), "%d/%s/", pid, name);
	else
		n = snprintf(pre, sizeof(pre), "%s/", name);
	for (size_t i = 0; i < m->n; i++)
		if (!strncmp(m->files[i].name, pre, (size_t)n))
			return true;
	return false;
}

/* Is a directory on the way to PID/NAME a file ("task/60" for "task/60/comm")? */
static bool fz_through_file(struct vasx_source *src, int pid, const char *name)
{
	char part[256];

	for (const char *p = name; (p = strchr(p, '/')); p++) {
		snprintf(part, sizeof(part), "%.*s", (int)(p - name), name);
		if (fz_find(src, pid, part))
			return true;
	}
	return false;
}

static int fz_fopen(struct vasx_source *src, int pid, const char *name, FILE **out)
{
	const struct fz_file *f = fz_find(src, pid, name);

	/* As on disk: a directory opens but cannot be read; a file has no entries. */
	if (!f && fz_through_file(src, pid, name))
		return -ENOTDIR;
	if (!f)
		return fz_is_dir(src, pid, name) ? -EISDIR : -ENOENT;
	*out = fz_open((const uint8_t *)f->data, f->len);
	return 0;
}

static int fz_open_fd(struct vasx_source *src, int pid, const char *name, int *out)
{
	(void)src;
	(void)pid;
	(void)name;
	(void)out;
	return -ENOENT;
}

/*
 * The id a path component names: decimal as the kernel writes it, without
 * a sign, blanks or leading zeros, so "05" and "+5" are no process 5.
 */
static long fz_id(const char *s, size_t n)
{
	long v = 0;

	if (!n || n > 10 || s[0] == '0')
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= INT32_MAX ? v : -1;
}

static bool fz_pid_exists(struct vasx_source *src, int pid)
{
	struct fz_source *m = (struct fz_source *)src;
	char pre[16];
	int n = snprintf(pre, sizeof(pre), "%d/", pid);

	for (size_t i = 0; i < m->n; i++)
		if (!strncmp(m->files[i].name, pre, (size_t)n))
			return true;
	return false;
}

static int fz_int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Numeric entries of the root (pid 0) or of PID/task/, each once, sorted. */
static int fz_list_ids(struct vasx_source *src, int pid, int **out, size_t *n)
{
	struct fz_source *m = (struct fz_source *)src;
	char pre[32];
	size_t plen = pid > 0 ? (size_t)snprintf(pre, sizeof(pre), "%d/task/", pid) : 0;
	int *ids = malloc((m->n + 1) * sizeof(*ids));
	bool dir = plen == 0;
	size_t k = 0;

	if (!ids)
		return -ENOMEM;
	for (size_t i = 0; i < m->n; i++) {
		const char *name = m->files[i].name, *slash;
		long v;

		if (plen && strncmp(name, pre, plen))
			continue;
		dir = true;
		name += plen;
		slash = strchr(name, '/');
		v = fz_id(name, slash ? (size_t)(slash - name) : strlen(name));
		if (v > 0)
			ids[k++] = (int)v;
	}
	if (!dir) {
		free(ids);
		return fz_find(src, pid, "task") ? -ENOTDIR : -ENOENT;
	}
	qsort(ids, k, sizeof(*ids), fz_int_cmp);
	*n = 0;
	for (size_t i = 0; i < k; i++)
		if (!*n || ids[*n - 1] != ids[i])
			ids[(*n)++] = ids[i];
	*out = ids;
	return 0;
}

static void fz_close(struct vasx_source *src)
{
	free(src->root);
	free(src);
}

static const struct vasx_source_ops fz_ops = {
	.name = "dir",
	.fopen = fz_fopen,
	.open_fd = fz_open_fd,
	.pid_exists = fz_pid_exists,
	.list_ids = fz_list_ids,
	.close = fz_close,
};

struct vasx_source *fz_source_new(const struct fz_file *files, size_t n)
{
	struct fz_source *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	m->src.ops = &fz_ops;
	m->src.root = strdup("/fuzz");
	if (!m->src.root)
		abort();
	m->files = files;
	m->n = n;
	return &m->src;
}
