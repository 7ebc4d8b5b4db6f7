/* SPDX-License-Identifier: MIT */
/*
 * XFS, read-only: mounting and the fs_ops table.
 *
 * The volume is untrusted. mount() checks every superblock number the other
 * files divide by, shift by or index with, so they can rely on: blocks of
 * 512 B..64 KiB, sectors of 512 B..32 KiB no larger than a block, inodes a
 * power of two in 256 B..2 KiB no larger than a block, inopblog = blocklog -
 * inodelog, 1 <= agblocks <= 2^agblklog < 2^32, directory blocks of at most
 * 64 KiB, and dblocks blocks that fit the volume and the AGs.
 *
 * What is read and what is refused:
 *  - v4 (with version 2 directories) and v5 superblocks. On v5, the CRC32C
 *    of every metadata block read is checked (superblock, inodes, bmap btree
 *    blocks, directory blocks, remote symlink blocks); a mismatch is an error
 *    naming the block.
 *  - v5 INCOMPAT features on the allow-list below are read or do not matter
 *    to a reader (xfsprogs 6.18 defaults included: exchange-range and parent
 *    pointers live in the log and the attribute fork, metadir only hides
 *    metadata inodes). Any other bit refuses the mount with its name.
 *  - RO_COMPAT features (finobt, rmapbt, reflink, inobtcount) only matter to
 *    writers: shared extents read like any other.
 *  - The log is never replayed: a dirty log (xfs_log.c) means the
 *    filesystem is read as last written back, with one warning.
 */
#include "../core/crc32c.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "xfs_priv.h"

/* The v5 INCOMPAT features a reader handles or may ignore. */
#define XFS_INCOMPAT_READABLE                                                                \
	(XFS_SB_FEAT_INCOMPAT_FTYPE | XFS_SB_FEAT_INCOMPAT_SPINODES |                       \
	 XFS_SB_FEAT_INCOMPAT_META_UUID | XFS_SB_FEAT_INCOMPAT_BIGTIME |                    \
	 XFS_SB_FEAT_INCOMPAT_NREXT64 | XFS_SB_FEAT_INCOMPAT_EXCHRANGE |                    \
	 XFS_SB_FEAT_INCOMPAT_PARENT | XFS_SB_FEAT_INCOMPAT_METADIR)

static const struct {
	uint32_t bit;
	const char *name;
} incompat_names[] = {
	{ XFS_SB_FEAT_INCOMPAT_FTYPE, "ftype" },
	{ XFS_SB_FEAT_INCOMPAT_SPINODES, "sparse" },
	{ XFS_SB_FEAT_INCOMPAT_META_UUID, "meta_uuid" },
	{ XFS_SB_FEAT_INCOMPAT_BIGTIME, "bigtime" },
	{ XFS_SB_FEAT_INCOMPAT_NEEDSREPAIR, "needsrepair" },
	{ XFS_SB_FEAT_INCOMPAT_NREXT64, "nrext64" },
	{ XFS_SB_FEAT_INCOMPAT_EXCHRANGE, "exchange" },
	{ XFS_SB_FEAT_INCOMPAT_PARENT, "parent" },
	{ XFS_SB_FEAT_INCOMPAT_METADIR, "metadir" },
	{ XFS_SB_FEAT_INCOMPAT_ZONED, "zoned" },
	{ XFS_SB_FEAT_INCOMPAT_ZONE_GAPS, "zone_gaps" },
};

int xfs_corrupt(const struct xfs_fs *x, uint64_t ino, const char *fmt, ...)
{
	char why[160];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (ino)
		return fs_corrupt(x->vol, "xfs", "inode %llu: %s", (unsigned long long)ino, why);
	return fs_corrupt(x->vol, "xfs", "%s", why);
}

int xfs_dev_read(struct xfs_fs *x, uint64_t off, void *buf, size_t len, const char *what,
		 uint64_t ino)
{
	x->nr_reads++;
	int rc = volume_read(x->vol, off, buf, len);
	if (!rc || rc == -ENOMEM)
		return rc;
	/* Every block number was checked against the filesystem, which fits
	 * the volume: a failure here is the device's. */
	if (ino)
		return log_err(-EIO, "%s: xfs: inode %llu: reading %s (%zu bytes at %llu) failed",
			       x->vol->name, (unsigned long long)ino, what, len,
			       (unsigned long long)off);
	return log_err(-EIO, "%s: xfs: reading %s (%zu bytes at %llu) failed", x->vol->name, what,
		       len, (unsigned long long)off);
}

