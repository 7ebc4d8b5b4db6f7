/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_CORE_UTF8_H
#define PVHBOOT_CORE_UTF8_H

#include "lib.h"

/* Encode code point @c (at most U+10FFFF) at @out; returns 1 to 4 bytes written. */
size_t utf8_put(char *out, uint32_t c);

#define UTF8_REPLACEMENT_CHAR 0xfffdu

/*
 * UTF-16 as found on disk and in firmware: GPT partition names and FAT
 * long names (little-endian), Joliet names (big-endian), UEFI variables.
 *
 * The lone-surrogate policy, the same everywhere: a high surrogate
 * (D800-DBFF) directly followed by a low one (DC00-DFFF) is one code point
 * above U+FFFF; any other surrogate unit, high or low, becomes U+FFFD, and
 * the unit after a lone high surrogate is decoded on its own. UTF-8 has no
 * encoding for a surrogate (RFC 3629 §3), so passing one through would make
 * text that no UTF-8 reader accepts.
 */
enum utf16_order { UTF16_LE, UTF16_BE };

/* The code point at unit *@i of the @units at @in (any alignment); advances *@i. */
uint32_t utf16_next(const void *in, size_t units, size_t *i, enum utf16_order order);

/*
 * utf16_to_utf8() - convert @units units at @in up to the first NUL unit
 * into the C string @out of @size (> 0) bytes. Returns the bytes written
 * (NUL not counted), or -E2BIG when the text did not fit: @out then holds
 * the whole characters that did.
 */
int utf16_to_utf8(const void *in, size_t units, enum utf16_order order, char *out, size_t size);

#endif
