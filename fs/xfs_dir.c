/* SPDX-License-Identifier: MIT */
/*
 * XFS directories in all their forms (version 2 format, "dir3" on v5):
 *   short form  entries packed in the inode (LOCAL data fork);
 *   block       one directory block: entries, then a hash array and a tail;
 *   leaf, node  data blocks below 32 GiB of the fork, plus hash index
 *               (leaf/node) and free-space blocks above it;
 *   btree       the same blocks, mapped through a bmap btree.
 * Every form but short form keeps all its entries in the data blocks, so
 * those are scanned in order and the index blocks are never read: a lookup
 * is a linear scan, like ext4_dir.c's, and no hash-tree pointer (which could
 * point at its own block) is ever followed. The data space ends at di_size.
 *
 * Every entry is checked: inside the block, a name of 1..255 bytes, the tag
 * at its end equal to its own offset, the inode number inside the
 * filesystem; every unused region is a multiple of 8 bytes and at least 8,
 * so the scan always moves forward. On v5 each block's CRC, address, owner
 * and UUID are checked first.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "xfs_priv.h"

struct dir_walk {
	struct xfs_fs *x;
	const struct xfs_node *dir;
	xfs_dirent_fn fn;
	void *ctx;
};

/* Short form: count, i8count, parent, then entries (see include/abi/xfs.h). */
static int walk_short(struct dir_walk *w)
{
	struct xfs_fs *x = w->x;
	const struct xfs_node *d = w->dir;
	const uint8_t *p = d->fork;
	uint32_t size = (uint32_t)d->size; /* <= fork_size, checked at load */
	if (size < XFS_DIR2_SF_HDR_SIZE4)
		return xfs_corrupt(x, d->ino, "short-form directory of %u bytes", size);
	uint32_t count = p[0], inosize = p[1] ? 8 : 4;
	uint32_t pos = 2 + inosize;
	if (pos > size)
		return xfs_corrupt(x, d->ino, "short-form header past %u bytes", size);
	uint64_t parent = inosize == 8 ? get_be64(p + 2) : get_be32(p + 2);
	if (!xfs_ino_ok(x, parent))
		return xfs_corrupt(x, d->ino, "parent inode %llu out of range",
				   (unsigned long long)parent);
	int rc = w->fn(w->ctx, ".", 1, d->ino, XFS_DIR3_FT_DIR);
	if (!rc)
		rc = w->fn(w->ctx, "..", 2, parent, XFS_DIR3_FT_DIR);
	for (uint32_t i = 0; i < count && !rc; i++) {
		if (size - pos < 3)
			return xfs_corrupt(x, d->ino, "short-form entry %u past the end", i);
		uint32_t namelen = p[pos];
		uint32_t len = 3 + namelen + (x->ftype ? 1 : 0) + inosize;
		if (!namelen || len > size - pos)
			return xfs_corrupt(x, d->ino, "short-form entry %u: bad name length %u", i,
					   namelen);
		const uint8_t *ip = p + pos + 3 + namelen + (x->ftype ? 1 : 0);
		uint64_t ino = inosize == 8 ? get_be64(ip) : get_be32(ip);
		if (!xfs_ino_ok(x, ino))
			return xfs_corrupt(x, d->ino, "short-form entry %u: inode %llu out of range",
					   i, (unsigned long long)ino);
		rc = w->fn(w->ctx, (const char *)p + pos + 3, namelen, ino,
			   x->ftype ? p[pos + 3 + namelen] : 0);
		pos += len;
	}
	return rc;
}

/* The entries of one directory block in @buf, data block number @db, at
 * linear block @block. */
