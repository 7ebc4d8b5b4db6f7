/* SPDX-License-Identifier: MIT */
/*
 * btrfs, read-only, single device: the superblock, mounting and the fs_ops
 * table.
 *
 * The volume is untrusted. mount() checks every superblock number the other
 * files divide by, multiply with or index with, so they can rely on:
 * sectorsize a power of two in 4 KiB..64 KiB, nodesize a power of two in
 * sectorsize..64 KiB, tree levels below BTRFS_MAX_LEVEL, one device.
 *
 * Which superblock: the primary at 64 KiB when its magic, checksum and
 * bytenr are right; otherwise the best valid mirror (64 MiB, 256 GiB, the
 * highest generation), with a warning. A volume with no btrfs magic at any
 * of them is not btrfs (-ENODEV).
 *
 * What is refused, by name: more than one device (RAID across devices needs
 * the other disks), zoned devices, extent-tree-v2, the raid stripe tree,
 * RAID5/6 and striped profiles, and unknown INCOMPAT bits. Checksums of
 * tree blocks are verified for crc32c and sha256; xxhash and blake2
 * filesystems are read with their checksums unchecked (one warning).
 */
#include "../core/crc32c.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/sha256.h"
#include "btrfs_priv.h"

#define BTRFS_INCOMPAT_READABLE                                                             \
	(BTRFS_INCOMPAT_MIXED_BACKREF | BTRFS_INCOMPAT_DEFAULT_SUBVOL |                     \
	 BTRFS_INCOMPAT_MIXED_GROUPS | BTRFS_INCOMPAT_COMPRESS_LZO |                       \
	 BTRFS_INCOMPAT_COMPRESS_ZSTD | BTRFS_INCOMPAT_BIG_METADATA |                      \
	 BTRFS_INCOMPAT_EXTENDED_IREF | BTRFS_INCOMPAT_SKINNY_METADATA |                   \
	 BTRFS_INCOMPAT_NO_HOLES | BTRFS_INCOMPAT_METADATA_UUID | BTRFS_INCOMPAT_RAID1C34 | \
	 BTRFS_INCOMPAT_SIMPLE_QUOTA)

static const struct {
	uint64_t bit;
	const char *name;
} incompat_names[] = {
	{ BTRFS_INCOMPAT_RAID56, "raid56" },
	{ BTRFS_INCOMPAT_ZONED, "zoned" },
	{ BTRFS_INCOMPAT_EXTENT_TREE_V2, "extent-tree-v2" },
	{ BTRFS_INCOMPAT_RAID_STRIPE_TREE, "raid-stripe-tree" },
};

int btrfs_corrupt(const struct btrfs_fs *b, const char *fmt, ...)
{
	char why[160];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return fs_corrupt(b->vol, "btrfs", "%s", why);
}

int btrfs_dev_read(struct btrfs_fs *b, uint64_t off, void *buf, size_t len, const char *what)
{
	b->nr_reads++;
	b->bytes_read += len;
	int rc = volume_read(b->vol, off, buf, len);
	if (!rc || rc == -ENOMEM)
		return rc;
	/* Every stripe was checked against the volume size when it was mapped,
	 * so a failure here is the device's. */
	return log_err(-EIO, "%s: btrfs: reading %s (%zu bytes at %llu) failed", b->vol->name, what,
		       len, (unsigned long long)off);
}

static uint64_t super_offset(unsigned copy)
{
	return copy == 0 ? BTRFS_SUPER_OFFSET : 16384ull << (BTRFS_SUPER_MIRROR_SHIFT * copy);
}

/* Magic, checksum and place of one superblock copy; true when all hold. */
static bool super_valid(const struct btrfs_super_block *sb, unsigned copy, const char **why)
{
	if (sb->magic != BTRFS_MAGIC) {
		*why = "no magic";
		return false;
	}
	if (sb->bytenr != super_offset(copy)) {
		*why = "bytenr is not its own offset";
		return false;
	}
	const uint8_t *p = (const uint8_t *)sb;
	if (sb->csum_type == BTRFS_CSUM_CRC32C) {
		if (crc32c(0, p + BTRFS_CSUM_SIZE, BTRFS_SUPER_SIZE - BTRFS_CSUM_SIZE) !=
		    get_le32(sb->csum)) {
			*why = "bad checksum";
			return false;
		}
	} else if (sb->csum_type == BTRFS_CSUM_SHA256) {
		uint8_t h[32];
		sha256(p + BTRFS_CSUM_SIZE, BTRFS_SUPER_SIZE - BTRFS_CSUM_SIZE, h);
		if (memcmp(h, sb->csum, sizeof(h))) {
			*why = "bad checksum";
			return false;
		}
	} else if (sb->csum_type > BTRFS_CSUM_BLAKE2) {
		*why = "unknown checksum type";
		return false;
	}
	return true;
}

