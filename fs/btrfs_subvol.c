/* SPDX-License-Identifier: MIT */
/*
 * btrfs subvolumes: every subvolume and snapshot is its own fs tree, found
 * through its ROOT_ITEM in the root tree.
 *
 *  - The default subvolume (`btrfs subvolume set-default`) is the location
 *    of the dir item "default" in the root tree's directory (objectid 6);
 *    without one it is the top level, id 5.
 *  - A directory entry whose location is a ROOT_ITEM key is a subvolume
 *    boundary. The kernel crosses it only when a ROOT_REF (parent tree,
 *    ROOT_REF, subvolume) ties the subvolume to that very directory and
 *    name; a snapshot of a directory holding a nested subvolume keeps the
 *    entry but not the ref, and shows an empty directory there
 *    (fixup_tree_root_location, BTRFS_EMPTY_SUBVOL_DIR_OBJECTID). So do we.
 *  - ".." of a subvolume's top directory is found through its ROOT_BACKREF.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "btrfs_priv.h"

static bool subvol_id_ok(uint64_t id)
{
	return id == BTRFS_FS_TREE_OBJECTID ||
	       (id >= BTRFS_FIRST_FREE_OBJECTID && id <= BTRFS_MAX_TREE_ID);
}

int btrfs_subvol(struct btrfs_fs *b, uint64_t id, struct btrfs_tree *out)
{
	for (unsigned i = 0; i < b->nr_roots; i++) {
		if (b->roots[i].id == id) {
			*out = b->roots[i];
			return 0;
		}
	}
	if (!subvol_id_ok(id))
		return btrfs_corrupt(b, "tree %llu is not a subvolume", (unsigned long long)id);

	/* A snapshot's root item key has its creation transid as offset. */
	struct btrfs_path p;
	int rc = btrfs_first(b, &b->root_tree, id, BTRFS_ROOT_ITEM_KEY, 0, &p);
	if (rc == -ENOENT)
		return log_err(-ENOENT, "%s: btrfs: no subvolume %llu", b->vol->name,
			       (unsigned long long)id);
	if (rc)
		return rc;
	const uint8_t *data;
	uint32_t size;
	rc = btrfs_item(b, &p, &data, &size);
	if (rc)
		return rc;
	struct btrfs_root_item ri;
	if (size < sizeof(ri))
		return btrfs_corrupt(b, "root item of subvolume %llu: %u bytes",
				     (unsigned long long)id, size);
	memcpy(&ri, data, sizeof(ri));
	if (ri.level >= BTRFS_MAX_LEVEL || !ri.bytenr || ri.generation > b->generation ||
	    ri.root_dirid < BTRFS_FIRST_FREE_OBJECTID ||
	    ri.root_dirid >= 1ull << BTRFS_INO_SHIFT)
		return btrfs_corrupt(b, "root item of subvolume %llu: level %u, generation %llu, "
				     "top directory %llu", (unsigned long long)id, ri.level,
				     (unsigned long long)ri.generation,
				     (unsigned long long)ri.root_dirid);
	if (!ri.refs)
		return log_err(-ENOENT, "%s: btrfs: subvolume %llu is deleted", b->vol->name,
			       (unsigned long long)id);
	struct btrfs_tree t = { id, ri.bytenr, ri.generation, ri.level, ri.root_dirid };
	if (b->nr_roots < BTRFS_ROOT_SLOTS) {
		b->roots[b->nr_roots++] = t;
	} else {
		b->roots[b->next_root] = t;
		b->next_root = (b->next_root + 1) % BTRFS_ROOT_SLOTS;
	}
	*out = t;
	return 0;
}

int btrfs_default_subvol(struct btrfs_fs *b, uint64_t *id)
{
	static const char name[] = "default";
	struct btrfs_key k = { BTRFS_ROOT_TREE_DIR_OBJECTID, BTRFS_DIR_ITEM_KEY,
			       btrfs_name_hash(name, sizeof(name) - 1) };
	struct btrfs_path p;
	*id = BTRFS_FS_TREE_OBJECTID;
	int rc = btrfs_lookup(b, &b->root_tree, &k, &p);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	const uint8_t *data;
	uint32_t size;
	rc = btrfs_item(b, &p, &data, &size);
	if (rc)
		return rc;
	struct btrfs_dir_item di;
	if (size < sizeof(di))
		return btrfs_corrupt(b, "\"default\" dir item of %u bytes", size);
	memcpy(&di, data, sizeof(di));
	if (di.location.type != BTRFS_ROOT_ITEM_KEY || !subvol_id_ok(di.location.objectid))
		return btrfs_corrupt(b, "default subvolume (%llu %u) is not a subvolume",
				     (unsigned long long)di.location.objectid, di.location.type);
	*id = di.location.objectid;
	struct btrfs_tree t;
	rc = btrfs_subvol(b, *id, &t);
	if (rc)
		return rc;
	if (*id != BTRFS_FS_TREE_OBJECTID)
		log_info("%s: btrfs default subvolume %llu", b->vol->name,
			 (unsigned long long)*id);
	return 0;
}

