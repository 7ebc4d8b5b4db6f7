/* SPDX-License-Identifier: MIT */
/*
 * ext4 directories, scanned linearly (directory.rst).
 *
 * Hashed (dir_index / large_dir) directories need no special code: an htree
 * root is block 0 with "." and a ".." record stretched over the tree
 * header, and every interior node is one empty record (inode 0) spanning
 * its block, so a linear scan sees exactly the leaf entries. metadata_csum
 * tails are empty 12-byte records too. Lookups compare names byte for byte,
 * also in casefold directories.
 *
 * Every record is checked the way the kernel's ext4_check_dir_entry() does:
 * rec_len at least 12, a multiple of 4, inside the block, large enough for
 * the name, and the inode number inside the filesystem. A used record must
 * have a name (e2fsck's rule; the kernel would list an empty one).
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "ext4_priv.h"

/* rec_len as stored: a 64 KiB block's whole-block record is 0 or 65535. */
static uint32_t rec_len_decode(uint16_t raw, uint32_t block_size)
{
	if (block_size < 65536)
		return raw;
	if (raw == 0 || raw == EXT4_MAX_REC_LEN)
		return block_size;
	return (raw & 65532u) | (uint32_t)(raw & 3) << 16;
}

struct dir_walk {
	struct ext4_fs *e;
	const struct ext4_node *dir;
	ext4_dirent_fn fn;
	void *ctx;
};

/* The records of one directory block (or inline region) of @len bytes. */
static int walk_records(struct dir_walk *w, const uint8_t *buf, uint32_t len, uint32_t rec_unit,
			uint64_t where)
{
	struct ext4_fs *e = w->e;
	uint32_t pos = 0;
	while (pos < len) {
		if (len - pos < EXT4_DIRENT_MIN_REC)
			return ext4_corrupt(e, w->dir->ino, "directory block %llu: %u stray bytes at %u",
					    (unsigned long long)where, len - pos, pos);
		struct ext4_dir_entry de;
		memcpy(&de, buf + pos, sizeof(de));
		uint32_t rec = rec_len_decode(de.rec_len, rec_unit);
		if (rec < EXT4_DIRENT_MIN_REC || rec % 4 || rec > len - pos ||
		    EXT4_DIRENT_HEADER + de.name_len > rec)
			return ext4_corrupt(e, w->dir->ino,
					    "directory block %llu offset %u: bad record length %u "
					    "(name %u bytes)",
					    (unsigned long long)where, pos, rec, de.name_len);
		if (de.inode) {
			if (!de.name_len)
				return ext4_corrupt(e, w->dir->ino,
						    "directory block %llu offset %u: empty name",
						    (unsigned long long)where, pos);
			if (de.inode > e->inodes_count)
				return ext4_corrupt(e, w->dir->ino,
						    "directory block %llu offset %u: inode %u out of range",
						    (unsigned long long)where, pos, de.inode);
			uint8_t type = ext4_has(e, EXT4_INCOMPAT_FILETYPE) ? de.file_type : 0;
			int rc = w->fn(w->ctx, (const char *)buf + pos + EXT4_DIRENT_HEADER,
				       de.name_len, de.inode, type);
			if (rc)
				return rc;
		}
		pos += rec;
	}
	return 0;
}

/*
 * An inline directory (inlinedata.rst): i_block starts with the parent's
 * inode number, then records fill the rest of i_block, and more records
 * fill the "system.data" value. "." and ".." are implied, and given here.
 */
static int walk_inline(struct dir_walk *w)
{
	struct ext4_fs *e = w->e;
	const struct ext4_node *d = w->dir;
	/* Unlike a file's, a directory's inline size is all stored bytes. */
	if (d->size < EXT4_INLINE_DOTDOT_SIZE || d->size > EXT4_I_BLOCK_SIZE + d->inline_len)
		return ext4_corrupt(e, d->ino, "inline directory of %llu bytes, %u stored",
				    (unsigned long long)d->size, EXT4_I_BLOCK_SIZE + d->inline_len);
	size_t size = (size_t)d->size; /* <= 60 + the inode size */
	uint8_t *buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	long got = ext4_read_data(e, d, 0, buf, size);
	int rc = got < 0 ? (int)got : 0;
	uint32_t parent = get_le32(buf);
	if (!rc && (parent == 0 || parent > e->inodes_count))
		rc = ext4_corrupt(e, d->ino, "inline directory parent %u out of range", parent);
	if (!rc)
		rc = w->fn(w->ctx, ".", 1, d->ino, EXT4_FT_DIR);
	if (!rc)
		rc = w->fn(w->ctx, "..", 2, parent, EXT4_FT_DIR);
	uint32_t in_iblock = (uint32_t)MIN(size, (size_t)EXT4_I_BLOCK_SIZE);
	if (!rc)
		rc = walk_records(w, buf + EXT4_INLINE_DOTDOT_SIZE,
				  in_iblock - EXT4_INLINE_DOTDOT_SIZE, 0, 0);
	if (!rc && size > EXT4_I_BLOCK_SIZE)
		rc = walk_records(w, buf + EXT4_I_BLOCK_SIZE, (uint32_t)(size - EXT4_I_BLOCK_SIZE),
				  0, 1);
	free(buf);
	return rc;
}

