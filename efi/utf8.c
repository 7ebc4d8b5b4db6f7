/* SPDX-License-Identifier: MIT */
/* UTF-8 as in RFC 3629 §3-4: at most 4 bytes, no overlongs, no surrogates. */
#include "utf8.h"
#include "core/errno.h"
#include "core/utf8.h"

/* The smallest code point each sequence length may encode (no overlongs). */
static const uint32_t min_for_len[5] = { 0, 0, 0x80, 0x800, 0x10000 };

static uint16_t finish(const struct utf8_decoder *d)
{
	uint32_t cp = d->cp;
	if (cp < min_for_len[d->len] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0xffff)
		return UTF8_REPLACEMENT;
	return (uint16_t)cp;
}

static unsigned start(struct utf8_decoder *d, uint8_t b, uint16_t *out)
{
	if (b < 0x80) {
		out[0] = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		d->len = 2;
		d->cp = b & 0x1fu;
	} else if (b >= 0xe0 && b <= 0xef) {
		d->len = 3;
		d->cp = b & 0x0fu;
	} else if (b >= 0xf0 && b <= 0xf4) {
		d->len = 4;
		d->cp = b & 0x07u;
	} else {
		/* A stray continuation byte, or a lead byte RFC 3629 forbids. */
		out[0] = UTF8_REPLACEMENT;
		return 1;
	}
	d->need = (uint8_t)(d->len - 1);
	return 0;
}

unsigned utf8_decode_byte(struct utf8_decoder *d, uint8_t b, uint16_t out[2])
{
	if (!d->need)
		return start(d, b, out);
	if ((b & 0xc0) != 0x80) {
		/* The sequence broke off: report it, then decode @b on its own. */
		d->need = 0;
		out[0] = UTF8_REPLACEMENT;
		return 1 + start(d, b, out + 1);
	}
	d->cp = d->cp << 6 | (b & 0x3fu);
	if (--d->need)
		return 0;
	out[0] = finish(d);
	return 1;
}

unsigned utf8_encode_ucs2(uint16_t ch, char out[3])
{
	/* A lone surrogate has no UTF-8 form (core/utf8.h's policy). */
	uint32_t c = ch >= 0xd800 && ch <= 0xdfff ? UTF8_REPLACEMENT_CHAR : ch;
	return (unsigned)utf8_put(out, c); /* at most 3 bytes below U+10000 */
}

size_t utf8_to_ucs2le(const char *s, void *out, size_t max)
{
	struct utf8_decoder d = { 0 };
	uint8_t *o = out;
	size_t n = 0;

	for (;; s++) {
		uint16_t ch[2];
		unsigned got = *s ? utf8_decode_byte(&d, (uint8_t)*s, ch) : 0;
		/* A sequence cut off by the end of the string is one bad character. */
		if (!*s && utf8_pending(&d))
			ch[got++] = UTF8_REPLACEMENT;
		if (!*s)
			ch[got++] = 0;
		for (unsigned k = 0; k < got; k++) {
			if (n == max)
				return 0;
			o[2 * n] = (uint8_t)ch[k];
			o[2 * n + 1] = (uint8_t)(ch[k] >> 8);
			n++;
		}
		if (!*s)
			return n;
	}
}

int ucs2le_to_utf8(const void *in, size_t units, char *out, size_t size)
{
	if (!size)
		return -E2BIG;
	int n = utf16_to_utf8(in, units, UTF16_LE, out, size);
	if (n < 0)
		out[0] = 0;
	return n < 0 ? n : 0;
}
