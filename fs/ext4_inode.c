/* SPDX-License-Identifier: MIT */
/*
 * ext4 inodes: from an inode number to its group descriptor, its slot in the
 * inode table, and the decoded fields (group_descr.rst, inodes.rst). For
 * inline_data inodes the "system.data" attribute is located here too, while
 * the inode's bytes are at hand (inlinedata.rst, attributes.rst).
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "ext4_priv.h"

/* True when @g is a power of @base (1 included). */
static bool is_power_of(uint32_t g, uint32_t base)
{
	while (g > 1 && g % base == 0)
		g /= base;
	return g == 1;
}

/* Whether group @g starts with a superblock backup (super.rst: sparse_super
 * keeps them in groups 0, 1 and powers of 3, 5, 7; sparse_super2 in the two
 * groups named by s_backup_bgs). */
static bool group_has_super(const struct ext4_fs *e, uint32_t g)
{
	if (g == 0)
		return true;
	if (e->compat & EXT4_COMPAT_SPARSE_SUPER2)
		return g == e->backup_bgs[0] || g == e->backup_bgs[1];
	if (g == 1 || !(e->ro_compat & EXT4_RO_COMPAT_SPARSE_SUPER))
		return true;
	return (g & 1) && (is_power_of(g, 3) || is_power_of(g, 5) || is_power_of(g, 7));
}

/*
 * The block holding the descriptor of @group. Descriptors follow the
 * superblock, except with meta_bg: from descriptor block s_first_meta_bg on,
 * each block of descriptors sits in the first group it describes, after
 * that group's superblock backup if it has one.
 */
static int group_desc_block(const struct ext4_fs *e, uint32_t group, uint32_t ino,
			    uint64_t *block)
{
	uint32_t per_block = e->block_size / e->desc_size;
	uint32_t db = group / per_block;

	if (ext4_has(e, EXT4_INCOMPAT_META_BG) && db >= e->first_meta_bg) {
		uint64_t first = (uint64_t)db * per_block;
		*block = e->first_data_block + first * e->blocks_per_group +
			 (group_has_super(e, (uint32_t)first) ? 1 : 0);
	} else {
		*block = (uint64_t)e->first_data_block + 1 + db;
	}
	if (*block >= e->blocks_count)
		return ext4_corrupt(e, ino, "descriptor of group %u would be at block %llu, past the end",
				    group, (unsigned long long)*block);
	return 0;
}

static int group_desc(struct ext4_fs *e, uint32_t group, uint32_t ino, struct ext4_group_desc *gd)
{
	uint64_t block;
	if (group >= e->groups)
		return ext4_corrupt(e, ino, "group %u does not exist (%u groups)", group, e->groups);
	int rc = group_desc_block(e, group, ino, &block);
	if (rc)
		return rc;
	uint32_t per_block = e->block_size / e->desc_size;
	uint64_t off = block * e->block_size + (uint64_t)(group % per_block) * e->desc_size;
	memset(gd, 0, sizeof(*gd));
	return ext4_dev_read(e, off, gd, MIN(e->desc_size, (uint32_t)sizeof(*gd)),
			     "a group descriptor", ino);
}

/*
 * Find "system.data" among the in-inode attributes at @region (the bytes
 * after i_extra_isize, @len of them, at volume offset @region_off).
 */
static int find_inline_value(struct ext4_fs *e, struct ext4_node *n, const uint8_t *region,
			     uint32_t len, uint64_t region_off)
{
	n->inline_off = 0;
	n->inline_len = 0;
	if (len < 4 || get_le32(region) != EXT4_XATTR_MAGIC)
		return 0; /* no attributes: the data is whatever fits i_block */
	const uint8_t *first = region + 4;
	uint32_t avail = len - 4, pos = 0;
	/* Entries end with four zero bytes; each one takes at least 16 bytes,
	 * so this loop runs at most len / 16 times. */
	while (range_ok(pos, 4, avail) && get_le32(first + pos) != 0) {
		if (!range_ok(pos, EXT4_XATTR_ENTRY_SIZE, avail))
			return ext4_corrupt(e, n->ino, "in-inode attribute %u overruns the inode", pos);
		struct ext4_xattr_entry x;
		memcpy(&x, first + pos, sizeof(x));
		uint32_t size = (uint32_t)ALIGN_UP(EXT4_XATTR_ENTRY_SIZE + x.e_name_len, 4);
		if (!range_ok(pos, size, avail))
			return ext4_corrupt(e, n->ino, "in-inode attribute %u overruns the inode", pos);
		if (x.e_name_index == EXT4_XATTR_INDEX_SYSTEM && x.e_name_len == 4 &&
		    !memcmp(first + pos + EXT4_XATTR_ENTRY_SIZE, "data", 4)) {
			if (x.e_value_inum || !range_ok(x.e_value_offs, x.e_value_size, avail))
				return ext4_corrupt(e, n->ino, "inline data attribute out of bounds");
			n->inline_off = region_off + 4 + x.e_value_offs;
			n->inline_len = x.e_value_size;
			return 0;
		}
		pos += size;
	}
	return 0;
}

