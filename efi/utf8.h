/* SPDX-License-Identifier: MIT */
/*
 * UTF-8 <-> UCS-2 for the firmware console, which speaks UCS-2 only
 * (UEFI 2.10 §12.4 OutputString: "Null-terminated string... UCS-2").
 * Pure code, no firmware calls.
 */
#ifndef PVHBOOT_EFI_UTF8_H
#define PVHBOOT_EFI_UTF8_H

#include "core/lib.h"
#include "core/utf8.h"

#define UTF8_REPLACEMENT UTF8_REPLACEMENT_CHAR

/* A decoder fed one byte at a time; zero-initialise to start. */
struct utf8_decoder {
	uint32_t cp;      /* code point being assembled */
	uint8_t need;     /* continuation bytes still expected */
	uint8_t len;      /* total length of the current sequence */
};

/*
 * utf8_decode_byte() - feed @b; writes 0, 1 or 2 UCS-2 characters to @out
 * and returns how many. Anything UCS-2 cannot carry becomes U+FFFD: invalid
 * or overlong sequences, surrogates, and code points above U+FFFF. A broken
 * sequence yields U+FFFD and @b is then decoded afresh, so one bad byte never
 * swallows the good one after it.
 */
unsigned utf8_decode_byte(struct utf8_decoder *d, uint8_t b, uint16_t out[2]);

/* True while a multi-byte sequence is incomplete. */
static inline bool utf8_pending(const struct utf8_decoder *d)
{
	return d->need != 0;
}

/* Encode a UCS-2 character as 1 to 3 UTF-8 bytes; returns the count. */
unsigned utf8_encode_ucs2(uint16_t ch, char out[3]);

/*
 * utf8_to_ucs2le() - convert the string @s into little-endian UCS-2 at
 * @out (any alignment), at most @max units including the terminating NUL.
 * Returns the units written, NUL included, or 0 when it does not fit.
 */
size_t utf8_to_ucs2le(const char *s, void *out, size_t max);

/*
 * ucs2le_to_utf8() - convert @units UTF-16LE units at @in (any alignment) up
 * to the first NUL into the string @out of @size bytes, with core/utf8.h's
 * surrogate policy (pairs joined, lone ones U+FFFD). Returns 0, or -E2BIG
 * when it does not fit (@out is then empty).
 */
int ucs2le_to_utf8(const void *in, size_t units, char *out, size_t size);

#endif
