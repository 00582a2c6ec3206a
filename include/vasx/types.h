/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The region: one range of the virtual address space. Mappings from
 * /proc/PID/maps, the gaps between them, the non-canonical hole and the
 * kernel's regions are all regions, so every consumer walks one array.
 */
#ifndef VASX_TYPES_H
#define VASX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VASX_NONE UINT32_MAX

/* X(id, name, description) — name is the stable word used in CSV/JSON. */
#define VASX_KIND_LIST(X) \
	X(GAP, "gap", "unmapped (sparse) region") \
	X(NULLTRAP, "null-trap", "below vm.mmap_min_addr: catches NULL dereferences") \
	X(HOLE, "non-canonical", "non-canonical hole: no address here is valid") \
	X(TEXT, "text", "program or library code") \
	X(RODATA, "rodata", "read-only data of a program or library") \
	X(DATA, "data", "initialised data of a program or library") \
	X(BSS, "bss", "zero-initialised data following a data segment") \
	X(HEAP, "heap", "the brk heap") \
	X(STACK, "stack", "the main thread's stack") \
	X(THREAD_STACK, "thread-stack", "a thread's stack") \
	X(VDSO, "vdso", "virtual dynamic shared object") \
	X(VVAR, "vvar", "kernel data read by the vDSO") \
	X(VSYSCALL, "vsyscall", "legacy vsyscall page") \
	X(ANON, "anon", "anonymous private memory") \
	X(FILE, "file", "private file mapping") \
	X(SHARED, "shared", "shared mapping") \
	X(SHM, "shm", "System V shared memory") \
	X(DELETED, "deleted", "mapping of a deleted file") \
	X(GUARD, "guard", "inaccessible guard region (---)") \
	X(KERNEL, "kernel", "kernel region") \
	X(KOBJECT, "kernel-object", "a kernel object of this process")

enum vasx_kind {
#define VASX_KIND_ENUM(id, name, desc) VASX_KIND_##id,
	VASX_KIND_LIST(VASX_KIND_ENUM)
#undef VASX_KIND_ENUM
	VASX_KIND_COUNT
};

const char *vasx_kind_name(enum vasx_kind kind);
const char *vasx_kind_desc(enum vasx_kind kind);
/* -1 when @name is not a kind's name. */
int vasx_kind_from_name(const char *name);

enum vasx_space {
	VASX_SPACE_USER,
	VASX_SPACE_HOLE,
	VASX_SPACE_KERNEL,
};

/* perms, as in the maps "rwxp" column */
#define VASX_P_READ	0x1u
#define VASX_P_WRITE	0x2u
#define VASX_P_EXEC	0x4u
#define VASX_P_SHARED	0x8u	/* 's' rather than 'p' */

/* flags */
#define VASX_F_MAPPING	0x0001u	/* a line of /proc/PID/maps */
#define VASX_F_WX	0x0002u	/* writable and executable */
#define VASX_F_EXEC_ANON 0x0004u	/* executable without a file behind it */
#define VASX_F_WFILE_EXEC 0x0008u	/* executable mapping of a file opened writable (shared, w) */
#define VASX_F_DELETED	0x0010u	/* backing file was deleted */
#define VASX_F_NOACCESS	0x0020u	/* "---": no permission at all */
#define VASX_F_APPROX	0x0040u	/* kernel region from a fixed table, not the live kernel */
#define VASX_F_SPECIAL	0x0080u	/* name is a kernel "[name]", not a path */

/*
 * 64 bytes: a snapshot holds one per mapping and gap, 60,000 and more of
 * them, so the small fields are packed. The device numbers are the
 * kernel's own widths (MAJOR 12 bits, MINOR 20 bits).
 */
struct vasx_region {
	uint64_t start;
	uint64_t last;		/* inclusive, so the top region can end at 2^64 - 1 */
	uint64_t offset;	/* file offset (maps) */
	uint64_t inode;
	const char *name;	/* path, [name], kernel key; NULL when none */
	const char *desc;	/* kernel regions: free text; NULL otherwise */
	uint32_t dev_major : 12;
	uint32_t dev_minor : 20;
	uint32_t smaps;		/* index into snapshot->smaps or VASX_NONE */
	int32_t tid;		/* THREAD_STACK/KOBJECT: the thread; else 0 */
	uint8_t flags;		/* VASX_F_* */
	uint8_t kind;		/* enum vasx_kind */
	uint8_t perms : 4;	/* VASX_P_* */
	uint8_t space : 4;	/* enum vasx_space */
	uint8_t depth;		/* 0: top level; n: nested inside a depth n-1 region */
};

#define VASX_DEV_MAJOR_MAX 0xfffu
#define VASX_DEV_MINOR_MAX 0xfffffu

static inline uint64_t vasx_region_size(const struct vasx_region *r)
{
	return r->last - r->start + 1;
}

static inline bool vasx_region_contains(const struct vasx_region *r, uint64_t a)
{
	return a >= r->start && a <= r->last;
}

/* "r-xp" into @buf (5 bytes). */
char *vasx_perms_str(unsigned perms, char buf[5]);

#endif
