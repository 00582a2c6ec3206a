/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/PID/maps lines into regions. The kernel writes
 *   "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu " then pads and adds the name,
 * a path (newlines escaped as "\012", " (deleted)" appended when unlinked)
 * or a "[name]" of its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/maps.h"
#include "vasx/status.h"
#include "vasx/strpool.h"
#include "lines.h"

/*
 * d_path() is not bound by PATH_MAX: a file reached through deep relative
 * directories shows its whole path, up to the line reader's limit
 * (VASX_LINES_MAX). Names up to PATH_MAX decode on the stack.
 */
#define MAPS_NAME_MAX VASX_LINES_MAX
#define MAPS_NAME_STACK 4096
#define DELETED_SUFFIX " (deleted)"
#define DELETED_LEN (sizeof(DELETED_SUFFIX) - 1)

static bool has_prefix(const char *s, size_t len, const char *prefix, size_t plen)
{
	return len >= plen && memcmp(s, prefix, plen) == 0;
}

#define PREFIX(s, len, lit) has_prefix(s, len, lit, sizeof(lit) - 1)

static bool is_sysv_shm(const char *s, size_t len)
{
	if (len != 13 || !PREFIX(s, len, "/SYSV"))
		return false;
	for (size_t i = 5; i < len; i++)
		if (vasx_hexdigit((unsigned char)s[i]) < 0)
			return false;
	return true;
}

/*
 * Files of the kernel's internal shmem and hugetlbfs mounts: always
 * unlinked, so always "(deleted)", yet never a file someone removed from a
 * disk. MAP_HUGETLB anonymous memory, shared or private, is /anon_hugepage.
 */
static bool is_shmem_pseudo(const char *s, size_t len)
{
	return is_sysv_shm(s, len) || PREFIX(s, len, "/memfd:") ||
	       (len == 9 && memcmp(s, "/dev/zero", 9) == 0) ||
	       (len == 14 && memcmp(s, "/anon_hugepage", 14) == 0);
}

/* Memory with no file behind it, as opposed to the kernel's own code pages. */
static bool is_anon_name(const char *s, size_t len)
{
	return len == 0 || PREFIX(s, len, "[anon:") || PREFIX(s, len, "[anon_shmem:") ||
	       PREFIX(s, len, "[heap]") || PREFIX(s, len, "[stack");
}

static unsigned parse_perms(struct vasx_scan *sc)
{
	const char *p = sc->p;
	unsigned perms = 0;

	if (sc->bad || sc->end - p < 4) {
		sc->bad = true;
		return 0;
	}
	if (p[0] == 'r')
		perms |= VASX_P_READ;
	else if (p[0] != '-')
		sc->bad = true;
	if (p[1] == 'w')
		perms |= VASX_P_WRITE;
	else if (p[1] != '-')
		sc->bad = true;
	if (p[2] == 'x')
		perms |= VASX_P_EXEC;
	else if (p[2] != '-')
		sc->bad = true;
	if (p[3] == 's')
		perms |= VASX_P_SHARED;
	else if (p[3] != 'p')
		sc->bad = true;
	sc->p += 4;
	return perms;
}

/*
 * Decode the kernel's "\012" into @out, which holds @len bytes: decoding
 * never lengthens a name. Only the newline is escaped (seq_file_path(...,
 * "\n")), so any other backslash is a backslash of the name. The decoded
 * length.
 */
static size_t unescape_name(const char *s, size_t len, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && len - i >= 4 && memcmp(s + i + 1, "012", 3) == 0) {
			out[n++] = '\n';
			i += 3;
		} else {
			out[n++] = s[i];
		}
	}
	return n;
}

static uint8_t name_flags(const char *s, size_t len, unsigned perms, bool deleted)
{
	bool special = len >= 2 && s[0] == '[' && s[len - 1] == ']';
	uint8_t flags = 0;

	if (special)
		flags |= VASX_F_SPECIAL;
	if (deleted && !is_shmem_pseudo(s, len))
		flags |= VASX_F_DELETED;
	if (!(perms & VASX_P_EXEC))
		return flags;
	if (is_anon_name(s, len) || (deleted && is_shmem_pseudo(s, len) &&
				     !PREFIX(s, len, "/memfd:")))
		flags |= VASX_F_EXEC_ANON;
	else if (!special && (perms & VASX_P_SHARED) && (perms & VASX_P_WRITE))
		flags |= VASX_F_WFILE_EXEC;
	return flags;
}

