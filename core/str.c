/* SPDX-License-Identifier: MIT */
#include "str.h"

char *str_ndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

char *str_dup(const char *s)
{
	return str_ndup(s, strlen(s));
}

bool mem_eq_nocase_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return true;
}

bool mem_eq_nocase(const char *a, size_t n, const char *word)
{
	/* strnlen: @word may be shorter than @n, and must not be read past its NUL. */
	return strnlen(word, n + 1) == n && mem_eq_nocase_n(a, word, n);
}

bool str_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !memcmp(s + n - k, suffix, k);
}

bool str_eq_nocase(const char *a, const char *b)
{
	return mem_eq_nocase(a, strlen(a), b);
}
