/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel half of the address space, from the best source there is: the
 * vasx module's "layout" file; else, as root, the documented layout with
 * the kernel image from /proc/kallsyms and the modules from /proc/modules;
 * else the documented layout alone, marked approximate.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/klayout.h"
#include "vasx/source.h"
#include "vasx/status.h"
#include "vasx/strpool.h"
#include "lines.h"

#define TOP UINT64_MAX

const char *vasx_ksource_name(enum vasx_ksource s)
{
	switch (s) {
	case VASX_KSRC_APPROX:
		return "approximate";
	case VASX_KSRC_KALLSYMS:
		return "kallsyms";
	case VASX_KSRC_MODULE:
		return "module";
	default:
		return "none";
	}
}

void vasx_klayout_release(struct vasx_klayout *kl)
{
	free(kl->regions);
	kl->regions = NULL;
	kl->nregions = 0;
}

/* Room for one more region; NULL when out of memory. */
static struct vasx_kregion *klayout_grow(struct vasx_klayout *kl, size_t *cap)
{
	if (kl->nregions == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct vasx_kregion *v = realloc(kl->regions, ncap * sizeof(*v));

		if (!v)
			return NULL;
		kl->regions = v;
		*cap = ncap;
	}
	return &kl->regions[kl->nregions++];
}

static int kregion_cmp(const void *a, const void *b)
{
	const struct vasx_kregion *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->last != y->last)
		return x->last > y->last ? -1 : 1;	/* parents first */
	return 0;
}

/*
 * Sort by start, parents before children, and set each region's depth. A
 * region that overlaps the one before it without nesting inside it is cut
 * to fit, so consumers can rely on proper nesting.
 */
static void klayout_nest(struct vasx_klayout *kl)
{
	uint64_t stack_last[255];	/* depth is a uint8_t: at most 255 */
	size_t depth = 0;

	qsort(kl->regions, kl->nregions, sizeof(kl->regions[0]), kregion_cmp);
	for (size_t i = 0; i < kl->nregions; i++) {
		struct vasx_kregion *r = &kl->regions[i];

		while (depth && stack_last[depth - 1] < r->start)
			depth--;
		if (depth && r->last > stack_last[depth - 1])
			r->last = stack_last[depth - 1];
		r->depth = (uint8_t)depth;
		if (depth < sizeof(stack_last) / sizeof(stack_last[0]))
			stack_last[depth++] = r->last;
	}
}

static bool word_is(const char *line, size_t len, const char *word, const char **rest)
{
	size_t n = strlen(word);

	if (len < n + 1 || memcmp(line, word, n) || line[n] != ' ')
		return false;
	*rest = line + n + 1;
	return true;
}

/* "0x" and exactly 16 hex digits, as the module writes them. */
static uint64_t scan_addr(struct vasx_scan *s)
{
	const char *start;
	uint64_t v;

	vasx_scan_char(s, '0');
	vasx_scan_char(s, 'x');
	start = s->p;
	v = vasx_scan_hex(s, 16);
	if (!s->bad && s->p - start != 16)
		s->bad = true;
	return v;
}

/* A token up to the next space: [*tok, *tok + *n). */
static void scan_token(struct vasx_scan *s, const char **tok, size_t *n)
{
	const char *p = s->p;

	*tok = p;
	while (p < s->end && *p != ' ')
		p++;
	*n = (size_t)(p - *tok);
	if (!*n)
		s->bad = true;
	s->p = p;
}

static int parse_perms(const char *p, size_t n)
{
	static const char want[3] = { 'r', 'w', 'x' };
	int perms = 0;

	if (n != 3)
		return -1;
	for (int i = 0; i < 3; i++) {
		if (p[i] == want[i])
			perms |= 1 << i;	/* VASX_P_READ, _WRITE, _EXEC */
		else if (p[i] != '-')
			return -1;
	}
	return perms;
}

/* Keys and descriptions end up on a terminal: no control bytes in them. */
static const char *intern_clean(struct vasx_strpool *pool, const char *s, size_t n)
{
	char buf[512];

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	return vasx_strpool_intern(pool, buf, n);
}

