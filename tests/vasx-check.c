/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vasx-check: strict checks of vasx's machine-readable output for the
 * command-line tests, which must not depend on python or jq.
 *
 *   vasx-check json [-l] [-d PREFIX]... [-f KEY=VALUE]... [-n KEY] < input
 *	Is it valid JSON (RFC 8259, strings valid UTF-8)? -l: one value per
 *	line (JSON Lines). -d: print the input again without the members
 *	whose name starts with PREFIX. -f: some string member KEY decodes to
 *	exactly the bytes VALUE. -n: print how many members are named KEY.
 *   vasx-check csv [-f VALUE] < input
 *	Is it valid CSV (RFC 4180) with as many fields in every record as in
 *	the header? Prints "RECORDS FIELDS". -f: some field is exactly VALUE.
 *
 * Exit 0 when everything holds, 1 otherwise (with the reason on stderr).
 * It does not use the core library: it checks what the core wrote.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_OPTS 16

struct json {
	const char *p, *end, *start;
	FILE *out;		/* the input again, less dropped members; or NULL */
	const char *drop[MAX_OPTS];
	size_t ndrop;
	const char *find_key[MAX_OPTS], *find_val[MAX_OPTS];
	size_t find_len[MAX_OPTS], nfind;
	bool found[MAX_OPTS];
	const char *count_key;
	long count;
	const char *err;
	int depth;
};

static char *read_all(size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap);

	while (buf && (got = fread(buf + n, 1, cap - n, stdin)) > 0) {
		n += got;
		if (n == cap) {
			char *t = realloc(buf, cap * 2);

			if (!t) {
				free(buf);
				return NULL;
			}
			buf = t;
			cap *= 2;
		}
	}
	*len = n;
	return buf;
}

static bool fail(struct json *j, const char *why)
{
	if (!j->err)
		j->err = why;
	return false;
}

static void ws(struct json *j)
{
	while (j->p < j->end && strchr(" \t\r\n", *j->p) && *j->p)
		j->p++;
}

static int hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Length of the well-formed UTF-8 sequence at @p, or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned cp;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* A string at j->p; its decoded bytes into @dec (malloc'ed) when asked. */
static bool string(struct json *j, char **dec, size_t *dlen)
{
	char *o = malloc((size_t)(j->end - j->p) * 2 + 8);
	size_t n = 0;

	if (!o)
		return fail(j, "out of memory");
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;

		if (c < 0x20) {
			free(o);
			return fail(j, "raw control character in a string");
		}
		if (c == '\\') {
			const char *e = j->p + 1;
			int v;

			if (e >= j->end)
				break;
			switch (*e) {
			case '"': case '\\': case '/':
				o[n++] = *e; j->p += 2; continue;
			case 'b': o[n++] = '\b'; j->p += 2; continue;
			case 'f': o[n++] = '\f'; j->p += 2; continue;
			case 'n': o[n++] = '\n'; j->p += 2; continue;
			case 'r': o[n++] = '\r'; j->p += 2; continue;
			case 't': o[n++] = '\t'; j->p += 2; continue;
			case 'u':
				if (j->end - e < 5 || (v = hex4(e + 1)) < 0) {
					free(o);
					return fail(j, "bad \\u escape");
				}
				j->p += 6;
				if (v >= 0xd800 && v <= 0xdbff && j->end - j->p >= 6 &&
				    j->p[0] == '\\' && j->p[1] == 'u') {
					int lo = hex4(j->p + 2);

					if (lo >= 0xdc00 && lo <= 0xdfff) {
						v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
						j->p += 6;
					}
				}
				n += put_utf8(o + n, (unsigned)v);
				continue;
			default:
				free(o);
				return fail(j, "bad escape");
			}
		}
		size_t k = utf8_len((const unsigned char *)j->p, (const unsigned char *)j->end);

		if (!k) {
			free(o);
			return fail(j, "invalid UTF-8 in a string");
		}
		memcpy(o + n, j->p, k);
		n += k;
		j->p += k;
	}
	if (j->p >= j->end) {
		free(o);
		return fail(j, "unterminated string");
	}
	j->p++;
	o[n] = '\0';
	if (dec) {
		*dec = o;
		*dlen = n;
	} else {
		free(o);
	}
	return true;
}

