/* SPDX-License-Identifier: MIT */
/*
 * btrfs on-disk structures, as documented in btrfs-progs'
 * Documentation/dev/On-disk-format.rst and the kernel's
 * include/uapi/linux/btrfs_tree.h. Everything is little-endian. Only the
 * fields the read-only driver uses are named; the rest is padding, and
 * every named field is pinned to its offset below.
 *
 * Layout of a volume:
 *
 *   64 KiB, 64 MiB, 256 GiB   superblock copies (4096 bytes each; the
 *                             first is primary, the others mirrors)
 *   anywhere else             chunks: the filesystem addresses *logical*
 *                             bytes; the chunk tree (bootstrapped from the
 *                             superblock's sys_chunk_array) maps logical
 *                             ranges onto device stripes
 *
 * Metadata is a forest of copy-on-write B-trees of nodesize blocks: the
 * root tree lists the other trees (one fs tree per subvolume), every block
 * starts with a btrfs_header, leaves hold btrfs_items (key + payload
 * offset/size), nodes hold btrfs_key_ptrs.
 */
#ifndef PVHBOOT_ABI_BTRFS_H
#define PVHBOOT_ABI_BTRFS_H

#include "abi.h"

#define BTRFS_MAGIC 0x4d5f53665248425full /* "_BHRfS_M" */
#define BTRFS_SUPER_OFFSET 0x10000ull     /* primary copy: 64 KiB */
#define BTRFS_SUPER_MIRROR_SHIFT 12       /* copy i >= 1 at 16 KiB << (12 * i) */
#define BTRFS_SUPER_COPIES 3              /* 64 KiB, 64 MiB, 256 GiB */
#define BTRFS_SUPER_SIZE 4096u
#define BTRFS_CSUM_SIZE 32u
#define BTRFS_FSID_SIZE 16u
#define BTRFS_LABEL_SIZE 256u
#define BTRFS_SYS_CHUNK_ARRAY_SIZE 2048u
#define BTRFS_MAX_LEVEL 8u                /* tree levels 0..7 */

/* csum_type */
#define BTRFS_CSUM_CRC32C 0u
#define BTRFS_CSUM_XXHASH 1u
#define BTRFS_CSUM_SHA256 2u
#define BTRFS_CSUM_BLAKE2 3u

/* incompat_flags (names as mkfs.btrfs -O and dump-super print them) */
#define BTRFS_INCOMPAT_MIXED_BACKREF 0x0001ull
#define BTRFS_INCOMPAT_DEFAULT_SUBVOL 0x0002ull
#define BTRFS_INCOMPAT_MIXED_GROUPS 0x0004ull
#define BTRFS_INCOMPAT_COMPRESS_LZO 0x0008ull
#define BTRFS_INCOMPAT_COMPRESS_ZSTD 0x0010ull
#define BTRFS_INCOMPAT_BIG_METADATA 0x0020ull
#define BTRFS_INCOMPAT_EXTENDED_IREF 0x0040ull
#define BTRFS_INCOMPAT_RAID56 0x0080ull
#define BTRFS_INCOMPAT_SKINNY_METADATA 0x0100ull
#define BTRFS_INCOMPAT_NO_HOLES 0x0200ull
#define BTRFS_INCOMPAT_METADATA_UUID 0x0400ull
#define BTRFS_INCOMPAT_RAID1C34 0x0800ull
#define BTRFS_INCOMPAT_ZONED 0x1000ull
#define BTRFS_INCOMPAT_EXTENT_TREE_V2 0x2000ull
#define BTRFS_INCOMPAT_RAID_STRIPE_TREE 0x4000ull
#define BTRFS_INCOMPAT_SIMPLE_QUOTA 0x10000ull

/* Well-known tree and object ids. */
#define BTRFS_ROOT_TREE_OBJECTID 1ull
#define BTRFS_CHUNK_TREE_OBJECTID 3ull
#define BTRFS_FS_TREE_OBJECTID 5ull       /* the top-level subvolume */
#define BTRFS_ROOT_TREE_DIR_OBJECTID 6ull /* holds the "default" dir item */
#define BTRFS_FIRST_FREE_OBJECTID 256ull  /* first inode; a subvolume's root dir */
#define BTRFS_FIRST_CHUNK_TREE_OBJECTID 256ull
#define BTRFS_EMPTY_SUBVOL_DIR_OBJECTID 2ull
#define BTRFS_LAST_FREE_OBJECTID 0xffffffffffffff00ull /* -256 */

