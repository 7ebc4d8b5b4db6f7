/* SPDX-License-Identifier: MIT */
/* libFuzzer target: mb1_parse() on any bytes. */
#include "../../loaders/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb1_image mb;
	if (mb1_parse(data, size, &mb) != 0)
		return 0;
	const struct mb1_header *h = &mb.header;
	if (mb.header_offset % MB1_HEADER_ALIGN || mb.header_offset + 12 > MB1_SEARCH ||
	    (uint32_t)(h->magic + h->flags + h->checksum) != 0)
		__builtin_trap();
	/* multiboot1.c's kludge loader computes this without further checks. */
	if (h->flags & MB1_AOUT_KLUDGE) {
		uint64_t file_off = mb.header_offset - (uint64_t)(h->header_addr - h->load_addr);
		uint64_t load_len = h->load_end_addr ? (uint64_t)h->load_end_addr - h->load_addr
						     : size - file_off;
		if (!range_ok(file_off, load_len, size))
			__builtin_trap();
	}
	return 0;
}
