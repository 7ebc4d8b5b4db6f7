/* SPDX-License-Identifier: MIT */
/*
 * ext4 fs_ops.map(): the blocks a file's bytes live in, for a rewrite in
 * place (boot/envwrite.c). ext4 keeps no checksum of file data and never
 * shares a block between files, so writing the same number of bytes into
 * a regular file's own mapped blocks changes nothing else. What it refuses
 * is what would make that false: data inside the inode or its xattr
 * (inline_data), compressed or encrypted data, fs-verity files, holes and
 * unwritten extents (writing there needs the extent changed), and a
 * journal waiting for recovery, whose replay could put old blocks back.
 */
#include "../core/log.h"
#include "ext4_priv.h"

static int refuse(const struct ext4_fs *e, uint64_t ino, const char *why)
{
	return log_err(-EOPNOTSUPP, "%s: ext4 inode %lu: not rewritten in place: %s", e->vol->name,
		       (unsigned long)ino, why);
}

int ext4_fs_map(struct fs *fs, uint64_t ino, uint64_t off, uint64_t len, struct fs_extent *out,
		unsigned *count)
{
	struct ext4_fs *e = EXT4(fs);
	struct ext4_node n;
	*count = 0;
	int rc = ext4_inode_load(e, ino, &n);
	if (rc)
		return rc;
	if (ext4_mode_type(n.mode) != FS_REG)
		return refuse(e, ino, "not a regular file");
	if (ext4_has(e, EXT4_INCOMPAT_RECOVER))
		return refuse(e, ino, "the journal needs recovery");
	if (n.flags & EXT4_INLINE_DATA_FL)
		return refuse(e, ino, "inline data");
	if (n.flags & EXT4_COMPR_FL)
		return refuse(e, ino, "compressed");
	if (n.flags & EXT4_ENCRYPT_FL)
		return refuse(e, ino, "encrypted");
	if (n.flags & EXT4_VERITY_FL)
		return refuse(e, ino, "fs-verity");
	if (!len || !range_ok(off, len, n.size))
		return -EINVAL;

	uint64_t bs = e->block_size, pos = off, end = off + len;
	while (pos < end) {
		uint64_t lblk = pos / bs;
		struct ext4_run run;
		if (lblk >= EXT4_MAX_LBLK)
			return -EINVAL;
		if ((rc = ext4_map(e, &n, lblk, &run)) != 0)
			return rc;
		if (!run.mapped)
			return refuse(e, ino, "a hole or an unwritten extent");
		/* ext4_map() checked the run lies inside the filesystem. */
		uint64_t in = pos - lblk * bs;
		uint64_t n_bytes = MIN(run.count * bs - in, end - pos);
		struct fs_extent *last = *count ? &out[*count - 1] : NULL;
		uint64_t vol_off = run.pblk * bs + in;
		if (last && last->vol_off + last->len == vol_off) {
			last->len += n_bytes;
		} else {
			if (*count >= FS_MAP_MAX)
				return refuse(e, ino, "in too many pieces");
			out[(*count)++] = (struct fs_extent){ pos, vol_off, n_bytes };
		}
		pos += n_bytes;
	}
	return 0;
}
