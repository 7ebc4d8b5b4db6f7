/* SPDX-License-Identifier: MIT */
/*
 * Internals of the read-only XFS driver, shared by its files:
 *   xfs.c         mount (superblock checks, features, CRC helper), fs_ops table
 *   xfs_inode.c   inode numbers, loading and checking inodes
 *   xfs_bmap.c    logical -> physical block runs (extent lists, bmap btrees)
 *   xfs_read.c    file bytes and symlink targets
 *   xfs_dir.c     directories in every form, lookup, readdir
 *   xfs_log.c     whether the log was left dirty (for a warning)
 * Nothing here is used outside fs/xfs*.c except by the unit test and the
 * fuzz target.
 */
#ifndef PVHBOOT_FS_XFS_PRIV_H
#define PVHBOOT_FS_XFS_PRIV_H

#include "../include/abi/xfs.h"
#include "fs.h"

/* Bmap btree blocks kept across calls, so a sequential read of a file with
 * a btree fork walks each node once. Enough for the deepest tree. */
#define XFS_META_SLOTS 6

/* The largest data fork: a 2 KiB inode less the version 2 core. */
#define XFS_FORK_MAX (2048u - XFS_DINODE_CORE_V2)

struct xfs_meta_slot {
	uint64_t block;         /* linear fs block */
	bool valid;
	uint8_t *data;          /* block_size bytes, allocated on first use */
};

struct xfs_fs {
	struct fs base;         /* first: fs.c sees only this */
	struct volume *vol;
	uint32_t block_size;
	uint8_t block_log;
	uint8_t inode_log;
	uint8_t inopblog;
	uint8_t agblklog;
	uint32_t inode_size;
	uint32_t agblocks;
	uint32_t agcount;
	uint64_t dblocks;
	uint32_t dir_fsbs;      /* fs blocks per directory block */
	uint32_t dir_size;      /* directory block size in bytes */
	uint64_t rootino;
	bool v5;                /* CRCs, version 3 inodes, dir3 headers */
	bool ftype;             /* file type in directory entries */
	bool nrext64;
	uint8_t uuid[16];       /* what blkid shows */
	uint8_t meta_uuid[16];  /* what v5 metadata is stamped with */
	char label[13];
	bool log_dirty;         /* not unmounted cleanly: changes may be missing */
	uint8_t *ibuf;          /* one inode, inode_size bytes */
	unsigned meta_next;     /* round-robin victim */
	struct xfs_meta_slot meta[XFS_META_SLOTS];
	/* Statistics for tests. */
	uint64_t nr_reads;      /* volume_read() calls */
	uint64_t nr_data_reads; /* of which file data spans */
};

/* The parts of an inode the driver uses, decoded and checked. */
struct xfs_node {
	uint64_t ino;
	uint16_t mode;
	uint8_t format;         /* XFS_DINODE_FMT_* of the data fork */
	uint64_t size;
	uint64_t nextents;      /* data fork extents (records, EXTENTS format) */
	uint32_t fork_size;
	uint8_t fork[XFS_FORK_MAX];
};

static inline struct xfs_fs *XFS(struct fs *fs)
{
	return (struct xfs_fs *)fs;
}

/*
 * xfs_corrupt() - fs_corrupt() with "inode N: " before WHY (unless @ino is
 * 0): logs "VOL: xfs: inode N: WHY" and returns -EUCLEAN.
 */
int xfs_corrupt(const struct xfs_fs *x, uint64_t ino, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* xfs_dev_read() - @len bytes at byte @off of the volume. Returns 0,
 * -ENOMEM, or -EIO naming @what. */
int xfs_dev_read(struct xfs_fs *x, uint64_t off, void *buf, size_t len, const char *what,
		 uint64_t ino);

/*
 * xfs_check_crc() - on v5, the CRC32C of @len bytes at @buf with the 4-byte
 * little-endian field at @crc_off taken as zero must equal that field.
 * Returns 0 or -EUCLEAN naming @what and the linear block @block.
 */
int xfs_check_crc(const struct xfs_fs *x, const uint8_t *buf, size_t len, size_t crc_off,
		  const char *what, uint64_t block, uint64_t ino);

/*
 * xfs_fsb_to_block() - the linear block of fork block @fsb (agno:agbno),
 * checked: @count blocks from it lie inside one AG and the filesystem.
 * Returns 0 or -EUCLEAN.
 */
int xfs_fsb_to_block(const struct xfs_fs *x, uint64_t fsb, uint64_t count, uint64_t ino,
		     uint64_t *block);

/* xfs_ino_ok() - @ino names an inode slot inside the filesystem. */
bool xfs_ino_ok(const struct xfs_fs *x, uint64_t ino);

/* xfs_inode_load() - inode @ino, checked. Returns 0, -EUCLEAN, -EOPNOTSUPP or -EIO. */
int xfs_inode_load(struct xfs_fs *x, uint64_t ino, struct xfs_node *out);

/* One run of logical blocks with the same fate. */
struct xfs_run {
	uint64_t pblk;          /* first linear block, if mapped */
	uint64_t count;         /* >= 1 */
	bool mapped;            /* false: a hole or an unwritten extent (zeros) */
};

/* Logical block numbers of a fork are 54 bits wide. */
#define XFS_MAX_LBLK (1ull << XFS_BMBT_STARTOFF_BITS)

/*
 * xfs_map() - the run starting at logical block @lblk (< XFS_MAX_LBLK) of
 * @n's data fork (EXTENTS or BTREE format). Returns 0, -EUCLEAN or -EIO.
 */
int xfs_map(struct xfs_fs *x, const struct xfs_node *n, uint64_t lblk, struct xfs_run *out);
void xfs_meta_free(struct xfs_fs *x);

/*
 * xfs_read_data() - bytes [off, off + len) of @n's data fork, clipped at its
 * size. Holes read as zeros. Returns the count or -E*.
 */
long xfs_read_data(struct xfs_fs *x, const struct xfs_node *n, uint64_t off, void *buf,
		   size_t len);

/* Directory entries, in on-disk order; "." and ".." included. @ftype is 0
 * when the filesystem stores no file types. */
typedef int (*xfs_dirent_fn)(void *ctx, const char *name, size_t name_len, uint64_t ino,
			     uint8_t ftype);
int xfs_dir_iterate(struct xfs_fs *x, const struct xfs_node *dir, xfs_dirent_fn fn, void *ctx);

/*
 * xfs_log_check() - set x->log_dirty, with a warning, when the internal log
 * at fsblock @logstart was not left clean or @log_incompat (v5) has bits.
 * Never fails: the log is only advice to a reader.
 */
void xfs_log_check(struct xfs_fs *x, uint64_t logstart, uint32_t logblocks,
		   uint32_t log_incompat);

extern const struct fs_ops xfs_ops;

/* The fs_ops entry points living outside xfs.c. */
int xfs_lookup(struct fs *fs, uint64_t dir, const char *name, size_t name_len, uint64_t *ino);
int xfs_readdir(struct fs *fs, uint64_t dir,
		int (*fn)(void *ctx, const char *name, size_t name_len, uint64_t ino,
			  enum fs_type type),
		void *ctx);
long xfs_read(struct fs *fs, uint64_t ino, uint64_t off, void *buf, size_t len);
int xfs_readlink(struct fs *fs, uint64_t ino, char *buf, size_t cap);

enum fs_type xfs_mode_type(uint16_t mode);

#endif
