/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the btrfs driver, mounted and walked with bounded
 * effort (fs_walk.h) on a 64 MiB volume described by the input.
 *
 * btrfs spreads itself out: even a 16 MiB mixed-group filesystem has its
 * superblock at 64 KiB, its system chunk at 1 MiB and everything else past
 * 5 MiB, with zeros between. So the input is a sparse image, records of a
 * little-endian u16 block number (4 KiB blocks) followed by that block's
 * 4096 bytes, zeros elsewhere; a short last record fills the start of its
 * block. tests/images/btrfs.sh writes its seeds in this form, from images
 * the kernel filled (zstd, lzo and zlib extents, a subvolume, a snapshot).
 *
 * Almost every mutation breaks a crc32c, and a driver that stops at the
 * checksum never gets to parse anything. So an input of even length has
 * the checksums of its superblock and of every node-sized block it touches
 * recomputed before the mount; odd lengths are left as they are, for the
 * checksum code itself.
 */
#include "../../core/crc32c.h"
#include "../../include/abi/btrfs.h"
#include "fs_walk.h"

extern const struct fs_ops btrfs_ops;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BLOCK 4096u
#define RECORD (2u + BLOCK)
#define BLOCKS (FS_WALK_DEVICE_BYTES / BLOCK)

static void put_crc(uint8_t *at, size_t len)
{
	uint32_t c = crc32c(0, at + BTRFS_CSUM_SIZE, len - BTRFS_CSUM_SIZE);
	memcpy(at, &c, sizeof(c));
}

static void fix_checksums(uint8_t *disk, const uint16_t *used, unsigned nused)
{
	struct btrfs_super_block *sb = (void *)(disk + BTRFS_SUPER_OFFSET);
	if (sb->magic != BTRFS_MAGIC || sb->csum_type != BTRFS_CSUM_CRC32C)
		return;
	uint32_t node = sb->nodesize;
	if (IS_POW2(node) && node >= BLOCK && node <= 65536) {
		for (unsigned i = 0; i < nused; i++) {
			size_t base = ALIGN_DOWN((size_t)used[i] * BLOCK, node);
			/* Not the superblock: its checksum covers 4 KiB only. */
			if (base <= BTRFS_SUPER_OFFSET && BTRFS_SUPER_OFFSET < base + node)
				continue;
			if (base + node <= FS_WALK_DEVICE_BYTES)
				put_crc(disk + base, node);
		}
	}
	put_crc((uint8_t *)sb, BTRFS_SUPER_SIZE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *disk;
	static uint16_t used[FS_WALK_DEVICE_BYTES / BLOCK];
	unsigned nused = 0;
	if (!disk && !(disk = calloc(1, FS_WALK_DEVICE_BYTES)))
		return 0;
	for (size_t pos = 0; pos + 2 < size && nused < BLOCKS; pos += RECORD) {
		uint16_t blk = (uint16_t)(data[pos] | data[pos + 1] << 8);
		if (blk >= BLOCKS)
			continue;
		size_t n = size - pos - 2 < BLOCK ? size - pos - 2 : BLOCK;
		memcpy(disk + (size_t)blk * BLOCK, data + pos + 2, n);
		used[nused++] = blk;
	}
	if (size % 2 == 0)
		fix_checksums(disk, used, nused);
	fs_walk_image(&btrfs_ops, disk, FS_WALK_DEVICE_BYTES);
	/* Back to all zeros for the next input. */
	for (unsigned i = 0; i < nused; i++)
		memset(disk + (size_t)used[i] * BLOCK, 0, BLOCK);
	return 0;
}