/* "0xSTART 0xEND PERMS KEY DESC" (what follows "region "). 0 or -VASX_E_MALFORMED. */
static int parse_region(const char *p, size_t len, struct vasx_kregion *r,
			struct vasx_strpool *pool)
{
	struct vasx_scan s = { p, p + len, false };
	const char *tok, *key;
	size_t n, keylen;
	uint64_t end;
	int perms;

	r->start = scan_addr(&s);
	vasx_scan_char(&s, ' ');
	end = scan_addr(&s);
	vasx_scan_char(&s, ' ');
	scan_token(&s, &tok, &n);
	perms = s.bad ? -1 : parse_perms(tok, n);
	vasx_scan_char(&s, ' ');
	scan_token(&s, &key, &keylen);
	if (s.bad || perms < 0 || keylen > 63)
		return -VASX_E_MALFORMED;
	/* An end of 0 is the top of the address space. */
	if (end != 0 && end <= r->start)
		return -VASX_E_MALFORMED;
	for (size_t i = 0; i < keylen; i++)
		if ((unsigned char)key[i] <= ' ' || (unsigned char)key[i] >= 0x7f)
			return -VASX_E_MALFORMED;
	r->last = end - 1;
	r->perms = (uint8_t)perms;
	r->depth = 0;
	r->flags = 0;
	r->key = vasx_strpool_intern(pool, key, keylen);
	if (s.p < s.end)
		s.p++;
	r->desc = intern_clean(pool, s.p, (size_t)(s.end - s.p));
	return r->key && r->desc ? 0 : -ENOMEM;
}

static bool parse_uint(const char *p, size_t len, unsigned *out)
{
	struct vasx_scan s = { p, p + len, false };
	uint64_t v = vasx_scan_dec(&s);

	if (!vasx_scan_at_end(&s) || v > 1u << 30)
		return false;
	*out = (unsigned)v;
	return true;
}

/* The user half must leave room for a kernel half (32-bit: 32). */
static bool parse_va_bits(const char *p, size_t len, unsigned *out)
{
	unsigned bits;

	if (!parse_uint(p, len, &bits) || bits < 32 || bits > 63)
		return false;
	*out = bits;
	return true;
}

/* One line after the version line. 0, -VASX_E_MALFORMED or -ENOMEM. */
static int parse_layout_line(const char *line, size_t len, struct vasx_klayout *kl,
			     size_t *cap, struct vasx_strpool *pool)
{
	const char *end = line + len, *v;
	struct vasx_kregion *r;
	int err;

	if (word_is(line, len, "region", &v)) {
		r = klayout_grow(kl, cap);
		if (!r)
			return -ENOMEM;
		err = parse_region(v, (size_t)(end - v), r, pool);
		if (err)
			kl->nregions--;
		return err;
	}
	if (word_is(line, len, "arch", &v)) {
		size_t n = (size_t)(end - v);

		if (n == 0 || n >= sizeof(kl->arch) || memchr(v, ' ', n))
			return -VASX_E_MALFORMED;
		memcpy(kl->arch, v, n);
		kl->arch[n] = 0;
		return 0;
	}
	if (word_is(line, len, "page_size", &v))
		return parse_uint(v, (size_t)(end - v), &kl->page_size) ? 0 : -VASX_E_MALFORMED;
	if (word_is(line, len, "paging_levels", &v))
		return parse_uint(v, (size_t)(end - v), &kl->paging_levels) ? 0 : -VASX_E_MALFORMED;
	if (word_is(line, len, "user_va_bits", &v))
		return parse_va_bits(v, (size_t)(end - v), &kl->user_va_bits) ? 0 : -VASX_E_MALFORMED;
	if (word_is(line, len, "task_size", &v)) {
		struct vasx_scan s = { v, end, false };

		kl->task_size = scan_addr(&s);
		return vasx_scan_at_end(&s) ? 0 : -VASX_E_MALFORMED;
	}
	/* Other words are facts a later version 1 may add: not an error. */
	return 0;
}

