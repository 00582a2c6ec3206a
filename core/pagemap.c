/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page residency from /proc/PID/pagemap (one 64-bit entry per page, see
 * Documentation/admin-guide/mm/pagemap.rst) and, when readable (root),
 * /proc/kpageflags for what the kernel knows of each physical page.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "vasx/source.h"
#include "vasx/vas.h"

#define PM_PRESENT	(1ull << 63)
#define PM_SWAPPED	(1ull << 62)
#define PM_FILE		(1ull << 61)
#define PM_EXCLUSIVE	(1ull << 56)
#define PM_SOFTDIRTY	(1ull << 55)
#define PM_PFN_MASK	((1ull << 55) - 1)

static int pread_full(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + (off_t)done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

static void add_kflags(struct vasx_source *src, struct vasx_page *out, size_t n)
{
	int fd;

	if (src->ops->open_fd(src, 0, "kpageflags", &fd))
		return;
	for (size_t i = 0; i < n; i++) {
		uint64_t kf;

		if (!out[i].pfn)
			continue;
		if (pread_full(fd, &kf, sizeof(kf), (off_t)(out[i].pfn * sizeof(kf))))
			break;
		out[i].kflags = kf;
		out[i].flags |= VASX_PG_HAVE_KFLAGS;
	}
	close(fd);
}

int vasx_pagemap_read(struct vasx_source *src, int pid, uint64_t addr, size_t npages,
		      struct vasx_page *out)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t *raw;
	bool any_pfn = false;
	int fd, err;

	if (!npages)
		return 0;
	raw = malloc(npages * sizeof(*raw));
	if (!raw)
		return -ENOMEM;
	err = src->ops->open_fd(src, pid, "pagemap", &fd);
	if (err) {
		free(raw);
		return err;
	}
	err = pread_full(fd, raw, npages * sizeof(*raw),
			 (off_t)(addr / (uint64_t)psz * sizeof(*raw)));
	close(fd);
	for (size_t i = 0; !err && i < npages; i++) {
		uint64_t e = raw[i];

		out[i].flags = (uint8_t)((e & PM_PRESENT ? VASX_PG_PRESENT : 0) |
					 (e & PM_SWAPPED ? VASX_PG_SWAPPED : 0) |
					 (e & PM_FILE ? VASX_PG_FILE : 0) |
					 (e & PM_SOFTDIRTY ? VASX_PG_SOFTDIRTY : 0) |
					 (e & PM_EXCLUSIVE ? VASX_PG_EXCLUSIVE : 0));
		out[i].pfn = e & PM_PRESENT ? e & PM_PFN_MASK : 0;
		out[i].kflags = 0;
		any_pfn |= out[i].pfn != 0;
	}
	free(raw);
	if (!err && any_pfn)
		add_kflags(src, out, npages);
	return err;
}
