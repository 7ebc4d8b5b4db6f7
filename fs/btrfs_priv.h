/* SPDX-License-Identifier: MIT */
/*
 * Internals of the read-only single-device btrfs driver, shared by its files:
 *   btrfs.c           superblock (and its mirrors), mount, ids, the fs_ops table
 *   btrfs_chunk.c     logical -> physical: sys_chunk_array and the chunk tree
 *   btrfs_tree.c      tree blocks (checked, checksummed, cached), key search
 *   btrfs_subvol.c    subvolumes: root items, the default one, crossing into one
 *   btrfs_dir.c       inodes, lookup, readdir, ".."
 *   btrfs_extent.c    file bytes: inline, regular, prealloc extents, holes
 *   btrfs_compress.c  zlib, lzo and zstd extents
 *
 * Inode numbers the fs API sees pack a tree (subvolume) id and an objectid:
 * BTRFS_INO(tree, objectid) = tree << 40 | objectid. Subvolume ids are below
 * 2^24 and objectids below 2^40; anything beyond is refused as corrupt (a
 * filesystem would need a trillion inodes or 16 million subvolumes).
 */
#ifndef PVHBOOT_FS_BTRFS_PRIV_H
#define PVHBOOT_FS_BTRFS_PRIV_H

#include "../include/abi/btrfs.h"
#include "fs.h"

#define BTRFS_INO_SHIFT 40
#define BTRFS_INO(tree, obj) ((uint64_t)(tree) << BTRFS_INO_SHIFT | (obj))
#define BTRFS_INO_TREE(ino) ((ino) >> BTRFS_INO_SHIFT)
#define BTRFS_INO_OBJ(ino) ((ino) & ((1ull << BTRFS_INO_SHIFT) - 1))
#define BTRFS_MAX_TREE_ID ((1ull << (64 - BTRFS_INO_SHIFT)) - 1)

/* Documented limits. */
#define BTRFS_MAX_CHUNKS 65536   /* chunks mapped (1 GiB data chunks: 64 TiB) */
#define BTRFS_MAX_COPIES 4       /* RAID1C4 */
#define BTRFS_NODE_SLOTS 16      /* tree blocks cached */
#define BTRFS_ROOT_SLOTS 16      /* subvolume root items cached */

struct btrfs_key {
	uint64_t objectid;
	uint8_t type;
	uint64_t offset;
};

/* One tree: where its root block is and what that block must say. */
struct btrfs_tree {
	uint64_t id;            /* owner: 1 root tree, 3 chunk tree, 5/256+ fs trees */
	uint64_t bytenr;        /* logical address of the root block */
	uint64_t generation;    /* the root block's generation */
	uint8_t level;
	uint64_t root_dirid;    /* fs trees: the subvolume's top directory */
};

/* One chunk: a logical range and where its copies are on the volume. */
struct btrfs_map {
	uint64_t logical;
	uint64_t length;
	uint64_t type;
	unsigned copies;        /* 1..BTRFS_MAX_COPIES */
	uint64_t physical[BTRFS_MAX_COPIES];
};

struct btrfs_node_slot {
	uint64_t bytenr;
	uint64_t used;          /* LRU clock */
	bool valid;
	uint8_t *data;          /* nodesize bytes, allocated on first use */
};

struct btrfs_fs {
	struct fs base;         /* first: fs.c sees only this */
	struct volume *vol;
	uint32_t sectorsize, nodesize;
	uint16_t csum_type;
	uint64_t generation;    /* of the superblock: no block is newer */
	uint64_t incompat;
	uint64_t devid;
	uint8_t fsid[BTRFS_FSID_SIZE];
	uint8_t meta_fsid[BTRFS_FSID_SIZE]; /* what tree headers carry */
	char label[BTRFS_LABEL_SIZE + 1];
	unsigned super_copy;    /* which superblock copy was used */

	struct btrfs_tree root_tree, chunk_tree;
	uint64_t default_subvol;

	struct btrfs_map *maps; /* sorted by logical, not overlapping */
	unsigned nr_maps, cap_maps;

	uint64_t clock;
	struct btrfs_node_slot nodes[BTRFS_NODE_SLOTS];
	struct btrfs_tree roots[BTRFS_ROOT_SLOTS];
	unsigned nr_roots, next_root;

	/* The last decompressed extent, for reads that end inside it. */
	uint8_t *cbuf;          /* compressed bytes, BTRFS_MAX_COMPRESSED */
	uint8_t *dbuf;          /* BTRFS_MAX_COMPRESSED + 1: one byte to spot overruns */
	uint64_t dcache_bytenr; /* 0: empty */
	uint8_t dcache_type;
	size_t dcache_len;
	void *zstd_dctx;

	/* Statistics for tests. */
	uint64_t nr_reads, bytes_read, nr_decompressed;
};

static inline struct btrfs_fs *BTRFS(struct fs *fs)
{
	return (struct btrfs_fs *)fs;
}

static inline int btrfs_key_cmp(const struct btrfs_key *a, const struct btrfs_key *b)
{
	if (a->objectid != b->objectid)
		return a->objectid < b->objectid ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	return 0;
}