/* "vasx-layout 1": 0, -VASX_E_VERSION for another version, else malformed. */
static int check_version(const char *line, size_t len, const char *format)
{
	const char *v;
	unsigned version;

	if (!word_is(line, len, format, &v))
		return -VASX_E_MALFORMED;
	if (!parse_uint(v, (size_t)(line + len - v), &version) || version != 1)
		return -VASX_E_VERSION;
	return 0;
}

/*
 * The next line after a layout file's header: VASX_LINE, 0 at the end, or
 * -errno or -VASX_E_* (a read error, a header of another format or
 * version). Lines too long to read are counted in *skipped; *seen says
 * whether the header was read.
 */
static int layout_next(struct vasx_lines *lr, bool *seen, const char **line, size_t *len,
		       size_t *skipped)
{
	int rc, err;

	while ((rc = vasx_lines_next(lr, line, len)) > 0) {
		if (rc == VASX_LINE_LONG) {
			(*skipped)++;
			continue;
		}
		if (*seen)
			return VASX_LINE;
		*seen = true;
		err = check_version(*line, *len, "vasx-layout");
		if (err)
			return err;
	}
	return rc;
}

int vasx_klayout_parse(FILE *f, struct vasx_klayout *kl, struct vasx_strpool *pool)
{
	struct vasx_lines lr;
	const char *line;
	size_t len, cap = 0;
	bool seen = false;
	int err, rc;

	memset(kl, 0, sizeof(*kl));
	err = vasx_lines_open(&lr, f);
	if (err)
		return err;
	while ((rc = layout_next(&lr, &seen, &line, &len, &kl->malformed)) > 0) {
		err = parse_layout_line(line, len, kl, &cap, pool);
		if (err == -VASX_E_MALFORMED) {
			kl->malformed++;
			err = 0;
		} else if (err) {
			break;
		}
	}
	vasx_lines_close(&lr);
	if (!err && rc < 0)
		err = rc;
	/* Without its header or any region, the file was cut short. */
	if (!err && (!seen || !kl->arch[0] || !kl->nregions))
		err = -VASX_E_TRUNCATED;
	if (err) {
		vasx_klayout_release(kl);
		return err;
	}
	kl->source = VASX_KSRC_MODULE;
	klayout_nest(kl);
	return 0;
}

int vasx_klayout_user_va_bits(FILE *f, unsigned *bits)
{
	struct vasx_lines lr;
	const char *line, *v;
	size_t len, skipped = 0;
	bool seen = false;
	int err, rc;

	*bits = 0;
	err = vasx_lines_open(&lr, f);
	if (err)
		return err;
	while ((rc = layout_next(&lr, &seen, &line, &len, &skipped)) > 0) {
		/* The module writes its facts before its regions. */
		if (word_is(line, len, "region", &v))
			break;
		if (word_is(line, len, "user_va_bits", &v)) {
			/* out of range: none, and the caller guesses */
			parse_va_bits(v, (size_t)(line + len - v), bits);
			break;
		}
	}
	vasx_lines_close(&lr);
	if (rc < 0)
		return rc;
	return seen ? 0 : -VASX_E_MALFORMED;
}

/* --- without the module -------------------------------------------------- */

struct kdoc {
	uint64_t start, last;
	uint8_t perms;
	const char *key, *desc;
};

#define RW (VASX_P_READ | VASX_P_WRITE)
#define RX (VASX_P_READ | VASX_P_EXEC)
#define RWX (VASX_P_READ | VASX_P_WRITE | VASX_P_EXEC)

