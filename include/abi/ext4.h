/* SPDX-License-Identifier: MIT */
/*
 * ext2/ext3/ext4 on-disk structures, as documented in the Linux kernel's
 * Documentation/filesystems/ext4/ (super.rst, group_descr.rst, inodes.rst,
 * ifork.rst, directory.rst, attributes.rst, inlinedata.rst). Everything is
 * little-endian. Only the fields the read-only driver uses are named; the
 * rest are padding, and every named field is pinned to its documented
 * offset below.
 *
 * Layout of a volume (block size B = 1024 << s_log_block_size):
 *
 *   byte 1024      superblock (1024 bytes), whatever B is
 *   block f+1      group descriptor table, f = s_first_data_block
 *                  (1 for 1 KiB blocks, else 0); with meta_bg, descriptor
 *                  blocks from s_first_meta_bg on live in their own groups
 *   per group      bitmaps, inode table (s_inodes_per_group inodes of
 *                  s_inode_size bytes), data
 */
#ifndef PVHBOOT_ABI_EXT4_H
#define PVHBOOT_ABI_EXT4_H

#include "abi.h"

#define EXT4_SUPERBLOCK_OFFSET 1024u
#define EXT4_SUPERBLOCK_SIZE 1024u
#define EXT4_MAGIC 0xef53u
#define EXT4_MIN_BLOCK_LOG 10      /* 1 KiB */
#define EXT4_MAX_BLOCK_LOG 16      /* 64 KiB */
#define EXT4_GOOD_OLD_REV 0        /* fixed 128-byte inodes, no features */
#define EXT4_GOOD_OLD_INODE_SIZE 128u
#define EXT4_ROOT_INO 2u
#define EXT4_STATE_CLEAN 0x0001u   /* s_state: unmounted cleanly */

/* s_feature_compat */
#define EXT4_COMPAT_HAS_JOURNAL 0x0004u
#define EXT4_COMPAT_SPARSE_SUPER2 0x0200u

/* s_feature_ro_compat: none of them matters to a reader, except for
 * finding backup superblocks (which decides where meta_bg descriptors are). */
#define EXT4_RO_COMPAT_SPARSE_SUPER 0x0001u
#define EXT4_RO_COMPAT_HUGE_FILE 0x0008u
#define EXT4_RO_COMPAT_GDT_CSUM 0x0010u
#define EXT4_RO_COMPAT_METADATA_CSUM 0x0400u

/* s_feature_incompat (the names are the ones mke2fs -O and dumpe2fs use). */
#define EXT4_INCOMPAT_COMPRESSION 0x00001u
#define EXT4_INCOMPAT_FILETYPE 0x00002u
#define EXT4_INCOMPAT_RECOVER 0x00004u     /* "needs_recovery": dirty journal */
#define EXT4_INCOMPAT_JOURNAL_DEV 0x00008u /* an external journal, not a fs */
#define EXT4_INCOMPAT_META_BG 0x00010u
#define EXT4_INCOMPAT_EXTENTS 0x00040u
#define EXT4_INCOMPAT_64BIT 0x00080u
#define EXT4_INCOMPAT_MMP 0x00100u
#define EXT4_INCOMPAT_FLEX_BG 0x00200u
#define EXT4_INCOMPAT_EA_INODE 0x00400u
#define EXT4_INCOMPAT_DIRDATA 0x01000u
#define EXT4_INCOMPAT_CSUM_SEED 0x02000u
#define EXT4_INCOMPAT_LARGEDIR 0x04000u
#define EXT4_INCOMPAT_INLINE_DATA 0x08000u
#define EXT4_INCOMPAT_ENCRYPT 0x10000u
#define EXT4_INCOMPAT_CASEFOLD 0x20000u

/*
 * The superblock, 1024 bytes at byte 1024 of the volume.
 *
 *   0x000 s_inodes_count        0x038 s_magic (0xEF53)   0x0fe s_desc_size
 *   0x004 s_blocks_count_lo     0x03a s_state            0x104 s_first_meta_bg
 *   0x014 s_first_data_block    0x04c s_rev_level        0x150 s_blocks_count_hi
 *   0x018 s_log_block_size      0x058 s_inode_size       0x24c s_backup_bgs[2]
 *   0x020 s_blocks_per_group    0x05c s_feature_compat   0x27c s_encoding
 *   0x028 s_inodes_per_group    0x060 s_feature_incompat 0x280 s_orphan_file_inum
 *                               0x064 s_feature_ro_compat
 *                               0x068 s_uuid[16]
 *                               0x078 s_volume_name[16]
 */
