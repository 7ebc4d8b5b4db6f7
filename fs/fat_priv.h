/* SPDX-License-Identifier: MIT */
/*
 * Internals of the read-only FAT driver, shared by its files:
 *   fat.c        boot sector checks, mount, the fs_ops table (stat, read, ids)
 *   fat_chain.c  the FAT (cluster chains, the in-memory window) and
 *                directory entries (inode numbers, walking a directory)
 *   fat_name.c   8.3 and long names, case-folded comparison, name walks
 *   fat_map.c    a file's bytes on the volume, for rewrites in place
 *   fat_xlink.c  whether another file shares a file's clusters (cross-links)
 * Nothing here is used outside fs/fat*.c.
 */
#ifndef PVHBOOT_FS_FAT_PRIV_H
#define PVHBOOT_FS_FAT_PRIV_H

#include "../core/errno.h"
#include "../include/abi/fat.h"
#include "fs.h"

#define FAT_ROOT_INO 1u
#define FAT_DIR_INO (1ull << 63)
#define FAT_EOC 0xffffffffu /* fat_next(): end of chain */

/*
 * The part of the FAT kept in memory; chains are looked up there. At least
 * the block cache's 128 KiB (fs/blockdev.c), so that a window is read
 * straight from the device: through the cache it would evict the
 * directory entry fat_read() looks up on every call, and a 128 MiB read
 * from the ESP under QEMU cost 5 small device reads instead of 1
 * (docs/bench-efi.md). 256 KiB holds the chain of a 256 MiB file in
 * 4 KiB clusters.
 */
#define FAT_WINDOW_BYTES (256u << 10)
/* [FATGEN] §6: a directory holds at most 65536 entries of 32 bytes. */
#define FAT_DIR_MAX_BYTES (65536u * FAT_DIRENT_SIZE)
/* A long name in UTF-8: each UTF-16 unit becomes at most 3 bytes. */
#define FAT_NAME_BUF (FAT_LFN_MAX_ENTRIES * FAT_LFN_UNITS * 3 + 1)
/* An 8.3 name: 8 + '.' + 3 characters, each at most 3 bytes (U+FFFD). */
#define FAT_SHORT_BUF (12 * 3 + 1)

struct fat_fs {
	struct fs fs;            /* first: fs.c only knows this part */
	unsigned bits;           /* 12, 16 or 32 */
	uint32_t sector_size;
	uint32_t cluster_size;   /* bytes */
	uint32_t nr_clusters;    /* data clusters, numbered 2 .. nr_clusters + 1 */
	uint64_t fat_offset;     /* bytes: the FAT copy in use */
	uint64_t fat_bytes;      /* size of one FAT */
	uint64_t root_offset;    /* FAT12/16: the fixed root directory */
	uint32_t root_bytes;
	uint32_t root_cluster;   /* FAT32: first cluster of the root */
	uint64_t data_offset;    /* bytes: cluster 2 */
	bool has_serial;
	uint32_t serial;
	char bpb_label[12];

	/* FAT bytes [window_start, window_start + window_len) */
	uint8_t *window;
	uint64_t window_start;
	uint32_t window_len;

	/* Where the last read() ended, so sequential reads resume there. */
	bool pos_valid;
	uint64_t pos_ino;
	uint32_t pos_index;      /* cluster index within the file */
	uint32_t pos_cluster;
};

static inline struct fat_fs *fat_of(struct fs *fs)
{
	return (struct fat_fs *)fs;
}

/* Log what is wrong with the volume, and return -EUCLEAN. */
#define corrupt(f, ...) fs_corrupt((f)->fs.vol, "FAT", __VA_ARGS__)

/* ---- fat_chain.c ---- */

/* The raw entry: free, bad and end-of-chain values as stored (FAT32's top 4 bits masked). */
int fat_entry(struct fat_fs *f, uint32_t cluster, uint32_t *value);
int fat_next(struct fat_fs *f, uint32_t cluster, uint32_t *next);
uint32_t fat_run(const struct fat_fs *f, uint32_t cluster, uint64_t max);
int fat_step(struct fat_fs *f, uint32_t cluster, uint32_t *next);
uint64_t fat_cluster_offset(const struct fat_fs *f, uint32_t cluster);
bool fat_cluster_ok(const struct fat_fs *f, uint32_t cluster);
uint32_t fat_first_cluster(const struct fat_fs *f, const struct fat_dirent *d);
uint64_t fat_dir_ino(const struct fat_fs *f, uint32_t cluster);
int fat_read_dirent(struct fat_fs *f, uint64_t ino, struct fat_dirent *d);
int fat_dir_location(struct fat_fs *f, uint64_t ino, uint32_t *cluster);

/* Visit every 32-byte entry up to the end marker; stops when @fn returns non-zero. */
typedef int (*dirent_fn)(void *ctx, const struct fat_dirent *d, uint64_t off);
int fat_dir_walk(struct fat_fs *f, uint32_t cluster, dirent_fn fn, void *ctx);

/* ---- fat_map.c ---- */

int fat_fs_map(struct fs *fs, uint64_t ino, uint64_t off, uint64_t len, struct fs_extent *out,
	       unsigned *count);

/* ---- fat_xlink.c ---- */

/*
 * fat_chain_shared() - 0 when the @n clusters @cl, the chain of the file
 * whose directory entry is at @ino, belong to that file alone; -EOPNOTSUPP,
 * logged, when another chain links into them or another directory entry
 * starts in them (or when there are too many directories to tell); -E* when
 * the FAT or a directory cannot be read.
 */
int fat_chain_shared(struct fat_fs *f, uint64_t ino, const uint32_t *cl, unsigned n);

/* ---- fat_name.c ---- */

/* One directory entry as the name layer sees it. */
struct fat_name {
	const char *name;   /* long name if it has a valid one, else the 8.3 name */
	size_t len;
	const char *alias;  /* the 8.3 name, always */
	size_t alias_len;
	const struct fat_dirent *d;
	uint64_t ino;
};

int fat_name_walk(struct fat_fs *f, uint64_t dir, int (*fn)(void *, const struct fat_name *),
		  void *ctx);
bool fat_is_dot_or_dotdot(const char *s, size_t len);
bool fat_names_equal(const char *a, size_t alen, const char *b, size_t blen);

#endif