/* Documentation/arch/x86/x86_64/mm.rst: what differs between 4 and 5 levels. */
static const struct kdoc kdoc_l4[] = {
	{ 0xffff800000000000, 0xffff87ffffffffff, 0, "guard-hole", "guard hole, reserved for a hypervisor" },
	{ 0xffff880000000000, 0xffff887fffffffff, VASX_P_READ, "ldt-remap", "LDT remap for PTI" },
	{ 0xffff888000000000, 0xffffc87fffffffff, RW, "direct-map", "direct mapping of all physical memory (page_offset_base)" },
	{ 0xffffc90000000000, 0xffffe8ffffffffff, RW, "vmalloc", "vmalloc/ioremap space (vmalloc_base)" },
	{ 0xffffea0000000000, 0xffffeaffffffffff, RW, "vmemmap", "virtual memory map: struct page array (vmemmap_base)" },
};

static const struct kdoc kdoc_l5[] = {
	{ 0xff00000000000000, 0xff0fffffffffffff, 0, "guard-hole", "guard hole, reserved for a hypervisor" },
	{ 0xff10000000000000, 0xff10ffffffffffff, VASX_P_READ, "ldt-remap", "LDT remap for PTI" },
	{ 0xff11000000000000, 0xff90ffffffffffff, RW, "direct-map", "direct mapping of all physical memory (page_offset_base)" },
	{ 0xffa0000000000000, 0xffd1ffffffffffff, RW, "vmalloc", "vmalloc/ioremap space (vmalloc_base)" },
	{ 0xffd4000000000000, 0xffd5ffffffffffff, RW, "vmemmap", "virtual memory map: struct page array (vmemmap_base)" },
};

#define KMAP_START 0xffffffff80000000ull
#define MODULES_DOC 0xffffffffa0000000ull	/* 512 MiB image space */
#define MODULES_KASLR 0xffffffffc0000000ull	/* 1 GiB with a randomised base */

static const struct kdoc kdoc_common[] = {
	{ 0xfffffe0000000000, 0xfffffe7fffffffff, RW, "cpu-entry-area", "cpu_entry_area mapping" },
	{ 0xffffff0000000000, 0xffffff7fffffffff, RW, "espfix", "%esp fixup stacks" },
	{ 0xffffffef00000000, 0xfffffffeffffffff, RWX, "efi", "EFI region mapping space" },
	{ KMAP_START, MODULES_DOC - 1, RWX, "kernel-map", "kernel text mapping, mapped to physical address 0" },
	{ MODULES_DOC, 0xfffffffffeffffff, RWX, "modules", "module mapping space" },
	{ 0xffffffffff500000, 0xffffffffff5fffff, RW, "fixmap", "kernel-internal fixmap range, variable size and offset" },
	{ 0xffffffffff600000, 0xffffffffff600fff, VASX_P_EXEC, "vsyscall", "legacy vsyscall ABI" },
};

static int add_doc(struct vasx_klayout *kl, size_t *cap, const struct kdoc *d, size_t n,
		   struct vasx_strpool *pool)
{
	for (size_t i = 0; i < n; i++) {
		struct vasx_kregion *r = klayout_grow(kl, cap);

		if (!r)
			return -ENOMEM;
		*r = (struct vasx_kregion){
			.start = d[i].start, .last = d[i].last, .perms = d[i].perms,
			.flags = VASX_F_APPROX,
			.key = vasx_strpool_intern(pool, d[i].key, strlen(d[i].key)),
			.desc = vasx_strpool_intern(pool, d[i].desc, strlen(d[i].desc)),
		};
		if (!r->key || !r->desc)
			return -ENOMEM;
	}
	return 0;
}

static int klayout_documented(struct vasx_klayout *kl, size_t *cap, unsigned va_bits,
			      struct vasx_strpool *pool)
{
	int err;

	kl->source = VASX_KSRC_APPROX;
	strcpy(kl->arch, "x86_64");
	kl->page_size = 4096;
	kl->paging_levels = va_bits == 56 ? 5 : 4;
	kl->user_va_bits = va_bits == 56 ? 56 : 47;
	kl->task_size = (1ull << kl->user_va_bits) - 4096;
	err = va_bits == 56 ? add_doc(kl, cap, kdoc_l5, sizeof(kdoc_l5) / sizeof(kdoc_l5[0]), pool)
			    : add_doc(kl, cap, kdoc_l4, sizeof(kdoc_l4) / sizeof(kdoc_l4[0]), pool);
	if (!err)
		err = add_doc(kl, cap, kdoc_common, sizeof(kdoc_common) / sizeof(kdoc_common[0]), pool);
	return err;
}

