/* SPDX-License-Identifier: MIT */
/*
 * btrfs file bytes and symlink targets.
 *
 * A file is the EXTENT_DATA items of its inode, keyed by file offset:
 *  - inline: the bytes are in the item (small files, symlink targets), from
 *    offset 0, possibly compressed;
 *  - regular: num_bytes of the extent at logical disk_bytenr, starting
 *    `offset` bytes into it (after a reflink or partial overwrite); when
 *    compressed, the whole extent (disk_num_bytes -> ram_bytes, each at most
 *    128 KiB) is inflated and then cut the same way; disk_bytenr 0 is a hole;
 *  - prealloc: allocated, never written: zeros.
 * Ranges no item covers are holes (no_holes), and so is everything from the
 * last extent to i_size.
 *
 * Checked before use: item sizes, offset + num_bytes inside the extent,
 * no overflow of start + length, compressed sizes within 128 KiB, and
 * output that never exceeds ram_bytes (-EUCLEAN, "inflates past"). Keys
 * grow strictly (btrfs_next), so every step moves forward; where extents
 * overlap, the earlier one is read up to its end, then the later one from
 * there on.
 *
 * Uncompressed extents are read with one volume_read() per chunk piece,
 * straight into the caller's buffer; the last inflated extent is kept, so
 * reads that stop inside one do not inflate it again.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "btrfs_priv.h"

/* An extent item, decoded: what file range it covers and where its bytes are. */
struct extent {
	uint64_t start, len;    /* file range [start, start + len) */
	uint8_t type, compression;
	uint64_t ram_bytes;
	uint64_t disk_bytenr, disk_num_bytes, offset;
	const uint8_t *inline_data;
	uint32_t inline_len;
};

static int parse_extent(struct btrfs_fs *b, const struct btrfs_inode *n, uint64_t start,
			const uint8_t *data, uint32_t size, struct extent *x)
{
	struct btrfs_file_extent_item fi;
	memset(x, 0, sizeof(*x));
	memset(&fi, 0, sizeof(fi));
	if (size < BTRFS_FILE_EXTENT_INLINE_DATA)
		goto bad_size;
	memcpy(&fi, data, MIN(size, (uint32_t)sizeof(fi)));
	x->start = start;
	x->type = fi.type;
	x->compression = fi.compression;
	x->ram_bytes = fi.ram_bytes;
	if (fi.encryption || fi.other_encoding)
		return log_err(-EOPNOTSUPP, "%s: btrfs tree %llu inode %llu: encrypted or encoded "
			       "extent at %llu", b->vol->name, (unsigned long long)n->tree.id,
			       (unsigned long long)n->objectid, (unsigned long long)start);
	if (fi.compression > BTRFS_COMPRESS_ZSTD)
		return log_err(-EOPNOTSUPP, "%s: btrfs tree %llu inode %llu: compression type %u",
			       b->vol->name, (unsigned long long)n->tree.id,
			       (unsigned long long)n->objectid, fi.compression);
	if (fi.type == BTRFS_FILE_EXTENT_INLINE) {
		x->inline_data = data + BTRFS_FILE_EXTENT_INLINE_DATA;
		x->inline_len = size - BTRFS_FILE_EXTENT_INLINE_DATA;
		if (fi.compression == BTRFS_COMPRESS_NONE && fi.ram_bytes != x->inline_len)
			return btrfs_corrupt(b, "tree %llu inode %llu: inline extent of %u bytes "
					     "says %llu", (unsigned long long)n->tree.id,
					     (unsigned long long)n->objectid, x->inline_len,
					     (unsigned long long)fi.ram_bytes);
		if (fi.ram_bytes > BTRFS_MAX_COMPRESSED)
			goto bad_len;
		x->len = fi.ram_bytes;
	} else if (fi.type == BTRFS_FILE_EXTENT_REG || fi.type == BTRFS_FILE_EXTENT_PREALLOC) {
		if (size < sizeof(fi))
			goto bad_size;
		x->disk_bytenr = fi.disk_bytenr;
		x->disk_num_bytes = fi.disk_num_bytes;
		x->offset = fi.offset;
		x->len = fi.num_bytes;
		/* A hole or prealloc needs nothing more; data must lie in its extent. */
		bool stored = fi.type == BTRFS_FILE_EXTENT_REG && fi.disk_bytenr;
		uint64_t extent = fi.compression ? fi.ram_bytes : fi.disk_num_bytes;
		if (!fi.num_bytes || (stored && !range_ok(fi.offset, fi.num_bytes, extent)))
			goto bad_len;
		if (stored && fi.compression &&
		    (fi.ram_bytes > BTRFS_MAX_COMPRESSED || !fi.disk_num_bytes ||
		     fi.disk_num_bytes > BTRFS_MAX_COMPRESSED))
			goto bad_len;
		if (stored && fi.disk_bytenr > UINT64_MAX - fi.disk_num_bytes)
			goto bad_len;
	} else {
		return btrfs_corrupt(b, "tree %llu inode %llu: extent type %u at %llu",
				     (unsigned long long)n->tree.id, (unsigned long long)n->objectid,
				     fi.type, (unsigned long long)start);
	}
	if (start > UINT64_MAX - x->len)
		goto bad_len;
	return 0;
bad_size:
	return btrfs_corrupt(b, "tree %llu inode %llu: extent item of %u bytes at %llu",
			     (unsigned long long)n->tree.id, (unsigned long long)n->objectid, size,
			     (unsigned long long)start);
bad_len:
	return btrfs_corrupt(b, "tree %llu inode %llu: extent at %llu: %llu bytes at offset %llu "
			     "of a %llu/%llu-byte extent", (unsigned long long)n->tree.id,
			     (unsigned long long)n->objectid, (unsigned long long)start,
			     (unsigned long long)fi.num_bytes, (unsigned long long)fi.offset,
			     (unsigned long long)fi.ram_bytes,
			     (unsigned long long)fi.disk_num_bytes);
}

