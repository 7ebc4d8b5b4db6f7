/* SPDX-License-Identifier: MIT */
/* Boot bundles: newc cpio archives from untrusted module bytes. */
#include "../../core/cpio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_entry e;
	size_t pos = 0;
	unsigned sum = 0;
	if (!cpio_is_archive(data, size))
		return 0;
	for (unsigned i = 0; i < 100000 && cpio_next(data, size, &pos, &e) == 1; i++)
		sum += e.size ? ((const uint8_t *)e.data)[e.size - 1] : 0;
	return (int)(sum & 0);
}