/* Key types. */
#define BTRFS_INODE_ITEM_KEY 1
#define BTRFS_INODE_REF_KEY 12
#define BTRFS_DIR_ITEM_KEY 84
#define BTRFS_DIR_INDEX_KEY 96
#define BTRFS_EXTENT_DATA_KEY 108
#define BTRFS_ROOT_ITEM_KEY 132
#define BTRFS_ROOT_BACKREF_KEY 144
#define BTRFS_ROOT_REF_KEY 156
#define BTRFS_CHUNK_ITEM_KEY 228

/* Chunk (block group) type and profile bits. */
#define BTRFS_BLOCK_GROUP_DATA 0x001ull
#define BTRFS_BLOCK_GROUP_SYSTEM 0x002ull
#define BTRFS_BLOCK_GROUP_METADATA 0x004ull
#define BTRFS_BLOCK_GROUP_RAID0 0x008ull
#define BTRFS_BLOCK_GROUP_RAID1 0x010ull
#define BTRFS_BLOCK_GROUP_DUP 0x020ull
#define BTRFS_BLOCK_GROUP_RAID10 0x040ull
#define BTRFS_BLOCK_GROUP_RAID5 0x080ull
#define BTRFS_BLOCK_GROUP_RAID6 0x100ull
#define BTRFS_BLOCK_GROUP_RAID1C3 0x200ull
#define BTRFS_BLOCK_GROUP_RAID1C4 0x400ull
/* Profiles where every stripe is a whole copy of the chunk. */
#define BTRFS_BLOCK_GROUP_MIRRORED                                                          \
	(BTRFS_BLOCK_GROUP_RAID1 | BTRFS_BLOCK_GROUP_DUP | BTRFS_BLOCK_GROUP_RAID1C3 |     \
	 BTRFS_BLOCK_GROUP_RAID1C4)
#define BTRFS_BLOCK_GROUP_STRIPED                                                           \
	(BTRFS_BLOCK_GROUP_RAID0 | BTRFS_BLOCK_GROUP_RAID10 | BTRFS_BLOCK_GROUP_RAID5 |    \
	 BTRFS_BLOCK_GROUP_RAID6)

/* Directory entry types (btrfs_dir_item.type). */
#define BTRFS_FT_REG_FILE 1
#define BTRFS_FT_DIR 2
#define BTRFS_FT_SYMLINK 7
#define BTRFS_FT_MAX 8

/* btrfs_file_extent_item.type and .compression */
#define BTRFS_FILE_EXTENT_INLINE 0
#define BTRFS_FILE_EXTENT_REG 1
#define BTRFS_FILE_EXTENT_PREALLOC 2
#define BTRFS_COMPRESS_NONE 0
#define BTRFS_COMPRESS_ZLIB 1
#define BTRFS_COMPRESS_LZO 2
#define BTRFS_COMPRESS_ZSTD 3
/* A compressed extent holds at most this much data, before and after
 * compression (fs/btrfs/compression.h BTRFS_MAX_UNCOMPRESSED). */
#define BTRFS_MAX_COMPRESSED (128u << 10)

/* inode_item.mode (POSIX) */
#define BTRFS_S_IFMT 0170000u
#define BTRFS_S_IFREG 0100000u
#define BTRFS_S_IFDIR 0040000u
#define BTRFS_S_IFLNK 0120000u

/* A key: (objectid, type, offset), compared in that order. 17 bytes. */
struct btrfs_disk_key {
	uint64_t objectid;
	uint8_t type;
	uint64_t offset;
} ABI_PACKED;
ABI_OFFSET(struct btrfs_disk_key, objectid, 0);
ABI_OFFSET(struct btrfs_disk_key, type, 8);
ABI_OFFSET(struct btrfs_disk_key, offset, 9);
ABI_SIZE(struct btrfs_disk_key, 17);

/*
 * dev_item, embedded in the superblock at 0xc9: the device this copy of
 * the superblock is on.
 *   0x00 devid   0x08 total_bytes   0x42 uuid[16]   0x52 fsid[16]
 */
struct btrfs_dev_item {
	uint64_t devid;
	uint64_t total_bytes;
	uint8_t _pad0[50];
	uint8_t uuid[16];
	uint8_t fsid[16];
} ABI_PACKED;
ABI_OFFSET(struct btrfs_dev_item, devid, 0);
ABI_OFFSET(struct btrfs_dev_item, total_bytes, 8);
ABI_OFFSET(struct btrfs_dev_item, uuid, 66);
ABI_OFFSET(struct btrfs_dev_item, fsid, 82);
ABI_SIZE(struct btrfs_dev_item, 98);