int ext4_dir_iterate(struct ext4_fs *e, const struct ext4_node *dir, ext4_dirent_fn fn, void *ctx)
{
	struct dir_walk w = { e, dir, fn, ctx };
	if (ext4_mode_type(dir->mode) != FS_DIR)
		return -ENOTDIR;
	if (dir->flags & EXT4_ENCRYPT_FL)
		return log_err(-EOPNOTSUPP, "%s: ext4 directory inode %u is encrypted",
			       e->vol->name, dir->ino);
	if (dir->flags & EXT4_INLINE_DATA_FL)
		return walk_inline(&w);

	uint64_t bs = e->block_size;
	uint64_t nblocks = (dir->size + bs - 1) / bs;
	/* A directory cannot own more blocks than the filesystem has: this
	 * bounds the work a corrupt size can cause. */
	if (nblocks > e->blocks_count)
		return ext4_corrupt(e, dir->ino, "directory of %llu bytes",
				    (unsigned long long)dir->size);
	uint8_t *buf = malloc(bs);
	if (!buf)
		return -ENOMEM;
	int rc = 0;
	for (uint64_t lblk = 0; lblk < nblocks && !rc;) {
		struct ext4_run run;
		rc = ext4_map(e, dir, lblk, &run);
		if (rc)
			break;
		uint64_t count = MIN(run.count, nblocks - lblk);
		if (!run.mapped) {
			/* Holes in a directory hold no entries. */
			lblk += count;
			continue;
		}
		for (uint64_t i = 0; i < count && !rc; i++, lblk++) {
			rc = ext4_dev_read(e, (run.pblk + i) * bs, buf, bs, "a directory block",
					   dir->ino);
			if (!rc)
				rc = walk_records(&w, buf, (uint32_t)bs, (uint32_t)bs, lblk);
		}
	}
	free(buf);
	return rc;
}

struct lookup_ctx {
	const char *name;
	size_t len;
	uint32_t ino;
};

static int match_one(void *ctx, const char *name, size_t len, uint32_t ino, uint8_t type)
{
	struct lookup_ctx *l = ctx;
	if (len != l->len || memcmp(name, l->name, len))
		return 0;
	l->ino = ino;
	return 1;
}

int ext4_lookup(struct fs *fs, uint64_t dir, const char *name, size_t name_len, uint64_t *ino)
{
	struct ext4_fs *e = EXT4(fs);
	struct ext4_node d;
	int rc = ext4_inode_load(e, dir, &d);
	if (rc)
		return rc;
	if (ext4_mode_type(d.mode) != FS_DIR)
		return -ENOTDIR;
	if (!name_len || name_len > FS_NAME_MAX)
		return -ENOENT;
	struct lookup_ctx l = { name, name_len, 0 };
	rc = ext4_dir_iterate(e, &d, match_one, &l);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return -ENOENT;
	*ino = l.ino;
	return 0;
}

struct readdir_ctx {
	struct ext4_fs *e;
	int (*fn)(void *ctx, const char *name, size_t name_len, uint64_t ino, enum fs_type type);
	void *ctx;
};

static int list_one(void *ctx, const char *name, size_t len, uint32_t ino, uint8_t file_type)
{
	struct readdir_ctx *r = ctx;
	/* "." and ".." are not listed: callers want the directory's contents. */
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	enum fs_type type;
	switch (file_type) {
	case EXT4_FT_REG_FILE:
		type = FS_REG;
		break;
	case EXT4_FT_DIR:
		type = FS_DIR;
		break;
	case EXT4_FT_SYMLINK:
		type = FS_SYMLINK;
		break;
	default:
		if (file_type && file_type <= EXT4_FT_MAX) {
			type = FS_OTHER;
			break;
		}
		/* No usable type in the entry (old ext2, or junk): ask the inode. */
		{
			struct ext4_node n;
			int rc = ext4_inode_load(r->e, ino, &n);
			if (rc)
				return rc;
			type = ext4_mode_type(n.mode);
		}
	}
	return r->fn(r->ctx, name, len, ino, type);
}

int ext4_readdir(struct fs *fs, uint64_t dir,
		 int (*fn)(void *ctx, const char *name, size_t name_len, uint64_t ino,
			   enum fs_type type),
		 void *ctx)
{
	struct ext4_fs *e = EXT4(fs);
	struct ext4_node d;
	int rc = ext4_inode_load(e, dir, &d);
	if (rc)
		return rc;
	struct readdir_ctx r = { e, fn, ctx };
	return ext4_dir_iterate(e, &d, list_one, &r);
}
