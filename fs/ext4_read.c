/* SPDX-License-Identifier: MIT */
/*
 * ext4 file bytes and symlink targets.
 *
 * Throughput: a 128 MiB initrd must come off the disk at device speed, so
 * the mapped runs of a read are merged while they stay physically
 * contiguous and each merged span is one volume_read() straight into the
 * caller's buffer (the block layer passes large reads to the driver
 * unsplit). Holes and unwritten extents are zero-filled in place. Nothing
 * is allocated per block.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "ext4_priv.h"

/* A pending device read: @len bytes at volume offset @off into @dst. */
struct span {
	uint64_t off;
	uint8_t *dst;
	uint64_t len;
};

static int flush(struct ext4_fs *e, uint32_t ino, struct span *s)
{
	if (!s->len)
		return 0;
	e->nr_data_reads++;
	int rc = ext4_dev_read(e, s->off, s->dst, (size_t)s->len, "file data", ino);
	s->len = 0;
	return rc;
}

/*
 * inline_data: the first 60 bytes in i_block, up to inline_len more in
 * "system.data", and zeros beyond: mke2fs stores a sparse file as an inline
 * inode of any size, and the kernel reads the part past the stored bytes as
 * zeros (ext4_read_inline_folio).
 */
static long read_inline(struct ext4_fs *e, const struct ext4_node *n, uint64_t off, uint8_t *buf,
			size_t len)
{
	uint64_t stored = EXT4_I_BLOCK_SIZE + (uint64_t)n->inline_len;
	uint64_t pos = off, end = off + len;
	if (pos < EXT4_I_BLOCK_SIZE) {
		size_t k = (size_t)(MIN(end, (uint64_t)EXT4_I_BLOCK_SIZE) - pos);
		memcpy(buf, n->i_block + pos, k);
		pos += k;
	}
	if (pos < MIN(end, stored)) {
		size_t k = (size_t)(MIN(end, stored) - pos);
		int rc = ext4_dev_read(e, n->inline_off + (pos - EXT4_I_BLOCK_SIZE),
				       buf + (pos - off), k, "inline data", n->ino);
		if (rc)
			return rc;
		pos += k;
	}
	if (pos < end)
		memset(buf + (pos - off), 0, (size_t)(end - pos));
	return (long)len;
}

long ext4_read_data(struct ext4_fs *e, const struct ext4_node *n, uint64_t off, void *buf,
		    size_t len)
{
	if (off >= n->size)
		return 0;
	len = (size_t)MIN((uint64_t)len, n->size - off);
	len = MIN(len, (size_t)(~0ul >> 1)); /* the count must fit a long */
	if (n->flags & EXT4_ENCRYPT_FL)
		return log_err(-EOPNOTSUPP, "%s: ext4 inode %u is encrypted", e->vol->name, n->ino);
	if (n->flags & EXT4_INLINE_DATA_FL)
		return read_inline(e, n, off, buf, len);

	uint8_t *dst = buf;
	uint64_t pos = off, end = off + len, bs = e->block_size;
	struct span pending = { 0, NULL, 0 };
	while (pos < end) {
		uint64_t lblk = pos / bs, in_block = pos % bs;
		if (lblk >= EXT4_MAX_LBLK) {
			/* Past what any mapping addresses: nothing is stored there. */
			memset(dst, 0, (size_t)(end - pos));
			break;
		}
		struct ext4_run run;
		int rc = ext4_map(e, n, lblk, &run);
		if (rc)
			return rc;
		uint64_t take = MIN(run.count * bs - in_block, end - pos);
		if (!run.mapped) {
			rc = flush(e, n->ino, &pending);
			if (rc)
				return rc;
			memset(dst, 0, (size_t)take);
		} else {
			uint64_t disk = run.pblk * bs + in_block;
			if (pending.len && pending.off + pending.len == disk) {
				pending.len += take;
			} else {
				rc = flush(e, n->ino, &pending);
				if (rc)
					return rc;
				pending = (struct span){ disk, dst, take };
			}
		}
		pos += take;
		dst += take;
	}
	int rc = flush(e, n->ino, &pending);
	return rc ? rc : (long)len;
}

long ext4_read(struct fs *fs, uint64_t ino, uint64_t off, void *buf, size_t len)
{
	struct ext4_node n;
	int rc = ext4_inode_load(EXT4(fs), ino, &n);
	if (rc)
		return rc;
	switch (ext4_mode_type(n.mode)) {
	case FS_REG:
		return ext4_read_data(EXT4(fs), &n, off, buf, len);
	case FS_DIR:
		return -EISDIR;
	default:
		return -EINVAL;
	}
}

/*
 * A fast symlink keeps its target in i_block and owns no blocks (beyond an
 * extended attribute block); the kernel decides the same way
 * (ext4_inode_is_fast_symlink), because a short target may still be stored
 * in a data block by older writers.
 */
static bool is_fast_symlink(const struct ext4_fs *e, const struct ext4_node *n)
{
	if (n->size >= EXT4_I_BLOCK_SIZE)
		return false;
	uint64_t ea_blocks = 0;
	if (n->file_acl)
		ea_blocks = (n->flags & EXT4_HUGE_FILE_FL) ? 1 : e->block_size / 512;
	return n->blocks == ea_blocks;
}

int ext4_readlink(struct fs *fs, uint64_t ino, char *buf, size_t cap)
{
	struct ext4_fs *e = EXT4(fs);
	struct ext4_node n;
	int rc = ext4_inode_load(e, ino, &n);
	if (rc)
		return rc;
	if (ext4_mode_type(n.mode) != FS_SYMLINK)
		return -EINVAL;
	if (n.size == 0)
		return ext4_corrupt(e, n.ino, "empty symlink");
	if (!cap || n.size > cap - 1)
		return -ENAMETOOLONG;
	size_t len = (size_t)n.size;
	if (!(n.flags & (EXT4_INLINE_DATA_FL | EXT4_ENCRYPT_FL)) && is_fast_symlink(e, &n)) {
		memcpy(buf, n.i_block, len);
	} else {
		long got = ext4_read_data(e, &n, 0, buf, len);
		if (got < 0)
			return (int)got;
	}
	buf[len] = 0;
	return 0;
}