struct ext4_superblock {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count_lo;
	uint8_t _pad0[12];
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;
	uint32_t s_log_cluster_size;
	uint32_t s_blocks_per_group;
	uint32_t s_clusters_per_group;
	uint32_t s_inodes_per_group;
	uint8_t _pad1[12];
	uint16_t s_magic;
	uint16_t s_state;
	uint8_t _pad2[16];
	uint32_t s_rev_level;
	uint8_t _pad3[8];
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	uint8_t _pad4[118];
	uint16_t s_desc_size;
	uint32_t s_default_mount_opts;
	uint32_t s_first_meta_bg;
	uint8_t _pad5[72];
	uint32_t s_blocks_count_hi;
	uint8_t _pad6[248];
	uint32_t s_backup_bgs[2];
	uint8_t _pad7[40];
	uint16_t s_encoding;
	uint16_t s_encoding_flags;
	uint32_t s_orphan_file_inum;
	uint8_t _pad8[380];
} ABI_PACKED;
ABI_OFFSET(struct ext4_superblock, s_inodes_count, 0x000);
ABI_OFFSET(struct ext4_superblock, s_blocks_count_lo, 0x004);
ABI_OFFSET(struct ext4_superblock, s_first_data_block, 0x014);
ABI_OFFSET(struct ext4_superblock, s_log_block_size, 0x018);
ABI_OFFSET(struct ext4_superblock, s_log_cluster_size, 0x01c);
ABI_OFFSET(struct ext4_superblock, s_blocks_per_group, 0x020);
ABI_OFFSET(struct ext4_superblock, s_clusters_per_group, 0x024);
ABI_OFFSET(struct ext4_superblock, s_inodes_per_group, 0x028);
ABI_OFFSET(struct ext4_superblock, s_magic, 0x038);
ABI_OFFSET(struct ext4_superblock, s_state, 0x03a);
ABI_OFFSET(struct ext4_superblock, s_rev_level, 0x04c);
ABI_OFFSET(struct ext4_superblock, s_inode_size, 0x058);
ABI_OFFSET(struct ext4_superblock, s_feature_compat, 0x05c);
ABI_OFFSET(struct ext4_superblock, s_feature_incompat, 0x060);
ABI_OFFSET(struct ext4_superblock, s_feature_ro_compat, 0x064);
ABI_OFFSET(struct ext4_superblock, s_uuid, 0x068);
ABI_OFFSET(struct ext4_superblock, s_volume_name, 0x078);
ABI_OFFSET(struct ext4_superblock, s_desc_size, 0x0fe);
ABI_OFFSET(struct ext4_superblock, s_first_meta_bg, 0x104);
ABI_OFFSET(struct ext4_superblock, s_blocks_count_hi, 0x150);
ABI_OFFSET(struct ext4_superblock, s_backup_bgs, 0x24c);
ABI_OFFSET(struct ext4_superblock, s_encoding, 0x27c);
ABI_OFFSET(struct ext4_superblock, s_orphan_file_inum, 0x280);
ABI_SIZE(struct ext4_superblock, EXT4_SUPERBLOCK_SIZE);

/*
 * A block group descriptor: 32 bytes, or s_desc_size (>= 64, a power of
 * two) with the 64bit feature, which adds the high halves at 0x20 on.
 */
#define EXT4_DESC_SIZE 32u
#define EXT4_MIN_DESC_SIZE_64BIT 64u
#define EXT4_MAX_DESC_SIZE 1024u
#define EXT4_BG_INODE_UNINIT 0x0001u /* bg_flags: inode table not initialised */

struct ext4_group_desc {
	uint32_t bg_block_bitmap_lo;
	uint32_t bg_inode_bitmap_lo;
	uint32_t bg_inode_table_lo;
	uint8_t _pad0[6];
	uint16_t bg_flags;
	uint8_t _pad1[20];
	uint32_t bg_inode_table_hi;     /* 64bit only */
	uint8_t _pad2[20];
} ABI_PACKED;
ABI_OFFSET(struct ext4_group_desc, bg_inode_table_lo, 0x08);
ABI_OFFSET(struct ext4_group_desc, bg_flags, 0x12);
ABI_OFFSET(struct ext4_group_desc, bg_inode_table_hi, 0x28);
ABI_SIZE(struct ext4_group_desc, 64);

