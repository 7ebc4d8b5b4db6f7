/* SPDX-License-Identifier: MIT */
/*
 * From logical fork blocks to runs of physical blocks: an extent list in
 * the inode (EXTENTS format) or a bmap btree whose root is in the inode
 * (BTREE format). A run is one extent (or the rest of it), or the hole up
 * to the next extent, so the reader moves whole extents per device request.
 * Shared (reflinked) extents are ordinary extents to a reader; unwritten
 * (preallocated) ones read as zeros.
 *
 * Untrusted trees: every block is checked (magic, CRC and owner on v5,
 * numrecs <= what the block holds, level exactly one less than its
 * parent's) and every block number against its AG and the filesystem
 * before it is read. The descent is a loop over strictly decreasing levels
 * (at most XFS_BTREE_MAX_LEVELS), so a block pointing at itself or at an
 * ancestor fails the level check instead of looping. Holes are bounded by
 * the parent's next key, so no sibling pointer is ever followed.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "xfs_priv.h"

struct rec {
	uint64_t startoff, startblock, count;
	bool unwritten;
};

static void decode_rec(const uint8_t *p, struct rec *r)
{
	uint64_t l0 = get_be64(p), l1 = get_be64(p + 8);
	r->unwritten = l0 >> 63;
	r->startoff = (l0 >> 9) & (XFS_MAX_LBLK - 1);
	r->startblock = (l0 & 0x1ff) << 43 | l1 >> 21;
	r->count = l1 & ((1u << XFS_BMBT_BLOCKCOUNT_BITS) - 1);
}

/* Binary search: the index of the first of @n entries, @stride bytes
 * apart, whose starting block is greater than @lblk (records when @is_rec,
 * else 8-byte btree keys). On unsorted (corrupt) input it still ends. */
static uint32_t first_after(const uint8_t *base, uint32_t n, uint32_t stride, bool is_rec,
			    uint64_t lblk)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint64_t k;
		if (is_rec) {
			struct rec r;
			decode_rec(base + (size_t)mid * stride, &r);
			k = r.startoff;
		} else {
			k = get_be64(base + (size_t)mid * stride);
		}
		if (k <= lblk)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* @lblk among @nrecs extent records, which cover at most [.., @upper). */
static int map_in_recs(struct xfs_fs *x, uint64_t ino, const uint8_t *recs, uint32_t nrecs,
		       uint64_t lblk, uint64_t upper, struct xfs_run *out)
{
	uint32_t i = first_after(recs, nrecs, XFS_BMBT_REC_SIZE, true, lblk);
	struct rec r;
	if (i > 0) {
		decode_rec(recs + (size_t)(i - 1) * XFS_BMBT_REC_SIZE, &r);
		if (!r.count || r.count > XFS_MAX_LBLK - r.startoff)
			return xfs_corrupt(x, ino, "extent at %llu of %llu blocks",
					   (unsigned long long)r.startoff,
					   (unsigned long long)r.count);
		if (lblk < r.startoff + r.count) {
			uint64_t block;
			int rc = xfs_fsb_to_block(x, r.startblock, r.count, ino, &block);
			if (rc)
				return rc;
			out->pblk = block + (lblk - r.startoff);
			out->count = r.startoff + r.count - lblk;
			out->mapped = !r.unwritten;
			return 0;
		}
	}
	uint64_t next = upper;
	if (i < nrecs) {
		decode_rec(recs + (size_t)i * XFS_BMBT_REC_SIZE, &r);
		next = MIN(next, r.startoff);
	}
	out->pblk = 0;
	out->count = next > lblk ? next - lblk : 1;
	out->mapped = false;
	return 0;
}

/* Block @block through the cache, CRC-checked when it is read. */
static int meta_block(struct xfs_fs *x, uint64_t block, uint64_t ino, const uint8_t **out)
{
	for (unsigned i = 0; i < XFS_META_SLOTS; i++) {
		if (x->meta[i].valid && x->meta[i].block == block) {
			*out = x->meta[i].data;
			return 0;
		}
	}
	struct xfs_meta_slot *s = &x->meta[x->meta_next];
	x->meta_next = (x->meta_next + 1) % XFS_META_SLOTS;
	if (!s->data) {
		s->data = malloc(x->block_size);
		if (!s->data)
			return -ENOMEM;
	}
	s->valid = false;
	int rc = xfs_dev_read(x, block << x->block_log, s->data, x->block_size,
			      "a bmap btree block", ino);
	if (!rc)
		rc = xfs_check_crc(x, s->data, x->block_size, XFS_BTREE_LBLOCK_CRC_OFF,
				   "bmap btree block", block, ino);
	if (rc)
		return rc;
	s->block = block;
	s->valid = true;
	*out = s->data;
	return 0;
}

