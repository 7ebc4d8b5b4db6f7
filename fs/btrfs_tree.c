/* SPDX-License-Identifier: MIT */
/*
 * btrfs tree blocks and key search.
 *
 * A tree block is believed only after the checks the kernel makes when it
 * reads one (tree-checker.c, verify_parent_transid, btrfs_verify_level_key):
 *  - its checksum (crc32c or sha256 over bytes 32..nodesize);
 *  - its header names the address it was read from, this filesystem's
 *    (metadata) fsid, the level the parent expects (exactly one below the
 *    parent's, so no pointer can lead back up: a walk is at most
 *    BTRFS_MAX_LEVEL deep and cycles are impossible), the generation the
 *    parent recorded, and no generation newer than the superblock's;
 *  - its first key is the key the parent filed it under;
 *  - its items or pointers fit the block, item payloads stay inside the
 *    block and past the item array, and keys are strictly increasing.
 * A block that fails on one copy of a mirrored chunk (DUP, RAID1) is read
 * from the next; only when every copy fails is one line logged.
 *
 * Walking items forward (btrfs_next) also demands strictly increasing keys
 * from leaf to leaf, so even a tree whose nodes share children visits each
 * leaf at most once.
 */
#include "../core/crc32c.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/sha256.h"
#include "btrfs_priv.h"

#define HDR sizeof(struct btrfs_header)

uint32_t btrfs_name_hash(const char *name, size_t len)
{
	/* The kernel's crc32c(~1, name) without the final inversion
	 * (btrfs_name_hash); crc32c() inverts on both ends, hence the ~s. */
	return ~crc32c(1, name, len);
}

static void key_of(struct btrfs_key *k, const struct btrfs_disk_key *d)
{
	k->objectid = d->objectid;
	k->type = d->type;
	k->offset = d->offset;
}

/* The key of entry @slot of block @blk (an item or a pointer). */
static void block_key(const uint8_t *blk, uint8_t level, uint32_t slot, struct btrfs_key *k)
{
	struct btrfs_disk_key d;
	size_t size = level ? sizeof(struct btrfs_key_ptr) : sizeof(struct btrfs_item);
	memcpy(&d, blk + HDR + slot * size, sizeof(d));
	key_of(k, &d);
}

static bool csum_ok(const struct btrfs_fs *b, const uint8_t *blk)
{
	if (b->csum_type == BTRFS_CSUM_CRC32C)
		return crc32c(0, blk + BTRFS_CSUM_SIZE, b->nodesize - BTRFS_CSUM_SIZE) ==
		       get_le32(blk);
	if (b->csum_type == BTRFS_CSUM_SHA256) {
		uint8_t h[32];
		sha256(blk + BTRFS_CSUM_SIZE, b->nodesize - BTRFS_CSUM_SIZE, h);
		return memcmp(h, blk, sizeof(h)) == 0;
	}
	return true; /* not verified; mount warned */
}

/* What a caller expects of a block. */
struct expect {
	uint64_t bytenr, generation, owner;
	uint8_t level;
	const struct btrfs_key *first; /* NULL: no parent key (a root) */
};