static bool number(struct json *j)
{
	const char *p = j->p;

	if (*p == '-')
		p++;
	if (p >= j->end || !(*p >= '0' && *p <= '9'))
		return fail(j, "bad number");
	if (*p == '0')
		p++;
	else
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	if (p < j->end && *p == '.') {
		if (++p >= j->end || !(*p >= '0' && *p <= '9'))
			return fail(j, "bad fraction");
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < j->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < j->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= j->end || !(*p >= '0' && *p <= '9'))
			return fail(j, "bad exponent");
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	}
	j->p = p;
	return true;
}

static bool value(struct json *j);

static void emit(struct json *j, const char *from, const char *to)
{
	if (j->out)
		fwrite(from, 1, (size_t)(to - from), j->out);
}

static bool dropped(const struct json *j, const char *key)
{
	for (size_t i = 0; i < j->ndrop; i++)
		if (!strncmp(key, j->drop[i], strlen(j->drop[i])))
			return true;
	return false;
}

static void note_member(struct json *j, const char *key, const char *vstart)
{
	if (j->count_key && !strcmp(key, j->count_key))
		j->count++;
	if (*vstart != '"')
		return;
	for (size_t i = 0; i < j->nfind; i++) {
		struct json sub = { .p = vstart, .end = j->end };
		char *dec;
		size_t n;

		if (strcmp(key, j->find_key[i]) || !string(&sub, &dec, &n))
			continue;
		if (n == j->find_len[i] && !memcmp(dec, j->find_val[i], n))
			j->found[i] = true;
		free(dec);
	}
}

static bool members(struct json *j, char close, bool object)
{
	bool any = false;

	j->p++;
	emit(j, j->p - 1, j->p);
	ws(j);
	if (j->p < j->end && *j->p == close) {
		emit(j, j->p, j->p + 1);
		j->p++;
		return true;
	}
	for (;;) {
		char *key = NULL;
		size_t klen;
		const char *mstart = j->p, *vstart;
		FILE *saved = j->out;
		bool drop = false;

		ws(j);
		if (object) {
			if (j->p >= j->end || *j->p != '"' || !string(j, &key, &klen))
				return fail(j, "expected a member name");
			drop = dropped(j, key);
			ws(j);
			if (j->p >= j->end || *j->p++ != ':') {
				free(key);
				return fail(j, "expected ':'");
			}
			ws(j);
		}
		vstart = j->p;
		if (drop)
			j->out = NULL;
		else if (any)
			emit(j, ",", &","[1]);
		if (object && !drop)
			emit(j, mstart, vstart);
		if (!value(j)) {
			free(key);
			return false;
		}
		j->out = saved;
		if (key)
			note_member(j, key, vstart);
		free(key);
		any |= !drop;
		ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			emit(j, j->p, j->p + 1);
			j->p++;
			return true;
		}
		return fail(j, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static bool literal(struct json *j, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n))
		return fail(j, "unexpected character");
	j->p += n;
	return true;
}

static bool value(struct json *j)
{
	const char *from = j->p;
	bool ok;

	ws(j);
	from = j->p;
	if (j->p >= j->end)
		return fail(j, "unexpected end");
	if (++j->depth > 200)
		return fail(j, "too deep");
	switch (*j->p) {
	case '{':
		ok = members(j, '}', true);
		j->depth--;
		return ok;
	case '[':
		ok = members(j, ']', false);
		j->depth--;
		return ok;
	case '"':
		ok = string(j, NULL, NULL);
		break;
	case 't':
		ok = literal(j, "true");
		break;
	case 'f':
		ok = literal(j, "false");
		break;
	case 'n':
		ok = literal(j, "null");
		break;
	default:
		ok = number(j);
	}
	j->depth--;
	if (ok)
		emit(j, from, j->p);
	return ok;
}

static bool json_document(struct json *j)
{
	if (!value(j))
		return false;
	ws(j);
	return j->p == j->end || fail(j, "text after the value");
}

