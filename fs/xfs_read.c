/* SPDX-License-Identifier: MIT */
/*
 * XFS file bytes and symlink targets.
 *
 * As in ext4_read.c, the mapped runs of a read are merged while they stay
 * physically contiguous and each merged span is one volume_read() straight
 * into the caller's buffer; holes and unwritten extents are zero-filled in
 * place. Nothing is allocated per block.
 *
 * Symlinks: a target of at most the fork's size is stored in the inode
 * (LOCAL format); longer ones in blocks, each starting with an "XSLM" header
 * on v5 (offset, byte count, CRC, owner), raw on v4.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "xfs_priv.h"

struct span {
	uint64_t off;
	uint8_t *dst;
	uint64_t len;
};

static int flush(struct xfs_fs *x, uint64_t ino, struct span *s)
{
	if (!s->len)
		return 0;
	x->nr_data_reads++;
	int rc = xfs_dev_read(x, s->off, s->dst, (size_t)s->len, "file data", ino);
	s->len = 0;
	return rc;
}

long xfs_read_data(struct xfs_fs *x, const struct xfs_node *n, uint64_t off, void *buf,
		   size_t len)
{
	if (off >= n->size)
		return 0;
	len = (size_t)MIN((uint64_t)len, n->size - off);
	len = MIN(len, (size_t)(~0ul >> 1)); /* the count must fit a long */
	if (n->format == XFS_DINODE_FMT_LOCAL) {
		/* load_fork() checked size <= fork_size. */
		memcpy(buf, n->fork + off, len);
		return (long)len;
	}

	uint8_t *dst = buf;
	uint64_t pos = off, end = off + len, bs = x->block_size;
	struct span pending = { 0, NULL, 0 };
	while (pos < end) {
		uint64_t lblk = pos >> x->block_log, in_block = pos & (bs - 1);
		if (lblk >= XFS_MAX_LBLK) {
			/* Past what any extent addresses: nothing is stored there. */
			memset(dst, 0, (size_t)(end - pos));
			break;
		}
		struct xfs_run run;
		int rc = xfs_map(x, n, lblk, &run);
		if (rc)
			return rc;
		/* A run may reach 2^54 blocks: clip before multiplying. */
		uint64_t blocks = MIN(run.count, ((end - pos) >> x->block_log) + 1);
		uint64_t take = MIN(blocks * bs - in_block, end - pos);
		if (!run.mapped) {
			rc = flush(x, n->ino, &pending);
			if (rc)
				return rc;
			memset(dst, 0, (size_t)take);
		} else {
			uint64_t disk = (run.pblk << x->block_log) + in_block;
			if (pending.len && pending.off + pending.len == disk) {
				pending.len += take;
			} else {
				rc = flush(x, n->ino, &pending);
				if (rc)
					return rc;
				pending = (struct span){ disk, dst, take };
			}
		}
		pos += take;
		dst += take;
	}
	int rc = flush(x, n->ino, &pending);
	return rc ? rc : (long)len;
}

long xfs_read(struct fs *fs, uint64_t ino, uint64_t off, void *buf, size_t len)
{
	struct xfs_node n;
	int rc = xfs_inode_load(XFS(fs), ino, &n);
	if (rc)
		return rc;
	switch (xfs_mode_type(n.mode)) {
	case FS_REG:
		return xfs_read_data(XFS(fs), &n, off, buf, len);
	case FS_DIR:
		return -EISDIR;
	default:
		return -EINVAL;
	}
}

/*
 * A v5 remote symlink: the target is written one extent at a time, each
 * extent starting with a header (offset, byte count, owner) and covered by
 * one CRC, as the kernel's xfs_symlink_write_target() and
 * xfs_readlink_bmap() do; the blocks are counted as if every block had a
 * header (xfs_symlink_blocks()).
 */
static int read_remote_v5(struct xfs_fs *x, const struct xfs_node *n, char *buf, size_t len)
{
	uint32_t hdr = (uint32_t)sizeof(struct xfs_dsymlink_hdr);
	uint64_t nblocks = (len + (x->block_size - hdr) - 1) / (x->block_size - hdr);
	/* len <= 1024 and blocks >= 1 KiB on v5: at most two blocks. */
	uint8_t *blk = malloc((size_t)nblocks << x->block_log);
	if (!blk)
		return -ENOMEM;
	int rc = 0;
	size_t done = 0;
	for (uint64_t lblk = 0; lblk < nblocks && done < len && !rc;) {
		struct xfs_run run;
		rc = xfs_map(x, n, lblk, &run);
		if (rc)
			break;
		if (!run.mapped) {
			rc = xfs_corrupt(x, n->ino, "hole in a symlink at block %llu",
					 (unsigned long long)lblk);
			break;
		}
		size_t bytes_in = (size_t)MIN(run.count, nblocks - lblk) << x->block_log;
		rc = xfs_dev_read(x, run.pblk << x->block_log, blk, bytes_in, "a symlink block",
				  n->ino);
		if (!rc)
			rc = xfs_check_crc(x, blk, bytes_in, XFS_SYMLINK_CRC_OFF, "symlink block",
					   run.pblk, n->ino);
		if (rc)
			break;
		const struct xfs_dsymlink_hdr *h = (const struct xfs_dsymlink_hdr *)blk;
		uint32_t bytes = get_be32(&h->sl_bytes);
		if (get_be32(&h->sl_magic) != XFS_SYMLINK_MAGIC ||
		    get_be32(&h->sl_offset) != done || get_be64(&h->sl_owner) != n->ino ||
		    bytes == 0 || bytes > bytes_in - hdr || bytes > len - done) {
			rc = xfs_corrupt(x, n->ino, "symlink block %llu: bad header",
					 (unsigned long long)run.pblk);
			break;
		}
		memcpy(buf + done, blk + hdr, bytes);
		done += bytes;
		lblk += bytes_in >> x->block_log;
	}
	if (!rc && done != len)
		rc = xfs_corrupt(x, n->ino, "symlink of %zu bytes holds %zu", len, done);
	free(blk);
	return rc;
}

int xfs_readlink(struct fs *fs, uint64_t ino, char *buf, size_t cap)
{
	struct xfs_fs *x = XFS(fs);
	struct xfs_node n;
	int rc = xfs_inode_load(x, ino, &n);
	if (rc)
		return rc;
	if (xfs_mode_type(n.mode) != FS_SYMLINK)
		return -EINVAL;
	if (n.size == 0 || n.size > XFS_SYMLINK_MAXLEN)
		return xfs_corrupt(x, n.ino, "symlink of %llu bytes", (unsigned long long)n.size);
	if (!cap || n.size > cap - 1)
		return -ENAMETOOLONG;
	size_t len = (size_t)n.size;
	if (x->v5 && n.format != XFS_DINODE_FMT_LOCAL) {
		rc = read_remote_v5(x, &n, buf, len);
	} else {
		long got = xfs_read_data(x, &n, 0, buf, len);
		rc = got < 0 ? (int)got : 0;
	}
	if (rc)
		return rc;
	buf[len] = 0;
	return 0;
}
