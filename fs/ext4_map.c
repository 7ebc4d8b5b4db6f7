/* SPDX-License-Identifier: MIT */
/*
 * From logical file blocks to runs of physical blocks, through extent trees
 * (ext4, ifork.rst) or the classic block map with single, double and triple
 * indirect blocks (ext2/ext3, blockmap.rst). A run is as long as the mapping
 * stays physically contiguous (or stays a hole), so the reader can move
 * megabytes per device request.
 *
 * Untrusted trees: every node is checked (magic, entries <= max, max fits
 * the node, depth <= 5 and exactly one less than its parent's), every block
 * number is checked against the filesystem before it is read, and the walk
 * is a loop bounded by the depth, so a node pointing at itself or at an
 * ancestor fails the depth check instead of recursing.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "ext4_priv.h"

/* A block that may hold metadata or data: past the superblock, inside the fs. */
static bool block_ok(const struct ext4_fs *e, uint64_t block, uint64_t count)
{
	return block > e->first_data_block && range_ok(block, count, e->blocks_count);
}

int ext4_meta_block(struct ext4_fs *e, uint64_t block, uint32_t ino, const uint8_t **out)
{
	if (!block_ok(e, block, 1))
		return ext4_corrupt(e, ino, "metadata block %llu out of bounds",
				    (unsigned long long)block);
	for (unsigned i = 0; i < EXT4_META_SLOTS; i++) {
		if (e->meta[i].valid && e->meta[i].block == block) {
			*out = e->meta[i].data;
			return 0;
		}
	}
	struct ext4_meta_slot *s = &e->meta[e->meta_next];
	e->meta_next = (e->meta_next + 1) % EXT4_META_SLOTS;
	if (!s->data) {
		s->data = malloc(e->block_size);
		if (!s->data)
			return -ENOMEM;
	}
	s->valid = false;
	int rc = ext4_dev_read(e, block * e->block_size, s->data, e->block_size,
			       "a metadata block", ino);
	if (rc)
		return rc;
	s->block = block;
	s->valid = true;
	*out = s->data;
	return 0;
}

void ext4_meta_free(struct ext4_fs *e)
{
	for (unsigned i = 0; i < EXT4_META_SLOTS; i++) {
		free(e->meta[i].data);
		e->meta[i].data = NULL;
		e->meta[i].valid = false;
	}
}

/* "extent root" or "extent node at block N", for messages. */
static const char *node_name(uint64_t block, char *buf, size_t cap)
{
	if (!block)
		return "extent root";
	fmt_snprintf(buf, cap, "extent node at block %llu", (unsigned long long)block);
	return buf;
}

/* Check one extent node of @size bytes; its entries follow the header. */
static int check_node(struct ext4_fs *e, uint32_t ino, const uint8_t *node, uint32_t size,
		      int want_depth, uint64_t block, struct ext4_extent_header *h)
{
	char buf[48];
	uint32_t room = (size - (uint32_t)sizeof(*h)) / (uint32_t)sizeof(struct ext4_extent);
	memcpy(h, node, sizeof(*h));
	if (h->eh_magic != EXT4_EXT_MAGIC)
		return ext4_corrupt(e, ino, "%s: bad magic 0x%x", node_name(block, buf, sizeof(buf)),
				    h->eh_magic);
	if (h->eh_entries > h->eh_max || h->eh_max > room)
		return ext4_corrupt(e, ino, "%s: %u entries, max %u, room for %u",
				    node_name(block, buf, sizeof(buf)), h->eh_entries, h->eh_max,
				    room);
	if (h->eh_depth > EXT4_EXT_MAX_DEPTH)
		return ext4_corrupt(e, ino, "%s: depth %u", node_name(block, buf, sizeof(buf)),
				    h->eh_depth);
	if (want_depth >= 0 && h->eh_depth != want_depth)
		return ext4_corrupt(e, ino, "%s: depth %u under a node of depth %d",
				    node_name(block, buf, sizeof(buf)), h->eh_depth,
				    want_depth + 1);
	return 0;
}

/*
 * Extent lookup. @limit narrows as we descend: it is the first logical block
 * the current subtree does not cover, so a hole ends where the next extent
 * (in this leaf or a later subtree) begins.
 */
static int map_extents(struct ext4_fs *e, const struct ext4_node *n, uint64_t lblk,
		       struct ext4_run *out)
{
	const uint8_t *node = n->i_block;
	uint32_t size = EXT4_I_BLOCK_SIZE;
	uint64_t block = 0; /* 0: the root, in the inode */
	uint64_t limit = EXT4_MAX_LBLK;
	int want_depth = -1;

