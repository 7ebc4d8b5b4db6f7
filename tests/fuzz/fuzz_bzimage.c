/* SPDX-License-Identifier: MIT */
/* libFuzzer target: bzimage_parse() and detect_format() on any bytes. */
#include "../../loaders/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bzimage bz;
	const char *why;
	if (detect_format(data, size, &why) == KERNEL_UNKNOWN && !why)
		__builtin_trap();
	if (bzimage_parse(data, size, &bz) != 0)
		return 0;
	/* What linux.c and kernel.c index the file with. */
	if (bz.header_end > size || bz.kernel_offset + bz.kernel_size != size ||
	    !range_ok(bz.payload_offset, bz.payload_length, size) ||
	    bz.version < BZIMAGE_MIN_VERSION)
		__builtin_trap();
	return 0;
}