/* Strip, decode and intern the name; set the flags that follow from it. */
static int parse_name(const char *s, size_t len, struct vasx_region *r,
		      struct vasx_strpool *pool)
{
	char stack[MAPS_NAME_STACK], *buf = NULL;
	bool deleted = false;
	int err = 0;

	if (len >= DELETED_LEN && memcmp(s + len - DELETED_LEN, DELETED_SUFFIX, DELETED_LEN) == 0) {
		len -= DELETED_LEN;
		deleted = true;
	}
	if (len > MAPS_NAME_MAX || memchr(s, '\0', len))
		return -VASX_E_MALFORMED;
	if (memchr(s, '\\', len)) {
		buf = len <= sizeof(stack) ? stack : malloc(len);
		if (!buf)
			return -ENOMEM;
		len = unescape_name(s, len, buf);
		s = buf;
	}
	r->flags |= name_flags(s, len, r->perms, deleted);
	if (len && pool) {
		r->name = vasx_strpool_intern(pool, s, len);
		if (!r->name)
			err = -ENOMEM;
	}
	if (buf != stack)
		free(buf);
	return err;
}

int vasx_maps_parse_line(const char *line, size_t len, struct vasx_region *r,
			 struct vasx_strpool *pool)
{
	struct vasx_scan sc = { line, line + len, false };
	uint64_t start, end, major, minor;

	if (len && line[len - 1] == '\n')
		sc.end--;
	memset(r, 0, sizeof(*r));
	r->smaps = VASX_NONE;

	start = vasx_scan_hex(&sc, 16);
	vasx_scan_char(&sc, '-');
	end = vasx_scan_hex(&sc, 16);
	vasx_scan_char(&sc, ' ');
	r->perms = (uint8_t)parse_perms(&sc);
	vasx_scan_char(&sc, ' ');
	r->offset = vasx_scan_hex(&sc, 16);
	vasx_scan_char(&sc, ' ');
	major = vasx_scan_hex(&sc, 8);
	vasx_scan_char(&sc, ':');
	minor = vasx_scan_hex(&sc, 8);
	vasx_scan_char(&sc, ' ');
	r->inode = vasx_scan_dec(&sc);
	/* The kernel's device numbers are 12 and 20 bits wide. */
	if (sc.bad || start >= end || major > VASX_DEV_MAJOR_MAX || minor > VASX_DEV_MINOR_MAX)
		return -VASX_E_MALFORMED;
	r->dev_major = (uint32_t)major;
	r->dev_minor = (uint32_t)minor;
	/* The inode ends the line or is followed by blanks (and a name). */
	if (sc.p < sc.end && *sc.p != ' ')
		return -VASX_E_MALFORMED;
	vasx_scan_blanks(&sc);

	r->start = start;
	r->last = end - 1;
	r->space = (start >> 63) ? VASX_SPACE_KERNEL : VASX_SPACE_USER;
	r->flags = VASX_F_MAPPING;
	if ((r->perms & (VASX_P_WRITE | VASX_P_EXEC)) == (VASX_P_WRITE | VASX_P_EXEC))
		r->flags |= VASX_F_WX;
	if (!(r->perms & (VASX_P_READ | VASX_P_WRITE | VASX_P_EXEC)))
		r->flags |= VASX_F_NOACCESS;
	return parse_name(sc.p, (size_t)(sc.end - sc.p), r, pool);
}

/* Room for one more region. NULL when out of memory. */
static struct vasx_region *maps_slot(struct vasx_maps *m)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		struct vasx_region *v = realloc(m->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		m->v = v;
		m->cap = cap;
	}
	return &m->v[m->n];
}

int vasx_maps_read(FILE *f, struct vasx_maps *m, struct vasx_strpool *pool)
{
	struct vasx_lines lr;
	const char *line;
	size_t len;
	int rc, err;

	err = vasx_lines_open(&lr, f);
	if (err)
		return err;
	while ((rc = vasx_lines_next(&lr, &line, &len)) > 0) {
		struct vasx_region *r;

		if (rc == VASX_LINE_LONG) {
			m->malformed++;
			continue;
		}
		r = maps_slot(m);
		if (!r) {
			rc = -ENOMEM;
			break;
		}
		err = vasx_maps_parse_line(line, len, r, pool);
		if (err == -ENOMEM) {
			rc = err;
			break;
		}
		if (err)
			m->malformed++;
		else
			m->n++;
	}
	vasx_lines_close(&lr);
	return rc < 0 ? rc : 0;
}

void vasx_maps_release(struct vasx_maps *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}