/*
 * Read the superblock copies the volume is large enough for and pick one.
 * Returns 0, -ENODEV (no magic anywhere) or -EUCLEAN.
 */
static int read_super(struct volume *v, struct btrfs_super_block *out, unsigned *which)
{
	struct btrfs_super_block *sb = malloc(sizeof(*sb));
	if (!sb)
		return -ENOMEM;
	bool found = false, magic = false;
	const char *primary_why = NULL;
	int rc = 0;
	for (unsigned i = 0; i < BTRFS_SUPER_COPIES; i++) {
		uint64_t off = super_offset(i);
		if (!range_ok(off, BTRFS_SUPER_SIZE, v->size))
			break;
		rc = volume_read(v, off, sb, sizeof(*sb));
		if (rc)
			break;
		const char *why = NULL;
		magic |= sb->magic == BTRFS_MAGIC;
		if (!super_valid(sb, i, &why)) {
			if (i == 0)
				primary_why = why;
			continue;
		}
		if (i == 0) {
			*out = *sb;
			*which = 0;
			found = true;
			break; /* the primary wins when it is good */
		}
		if (!found || sb->generation > out->generation) {
			*out = *sb;
			*which = i;
			found = true;
		}
	}
	free(sb);
	if (rc)
		return rc;
	if (!magic)
		return -ENODEV;
	if (!found)
		return fs_corrupt(v, "btrfs", "no valid superblock (primary: %s)",
				  primary_why ? primary_why : "?");
	if (*which)
		log_warn("%s: btrfs primary superblock unusable (%s); using the copy at %llu",
			 v->name, primary_why ? primary_why : "?",
			 (unsigned long long)super_offset(*which));
	return 0;
}

/* Refuse INCOMPAT bits we cannot read, naming each one. */
static int check_features(const struct btrfs_fs *b)
{
	uint64_t bad = b->incompat & ~BTRFS_INCOMPAT_READABLE;
	if (!bad)
		return 0;
	char list[160];
	size_t n = 0;
	for (unsigned i = 0; i < 64; i++) {
		uint64_t bit = 1ull << i;
		if (!(bad & bit))
			continue;
		const char *name = "unknown";
		for (unsigned k = 0; k < ARRAY_SIZE(incompat_names); k++)
			if (incompat_names[k].bit == bit)
				name = incompat_names[k].name;
		int w = fmt_snprintf(list + n, sizeof(list) - n, "%s0x%llx (%s)", n ? ", " : "",
				     (unsigned long long)bit, name);
		if (w < 0 || (size_t)w >= sizeof(list) - n)
			break;
		n += (size_t)w;
	}
	return log_err(-EOPNOTSUPP, "%s: btrfs: unsupported incompatible features: %s",
		       b->vol->name, list);
}

/* Check and copy the geometry every other file relies on. */
static int load_super(struct btrfs_fs *b, const struct btrfs_super_block *sb)
{
	if (!IS_POW2(sb->sectorsize) || sb->sectorsize < 4096 || sb->sectorsize > 65536)
		return btrfs_corrupt(b, "bad sector size %u", sb->sectorsize);
	if (!IS_POW2(sb->nodesize) || sb->nodesize < sb->sectorsize || sb->nodesize > 65536)
		return btrfs_corrupt(b, "bad node size %u", sb->nodesize);
	if (sb->root_level >= BTRFS_MAX_LEVEL || sb->chunk_root_level >= BTRFS_MAX_LEVEL)
		return btrfs_corrupt(b, "bad tree levels %u, %u", sb->root_level,
				     sb->chunk_root_level);
	if (sb->sys_chunk_array_size > BTRFS_SYS_CHUNK_ARRAY_SIZE)
		return btrfs_corrupt(b, "sys_chunk_array of %u bytes", sb->sys_chunk_array_size);
	if (sb->num_devices != 1)
		return log_err(-EOPNOTSUPP, "%s: btrfs over %llu devices: only single-device "
			       "filesystems are read", b->vol->name,
			       (unsigned long long)sb->num_devices);
	if (sb->root % sb->sectorsize || sb->chunk_root % sb->sectorsize || !sb->root ||
	    !sb->chunk_root)
		return btrfs_corrupt(b, "misaligned tree roots %llu, %llu",
				     (unsigned long long)sb->root, (unsigned long long)sb->chunk_root);
	b->sectorsize = sb->sectorsize;
	b->nodesize = sb->nodesize;
	b->csum_type = sb->csum_type;
	b->generation = sb->generation;
	b->incompat = sb->incompat_flags;
	b->devid = sb->dev_item.devid;
	memcpy(b->fsid, sb->fsid, sizeof(b->fsid));
	memcpy(b->meta_fsid,
	       b->incompat & BTRFS_INCOMPAT_METADATA_UUID ? sb->metadata_uuid : sb->fsid,
	       sizeof(b->meta_fsid));
	memcpy(b->label, sb->label, BTRFS_LABEL_SIZE);
	b->label[BTRFS_LABEL_SIZE] = 0;
	if (b->csum_type != BTRFS_CSUM_CRC32C && b->csum_type != BTRFS_CSUM_SHA256)
		log_warn("%s: btrfs checksum type %u is not verified", b->vol->name, b->csum_type);

	b->root_tree = (struct btrfs_tree){ BTRFS_ROOT_TREE_OBJECTID, sb->root, sb->generation,
					    sb->root_level, 0 };
	b->chunk_tree = (struct btrfs_tree){ BTRFS_CHUNK_TREE_OBJECTID, sb->chunk_root,
					     sb->chunk_root_generation, sb->chunk_root_level, 0 };
	if (sb->chunk_root_generation > sb->generation)
		return btrfs_corrupt(b, "chunk root generation %llu after the superblock's %llu",
				     (unsigned long long)sb->chunk_root_generation,
				     (unsigned long long)sb->generation);
	return check_features(b);
}

