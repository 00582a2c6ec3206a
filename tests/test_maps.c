/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests of the /proc/PID/maps parser. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testlib.h"

#include "vasx/maps.h"
#include "vasx/status.h"
#include "vasx/strpool.h"

static int setup_pool(void **state)
{
	*state = vasx_strpool_new();
	return *state ? 0 : -1;
}

static int teardown_pool(void **state)
{
	vasx_strpool_free(*state);
	return 0;
}

static int parse(void **state, const char *line, struct vasx_region *r)
{
	return vasx_maps_parse_line(line, strlen(line), r, *state);
}

static void test_maps_all_fields(void **state)
{
	struct vasx_region r;

	assert_int_equal(parse(state, "7fa9ab2ce000-7fa9ab424000 r-xp 00026000 fe:00 332835"
			       "                     /usr/lib/x86_64-linux-gnu/libc.so.6\n", &r), 0);
	assert_true(r.start == 0x7fa9ab2ce000ULL);
	assert_true(r.last == 0x7fa9ab423fffULL);
	assert_int_equal(r.perms, VASX_P_READ | VASX_P_EXEC);
	assert_true(r.offset == 0x26000);
	assert_int_equal(r.dev_major, 0xfe);
	assert_int_equal(r.dev_minor, 0);
	assert_true(r.inode == 332835);
	assert_string_equal(r.name, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(r.flags, VASX_F_MAPPING);
	assert_int_equal(r.space, VASX_SPACE_USER);
	assert_int_equal(r.smaps, VASX_NONE);
	assert_int_equal(r.kind, 0);
	assert_int_equal(r.depth, 0);
	assert_int_equal(r.tid, 0);
	assert_null(r.desc);
}

static void test_maps_wide_fields(void **state)
{
	struct vasx_region r;

	/* A 12-bit major, a 20-bit minor, a 64-bit offset and inode. */
	assert_int_equal(parse(state, "00400000-00401000 rw-s ffffffffff000000 fff:fffff "
			       "18446744073709551615 /dev/x", &r), 0);
	assert_int_equal(r.perms, VASX_P_READ | VASX_P_WRITE | VASX_P_SHARED);
	assert_true(r.offset == 0xffffffffff000000ULL);
	assert_int_equal(r.dev_major, 0xfff);
	assert_int_equal(r.dev_minor, 0xfffff);
	assert_true(r.inode == UINT64_MAX);
	/* Upper-case hex is still hex. */
	assert_int_equal(parse(state, "7FFF0000-7FFF1000 r--p 0000ABCD 0A:0B 1", &r), 0);
	assert_true(r.start == 0x7fff0000 && r.offset == 0xabcd && r.dev_major == 10);
}

static void test_maps_no_name(void **state)
{
	struct vasx_region r;

	/* The kernel leaves a blank after the inode; a hand-made line may not. */
	assert_int_equal(parse(state, "7fa9ab47d000-7fa9ab48a000 rw-p 00000000 00:00 0 \n", &r), 0);
	assert_null(r.name);
	assert_int_equal(r.flags, VASX_F_MAPPING);
	assert_int_equal(parse(state, "7fa9ab47d000-7fa9ab48a000 rw-p 00000000 00:00 0", &r), 0);
	assert_null(r.name);
	assert_int_equal(parse(state, "7fa9ab47d000-7fa9ab48a000 rw-p 00000000 00:00 0"
			       "                          ", &r), 0);
	assert_null(r.name);
}

static void test_maps_spaces_in_path(void **state)
{
	struct vasx_region r;

	assert_int_equal(parse(state, "7fa9ab29a000-7fa9ab29e000 r--p 00000000 fe:00 10953060"
			       "                   /tmp/d/file with spaces.dat\n", &r), 0);
	assert_string_equal(r.name, "/tmp/d/file with spaces.dat");
	/* Blanks inside the name, even doubled, are the name's. */
	assert_int_equal(parse(state, "1000-2000 r--p 00000000 fe:00 1 /a  b   c ", &r), 0);
	assert_string_equal(r.name, "/a  b   c ");
}

static void test_maps_deleted(void **state)
{
	struct vasx_region r;

	assert_int_equal(parse(state, "7fa9ab29e000-7fa9ab2a2000 r--p 00000000 fe:00 10953058"
			       "                   /tmp/d/deleted.dat (deleted)\n", &r), 0);
	assert_string_equal(r.name, "/tmp/d/deleted.dat");
	assert_true(r.flags & VASX_F_DELETED);
	/* Only the kernel's one suffix goes: the rest is the file's name. */
	assert_int_equal(parse(state, "1000-2000 r--p 0 fe:00 1 /tmp/a (deleted) (deleted)", &r), 0);
	assert_string_equal(r.name, "/tmp/a (deleted)");
	assert_true(r.flags & VASX_F_DELETED);
	/* " (deleted)" not at the end is not the suffix. */
	assert_int_equal(parse(state, "1000-2000 r--p 0 fe:00 1 /tmp/b (deleted)x", &r), 0);
	assert_string_equal(r.name, "/tmp/b (deleted)x");
	assert_false(r.flags & VASX_F_DELETED);
}

static void test_maps_shmem_pseudo_files(void **state)
{
	struct vasx_region r;

	/* SysV shm, memfd and shared anonymous memory all read "(deleted)". */
	assert_int_equal(parse(state, "7fa9ab292000-7fa9ab294000 rw-s 00000000 00:01 9"
			       "                          /SYSV00000000 (deleted)\n", &r), 0);
	assert_string_equal(r.name, "/SYSV00000000");
	assert_false(r.flags & VASX_F_DELETED);
	assert_int_equal(parse(state, "7fa9ab294000-7fa9ab296000 rw-s 00000000 00:01 1032"
			       "                       /memfd:vasx-memfd (deleted)\n", &r), 0);
	assert_string_equal(r.name, "/memfd:vasx-memfd");
	assert_false(r.flags & VASX_F_DELETED);
	assert_int_equal(parse(state, "7fa9ab48c000-7fa9ab490000 rw-s 00000000 00:01 1031"
			       "                       /dev/zero (deleted)\n", &r), 0);
	assert_string_equal(r.name, "/dev/zero");
	assert_false(r.flags & VASX_F_DELETED);
	/* MAP_HUGETLB anonymous memory, private or shared. */
	assert_int_equal(parse(state, "7f0000000000-7f0000200000 rw-p 00000000 00:10 7"
			       "                          /anon_hugepage (deleted)\n", &r), 0);
	assert_string_equal(r.name, "/anon_hugepage");
	assert_false(r.flags & VASX_F_DELETED);
	assert_int_equal(parse(state, "7f0000200000-7f0000400000 rw-s 00000000 00:10 8"
			       "                          /anon_hugepage (deleted)\n", &r), 0);
	assert_false(r.flags & VASX_F_DELETED);
	/* A file merely named like one is a file. */
	assert_int_equal(parse(state, "1000-2000 rw-s 0 fe:00 5 /SYSVnothex0 (deleted)", &r), 0);
	assert_true(r.flags & VASX_F_DELETED);
	assert_int_equal(parse(state, "1000-2000 rw-s 0 fe:00 5 /dev/zero2 (deleted)", &r), 0);
	assert_true(r.flags & VASX_F_DELETED);
}

static void test_maps_special_names(void **state)
{
	static const char *const names[] = {
		"[heap]", "[stack]", "[vdso]", "[vvar]", "[vvar_vclock]", "[uprobes]",
		"[anon:libc_malloc]", "[anon_shmem:jit]", "[stack:1234]", "[whatever new]",
	};
	struct vasx_region r;
	char line[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(line, sizeof(line), "7ffd6c5e6000-7ffd6c607000 rw-p 00000000 00:00 0"
			 "                          %s\n", names[i]);
		assert_int_equal(parse(state, line, &r), 0);
		assert_string_equal(r.name, names[i]);
		assert_true(r.flags & VASX_F_SPECIAL);
		assert_false(r.flags & VASX_F_DELETED);
		assert_int_equal(r.space, VASX_SPACE_USER);
	}
	/* Not closed: not a kernel name. */
	assert_int_equal(parse(state, "1000-2000 rw-p 0 00:00 0 [anon:cut", &r), 0);
	assert_false(r.flags & VASX_F_SPECIAL);
	assert_int_equal(parse(state, "1000-2000 rw-p 0 00:00 0 /x/[y]", &r), 0);
	assert_false(r.flags & VASX_F_SPECIAL);
}

static void test_maps_vsyscall_is_kernel(void **state)
{
	struct vasx_region r;

	assert_int_equal(parse(state, "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
			       "                  [vsyscall]\n", &r), 0);
	assert_int_equal(r.space, VASX_SPACE_KERNEL);
	assert_true(r.start == 0xffffffffff600000ULL);
	assert_true(r.last == 0xffffffffff600fffULL);
	assert_int_equal(r.perms, VASX_P_EXEC);
	assert_true(r.flags & VASX_F_SPECIAL);
	/* The kernel's own code page, not anonymous memory made executable. */
	assert_false(r.flags & VASX_F_EXEC_ANON);
	assert_false(r.flags & VASX_F_NOACCESS);
	/* The very top page: last is 2^64 - 1 though end would overflow. */
	assert_int_equal(parse(state, "fffffffffffff000-ffffffffffffffff r--p 0 00:00 0", &r), 0);
	assert_true(r.last == UINT64_MAX - 1);
}

static void test_maps_escaped_newline(void **state)
{
	struct vasx_region r;

	assert_int_equal(parse(state, "7fa9ab296000-7fa9ab29a000 r--p 00000000 fe:00 10953061"
			       "                   /tmp/d/\033[31mevil\\012name\n", &r), 0);
	assert_string_equal(r.name, "/tmp/d/\033[31mevil\nname");
	/* Two in a row, one at the very end, and with " (deleted)". */
	assert_int_equal(parse(state, "1000-2000 r--p 0 fe:00 1 /a\\012\\012b\\012 (deleted)", &r), 0);
	assert_string_equal(r.name, "/a\n\nb\n");
	assert_true(r.flags & VASX_F_DELETED);
	/* Any other backslash is the name's own. */
	assert_int_equal(parse(state, "1000-2000 r--p 0 fe:00 1 /a\\b\\01\\0123\\", &r), 0);
	assert_string_equal(r.name, "/a\\b\\01\n3\\");
}

static void test_maps_security_flags(void **state)
{
	struct vasx_region r;

	assert_int_equal(parse(state, "7fa9ab48a000-7fa9ab48c000 rwxp 00000000 00:00 0 ", &r), 0);
	assert_int_equal(r.flags, VASX_F_MAPPING | VASX_F_WX | VASX_F_EXEC_ANON);
	assert_int_equal(parse(state, "1000-2000 r-xp 0 00:00 0 [anon:jit]", &r), 0);
	assert_int_equal(r.flags, VASX_F_MAPPING | VASX_F_EXEC_ANON | VASX_F_SPECIAL);
	assert_int_equal(parse(state, "1000-2000 rwxp 0 00:00 0 [heap]", &r), 0);
	assert_true(r.flags & VASX_F_EXEC_ANON);
	assert_int_equal(parse(state, "1000-2000 r-xp 0 00:00 0 [vdso]", &r), 0);
	assert_false(r.flags & VASX_F_EXEC_ANON);
	assert_int_equal(parse(state, "1000-2000 r-xp 0 fe:00 7 /usr/bin/true", &r), 0);
	assert_int_equal(r.flags, VASX_F_MAPPING);
	assert_int_equal(parse(state, "1000-2000 rwxs 0 fe:00 7 /tmp/jit.bin", &r), 0);
	assert_int_equal(r.flags, VASX_F_MAPPING | VASX_F_WX | VASX_F_WFILE_EXEC);
	/* Shared but not writable here: still a file, no W+X. */
	assert_int_equal(parse(state, "1000-2000 r-xs 0 fe:00 7 /tmp/jit.bin", &r), 0);
	assert_int_equal(r.flags, VASX_F_MAPPING);
	assert_int_equal(parse(state, "1000-2000 rwxs 0 00:01 7 /memfd:jit (deleted)", &r), 0);
	assert_true(r.flags & VASX_F_WFILE_EXEC);
	assert_int_equal(parse(state, "1000-2000 ---p 0 00:00 0 ", &r), 0);
	assert_int_equal(r.flags, VASX_F_MAPPING | VASX_F_NOACCESS);
	assert_int_equal(parse(state, "1000-2000 ---s 0 00:00 0 ", &r), 0);
	assert_int_equal(r.flags, VASX_F_MAPPING | VASX_F_NOACCESS);
}

static void test_maps_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		"0000-",
		"1000-2000",
		"1000-2000 ",
		"1000-2000 r-x",
		"1000-2000 r-xp",
		"1000-2000 r-xp 0",
		"1000-2000 r-xp 0 fe",
		"1000-2000 r-xp 0 fe:",
		"1000-2000 r-xp 0 fe:00",
		"1000-2000 r-xp 0 fe:00 ",
		"g000-2000 r-xp 0 fe:00 1 /x",
		"0x1000-2000 r-xp 0 fe:00 1 /x",
		"1000-2z00 r-xp 0 fe:00 1 /x",
		"1000-2000 rwzp 0 fe:00 1 /x",
		"1000-2000 r-xq 0 fe:00 1 /x",
		"1000-2000 r-xp 0z fe:00 1 /x",
		"1000-2000 r-xp 0 fg:00 1 /x",
		"1000-2000 r-xp 0 fe:00 12a /x",
		"1000-2000 r-xp 0 fe:00 -1 /x",
		" 1000-2000 r-xp 0 fe:00 1 /x",
		"1000 2000 r-xp 0 fe:00 1 /x",
		"1000-2000  r-xp 0 fe:00 1 /x",
		"2000-1000 r-xp 0 fe:00 1 /x",
		"2000-2000 r-xp 0 fe:00 1 /x",
		"10000000000000000-10000000000000001 r-xp 0 fe:00 1 /x",
		"1000-2000 r-xp 000000000000000000 fe:00 1 /x",
		"1000-2000 r-xp 0 100000000:00 1 /x",
		"1000-2000 r-xp 0 fe:00 18446744073709551616 /x",
		"1000-2000 r-xp 0 fe:00 99999999999999999999999 /x",
		"\t\t\t",
	};
	struct vasx_region r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = parse(state, bad[i], &r);

		if (err != -VASX_E_MALFORMED)
			fail_msg("accepted or wrong error %d: \"%s\"", err, bad[i]);
	}
	/* An embedded NUL, which strlen-based code would silently cut at. */
	assert_int_equal(vasx_maps_parse_line("1000-2000 r--p 0 fe:00 1 /a\0b", 29, &r, *state),
			 -VASX_E_MALFORMED);
}