static int check_json(int argc, char **argv)
{
	struct json j = { 0 };
	bool lines = false, print = false;
	char *buf;
	size_t len;
	int c, status = 0;

	while ((c = getopt(argc, argv, "ld:f:n:")) != -1) {
		char *eq;

		switch (c) {
		case 'l':
			lines = true;
			break;
		case 'd':
			if (j.ndrop < MAX_OPTS)
				j.drop[j.ndrop++] = optarg;
			print = true;
			break;
		case 'f':
			eq = strchr(optarg, '=');
			if (!eq || j.nfind == MAX_OPTS)
				return 2;
			*eq = '\0';
			j.find_key[j.nfind] = optarg;
			j.find_val[j.nfind] = eq + 1;
			j.find_len[j.nfind++] = strlen(eq + 1);
			break;
		case 'n':
			j.count_key = optarg;
			break;
		default:
			return 2;
		}
	}
	buf = read_all(&len);
	if (!buf)
		return 1;
	j.out = print ? stdout : NULL;
	j.start = buf;
	if (!lines) {
		j.p = buf;
		j.end = buf + len;
		if (!json_document(&j))
			status = 1;
	} else {
		const char *p = buf, *end = buf + len;

		if (!len)
			j.err = "no lines", status = 1;
		while (p < end && !status) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));

			if (!nl)
				nl = end;
			j.p = p;
			j.end = nl;
			if (!json_document(&j))
				status = 1;
			if (j.out)
				putchar('\n');
			p = nl + 1;
		}
	}
	if (status) {
		fprintf(stderr, "vasx-check: invalid JSON at byte %ld: %s\n",
			(long)(j.p - buf), j.err ? j.err : "?");
	}
	for (size_t i = 0; i < j.nfind && !status; i++) {
		if (!j.found[i]) {
			fprintf(stderr, "vasx-check: no string member %s with the value asked for\n",
				j.find_key[i]);
			status = 1;
		}
	}
	if (!status && j.count_key)
		printf("%ld\n", j.count);
	free(buf);
	return status;
}

/* One CSV record from @p: its field count, and whether @want was a field. */
static const char *csv_record(const char *p, const char *end, long *fields, const char *want,
			      bool *found, const char **err)
{
	size_t wl = want ? strlen(want) : 0;

	*fields = 0;
	for (;;) {
		bool quoted = p < end && *p == '"';
		char *dec = malloc((size_t)(end - p) + 1);
		size_t n = 0;

		if (!dec) {
			*err = "out of memory";
			return NULL;
		}
		if (quoted) {
			for (p++;; p++) {
				if (p >= end) {
					free(dec);
					*err = "unterminated quoted field";
					return NULL;
				}
				if (*p == '"' && p + 1 < end && p[1] == '"') {
					dec[n++] = '"';
					p++;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					dec[n++] = *p;
				}
			}
		} else {
			while (p < end && *p != ',' && *p != '\n' && *p != '\r') {
				if (*p == '"') {
					free(dec);
					*err = "quote inside an unquoted field";
					return NULL;
				}
				dec[n++] = *p++;
			}
		}
		if (want && n == wl && !memcmp(dec, want, wl))
			*found = true;
		free(dec);
		(*fields)++;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			return p + 1;
		if (p >= end)
			return p;
		*err = "text after a quoted field";
		return NULL;
	}
}

static int check_csv(int argc, char **argv)
{
	const char *want = NULL, *err = NULL, *p, *end;
	long header = -1, fields, records = 0;
	bool found = false;
	size_t len;
	char *buf;
	int c;

	while ((c = getopt(argc, argv, "f:")) != -1) {
		if (c != 'f')
			return 2;
		want = optarg;
	}
	buf = read_all(&len);
	if (!buf)
		return 1;
	p = buf;
	end = buf + len;
	if (!len)
		err = "empty";
	while (!err && p < end) {
		p = csv_record(p, end, &fields, header < 0 ? NULL : want, &found, &err);
		if (!p)
			break;
		if (header < 0)
			header = fields;
		else if (fields != header)
			err = "a record with another number of fields than the header";
		else
			records++;
	}
	if (err) {
		fprintf(stderr, "vasx-check: invalid CSV after %ld records: %s\n", records, err);
		free(buf);
		return 1;
	}
	free(buf);
	if (want && !found) {
		fprintf(stderr, "vasx-check: no field with the value asked for\n");
		return 1;
	}
	printf("%ld %ld\n", records, header);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "json"))
		return check_json(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "csv"))
		return check_csv(argc - 1, argv + 1);
	fputs("usage: vasx-check json [-l] [-d PREFIX]... [-f KEY=VALUE]... [-n KEY]\n"
	      "       vasx-check csv [-f VALUE]\n", stderr);
	return 2;
}
