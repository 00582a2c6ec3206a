/* SPDX-License-Identifier: GPL-2.0 */
/* Messages for the core's return values. */
#include <string.h>

#include "vasx/status.h"

static const char *const vasx_messages[] = {
#define VASX_STATUS_MSG(name, msg) [VASX_E_##name - VASX_E_BASE] = msg,
	VASX_STATUS_LIST(VASX_STATUS_MSG)
#undef VASX_STATUS_MSG
};

const char *vasx_strerror(int err)
{
	int code = err < 0 ? -err : err;

	if (code == 0)
		return "success";
	if (code > VASX_E_BASE && code < VASX_E_LAST_)
		return vasx_messages[code - VASX_E_BASE];
	return strerror(code);
}
