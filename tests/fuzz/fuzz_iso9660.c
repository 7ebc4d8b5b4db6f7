/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the ISO 9660 driver on a 64 MiB volume made of the
 * input (reading as zeros after it), mounted and walked with bounded
 * effort (fs_walk.h). An input that is a whole image (with "CD001" at
 * byte 32769) is used as it is; anything else is placed after 16 blocks
 * of zeros, so that small inputs start at the first volume descriptor and
 * the fuzzer does not have to grow 32 KiB of system area first. Links with
 * fs/iso9660.c, fs/blockdev.c and the host core (format.c, strerror.c,
 * host_log.c).
 */
#include <stdbool.h>

#include "fs_walk.h"

extern const struct fs_ops iso9660_ops;

#define SYSTEM_AREA (16u * 2048u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool whole = size > SYSTEM_AREA + 6 && !memcmp(data + SYSTEM_AREA + 1, "CD001", 5);
	size_t skip = whole ? 0 : SYSTEM_AREA;

	if (size > FS_WALK_DEVICE_BYTES - SYSTEM_AREA)
		return 0;
	uint8_t *image = calloc(1, skip + size);
	if (!image)
		return 0;
	memcpy(image + skip, data, size);
	fs_walk_image(&iso9660_ops, image, skip + size);
	free(image);
	return 0;
}
