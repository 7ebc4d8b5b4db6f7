/* SPDX-License-Identifier: MIT */
#include "termsafe.h"

/* The length of the well-formed UTF-8 sequence at @p (RFC 3629 §4), or 0. */
static size_t utf8_len(const uint8_t *p, uint32_t *cp)
{
	static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
	if (!n || p[0] > 0xf4)
		return 0;
	uint32_t c = p[0] & (0x7fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		c = c << 6 | (p[i] & 0x3fu);
	}
	if (c < min_cp[n] || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

size_t term_sanitize(char *s)
{
	uint8_t *in = (uint8_t *)s, *out = (uint8_t *)s;
	while (*in) {
		uint8_t c = *in;
		if (c < 0x80) {
			*out++ = c == '\t' ? ' ' : c < 0x20 || c == 0x7f ? '?' : c;
			in++;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_len(in, &cp);
		if (!n || cp <= 0x9f) { /* malformed, or a C1 control */
			*out++ = '?';
			in += n ? n : 1;
			continue;
		}
		memmove(out, in, n);
		out += n;
		in += n;
	}
	*out = 0;
	return (size_t)(out - (uint8_t *)s);
}