/* Every width of hex number, either case, against the value printed. */
static void test_maps_hex_widths(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	struct vasx_region r;
	char line[128];

	for (int i = 0; i < 20000; i++) {
		unsigned wa = 1 + (unsigned)(i % 16), wb = 16 - (unsigned)(i % 16);
		uint64_t a, b, off;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		a = x >> (64 - 4 * wa);
		b = a + 1 + (x & 0xffff);
		if (b < a || (wb < 16 && b >> (4 * wb)))
			b = a + 1;
		off = x >> (i % 64);
		snprintf(line, sizeof(line), i & 1 ? "%0*llx-%0*llx r--p %llx 00:00 0 /f" :
			 "%0*llX-%0*llX r--p %llX 00:00 0 /f", (int)wa, (unsigned long long)a,
			 (int)wb, (unsigned long long)b, (unsigned long long)off);
		assert_int_equal(parse(state, line, &r), 0);
		if (r.start != a || r.last != b - 1 || r.offset != off)
			fail_msg("%s: %llx %llx %llx", line, (unsigned long long)r.start,
				 (unsigned long long)r.last, (unsigned long long)r.offset);
	}
	/* A byte with its high bit set, or any non-hex byte, ends the number. */
	assert_int_equal(parse(state, "1000\xb0-2000 r--p 0 00:00 0", &r), -VASX_E_MALFORMED);
	assert_int_equal(parse(state, "10000000000000000:2000 r--p 0 00:00 0", &r),
			 -VASX_E_MALFORMED);
	assert_int_equal(parse(state, "ffffffffffffffff-fffffffffffffffg r--p 0 00:00 0", &r),
			 -VASX_E_MALFORMED);
	assert_int_equal(parse(state, "0000000000001000-00000000000020@0 r--p 0 00:00 0", &r),
			 -VASX_E_MALFORMED);
	assert_int_equal(parse(state, "00000000`0001000-0000000000002000 r--p 0 00:00 0", &r),
			 -VASX_E_MALFORMED);
}

