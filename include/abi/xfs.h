/* SPDX-License-Identifier: MIT */
/*
 * XFS on-disk structures, as documented in "XFS Algorithms & Data
 * Structures" (xfs-documentation, design/XFS_Filesystem_Structure) and the
 * kernel's fs/xfs/libxfs/xfs_format.h, xfs_da_format.h. Everything is
 * big-endian except the CRC32C fields of v5 metadata, which are stored
 * little-endian. Only the fields the read-only driver uses are named; every
 * named field is pinned to its documented offset below.
 *
 * Layout of a volume: sb_agcount allocation groups (AGs) of sb_agblocks
 * blocks each (the last may be shorter); the primary superblock is sector 0
 * of AG 0. Addresses come in two kinds:
 *   - an inode number is agno:agbno:slot, each part sb_agblklog and
 *     sb_inopblog bits wide (agno in the high bits);
 *   - a block number inside an inode fork ("fsblock") is agno:agbno with
 *     agbno sb_agblklog bits wide: NOT a linear block number when
 *     sb_agblocks is not a power of two.
 */
#ifndef PVHBOOT_ABI_XFS_H
#define PVHBOOT_ABI_XFS_H

#include "abi.h"

#define XFS_SB_MAGIC 0x58465342u         /* "XFSB" */
#define XFS_MIN_BLOCK_LOG 9              /* 512 B */
#define XFS_MAX_BLOCK_LOG 16             /* 64 KiB */
#define XFS_MIN_SECT_LOG 9
#define XFS_MAX_SECT_LOG 15              /* 32 KiB */
#define XFS_MIN_INODE_LOG 8              /* 256 B (v4 allows it; v5 needs 512) */
#define XFS_MAX_INODE_LOG 11             /* 2 KiB */
#define XFS_V5_MIN_INODE 512u
#define XFS_MAX_DIRBLOCK_LOG 16          /* directory blocks of at most 64 KiB */
#define XFS_NULL_INO 0xffffffffffffffffull

/* sb_versionnum: the low nibble is the version, the rest feature bits. */
#define XFS_SB_VERSION_NUMBITS 0x000fu
#define XFS_SB_VERSION_4 4
#define XFS_SB_VERSION_5 5
#define XFS_SB_VERSION_DIRV2BIT 0x2000u  /* v4: version 2 directories */
#define XFS_SB_VERSION_BORGBIT 0x4000u   /* v4: ASCII case-insensitive names */
#define XFS_SB_VERSION_MOREBITSBIT 0x8000u /* sb_features2 is valid */

/* sb_features2 (v4, and mirrored on v5) */
#define XFS_SB_VERSION2_FTYPE 0x00000200u /* file type in directory entries */

/* v5 sb_features_ro_compat: only writers care; a reader ignores them all. */
#define XFS_SB_FEAT_RO_COMPAT_FINOBT 0x1u
#define XFS_SB_FEAT_RO_COMPAT_RMAPBT 0x2u
#define XFS_SB_FEAT_RO_COMPAT_REFLINK 0x4u
#define XFS_SB_FEAT_RO_COMPAT_INOBTCNT 0x8u

/* v5 sb_features_incompat (names as xfs_info prints them). */
#define XFS_SB_FEAT_INCOMPAT_FTYPE 0x001u
#define XFS_SB_FEAT_INCOMPAT_SPINODES 0x002u  /* sparse inode chunks */
#define XFS_SB_FEAT_INCOMPAT_META_UUID 0x004u /* metadata stamped with sb_meta_uuid */
#define XFS_SB_FEAT_INCOMPAT_BIGTIME 0x008u
#define XFS_SB_FEAT_INCOMPAT_NEEDSREPAIR 0x010u
#define XFS_SB_FEAT_INCOMPAT_NREXT64 0x020u   /* 64-bit data fork extent counters */
#define XFS_SB_FEAT_INCOMPAT_EXCHRANGE 0x040u
#define XFS_SB_FEAT_INCOMPAT_PARENT 0x080u    /* parent pointers (in attr forks) */
#define XFS_SB_FEAT_INCOMPAT_METADIR 0x100u   /* metadata directory tree */
#define XFS_SB_FEAT_INCOMPAT_ZONED 0x200u
#define XFS_SB_FEAT_INCOMPAT_ZONE_GAPS 0x400u

