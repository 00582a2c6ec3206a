/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Status codes of the core. Functions return 0 on success and a negative
 * value on failure: either -errno, or one of the -VASX_E_* codes below.
 * vasx_strerror() turns either kind into a short phrase.
 */
#ifndef VASX_STATUS_H
#define VASX_STATUS_H

#define VASX_E_BASE 4096

/* X(name, message) */
#define VASX_STATUS_LIST(X) \
	X(EXITED, "the process exited") \
	X(PIDREUSED, "the process exited and its pid was reused") \
	X(MALFORMED, "malformed input") \
	X(VERSION, "unknown format version") \
	X(NOMODULE, "the vasx module is not loaded") \
	X(NOMODBUILD, "no vasx module was built for this kernel") \
	X(NODEBUGFS, "debugfs is not mounted on /sys/kernel/debug") \
	X(SIGNATURE, "the kernel refused the module's signature (lockdown or Secure Boot)") \
	X(NOTROOT, "this needs root (CAP_SYS_ADMIN)") \
	X(TRUNCATED, "the file ended early") \
	X(BADADDR, "not an address") \
	X(BADREGEX, "invalid regular expression")

enum vasx_err {
	VASX_OK = 0,
#define VASX_STATUS_ENUM(name, msg) VASX_E_##name,
	VASX_E_FIRST_ = VASX_E_BASE,
	VASX_STATUS_LIST(VASX_STATUS_ENUM)
#undef VASX_STATUS_ENUM
	VASX_E_LAST_
};

/* Message for a return value of the core (0, -errno or -VASX_E_*). */
const char *vasx_strerror(int err);

#endif