/*
 * The superblock, 4096 bytes at each copy's offset.
 *
 *   0x000 csum[32]     0x070 total_bytes        0x0c4 csum_type
 *   0x020 fsid[16]     0x088 num_devices        0x0c6 root_level
 *   0x030 bytenr       0x090 sectorsize         0x0c7 chunk_root_level
 *   0x040 magic        0x094 nodesize           0x0c9 dev_item
 *   0x048 generation   0x0a0 sys_chunk_array_size 0x12b label[256]
 *   0x050 root         0x0bc incompat_flags     0x23b metadata_uuid[16]
 *   0x058 chunk_root   0x0a4 chunk_root_generation 0x32b sys_chunk_array[2048]
 */
struct btrfs_super_block {
	uint8_t csum[BTRFS_CSUM_SIZE];
	uint8_t fsid[BTRFS_FSID_SIZE];
	uint64_t bytenr;
	uint64_t flags;
	uint64_t magic;
	uint64_t generation;
	uint64_t root;
	uint64_t chunk_root;
	uint64_t log_root;
	uint64_t _pad0;
	uint64_t total_bytes;
	uint64_t bytes_used;
	uint64_t root_dir_objectid;
	uint64_t num_devices;
	uint32_t sectorsize;
	uint32_t nodesize;
	uint32_t _pad1;
	uint32_t stripesize;
	uint32_t sys_chunk_array_size;
	uint64_t chunk_root_generation;
	uint64_t compat_flags;
	uint64_t compat_ro_flags;
	uint64_t incompat_flags;
	uint16_t csum_type;
	uint8_t root_level;
	uint8_t chunk_root_level;
	uint8_t log_root_level;
	struct btrfs_dev_item dev_item;
	char label[BTRFS_LABEL_SIZE];
	uint64_t cache_generation;
	uint64_t uuid_tree_generation;
	uint8_t metadata_uuid[BTRFS_FSID_SIZE];
	uint8_t _pad2[224];
	uint8_t sys_chunk_array[BTRFS_SYS_CHUNK_ARRAY_SIZE];
	uint8_t _pad3[1237];
} ABI_PACKED;
ABI_OFFSET(struct btrfs_super_block, csum, 0x00);
ABI_OFFSET(struct btrfs_super_block, fsid, 0x20);
ABI_OFFSET(struct btrfs_super_block, bytenr, 0x30);
ABI_OFFSET(struct btrfs_super_block, magic, 0x40);
ABI_OFFSET(struct btrfs_super_block, generation, 0x48);
ABI_OFFSET(struct btrfs_super_block, root, 0x50);
ABI_OFFSET(struct btrfs_super_block, chunk_root, 0x58);
ABI_OFFSET(struct btrfs_super_block, total_bytes, 0x70);
ABI_OFFSET(struct btrfs_super_block, num_devices, 0x88);
ABI_OFFSET(struct btrfs_super_block, sectorsize, 0x90);
ABI_OFFSET(struct btrfs_super_block, nodesize, 0x94);
ABI_OFFSET(struct btrfs_super_block, sys_chunk_array_size, 0xa0);
ABI_OFFSET(struct btrfs_super_block, chunk_root_generation, 0xa4);
ABI_OFFSET(struct btrfs_super_block, incompat_flags, 0xbc);
ABI_OFFSET(struct btrfs_super_block, csum_type, 0xc4);
ABI_OFFSET(struct btrfs_super_block, root_level, 0xc6);
ABI_OFFSET(struct btrfs_super_block, chunk_root_level, 0xc7);
ABI_OFFSET(struct btrfs_super_block, dev_item, 0xc9);
ABI_OFFSET(struct btrfs_super_block, label, 0x12b);
ABI_OFFSET(struct btrfs_super_block, metadata_uuid, 0x23b);
ABI_OFFSET(struct btrfs_super_block, sys_chunk_array, 0x32b);
ABI_SIZE(struct btrfs_super_block, BTRFS_SUPER_SIZE);

/*
 * Every tree block starts with this header (101 bytes).
 *   0x00 csum[32]  0x20 fsid[16]  0x30 bytenr  0x50 generation
 *   0x58 owner     0x60 nritems   0x64 level
 */
