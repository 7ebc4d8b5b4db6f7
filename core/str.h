/* SPDX-License-Identifier: MIT */
/*
 * String helpers every part of the loader needs once: copies and ASCII
 * case-insensitive comparison. Case folding here is ASCII only, on
 * purpose: config keywords, volume names and ISO 9660 d-characters are
 * ASCII, and a locale-free fold cannot differ between builds. (FAT's
 * long-name lookup folds more of Unicode; that table is FAT's own.)
 */
#ifndef PVHBOOT_CORE_STR_H
#define PVHBOOT_CORE_STR_H

#include "lib.h"

static inline char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
}

/* A malloc()ed copy of @s, or of its first @n bytes (NUL added); NULL on oom. */
char *str_dup(const char *s);
char *str_ndup(const char *s, size_t n);

/* The @n bytes at @a and at @b are equal but for ASCII case. */
bool mem_eq_nocase_n(const char *a, const char *b, size_t n);
/* The @n bytes at @a are the whole of the C string @word, but for ASCII case. */
bool mem_eq_nocase(const char *a, size_t n, const char *word);
bool str_eq_nocase(const char *a, const char *b);

bool str_ends_with(const char *s, const char *suffix);

#endif
