/* SPDX-License-Identifier: MIT */
/*
 * ext2/ext3/ext4, read-only: mounting and the fs_ops table.
 *
 * The volume is untrusted. mount() checks every superblock number the other
 * files divide by, multiply with or index with, so they can rely on:
 * block_size in 1 KiB..64 KiB, inode_size a power of two in 128..block_size,
 * blocks_count * block_size within the volume, non-zero group sizes and a
 * group count that fits 32 bits.
 *
 * What is read and what is refused (Documentation/filesystems/ext4/super.rst):
 *  - INCOMPAT features the reader understands are accepted; any other bit,
 *    known (compression, dirdata) or not, refuses the mount with its name.
 *  - RO_COMPAT features only matter to writers and are ignored, as are
 *    checksums (metadata_csum, metadata_csum_seed are accepted, not verified).
 *  - A dirty journal (needs_recovery) is not replayed: the filesystem is read
 *    as last written, with one warning.
 *  - casefold directories are searched byte-exactly: a name must be given
 *    with the case it was created with.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "ext4_priv.h"

/* The INCOMPAT features a reader can ignore or handles. */
#define EXT4_INCOMPAT_READABLE                                                              \
	(EXT4_INCOMPAT_FILETYPE | EXT4_INCOMPAT_RECOVER | EXT4_INCOMPAT_META_BG |          \
	 EXT4_INCOMPAT_EXTENTS | EXT4_INCOMPAT_64BIT | EXT4_INCOMPAT_MMP |                 \
	 EXT4_INCOMPAT_FLEX_BG | EXT4_INCOMPAT_EA_INODE | EXT4_INCOMPAT_CSUM_SEED |        \
	 EXT4_INCOMPAT_LARGEDIR | EXT4_INCOMPAT_INLINE_DATA | EXT4_INCOMPAT_ENCRYPT |      \
	 EXT4_INCOMPAT_CASEFOLD)

static const struct {
	uint32_t bit;
	const char *name;
} incompat_names[] = {
	{ EXT4_INCOMPAT_COMPRESSION, "compression" },
	{ EXT4_INCOMPAT_FILETYPE, "filetype" },
	{ EXT4_INCOMPAT_RECOVER, "needs_recovery" },
	{ EXT4_INCOMPAT_JOURNAL_DEV, "journal_dev" },
	{ EXT4_INCOMPAT_META_BG, "meta_bg" },
	{ EXT4_INCOMPAT_EXTENTS, "extent" },
	{ EXT4_INCOMPAT_64BIT, "64bit" },
	{ EXT4_INCOMPAT_MMP, "mmp" },
	{ EXT4_INCOMPAT_FLEX_BG, "flex_bg" },
	{ EXT4_INCOMPAT_EA_INODE, "ea_inode" },
	{ EXT4_INCOMPAT_DIRDATA, "dirdata" },
	{ EXT4_INCOMPAT_CSUM_SEED, "metadata_csum_seed" },
	{ EXT4_INCOMPAT_LARGEDIR, "large_dir" },
	{ EXT4_INCOMPAT_INLINE_DATA, "inline_data" },
	{ EXT4_INCOMPAT_ENCRYPT, "encrypt" },
	{ EXT4_INCOMPAT_CASEFOLD, "casefold" },
};

int ext4_corrupt(const struct ext4_fs *e, uint32_t ino, const char *fmt, ...)
{
	char why[160];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (ino)
		return log_err(-EUCLEAN, "%s: ext4 inode %u: %s", e->vol->name, ino, why);
	return log_err(-EUCLEAN, "%s: ext4: %s", e->vol->name, why);
}

int ext4_dev_read(struct ext4_fs *e, uint64_t off, void *buf, size_t len, const char *what,
		  uint32_t ino)
{
	e->nr_reads++;
	e->bytes_read += len;
	int rc = volume_read(e->vol, off, buf, len);
	if (!rc || rc == -ENOMEM)
		return rc; /* the block layer's read-ahead buffer */
	/* Every block number was checked against the volume size, so a
	 * failure here is the device's. */
	if (ino)
		return log_err(-EIO, "%s: ext4 inode %u: reading %s (%zu bytes at %llu) failed",
			       e->vol->name, ino, what, len, (unsigned long long)off);
	return log_err(-EIO, "%s: ext4: reading %s (%zu bytes at %llu) failed", e->vol->name, what,
		       len, (unsigned long long)off);
}