/*
 * An inode: 128 bytes in revision 0, else s_inode_size with i_extra_isize
 * bytes of extra fields after the first 128, then in-inode extended
 * attributes up to the end.
 *
 *   0x00 i_mode   0x04 i_size_lo  0x1c i_blocks_lo  0x20 i_flags
 *   0x28 i_block[60]  (block map, extent tree root, fast symlink or inline data)
 *   0x68 i_file_acl_lo  0x6c i_size_high  0x74 i_blocks_high  0x76 i_file_acl_high
 *   0x80 i_extra_isize
 */
#define EXT4_N_BLOCKS 15
#define EXT4_I_BLOCK_SIZE 60u
#define EXT4_NDIR_BLOCKS 12       /* i_block[0..11] direct */
#define EXT4_IND_BLOCK 12         /* single, double, triple indirect */
#define EXT4_DIND_BLOCK 13
#define EXT4_TIND_BLOCK 14

#define EXT4_S_IFMT 0xf000u
#define EXT4_S_IFREG 0x8000u
#define EXT4_S_IFDIR 0x4000u
#define EXT4_S_IFLNK 0xa000u

/* i_flags */
#define EXT4_COMPR_FL 0x00000004u
#define EXT4_ENCRYPT_FL 0x00000800u
#define EXT4_INDEX_FL 0x00001000u      /* htree directory */
#define EXT4_HUGE_FILE_FL 0x00040000u  /* i_blocks in fs blocks, not sectors */
#define EXT4_EXTENTS_FL 0x00080000u
#define EXT4_VERITY_FL 0x00100000u     /* fs-verity: a Merkle tree covers the data */
#define EXT4_EA_INODE_FL 0x00200000u
#define EXT4_INLINE_DATA_FL 0x10000000u
#define EXT4_CASEFOLD_FL 0x40000000u

struct ext4_inode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size_lo;
	uint8_t _pad0[18];
	uint16_t i_links_count;
	uint32_t i_blocks_lo;
	uint32_t i_flags;
	uint32_t i_osd1;
	uint8_t i_block[EXT4_I_BLOCK_SIZE];
	uint32_t i_generation;
	uint32_t i_file_acl_lo;
	uint32_t i_size_high;
	uint32_t i_obso_faddr;
	uint16_t i_blocks_high;
	uint16_t i_file_acl_high;
	uint8_t _pad1[8];
	uint16_t i_extra_isize;        /* only when s_inode_size > 128 */
	uint16_t i_checksum_hi;
} ABI_PACKED;
ABI_OFFSET(struct ext4_inode, i_mode, 0x00);
ABI_OFFSET(struct ext4_inode, i_size_lo, 0x04);
ABI_OFFSET(struct ext4_inode, i_links_count, 0x1a);
ABI_OFFSET(struct ext4_inode, i_blocks_lo, 0x1c);
ABI_OFFSET(struct ext4_inode, i_flags, 0x20);
ABI_OFFSET(struct ext4_inode, i_block, 0x28);
ABI_OFFSET(struct ext4_inode, i_file_acl_lo, 0x68);
ABI_OFFSET(struct ext4_inode, i_size_high, 0x6c);
ABI_OFFSET(struct ext4_inode, i_blocks_high, 0x74);
ABI_OFFSET(struct ext4_inode, i_file_acl_high, 0x76);
ABI_OFFSET(struct ext4_inode, i_extra_isize, 0x80);
ABI_SIZE(struct ext4_inode, 0x84);

/*
 * Extent tree (ifork.rst): every node starts with a 12-byte header, then
 * eh_entries 12-byte entries: index entries when eh_depth > 0, leaf extents
 * when eh_depth == 0. The root lives in i_block (at most 4 entries).
 */
#define EXT4_EXT_MAGIC 0xf30au
#define EXT4_EXT_MAX_DEPTH 5       /* the kernel's EXT4_MAX_EXTENT_DEPTH */
#define EXT4_EXT_INIT_MAX_LEN 32768u /* ee_len above this: unwritten extent */