void xfs_meta_free(struct xfs_fs *x)
{
	for (unsigned i = 0; i < XFS_META_SLOTS; i++) {
		free(x->meta[i].data);
		x->meta[i].data = NULL;
		x->meta[i].valid = false;
	}
}

/* A btree block below the root: header checked for @level. Returns the
 * header size in *hdr and the record count in *nrecs. */
static int check_block(struct xfs_fs *x, uint64_t ino, uint64_t block, const uint8_t *b,
		       unsigned level, uint32_t *hdr, uint32_t *nrecs)
{
	const struct xfs_btree_lblock *h = (const struct xfs_btree_lblock *)b;
	uint32_t magic = get_be32(&h->bb_magic);
	*hdr = x->v5 ? (uint32_t)sizeof(*h) : XFS_BTREE_LBLOCK_V4;
	if (magic != (x->v5 ? XFS_BMAP_CRC_MAGIC : XFS_BMAP_MAGIC))
		return xfs_corrupt(x, ino, "bmap btree block %llu: bad magic 0x%08x",
				   (unsigned long long)block, magic);
	if (get_be16(&h->bb_level) != level)
		return xfs_corrupt(x, ino, "bmap btree block %llu: level %u, want %u",
				   (unsigned long long)block, get_be16(&h->bb_level), level);
	*nrecs = get_be16(&h->bb_numrecs);
	if (!*nrecs || *nrecs > (x->block_size - *hdr) / 16)
		return xfs_corrupt(x, ino, "bmap btree block %llu: %u records",
				   (unsigned long long)block, *nrecs);
	if (x->v5 && (get_be64(&h->bb_blkno) != block << (x->block_log - 9) ||
		      get_be64(&h->bb_owner) != ino || memcmp(h->bb_uuid, x->meta_uuid, 16)))
		return xfs_corrupt(x, ino, "bmap btree block %llu belongs elsewhere",
				   (unsigned long long)block);
	return 0;
}

static int map_btree(struct xfs_fs *x, const struct xfs_node *n, uint64_t lblk,
		     struct xfs_run *out)
{
	const struct xfs_bmdr_block *root = (const struct xfs_bmdr_block *)n->fork;
	unsigned level = get_be16(&root->bb_level);
	uint32_t nrecs = get_be16(&root->bb_numrecs);
	uint32_t maxrecs = (n->fork_size - (uint32_t)sizeof(*root)) / 16;
	if (level == 0 || level >= XFS_BTREE_MAX_LEVELS || !nrecs || nrecs > maxrecs)
		return xfs_corrupt(x, n->ino, "bmap btree root: level %u, %u records", level, nrecs);
	const uint8_t *keys = n->fork + sizeof(*root);
	const uint8_t *ptrs = keys + (size_t)maxrecs * 8;
	uint64_t upper = XFS_MAX_LBLK;

	for (;;) {
		uint32_t i = first_after(keys, nrecs, 8, false, lblk);
		if (i == 0) {
			/* Before the first key: a hole up to it. */
			uint64_t k = get_be64(keys);
			out->pblk = 0;
			out->count = MIN(k, upper) > lblk ? MIN(k, upper) - lblk : 1;
			out->mapped = false;
			return 0;
		}
		if (i < nrecs)
			upper = MIN(upper, get_be64(keys + (size_t)i * 8));
		uint64_t block;
		int rc = xfs_fsb_to_block(x, get_be64(ptrs + (size_t)(i - 1) * 8), 1, n->ino, &block);
		if (rc)
			return rc;
		const uint8_t *b;
		uint32_t hdr;
		rc = meta_block(x, block, n->ino, &b);
		if (!rc)
			rc = check_block(x, n->ino, block, b, level - 1, &hdr, &nrecs);
		if (rc)
			return rc;
		if (--level == 0)
			return map_in_recs(x, n->ino, b + hdr, nrecs, lblk, upper, out);
		maxrecs = (x->block_size - hdr) / 16;
		keys = b + hdr;
		ptrs = keys + (size_t)maxrecs * 8;
	}
}

int xfs_map(struct xfs_fs *x, const struct xfs_node *n, uint64_t lblk, struct xfs_run *out)
{
	switch (n->format) {
	case XFS_DINODE_FMT_EXTENTS:
		return map_in_recs(x, n->ino, n->fork, (uint32_t)n->nextents, lblk, XFS_MAX_LBLK,
				   out);
	case XFS_DINODE_FMT_BTREE:
		return map_btree(x, n, lblk, out);
	default:
		return xfs_corrupt(x, n->ino, "no block map in data fork format %u", n->format);
	}
}