enum fs_type ext4_mode_type(uint16_t mode)
{
	switch (mode & EXT4_S_IFMT) {
	case EXT4_S_IFREG:
		return FS_REG;
	case EXT4_S_IFDIR:
		return FS_DIR;
	case EXT4_S_IFLNK:
		return FS_SYMLINK;
	default:
		return FS_OTHER;
	}
}

/* Refuse INCOMPAT bits we cannot read, naming each one. */
static int check_features(const struct ext4_fs *e)
{
	uint32_t bad = e->incompat & ~(uint32_t)EXT4_INCOMPAT_READABLE;
	if (!bad)
		return 0;
	if (bad == EXT4_INCOMPAT_JOURNAL_DEV) {
		/* An external journal carries the ext4 magic but holds no files. */
		log_info("%s: ext4 external journal device, not a filesystem", e->vol->name);
		return -ENODEV;
	}
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
	return log_err(-EOPNOTSUPP, "%s: ext4: unsupported incompatible features: %s", e->vol->name,
		       list);
}

/* Check and copy the geometry; every later division and multiplication
 * relies on what is verified here. */
static int load_geometry(struct ext4_fs *e, const struct ext4_superblock *sb)
{
	if (sb->s_log_block_size > EXT4_MAX_BLOCK_LOG - EXT4_MIN_BLOCK_LOG)
		return ext4_corrupt(e, 0, "absurd block size 2^(10+%u)", sb->s_log_block_size);
	e->block_size = 1024u << sb->s_log_block_size;

	if (sb->s_rev_level == EXT4_GOOD_OLD_REV) {
		/* Revision 0 has neither variable inode sizes nor features. */
		e->inode_size = EXT4_GOOD_OLD_INODE_SIZE;
	} else {
		e->inode_size = sb->s_inode_size;
		e->compat = sb->s_feature_compat;
		e->incompat = sb->s_feature_incompat;
		e->ro_compat = sb->s_feature_ro_compat;
	}
	if (!IS_POW2(e->inode_size) || e->inode_size < EXT4_GOOD_OLD_INODE_SIZE ||
	    e->inode_size > e->block_size)
		return ext4_corrupt(e, 0, "bad inode size %u", e->inode_size);

	e->desc_size = EXT4_DESC_SIZE;
	if (ext4_has(e, EXT4_INCOMPAT_64BIT)) {
		e->desc_size = sb->s_desc_size;
		if (!IS_POW2(e->desc_size) || e->desc_size < EXT4_MIN_DESC_SIZE_64BIT ||
		    e->desc_size > EXT4_MAX_DESC_SIZE || e->desc_size > e->block_size)
			return ext4_corrupt(e, 0, "bad group descriptor size %u", e->desc_size);
	}

	e->blocks_count = sb->s_blocks_count_lo;
	if (ext4_has(e, EXT4_INCOMPAT_64BIT))
		e->blocks_count |= (uint64_t)sb->s_blocks_count_hi << 32;
	e->first_data_block = sb->s_first_data_block;
	e->blocks_per_group = sb->s_blocks_per_group;
	e->inodes_per_group = sb->s_inodes_per_group;
	e->inodes_count = sb->s_inodes_count;
	e->first_meta_bg = sb->s_first_meta_bg;
	e->backup_bgs[0] = sb->s_backup_bgs[0];
	e->backup_bgs[1] = sb->s_backup_bgs[1];

	/* The filesystem must fit its volume: then no block number below
	 * blocks_count can overflow a byte offset. */
	if (!e->blocks_count || e->blocks_count > e->vol->size / e->block_size)
		return ext4_corrupt(e, 0, "%llu blocks of %u bytes do not fit the %llu-byte volume",
				    (unsigned long long)e->blocks_count, e->block_size,
				    (unsigned long long)e->vol->size);
	if (e->first_data_block > 1 || e->first_data_block >= e->blocks_count)
		return ext4_corrupt(e, 0, "bad first data block %u", e->first_data_block);
	if (!e->blocks_per_group)
		return ext4_corrupt(e, 0, "zero blocks per group");
	/* One block of bitmap describes a group's inodes. */
	if (!e->inodes_per_group || e->inodes_per_group > 8 * e->block_size)
		return ext4_corrupt(e, 0, "bad inodes per group %u", e->inodes_per_group);

	uint64_t groups = (e->blocks_count - e->first_data_block + e->blocks_per_group - 1) /
			  e->blocks_per_group;
	if (groups > UINT32_MAX)
		return ext4_corrupt(e, 0, "%llu block groups", (unsigned long long)groups);
	e->groups = (uint32_t)groups;
	if (!e->inodes_count || e->inodes_count > groups * e->inodes_per_group)
		return ext4_corrupt(e, 0, "%u inodes do not fit %u groups of %u", e->inodes_count,
				    e->groups, e->inodes_per_group);
	return 0;
}

