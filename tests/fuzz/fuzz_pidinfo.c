/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target: the bytes as /proc/PID/stat, as status and as a
 * thread's syscall file. Whatever they hold, the parsed names end within
 * their arrays and the numbers are the ones written.
 */
#include <stdlib.h>
#include <string.h>

#include "vasx/pidinfo.h"
#include "check.h"

static void check_stat(const char *buf, size_t len)
{
	const char *open, *close;
	struct vasx_stat st;
	size_t n;

	if (vasx_stat_parse(buf, len, &st))
		return;
	if (st.pid <= 0 || !memchr(st.comm, '\0', sizeof(st.comm)))
		fz_fail("stat", "a pid not above 0 or a name without its end");
	if (!((st.state >= 'A' && st.state <= 'Z') || (st.state >= 'a' && st.state <= 'z')))
		fz_fail("stat", "a state that is not a letter");
	/* The comm is what lies between the first '(' and the last ')'. */
	open = memchr(buf, '(', len);
	close = memrchr(buf, ')', len);
	n = (size_t)(close - open - 1);
	if (!memchr(buf, '\0', len) && strlen(st.comm) != (n < sizeof(st.comm) ? n : sizeof(st.comm) - 1))
		fz_fail("stat", "the name is not what lies between the parentheses");
}

static void check_status(const char *buf, size_t len)
{
	struct vasx_status st;

	if (vasx_status_parse(buf, len, &st))
		return;
	if (!memchr(st.name, '\0', sizeof(st.name)))
		fz_fail("status", "a name without its end");
	if (st.present >> VASX_ST_COUNT)
		fz_fail("status", "a field present that the table lacks");
}

/* The stack pointer is the second-to-last number, "0x" and hex. */
static void check_syscall(const char *buf, size_t len)
{
	uint64_t sp;
	const char *p, *tok;
	char *end;

	if (vasx_syscall_parse_sp(buf, len, &sp) || !sp)
		return;
	p = buf + len;
	while (p > buf && (p[-1] == '\n' || p[-1] == ' '))
		p--;
	while (p > buf && p[-1] != ' ')	/* pc */
		p--;
	while (p > buf && p[-1] == ' ')
		p--;
	tok = p;
	while (tok > buf && tok[-1] != ' ')
		tok--;
	if (strtoull(tok, &end, 16) != sp || end != p)
		fz_fail("syscall", "the stack pointer is not the second-to-last number");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fz_strdup(data, size);

	check_stat(buf, size);
	check_status(buf, size);
	check_syscall(buf, size);
	free(buf);
	return 0;
}