int xfs_check_crc(const struct xfs_fs *x, const uint8_t *buf, size_t len, size_t crc_off,
		  const char *what, uint64_t block, uint64_t ino)
{
	if (!x->v5)
		return 0;
	static const uint8_t zero[4];
	uint32_t crc = crc32c(0, buf, crc_off);
	crc = crc32c(crc, zero, 4);
	crc = crc32c(crc, buf + crc_off + 4, len - crc_off - 4);
	uint32_t stored = get_le32(buf + crc_off);
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/* Let the fuzzer past the CRCs to the parsers behind them (the unit
	 * test covers mismatches). */
	stored = crc;
#endif
	if (crc != stored)
		return xfs_corrupt(x, ino, "%s at block %llu: bad CRC 0x%08x (computed 0x%08x)",
				   what, (unsigned long long)block, stored, crc);
	return 0;
}

int xfs_fsb_to_block(const struct xfs_fs *x, uint64_t fsb, uint64_t count, uint64_t ino,
		     uint64_t *block)
{
	uint64_t agno = fsb >> x->agblklog;
	uint64_t agbno = fsb & ((1ull << x->agblklog) - 1);
	uint64_t linear = agno * x->agblocks + agbno;
	/* An extent never crosses an AG, and AG 0 starts with its headers. */
	if (agno >= x->agcount || !range_ok(agbno, count, x->agblocks) || linear == 0 ||
	    !range_ok(linear, count, x->dblocks))
		return xfs_corrupt(x, ino, "blocks %llu/%llu+%llu out of bounds",
				   (unsigned long long)agno, (unsigned long long)agbno,
				   (unsigned long long)count);
	*block = linear;
	return 0;
}

enum fs_type xfs_mode_type(uint16_t mode)
{
	switch (mode & XFS_S_IFMT) {
	case XFS_S_IFREG:
		return FS_REG;
	case XFS_S_IFDIR:
		return FS_DIR;
	case XFS_S_IFLNK:
		return FS_SYMLINK;
	default:
		return FS_OTHER;
	}
}

/* Refuse v5 INCOMPAT bits we cannot read, naming each one. */
static int check_features(const struct xfs_fs *x, uint32_t incompat)
{
	uint32_t bad = incompat & ~(uint32_t)XFS_INCOMPAT_READABLE;
	if (!bad)
		return 0;
	char list[256];
	size_t n = 0;
	for (unsigned b = 0; b < 32; b++) {
		uint32_t bit = 1u << b;
		if (!(bad & bit))
			continue;
		const char *name = "unknown";
		for (unsigned i = 0; i < ARRAY_SIZE(incompat_names); i++)
			if (incompat_names[i].bit == bit)
				name = incompat_names[i].name;
		int w = fmt_snprintf(list + n, sizeof(list) - n, "%s0x%x (%s)", n ? ", " : "", bit,
				     name);
		if (w < 0 || (size_t)w >= sizeof(list) - n)
			break;
		n += (size_t)w;
	}
	return log_err(-EOPNOTSUPP, "%s: xfs: unsupported incompatible features: %s",
		       x->vol->name, list);
}