static void test_maps_every_prefix(void **state)
{
	const char *line = "7fa9ab29e000-7fa9ab2a2000 r--p 00000000 fe:00 10953058 /tmp/x";
	size_t len = strlen(line), min_ok = strlen("7fa9ab29e000-7fa9ab2a2000 r--p 00000000 fe:00 1");
	struct vasx_region r;

	/* Cut anywhere: either malformed, or a well-formed shorter line. */
	for (size_t n = 0; n <= len; n++) {
		char *copy = malloc(n ? n : 1);
		int err;

		assert_non_null(copy);
		memcpy(copy, line, n);
		err = vasx_maps_parse_line(copy, n, &r, *state);
		if (n < min_ok)
			assert_int_equal(err, -VASX_E_MALFORMED);
		else
			assert_int_equal(err, 0);
		free(copy);
	}
}

/*
 * d_path() is not bound by PATH_MAX (a file reached through deep relative
 * directories prints whole), so names run up to the line reader's limit.
 */
static void test_maps_path_length_limit(void **state)
{
	const char *head = "1000-2000 r--p 0 fe:00 1 ";
	size_t hlen = strlen(head), big = 1024 * 1024;	/* the reader's limit */
	char *line = malloc(hlen + big + 32);
	struct vasx_region r;

	assert_non_null(line);
	memcpy(line, head, hlen);
	line[hlen] = '/';
	memset(line + hlen + 1, 'd', 5999);
	line[hlen + 6000] = '\0';
	assert_int_equal(parse(state, line, &r), 0);
	assert_int_equal(strlen(r.name), 6000);
	strcpy(line + hlen + 6000, " (deleted)");
	assert_int_equal(parse(state, line, &r), 0);
	assert_true(r.flags & VASX_F_DELETED);
	assert_int_equal(strlen(r.name), 6000);
	/* A long name with the kernel's \012 decodes off the stack. */
	memcpy(line + hlen + 5000, "\\012", 5);
	assert_int_equal(parse(state, line, &r), 0);
	assert_int_equal(strlen(r.name), 5001);
	assert_int_equal(r.name[5000], '\n');
	memcpy(line + hlen + 4092, "\\012", 5);
	assert_int_equal(parse(state, line, &r), 0);
	assert_int_equal(strlen(r.name), 4093);
	/* Exactly the limit is the longest name; one byte more is malformed. */
	memset(line + hlen + 1, 'd', big - 1);
	line[hlen + big] = '\0';
	assert_int_equal(parse(state, line, &r), 0);
	assert_int_equal(strlen(r.name), big);
	line[hlen + big] = 'd';
	line[hlen + big + 1] = '\0';
	assert_int_equal(parse(state, line, &r), -VASX_E_MALFORMED);
	free(line);
}

