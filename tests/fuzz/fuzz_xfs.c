/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the XFS driver on a 64 MiB volume that starts with the
 * input (and reads as zeros after it), mounted and walked with bounded
 * effort (fs_walk.h). Seeds: tests/images/xfs.sh OUTDIR writes the first
 * MiB of small mkfs.xfs images (v4 and v5, 512 B..4 KiB blocks, with and
 * without ftype) to OUTDIR/xfs/fuzz-seeds/. On v5 most mutations fail the
 * superblock or inode CRC first: the CRC path is what the loader meets on
 * a damaged disk, and the v4 seeds reach everything behind it.
 */
#include "fs_walk.h"

extern const struct fs_ops xfs_ops;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size <= FS_WALK_DEVICE_BYTES)
		fs_walk_image(&xfs_ops, data, size);
	return 0;
}