static int load_inline(struct ext4_fs *e, struct ext4_node *n, uint64_t inode_off,
		       uint32_t extra_isize)
{
	uint32_t head = EXT4_GOOD_OLD_INODE_SIZE + extra_isize;
	uint32_t len = e->inode_size - head;
	if (!len)
		return 0;
	uint8_t *region = malloc(len);
	if (!region)
		return -ENOMEM;
	int rc = ext4_dev_read(e, inode_off + head, region, len, "in-inode attributes", n->ino);
	if (!rc)
		rc = find_inline_value(e, n, region, len, inode_off + head);
	free(region);
	return rc;
}

int ext4_inode_load(struct ext4_fs *e, uint64_t ino, struct ext4_node *n)
{
	if (ino == 0 || ino > e->inodes_count)
		return log_err(-EUCLEAN, "%s: ext4: inode number %llu out of range 1..%u",
			       e->vol->name, (unsigned long long)ino, e->inodes_count);
	uint32_t i = (uint32_t)ino;
	uint32_t group = (i - 1) / e->inodes_per_group;
	uint32_t index = (i - 1) % e->inodes_per_group;
	struct ext4_group_desc gd;
	int rc = group_desc(e, group, i, &gd);
	if (rc)
		return rc;
	/* With group checksums, mkfs may leave such an inode table unwritten:
	 * an inode there is garbage, and no directory may name it. */
	if ((e->ro_compat & (EXT4_RO_COMPAT_GDT_CSUM | EXT4_RO_COMPAT_METADATA_CSUM)) &&
	    (gd.bg_flags & EXT4_BG_INODE_UNINIT))
		return ext4_corrupt(e, i, "its group %u has no initialised inode table", group);

	uint64_t table = gd.bg_inode_table_lo;
	if (ext4_has(e, EXT4_INCOMPAT_64BIT))
		table |= (uint64_t)gd.bg_inode_table_hi << 32;
	uint64_t fs_bytes = e->blocks_count * e->block_size;
	if (table <= e->first_data_block || table >= e->blocks_count ||
	    !range_ok(table * e->block_size + (uint64_t)index * e->inode_size, e->inode_size,
		      fs_bytes))
		return ext4_corrupt(e, i, "inode table of group %u at block %llu is out of bounds",
				    group, (unsigned long long)table);
	uint64_t off = table * e->block_size + (uint64_t)index * e->inode_size;

	struct ext4_inode raw;
	memset(&raw, 0, sizeof(raw));
	rc = ext4_dev_read(e, off, &raw, MIN(e->inode_size, (uint32_t)sizeof(raw)), "the inode", i);
	if (rc)
		return rc;

	memset(n, 0, sizeof(*n));
	n->ino = i;
	n->mode = raw.i_mode;
	n->flags = raw.i_flags;
	n->size = raw.i_size_lo | (uint64_t)raw.i_size_high << 32;
	n->blocks = raw.i_blocks_lo;
	if (e->ro_compat & EXT4_RO_COMPAT_HUGE_FILE)
		n->blocks |= (uint64_t)raw.i_blocks_high << 32;
	n->file_acl = raw.i_file_acl_lo | (uint64_t)raw.i_file_acl_high << 32;
	memcpy(n->i_block, raw.i_block, sizeof(n->i_block));

	uint32_t extra = 0;
	if (e->inode_size > EXT4_GOOD_OLD_INODE_SIZE) {
		extra = raw.i_extra_isize;
		if (extra % 4 || extra > e->inode_size - EXT4_GOOD_OLD_INODE_SIZE)
			return ext4_corrupt(e, i, "bad extra inode size %u", extra);
	}
	if (n->flags & EXT4_INLINE_DATA_FL) {
		if (!ext4_has(e, EXT4_INCOMPAT_INLINE_DATA) || (n->flags & EXT4_EXTENTS_FL))
			return ext4_corrupt(e, i, "inline data flag on a filesystem without it");
		return load_inline(e, n, off, extra);
	}
	if ((n->flags & EXT4_EXTENTS_FL) && !ext4_has(e, EXT4_INCOMPAT_EXTENTS))
		return ext4_corrupt(e, i, "extent flag on a filesystem without extents");
	return 0;
}