static void test_maps_interned_once(void **state)
{
	struct vasx_region a, b;

	assert_int_equal(parse(state, "1000-2000 r--p 0 fe:00 1 /lib/libc.so.6", &a), 0);
	assert_int_equal(parse(state, "2000-3000 r-xp 1000 fe:00 1 /lib/libc.so.6", &b), 0);
	assert_ptr_equal(a.name, b.name);
	assert_int_equal(vasx_maps_parse_line("1000-2000 r--p 0 fe:00 1 /x", 27, &a, NULL), 0);
	assert_null(a.name);
}

/* Random damage to real lines: never a crash, and what passes is sane. */
static void test_maps_mutations(void **state)
{
	static const char *const seeds[] = {
		"7fa9ab292000-7fa9ab294000 rw-s 00000000 00:01 9 /SYSV00000000 (deleted)",
		"7fa9ab296000-7fa9ab29a000 r--p 00000000 fe:00 10953061 /tmp/evil\\012name",
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]",
		"55fb1cb2a000-55fb1cb4b000 rw-p 00000000 00:00 0 [heap]",
	};
	static const char junk[] = "0123456789abcdefg-: \\\n\t()[]xwrps";
	unsigned seed = 12345;
	struct vasx_region r;
	char buf[128];

	for (int i = 0; i < 20000; i++) {
		const char *s = seeds[i % 4];
		size_t len = strlen(s);
		int err;

		memcpy(buf, s, len);
		for (int k = 0; k < 1 + i % 3; k++) {
			seed = seed * 1103515245u + 12345u;
			buf[(seed >> 8) % len] = junk[(seed >> 20) % (sizeof(junk) - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		if (seed & 0x10000)
			len = (seed >> 17) % (len + 1);
		err = vasx_maps_parse_line(buf, len, &r, *state);
		assert_true(err == 0 || err == -VASX_E_MALFORMED);
		if (!err) {
			assert_true(r.start <= r.last);
			assert_true(!r.name || strlen(r.name) <= 4096);
		}
	}
}

static FILE *memfile(const char *text, size_t len)
{
	FILE *f = fmemopen((void *)text, len, "r");

	assert_non_null(f);
	return f;
}

static void test_maps_read_counts_malformed(void **state)
{
	static const char text[] =
		"00400000-00401000 r-xp 00000000 fe:00 7 /bin/a\n"
		"garbage\n"
		"\n"
		"00401000-00402000 rw-p 00001000 fe:00 7 /bin/a\n"
		"2000-1000 r--p 0 00:00 0\n"
		"7ffd6c5e6000-7ffd6c607000 rw-p 00000000 00:00 0 [stack]";
	struct vasx_maps m = { 0 };
	FILE *f = memfile(text, sizeof(text) - 1);

	assert_int_equal(vasx_maps_read(f, &m, *state), 0);
	fclose(f);
	assert_int_equal(m.n, 3);
	assert_int_equal(m.malformed, 3);
	assert_true(m.v[1].start == 0x401000 && m.v[1].offset == 0x1000);
	/* The last line had no newline and was still read. */
	assert_string_equal(m.v[2].name, "[stack]");
	vasx_maps_release(&m);
	assert_null(m.v);
	assert_int_equal(m.n, 0);
}

static void test_maps_read_appends(void **state)
{
	static const char one[] = "1000-2000 r--p 0 00:00 0\n";
	static const char two[] = "3000-4000 r--p 0 00:00 0\n5000-6000 r--p 0 00:00 0\n";
	struct vasx_maps m = { 0 };
	FILE *f = memfile(one, sizeof(one) - 1);

	assert_int_equal(vasx_maps_read(f, &m, *state), 0);
	fclose(f);
	f = memfile(two, sizeof(two) - 1);
	assert_int_equal(vasx_maps_read(f, &m, *state), 0);
	fclose(f);
	assert_int_equal(m.n, 3);
	assert_true(m.v[0].start == 0x1000 && m.v[2].start == 0x5000);
	vasx_maps_release(&m);
}

/*
 * Many lines across many read blocks; a line of 100 KB (a path from
 * directories nested 400 deep, as the kernel prints it) is read whole, and
 * one longer than the reader's limit of 1 MiB is skipped and counted.
 */
static void test_maps_read_large(void **state)
{
	size_t n = 50000, big = 100000, huge = 2 * 1024 * 1024;
	size_t cap = n * 80 + big + huge + 400, len = 0;
	char *text = malloc(cap);
	struct vasx_maps m = { 0 };
	FILE *f;

	assert_non_null(text);
	for (size_t i = 0; i < n; i++) {
		len += (size_t)sprintf(text + len, "%012zx-%012zx r--p %08zx fe:00 %zu /lib/l%zu.so\n",
				       i * 0x2000, i * 0x2000 + 0x1000, i, i, i % 97);
		if (i != 777 && i != 888)
			continue;
		/* between this line's mapping and the next one's */
		len += (size_t)sprintf(text + len, "%012zx-%012zx rw-p 0 00:00 0 /",
				       i * 0x2000 + 0x1000, i * 0x2000 + 0x2000);
		memset(text + len, i == 777 ? 'x' : 'y', i == 777 ? big : huge);
		len += i == 777 ? big : huge;
		text[len++] = '\n';
	}
	f = memfile(text, len);
	assert_int_equal(vasx_maps_read(f, &m, *state), 0);
	fclose(f);
	assert_int_equal(m.n, n + 1);
	assert_int_equal(m.malformed, 1);
	for (size_t i = 0, k = 0; i < n; i++, k++) {
		char want[32];

		assert_true(m.v[k].start == i * 0x2000);
		assert_true(m.v[k].inode == i && m.v[k].offset == i);
		snprintf(want, sizeof(want), "/lib/l%zu.so", i % 97);
		assert_string_equal(m.v[k].name, want);
		if (i == 777) {
			k++;
			assert_true(m.v[k].start == i * 0x2000 + 0x1000);
			assert_int_equal(strlen(m.v[k].name), big + 1);
			assert_int_equal(m.v[k].name[big], 'x');
		}
	}
	vasx_maps_release(&m);
	free(text);
}

static size_t count_lines(FILE *f)
{
	size_t n = 0;
	int c;

	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	rewind(f);
	return n;
}

/* The region named @name; a missing one fails the test. */
static const struct vasx_region *find_name(const struct vasx_maps *m, const char *name)
{
	static const struct vasx_region none;

	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].name && strcmp(m->v[i].name, name) == 0)
			return &m->v[i];
	fail_msg("no region named \"%s\"", name);
	return &none;
}

