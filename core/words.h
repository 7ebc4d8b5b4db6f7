/* SPDX-License-Identifier: MIT */
/*
 * Splitting an option string into words, the one way the loader's command
 * line (boot/options.c) and the EFI LoadOptions (efi/options.c) both do
 * it: words end at a space or tab outside quotes; '...' and "..." quote,
 * with no escapes inside (so append="a b" is one word).
 */
#ifndef PVHBOOT_CORE_WORDS_H
#define PVHBOOT_CORE_WORDS_H

#include "lib.h"

/*
 * words_next() - the next word of @s at or after *@pos: *@word and *@len
 * are its bytes, quotes included; *@pos moves past it. False at the end.
 */
bool words_next(const char *s, size_t *pos, const char **word, size_t *len);

/*
 * words_unquote() - the @len bytes at @w with their quote characters
 * removed, into @out (at least @len + 1 bytes), NUL-terminated. Returns
 * the length written.
 */
size_t words_unquote(const char *w, size_t len, char *out);

#endif
