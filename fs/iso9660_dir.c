/* SPDX-License-Identifier: MIT */
/* ISO 9660: directory records, names and nodes (iso9660_priv.h). */
#include "../core/str.h"
#include "../core/utf8.h"
#include "iso9660_priv.h"

/* ---- directory records ---- */

/* A record at volume byte @off with @room bytes left in its block. */
static int check_record(const struct iso_fs *f, const uint8_t *rec, size_t room, uint64_t off)
{
	const struct iso_dirent *r = dirent_of(rec);
	if (room < ISO_DIRENT_MIN || r->length < ISO_DIRENT_MIN)
		return corrupt(f, "record at byte %llu shorter than %u bytes", (unsigned long long)off,
			       ISO_DIRENT_MIN);
	if (r->length > room)
		return corrupt(f, "record at byte %llu crosses a block boundary",
			       (unsigned long long)off);
	if (r->name_length == 0 || sizeof(*r) + r->name_length > r->length)
		return corrupt(f, "record at byte %llu: name does not fit the record",
			       (unsigned long long)off);
	return 0;
}

/* Read and check the record at @off into @rec (ISO_DIRENT_MAX bytes). */
int iso_load_record(struct iso_fs *f, uint64_t off, uint8_t *rec)
{
	size_t room = ISO_BLOCK_SIZE - off % ISO_BLOCK_SIZE;
	size_t n = MIN(room, (size_t)ISO_DIRENT_MAX);
	if (!range_ok(off, n, f->limit))
		return -ENOENT;
	int rc = volume_read(f->fs.vol, off, rec, n);
	if (rc)
		return rc;
	return check_record(f, rec, room, off);
}

/* The data of a record: after its extended attribute blocks, inside the volume. */
int iso_record_extent(const struct iso_fs *f, const uint8_t *rec, uint64_t off,
			 struct iso_extent *e)
{
	const struct iso_dirent *r = dirent_of(rec);
	e->start = ((uint64_t)r->extent + r->xattr_length) * ISO_BLOCK_SIZE;
	e->len = r->size;
	if (!range_ok(e->start, e->len, f->limit))
		return corrupt(f, "record at byte %llu: extent at block %u, %u bytes, past the end "
			       "of the volume", (unsigned long long)off, r->extent, r->size);
	return 0;
}

bool iso_is_dot(const uint8_t *rec)
{
	return dirent_of(rec)->name_length == 1 && rec[sizeof(struct iso_dirent)] == ISO_NAME_SELF;
}

bool iso_is_dotdot(const uint8_t *rec)
{
	return dirent_of(rec)->name_length == 1 &&
	       rec[sizeof(struct iso_dirent)] == ISO_NAME_PARENT;
}


/* Bytes [from, to) of the block at @base follow a zero length byte: all zero. */
static int check_padding(const struct iso_fs *f, const uint8_t *blk, size_t from, size_t to,
			 uint64_t base)
{
	for (size_t j = from; j < to; j++)
		if (blk[j])
			return corrupt(f, "data after the zero padding at byte %llu",
				       (unsigned long long)(base + from));
	return 0;
}

/*
 * Visit every record of the directory in @dir, block by block. A zero
 * length byte ends the records of a block; the rest of it must be zero
 * ([ECMA-119] §6.8.1.1), so a record length zeroed by damage is noticed.
 */
int iso_dir_iterate(struct iso_fs *f, const struct iso_extent *dir, record_fn fn, void *ctx)
{
	if (dir->len > ISO_DIR_MAX_BYTES)
		return corrupt(f, "directory at byte %llu: %llu bytes, more than %u MiB",
			       (unsigned long long)dir->start, (unsigned long long)dir->len,
			       ISO_DIR_MAX_BYTES >> 20);
	uint8_t *blk = malloc(ISO_BLOCK_SIZE);
	if (!blk)
		return -ENOMEM;
	int rc = 0;
	for (uint64_t pos = 0; pos < dir->len && !rc; pos += ISO_BLOCK_SIZE) {
		size_t valid = (size_t)MIN((uint64_t)ISO_BLOCK_SIZE, dir->len - pos);
		uint64_t base = dir->start + pos;
		rc = volume_read(f->fs.vol, base, blk, valid);
		for (size_t i = 0; !rc && i < valid;) {
			if (blk[i] == 0) {
				rc = check_padding(f, blk, i, valid, base);
				break;
			}
			rc = check_record(f, blk + i, valid - i, base + i);
			if (!rc)
				rc = fn(ctx, blk + i, base + i);
			i += blk[i];
		}
	}
	free(blk);
	return rc;
}

/* ---- names ---- */