static void btrfs_unmount(struct fs *fs)
{
	struct btrfs_fs *b = BTRFS(fs);
	btrfs_extent_free(b);
	btrfs_decompress_free(b);
	btrfs_nodes_free(b);
	btrfs_chunks_free(b);
	free(b);
}

static int btrfs_mount(struct volume *v, struct fs **out)
{
	struct btrfs_super_block *sb = malloc(sizeof(*sb));
	if (!sb)
		return -ENOMEM;
	unsigned which = 0;
	int rc = read_super(v, sb, &which);
	if (rc) {
		free(sb);
		return rc;
	}
	struct btrfs_fs *b = calloc(1, sizeof(*b));
	if (!b) {
		free(sb);
		return -ENOMEM;
	}
	b->vol = v;
	b->base.vol = v;
	b->super_copy = which;
	rc = load_super(b, sb);
	if (!rc)
		rc = btrfs_chunks_load(b, sb);
	free(sb);
	if (!rc)
		rc = btrfs_default_subvol(b, &b->default_subvol);
	if (rc) {
		btrfs_unmount(&b->base);
		return rc;
	}
	*out = &b->base;
	return 0;
}

static int btrfs_root(struct fs *fs, uint64_t *ino)
{
	struct btrfs_fs *b = BTRFS(fs);
	struct btrfs_tree t;
	int rc = btrfs_subvol(b, b->default_subvol, &t);
	if (rc)
		return rc;
	*ino = BTRFS_INO(t.id, t.root_dirid);
	return 0;
}

/*
 * "@/PATH" names PATH from the top-level subvolume (id 5), whatever the
 * default subvolume is: GRUB reads from there, so its paths do.
 */
static int btrfs_path_root(struct fs *fs, const char **path, uint64_t *ino)
{
	const char *p = *path;
	if (p[0] != '@' || (p[1] != '/' && p[1] != 0))
		return -ENOENT;
	struct btrfs_tree t;
	int rc = btrfs_subvol(BTRFS(fs), BTRFS_FS_TREE_OBJECTID, &t);
	if (rc)
		return rc;
	*ino = BTRFS_INO(t.id, t.root_dirid);
	/* The rest is relative to it: a leading '/' would restart at root(). */
	for (p++; *p == '/'; p++)
		;
	*path = p;
	return 0;
}

static void btrfs_ids(struct fs *fs, char *uuid, size_t uuid_cap, char *label, size_t label_cap)
{
	const struct btrfs_fs *b = BTRFS(fs);
	const uint8_t *u = b->fsid;
	/* The fsid is stored in the byte order blkid prints. */
	fmt_snprintf(uuid, uuid_cap,
		     "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
		     u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
		     u[14], u[15]);
	fmt_snprintf(label, label_cap, "%s", b->label);
}

const struct fs_ops btrfs_ops = {
	.name = "btrfs",
	.mount = btrfs_mount,
	.unmount = btrfs_unmount,
	.root = btrfs_root,
	.path_root = btrfs_path_root,
	.lookup = btrfs_lookup_name,
	.stat = btrfs_stat,
	.read = btrfs_read,
	.readlink = btrfs_readlink,
	.readdir = btrfs_readdir,
	.ids = btrfs_ids,
};