/* btrfs.c */
int btrfs_corrupt(const struct btrfs_fs *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* @len bytes at byte @off of the volume (already mapped). 0, -ENOMEM or -EIO. */
int btrfs_dev_read(struct btrfs_fs *b, uint64_t off, void *buf, size_t len, const char *what);

/* btrfs_chunk.c */
/* Map the sys_chunk_array, then every chunk of the chunk tree. */
int btrfs_chunks_load(struct btrfs_fs *b, const struct btrfs_super_block *sb);
/*
 * btrfs_map_logical() - where copy @copy of logical byte @logical is, and how
 * many bytes (*contig) follow it in the same chunk. Returns 0, -ENOENT when
 * the chunk has no such copy, or -EUCLEAN when no chunk maps @logical.
 */
int btrfs_map_logical(struct btrfs_fs *b, uint64_t logical, unsigned copy, uint64_t *physical,
		      uint64_t *contig);
/* Read @len logical bytes (any number of chunks), from the first copy. */
int btrfs_read_logical(struct btrfs_fs *b, uint64_t logical, void *buf, size_t len,
		       const char *what);
void btrfs_chunks_free(struct btrfs_fs *b);

/* btrfs_tree.c */
/*
 * A position in a tree: the block and slot at every level from the root
 * down to a leaf item. Blocks are fetched again through the cache whenever
 * they are needed, so a path stays valid across other tree reads.
 */
struct btrfs_path {
	struct btrfs_tree tree;
	struct {
		uint64_t bytenr, generation;
		uint32_t slot, nritems;
	} at[BTRFS_MAX_LEVEL];
	struct btrfs_key key;   /* the current item's */
	bool started;
};

enum btrfs_search_mode {
	BTRFS_SEARCH_GE,        /* first item >= key */
	BTRFS_SEARCH_LE,        /* last item <= key */
};

/*
 * btrfs_search() - position @p at an item of @tree. Returns 0, -ENOENT
 * (no item on that side of @key), -EUCLEAN, -EIO, -ENOMEM.
 */
int btrfs_search(struct btrfs_fs *b, const struct btrfs_tree *tree, const struct btrfs_key *key,
		 enum btrfs_search_mode mode, struct btrfs_path *p);
/* The next item; keys must grow strictly (a cycle cannot). 0, -ENOENT at the end. */
int btrfs_next(struct btrfs_fs *b, struct btrfs_path *p);
/* The current item's payload; valid until the next tree read. */
int btrfs_item(struct btrfs_fs *b, struct btrfs_path *p, const uint8_t **data, uint32_t *size);
/* The item with exactly @key. 0 or -ENOENT. */
int btrfs_lookup(struct btrfs_fs *b, const struct btrfs_tree *tree, const struct btrfs_key *key,
		 struct btrfs_path *p);
/* The first item of (objectid, type) with offset >= @offset. 0 or -ENOENT. */
int btrfs_first(struct btrfs_fs *b, const struct btrfs_tree *tree, uint64_t objectid,
		uint8_t type, uint64_t offset, struct btrfs_path *p);
void btrfs_nodes_free(struct btrfs_fs *b);
uint32_t btrfs_name_hash(const char *name, size_t len);

/* btrfs_subvol.c */
/* The fs tree of subvolume @id. 0, -ENOENT (no such subvolume), -EUCLEAN. */
int btrfs_subvol(struct btrfs_fs *b, uint64_t id, struct btrfs_tree *out);
/* The default subvolume's id ("default" in the root tree directory, else 5). */
int btrfs_default_subvol(struct btrfs_fs *b, uint64_t *id);
/*
 * btrfs_enter_subvol() - the inode a directory entry naming subvolume @id
 * leads to, when it sits in directory @dir of @tree under @name: the
 * subvolume's top directory if a ROOT_REF ties it there, else the empty
 * directory a snapshot shows in place of a nested subvolume.
 */
int btrfs_enter_subvol(struct btrfs_fs *b, uint64_t tree, uint64_t dir, const char *name,
		       size_t name_len, uint64_t id, uint64_t *ino);
/* The directory holding subvolume @tree's top directory (itself for 5). */
int btrfs_subvol_parent(struct btrfs_fs *b, uint64_t tree, uint64_t *ino);

/* btrfs_dir.c */
struct btrfs_inode {
	uint64_t ino;           /* BTRFS_INO() */
	struct btrfs_tree tree;
	uint64_t objectid;
	uint32_t mode;
	uint64_t size;
	uint64_t flags;
};
int btrfs_inode_load(struct btrfs_fs *b, uint64_t ino, struct btrfs_inode *out);
enum fs_type btrfs_mode_type(uint32_t mode);
int btrfs_lookup_name(struct fs *fs, uint64_t dir, const char *name, size_t name_len,
		      uint64_t *ino);
int btrfs_readdir(struct fs *fs, uint64_t dir,
		  int (*fn)(void *ctx, const char *name, size_t name_len, uint64_t ino,
			    enum fs_type type),
		  void *ctx);
int btrfs_stat(struct fs *fs, uint64_t ino, struct fs_stat *st);

/* btrfs_extent.c */
long btrfs_read_data(struct btrfs_fs *b, const struct btrfs_inode *n, uint64_t off, void *buf,
		     size_t len);
long btrfs_read(struct fs *fs, uint64_t ino, uint64_t off, void *buf, size_t len);
int btrfs_readlink(struct fs *fs, uint64_t ino, char *buf, size_t cap);
void btrfs_extent_free(struct btrfs_fs *b);

/* btrfs_compress.c */
/*
 * btrfs_decompress() - one compressed extent (@type: BTRFS_COMPRESS_*) of
 * @in_len bytes into @out, which holds @cap bytes. Returns 0 with *out_len,
 * -EFBIG when the data inflates past @cap, -EILSEQ when it is corrupt,
 * -EOPNOTSUPP for an unknown type, -ENOMEM.
 */
int btrfs_decompress(struct btrfs_fs *b, uint8_t type, const uint8_t *in, size_t in_len,
		     uint8_t *out, size_t cap, size_t *out_len);
void btrfs_decompress_free(struct btrfs_fs *b);

extern const struct fs_ops btrfs_ops;

#endif