/* Drop a ";N" file version ([ECMA-119] §7.5.1). */
static size_t strip_version(const char *s, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		if (s[i] == ';')
			return i;
		if (s[i] < '0' || s[i] > '9')
			break;
	}
	return n;
}

/*
 * The name readdir() shows for a record (never "." or ".."): the Rock
 * Ridge name, else the Joliet name, else the ISO name in lower case with
 * its version and a trailing dot (from "NAME.;1") removed.
 */
size_t iso_record_name(const struct iso_fs *f, const uint8_t *rec, const struct rr_info *in,
			  char *out)
{
	if (in->nm_len) {
		memcpy(out, in->nm, in->nm_len + 1);
		return in->nm_len;
	}
	const uint8_t *id = rec + sizeof(struct iso_dirent);
	size_t nl = dirent_of(rec)->name_length, n = 0;
	if (f->naming == NAMES_JOLIET) {
		/* A NUL inside a Joliet name is not its end: it shows as U+FFFD. */
		for (size_t i = 0; i < nl / 2;) {
			uint32_t c = utf16_next(id, nl / 2, &i, UTF16_BE);
			n += utf8_put(out + n, c ? c : UTF8_REPLACEMENT_CHAR);
		}
		n = strip_version(out, n);
	} else {
		for (size_t i = 0; i < nl; i++) {
			uint8_t c = id[i];
			if (c >= 0x80 || c == 0 || c == '/')
				n += utf8_put(out + n, UTF8_REPLACEMENT_CHAR);
			else
				out[n++] = ascii_lower((char)c);
		}
		n = strip_version(out, n);
		if (n > 1 && out[n - 1] == '.')
			n--;
	}
	out[n] = 0;
	return n;
}

/* ---- nodes ---- */

enum fs_type iso_record_type(const struct iso_fs *f, const uint8_t *rec,
				const struct rr_info *in)
{
	uint32_t fmt = in->mode & RRIP_S_IFMT;
	if (in->has_cl || (dirent_of(rec)->flags & ISO_FLAG_DIRECTORY))
		return FS_DIR;
	if (in->symlink || (in->has_px && fmt == RRIP_S_IFLNK))
		return FS_SYMLINK;
	if (in->has_px && fmt != RRIP_S_IFREG)
		return FS_OTHER;
	return FS_REG;
}

/*
 * The records after a multi-extent record, up to the one without the flag
 * ([ECMA-119] §6.5.1), each naming the same file. They follow in the same
 * directory, possibly in the next block after zero padding.
 */
static int gather_extents(struct iso_fs *f, uint64_t off, const uint8_t *first,
			  struct iso_node *node)
{
	uint8_t *blk = malloc(ISO_BLOCK_SIZE);
	size_t cap = 16;
	node->all = malloc(cap * sizeof(*node->all));
	if (!blk || !node->all) {
		free(blk);
		return -ENOMEM;
	}
	node->all[0] = node->first;
	node->nr_extents = 1;

	uint64_t blk_off = ALIGN_DOWN(off, ISO_BLOCK_SIZE);
	int rc = range_ok(blk_off, ISO_BLOCK_SIZE, f->limit)
			 ? volume_read(f->fs.vol, blk_off, blk, ISO_BLOCK_SIZE)
			 : corrupt(f, "multi-extent record in a block cut short by the volume end");
	const uint8_t *cur = blk + (off - blk_off);
	size_t name_len = dirent_of(first)->name_length;
	const uint8_t *name = first + sizeof(struct iso_dirent);

