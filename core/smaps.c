/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/PID/smaps and smaps_rollup: a maps header line per mapping, then
 * "Name:   value kB" counters and a "VmFlags:" line (fs/proc/task_mmu.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/maps.h"
#include "vasx/smaps.h"
#include "vasx/status.h"
#include "vasx/strpool.h"
#include "lines.h"

static const char *const field_names[VASX_SM_COUNT] = {
#define VASX_SMAPS_NAME(id, name, kb) [VASX_SM_##id] = name,
	VASX_SMAPS_FIELDS(VASX_SMAPS_NAME)
#undef VASX_SMAPS_NAME
};

static const unsigned char field_len[VASX_SM_COUNT] = {
#define VASX_SMAPS_LEN(id, name, kb) [VASX_SM_##id] = sizeof(name) - 1,
	VASX_SMAPS_FIELDS(VASX_SMAPS_LEN)
#undef VASX_SMAPS_LEN
};

static const bool field_kb[VASX_SM_COUNT] = {
#define VASX_SMAPS_KB(id, name, kb) [VASX_SM_##id] = kb,
	VASX_SMAPS_FIELDS(VASX_SMAPS_KB)
#undef VASX_SMAPS_KB
};

const char *vasx_smaps_field_name(enum vasx_smaps_field f)
{
	return (unsigned)f < VASX_SM_COUNT ? field_names[f] : NULL;
}

bool vasx_smaps_field_is_kb(enum vasx_smaps_field f)
{
	return (unsigned)f < VASX_SM_COUNT && field_kb[f];
}

/*
 * The only field a name can be, from its length and one or two letters;
 * the caller confirms with one memcmp. This runs for every counter line.
 */
static int field_guess(const char *s, size_t len)
{
	switch (len) {
	case 3:
		return s[0] == 'R' ? VASX_SM_RSS : s[0] == 'P' ? VASX_SM_PSS : VASX_SM_KSM;
	case 4:
		return s[1] == 'i' ? VASX_SM_SIZE : VASX_SM_SWAP;
	case 6:
		return VASX_SM_LOCKED;
	case 7:
		return VASX_SM_SWAPPSS;
	case 8:
		return s[0] == 'L' ? VASX_SM_LAZYFREE : -1;
	case 9:
		if (s[0] == 'A')
			return VASX_SM_ANONYMOUS;
		return s[4] == 'D' ? VASX_SM_PSS_DIRTY : -1;
	case 10:
		return VASX_SM_REFERENCED;
	case 11:
		return s[0] == 'M' ? VASX_SM_MMUPAGESIZE : VASX_SM_THPELIGIBLE;
	case 12:
		return s[7] == 'C' ? VASX_SM_SHARED_CLEAN : VASX_SM_SHARED_DIRTY;
	case 13:
		if (s[0] == 'A')
			return VASX_SM_ANONHUGEPAGES;
		if (s[0] == 'F')
			return VASX_SM_FILEPMDMAPPED;
		if (s[2] == 'o')
			return VASX_SM_PROTECTIONKEY;
		return s[8] == 'C' ? VASX_SM_PRIVATE_CLEAN : VASX_SM_PRIVATE_DIRTY;
	case 14:
		if (s[0] == 'K')
			return VASX_SM_KERNELPAGESIZE;
		return s[2] == 'm' ? VASX_SM_SHMEMPMDMAPPED : VASX_SM_SHARED_HUGETLB;
	case 15:
		return VASX_SM_PRIVATE_HUGETLB;
	}
	return -1;
}

/* Equal @n bytes, 3 <= n <= 15, in two overlapping word compares. */
static bool name_eq(const char *a, const char *b, size_t n)
{
	if (n >= 8) {
		uint64_t a0, a1, b0, b1;

		memcpy(&a0, a, 8);
		memcpy(&b0, b, 8);
		memcpy(&a1, a + n - 8, 8);
		memcpy(&b1, b + n - 8, 8);
		return !((a0 ^ b0) | (a1 ^ b1));
	}
	if (n >= 4) {
		uint32_t a0, a1, b0, b1;

		memcpy(&a0, a, 4);
		memcpy(&b0, b, 4);
		memcpy(&a1, a + n - 4, 4);
		memcpy(&b1, b + n - 4, 4);
		return !((a0 ^ b0) | (a1 ^ b1));
	}
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

int vasx_smaps_field_from_name(const char *name, size_t len)
{
	int f = field_guess(name, len);

	if (f < 0 || field_len[f] != len || !name_eq(field_names[f], name, len))
		return -1;
	return f;
}

struct vmflag {
	char code[3];
	const char *desc;
};

/* Every mnemonic show_smap_vma_flags() has printed, old kernels' included. */
static const struct vmflag vmflags[] = {
	{ "rd", "readable" },
	{ "wr", "writable" },
	{ "ex", "executable" },
	{ "sh", "shared" },
	{ "mr", "may read" },
	{ "mw", "may write" },
	{ "me", "may execute" },
	{ "ms", "may share" },
	{ "gd", "stack grows down" },
	{ "pf", "pure PFN range" },
	{ "dw", "writes to the mapped file denied" },
	{ "lo", "pages locked in memory" },
	{ "io", "memory-mapped I/O" },
	{ "sr", "sequential read advised" },
	{ "rr", "random read advised" },
	{ "dc", "not copied on fork" },
	{ "de", "not expanded on remap" },
	{ "lf", "locked on fault" },
	{ "ac", "accountable (charged to commit)" },
	{ "nr", "no swap space reserved" },
	{ "ht", "uses huge TLB pages" },
	{ "sf", "synchronous page faults (MAP_SYNC)" },
	{ "nl", "non-linear mapping" },
	{ "ar", "architecture-specific flag" },
	{ "wf", "wiped on fork" },
	{ "dd", "left out of core dumps" },
	{ "sd", "soft-dirty" },
	{ "mm", "mixed map (PFN and page)" },
	{ "hg", "huge pages advised" },
	{ "nh", "huge pages refused (no-huge advised)" },
	{ "mg", "mergeable (KSM advised)" },
	{ "mp", "MPX bounds table" },
	{ "bt", "arm64 BTI guarded pages" },
	{ "mt", "arm64 MTE tags enabled" },
	{ "um", "userfaultfd missing-page tracking" },
	{ "uw", "userfaultfd write-protect tracking" },
	{ "ui", "userfaultfd minor-fault tracking" },
	{ "ss", "shadow stack" },
	{ "sl", "sealed (mseal)" },
	{ "dp", "droppable under memory pressure" },
	{ "ov", "may overlay (no-MMU)" },
};

const char *vasx_vmflag_desc(const char *code)
{
	if (!code || !code[0] || !code[1] || code[2])
		return NULL;
	for (size_t i = 0; i < sizeof(vmflags) / sizeof(vmflags[0]); i++)
		if (vmflags[i].code[0] == code[0] && vmflags[i].code[1] == code[1])
			return vmflags[i].desc;
	return NULL;
}

/* Length of "Name" when the line reads "Name:...", else 0 (a header). */
static size_t counter_name_len(const char *line, const char *end)
{
	const char *p = line;

	if (p == end || !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
		return 0;
	while (p < end && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			   (*p >= '0' && *p <= '9') || *p == '_'))
		p++;
	return p < end && *p == ':' ? (size_t)(p - line) : 0;
}

static void trim(const char **s, const char **end)
{
	while (*s < *end && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*end > *s && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
		(*end)--;
}

static int parse_counter(struct vasx_scan *sc, int f, struct vasx_smaps *sm)
{
	uint64_t v;

	vasx_scan_blanks(sc);
	v = vasx_scan_dec(sc);
	if (field_kb[f]) {
		vasx_scan_char(sc, ' ');
		vasx_scan_blanks(sc);
		vasx_scan_char(sc, 'k');
		vasx_scan_char(sc, 'B');
	}
	vasx_scan_blanks(sc);
	if (!vasx_scan_at_end(sc))
		return -VASX_E_MALFORMED;
	sm->v[f] = v;
	sm->present |= 1u << f;
	return 1;
}

static int add_extra(struct vasx_smaps_extras *x, struct vasx_smaps *sm,
		     const char *name, size_t nlen, const char *val, size_t vlen,
		     struct vasx_strpool *pool)
{
	struct vasx_smaps_extra *e;

	if (!x || !pool)
		return 3;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;

		e = realloc(x->v, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		x->v = e;
		x->cap = cap;
	}
	e = &x->v[x->n];
	e->name = vasx_strpool_intern(pool, name, nlen);
	e->value = vasx_strpool_intern(pool, val, vlen);
	if (!e->name || !e->value)
		return -ENOMEM;
	/* One mapping's lines are consecutive, so its extras are too. */
	if (!sm->nextra)
		sm->extra = (uint32_t)x->n;
	sm->nextra++;
	x->n++;
	return 3;
}

/* vasx_smaps_parse_line(), also telling which field a counter was (@field). */
static int parse_line(const char *line, size_t len, struct vasx_smaps *sm,
		      struct vasx_strpool *pool, struct vasx_smaps_extras *extra, int *field)
{
	const char *end = line + len, *val;
	struct vasx_scan sc;
	size_t nlen;
	int f;

	if (len && end[-1] == '\n')
		end--;
	/* Most lines are counters of the table: a name equal to one is valid. */
	val = memchr(line, ':', (size_t)(end - line));
	if (val) {
		f = vasx_smaps_field_from_name(line, (size_t)(val - line));
		if (f >= 0) {
			*field = f;
			sc = (struct vasx_scan){ val + 1, end, false };
			return parse_counter(&sc, f, sm);
		}
	}
	nlen = counter_name_len(line, end);
	if (!nlen)
		return 0;
	val = line + nlen + 1;
	trim(&val, &end);
	if (nlen == 7 && memcmp(line, "VmFlags", 7) == 0) {
		*field = VASX_SM_COUNT;
		if (!pool)
			return 2;
		sm->vmflags = vasx_strpool_intern(pool, val, (size_t)(end - val));
		return sm->vmflags ? 2 : -ENOMEM;
	}
	return add_extra(extra, sm, line, nlen, val, (size_t)(end - val), pool);
}

int vasx_smaps_parse_line(const char *line, size_t len, struct vasx_smaps *sm,
			  struct vasx_strpool *pool, struct vasx_smaps_extras *extra)
{
	int field;

	return parse_line(line, len, sm, pool, extra, &field);
}

/* Give @m and @s one more slot each; 0 or -ENOMEM. */
static int smaps_grow(struct vasx_maps *m, struct vasx_smaps_set *s)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		struct vasx_region *v = realloc(m->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->v = v;
		m->cap = cap;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct vasx_smaps *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	return 0;
}

/* Entries for regions @m already held, so indices keep matching. */
static int smaps_align(struct vasx_maps *m, struct vasx_smaps_set *s)
{
	while (s->n < m->n) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 256;
			struct vasx_smaps *v;

			while (cap < m->n)
				cap *= 2;
			v = realloc(s->v, cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			s->v = v;
			s->cap = cap;
		}
		memset(&s->v[s->n], 0, sizeof(s->v[0]));
		s->n++;
	}
	return 0;
}

/*
 * An entry is 240 bytes: doubling leaves up to half the array unused, so
 * give it back once the file is read.
 */
static void smaps_shrink(struct vasx_smaps_set *s)
{
	struct vasx_smaps *v;

	if (!s->n || s->cap == s->n)
		return;
	v = realloc(s->v, s->n * sizeof(*v));
	if (v) {
		s->v = v;
		s->cap = s->n;
	}
}

/* Hex digits and a '-': a mapping header, maybe a broken one. */
static bool looks_like_header(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && vasx_hexdigit((unsigned char)line[i]) >= 0)
		i++;
	return i > 0 && i < len && line[i] == '-';
}

struct smaps_reader {
	struct vasx_maps *m;
	struct vasx_smaps_set *s;
	struct vasx_strpool *pool;
	struct vasx_smaps *cur;		/* the entry counters go to, or NULL */
	int next;			/* the field the kernel should print next */
};

/* One line taken the general way: a header, any counter, or garbage. */
static int smaps_line(struct smaps_reader *rd, const char *line, size_t len)
{
	struct vasx_maps *m = rd->m;
	struct vasx_smaps_set *s = rd->s;
	int err, field = VASX_SM_COUNT;

	if (rd->cur) {
		err = parse_line(line, len, rd->cur, rd->pool, &s->extra, &field);
		if (err == -VASX_E_MALFORMED)
			s->malformed++;
		if (err == 1 || err == 2)
			rd->next = field + 1;
		if (err)
			return err == -ENOMEM ? err : 0;
	} else if (counter_name_len(line, line + len)) {
		/* Counters of a header we could not read: no entry to own them. */
		s->malformed++;
		return 0;
	}
	if (!looks_like_header(line, len)) {
		/* Garbage among counters must not cut a mapping's block short. */
		s->malformed++;
		return 0;
	}
	err = smaps_grow(m, s);
	if (err)
		return err;
	err = vasx_maps_parse_line(line, len, &m->v[m->n], rd->pool);
	if (err == -ENOMEM)
		return err;
	rd->next = VASX_SM_SIZE;
	if (err) {
		m->malformed++;
		rd->cur = NULL;
		return 0;
	}
	rd->cur = &s->v[s->n];
	memset(rd->cur, 0, sizeof(*rd->cur));
	m->n++;
	s->n++;
	return 0;
}

/*
 * One to seven digits followed by a non-digit, converted in a few
 * multiplications instead of a loop that mispredicts at its end. False
 * when it cannot tell (eight bytes not there, eight digits or more, a
 * big-endian machine): the caller then scans the usual way.
 */
static bool swar_dec(struct vasx_scan *sc, uint64_t *v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w, d, nondigit;
	unsigned n;

	if (sc->end - sc->p < 8)
		return false;
	memcpy(&w, sc->p, 8);
	d = w - 0x3030303030303030ULL;
	/* High bit of each byte that is below '0' or above '9'. */
	nondigit = (d | (d + 0x7676767676767676ULL)) & 0x8080808080808080ULL;
	if (!nondigit)
		return false;
	n = (unsigned)__builtin_ctzll(nondigit) >> 3;
	if (!n)
		return false;
	/* Leading zero digits in front, so the number fills all eight bytes. */
	d <<= 8 * (8 - n);
	d = d * 10 + (d >> 8);
	d = (((d & 0x000000ff000000ffULL) * (100 + (1000000ULL << 32))) +
	     (((d >> 16) & 0x000000ff000000ffULL) * (1 + (10000ULL << 32)))) >> 32;
	*v = d;
	sc->p += n;
	return true;
#else
	(void)sc;
	(void)v;
	return false;
#endif
}

/*
 * The kernel's own layout of counter @f, "Name:<blanks>N kB\n", parsed where
 * it lies in [p, end). The start of the next line, or NULL when the line is
 * anything else (the general path then decides what it is).
 */
static const char *fast_counter(const char *p, const char *end, int f, struct vasx_smaps *sm)
{
	struct vasx_scan sc;
	size_t n = field_len[f];
	const char *digits;
	uint64_t v;

	if ((size_t)(end - p) < n + 3 || p[n] != ':' || !name_eq(p, field_names[f], n))
		return NULL;
	sc = (struct vasx_scan){ p + n + 1, end, false };
	vasx_scan_blanks(&sc);
	digits = sc.p;
	if (!swar_dec(&sc, &v)) {
		v = vasx_scan_dec(&sc);
		if (sc.bad || sc.p - digits > 19)
			return NULL;
	}
	p = sc.p;
	if (field_kb[f]) {
		if (end - p < 4 || memcmp(p, " kB\n", 4) != 0)
			return NULL;
		p += 4;
	} else {
		if (p == end || *p != '\n')
			return NULL;
		p++;
	}
	sm->v[f] = v;
	sm->present |= 1u << f;
	return p;
}

/* How far ahead to look when a kernel leaves out fields of the table. */
#define SMAPS_LOOKAHEAD 4

/* Every line of [p, end), a run of whole lines. */
static int smaps_block(struct smaps_reader *rd, const char *p, const char *end)
{
	while (p < end) {
		const char *nl, *q = NULL;
		int err;

		for (int k = 0; rd->cur && !q && k < SMAPS_LOOKAHEAD &&
		     rd->next + k < VASX_SM_COUNT; k++) {
			q = fast_counter(p, end, rd->next + k, rd->cur);
			if (q)
				rd->next += k + 1;
		}
		if (q) {
			p = q;
			continue;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		err = smaps_line(rd, p, (size_t)((nl ? nl : end) - p));
		if (err)
			return err;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

int vasx_smaps_read(FILE *f, struct vasx_maps *m, struct vasx_smaps_set *s,
		    struct vasx_strpool *pool)
{
	struct smaps_reader rd = { m, s, pool, NULL, VASX_SM_COUNT };
	struct vasx_lines lr;
	const char *p, *end;
	int rc, err;

	err = smaps_align(m, s);
	if (err)
		return err;
	err = vasx_lines_open(&lr, f);
	if (err)
		return err;
	while ((rc = vasx_lines_block(&lr, &p, &end)) > 0) {
		if (rc == VASX_LINE_LONG) {
			/* Only a header (a path) can be this long. */
			m->malformed++;
			rd.cur = NULL;
			continue;
		}
		err = smaps_block(&rd, p, end);
		if (err) {
			rc = err;
			break;
		}
	}
	vasx_lines_close(&lr);
	smaps_shrink(s);
	return rc < 0 ? rc : 0;
}

/*
 * An empty file (a kernel thread has no mm) gives 0 with nothing present;
 * lines of which none is a counter give -VASX_E_MALFORMED.
 */
int vasx_smaps_read_rollup(FILE *f, struct vasx_smaps *sm, struct vasx_smaps_extras *extra,
			   struct vasx_strpool *pool)
{
	struct vasx_lines lr;
	const char *line;
	size_t len, nlines = 0;
	bool counters = false;
	int rc, err;

	memset(sm, 0, sizeof(*sm));
	err = vasx_lines_open(&lr, f);
	if (err)
		return err;
	while ((rc = vasx_lines_next(&lr, &line, &len)) > 0) {
		nlines++;
		if (rc == VASX_LINE_LONG)
			continue;
		err = vasx_smaps_parse_line(line, len, sm, pool, extra);
		if (err == -ENOMEM) {
			rc = err;
			break;
		}
		if (err > 0)
			counters = true;
	}
	vasx_lines_close(&lr);
	if (rc < 0)
		return rc;
	return nlines && !counters ? -VASX_E_MALFORMED : 0;
}

void vasx_smaps_set_release(struct vasx_smaps_set *s)
{
	free(s->v);
	free(s->extra.v);
	memset(s, 0, sizeof(*s));
}
