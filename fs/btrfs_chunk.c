/* SPDX-License-Identifier: MIT */
/*
 * btrfs logical -> physical mapping.
 *
 * Every address in btrfs metadata is logical; chunks map logical ranges
 * onto stripes of devices. The chunks holding the chunk tree itself are in
 * the superblock's sys_chunk_array (key + chunk item pairs); the rest are
 * CHUNK_ITEMs of the chunk tree. Both are checked here once, so a mapping
 * used later is known to lie inside the volume:
 *  - logical start and length sector aligned, length non-zero, no overflow,
 *    no two chunks overlapping (the same chunk in both places is fine);
 *  - the item's size is exactly its stripes;
 *  - every stripe on this filesystem's one device, and inside the volume;
 *  - a profile whose copies are whole: SINGLE, DUP, RAID1/1C3/1C4 (a RAID0
 *    "stripe set" of one device is SINGLE). RAID10/5/6 are refused.
 * Mirrored profiles give several copies; a tree block whose checksum fails
 * on one copy is read from the next (btrfs_tree.c).
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "btrfs_priv.h"

/* Check one chunk item of @size bytes at @c, starting at @logical, and add it. */
static int add_chunk(struct btrfs_fs *b, uint64_t logical, const uint8_t *c, uint32_t size)
{
	struct btrfs_chunk ch;
	if (size < sizeof(ch))
		return btrfs_corrupt(b, "chunk item at %llu of %u bytes",
				     (unsigned long long)logical, size);
	memcpy(&ch, c, sizeof(ch));
	if (!ch.num_stripes || size != sizeof(ch) + (uint32_t)ch.num_stripes * sizeof(struct btrfs_stripe))
		return btrfs_corrupt(b, "chunk at %llu: %u stripes in %u bytes",
				     (unsigned long long)logical, ch.num_stripes, size);
	if (!ch.length || ch.length % b->sectorsize || logical % b->sectorsize ||
	    logical > UINT64_MAX - ch.length)
		return btrfs_corrupt(b, "chunk at %llu: bad length %llu",
				     (unsigned long long)logical, (unsigned long long)ch.length);

	uint64_t profile = ch.type & (BTRFS_BLOCK_GROUP_MIRRORED | BTRFS_BLOCK_GROUP_STRIPED);
	bool whole = profile == 0 || (profile & BTRFS_BLOCK_GROUP_MIRRORED) ||
		     (profile == BTRFS_BLOCK_GROUP_RAID0 && ch.num_stripes == 1);
	if (!whole || (profile & (profile - 1)))
		return log_err(-EOPNOTSUPP, "%s: btrfs chunk at %llu: profile 0x%llx with %u "
			       "stripes is not read (only SINGLE, DUP and RAID1*)",
			       b->vol->name, (unsigned long long)logical,
			       (unsigned long long)ch.type, ch.num_stripes);
	if (!profile && ch.num_stripes != 1)
		return btrfs_corrupt(b, "SINGLE chunk at %llu with %u stripes",
				     (unsigned long long)logical, ch.num_stripes);

	struct btrfs_map m = { logical, ch.length, ch.type, 0, { 0 } };
	for (unsigned i = 0; i < ch.num_stripes; i++) {
		struct btrfs_stripe st;
		memcpy(&st, c + sizeof(ch) + i * sizeof(st), sizeof(st));
		if (st.devid != b->devid)
			return btrfs_corrupt(b, "chunk at %llu: stripe on device %llu, not %llu",
					     (unsigned long long)logical,
					     (unsigned long long)st.devid,
					     (unsigned long long)b->devid);
		if (!range_ok(st.offset, ch.length, b->vol->size))
			return btrfs_corrupt(b, "chunk at %llu: stripe [%llu, +%llu) past the end "
					     "of the %llu-byte device",
					     (unsigned long long)logical,
					     (unsigned long long)st.offset,
					     (unsigned long long)ch.length,
					     (unsigned long long)b->vol->size);
		if (m.copies < BTRFS_MAX_COPIES)
			m.physical[m.copies++] = st.offset;
	}

	/* Sorted insert (binary search: the chunk tree comes in order, and
	 * may hold tens of thousands); an identical chunk (sys_chunk_array
	 * and chunk tree both list the system chunks) is kept once. */
	unsigned at = 0, hi = b->nr_maps;
	while (at < hi) {
		unsigned mid = at + (hi - at) / 2;
		if (b->maps[mid].logical < logical)
			at = mid + 1;
		else
			hi = mid;
	}
	if (at < b->nr_maps && b->maps[at].logical == logical && b->maps[at].length == ch.length)
		return 0;
	if ((at > 0 && b->maps[at - 1].logical + b->maps[at - 1].length > logical) ||
	    (at < b->nr_maps && logical + ch.length > b->maps[at].logical))
		return btrfs_corrupt(b, "chunk [%llu, +%llu) overlaps another",
				     (unsigned long long)logical, (unsigned long long)ch.length);
	if (b->nr_maps == b->cap_maps) {
		if (b->nr_maps >= BTRFS_MAX_CHUNKS)
			return btrfs_corrupt(b, "more than %u chunks", BTRFS_MAX_CHUNKS);
		unsigned cap = b->cap_maps ? 2 * b->cap_maps : 16;
		struct btrfs_map *n = realloc(b->maps, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		b->maps = n;
		b->cap_maps = cap;
	}
	memmove(&b->maps[at + 1], &b->maps[at], (b->nr_maps - at) * sizeof(*b->maps));
	b->maps[at] = m;
	b->nr_maps++;
	return 0;
}

static int load_sys_array(struct btrfs_fs *b, const struct btrfs_super_block *sb)
{
	const uint8_t *a = sb->sys_chunk_array;
	uint32_t len = sb->sys_chunk_array_size, pos = 0;
	while (pos < len) {
		struct btrfs_disk_key k;
		struct btrfs_chunk ch;
		if (len - pos < sizeof(k) + sizeof(ch))
			return btrfs_corrupt(b, "sys_chunk_array: %u stray bytes", len - pos);
		memcpy(&k, a + pos, sizeof(k));
		memcpy(&ch, a + pos + sizeof(k), sizeof(ch));
		if (k.type != BTRFS_CHUNK_ITEM_KEY)
			return btrfs_corrupt(b, "sys_chunk_array: key type %u", k.type);
		uint32_t size = sizeof(ch) + (uint32_t)ch.num_stripes * sizeof(struct btrfs_stripe);
		if (size > len - pos - sizeof(k))
			return btrfs_corrupt(b, "sys_chunk_array: chunk at %llu runs past its end",
					     (unsigned long long)k.offset);
		int rc = add_chunk(b, k.offset, a + pos + sizeof(k), size);
		if (rc)
			return rc;
		pos += sizeof(k) + size;
	}
	if (!b->nr_maps)
		return btrfs_corrupt(b, "empty sys_chunk_array");
	return 0;
}

int btrfs_chunks_load(struct btrfs_fs *b, const struct btrfs_super_block *sb)
{
	int rc = load_sys_array(b, sb);
	if (rc)
		return rc;
	struct btrfs_path p;
	rc = btrfs_first(b, &b->chunk_tree, BTRFS_FIRST_CHUNK_TREE_OBJECTID, BTRFS_CHUNK_ITEM_KEY,
			 0, &p);
	while (!rc) {
		if (p.key.objectid != BTRFS_FIRST_CHUNK_TREE_OBJECTID ||
		    p.key.type != BTRFS_CHUNK_ITEM_KEY)
			break;
		const uint8_t *data;
		uint32_t size;
		rc = btrfs_item(b, &p, &data, &size);
		if (rc)
			return rc;
		/* Copied out of the cached block, which the next read may reuse. */
		uint8_t item[sizeof(struct btrfs_chunk) + BTRFS_MAX_COPIES * 2 * sizeof(struct btrfs_stripe)];
		if (size > sizeof(item))
			return log_err(-EOPNOTSUPP, "%s: btrfs chunk at %llu: a %u-byte item, "
				       "striped over many devices", b->vol->name,
				       (unsigned long long)p.key.offset, size);
		memcpy(item, data, size);
		rc = add_chunk(b, p.key.offset, item, size);
		if (rc)
			return rc;
		rc = btrfs_next(b, &p);
	}
	return rc == -ENOENT ? 0 : rc;
}

int btrfs_map_logical(struct btrfs_fs *b, uint64_t logical, unsigned copy, uint64_t *physical,
		      uint64_t *contig)
{
	/* Binary search for the last chunk starting at or before @logical. */
	unsigned lo = 0, hi = b->nr_maps;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (b->maps[mid].logical <= logical)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || logical - b->maps[lo - 1].logical >= b->maps[lo - 1].length)
		return btrfs_corrupt(b, "logical address %llu is in no chunk",
				     (unsigned long long)logical);
	const struct btrfs_map *m = &b->maps[lo - 1];
	if (copy >= m->copies)
		return -ENOENT;
	uint64_t in = logical - m->logical;
	*physical = m->physical[copy] + in;
	*contig = m->length - in;
	return 0;
}

int btrfs_read_logical(struct btrfs_fs *b, uint64_t logical, void *buf, size_t len,
		       const char *what)
{
	uint8_t *dst = buf;
	while (len) {
		uint64_t phys, contig;
		int rc = btrfs_map_logical(b, logical, 0, &phys, &contig);
		if (rc)
			return rc == -ENOENT ? -EIO : rc;
		size_t n = (size_t)MIN((uint64_t)len, contig);
		rc = btrfs_dev_read(b, phys, dst, n, what);
		if (rc)
			return rc;
		dst += n;
		logical += n;
		len -= n;
	}
	return 0;
}

void btrfs_chunks_free(struct btrfs_fs *b)
{
	free(b->maps);
	b->maps = NULL;
	b->nr_maps = b->cap_maps = 0;
}
