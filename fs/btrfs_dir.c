/* SPDX-License-Identifier: MIT */
/*
 * btrfs inodes and directories.
 *
 * A directory's entries are items of its fs tree twice over: DIR_ITEMs
 * keyed by the crc32c hash of the name (lookup: one search, then the names
 * sharing that hash compared byte for byte) and DIR_INDEXes keyed by a
 * sequence number (readdir: creation order). There are no "." or ".."
 * entries on disk; ".." comes from the INODE_REF of the directory (its one
 * parent), or from the subvolume's ROOT_BACKREF at a subvolume's top.
 *
 * Every entry is checked: its item holds exactly its header and name
 * (several for DIR_ITEM), names are 1..255 bytes, locations are an inode
 * of the same tree or a subvolume.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "btrfs_priv.h"

enum fs_type btrfs_mode_type(uint32_t mode)
{
	switch (mode & BTRFS_S_IFMT) {
	case BTRFS_S_IFREG:
		return FS_REG;
	case BTRFS_S_IFDIR:
		return FS_DIR;
	case BTRFS_S_IFLNK:
		return FS_SYMLINK;
	default:
		return FS_OTHER;
	}
}

static bool objectid_ok(uint64_t obj)
{
	return obj >= BTRFS_FIRST_FREE_OBJECTID && obj < 1ull << BTRFS_INO_SHIFT;
}

int btrfs_inode_load(struct btrfs_fs *b, uint64_t ino, struct btrfs_inode *out)
{
	uint64_t tree = BTRFS_INO_TREE(ino), obj = BTRFS_INO_OBJ(ino);
	memset(out, 0, sizeof(*out));
	int rc = btrfs_subvol(b, tree, &out->tree);
	if (rc)
		return rc;
	out->ino = ino;
	out->objectid = obj;
	if (obj == BTRFS_EMPTY_SUBVOL_DIR_OBJECTID) {
		/* The stand-in for a subvolume a snapshot did not take along. */
		out->mode = BTRFS_S_IFDIR | 0755;
		return 0;
	}
	if (!objectid_ok(obj))
		return -ENOENT;
	struct btrfs_key k = { obj, BTRFS_INODE_ITEM_KEY, 0 };
	struct btrfs_path p;
	rc = btrfs_lookup(b, &out->tree, &k, &p);
	if (rc == -ENOENT)
		return btrfs_corrupt(b, "tree %llu: inode %llu has no inode item",
				     (unsigned long long)tree, (unsigned long long)obj);
	if (rc)
		return rc;
	const uint8_t *data;
	uint32_t size;
	rc = btrfs_item(b, &p, &data, &size);
	if (rc)
		return rc;
	struct btrfs_inode_item ii;
	if (size < sizeof(ii))
		return btrfs_corrupt(b, "tree %llu: inode %llu: item of %u bytes",
				     (unsigned long long)tree, (unsigned long long)obj, size);
	memcpy(&ii, data, sizeof(ii));
	out->mode = ii.mode;
	out->size = ii.size;
	out->flags = ii.flags;
	return 0;
}

int btrfs_stat(struct fs *fs, uint64_t ino, struct fs_stat *st)
{
	struct btrfs_inode n;
	int rc = btrfs_inode_load(BTRFS(fs), ino, &n);
	if (rc)
		return rc;
	st->type = btrfs_mode_type(n.mode);
	st->size = n.size;
	st->mode = n.mode;
	st->ino = ino;
	return 0;
}

/* One entry parsed out of a DIR_ITEM or DIR_INDEX payload. */
struct entry {
	struct btrfs_dir_item di;
	const char *name;
	uint32_t len;           /* bytes of the whole entry */
};

static int parse_entry(struct btrfs_fs *b, const struct btrfs_inode *dir, const uint8_t *data,
		       uint32_t size, struct entry *e)
{
	if (size < sizeof(e->di))
		return btrfs_corrupt(b, "tree %llu: directory %llu: entry of %u bytes",
				     (unsigned long long)dir->tree.id,
				     (unsigned long long)dir->objectid, size);
	memcpy(&e->di, data, sizeof(e->di));
	uint32_t need = (uint32_t)sizeof(e->di) + e->di.name_len + e->di.data_len;
	if (!e->di.name_len || e->di.name_len > FS_NAME_MAX || need > size)
		return btrfs_corrupt(b, "tree %llu: directory %llu: entry with a %u-byte name "
				     "in %u bytes", (unsigned long long)dir->tree.id,
				     (unsigned long long)dir->objectid, e->di.name_len, size);
	e->name = (const char *)data + sizeof(e->di);
	e->len = need;
	return 0;
}

/* Where an entry leads, as an fs API inode number. */
static int entry_ino(struct btrfs_fs *b, const struct btrfs_inode *dir, const struct entry *e,
		     uint64_t *ino)
{
	const struct btrfs_disk_key *loc = &e->di.location;
	if (loc->type == BTRFS_ROOT_ITEM_KEY)
		return btrfs_enter_subvol(b, dir->tree.id, dir->objectid, e->name, e->di.name_len,
					  loc->objectid, ino);
	if (loc->type != BTRFS_INODE_ITEM_KEY || !objectid_ok(loc->objectid))
		return btrfs_corrupt(b, "tree %llu: directory %llu: \"%.*s\" leads to (%llu %u)",
				     (unsigned long long)dir->tree.id,
				     (unsigned long long)dir->objectid, (int)e->di.name_len,
				     e->name, (unsigned long long)loc->objectid, loc->type);
	*ino = BTRFS_INO(dir->tree.id, loc->objectid);
	return 0;
}