/*
 * Inflate a compressed extent into b->dbuf (@in: its bytes, or NULL to read
 * disk_bytenr). Output beyond ram_bytes is corruption; short output is
 * zero-filled up to it, as the kernel does.
 */
static int inflate(struct btrfs_fs *b, const struct btrfs_inode *n, const struct extent *x,
		   const uint8_t *in, size_t in_len)
{
	if (!in && b->dcache_bytenr == x->disk_bytenr && b->dcache_type == x->compression &&
	    b->dcache_len == x->ram_bytes)
		return 0;
	b->dcache_bytenr = 0;
	if (!b->cbuf)
		b->cbuf = malloc(BTRFS_MAX_COMPRESSED);
	if (!b->dbuf)
		b->dbuf = malloc(BTRFS_MAX_COMPRESSED + 1);
	if (!b->cbuf || !b->dbuf)
		return -ENOMEM;
	if (!in) {
		int rc = btrfs_read_logical(b, x->disk_bytenr, b->cbuf, (size_t)x->disk_num_bytes,
					    "a compressed extent");
		if (rc)
			return rc;
		in = b->cbuf;
		in_len = (size_t)x->disk_num_bytes;
	}
	size_t got = 0;
	b->nr_decompressed++;
	int rc = btrfs_decompress(b, x->compression, in, in_len, b->dbuf,
				  (size_t)x->ram_bytes + 1, &got);
	if (rc == -EFBIG || (!rc && got > x->ram_bytes))
		return btrfs_corrupt(b, "tree %llu inode %llu: compressed extent at %llu inflates "
				     "past its %llu bytes", (unsigned long long)n->tree.id,
				     (unsigned long long)n->objectid, (unsigned long long)x->start,
				     (unsigned long long)x->ram_bytes);
	if (rc == -EILSEQ)
		return btrfs_corrupt(b, "tree %llu inode %llu: compressed extent at %llu is corrupt",
				     (unsigned long long)n->tree.id,
				     (unsigned long long)n->objectid, (unsigned long long)x->start);
	if (rc)
		return rc;
	memset(b->dbuf + got, 0, (size_t)x->ram_bytes - got);
	if (x->type != BTRFS_FILE_EXTENT_INLINE) {
		b->dcache_bytenr = x->disk_bytenr;
		b->dcache_type = x->compression;
		b->dcache_len = (size_t)x->ram_bytes;
	}
	return 0;
}

/* Copy bytes [pos, pos + len) of the file, which @x covers, into @dst. */
static int copy_extent(struct btrfs_fs *b, const struct btrfs_inode *n, const struct extent *x,
		       uint64_t pos, uint8_t *dst, size_t len)
{
	uint64_t in = pos - x->start; /* offset inside the file range */
	if (x->type == BTRFS_FILE_EXTENT_INLINE) {
		if (x->compression == BTRFS_COMPRESS_NONE) {
			memcpy(dst, x->inline_data + in, len);
			return 0;
		}
		int rc = inflate(b, n, x, x->inline_data, x->inline_len);
		if (!rc)
			memcpy(dst, b->dbuf + in, len);
		return rc;
	}
	if (x->type == BTRFS_FILE_EXTENT_PREALLOC || !x->disk_bytenr) {
		memset(dst, 0, len);
		return 0;
	}
	if (x->compression == BTRFS_COMPRESS_NONE)
		return btrfs_read_logical(b, x->disk_bytenr + x->offset + in, dst, len, "file data");
	int rc = inflate(b, n, x, NULL, 0);
	if (!rc)
		memcpy(dst, b->dbuf + x->offset + in, len);
	return rc;
}