struct btrfs_header {
	uint8_t csum[BTRFS_CSUM_SIZE];
	uint8_t fsid[BTRFS_FSID_SIZE];
	uint64_t bytenr;
	uint64_t flags;
	uint8_t chunk_tree_uuid[16];
	uint64_t generation;
	uint64_t owner;
	uint32_t nritems;
	uint8_t level;
} ABI_PACKED;
ABI_OFFSET(struct btrfs_header, fsid, 0x20);
ABI_OFFSET(struct btrfs_header, bytenr, 0x30);
ABI_OFFSET(struct btrfs_header, generation, 0x50);
ABI_OFFSET(struct btrfs_header, owner, 0x58);
ABI_OFFSET(struct btrfs_header, nritems, 0x60);
ABI_OFFSET(struct btrfs_header, level, 0x64);
ABI_SIZE(struct btrfs_header, 101);

/* A leaf item: its key, and where its payload is, counted from the end
 * of the header. 25 bytes; the items follow the header. */
struct btrfs_item {
	struct btrfs_disk_key key;
	uint32_t offset;
	uint32_t size;
} ABI_PACKED;
ABI_OFFSET(struct btrfs_item, key, 0);
ABI_OFFSET(struct btrfs_item, offset, 17);
ABI_OFFSET(struct btrfs_item, size, 21);
ABI_SIZE(struct btrfs_item, 25);

/* An interior node's pointer: the first key below it, the child's logical
 * address and the generation it was written in. 33 bytes. */
struct btrfs_key_ptr {
	struct btrfs_disk_key key;
	uint64_t blockptr;
	uint64_t generation;
} ABI_PACKED;
ABI_OFFSET(struct btrfs_key_ptr, key, 0);
ABI_OFFSET(struct btrfs_key_ptr, blockptr, 17);
ABI_OFFSET(struct btrfs_key_ptr, generation, 25);
ABI_SIZE(struct btrfs_key_ptr, 33);

/* One copy of a chunk on a device. 32 bytes. */
struct btrfs_stripe {
	uint64_t devid;
	uint64_t offset;
	uint8_t dev_uuid[16];
} ABI_PACKED;
ABI_OFFSET(struct btrfs_stripe, devid, 0);
ABI_OFFSET(struct btrfs_stripe, offset, 8);
ABI_SIZE(struct btrfs_stripe, 32);

/*
 * CHUNK_ITEM (key: FIRST_CHUNK_TREE_OBJECTID, CHUNK_ITEM, logical start),
 * followed by num_stripes btrfs_stripes. In sys_chunk_array it is preceded
 * by its disk key instead.
 *   0x00 length  0x10 stripe_len  0x18 type  0x2c num_stripes  0x30 stripes
 */
struct btrfs_chunk {
	uint64_t length;
	uint64_t owner;
	uint64_t stripe_len;
	uint64_t type;
	uint32_t io_align;
	uint32_t io_width;
	uint32_t sector_size;
	uint16_t num_stripes;
	uint16_t sub_stripes;
} ABI_PACKED;
ABI_OFFSET(struct btrfs_chunk, length, 0);
ABI_OFFSET(struct btrfs_chunk, stripe_len, 16);
ABI_OFFSET(struct btrfs_chunk, type, 24);
ABI_OFFSET(struct btrfs_chunk, num_stripes, 44);
ABI_SIZE(struct btrfs_chunk, 48);

/*
 * INODE_ITEM (key: inode, INODE_ITEM, 0), 160 bytes.
 *   0x10 size  0x28 nlink  0x34 mode  0x40 flags
 */
struct btrfs_inode_item {
	uint64_t generation;
	uint64_t transid;
	uint64_t size;
	uint64_t nbytes;
	uint64_t block_group;
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
	uint32_t mode;
	uint64_t rdev;
	uint64_t flags;
	uint8_t _pad0[88];
} ABI_PACKED;
ABI_OFFSET(struct btrfs_inode_item, size, 0x10);
ABI_OFFSET(struct btrfs_inode_item, nlink, 0x28);
ABI_OFFSET(struct btrfs_inode_item, mode, 0x34);
ABI_OFFSET(struct btrfs_inode_item, flags, 0x40);
ABI_SIZE(struct btrfs_inode_item, 160);

/*
 * ROOT_ITEM (key: tree id, ROOT_ITEM, 0 or the snapshot's transid) in the
 * root tree: where a tree's root block is. Older filesystems store only
 * the first 239 bytes, which is all that is read.
 *   0xa0 generation  0xa8 root_dirid  0xb0 bytenr  0xee level
 */
