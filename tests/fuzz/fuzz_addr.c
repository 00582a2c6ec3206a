/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target: the bytes as an argument a person types (an address
 * for --locate and the explorer's jump, a pid list, --task addresses) and
 * as a name to show (escaped for the terminal, quoted for JSON and CSV).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/export.h"
#include "vasx/fmt.h"
#include "vasx/klayout.h"
#include "vasx/proc.h"
#include "vasx/status.h"
#include "check.h"

/* What parses prints back the same and parses again to the same value. */
static void check_addr(const char *s)
{
	char buf[32];
	uint64_t v, w;

	if (!vasx_parse_addr(s, 0, &v)) {
		if (vasx_parse_addr(s, 1, &w) || w != v)
			fz_fail("parse_addr", "an address that parses only without decimals");
		if (vasx_parse_addr(vasx_fmt_addr(v, buf, sizeof(buf)), 0, &w) || w != v)
			fz_fail("parse_addr", "a printed address does not parse back");
	}
	if (!vasx_parse_addr(s, 1, &v)) {
		snprintf(buf, sizeof(buf), "#%llu", (unsigned long long)v);
		if (vasx_parse_addr(buf, 1, &w) || w != v)
			fz_fail("parse_addr", "a printed decimal address does not parse back");
		vasx_fmt_size(v, buf, sizeof(buf));
		vasx_fmt_end(v, buf, sizeof(buf));
	}
}

static void check_pidlist(const char *s)
{
	size_t n;
	int *pids;

	if (vasx_parse_pidlist(s, &pids, &n))
		return;
	if (!n)
		fz_fail("pidlist", "an empty list accepted");
	for (size_t i = 0; i < n; i++)
		if (pids[i] <= 0)
			fz_fail("pidlist", "a pid not above 0");
	free(pids);
}

static void check_escape(const char *s, size_t size)
{
	static const size_t lens[] = { 1, 2, 5, 64, 4 * 4096 + 16 };
	static char buf[4 * 4096 + 16];

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(buf, 'Z', lens[i]);
		vasx_fmt_escape(s, buf, lens[i]);
		if (!memchr(buf, '\0', lens[i]))
			fz_fail("escape", "the output does not end within its buffer");
		fz_check_text("escape", buf, strlen(buf));
	}
	/* With room for all, nothing is lost: each byte gives at most four. */
	if (size <= 4096 && strlen(s) && !strlen(buf))
		fz_fail("escape", "a name escaped to nothing");
}

static void check_quote(const char *s)
{
	struct fz_out o;

	fz_out_open(&o);
	vasx_json_str(o.f, s);
	fz_out_close(&o);
	fz_check_json("json_str", o.buf, o.len);
	fz_out_free(&o);
	fz_out_open(&o);
	fputs("a,", o.f);
	vasx_csv_str(o.f, s);
	fputs("\nb,c\n", o.f);
	fz_out_close(&o);
	fz_check_csv("csv_str", o.buf, o.len);
	fz_out_free(&o);
}

/* A small task list to choose from by the typed addresses. */
static void check_select(const char *s)
{
	static const struct vasx_ktask t[] = {
		{ .pid = 0, .tgid = 0, .task = 0xffffffff82a0c940 },
		{ .pid = 1, .tgid = 1, .task = 0xffff888100a18000, .task_phys = 0x100a18000 },
		{ .pid = 42, .tgid = 42, .task = 0xffff888100a1c000, .task_phys = 0x100a1c000 },
		{ .pid = 43, .tgid = 42, .task = 0xffff888100a1e000, .task_phys = 0x100a1e000 },
	};
	const size_t n = sizeof(t) / sizeof(t[0]);
	size_t npids;
	int *pids, err;

	for (int k = 0; k < 3; k++) {
		err = vasx_ktasks_select(t, n, k == 0 ? s : NULL, k == 1 ? s : NULL,
					 k == 2 ? s : NULL, &pids, &npids);
		if (err == -ENOMEM)
			abort();
		if (err && (pids || npids))
			fz_fail("ktasks_select", "a failure that leaves pids behind");
		for (size_t i = 0; i < npids; i++)
			if (pids[i] != 1 && pids[i] != 42)
				fz_fail("ktasks_select", "a pid no task has");
		free(pids);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_strdup(data, size);

	check_addr(s);
	check_pidlist(s);
	check_escape(s, size);
	check_quote(s);
	check_select(s);
	free(s);
	return 0;
}