/*
 * The superblock, sector 0 of the volume (the v5 CRC covers sb_sectsize
 * bytes with sb_crc taken as zero).
 *
 *   0x00 sb_magicnum   0x20 sb_uuid[16]   0x64 sb_versionnum  0x78 sb_blocklog
 *   0x04 sb_blocksize  0x38 sb_rootino    0x66 sb_sectsize    0x79 sb_sectlog
 *   0x08 sb_dblocks    0x54 sb_agblocks   0x68 sb_inodesize   0x7a sb_inodelog
 *   0x30 sb_logstart   0x58 sb_agcount    0x6a sb_inopblock   0x7b sb_inopblog
 *   0x60 sb_logblocks                     0x6c sb_fname[12]   0x7c sb_agblklog
 *                                                            0x7e sb_inprogress
 *   0xc0 sb_dirblklog  0xc8 sb_features2  0xd0 .. 0xdc features_compat,
 *   ro_compat, incompat, log_incompat     0xe0 sb_crc (LE)   0xf8 sb_meta_uuid
 */
struct xfs_sb {
	uint32_t sb_magicnum;
	uint32_t sb_blocksize;
	uint64_t sb_dblocks;
	uint8_t _pad0[16];
	uint8_t sb_uuid[16];
	uint64_t sb_logstart;
	uint64_t sb_rootino;
	uint8_t _pad1[20];
	uint32_t sb_agblocks;
	uint32_t sb_agcount;
	uint32_t sb_rbmblocks;
	uint32_t sb_logblocks;
	uint16_t sb_versionnum;
	uint16_t sb_sectsize;
	uint16_t sb_inodesize;
	uint16_t sb_inopblock;
	char sb_fname[12];
	uint8_t sb_blocklog;
	uint8_t sb_sectlog;
	uint8_t sb_inodelog;
	uint8_t sb_inopblog;
	uint8_t sb_agblklog;
	uint8_t sb_rextslog;
	uint8_t sb_inprogress;
	uint8_t sb_imax_pct;
	uint8_t _pad3[64];
	uint8_t sb_dirblklog;
	uint8_t _pad4[7];
	uint32_t sb_features2;
	uint32_t sb_bad_features2;
	uint32_t sb_features_compat;
	uint32_t sb_features_ro_compat;
	uint32_t sb_features_incompat;
	uint32_t sb_features_log_incompat;
	uint32_t sb_crc;
	uint8_t _pad5[20];
	uint8_t sb_meta_uuid[16];
} ABI_PACKED;
ABI_OFFSET(struct xfs_sb, sb_magicnum, 0x00);
ABI_OFFSET(struct xfs_sb, sb_blocksize, 0x04);
ABI_OFFSET(struct xfs_sb, sb_dblocks, 0x08);
ABI_OFFSET(struct xfs_sb, sb_uuid, 0x20);
ABI_OFFSET(struct xfs_sb, sb_logstart, 0x30);
ABI_OFFSET(struct xfs_sb, sb_rootino, 0x38);
ABI_OFFSET(struct xfs_sb, sb_agblocks, 0x54);
ABI_OFFSET(struct xfs_sb, sb_agcount, 0x58);
ABI_OFFSET(struct xfs_sb, sb_logblocks, 0x60);
ABI_OFFSET(struct xfs_sb, sb_versionnum, 0x64);
ABI_OFFSET(struct xfs_sb, sb_sectsize, 0x66);
ABI_OFFSET(struct xfs_sb, sb_inodesize, 0x68);
ABI_OFFSET(struct xfs_sb, sb_inopblock, 0x6a);
ABI_OFFSET(struct xfs_sb, sb_fname, 0x6c);
ABI_OFFSET(struct xfs_sb, sb_blocklog, 0x78);
ABI_OFFSET(struct xfs_sb, sb_sectlog, 0x79);
ABI_OFFSET(struct xfs_sb, sb_inodelog, 0x7a);
ABI_OFFSET(struct xfs_sb, sb_inopblog, 0x7b);
ABI_OFFSET(struct xfs_sb, sb_agblklog, 0x7c);
ABI_OFFSET(struct xfs_sb, sb_inprogress, 0x7e);
ABI_OFFSET(struct xfs_sb, sb_dirblklog, 0xc0);
ABI_OFFSET(struct xfs_sb, sb_features2, 0xc8);
ABI_OFFSET(struct xfs_sb, sb_features_compat, 0xd0);
ABI_OFFSET(struct xfs_sb, sb_features_ro_compat, 0xd4);
ABI_OFFSET(struct xfs_sb, sb_features_incompat, 0xd8);
ABI_OFFSET(struct xfs_sb, sb_features_log_incompat, 0xdc);
ABI_OFFSET(struct xfs_sb, sb_crc, 0xe0);
ABI_OFFSET(struct xfs_sb, sb_meta_uuid, 0xf8);
ABI_SIZE(struct xfs_sb, 0x108);
#define XFS_SB_CRC_OFF 0xe0u