/* Read a ROOT_REF/ROOT_BACKREF item at @p: its dirid and name. */
static int root_ref(struct btrfs_fs *b, struct btrfs_path *p, uint64_t *dirid, const char **name,
		    size_t *name_len)
{
	const uint8_t *data;
	uint32_t size;
	int rc = btrfs_item(b, p, &data, &size);
	if (rc)
		return rc;
	struct btrfs_root_ref ref;
	if (size < sizeof(ref))
		return btrfs_corrupt(b, "root ref (%llu %u %llu) of %u bytes",
				     (unsigned long long)p->key.objectid, p->key.type,
				     (unsigned long long)p->key.offset, size);
	memcpy(&ref, data, sizeof(ref));
	if (ref.name_len > size - sizeof(ref))
		return btrfs_corrupt(b, "root ref (%llu %u %llu): name of %u bytes",
				     (unsigned long long)p->key.objectid, p->key.type,
				     (unsigned long long)p->key.offset, ref.name_len);
	*dirid = ref.dirid;
	*name = (const char *)data + sizeof(ref);
	*name_len = ref.name_len;
	return 0;
}

int btrfs_enter_subvol(struct btrfs_fs *b, uint64_t tree, uint64_t dir, const char *name,
		       size_t name_len, uint64_t id, uint64_t *ino)
{
	if (!subvol_id_ok(id))
		return btrfs_corrupt(b, "directory %llu of tree %llu: entry for tree %llu",
				     (unsigned long long)dir, (unsigned long long)tree,
				     (unsigned long long)id);
	struct btrfs_key k = { tree, BTRFS_ROOT_REF_KEY, id };
	struct btrfs_path p;
	int rc = btrfs_lookup(b, &b->root_tree, &k, &p);
	if (!rc) {
		uint64_t dirid;
		const char *ref_name;
		size_t ref_len;
		rc = root_ref(b, &p, &dirid, &ref_name, &ref_len);
		if (rc)
			return rc;
		if (dirid == dir && ref_len == name_len && !memcmp(ref_name, name, name_len)) {
			struct btrfs_tree t;
			rc = btrfs_subvol(b, id, &t);
			if (rc)
				return rc;
			*ino = BTRFS_INO(id, t.root_dirid);
			return 0;
		}
	} else if (rc != -ENOENT) {
		return rc;
	}
	*ino = BTRFS_INO(tree, BTRFS_EMPTY_SUBVOL_DIR_OBJECTID);
	return 0;
}

int btrfs_subvol_parent(struct btrfs_fs *b, uint64_t tree, uint64_t *ino)
{
	struct btrfs_tree t;
	int rc = btrfs_subvol(b, tree, &t);
	if (rc)
		return rc;
	if (tree == BTRFS_FS_TREE_OBJECTID) {
		*ino = BTRFS_INO(tree, t.root_dirid);
		return 0;
	}
	struct btrfs_path p;
	rc = btrfs_first(b, &b->root_tree, tree, BTRFS_ROOT_BACKREF_KEY, 0, &p);
	if (rc == -ENOENT)
		return -ENOENT; /* an orphaned subvolume: reachable only as the default */
	if (rc)
		return rc;
	uint64_t dirid;
	const char *name;
	size_t name_len;
	rc = root_ref(b, &p, &dirid, &name, &name_len);
	if (rc)
		return rc;
	uint64_t parent = p.key.offset;
	if (!subvol_id_ok(parent) || dirid < BTRFS_FIRST_FREE_OBJECTID ||
	    dirid >= 1ull << BTRFS_INO_SHIFT)
		return btrfs_corrupt(b, "subvolume %llu hangs from directory %llu of tree %llu",
				     (unsigned long long)tree, (unsigned long long)dirid,
				     (unsigned long long)parent);
	*ino = BTRFS_INO(parent, dirid);
	return 0;
}
