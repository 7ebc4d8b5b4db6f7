/* SPDX-License-Identifier: MIT */
#include "errno.h"
#include "utf8.h"

size_t utf8_put(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static uint32_t unit_at(const uint8_t *p, size_t i, enum utf16_order order)
{
	return order == UTF16_LE ? get_le16(p + 2 * i) : (uint32_t)p[2 * i] << 8 | p[2 * i + 1];
}

uint32_t utf16_next(const void *in, size_t units, size_t *i, enum utf16_order order)
{
	uint32_t c = unit_at(in, *i, order);
	(*i)++;
	if (c < 0xd800 || c > 0xdfff)
		return c;
	if (c < 0xdc00 && *i < units) {
		uint32_t lo = unit_at(in, *i, order);
		if (lo >= 0xdc00 && lo <= 0xdfff) {
			(*i)++;
			return 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
		}
	}
	return UTF8_REPLACEMENT_CHAR;
}

int utf16_to_utf8(const void *in, size_t units, enum utf16_order order, char *out, size_t size)
{
	size_t len = 0;
	int rc = 0;
	for (size_t i = 0; i < units;) {
		uint32_t c = utf16_next(in, units, &i, order);
		char enc[4];
		if (!c)
			break;
		size_t n = utf8_put(enc, c);
		if (n >= size - len) {
			rc = -E2BIG;
			break;
		}
		memcpy(out + len, enc, n);
		len += n;
	}
	out[len] = 0;
	return rc ? rc : (int)len;
}
