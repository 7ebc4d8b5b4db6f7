/* SPDX-License-Identifier: MIT */
/*
 * Hand-made multiboot2 headers for the unit test and the fuzz seeds: a
 * header at a chosen offset, tags appended one by one (each padded to 8),
 * then the end tag, with header_length and checksum fixed up. Host only.
 */
#ifndef PVHBOOT_TESTS_MB2IMG_H
#define PVHBOOT_TESTS_MB2IMG_H

#include "../../include/abi/multiboot2.h"
#include "testimg.h"

/* Start a header at @hoff (the buffer is zero-padded up to it). */
static inline void mb2img_begin(struct tbuf *b, size_t hoff)
{
	if (b->len < hoff)
		tbuf_zero(b, hoff - b->len);
	tbuf_le32(b, MB2_HEADER_MAGIC);
	tbuf_le32(b, MB2_ARCH_I386);
	tbuf_le32(b, 0); /* header_length, set by mb2img_end() */
	tbuf_le32(b, 0); /* checksum */
}

/* A tag with @n u32 fields; @size 0 means the natural 8 + 4 * n. */
static inline void mb2img_tag(struct tbuf *b, uint16_t type, uint16_t flags, uint32_t size,
			      const uint32_t *fields, unsigned n)
{
	tbuf_le16(b, type);
	tbuf_le16(b, flags);
	tbuf_le32(b, size ? size : 8 + 4 * n);
	for (unsigned i = 0; i < n; i++)
		tbuf_le32(b, fields[i]);
	while (b->len % MB2_TAG_ALIGN)
		tbuf_zero(b, 1);
}

/* The end tag, then header_length and checksum for the header at @hoff. */
static inline void mb2img_end(struct tbuf *b, size_t hoff)
{
	mb2img_tag(b, MB2_HTAG_END, 0, 8, NULL, 0);
	uint32_t len = (uint32_t)(b->len - hoff);
	put_le32_at(b, hoff + 8, len);
	put_le32_at(b, hoff + 12, (uint32_t) - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + len));
}

/* Pad the file to @file_len bytes with a pattern (so a load range has data). */
static inline void mb2img_pad(struct tbuf *b, size_t file_len)
{
	while (b->len < file_len) {
		uint8_t v = (uint8_t)(b->len * 7 + 1);
		tbuf_put(b, &v, 1);
	}
}

#endif