static void warn_dirty(const struct ext4_fs *e, const struct ext4_superblock *sb)
{
	if (ext4_has(e, EXT4_INCOMPAT_RECOVER))
		log_warn("%s: ext4 journal needs recovery; reading without replaying it, "
			 "so the newest changes may be missing",
			 e->vol->name);
	else if (!(sb->s_state & EXT4_STATE_CLEAN))
		log_warn("%s: ext4 was not unmounted cleanly; reading it as it is", e->vol->name);
}

static int ext4_mount(struct volume *v, struct fs **out)
{
	struct ext4_superblock sb;

	if (v->size < EXT4_SUPERBLOCK_OFFSET + EXT4_SUPERBLOCK_SIZE)
		return -ENODEV;
	int rc = volume_read(v, EXT4_SUPERBLOCK_OFFSET, &sb, sizeof(sb));
	if (rc)
		return rc;
	if (sb.s_magic != EXT4_MAGIC)
		return -ENODEV;

	struct ext4_fs *e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->vol = v;
	e->base.vol = v;
	rc = load_geometry(e, &sb);
	if (!rc)
		rc = check_features(e);
	if (rc) {
		free(e);
		return rc;
	}
	memcpy(e->uuid, sb.s_uuid, sizeof(e->uuid));
	memcpy(e->label, sb.s_volume_name, sizeof(sb.s_volume_name));
	e->label[sizeof(sb.s_volume_name)] = 0;
	warn_dirty(e, &sb);
	*out = &e->base;
	return 0;
}

static void ext4_unmount(struct fs *fs)
{
	struct ext4_fs *e = EXT4(fs);
	ext4_meta_free(e);
	free(e);
}

static int ext4_root(struct fs *fs, uint64_t *ino)
{
	*ino = EXT4_ROOT_INO;
	return 0;
}

static int ext4_stat(struct fs *fs, uint64_t ino, struct fs_stat *st)
{
	struct ext4_node n;
	int rc = ext4_inode_load(EXT4(fs), ino, &n);
	if (rc)
		return rc;
	st->type = ext4_mode_type(n.mode);
	st->size = n.size;
	st->mode = n.mode;
	st->ino = n.ino;
	return 0;
}

static void ext4_ids(struct fs *fs, char *uuid, size_t uuid_cap, char *label, size_t label_cap)
{
	const struct ext4_fs *e = EXT4(fs);
	const uint8_t *u = e->uuid;
	/* s_uuid is stored in the byte order blkid prints. */
	fmt_snprintf(uuid, uuid_cap,
		     "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
		     u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
		     u[14], u[15]);
	fmt_snprintf(label, label_cap, "%s", e->label);
}

const struct fs_ops ext4_ops = {
	.name = "ext4",
	.mount = ext4_mount,
	.unmount = ext4_unmount,
	.root = ext4_root,
	.lookup = ext4_lookup,
	.stat = ext4_stat,
	.read = ext4_read,
	.readlink = ext4_readlink,
	.readdir = ext4_readdir,
	.map = ext4_fs_map,
	.ids = ext4_ids,
};