static struct vasx_kregion *find_key(struct vasx_klayout *kl, const char *key)
{
	for (size_t i = 0; i < kl->nregions; i++)
		if (!strcmp(kl->regions[i].key, key))
			return &kl->regions[i];
	return NULL;
}

static int add_region(struct vasx_klayout *kl, size_t *cap, uint64_t start, uint64_t end,
		      uint8_t perms, const char *key, size_t keylen, const char *desc,
		      struct vasx_strpool *pool)
{
	struct vasx_kregion *r;

	if (end <= start)
		return 0;
	r = klayout_grow(kl, cap);
	if (!r)
		return -ENOMEM;
	*r = (struct vasx_kregion){
		.start = start, .last = end - 1, .perms = perms,
		.key = vasx_strpool_intern(pool, key, keylen),
		.desc = vasx_strpool_intern(pool, desc, strlen(desc)),
	};
	return r->key && r->desc ? 0 : -ENOMEM;
}

enum ksym { KS_TEXT, KS_ETEXT, KS_RODATA, KS_ERODATA, KS_SDATA, KS_EDATA,
	    KS_BSS, KS_EBSS, KS_END, KS_COUNT };

static const char *const ksym_names[KS_COUNT] = {
	"_text", "_etext", "__start_rodata", "__end_rodata", "_sdata", "_edata",
	"__bss_start", "__bss_stop", "_end",
};

/*
 * "ADDR TYPE NAME" lines; only a few names of the core kernel matter, and
 * the highest address in the kernel text mapping, for kernels whose
 * kallsyms lacks _end (no CONFIG_KALLSYMS_ALL).
 */
static int read_kallsyms(FILE *f, uint64_t sym[KS_COUNT], uint64_t *hi)
{
	struct vasx_lines lr;
	const char *line;
	size_t len;
	int rc, err = vasx_lines_open(&lr, f);

	if (err)
		return err;
	while ((rc = vasx_lines_next(&lr, &line, &len)) > 0) {
		struct vasx_scan s = { line, line + len, false };
		const char *name;
		uint64_t a;

		if (rc != VASX_LINE || len < 20 || line[len - 1] == ']')
			continue;	/* symbols of modules end in "[name]" */
		a = vasx_scan_hex(&s, 16);
		vasx_scan_char(&s, ' ');
		if (s.bad || s.end - s.p < 3)
			continue;
		name = s.p + 2;
		if (a >= KMAP_START && a > *hi)
			*hi = a;
		for (int i = 0; i < KS_COUNT; i++)
			if ((size_t)(s.end - name) == strlen(ksym_names[i]) &&
			    !memcmp(name, ksym_names[i], strlen(ksym_names[i])))
				sym[i] = a;
	}
	vasx_lines_close(&lr);
	return rc < 0 ? rc : 0;
}

static int kallsyms_image(struct vasx_klayout *kl, size_t *cap, struct vasx_source *src,
			  struct vasx_strpool *pool)
{
	static const struct { int from, to; const char *key, *desc; uint8_t perms; } sub[] = {
		{ KS_TEXT, KS_ETEXT, "kernel-text", "kernel code (_text to _etext)", RX },
		{ KS_RODATA, KS_ERODATA, "kernel-rodata", "kernel read-only data", VASX_P_READ },
		{ KS_SDATA, KS_EDATA, "kernel-data", "kernel data (_sdata to _edata)", RW },
		{ KS_BSS, KS_EBSS, "kernel-bss", "kernel bss", RW },
	};
	uint64_t sym[KS_COUNT] = { 0 }, hi = 0;
	struct vasx_kregion *kmap;
	FILE *f;
	int err = vasx_source_fopen(src, 0, "kallsyms", &f);