static void test_maps_fixture_live(void **state)
{
	struct vasx_maps m = { 0 };
	FILE *f = test_fixture("parsers/live/6404/maps");
	const struct vasx_region *r;
	size_t lines = count_lines(f);

	assert_int_equal(vasx_maps_read(f, &m, *state), 0);
	fclose(f);
	assert_int_equal(m.n, lines);
	assert_int_equal(m.malformed, 0);
	for (size_t i = 1; i < m.n; i++)
		assert_true(m.v[i - 1].last < m.v[i].start);
	r = find_name(&m, "/tmp/vasx-testproc.gkzrlb/\033[31mevil\nname");
	assert_true(r->start == 0x7fa9ab296000ULL && r->last == 0x7fa9ab299fffULL);
	r = find_name(&m, "/tmp/vasx-testproc.gkzrlb/deleted.dat");
	assert_true(r->flags & VASX_F_DELETED);
	r = find_name(&m, "/tmp/vasx-testproc.gkzrlb/file with spaces.dat");
	r = find_name(&m, "/SYSV00000000");
	assert_false(r->flags & VASX_F_DELETED);
	r = find_name(&m, "[vsyscall]");
	assert_int_equal(r->space, VASX_SPACE_KERNEL);
	r = find_name(&m, "[vvar_vclock]");
	assert_true(r->flags & VASX_F_SPECIAL);
	vasx_maps_release(&m);
}