	while (!rc && (dirent_of(cur)->flags & ISO_FLAG_MULTI_EXTENT)) {
		uint64_t next = off + dirent_of(cur)->length;
		if (next % ISO_BLOCK_SIZE && blk[next % ISO_BLOCK_SIZE] == 0) {
			rc = check_padding(f, blk, next % ISO_BLOCK_SIZE, ISO_BLOCK_SIZE,
					   ALIGN_DOWN(next, ISO_BLOCK_SIZE));
			if (rc)
				break;
			next = ALIGN_UP(next, ISO_BLOCK_SIZE);
		}
		if (next % ISO_BLOCK_SIZE == 0) {
			if (!range_ok(next, ISO_BLOCK_SIZE, f->limit)) {
				rc = corrupt(f, "multi-extent file at byte %llu runs off the volume",
					     (unsigned long long)off);
				break;
			}
			rc = volume_read(f->fs.vol, next, blk, ISO_BLOCK_SIZE);
			if (rc)
				break;
		}
		off = next;
		cur = blk + next % ISO_BLOCK_SIZE;
		if (cur[0] == 0) {
			rc = corrupt(f, "multi-extent file without its last extent");
			break;
		}
		rc = check_record(f, cur, ISO_BLOCK_SIZE - next % ISO_BLOCK_SIZE, next);
		if (rc)
			break;
		if (dirent_of(cur)->name_length != name_len ||
		    memcmp(cur + sizeof(struct iso_dirent), name, name_len) ||
		    (dirent_of(cur)->flags & ISO_FLAG_DIRECTORY)) {
			rc = corrupt(f, "extent record at byte %llu belongs to another file",
				     (unsigned long long)next);
			break;
		}
		if (node->nr_extents == ISO_MAX_EXTENTS) {
			rc = corrupt(f, "file with more than %u extents", ISO_MAX_EXTENTS);
			break;
		}
		if (node->nr_extents == cap) {
			cap *= 2;
			struct iso_extent *all = realloc(node->all, cap * sizeof(*all));
			if (!all) {
				rc = -ENOMEM;
				break;
			}
			node->all = all;
		}
		struct iso_extent *e = &node->all[node->nr_extents];
		rc = iso_record_extent(f, cur, next, e);
		if (!rc) {
			node->nr_extents++;
			node->size += e->len;
		}
	}
	free(blk);
	return rc;
}

void iso_node_release(struct iso_node *node)
{
	free(node->all);
	node->all = NULL;
	node->nr_extents = 0;
}

/* Where the records of the directory a record names start: its inode number. */
uint64_t iso_dir_ino_of(const uint8_t *rec, const struct rr_info *in)
{
	const struct iso_dirent *r = dirent_of(rec);
	if (in->has_cl)
		return (uint64_t)in->cl_block * ISO_BLOCK_SIZE;
	if (in->has_pl && iso_is_dotdot(rec))
		return (uint64_t)in->pl_block * ISO_BLOCK_SIZE;
	return ((uint64_t)r->extent + r->xattr_length) * ISO_BLOCK_SIZE;
}

static int build_node(struct iso_fs *f, uint64_t ino, struct iso_node *node)
{
	uint8_t rec[ISO_DIRENT_MAX];
	struct rr_info in;
	memset(node, 0, sizeof(*node));

	int rc = iso_load_record(f, ino, rec);
	if (!rc)
		rc = iso_record_extent(f, rec, ino, &node->first);
	if (!rc)
		rc = iso_rr_read(f, rec, &in, NULL, 0, NULL);
	if (rc)
		return rc;

	const struct iso_dirent *r = dirent_of(rec);
	node->nr_extents = 1;
	node->size = node->first.len;
	if (iso_is_dot(rec)) {
		/* A directory: its "." record must point at itself. */
		if (!(r->flags & ISO_FLAG_DIRECTORY) || node->first.start != ino)
			return corrupt(f, "no directory starts at byte %llu",
				       (unsigned long long)ino);
		node->type = FS_DIR;
		node->mode = in.has_px ? in.mode : RRIP_S_IFDIR | 0555;
		return 0;
	}
	node->type = iso_record_type(f, rec, &in);
	if (node->type == FS_DIR)
		/* Directories are known by their "." record, never by their name's. */
		return corrupt(f, "directory record at byte %llu used as a file",
			       (unsigned long long)ino);
	node->mode = in.has_px ? in.mode : node->type == FS_SYMLINK ? RRIP_S_IFLNK | 0777
								    : RRIP_S_IFREG | 0444;
	if (r->unit_size || r->gap_size || in.compressed)
		node->read_error = -EOPNOTSUPP; /* interleaved or zisofs data */
	if (r->flags & ISO_FLAG_MULTI_EXTENT) {
		rc = gather_extents(f, ino, rec, node);
		if (rc)
			iso_node_release(node);
	}
	return rc;
}

/* The parsed node of @ino, from the one-entry cache when possible. */
int iso_get_node(struct iso_fs *f, uint64_t ino, const struct iso_node **out)
{
	if (!f->node_valid || f->node_ino != ino) {
		iso_node_release(&f->node);
		f->node_valid = false;
		int rc = build_node(f, ino, &f->node);
		if (rc)
			return rc;
		f->node_valid = true;
		f->node_ino = ino;
	}
	*out = &f->node;
	return 0;
}

/* The extent holding a directory's records. */
int iso_dir_extent(struct iso_fs *f, uint64_t ino, struct iso_extent *e)
{
	const struct iso_node *node;
	int rc = iso_get_node(f, ino, &node);
	if (rc)
		return rc;
	if (node->type != FS_DIR)
		return -ENOTDIR;
	*e = node->first;
	return 0;
}