/* ".." of @dir. */
static int parent_of(struct btrfs_fs *b, const struct btrfs_inode *dir, uint64_t *ino)
{
	if (dir->objectid == dir->tree.root_dirid)
		return btrfs_subvol_parent(b, dir->tree.id, ino);
	if (dir->objectid == BTRFS_EMPTY_SUBVOL_DIR_OBJECTID)
		return -ENOENT;
	struct btrfs_path p;
	int rc = btrfs_first(b, &dir->tree, dir->objectid, BTRFS_INODE_REF_KEY, 0, &p);
	if (rc == -ENOENT)
		return btrfs_corrupt(b, "tree %llu: directory %llu has no parent",
				     (unsigned long long)dir->tree.id,
				     (unsigned long long)dir->objectid);
	if (rc)
		return rc;
	if (!objectid_ok(p.key.offset))
		return btrfs_corrupt(b, "tree %llu: directory %llu: parent %llu",
				     (unsigned long long)dir->tree.id,
				     (unsigned long long)dir->objectid,
				     (unsigned long long)p.key.offset);
	*ino = BTRFS_INO(dir->tree.id, p.key.offset);
	return 0;
}

int btrfs_lookup_name(struct fs *fs, uint64_t dir, const char *name, size_t name_len,
		      uint64_t *ino)
{
	struct btrfs_fs *b = BTRFS(fs);
	struct btrfs_inode d;
	int rc = btrfs_inode_load(b, dir, &d);
	if (rc)
		return rc;
	if (btrfs_mode_type(d.mode) != FS_DIR)
		return -ENOTDIR;
	if (!name_len || name_len > FS_NAME_MAX)
		return -ENOENT;
	if (name_len == 1 && name[0] == '.') {
		*ino = dir;
		return 0;
	}
	if (name_len == 2 && name[0] == '.' && name[1] == '.')
		return parent_of(b, &d, ino);
	if (d.objectid == BTRFS_EMPTY_SUBVOL_DIR_OBJECTID)
		return -ENOENT;

	struct btrfs_key k = { d.objectid, BTRFS_DIR_ITEM_KEY, btrfs_name_hash(name, name_len) };
	struct btrfs_path p;
	rc = btrfs_lookup(b, &d.tree, &k, &p);
	if (rc)
		return rc;
	const uint8_t *data;
	uint32_t size;
	rc = btrfs_item(b, &p, &data, &size);
	if (rc)
		return rc;
	/* Names with the same hash share the item, back to back. */
	for (uint32_t pos = 0; pos < size;) {
		struct entry e;
		rc = parse_entry(b, &d, data + pos, size - pos, &e);
		if (rc)
			return rc;
		if (e.di.name_len == name_len && !memcmp(e.name, name, name_len))
			return entry_ino(b, &d, &e, ino);
		pos += e.len;
	}
	return -ENOENT;
}

static enum fs_type entry_type(uint8_t ft)
{
	switch (ft) {
	case BTRFS_FT_REG_FILE:
		return FS_REG;
	case BTRFS_FT_DIR:
		return FS_DIR;
	case BTRFS_FT_SYMLINK:
		return FS_SYMLINK;
	default:
		return FS_OTHER;
	}
}

int btrfs_readdir(struct fs *fs, uint64_t dir,
		  int (*fn)(void *ctx, const char *name, size_t name_len, uint64_t ino,
			    enum fs_type type),
		  void *ctx)
{
	struct btrfs_fs *b = BTRFS(fs);
	struct btrfs_inode d;
	int rc = btrfs_inode_load(b, dir, &d);
	if (rc)
		return rc;
	if (btrfs_mode_type(d.mode) != FS_DIR)
		return -ENOTDIR;
	if (d.objectid == BTRFS_EMPTY_SUBVOL_DIR_OBJECTID)
		return 0;
	struct btrfs_path p;
	rc = btrfs_first(b, &d.tree, d.objectid, BTRFS_DIR_INDEX_KEY, 0, &p);
	/* The name is copied out: the callback may read the tree. */
	char name[FS_NAME_MAX + 1];
	while (!rc) {
		if (p.key.objectid != d.objectid || p.key.type != BTRFS_DIR_INDEX_KEY)
			break;
		const uint8_t *data;
		uint32_t size;
		rc = btrfs_item(b, &p, &data, &size);
		if (rc)
			return rc;
		struct entry e;
		rc = parse_entry(b, &d, data, size, &e);
		if (rc)
			return rc;
		if (e.len != size)
			return btrfs_corrupt(b, "tree %llu: directory %llu: index %llu holds %u "
					     "bytes, not one entry", (unsigned long long)d.tree.id,
					     (unsigned long long)d.objectid,
					     (unsigned long long)p.key.offset, size);
		size_t len = e.di.name_len;
		memcpy(name, e.name, len);
		name[len] = 0;
		e.name = name;
		uint64_t ino;
		rc = entry_ino(b, &d, &e, &ino);
		if (rc)
			return rc;
		enum fs_type type = e.di.location.type == BTRFS_ROOT_ITEM_KEY ?
					    FS_DIR : entry_type(e.di.type);
		rc = fn(ctx, name, len, ino, type);
		if (rc)
			return rc;
		rc = btrfs_next(b, &p);
	}
	return rc == -ENOENT ? 0 : rc;
}