static int walk_block(struct dir_walk *w, const uint8_t *buf, uint64_t db, uint64_t block)
{
	struct xfs_fs *x = w->x;
	uint64_t dino = w->dir->ino;
	uint32_t magic = get_be32(buf), hdr = XFS_DIR2_DATA_HDR_SIZE, end = x->dir_size;
	bool single = magic == XFS_DIR2_BLOCK_MAGIC || magic == XFS_DIR3_BLOCK_MAGIC;
	if (x->v5) {
		const struct xfs_dir3_blk_hdr *h = (const struct xfs_dir3_blk_hdr *)buf;
		if (magic != XFS_DIR3_DATA_MAGIC && magic != XFS_DIR3_BLOCK_MAGIC)
			return xfs_corrupt(x, dino, "directory block %llu: bad magic 0x%08x",
					   (unsigned long long)block, magic);
		int rc = xfs_check_crc(x, buf, x->dir_size, XFS_DIR3_CRC_OFF, "directory block",
				       block, dino);
		if (rc)
			return rc;
		if (get_be64(&h->blkno) != block << (x->block_log - 9) ||
		    get_be64(&h->owner) != dino || memcmp(h->uuid, x->meta_uuid, 16))
			return xfs_corrupt(x, dino, "directory block %llu belongs elsewhere",
					   (unsigned long long)block);
		hdr = XFS_DIR3_DATA_HDR_SIZE;
	} else if (magic != XFS_DIR2_DATA_MAGIC && magic != XFS_DIR2_BLOCK_MAGIC) {
		return xfs_corrupt(x, dino, "directory block %llu: bad magic 0x%08x",
				   (unsigned long long)block, magic);
	}
	if (single) {
		/* The tail's count of hash entries, which sit just before it. */
		uint32_t count = get_be32(buf + end - XFS_DIR2_BLOCK_TAIL_SIZE);
		uint64_t tail = XFS_DIR2_BLOCK_TAIL_SIZE + (uint64_t)count * XFS_DIR2_LEAF_ENTRY_SIZE;
		if (db != 0 || tail > end - hdr)
			return xfs_corrupt(x, dino, "directory block %llu: bad block tail (%u)",
					   (unsigned long long)block, count);
		end -= (uint32_t)tail;
	}
	for (uint32_t pos = hdr; pos < end;) {
		const uint8_t *e = buf + pos;
		if (end - pos < XFS_DIR2_DATA_ALIGN)
			return xfs_corrupt(x, dino, "directory block %llu: %u stray bytes at %u",
					   (unsigned long long)block, end - pos, pos);
		if (get_be16(e) == XFS_DIR2_DATA_FREE_TAG) {
			uint32_t len = get_be16(e + 2);
			if (len < XFS_DIR2_DATA_ALIGN || len % XFS_DIR2_DATA_ALIGN || len > end - pos)
				return xfs_corrupt(x, dino,
						   "directory block %llu offset %u: bad free length %u",
						   (unsigned long long)block, pos, len);
			pos += len;
			continue;
		}
		uint32_t namelen = e[8];
		uint32_t len = (uint32_t)ALIGN_UP(XFS_DIR2_DATA_ENTRY_FIXED + namelen +
							  (x->ftype ? 1 : 0),
						  XFS_DIR2_DATA_ALIGN);
		if (!namelen || len > end - pos || get_be16(e + len - 2) != pos)
			return xfs_corrupt(x, dino, "directory block %llu offset %u: bad entry",
					   (unsigned long long)block, pos);
		uint64_t ino = get_be64(e);
		if (!xfs_ino_ok(x, ino))
			return xfs_corrupt(x, dino,
					   "directory block %llu offset %u: inode %llu out of range",
					   (unsigned long long)block, pos, (unsigned long long)ino);
		int rc = w->fn(w->ctx, (const char *)e + 9, namelen, ino,
			       x->ftype ? e[9 + namelen] : 0);
		if (rc)
			return rc;
		pos += len;
	}
	return 0;
}

/* Directory block @db into @buf; *block is its first linear block, 0 for a hole. */
static int read_dir_block(struct dir_walk *w, uint64_t db, uint8_t *buf, uint64_t *block)
{
	struct xfs_fs *x = w->x;
	uint64_t lblk = db * x->dir_fsbs;
	*block = 0;
	for (uint32_t i = 0; i < x->dir_fsbs;) {
		struct xfs_run run;
		int rc = xfs_map(x, w->dir, lblk + i, &run);
		if (rc)
			return rc;
		if (!run.mapped) {
			if (i == 0 && run.count >= x->dir_fsbs)
				return 0; /* a hole: no entries here */
			return xfs_corrupt(x, w->dir->ino, "directory block %llu partly unmapped",
					   (unsigned long long)db);
		}
		if (i == 0)
			*block = run.pblk;
		uint32_t n = (uint32_t)MIN(run.count, (uint64_t)(x->dir_fsbs - i));
		rc = xfs_dev_read(x, run.pblk << x->block_log, buf + ((size_t)i << x->block_log),
				  (size_t)n << x->block_log, "a directory block", w->dir->ino);
		if (rc)
			return rc;
		i += n;
	}
	return 0;
}