/*
 * An inode (xfs_dinode): a 100-byte core (versions 1 and 2) or 176-byte
 * core (version 3, v5 filesystems), then the data fork, then the attribute
 * fork at di_forkoff * 8 bytes after the core (0: no attribute fork).
 *
 *   0x00 di_magic "IN"  0x04 di_version  0x05 di_format   0x18 di_big_nextents (nrext64)
 *   0x38 di_size        0x4c di_nextents (without nrext64) 0x52 di_forkoff
 *   0x5a di_flags       0x64 di_crc (v3, LE)  0x78 di_flags2  0x98 di_ino
 *   0xa0 di_uuid
 */
#define XFS_DINODE_MAGIC 0x494eu          /* "IN" */
#define XFS_DINODE_CORE_V2 100u
#define XFS_DINODE_CORE_V3 176u
#define XFS_DINODE_CRC_OFF 0x64u

/* di_format */
#define XFS_DINODE_FMT_DEV 0
#define XFS_DINODE_FMT_LOCAL 1      /* data in the fork itself */
#define XFS_DINODE_FMT_EXTENTS 2    /* an array of extent records */
#define XFS_DINODE_FMT_BTREE 3      /* the root of a bmap btree */

/* di_flags, di_flags2 */
#define XFS_DIFLAG_REALTIME 0x0001u
#define XFS_DIFLAG2_NREXT64 0x10u   /* di_big_nextents holds the extent count */

#define XFS_S_IFMT 0xf000u
#define XFS_S_IFREG 0x8000u
#define XFS_S_IFDIR 0x4000u
#define XFS_S_IFLNK 0xa000u

struct xfs_dinode {
	uint16_t di_magic;
	uint16_t di_mode;
	uint8_t di_version;
	uint8_t di_format;
	uint8_t _pad0[18];
	uint64_t di_big_nextents;
	uint8_t _pad1[24];
	uint64_t di_size;
	uint64_t di_nblocks;
	uint32_t di_extsize;
	uint32_t di_nextents;
	uint16_t di_anextents;
	uint8_t di_forkoff;
	int8_t di_aformat;
	uint8_t _pad2[6];
	uint16_t di_flags;
	uint32_t di_gen;
	uint32_t di_next_unlinked;
	/* version 3 from here */
	uint32_t di_crc;
	uint8_t _pad3[16];
	uint64_t di_flags2;
	uint8_t _pad4[24];
	uint64_t di_ino;
	uint8_t di_uuid[16];
} ABI_PACKED;
ABI_OFFSET(struct xfs_dinode, di_magic, 0x00);
ABI_OFFSET(struct xfs_dinode, di_mode, 0x02);
ABI_OFFSET(struct xfs_dinode, di_version, 0x04);
ABI_OFFSET(struct xfs_dinode, di_format, 0x05);
ABI_OFFSET(struct xfs_dinode, di_big_nextents, 0x18);
ABI_OFFSET(struct xfs_dinode, di_size, 0x38);
ABI_OFFSET(struct xfs_dinode, di_nextents, 0x4c);
ABI_OFFSET(struct xfs_dinode, di_forkoff, 0x52);
ABI_OFFSET(struct xfs_dinode, di_flags, 0x5a);
ABI_OFFSET(struct xfs_dinode, di_crc, 0x64);
ABI_OFFSET(struct xfs_dinode, di_flags2, 0x78);
ABI_OFFSET(struct xfs_dinode, di_ino, 0x98);
ABI_OFFSET(struct xfs_dinode, di_uuid, 0xa0);
ABI_SIZE(struct xfs_dinode, XFS_DINODE_CORE_V3);