	for (unsigned level = 0; level <= EXT4_EXT_MAX_DEPTH; level++) {
		struct ext4_extent_header h;
		int rc = check_node(e, n->ino, node, size, want_depth, block, &h);
		if (rc)
			return rc;
		const uint8_t *entries = node + sizeof(h);

		if (h.eh_depth == 0) {
			for (unsigned i = 0; i < h.eh_entries; i++) {
				struct ext4_extent x;
				memcpy(&x, entries + i * sizeof(x), sizeof(x));
				uint32_t len = x.ee_len;
				bool unwritten = len > EXT4_EXT_INIT_MAX_LEN;
				if (unwritten)
					len -= EXT4_EXT_INIT_MAX_LEN;
				uint64_t start = x.ee_start_lo | (uint64_t)x.ee_start_hi << 32;
				if (!len || (uint64_t)x.ee_block + len > EXT4_MAX_LBLK ||
				    !block_ok(e, start, len))
					return ext4_corrupt(e, n->ino,
							    "extent %u->%llu+%u out of bounds",
							    x.ee_block, (unsigned long long)start, len);
				if (lblk < x.ee_block) {
					limit = MIN(limit, (uint64_t)x.ee_block);
					continue;
				}
				if (lblk - x.ee_block >= len)
					continue;
				out->mapped = !unwritten;
				out->pblk = start + (lblk - x.ee_block);
				out->count = len - (lblk - x.ee_block);
				return 0;
			}
			out->mapped = false;
			out->pblk = 0;
			out->count = limit - lblk;
			return 0;
		}

		/* Index node: follow the last entry starting at or before lblk. */
		const struct ext4_extent_idx *pick = NULL;
		struct ext4_extent_idx best;
		for (unsigned i = 0; i < h.eh_entries; i++) {
			struct ext4_extent_idx x;
			memcpy(&x, entries + i * sizeof(x), sizeof(x));
			if (x.ei_block > lblk) {
				limit = MIN(limit, (uint64_t)x.ei_block);
				continue;
			}
			if (!pick || x.ei_block >= best.ei_block) {
				best = x;
				pick = &best;
			}
		}
		if (!pick) {
			out->mapped = false;
			out->pblk = 0;
			out->count = limit - lblk;
			return 0;
		}
		block = best.ei_leaf_lo | (uint64_t)best.ei_leaf_hi << 32;
		rc = ext4_meta_block(e, block, n->ino, &node);
		if (rc)
			return rc;
		size = e->block_size;
		want_depth = h.eh_depth - 1;
	}
	/* Unreachable: the root's depth is <= 5 and each level is one less. */
	return ext4_corrupt(e, n->ino, "extent tree deeper than %d", EXT4_EXT_MAX_DEPTH);
}

/*
 * Extend a run over the pointer array @ptrs[from..count): contiguous
 * physical blocks, or consecutive zero (hole) pointers.
 */
static int run_from_pointers(struct ext4_fs *e, uint32_t ino, const uint8_t *ptrs, uint32_t from,
			     uint32_t count, struct ext4_run *out)
{
	uint32_t first = get_le32(ptrs + 4 * from);
	uint32_t len = 1;
	if (first == 0) {
		while (from + len < count && get_le32(ptrs + 4 * (from + len)) == 0)
			len++;
		out->mapped = false;
		out->pblk = 0;
		out->count = len;
		return 0;
	}
	while (from + len < count && get_le32(ptrs + 4 * (from + len)) == (uint64_t)first + len)
		len++;
	if (!block_ok(e, first, len))
		return ext4_corrupt(e, ino, "data block %u out of bounds", first);
	out->mapped = true;
	out->pblk = first;
	out->count = len;
	return 0;
}

/*
 * Block map: i_block[0..11] are direct, then one pointer each to a single,
 * double and triple indirect tree of block_size / 4 pointers per block.
 */
static int map_blockmap(struct ext4_fs *e, const struct ext4_node *n, uint64_t lblk,
			struct ext4_run *out)
{
	if (lblk < EXT4_NDIR_BLOCKS)
		return run_from_pointers(e, n->ino, n->i_block, (uint32_t)lblk, EXT4_NDIR_BLOCKS,
					 out);
	uint64_t per = e->block_size / 4;
	uint64_t rest = lblk - EXT4_NDIR_BLOCKS;
	uint64_t span = per; /* blocks under the tree's root pointer */
	unsigned levels = 1;
	while (rest >= span) {
		rest -= span;
		if (++levels > 3) {
			/* Beyond what triple indirection addresses: a hole. */
			out->mapped = false;
			out->count = EXT4_MAX_LBLK - lblk;
			return 0;
		}
		span *= per;
	}
	uint32_t ptr = get_le32(n->i_block + 4 * (EXT4_IND_BLOCK + levels - 1));
	/* rest is the offset inside the subtree of @span blocks under ptr. */
	for (unsigned l = levels; l > 0; l--) {
		if (ptr == 0) {
			out->mapped = false;
			out->count = span - rest;
			return 0;
		}
		const uint8_t *blk;
		int rc = ext4_meta_block(e, ptr, n->ino, &blk);
		if (rc)
			return rc;
		span /= per;
		uint32_t index = (uint32_t)(rest / span);
		rest %= span;
		if (l == 1)
			return run_from_pointers(e, n->ino, blk, index, (uint32_t)per, out);
		ptr = get_le32(blk + 4 * index);
	}
	return ext4_corrupt(e, n->ino, "block map walk fell through"); /* unreachable */
}

int ext4_map(struct ext4_fs *e, const struct ext4_node *n, uint64_t lblk, struct ext4_run *out)
{
	int rc = (n->flags & EXT4_EXTENTS_FL) ? map_extents(e, n, lblk, out)
					      : map_blockmap(e, n, lblk, out);
	if (!rc && (out->count == 0 || out->count > EXT4_MAX_LBLK - lblk))
		out->count = EXT4_MAX_LBLK - lblk; /* keep runs inside the 32-bit space */
	return rc;
}