int xfs_dir_iterate(struct xfs_fs *x, const struct xfs_node *dir, xfs_dirent_fn fn, void *ctx)
{
	struct dir_walk w = { x, dir, fn, ctx };
	if (xfs_mode_type(dir->mode) != FS_DIR)
		return -ENOTDIR;
	if (dir->format == XFS_DINODE_FMT_LOCAL)
		return walk_short(&w);

	/* Bounds the work a corrupt size can cause. */
	uint64_t ndb = (dir->size + x->dir_size - 1) / x->dir_size;
	if (dir->size > XFS_DIR2_DATA_SPACE_END || ndb > x->dblocks / x->dir_fsbs)
		return xfs_corrupt(x, dir->ino, "directory of %llu bytes",
				   (unsigned long long)dir->size);
	uint8_t *buf = malloc(x->dir_size);
	if (!buf)
		return -ENOMEM;
	int rc = 0;
	for (uint64_t db = 0; db < ndb && !rc; db++) {
		uint64_t block;
		rc = read_dir_block(&w, db, buf, &block);
		if (!rc && block)
			rc = walk_block(&w, buf, db, block);
	}
	free(buf);
	return rc;
}

struct lookup_ctx {
	const char *name;
	size_t len;
	uint64_t ino;
};

static int match_one(void *ctx, const char *name, size_t len, uint64_t ino, uint8_t ftype)
{
	struct lookup_ctx *l = ctx;
	if (len != l->len || memcmp(name, l->name, len))
		return 0;
	l->ino = ino;
	return 1;
}

int xfs_lookup(struct fs *fs, uint64_t dir, const char *name, size_t name_len, uint64_t *ino)
{
	struct xfs_fs *x = XFS(fs);
	struct xfs_node d;
	int rc = xfs_inode_load(x, dir, &d);
	if (rc)
		return rc;
	if (xfs_mode_type(d.mode) != FS_DIR)
		return -ENOTDIR;
	if (!name_len || name_len > FS_NAME_MAX)
		return -ENOENT;
	struct lookup_ctx l = { name, name_len, 0 };
	rc = xfs_dir_iterate(x, &d, match_one, &l);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return -ENOENT;
	*ino = l.ino;
	return 0;
}

struct readdir_ctx {
	struct xfs_fs *x;
	int (*fn)(void *ctx, const char *name, size_t name_len, uint64_t ino, enum fs_type type);
	void *ctx;
};

static int list_one(void *ctx, const char *name, size_t len, uint64_t ino, uint8_t ftype)
{
	struct readdir_ctx *r = ctx;
	/* "." and ".." are not listed: callers want the directory's contents. */
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	enum fs_type type;
	switch (ftype) {
	case XFS_DIR3_FT_REG_FILE:
		type = FS_REG;
		break;
	case XFS_DIR3_FT_DIR:
		type = FS_DIR;
		break;
	case XFS_DIR3_FT_SYMLINK:
		type = FS_SYMLINK;
		break;
	default:
		if (ftype && ftype <= XFS_DIR3_FT_MAX) {
			type = FS_OTHER;
			break;
		}
		/* No file type stored (v4 without ftype, or junk): ask the inode. */
		{
			struct xfs_node n;
			int rc = xfs_inode_load(r->x, ino, &n);
			if (rc)
				return rc;
			type = xfs_mode_type(n.mode);
		}
	}
	return r->fn(r->ctx, name, len, ino, type);
}

int xfs_readdir(struct fs *fs, uint64_t dir,
		int (*fn)(void *ctx, const char *name, size_t name_len, uint64_t ino,
			  enum fs_type type),
		void *ctx)
{
	struct xfs_fs *x = XFS(fs);
	struct xfs_node d;
	int rc = xfs_inode_load(x, dir, &d);
	if (rc)
		return rc;
	struct readdir_ctx r = { x, fn, ctx };
	return xfs_dir_iterate(x, &d, list_one, &r);
}