long btrfs_read_data(struct btrfs_fs *b, const struct btrfs_inode *n, uint64_t off, void *buf,
		     size_t len)
{
	if (off >= n->size)
		return 0;
	len = (size_t)MIN((uint64_t)len, n->size - off);
	len = MIN(len, (size_t)(~0ul >> 1)); /* the count must fit a long */
	uint8_t *dst = buf;
	uint64_t pos = off, end = off + len;

	/* The extent at or before @off, then onwards. */
	struct btrfs_key k = { n->objectid, BTRFS_EXTENT_DATA_KEY, off };
	struct btrfs_path p;
	int rc = btrfs_search(b, &n->tree, &k, BTRFS_SEARCH_LE, &p);
	if (rc == -ENOENT)
		rc = btrfs_search(b, &n->tree, &k, BTRFS_SEARCH_GE, &p);
	bool more = !rc;
	if (rc && rc != -ENOENT)
		return rc;
	while (pos < end) {
		bool ours = more && p.key.objectid == n->objectid &&
			    p.key.type == BTRFS_EXTENT_DATA_KEY;
		if (more && !ours && (p.key.objectid < n->objectid ||
				      (p.key.objectid == n->objectid &&
				       p.key.type < BTRFS_EXTENT_DATA_KEY))) {
			/* An item before this file's extents. */
			rc = btrfs_next(b, &p);
			if (rc && rc != -ENOENT)
				return rc;
			more = !rc;
			continue;
		}
		if (!ours || p.key.offset > pos) {
			/* A hole up to the next extent, or to the end. */
			uint64_t stop = ours ? MIN(p.key.offset, end) : end;
			memset(dst + (pos - off), 0, (size_t)(stop - pos));
			pos = stop;
			continue;
		}
		const uint8_t *data;
		uint32_t size;
		rc = btrfs_item(b, &p, &data, &size);
		if (rc)
			return rc;
		struct extent x;
		rc = parse_extent(b, n, p.key.offset, data, size, &x);
		if (rc)
			return rc;
		if (pos < x.start + x.len) {
			size_t take = (size_t)(MIN(end, x.start + x.len) - pos);
			/* Inline data points into the cached leaf: copy before reading more. */
			rc = copy_extent(b, n, &x, pos, dst + (pos - off), take);
			if (rc)
				return rc;
			pos += take;
			if (pos >= end)
				break;
		}
		rc = btrfs_next(b, &p);
		if (rc && rc != -ENOENT)
			return rc;
		more = !rc;
	}
	return (long)len;
}

long btrfs_read(struct fs *fs, uint64_t ino, uint64_t off, void *buf, size_t len)
{
	struct btrfs_inode n;
	int rc = btrfs_inode_load(BTRFS(fs), ino, &n);
	if (rc)
		return rc;
	switch (btrfs_mode_type(n.mode)) {
	case FS_REG:
		return btrfs_read_data(BTRFS(fs), &n, off, buf, len);
	case FS_DIR:
		return -EISDIR;
	default:
		return -EINVAL;
	}
}

/* A symlink's target is its file data, normally one inline extent. */
int btrfs_readlink(struct fs *fs, uint64_t ino, char *buf, size_t cap)
{
	struct btrfs_fs *b = BTRFS(fs);
	struct btrfs_inode n;
	int rc = btrfs_inode_load(b, ino, &n);
	if (rc)
		return rc;
	if (btrfs_mode_type(n.mode) != FS_SYMLINK)
		return -EINVAL;
	if (n.size == 0)
		return btrfs_corrupt(b, "tree %llu: empty symlink %llu",
				     (unsigned long long)n.tree.id, (unsigned long long)n.objectid);
	if (!cap || n.size > cap - 1)
		return -ENAMETOOLONG;
	long got = btrfs_read_data(b, &n, 0, buf, (size_t)n.size);
	if (got < 0)
		return (int)got;
	buf[n.size] = 0;
	return 0;
}

void btrfs_extent_free(struct btrfs_fs *b)
{
	free(b->cbuf);
	free(b->dbuf);
	b->cbuf = b->dbuf = NULL;
	b->dcache_bytenr = 0;
}