/*
 * An extent record (xfs_bmbt_rec): 128 bits, big-endian, packed as
 *   bit 127      unwritten (preallocated: reads as zeros)
 *   bits 73-126  startoff   (logical block, 54 bits)
 *   bits 21-72   startblock (fsblock, 52 bits)
 *   bits 0-20    blockcount (21 bits)
 */
#define XFS_BMBT_REC_SIZE 16u
#define XFS_BMBT_STARTOFF_BITS 54
#define XFS_BMBT_STARTBLOCK_BITS 52
#define XFS_BMBT_BLOCKCOUNT_BITS 21

/*
 * Bmap btree. The root in the inode fork (xfs_bmdr_block) is a 4-byte
 * header, then maxrecs 8-byte keys (startoff), then maxrecs 8-byte child
 * fsblock pointers, maxrecs = (fork size - 4) / 16. Blocks below it use the
 * long btree header, then records (level 0) or keys and pointers sized by
 * the block, the same way.
 */
#define XFS_BMAP_MAGIC 0x424d4150u    /* "BMAP", v4 */
#define XFS_BMAP_CRC_MAGIC 0x424d4133u /* "BMA3", v5 */
#define XFS_BTREE_MAX_LEVELS 9        /* the kernel's bmbt bound for 2^54 blocks */

struct xfs_bmdr_block {
	uint16_t bb_level;
	uint16_t bb_numrecs;
} ABI_PACKED;
ABI_OFFSET(struct xfs_bmdr_block, bb_level, 0);
ABI_OFFSET(struct xfs_bmdr_block, bb_numrecs, 2);
ABI_SIZE(struct xfs_bmdr_block, 4);

/*   0x00 bb_magic 0x04 bb_level 0x06 bb_numrecs 0x08 leftsib 0x10 rightsib
 *   v5: 0x18 bb_blkno (daddr) 0x20 lsn 0x28 bb_uuid 0x38 bb_owner 0x40 bb_crc */
struct xfs_btree_lblock {
	uint32_t bb_magic;
	uint16_t bb_level;
	uint16_t bb_numrecs;
	uint64_t bb_leftsib;
	uint64_t bb_rightsib;
	uint64_t bb_blkno;
	uint64_t bb_lsn;
	uint8_t bb_uuid[16];
	uint64_t bb_owner;
	uint32_t bb_crc;
	uint32_t bb_pad;
} ABI_PACKED;
ABI_OFFSET(struct xfs_btree_lblock, bb_magic, 0x00);
ABI_OFFSET(struct xfs_btree_lblock, bb_level, 0x04);
ABI_OFFSET(struct xfs_btree_lblock, bb_numrecs, 0x06);
ABI_OFFSET(struct xfs_btree_lblock, bb_blkno, 0x18);
ABI_OFFSET(struct xfs_btree_lblock, bb_uuid, 0x28);
ABI_OFFSET(struct xfs_btree_lblock, bb_owner, 0x38);
ABI_OFFSET(struct xfs_btree_lblock, bb_crc, 0x40);
ABI_SIZE(struct xfs_btree_lblock, 72);
#define XFS_BTREE_LBLOCK_V4 24u
#define XFS_BTREE_LBLOCK_CRC_OFF 0x40u

/*
 * v5 metadata blocks (directory data, remote symlink) start with a common
 * header: magic, CRC (LE), the block's own disk address in 512-byte units,
 * an LSN, the filesystem's metadata UUID and the owning inode.
 */
struct xfs_dir3_blk_hdr {
	uint32_t magic;
	uint32_t crc;
	uint64_t blkno;
	uint64_t lsn;
	uint8_t uuid[16];
	uint64_t owner;
} ABI_PACKED;
ABI_OFFSET(struct xfs_dir3_blk_hdr, magic, 0);
ABI_OFFSET(struct xfs_dir3_blk_hdr, crc, 4);
ABI_OFFSET(struct xfs_dir3_blk_hdr, blkno, 8);
ABI_OFFSET(struct xfs_dir3_blk_hdr, uuid, 24);
ABI_OFFSET(struct xfs_dir3_blk_hdr, owner, 40);
ABI_SIZE(struct xfs_dir3_blk_hdr, 48);
#define XFS_DIR3_CRC_OFF 4u

