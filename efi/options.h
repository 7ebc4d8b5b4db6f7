/* SPDX-License-Identifier: MIT */
/*
 * The loader's own options as one ASCII string of space-separated words
 * ("poweroff ..."), from the LoadedImage LoadOptions (UCS-2) or from a
 * text file. Pure code: options.c makes no firmware calls.
 */
#ifndef PVHBOOT_EFI_OPTIONS_H
#define PVHBOOT_EFI_OPTIONS_H

#include "core/lib.h"

/* Longest option string kept, terminating NUL included. */
#define EFI_OPTIONS_MAX 1024

/*
 * efi_options_from_ucs2() - convert @size bytes of UCS-2 LoadOptions at
 * @data (any alignment) into ASCII in @out, stopping at the first NUL.
 * Tabs, CR and LF become spaces, and surrounding spaces are trimmed.
 * Returns 0 (empty output for no options), -EILSEQ when the bytes are not
 * ASCII text (an odd size, a control or non-ASCII character: boot manager
 * entries may carry binary data, e.g. EDK2 tags its auto-created entries
 * with a GUID), or -E2BIG when the text does not fit @out_size.
 */
int efi_options_from_ucs2(const void *data, uint64_t size, char *out, size_t out_size);

/*
 * efi_options_from_text() - the same for @len bytes of ASCII text, such as
 * an options file; a leading UTF-8 byte order mark is skipped.
 */
int efi_options_from_text(const void *data, uint64_t len, char *out, size_t out_size);

/*
 * options_has_word() - true when @word is one of the words of @opts, split
 * at spaces outside quotes and only up to a " -- ", as config/options.c
 * reads them: in `append="x poweroff" -- poweroff` there is no "poweroff".
 */
bool options_has_word(const char *opts, const char *word);

/*
 * options_value() - the value of the word "@key=VALUE" in @opts (same
 * splitting; quotes around the whole value removed) into @out. Returns 0,
 * -ENOENT when there is no such word, -E2BIG when the value does not fit
 * @size bytes (@out is then empty).
 */
int options_value(const char *opts, const char *key, char *out, size_t size);

#endif