	if (err)
		return err;
	err = read_kallsyms(f, sym, &hi);
	fclose(f);
	if (err)
		return err;
	/* Zeros: kptr_restrict hides the addresses from this reader. */
	if (!sym[KS_TEXT])
		return -EPERM;
	if (!sym[KS_END])
		sym[KS_END] = (hi | 0xfff) + 1;
	if (sym[KS_END] <= sym[KS_TEXT])
		return -EPERM;
	kmap = find_key(kl, "kernel-map");
	if (kmap && sym[KS_END] > MODULES_DOC) {
		/* A randomised base: the image may lie anywhere in 1 GiB. */
		struct vasx_kregion *mods = find_key(kl, "modules");

		kmap->last = MODULES_KASLR - 1;
		if (mods)
			mods->start = MODULES_KASLR;
	}
	err = add_region(kl, cap, sym[KS_TEXT], sym[KS_END], RWX, "kernel-image", 12,
			 "the kernel image (_text to _end)", pool);
	for (size_t i = 0; !err && i < sizeof(sub) / sizeof(sub[0]); i++)
		if (sym[sub[i].from] >= sym[KS_TEXT] && sym[sub[i].to] <= sym[KS_END])
			err = add_region(kl, cap, sym[sub[i].from], sym[sub[i].to], sub[i].perms,
					 sub[i].key, strlen(sub[i].key), sub[i].desc, pool);
	return err;
}

/*
 * Loaded modules from /proc/modules ("name size refs deps state addr"),
 * as "module:NAME" regions. -EPERM when the addresses are hidden.
 */
static int add_modules(struct vasx_klayout *kl, size_t *cap, struct vasx_source *src,
		       struct vasx_strpool *pool)
{
	struct vasx_lines lr;
	const char *line;
	size_t len, n = 0, hidden = 0;
	FILE *f;
	int rc, err = vasx_source_fopen(src, 0, "modules", &f);

	if (err)
		return err;
	err = vasx_lines_open(&lr, f);
	if (err) {
		fclose(f);
		return err;
	}
	while (!err && (rc = vasx_lines_next(&lr, &line, &len)) > 0) {
		struct vasx_scan s = { line, line + len, false };
		const char *name, *tok;
		size_t nlen, tlen;
		char key[80];
		uint64_t size, addr;

		if (rc != VASX_LINE)
			continue;
		scan_token(&s, &name, &nlen);
		vasx_scan_char(&s, ' ');
		size = vasx_scan_dec(&s);
		for (int i = 0; i < 3 && !s.bad; i++) {	/* refs, deps, state */
			vasx_scan_char(&s, ' ');
			scan_token(&s, &tok, &tlen);
		}
		vasx_scan_char(&s, ' ');
		vasx_scan_char(&s, '0');
		vasx_scan_char(&s, 'x');
		addr = vasx_scan_hex(&s, 16);
		if (s.bad || nlen > 64 || !size || addr + size < addr)
			continue;
		if (!addr) {
			hidden++;
			continue;
		}
		memcpy(key, "module:", 7);
		memcpy(key + 7, name, nlen);
		err = add_region(kl, cap, addr, addr + size, RWX, key, 7 + nlen,
				 "a loaded module (core section)", pool);
		n++;
	}
	vasx_lines_close(&lr);
	fclose(f);
	if (!err && hidden && !n)
		err = -EPERM;
	return err;
}

int vasx_klayout_load(struct vasx_source *src, unsigned user_va_bits,
		      struct vasx_klayout *kl, struct vasx_strpool *pool)
{
	size_t cap = 0;
	FILE *f;
	int err, merr;

	merr = vasx_source_fopen(src, 0, "vasx/layout", &f);
	if (!merr) {
		merr = vasx_klayout_parse(f, kl, pool);
		fclose(f);
		if (merr == -ENOMEM)
			return merr;
	} else if (merr == -ENOENT) {
		merr = -VASX_E_NOMODULE;
	}
	if (!merr) {
		cap = kl->nregions;
		/* Individual modules are welcome but not needed. */
		if (add_modules(kl, &cap, src, pool) == -ENOMEM)
			goto nomem;
		klayout_nest(kl);
		return 0;
	}