/*
 * Directories (version 2 format; "dir3" on v5). Short form lives in the
 * inode: a header (count, i8count, parent as 4 or 8 bytes), then entries
 * (namelen, a 2-byte offset, the name, a file type byte with ftype, the
 * inode number as 4 or 8 bytes, 8 when i8count != 0).
 *
 * Otherwise the directory's blocks (1 << sb_dirblklog fs blocks each) sit
 * in three 32 GiB address spaces of the fork: data blocks from offset 0,
 * then leaf/node index blocks, then free-space index blocks. Only the data
 * blocks hold entries. A single-block directory ("block" form) ends its
 * one data block with a leaf array and a tail (count, stale).
 */
#define XFS_DIR2_SF_HDR_SIZE4 6u        /* count, i8count, 4-byte parent */
#define XFS_DIR2_DATA_SPACE_END (32ull << 30) /* leaf space starts here */

#define XFS_DIR2_BLOCK_MAGIC 0x58443242u /* "XD2B": block form, v4 */
#define XFS_DIR2_DATA_MAGIC 0x58443244u  /* "XD2D": data block, v4 */
#define XFS_DIR3_BLOCK_MAGIC 0x58444233u /* "XDB3" */
#define XFS_DIR3_DATA_MAGIC 0x58444433u  /* "XDD3" */
#define XFS_DIR2_DATA_HDR_SIZE 16u       /* magic + 3 bestfree pairs */
#define XFS_DIR3_DATA_HDR_SIZE 64u       /* dir3_blk_hdr + bestfree + pad */
#define XFS_DIR2_DATA_FREE_TAG 0xffffu   /* an unused region's first 2 bytes */
#define XFS_DIR2_DATA_ALIGN 8u
#define XFS_DIR2_BLOCK_TAIL_SIZE 8u      /* count, stale */
#define XFS_DIR2_LEAF_ENTRY_SIZE 8u      /* hashval, address */

/* Directory entry file types (ftype). */
#define XFS_DIR3_FT_REG_FILE 1
#define XFS_DIR3_FT_DIR 2
#define XFS_DIR3_FT_SYMLINK 7
#define XFS_DIR3_FT_MAX 8                /* whiteout is 8 */

/* A data entry: inumber (8), namelen (1), name, [ftype (1)], padding to 8,
 * and a 2-byte tag (its own offset) in the last two bytes. */
#define XFS_DIR2_DATA_ENTRY_FIXED 11u    /* inumber + namelen + tag */

/* Remote symlink blocks on v5: "XSLM" header, then the target bytes. */
#define XFS_SYMLINK_MAGIC 0x58534c4du
#define XFS_SYMLINK_MAXLEN 1024u
struct xfs_dsymlink_hdr {
	uint32_t sl_magic;
	uint32_t sl_offset;
	uint32_t sl_bytes;
	uint32_t sl_crc;
	uint8_t sl_uuid[16];
	uint64_t sl_owner;
	uint64_t sl_blkno;
	uint64_t sl_lsn;
} ABI_PACKED;
ABI_OFFSET(struct xfs_dsymlink_hdr, sl_magic, 0);
ABI_OFFSET(struct xfs_dsymlink_hdr, sl_offset, 4);
ABI_OFFSET(struct xfs_dsymlink_hdr, sl_bytes, 8);
ABI_OFFSET(struct xfs_dsymlink_hdr, sl_crc, 12);
ABI_OFFSET(struct xfs_dsymlink_hdr, sl_uuid, 16);
ABI_OFFSET(struct xfs_dsymlink_hdr, sl_owner, 32);
ABI_OFFSET(struct xfs_dsymlink_hdr, sl_blkno, 40);
ABI_SIZE(struct xfs_dsymlink_hdr, 56);
#define XFS_SYMLINK_CRC_OFF 12u

#endif