static void test_maps_fixture_hostile(void **state)
{
	/* pid, good lines, malformed lines (see tests/fixtures/README.md) */
	static const struct { const char *path; size_t good, bad; } cases[] = {
		{ "hostile/1001/maps", 3, 6 },
		{ "hostile/1002/maps", 5, 0 },
		{ "hostile/1003/maps", 3, 11 },
		{ "hostile/1004/maps", 3, 2 },
		{ "hostile/1007/maps", 6, 4 },
		{ "hostile/1008/maps", 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vasx_maps m = { 0 };
		FILE *f = test_fixture(cases[i].path);

		assert_int_equal(vasx_maps_read(f, &m, *state), 0);
		fclose(f);
		if (m.n != cases[i].good || m.malformed != cases[i].bad)
			fail_msg("%s: %zu good %zu malformed", cases[i].path, m.n, m.malformed);
		vasx_maps_release(&m);
	}
}

static void test_maps_fixture_escapes(void **state)
{
	struct vasx_maps m = { 0 };
	FILE *f = test_fixture("hostile/1005/maps");
	const struct vasx_region *r;

	assert_int_equal(vasx_maps_read(f, &m, *state), 0);
	fclose(f);
	assert_int_equal(m.malformed, 0);
	assert_int_equal(m.n, 13);
	find_name(&m, "/tmp/\033[2J\033[Hcleared");
	find_name(&m, "/tmp/new\nline");
	find_name(&m, "/tmp/tab\there");
	find_name(&m, "/tmp/bad\xff\xfeutf8");
	r = find_name(&m, "/tmp/a (deleted)");
	assert_true(r->flags & VASX_F_DELETED);
	r = find_name(&m, "[anon:\033[5mblink]");
	assert_true(r->flags & VASX_F_SPECIAL);
	vasx_maps_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maps_all_fields),
		cmocka_unit_test(test_maps_wide_fields),
		cmocka_unit_test(test_maps_no_name),
		cmocka_unit_test(test_maps_spaces_in_path),
		cmocka_unit_test(test_maps_deleted),
		cmocka_unit_test(test_maps_shmem_pseudo_files),
		cmocka_unit_test(test_maps_special_names),
		cmocka_unit_test(test_maps_vsyscall_is_kernel),
		cmocka_unit_test(test_maps_escaped_newline),
		cmocka_unit_test(test_maps_security_flags),
		cmocka_unit_test(test_maps_malformed),
		cmocka_unit_test(test_maps_hex_widths),
		cmocka_unit_test(test_maps_every_prefix),
		cmocka_unit_test(test_maps_path_length_limit),
		cmocka_unit_test(test_maps_interned_once),
		cmocka_unit_test(test_maps_mutations),
		cmocka_unit_test(test_maps_read_counts_malformed),
		cmocka_unit_test(test_maps_read_appends),
		cmocka_unit_test(test_maps_read_large),
		cmocka_unit_test(test_maps_fixture_live),
		cmocka_unit_test(test_maps_fixture_hostile),
		cmocka_unit_test(test_maps_fixture_escapes),
	};

	return cmocka_run_group_tests(tests, setup_pool, teardown_pool);
}
