/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Formatting shared by every consumer: sizes, addresses, safe names.
 */
#ifndef VASX_FMT_H
#define VASX_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "4.00 KB", "18.23 TB", "16.00 EB" (binary multiples, as procmap). */
char *vasx_fmt_size(uint64_t bytes, char *buf, size_t len);
/* "0x00007ffd12345000"; for an inclusive last, vasx_fmt_end prints last+1
 * ("0x10000000000000000" at the top). */
char *vasx_fmt_addr(uint64_t a, char *buf, size_t len);
char *vasx_fmt_end(uint64_t last, char *buf, size_t len);

/*
 * Copy @s for display on a terminal: control characters, DEL, C1 controls,
 * bidirectional controls (U+202E...), invisible characters (U+200B, U+FEFF,
 * U+2028...) and invalid UTF-8 become \xNN per byte, backslash becomes
 * \\ . Always NUL-terminates; truncates at @len, never inside an escape
 * or a character.
 */
char *vasx_fmt_escape(const char *s, char *buf, size_t len);
/*
 * With @on, vasx_fmt_escape() escapes every byte above ASCII too: for a
 * terminal that is not UTF-8, where one that honours 8-bit controls takes
 * the 0x9b inside "\xc3\x9b" for CSI.
 */
void vasx_fmt_set_ascii(bool on);

/*
 * Parse an address: "0x7ffd...", "7ffd..." (hex: addresses are hex, as in
 * maps, even when they happen to hold no letter), or with @dec_ok "#12345"
 * (decimal). 0 or -VASX_E_BADADDR.
 */
int vasx_parse_addr(const char *s, int dec_ok, uint64_t *out);

#endif