struct btrfs_root_item {
	struct btrfs_inode_item inode;
	uint64_t generation;
	uint64_t root_dirid;
	uint64_t bytenr;
	uint64_t byte_limit;
	uint64_t bytes_used;
	uint64_t last_snapshot;
	uint64_t flags;
	uint32_t refs;
	struct btrfs_disk_key drop_progress;
	uint8_t drop_level;
	uint8_t level;
} ABI_PACKED;
ABI_OFFSET(struct btrfs_root_item, generation, 0xa0);
ABI_OFFSET(struct btrfs_root_item, root_dirid, 0xa8);
ABI_OFFSET(struct btrfs_root_item, bytenr, 0xb0);
ABI_OFFSET(struct btrfs_root_item, refs, 0xd8);
ABI_OFFSET(struct btrfs_root_item, level, 0xee);
ABI_SIZE(struct btrfs_root_item, 239);

/*
 * DIR_ITEM (key: dir, DIR_ITEM, name hash) and DIR_INDEX (key: dir,
 * DIR_INDEX, sequence): 30 bytes, then name_len bytes of name, then
 * data_len bytes (xattrs only). A DIR_ITEM may hold several entries whose
 * names share a hash, back to back.
 *   0x00 location (an INODE_ITEM key, or a ROOT_ITEM key for a subvolume)
 *   0x19 data_len  0x1b name_len  0x1d type
 */
struct btrfs_dir_item {
	struct btrfs_disk_key location;
	uint64_t transid;
	uint16_t data_len;
	uint16_t name_len;
	uint8_t type;
} ABI_PACKED;
ABI_OFFSET(struct btrfs_dir_item, location, 0);
ABI_OFFSET(struct btrfs_dir_item, data_len, 25);
ABI_OFFSET(struct btrfs_dir_item, name_len, 27);
ABI_OFFSET(struct btrfs_dir_item, type, 29);
ABI_SIZE(struct btrfs_dir_item, 30);

/* INODE_REF (key: inode, INODE_REF, parent dir): index, then the name. */
struct btrfs_inode_ref {
	uint64_t index;
	uint16_t name_len;
} ABI_PACKED;
ABI_OFFSET(struct btrfs_inode_ref, name_len, 8);
ABI_SIZE(struct btrfs_inode_ref, 10);

/*
 * ROOT_REF (key: parent tree, ROOT_REF, subvolume) and ROOT_BACKREF (key:
 * subvolume, ROOT_BACKREF, parent tree): the directory of the parent tree
 * the subvolume hangs from, and its name.
 */
struct btrfs_root_ref {
	uint64_t dirid;
	uint64_t sequence;
	uint16_t name_len;
} ABI_PACKED;
ABI_OFFSET(struct btrfs_root_ref, dirid, 0);
ABI_OFFSET(struct btrfs_root_ref, name_len, 16);
ABI_SIZE(struct btrfs_root_ref, 18);

/*
 * EXTENT_DATA (key: inode, EXTENT_DATA, file offset). An inline extent's
 * data starts at 0x15 and fills the rest of the item; the other types go
 * on with where the extent is.
 *   0x08 ram_bytes  0x10 compression  0x11 encryption  0x12 other_encoding
 *   0x14 type  0x15 disk_bytenr  0x1d disk_num_bytes  0x25 offset  0x2d num_bytes
 */
struct btrfs_file_extent_item {
	uint64_t generation;
	uint64_t ram_bytes;
	uint8_t compression;
	uint8_t encryption;
	uint16_t other_encoding;
	uint8_t type;
	uint64_t disk_bytenr;
	uint64_t disk_num_bytes;
	uint64_t offset;
	uint64_t num_bytes;
} ABI_PACKED;
ABI_OFFSET(struct btrfs_file_extent_item, ram_bytes, 0x08);
ABI_OFFSET(struct btrfs_file_extent_item, compression, 0x10);
ABI_OFFSET(struct btrfs_file_extent_item, encryption, 0x11);
ABI_OFFSET(struct btrfs_file_extent_item, other_encoding, 0x12);
ABI_OFFSET(struct btrfs_file_extent_item, type, 0x14);
ABI_OFFSET(struct btrfs_file_extent_item, disk_bytenr, 0x15);
ABI_OFFSET(struct btrfs_file_extent_item, disk_num_bytes, 0x1d);
ABI_OFFSET(struct btrfs_file_extent_item, offset, 0x25);
ABI_OFFSET(struct btrfs_file_extent_item, num_bytes, 0x2d);
ABI_SIZE(struct btrfs_file_extent_item, 53);
#define BTRFS_FILE_EXTENT_INLINE_DATA 21u /* offsetof(..., disk_bytenr) */

#endif
