/* SPDX-License-Identifier: GPL-2.0 */
/* Names of kinds and perms. */
#include <string.h>

#include "vasx/types.h"

static const char *const kind_names[] = {
#define VASX_KIND_NAME(id, name, desc) [VASX_KIND_##id] = name,
	VASX_KIND_LIST(VASX_KIND_NAME)
#undef VASX_KIND_NAME
};

static const char *const kind_descs[] = {
#define VASX_KIND_DESC(id, name, desc) [VASX_KIND_##id] = desc,
	VASX_KIND_LIST(VASX_KIND_DESC)
#undef VASX_KIND_DESC
};

const char *vasx_kind_name(enum vasx_kind kind)
{
	return (unsigned)kind < VASX_KIND_COUNT ? kind_names[kind] : "?";
}

const char *vasx_kind_desc(enum vasx_kind kind)
{
	return (unsigned)kind < VASX_KIND_COUNT ? kind_descs[kind] : "?";
}

int vasx_kind_from_name(const char *name)
{
	for (int i = 0; i < VASX_KIND_COUNT; i++)
		if (strcmp(kind_names[i], name) == 0)
			return i;
	return -1;
}

char *vasx_perms_str(unsigned perms, char buf[5])
{
	buf[0] = perms & VASX_P_READ ? 'r' : '-';
	buf[1] = perms & VASX_P_WRITE ? 'w' : '-';
	buf[2] = perms & VASX_P_EXEC ? 'x' : '-';
	buf[3] = perms & VASX_P_SHARED ? 's' : 'p';
	buf[4] = '\0';
	return buf;
}