struct ext4_extent_header {
	uint16_t eh_magic;
	uint16_t eh_entries;
	uint16_t eh_max;
	uint16_t eh_depth;
	uint32_t eh_generation;
} ABI_PACKED;
ABI_OFFSET(struct ext4_extent_header, eh_magic, 0);
ABI_OFFSET(struct ext4_extent_header, eh_entries, 2);
ABI_OFFSET(struct ext4_extent_header, eh_max, 4);
ABI_OFFSET(struct ext4_extent_header, eh_depth, 6);
ABI_SIZE(struct ext4_extent_header, 12);

struct ext4_extent_idx {
	uint32_t ei_block;     /* first logical block covered */
	uint32_t ei_leaf_lo;   /* the child node's physical block */
	uint16_t ei_leaf_hi;
	uint16_t ei_unused;
} ABI_PACKED;
ABI_OFFSET(struct ext4_extent_idx, ei_block, 0);
ABI_OFFSET(struct ext4_extent_idx, ei_leaf_lo, 4);
ABI_OFFSET(struct ext4_extent_idx, ei_leaf_hi, 8);
ABI_SIZE(struct ext4_extent_idx, 12);

struct ext4_extent {
	uint32_t ee_block;     /* first logical block */
	uint16_t ee_len;       /* > 32768: unwritten, length ee_len - 32768 */
	uint16_t ee_start_hi;
	uint32_t ee_start_lo;
} ABI_PACKED;
ABI_OFFSET(struct ext4_extent, ee_block, 0);
ABI_OFFSET(struct ext4_extent, ee_len, 4);
ABI_OFFSET(struct ext4_extent, ee_start_hi, 6);
ABI_OFFSET(struct ext4_extent, ee_start_lo, 8);
ABI_SIZE(struct ext4_extent, 12);

/*
 * Directory entry (directory.rst, ext4_dir_entry_2): an 8-byte header then
 * name_len bytes of name, the record padded to rec_len (a multiple of 4).
 * Without the filetype feature the type byte is the high byte of a 16-bit
 * name length, always 0 because names are at most 255 bytes.
 */
#define EXT4_DIRENT_HEADER 8u
#define EXT4_DIRENT_MIN_REC 12u
#define EXT4_FT_REG_FILE 1
#define EXT4_FT_DIR 2
#define EXT4_FT_SYMLINK 7
#define EXT4_FT_MAX 7
/* A 64 KiB block needs a rec_len of 65536: stored as 0 or 65535. */
#define EXT4_MAX_REC_LEN 65535u

struct ext4_dir_entry {
	uint32_t inode;        /* 0: unused record */
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;
} ABI_PACKED;
ABI_OFFSET(struct ext4_dir_entry, inode, 0);
ABI_OFFSET(struct ext4_dir_entry, rec_len, 4);
ABI_OFFSET(struct ext4_dir_entry, name_len, 6);
ABI_OFFSET(struct ext4_dir_entry, file_type, 7);
ABI_SIZE(struct ext4_dir_entry, EXT4_DIRENT_HEADER);

/*
 * In-inode extended attributes (attributes.rst): after the extra fields, a
 * 4-byte magic, then entries until a 4-byte zero. Each value lives at
 * e_value_offs from the first entry. inline_data keeps file bytes beyond the
 * 60 in i_block in the value of "system.data" (index 7, name "data").
 */
#define EXT4_XATTR_MAGIC 0xea020000u
#define EXT4_XATTR_INDEX_SYSTEM 7
#define EXT4_XATTR_ENTRY_SIZE 16u   /* without the name, which is padded to 4 */

struct ext4_xattr_entry {
	uint8_t e_name_len;
	uint8_t e_name_index;
	uint16_t e_value_offs;
	uint32_t e_value_inum; /* ea_inode: value in another inode */
	uint32_t e_value_size;
	uint32_t e_hash;
} ABI_PACKED;
ABI_OFFSET(struct ext4_xattr_entry, e_name_len, 0);
ABI_OFFSET(struct ext4_xattr_entry, e_name_index, 1);
ABI_OFFSET(struct ext4_xattr_entry, e_value_offs, 2);
ABI_OFFSET(struct ext4_xattr_entry, e_value_inum, 4);
ABI_OFFSET(struct ext4_xattr_entry, e_value_size, 8);
ABI_SIZE(struct ext4_xattr_entry, EXT4_XATTR_ENTRY_SIZE);

/* An inline directory starts with the parent's inode number (inlinedata.rst). */
#define EXT4_INLINE_DOTDOT_SIZE 4u

#endif
