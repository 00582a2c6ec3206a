/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What may be shown of a name as it is: one UTF-8 decoder and one list of
 * the characters that act on a terminal or hide on it, shared by the
 * terminal escaping, JSON and CSV. Internal to core/.
 */
#ifndef VASX_CORE_UTF8_H
#define VASX_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Length (1..4) of the well-formed UTF-8 sequence at @s, at most @n bytes,
 * its code point in *cp; 0 for anything RFC 3629 refuses (stray or
 * truncated bytes, overlong forms, surrogates, above U+10FFFF).
 */
size_t vasx_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/*
 * Controls (C0, DEL, C1), bidirectional controls, invisible format
 * characters and line or paragraph separators: a terminal acts on them or
 * they make one name look like another.
 */
bool vasx_utf8_hidden(uint32_t cp);

/* Does @cp take two columns (East Asian wide and fullwidth, emoji)? */
bool vasx_utf8_wide(uint32_t cp);

/* Bytes at @s that may be shown as they are (0: escape the byte at @s). */
size_t vasx_utf8_shown(const unsigned char *s, size_t n);

/*
 * The escaped form of what starts at @s (at most @n bytes) into @out: the
 * character itself when it may be shown, "\\\\" for a backslash, "\\xNN"
 * for any other byte. The bytes written (1..4); *used gets those of @s.
 */
size_t vasx_utf8_escape_one(const unsigned char *s, size_t n, char out[4], size_t *used);

#endif
