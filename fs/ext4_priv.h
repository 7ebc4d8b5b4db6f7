/* SPDX-License-Identifier: MIT */
/*
 * Internals of the read-only ext2/3/4 driver, shared by its files:
 *   ext4.c        mount (superblock checks, features), the fs_ops table
 *   ext4_inode.c  group descriptors, inode loading, inline data location
 *   ext4_map.c    logical -> physical block runs (extent trees, block maps)
 *   ext4_read.c   file bytes and symlink targets
 *   ext4_dir.c    directory iteration, lookup, readdir
 *   ext4_bmap.c   a file's bytes on the volume, for rewrites in place
 * Nothing here is used outside fs/ext4*.c except by the unit test, which
 * reads the I/O counters.
 */
#ifndef PVHBOOT_FS_EXT4_PRIV_H
#define PVHBOOT_FS_EXT4_PRIV_H

#include "../include/abi/ext4.h"
#include "fs.h"

/* Metadata blocks (extent nodes, indirect blocks) kept across lookups, so a
 * sequential read walks each tree node once. Enough for the deepest path. */
#define EXT4_META_SLOTS 6

struct ext4_meta_slot {
	uint64_t block;
	bool valid;
	uint8_t *data;          /* block_size bytes, allocated on first use */
};

struct ext4_fs {
	struct fs base;         /* first: fs.c sees only this */
	struct volume *vol;
	uint32_t block_size;
	uint32_t inode_size;
	uint32_t desc_size;
	uint32_t inodes_count;
	uint32_t inodes_per_group;
	uint32_t blocks_per_group;
	uint32_t first_data_block;
	uint32_t first_meta_bg;
	uint32_t groups;
	uint32_t backup_bgs[2];
	uint64_t blocks_count;
	uint32_t compat, incompat, ro_compat;
	uint8_t uuid[16];
	char label[17];
	unsigned meta_next;     /* round-robin victim */
	struct ext4_meta_slot meta[EXT4_META_SLOTS];
	/* Statistics for tests and benchmarks. */
	uint64_t nr_reads;      /* volume_read() calls */
	uint64_t nr_data_reads; /* of which file data spans */
	uint64_t bytes_read;
};

/* The parts of an inode the driver uses, decoded and checked. */
struct ext4_node {
	uint32_t ino;
	uint16_t mode;
	uint32_t flags;
	uint64_t size;
	uint64_t blocks;        /* i_blocks, raw units (see ext4_read.c) */
	uint64_t file_acl;
	uint8_t i_block[EXT4_I_BLOCK_SIZE];
	/* inline_data: where the "system.data" value is on the volume. */
	uint64_t inline_off;
	uint32_t inline_len;
};

static inline struct ext4_fs *EXT4(struct fs *fs)
{
	return (struct ext4_fs *)fs;
}

static inline bool ext4_has(const struct ext4_fs *e, uint32_t incompat)
{
	return (e->incompat & incompat) != 0;
}

/*
 * ext4_dev_read() - @len bytes at byte @off of the volume. Every read of
 * the driver goes through here. Returns 0, -ENOMEM, or -EIO with a message naming
 * the volume and @what (the inode or structure being read).
 */
int ext4_dev_read(struct ext4_fs *e, uint64_t off, void *buf, size_t len, const char *what,
		  uint32_t ino);

/*
 * ext4_corrupt() - log "VOL: ext4 inode N: WHY" (or without the inode when
 * @ino is 0) and return -EUCLEAN.
 */
int ext4_corrupt(const struct ext4_fs *e, uint32_t ino, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ext4_inode_load() - inode @ino, checked. Returns 0, -EUCLEAN or -EIO. */
int ext4_inode_load(struct ext4_fs *e, uint64_t ino, struct ext4_node *out);

/* One run of logical blocks with the same fate. */
struct ext4_run {
	uint64_t pblk;          /* first physical block, if mapped */
	uint64_t count;         /* >= 1 */
	bool mapped;            /* false: a hole or an unwritten extent (zeros) */
};

/* Logical blocks are 32-bit in both block maps and extents. */
#define EXT4_MAX_LBLK (1ull << 32)

/*
 * ext4_map() - the run starting at logical block @lblk (< EXT4_MAX_LBLK) of
 * @n. Its physical blocks are inside the filesystem. Returns 0, -EUCLEAN
 * or -EIO.
 */
int ext4_map(struct ext4_fs *e, const struct ext4_node *n, uint64_t lblk, struct ext4_run *out);

/* ext4_meta_block() - block @block through the metadata cache; the pointer
 * stays valid until the next call. */
int ext4_meta_block(struct ext4_fs *e, uint64_t block, uint32_t ino, const uint8_t **out);
void ext4_meta_free(struct ext4_fs *e);

/*
 * ext4_read_data() - bytes [off, off + len) of @n's data (any inode type),
 * clipped at its size. Holes read as zeros. Physically contiguous blocks
 * are read with one volume_read() into @buf. Returns the count or -E*.
 */
long ext4_read_data(struct ext4_fs *e, const struct ext4_node *n, uint64_t off, void *buf,
		    size_t len);

/* Directory entries, in on-disk order; "." and ".." included. */
typedef int (*ext4_dirent_fn)(void *ctx, const char *name, size_t name_len, uint32_t ino,
			      uint8_t file_type);
int ext4_dir_iterate(struct ext4_fs *e, const struct ext4_node *dir, ext4_dirent_fn fn,
		     void *ctx);

extern const struct fs_ops ext4_ops;

/* The fs_ops entry points living outside ext4.c. */
int ext4_lookup(struct fs *fs, uint64_t dir, const char *name, size_t name_len, uint64_t *ino);
int ext4_readdir(struct fs *fs, uint64_t dir,
		 int (*fn)(void *ctx, const char *name, size_t name_len, uint64_t ino,
			   enum fs_type type),
		 void *ctx);
long ext4_read(struct fs *fs, uint64_t ino, uint64_t off, void *buf, size_t len);
int ext4_readlink(struct fs *fs, uint64_t ino, char *buf, size_t cap);
int ext4_fs_map(struct fs *fs, uint64_t ino, uint64_t off, uint64_t len, struct fs_extent *out,
		unsigned *count);

enum fs_type ext4_mode_type(uint16_t mode);

#endif