/* The version and feature bits: which on-disk formats the other files meet. */
static int load_version(struct xfs_fs *x, const struct xfs_sb *sb)
{
	uint16_t vn = get_be16(&sb->sb_versionnum);
	uint32_t f2 = (vn & XFS_SB_VERSION_MOREBITSBIT) ? get_be32(&sb->sb_features2) : 0;

	switch (vn & XFS_SB_VERSION_NUMBITS) {
	case XFS_SB_VERSION_4:
		/* Version 1 directories predate 2002 and no mkfs writes them. */
		if (!(vn & XFS_SB_VERSION_DIRV2BIT))
			return log_err(-EOPNOTSUPP, "%s: xfs: version 1 directories",
				       x->vol->name);
		x->ftype = (f2 & XFS_SB_VERSION2_FTYPE) != 0;
		return 0;
	case XFS_SB_VERSION_5: {
		uint32_t incompat = get_be32(&sb->sb_features_incompat);
		int rc = check_features(x, incompat);
		if (rc)
			return rc;
		x->v5 = true;
		x->ftype = (incompat & XFS_SB_FEAT_INCOMPAT_FTYPE) != 0;
		x->nrext64 = (incompat & XFS_SB_FEAT_INCOMPAT_NREXT64) != 0;
		if (incompat & XFS_SB_FEAT_INCOMPAT_META_UUID)
			memcpy(x->meta_uuid, sb->sb_meta_uuid, 16);
		else
			memcpy(x->meta_uuid, sb->sb_uuid, 16);
		return 0;
	}
	default:
		return log_err(-EOPNOTSUPP, "%s: xfs: superblock version %u", x->vol->name,
			       vn & XFS_SB_VERSION_NUMBITS);
	}
}

/* Check and copy the geometry; every later shift and multiplication relies
 * on what is verified here. */
static int load_geometry(struct xfs_fs *x, const struct xfs_sb *sb)
{
	uint32_t bs = get_be32(&sb->sb_blocksize);
	x->block_log = sb->sb_blocklog;
	if (x->block_log < XFS_MIN_BLOCK_LOG || x->block_log > XFS_MAX_BLOCK_LOG ||
	    bs != 1u << x->block_log)
		return xfs_corrupt(x, 0, "bad block size %u (log %u)", bs, x->block_log);
	x->block_size = bs;
	uint32_t ss = get_be16(&sb->sb_sectsize);
	if (sb->sb_sectlog < XFS_MIN_SECT_LOG || sb->sb_sectlog > XFS_MAX_SECT_LOG ||
	    ss != 1u << sb->sb_sectlog || ss > bs)
		return xfs_corrupt(x, 0, "bad sector size %u", ss);

	x->inode_log = sb->sb_inodelog;
	x->inode_size = get_be16(&sb->sb_inodesize);
	if (x->inode_log < XFS_MIN_INODE_LOG || x->inode_log > XFS_MAX_INODE_LOG ||
	    x->inode_size != 1u << x->inode_log || x->inode_log > x->block_log ||
	    (x->v5 && x->inode_size < XFS_V5_MIN_INODE) ||
	    sb->sb_inopblog != x->block_log - x->inode_log ||
	    get_be16(&sb->sb_inopblock) != 1u << sb->sb_inopblog)
		return xfs_corrupt(x, 0, "bad inode size %u", x->inode_size);
	x->inopblog = sb->sb_inopblog;

	x->agblocks = get_be32(&sb->sb_agblocks);
	x->agcount = get_be32(&sb->sb_agcount);
	x->agblklog = sb->sb_agblklog;
	x->dblocks = get_be64(&sb->sb_dblocks);
	if (x->agblklog > 31 || !x->agblocks || x->agblocks > 1u << x->agblklog ||
	    x->agblocks <= (1u << x->agblklog) / 2)
		return xfs_corrupt(x, 0, "bad AG size %u (log %u)", x->agblocks, x->agblklog);
	/* Every AG but the last is full; the filesystem fits the volume. */
	if (!x->agcount || x->dblocks > (uint64_t)x->agcount * x->agblocks ||
	    x->dblocks <= (uint64_t)(x->agcount - 1) * x->agblocks ||
	    x->dblocks > x->vol->size >> x->block_log)
		return xfs_corrupt(x, 0, "%llu blocks in %u AGs of %u do not fit the %llu-byte volume",
				   (unsigned long long)x->dblocks, x->agcount, x->agblocks,
				   (unsigned long long)x->vol->size);

	if (sb->sb_dirblklog > XFS_MAX_DIRBLOCK_LOG - x->block_log)
		return xfs_corrupt(x, 0, "bad directory block size 2^%u blocks", sb->sb_dirblklog);
	x->dir_fsbs = 1u << sb->sb_dirblklog;
	x->dir_size = x->block_size << sb->sb_dirblklog;

	x->rootino = get_be64(&sb->sb_rootino);
	if (!xfs_ino_ok(x, x->rootino))
		return xfs_corrupt(x, 0, "bad root inode %llu", (unsigned long long)x->rootino);
	return 0;
}

