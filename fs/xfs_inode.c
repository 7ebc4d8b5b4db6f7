/* SPDX-License-Identifier: MIT */
/*
 * XFS inodes: from an inode number (agno:agbno:slot) to the inode's bytes,
 * checked (magic, version, CRC and self-address on v5, mode, fork format
 * and sizes), and the data fork copied out.
 *
 * nrext64 (xfsprogs 6.x) moves the data fork's extent count from the 32-bit
 * di_nextents to the 64-bit di_big_nextents (where version 2 inodes keep
 * padding) for inodes flagged XFS_DIFLAG2_NREXT64; a reader that looks only
 * at di_nextents sees the attribute fork's count there instead.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "xfs_priv.h"

bool xfs_ino_ok(const struct xfs_fs *x, uint64_t ino)
{
	unsigned shift = x->agblklog + x->inopblog;
	if (ino == 0 || shift >= 64)
		return false;
	uint64_t agno = ino >> shift;
	uint64_t agbno = (ino >> x->inopblog) & ((1ull << x->agblklog) - 1);
	return agno < x->agcount && agbno < x->agblocks &&
	       agno * x->agblocks + agbno < x->dblocks;
}

/* The byte offset of inode @ino on the volume (xfs_ino_ok() first). */
static uint64_t inode_offset(const struct xfs_fs *x, uint64_t ino)
{
	uint64_t agno = ino >> (x->agblklog + x->inopblog);
	uint64_t agbno = (ino >> x->inopblog) & ((1ull << x->agblklog) - 1);
	uint64_t slot = ino & ((1ull << x->inopblog) - 1);
	return ((agno * x->agblocks + agbno) << x->block_log) + (slot << x->inode_log);
}

static int check_v3(struct xfs_fs *x, uint64_t ino, const uint8_t *raw, uint64_t block)
{
	const struct xfs_dinode *d = (const struct xfs_dinode *)raw;
	int rc = xfs_check_crc(x, raw, x->inode_size, XFS_DINODE_CRC_OFF, "inode", block, ino);
	if (rc)
		return rc;
	/* A CRC-valid inode from somewhere else: a misdirected write or a
	 * directory entry naming the wrong slot. */
	if (get_be64(&d->di_ino) != ino)
		return xfs_corrupt(x, ino, "inode claims to be %llu",
				   (unsigned long long)get_be64(&d->di_ino));
	if (memcmp(d->di_uuid, x->meta_uuid, 16))
		return xfs_corrupt(x, ino, "inode belongs to another filesystem");
	return 0;
}

/* The data fork: its format, size and extent count, checked against the inode. */
static int load_fork(struct xfs_fs *x, const uint8_t *raw, uint32_t core, struct xfs_node *n)
{
	const struct xfs_dinode *d = (const struct xfs_dinode *)raw;
	uint32_t literal = x->inode_size - core;
	uint32_t forkoff = (uint32_t)d->di_forkoff * 8;
	if (forkoff > literal)
		return xfs_corrupt(x, n->ino, "attribute fork offset %u past the inode", forkoff);
	n->fork_size = forkoff ? forkoff : literal;
	n->format = d->di_format;

	uint64_t flags2 = x->v5 ? get_be64(&d->di_flags2) : 0;
	if (flags2 & XFS_DIFLAG2_NREXT64) {
		if (!x->nrext64)
			return xfs_corrupt(x, n->ino, "nrext64 inode without the feature");
		n->nextents = get_be64(&d->di_big_nextents);
	} else {
		n->nextents = get_be32(&d->di_nextents);
	}

	switch (n->format) {
	case XFS_DINODE_FMT_LOCAL:
		/* Short-form directories and inline symlinks only. */
		if (xfs_mode_type(n->mode) != FS_DIR && xfs_mode_type(n->mode) != FS_SYMLINK)
			return xfs_corrupt(x, n->ino, "local format for mode 0%o", n->mode);
		if (n->size > n->fork_size)
			return xfs_corrupt(x, n->ino, "%llu bytes in a %u-byte fork",
					   (unsigned long long)n->size, n->fork_size);
		break;
	case XFS_DINODE_FMT_EXTENTS:
		if (n->nextents > n->fork_size / XFS_BMBT_REC_SIZE)
			return xfs_corrupt(x, n->ino, "%llu extents in a %u-byte fork",
					   (unsigned long long)n->nextents, n->fork_size);
		break;
	case XFS_DINODE_FMT_BTREE:
		if (n->fork_size < sizeof(struct xfs_bmdr_block) + 16)
			return xfs_corrupt(x, n->ino, "btree root in a %u-byte fork", n->fork_size);
		break;
	case XFS_DINODE_FMT_DEV:
		if (xfs_mode_type(n->mode) == FS_OTHER)
			break;
		/* fall through */
	default:
		return xfs_corrupt(x, n->ino, "data fork format %u for mode 0%o", n->format,
				   n->mode);
	}
	if (xfs_mode_type(n->mode) == FS_REG && (get_be16(&d->di_flags) & XFS_DIFLAG_REALTIME))
		return log_err(-EOPNOTSUPP, "%s: xfs inode %llu: data on a realtime device",
			       x->vol->name, (unsigned long long)n->ino);
	memset(n->fork, 0, sizeof(n->fork));
	memcpy(n->fork, raw + core, n->fork_size);
	return 0;
}

int xfs_inode_load(struct xfs_fs *x, uint64_t ino, struct xfs_node *out)
{
	if (!xfs_ino_ok(x, ino))
		return xfs_corrupt(x, 0, "inode number %llu out of range", (unsigned long long)ino);
	uint64_t off = inode_offset(x, ino);
	int rc = xfs_dev_read(x, off, x->ibuf, x->inode_size, "an inode", ino);
	if (rc)
		return rc;
	const uint8_t *raw = x->ibuf;
	const struct xfs_dinode *d = (const struct xfs_dinode *)raw;
	uint64_t block = off >> x->block_log;
	if (get_be16(&d->di_magic) != XFS_DINODE_MAGIC)
		return xfs_corrupt(x, ino, "bad inode magic 0x%04x (block %llu)",
				   get_be16(&d->di_magic), (unsigned long long)block);
	/* v5 writes only version 3 inodes; v4 versions 1 and 2 (same core). */
	uint32_t core = XFS_DINODE_CORE_V2;
	if (x->v5) {
		if (d->di_version != 3)
			return xfs_corrupt(x, ino, "inode version %u on a v5 filesystem",
					   d->di_version);
		rc = check_v3(x, ino, raw, block);
		if (rc)
			return rc;
		core = XFS_DINODE_CORE_V3;
	} else if (d->di_version != 1 && d->di_version != 2) {
		return xfs_corrupt(x, ino, "inode version %u on a v4 filesystem", d->di_version);
	}

	out->ino = ino;
	out->mode = get_be16(&d->di_mode);
	out->size = get_be64(&d->di_size);
	if (!(out->mode & XFS_S_IFMT))
		return xfs_corrupt(x, ino, "free inode (mode 0%o)", out->mode);
	if (out->size > INT64_MAX)
		return xfs_corrupt(x, ino, "negative size");
	return load_fork(x, raw, core, out);
}