	memset(kl, 0, sizeof(*kl));
	kl->module_err = merr;
	if (klayout_documented(kl, &cap, user_va_bits, pool))
		goto nomem;
	err = kallsyms_image(kl, &cap, src, pool);
	if (err == -ENOMEM)
		goto nomem;
	if (!err) {
		kl->source = VASX_KSRC_KALLSYMS;
		if (add_modules(kl, &cap, src, pool) == -ENOMEM)
			goto nomem;
	}
	kl->kallsyms_err = err;
	klayout_nest(kl);
	return 0;
nomem:
	vasx_klayout_release(kl);
	return -ENOMEM;
}

/* --- tasks ----------------------------------------------------------------- */

/* comm as the module writes it: bytes <= ' ', '\\' and >= 0x7f as \ooo. */
static bool unescape_comm(const char *p, size_t n, char *out, size_t outsz)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\\') {
			if (n - i < 4 || p[i + 1] < '0' || p[i + 1] > '3' ||
			    p[i + 2] < '0' || p[i + 2] > '7' || p[i + 3] < '0' || p[i + 3] > '7')
				return false;
			c = (unsigned char)((p[i + 1] - '0') << 6 | (p[i + 2] - '0') << 3 |
					    (p[i + 3] - '0'));
			i += 3;
			if (!c)
				continue;
		}
		if (o + 1 >= outsz)
			return false;
		out[o++] = (char)c;
	}
	out[o] = 0;
	return true;
}

static int parse_task(const char *line, size_t len, struct vasx_ktask *t)
{
	struct vasx_scan s = { line, line + len, false };
	const char *comm;
	size_t clen;
	uint64_t pid, tgid;

	vasx_scan_char(&s, 't');
	vasx_scan_char(&s, 'a');
	vasx_scan_char(&s, 's');
	vasx_scan_char(&s, 'k');
	vasx_scan_char(&s, ' ');
	pid = vasx_scan_dec(&s);
	vasx_scan_char(&s, ' ');
	tgid = vasx_scan_dec(&s);
	vasx_scan_char(&s, ' ');
	scan_token(&s, &comm, &clen);
	vasx_scan_char(&s, ' ');
	t->task = scan_addr(&s);
	vasx_scan_char(&s, ' ');
	t->task_phys = scan_addr(&s);
	vasx_scan_char(&s, ' ');
	t->stack = scan_addr(&s);
	vasx_scan_char(&s, ' ');
	t->mm = scan_addr(&s);
	vasx_scan_char(&s, ' ');
	t->pgd = scan_addr(&s);
	if (!vasx_scan_at_end(&s) || pid > 0x3fffffff || tgid > 0x3fffffff ||
	    !unescape_comm(comm, clen, t->comm, sizeof(t->comm)))
		return -VASX_E_MALFORMED;
	t->pid = (int)pid;
	t->tgid = (int)tgid;
	return 0;
}

int vasx_ktasks_parse(FILE *f, struct vasx_ktask **tasks, size_t *n, size_t *malformed)
{
	struct vasx_ktask *v = NULL;
	struct vasx_lines lr;
	const char *line;
	size_t len, cap = 0, k = 0, bad = 0;
	bool first = true;
	int rc, err = vasx_lines_open(&lr, f);

	if (err)
		return err;
	while ((rc = vasx_lines_next(&lr, &line, &len)) > 0) {
		if (first) {
			first = false;
			err = rc == VASX_LINE ? check_version(line, len, "vasx-tasks")
					      : -VASX_E_MALFORMED;
			if (err)
				break;
			continue;
		}
		if (k == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct vasx_ktask *t = realloc(v, ncap * sizeof(*t));

			if (!t) {
				err = -ENOMEM;
				break;
			}
			v = t;
			cap = ncap;
		}
		if (rc == VASX_LINE && !parse_task(line, len, &v[k]))
			k++;
		else
			bad++;
	}
	vasx_lines_close(&lr);
	if (!err && rc < 0)
		err = rc;
	if (!err && first)
		err = -VASX_E_TRUNCATED;
	if (err) {
		free(v);
		return err;
	}
	*tasks = v;
	*n = k;
	if (malformed)
		*malformed = bad;
	return 0;
}