/* Everything but the checksum; fills @why and returns false on the first fault. */
static bool block_ok(const struct btrfs_fs *b, const uint8_t *blk, const struct expect *e,
		     char *why, size_t cap)
{
	struct btrfs_header h;
	memcpy(&h, blk, sizeof(h));
	if (h.bytenr != e->bytenr) {
		fmt_snprintf(why, cap, "claims to be at %llu", (unsigned long long)h.bytenr);
		return false;
	}
	if (memcmp(h.fsid, b->meta_fsid, sizeof(h.fsid))) {
		fmt_snprintf(why, cap, "belongs to another filesystem");
		return false;
	}
	if (h.level != e->level) {
		fmt_snprintf(why, cap, "level %u, expected %u", h.level, e->level);
		return false;
	}
	if (h.generation > b->generation ||
	    (e->generation && h.generation != e->generation)) {
		fmt_snprintf(why, cap, "generation %llu, expected %llu",
			     (unsigned long long)h.generation,
			     (unsigned long long)(e->generation ? e->generation : b->generation));
		return false;
	}
	uint32_t room = b->nodesize - (uint32_t)HDR;
	uint32_t esize = h.level ? sizeof(struct btrfs_key_ptr) : sizeof(struct btrfs_item);
	if (h.nritems > room / esize || (h.level && !h.nritems)) {
		fmt_snprintf(why, cap, "%u %s", h.nritems, h.level ? "pointers" : "items");
		return false;
	}
	struct btrfs_key prev, k;
	for (uint32_t i = 0; i < h.nritems; i++) {
		block_key(blk, h.level, i, &k);
		if (i && btrfs_key_cmp(&prev, &k) >= 0) {
			fmt_snprintf(why, cap, "keys out of order at slot %u", i);
			return false;
		}
		prev = k;
		if (!h.level) {
			struct btrfs_item it;
			memcpy(&it, blk + HDR + i * sizeof(it), sizeof(it));
			if (!range_ok(it.offset, it.size, room) ||
			    it.offset < h.nritems * (uint32_t)sizeof(it)) {
				fmt_snprintf(why, cap, "item %u at [%u, +%u) outside its block", i,
					     it.offset, it.size);
				return false;
			}
		}
	}
	if (e->first && h.nritems) {
		block_key(blk, h.level, 0, &k);
		if (btrfs_key_cmp(&k, e->first)) {
			fmt_snprintf(why, cap, "first key (%llu %u %llu), parent says (%llu %u %llu)",
				     (unsigned long long)k.objectid, k.type,
				     (unsigned long long)k.offset,
				     (unsigned long long)e->first->objectid, e->first->type,
				     (unsigned long long)e->first->offset);
			return false;
		}
	}
	return true;
}

/* Read block @e->bytenr from the first copy that passes every check. */
static int load_block(struct btrfs_fs *b, const struct expect *e, uint8_t *buf)
{
	char why[120] = "";
	if (e->bytenr % b->sectorsize)
		return btrfs_corrupt(b, "tree %llu: block %llu is not sector aligned",
				     (unsigned long long)e->owner, (unsigned long long)e->bytenr);
	for (unsigned copy = 0; copy < BTRFS_MAX_COPIES; copy++) {
		uint64_t phys, contig;
		int rc = btrfs_map_logical(b, e->bytenr, copy, &phys, &contig);
		if (rc == -ENOENT)
			break;
		if (rc)
			return rc;
		if (contig < b->nodesize)
			return btrfs_corrupt(b, "tree %llu: block %llu crosses a chunk end",
					     (unsigned long long)e->owner,
					     (unsigned long long)e->bytenr);
		rc = btrfs_dev_read(b, phys, buf, b->nodesize, "a tree block");
		if (rc)
			return rc;
		char this_why[120];
		if (!csum_ok(b, buf))
			fmt_snprintf(this_why, sizeof(this_why), "bad checksum");
		else if (block_ok(b, buf, e, this_why, sizeof(this_why)))
			return 0;
		if (!copy)
			memcpy(why, this_why, sizeof(why));
		else
			log_warn("%s: btrfs tree block %llu copy %u is bad too (%s)", b->vol->name,
				 (unsigned long long)e->bytenr, copy, this_why);
	}
	return btrfs_corrupt(b, "tree %llu: block %llu: %s", (unsigned long long)e->owner,
			     (unsigned long long)e->bytenr, why);
}

/*
 * The block, through the cache. A cached block passed its checksum when it
 * was read; what the caller expects (level, generation, first key) is
 * checked again, since another parent may expect something else.
 */