/* The superblock sector: magic, CRC, version, geometry. -ENODEV if not XFS. */
static int load_super(struct xfs_fs *x)
{
	uint8_t head[512];
	int rc = volume_read(x->vol, 0, head, sizeof(head));
	if (rc)
		return rc;
	const struct xfs_sb *sb = (const struct xfs_sb *)head;
	if (get_be32(&sb->sb_magicnum) != XFS_SB_MAGIC)
		return -ENODEV;
	/* mkfs sets it until it has finished (and xfs_copy while copying). */
	if (sb->sb_inprogress)
		return xfs_corrupt(x, 0, "filesystem being made (sb_inprogress)");
	rc = load_version(x, sb);
	if (!rc)
		rc = load_geometry(x, sb);
	if (rc || !x->v5)
		return rc;
	/* The CRC covers the whole sector (checked above to fit a block). */
	size_t ss = get_be16(&sb->sb_sectsize);
	uint8_t *sect = malloc(ss);
	if (!sect)
		return -ENOMEM;
	rc = xfs_dev_read(x, 0, sect, ss, "the superblock", 0);
	if (!rc)
		rc = xfs_check_crc(x, sect, ss, XFS_SB_CRC_OFF, "superblock", 0, 0);
	free(sect);
	return rc;
}

static int xfs_mount(struct volume *v, struct fs **out)
{
	if (v->size < 512)
		return -ENODEV;
	struct xfs_fs *x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->vol = v;
	x->base.vol = v;
	int rc = load_super(x);
	if (!rc) {
		x->ibuf = malloc(x->inode_size);
		rc = x->ibuf ? 0 : -ENOMEM;
	}
	if (rc) {
		free(x);
		return rc;
	}
	/* Name and UUID from the sector already checked. */
	struct xfs_sb sb;
	rc = volume_read(v, 0, &sb, sizeof(sb));
	if (rc) {
		free(x->ibuf);
		free(x);
		return rc;
	}
	xfs_log_check(x, get_be64(&sb.sb_logstart), get_be32(&sb.sb_logblocks),
		      x->v5 ? get_be32(&sb.sb_features_log_incompat) : 0);
	memcpy(x->uuid, sb.sb_uuid, 16);
	memcpy(x->label, sb.sb_fname, sizeof(sb.sb_fname));
	x->label[sizeof(sb.sb_fname)] = 0;
	*out = &x->base;
	return 0;
}

static void xfs_unmount(struct fs *fs)
{
	struct xfs_fs *x = XFS(fs);
	xfs_meta_free(x);
	free(x->ibuf);
	free(x);
}

static int xfs_root(struct fs *fs, uint64_t *ino)
{
	*ino = XFS(fs)->rootino;
	return 0;
}

static int xfs_stat(struct fs *fs, uint64_t ino, struct fs_stat *st)
{
	struct xfs_node n;
	int rc = xfs_inode_load(XFS(fs), ino, &n);
	if (rc)
		return rc;
	st->type = xfs_mode_type(n.mode);
	st->size = n.size;
	st->mode = n.mode;
	st->ino = n.ino;
	return 0;
}

static void xfs_ids(struct fs *fs, char *uuid, size_t uuid_cap, char *label, size_t label_cap)
{
	const struct xfs_fs *x = XFS(fs);
	const uint8_t *u = x->uuid;
	/* blkid shows sb_uuid, also when metadata carries sb_meta_uuid. */
	fmt_snprintf(uuid, uuid_cap,
		     "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
		     u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
		     u[14], u[15]);
	fmt_snprintf(label, label_cap, "%s", x->label);
}

const struct fs_ops xfs_ops = {
	.name = "xfs",
	.mount = xfs_mount,
	.unmount = xfs_unmount,
	.root = xfs_root,
	.lookup = xfs_lookup,
	.stat = xfs_stat,
	.read = xfs_read,
	.readlink = xfs_readlink,
	.readdir = xfs_readdir,
	.ids = xfs_ids,
};
