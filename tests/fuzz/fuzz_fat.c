/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the FAT driver on a 64 MiB volume that starts with the
 * input (and reads as zeros after it), mounted and walked with bounded
 * effort (fs_walk.h). Links with fs/fat.c, fs/blockdev.c and the host core
 * (format.c, strerror.c, host_log.c).
 */
#include "fs_walk.h"

extern const struct fs_ops fat_ops;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size <= FS_WALK_DEVICE_BYTES)
		fs_walk_image(&fat_ops, data, size);
	return 0;
}