static int read_block(struct btrfs_fs *b, const struct expect *e, const uint8_t **out)
{
	struct btrfs_node_slot *victim = &b->nodes[0];
	for (unsigned i = 0; i < BTRFS_NODE_SLOTS; i++) {
		struct btrfs_node_slot *s = &b->nodes[i];
		if (s->valid && s->bytenr == e->bytenr) {
			char why[120];
			if (!block_ok(b, s->data, e, why, sizeof(why)))
				return btrfs_corrupt(b, "tree %llu: block %llu: %s",
						     (unsigned long long)e->owner,
						     (unsigned long long)e->bytenr, why);
			s->used = ++b->clock;
			*out = s->data;
			return 0;
		}
		if (!s->valid || (victim->valid && s->used < victim->used))
			victim = s;
	}
	if (!victim->data) {
		victim->data = malloc(b->nodesize);
		if (!victim->data)
			return -ENOMEM;
	}
	victim->valid = false;
	int rc = load_block(b, e, victim->data);
	if (rc)
		return rc;
	victim->valid = true;
	victim->bytenr = e->bytenr;
	victim->used = ++b->clock;
	*out = victim->data;
	return 0;
}

static uint32_t nritems_of(const uint8_t *blk)
{
	return get_le32(blk + offsetof(struct btrfs_header, nritems));
}

static void ptr_at(const uint8_t *blk, uint32_t slot, struct btrfs_key_ptr *p)
{
	memcpy(p, blk + HDR + slot * sizeof(*p), sizeof(*p));
}

/* Re-read level @l of the path (its block is expected unchanged). */
static int path_block(struct btrfs_fs *b, const struct btrfs_path *p, unsigned l,
		      const uint8_t **blk)
{
	struct expect e = { p->at[l].bytenr, p->at[l].generation, p->tree.id, (uint8_t)l, NULL };
	return read_block(b, &e, blk);
}

/* Descend from level @l (slot already set) to a leaf, taking slot 0 below. */
static int descend_first(struct btrfs_fs *b, struct btrfs_path *p, unsigned l)
{
	while (l > 0) {
		const uint8_t *blk;
		int rc = path_block(b, p, l, &blk);
		if (rc)
			return rc;
		struct btrfs_key_ptr ptr;
		struct btrfs_key first;
		ptr_at(blk, p->at[l].slot, &ptr);
		key_of(&first, &ptr.key);
		struct expect e = { ptr.blockptr, ptr.generation, p->tree.id, (uint8_t)(l - 1),
				    &first };
		rc = read_block(b, &e, &blk);
		if (rc)
			return rc;
		l--;
		p->at[l].bytenr = ptr.blockptr;
		p->at[l].generation = ptr.generation;
		p->at[l].slot = 0;
		p->at[l].nritems = nritems_of(blk);
	}
	return 0;
}

static int set_key(struct btrfs_fs *b, struct btrfs_path *p, bool check_order)
{
	const uint8_t *blk;
	int rc = path_block(b, p, 0, &blk);
	if (rc)
		return rc;
	struct btrfs_key k;
	block_key(blk, 0, p->at[0].slot, &k);
	if (check_order && btrfs_key_cmp(&k, &p->key) <= 0)
		return btrfs_corrupt(b, "tree %llu: leaf %llu goes back to key (%llu %u %llu)",
				     (unsigned long long)p->tree.id,
				     (unsigned long long)p->at[0].bytenr,
				     (unsigned long long)k.objectid, k.type,
				     (unsigned long long)k.offset);
	p->key = k;
	return 0;
}

int btrfs_next(struct btrfs_fs *b, struct btrfs_path *p)
{
	if (p->at[0].slot + 1 < p->at[0].nritems) {
		p->at[0].slot++;
		return set_key(b, p, true);
	}
	/* Up to the first level with a slot to the right, then down its
	 * leftmost edge; empty leaves (legal only as a root) are skipped. */
	for (;;) {
		unsigned l = 1;
		while (l <= p->tree.level && p->at[l].slot + 1 >= p->at[l].nritems)
			l++;
		if (l > p->tree.level)
			return -ENOENT;
		p->at[l].slot++;
		int rc = descend_first(b, p, l);
		if (rc)
			return rc;
		if (p->at[0].nritems)
			return set_key(b, p, true);
	}
}