int vasx_ktasks_load(struct vasx_source *src, struct vasx_ktask **tasks, size_t *n)
{
	FILE *f;
	int err = vasx_source_fopen(src, 0, "vasx/tasks", &f);

	if (err)
		return err == -ENOENT ? -VASX_E_NOMODULE : err;
	err = vasx_ktasks_parse(f, tasks, n, NULL);
	fclose(f);
	return err;
}

/* --- choosing processes by their kernel objects ---------------------------- */

static int pids_add(int **pids, size_t *n, size_t *cap, int pid)
{
	if (pid <= 0)
		return 0;	/* the idle task has no /proc entry */
	for (size_t i = 0; i < *n; i++)
		if ((*pids)[i] == pid)
			return 0;
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		int *v = realloc(*pids, ncap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		*pids = v;
		*cap = ncap;
	}
	(*pids)[(*n)++] = pid;
	return 0;
}

/* "ADDR[,ADDR...]", each hex with or without 0x. */
static int select_by(const struct vasx_ktask *t, size_t n, const char *list, bool phys,
		     int **pids, size_t *npids, size_t *cap)
{
	const char *p = list;
	int missing = 0;

	/* Bad syntax anywhere in the list wins over an address not found. */
	for (;;) {
		const char *end = strchr(p, ',');
		struct vasx_scan s = { p, end ? end : p + strlen(p), false };
		uint64_t a;
		size_t i;
		int err;

		if (s.end - s.p > 2 && s.p[0] == '0' && (s.p[1] | 0x20) == 'x')
			s.p += 2;
		a = vasx_scan_hex(&s, 16);
		if (!vasx_scan_at_end(&s))
			return -VASX_E_BADADDR;
		for (i = 0; i < n; i++)
			if ((phys ? t[i].task_phys : t[i].task) == a)
				break;
		if (i == n)
			missing = -ESRCH;
		err = i == n ? 0 : pids_add(pids, npids, cap, t[i].tgid);
		if (err)
			return err;
		if (!end)
			return missing;
		p = end + 1;
	}
}

/* Every process on the task list, walking from @head's process round. */
static int select_from_head(const struct vasx_ktask *t, size_t n, const char *head,
			    int **pids, size_t *npids, size_t *cap)
{
	struct vasx_scan s = { head, head + strlen(head), false };
	size_t at;
	uint64_t a;
	int err = 0;

	if (s.end - s.p > 2 && s.p[0] == '0' && (s.p[1] | 0x20) == 'x')
		s.p += 2;
	a = vasx_scan_hex(&s, 16);
	if (!vasx_scan_at_end(&s))
		return -VASX_E_BADADDR;
	for (at = 0; at < n && t[at].task != a; at++)
		;
	if (at == n)
		return -ESRCH;
	for (size_t k = 0; !err && k < n; k++) {
		const struct vasx_ktask *x = &t[(at + k) % n];

		if (x->pid == x->tgid || (k == 0 && x->pid))
			err = pids_add(pids, npids, cap, x->tgid);
	}
	return err;
}

int vasx_ktasks_select(const struct vasx_ktask *t, size_t n, const char *task_kvas,
		       const char *phys, const char *head, int **pids, size_t *npids)
{
	size_t cap = 0;
	int err = 0;

	*pids = NULL;
	*npids = 0;
	if (task_kvas)
		err = select_by(t, n, task_kvas, false, pids, npids, &cap);
	if (!err && phys)
		err = select_by(t, n, phys, true, pids, npids, &cap);
	if (!err && head)
		err = select_from_head(t, n, head, pids, npids, &cap);
	if (!err && !*npids)
		err = -ESRCH;
	if (err) {
		free(*pids);
		*pids = NULL;
		*npids = 0;
	}
	return err;
}
