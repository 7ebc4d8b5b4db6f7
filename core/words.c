/* SPDX-License-Identifier: MIT */
#include "words.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

bool words_next(const char *s, size_t *pos, const char **word, size_t *len)
{
	const char *p = s + *pos;
	while (is_blank(*p))
		p++;
	if (!*p) {
		*pos = (size_t)(p - s);
		return false;
	}
	const char *end = p;
	char quote = 0;
	for (; *end && (quote || !is_blank(*end)); end++) {
		if (quote && *end == quote)
			quote = 0;
		else if (!quote && (*end == '"' || *end == '\''))
			quote = *end;
	}
	*word = p;
	*len = (size_t)(end - p);
	*pos = (size_t)(end - s);
	return true;
}

size_t words_unquote(const char *w, size_t len, char *out)
{
	size_t n = 0;
	char quote = 0;
	for (size_t i = 0; i < len; i++) {
		if (!quote && (w[i] == '"' || w[i] == '\''))
			quote = w[i];
		else if (quote && w[i] == quote)
			quote = 0;
		else
			out[n++] = w[i];
	}
	out[n] = 0;
	return n;
}