int btrfs_search(struct btrfs_fs *b, const struct btrfs_tree *tree, const struct btrfs_key *key,
		 enum btrfs_search_mode mode, struct btrfs_path *p)
{
	memset(p, 0, sizeof(*p));
	p->tree = *tree;
	if (tree->level >= BTRFS_MAX_LEVEL)
		return btrfs_corrupt(b, "tree %llu: root level %u", (unsigned long long)tree->id,
				     tree->level);
	struct expect e = { tree->bytenr, tree->generation, tree->id, tree->level, NULL };
	struct btrfs_key first;
	for (;;) {
		const uint8_t *blk;
		int rc = read_block(b, &e, &blk);
		if (rc)
			return rc;
		uint32_t n = nritems_of(blk);
		unsigned l = e.level;
		p->at[l].bytenr = e.bytenr;
		p->at[l].generation = e.generation;
		p->at[l].nritems = n;
		/* lo = the number of entries with key <= @key. */
		uint32_t lo = 0, hi = n;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			struct btrfs_key k;
			block_key(blk, (uint8_t)l, mid, &k);
			if (btrfs_key_cmp(&k, key) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (l == 0) {
			if (mode == BTRFS_SEARCH_LE) {
				if (lo == 0)
					return -ENOENT;
				p->at[0].slot = lo - 1;
				return set_key(b, p, false);
			}
			/* GE: the first entry >= key is lo - 1 when it equals key. */
			if (lo > 0) {
				struct btrfs_key k;
				block_key(blk, 0, lo - 1, &k);
				if (!btrfs_key_cmp(&k, key)) {
					p->at[0].slot = lo - 1;
					return set_key(b, p, false);
				}
			}
			if (lo < n) {
				p->at[0].slot = lo;
				return set_key(b, p, false);
			}
			if (n == 0) {
				p->at[0].slot = 0;
				p->key = *key;
			} else {
				p->at[0].slot = n - 1;
				rc = set_key(b, p, false);
				if (rc)
					return rc;
			}
			return btrfs_next(b, p);
		}
		/* A node: follow the last pointer whose key is <= @key. */
		p->at[l].slot = lo ? lo - 1 : 0;
		struct btrfs_key_ptr ptr;
		ptr_at(blk, p->at[l].slot, &ptr);
		key_of(&first, &ptr.key);
		e = (struct expect){ ptr.blockptr, ptr.generation, tree->id, (uint8_t)(l - 1),
				     &first };
	}
}

int btrfs_item(struct btrfs_fs *b, struct btrfs_path *p, const uint8_t **data, uint32_t *size)
{
	const uint8_t *blk;
	int rc = path_block(b, p, 0, &blk);
	if (rc)
		return rc;
	struct btrfs_item it;
	memcpy(&it, blk + HDR + p->at[0].slot * sizeof(it), sizeof(it));
	*data = blk + HDR + it.offset;
	*size = it.size;
	return 0;
}

int btrfs_lookup(struct btrfs_fs *b, const struct btrfs_tree *tree, const struct btrfs_key *key,
		 struct btrfs_path *p)
{
	int rc = btrfs_search(b, tree, key, BTRFS_SEARCH_GE, p);
	if (rc)
		return rc;
	return btrfs_key_cmp(&p->key, key) ? -ENOENT : 0;
}

int btrfs_first(struct btrfs_fs *b, const struct btrfs_tree *tree, uint64_t objectid,
		uint8_t type, uint64_t offset, struct btrfs_path *p)
{
	struct btrfs_key k = { objectid, type, offset };
	int rc = btrfs_search(b, tree, &k, BTRFS_SEARCH_GE, p);
	if (rc)
		return rc;
	return p->key.objectid == objectid && p->key.type == type ? 0 : -ENOENT;
}

void btrfs_nodes_free(struct btrfs_fs *b)
{
	for (unsigned i = 0; i < BTRFS_NODE_SLOTS; i++) {
		free(b->nodes[i].data);
		b->nodes[i].data = NULL;
		b->nodes[i].valid = false;
	}
}
