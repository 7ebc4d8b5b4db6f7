/* SPDX-License-Identifier: MIT */
/* libFuzzer target: pe_parse(), pe_probe() and uki_describe() on any bytes. */
#include <string.h>

#include "../../loaders/uki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct buf {
	const uint8_t *p;
	size_t len;
};

static int read_buf(void *ctx, uint64_t off, void *out, size_t len)
{
	const struct buf *b = ctx;
	if (!range_ok(off, len, b->len))
		__builtin_trap(); /* uki_describe must only ask for what pe_parse checked */
	memcpy(out, b->p + off, len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pe_image pe;
	static struct uki_info u;
	struct buf b = { data, size };
	(void)pe_probe(data, size);
	if (pe_parse(data, size, &pe) == 0) {
		/* What efi/image.c and uki.c index the file with. */
		for (unsigned i = 0; i < pe.nr_sections; i++)
			if (!range_ok(pe.sections[i].raw_offset, pe_section_file_size(&pe.sections[i]),
				      size))
				__builtin_trap();
		if (pe.entry >= pe.size_of_image)
			__builtin_trap();
	}
	(void)uki_describe(read_buf, &b, size, &u);
	return 0;
}
