/* SPDX-License-Identifier: MIT */
/*
 * ISO 9660 with Rock Ridge and Joliet, read only. Structures and the specs
 * they come from ([ECMA-119], [SUSP], [RRIP], Joliet) are in
 * include/abi/iso9660.h.
 *
 * Names come from Rock Ridge when the root announces it (SUSP "SP" and an
 * "ER" naming RRIP), else from a Joliet tree (UCS-2), else from the plain
 * ISO names, shown lower-case without their ";1" version and compared
 * without regard to case.
 *
 * Inode numbers are byte offsets in the volume: a file's is that of its
 * directory record (for a file of several extents, the multi-extent flag
 * used for 4 GiB and more, its first record; the others follow it); a
 * directory's is that of its own "." record, the first of its extent, so
 * that reaching it through ".." or a Rock Ridge relocation gives the same
 * number. Byte offsets make all of this independent of the device's
 * sector size.
 *
 * Damage is -EUCLEAN, found before it is used: records shorter than 34
 * bytes, names running out of their record, records crossing a block,
 * zero padding followed by data, extents past the end of the volume,
 * unterminated multi-extent files and continuation areas that loop.
 */
#include "../core/errno.h"
#include "../core/utf8.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../include/abi/iso9660.h"
#include "fs.h"

/* Volume descriptors looked at before giving up on a terminator. */
#define ISO_VD_MAX 64
/* [SUSP] continuation areas followed for one record: more is a loop. */
#define ISO_CE_MAX 32
/*
 * The largest directory read. ECMA-119 sets no limit, but a record takes
 * at least 34 bytes and with Rock Ridge usually 100 to 250, so 32 MiB is a
 * directory of 130,000 entries or more. A record claiming 4 GiB (almost
 * two million blocks to read for every lookup in it) is refused instead.
 */
#define ISO_DIR_MAX_BYTES (32u << 20)
/* Extents of one file: 1024 of almost 4 GiB each is plenty for a boot file. */
#define ISO_MAX_EXTENTS 1024
/* A name as UTF-8: at most 222 identifier bytes, none of which becomes
 * more than 3 bytes (a plain byte above 0x7f turns into U+FFFD; 2 bytes of
 * UCS-2 into at most 3; a surrogate pair's 4 into 4). */
#define ISO_NAME_BUF (ISO_DIRENT_MAX * 3 + 1)

enum iso_naming {
	NAMES_PLAIN,
	NAMES_JOLIET,
	NAMES_ROCK_RIDGE,
};

struct iso_extent {
	uint64_t start; /* bytes from the start of the volume */
	uint64_t len;
};

/* What stat() and read() need, parsed from a file's record(s). */
struct iso_node {
	enum fs_type type;
	uint32_t mode;
	uint64_t size;
	int read_error;            /* 0, or why the data cannot be read */
	unsigned nr_extents;
	struct iso_extent first;   /* the only one, or the first */
	struct iso_extent *all;    /* nr_extents > 1: every extent in file order */
};

struct iso_fs {
	struct fs fs;              /* first: fs.c only knows this part */
	uint64_t limit;            /* bytes both the PVD and the device have */
	uint64_t root_ino;         /* the root directory's "." record */
	enum iso_naming naming;
	uint8_t susp_skip;         /* [SUSP] LEN_SKP */
	char label[33];
	char uuid[24];
	/* The last node parsed: read() is called many times per file. */
	bool node_valid;
	uint64_t node_ino;
	struct iso_node node;
};

/* Rock Ridge facts about one record. */
struct rr_info {
	bool has_px;
	uint32_t mode;
	bool symlink;
	bool relocated;            /* RE: hidden, it is reached through its CL */
	bool compressed;           /* ZF: zisofs, which this driver cannot inflate */
	bool has_cl, has_pl;
	uint32_t cl_block, pl_block;
	size_t nm_len;
	char nm[FS_NAME_MAX + 1];
};

static struct iso_fs *iso_of(struct fs *fs)
{
	return (struct iso_fs *)fs;
}

/* Log what is wrong with the volume, and return -EUCLEAN. */
#define corrupt(f, ...) fs_corrupt((f)->fs.vol, "iso9660", __VA_ARGS__)

static const struct iso_dirent *dirent_of(const uint8_t *rec)
{
	return (const struct iso_dirent *)rec;
}

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
static int load_record(struct iso_fs *f, uint64_t off, uint8_t *rec)
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
static int record_extent(const struct iso_fs *f, const uint8_t *rec, uint64_t off,
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

static bool is_dot(const uint8_t *rec)
{
	return dirent_of(rec)->name_length == 1 && rec[sizeof(struct iso_dirent)] == ISO_NAME_SELF;
}

static bool is_dotdot(const uint8_t *rec)
{
	return dirent_of(rec)->name_length == 1 &&
	       rec[sizeof(struct iso_dirent)] == ISO_NAME_PARENT;
}

typedef int (*record_fn)(void *ctx, const uint8_t *rec, uint64_t off);

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
static int dir_iterate(struct iso_fs *f, const struct iso_extent *dir, record_fn fn, void *ctx)
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

/* ---- SUSP and Rock Ridge ---- */

static bool sig_is(const uint8_t *e, const char *sig)
{
	return e[0] == (uint8_t)sig[0] && e[1] == (uint8_t)sig[1];
}

/* Where the system use area of a record starts: after the name and its pad byte. */
static size_t su_start(const uint8_t *rec)
{
	size_t nl = dirent_of(rec)->name_length;
	return sizeof(struct iso_dirent) + nl + (nl % 2 == 0);
}

typedef int (*susp_fn)(void *ctx, const uint8_t *e, size_t len);

/*
 * Visit the SUSP entries of a record, following "CE" continuation areas
 * ([SUSP] §5.1) at most ISO_CE_MAX times: a chain longer than that loops.
 * Stops when @fn returns non-zero.
 */
static int susp_walk(struct iso_fs *f, const uint8_t *rec, size_t skip, susp_fn fn, void *ctx)
{
	size_t start = su_start(rec) + skip, len = dirent_of(rec)->length;
	const uint8_t *area = start < len ? rec + start : rec;
	size_t area_len = start < len ? len - start : 0;
	uint8_t *ce_buf = NULL;
	int rc = 0;

	for (unsigned hops = 0;; hops++) {
		bool ce = false;
		uint64_t ce_off = 0;
		uint32_t ce_len = 0;
		for (size_t i = 0; i + sizeof(struct susp_entry) <= area_len;) {
			const uint8_t *e = area + i;
			size_t elen = e[2];
			if (elen < sizeof(struct susp_entry))
				break; /* padding */
			if (elen > area_len - i) {
				rc = corrupt(f, "system use entry runs past its area");
				goto out;
			}
			if (sig_is(e, "ST"))
				break;
			if (sig_is(e, "CE") && elen >= sizeof(struct susp_ce)) {
				const struct susp_ce *c = (const void *)e;
				ce = true;
				ce_off = (uint64_t)c->block * ISO_BLOCK_SIZE + c->offset;
				ce_len = c->length;
			} else {
				rc = fn(ctx, e, elen);
				if (rc)
					goto out;
			}
			i += elen;
		}
		if (!ce)
			break;
		if (hops == ISO_CE_MAX) {
			rc = corrupt(f, "more than %u continuation areas for one record (a loop?)",
				     ISO_CE_MAX);
			break;
		}
		if (ce_len == 0 || ce_len > ISO_BLOCK_SIZE ||
		    ce_off % ISO_BLOCK_SIZE + ce_len > ISO_BLOCK_SIZE ||
		    !range_ok(ce_off, ce_len, f->limit)) {
			rc = corrupt(f, "continuation area at byte %llu, %u bytes, out of bounds",
				     (unsigned long long)ce_off, ce_len);
			break;
		}
		if (!ce_buf && !(ce_buf = malloc(ISO_BLOCK_SIZE))) {
			rc = -ENOMEM;
			break;
		}
		rc = volume_read(f->fs.vol, ce_off, ce_buf, ce_len);
		if (rc)
			break;
		area = ce_buf;
		area_len = ce_len;
	}
out:
	free(ce_buf);
	return rc;
}

struct rr_ctx {
	struct iso_fs *f;
	struct rr_info *info;
	/* The symlink target, when readlink() asks for it. */
	char *link;
	size_t link_cap, link_len;
	bool link_cont; /* the last component goes on in the next record */
	bool link_long;
};

static void link_put(struct rr_ctx *c, const void *s, size_t n)
{
	if (c->link_len + n >= c->link_cap) {
		c->link_long = true;
		return;
	}
	memcpy(c->link + c->link_len, s, n);
	c->link_len += n;
}

/* [RRIP] §4.1.3.1: component records, each a name or ".", "..", "/". */
static int sl_components(struct rr_ctx *c, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len;) {
		if (len - i < sizeof(struct rrip_sl_component))
			return corrupt(c->f, "symbolic link component cut short");
		const struct rrip_sl_component *comp = (const void *)(p + i);
		size_t clen = comp->length;
		if (clen > len - i - sizeof(*comp))
			return corrupt(c->f, "symbolic link component runs past its entry");
		const uint8_t *content = p + i + sizeof(*comp);
		if (!c->link_cont && c->link_len && c->link[c->link_len - 1] != '/')
			link_put(c, "/", 1);
		if (comp->flags & (RRIP_SL_ROOT | RRIP_SL_VOLROOT | RRIP_SL_HOST)) {
			if (!c->link_len)
				link_put(c, "/", 1);
		} else if (comp->flags & RRIP_SL_PARENT) {
			link_put(c, "..", 2);
		} else if (comp->flags & RRIP_SL_CURRENT) {
			link_put(c, ".", 1);
		} else {
			if (memchr(content, 0, clen))
				return corrupt(c->f, "NUL in a symbolic link");
			link_put(c, content, clen);
		}
		c->link_cont = comp->flags & RRIP_SL_CONTINUE;
		i += sizeof(*comp) + clen;
	}
	return 0;
}

static int rr_entry(void *ctx, const uint8_t *e, size_t len)
{
	struct rr_ctx *c = ctx;
	struct rr_info *in = c->info;

	if (sig_is(e, "PX") && len >= sizeof(struct rrip_px)) {
		in->has_px = true;
		in->mode = ((const struct rrip_px *)e)->mode;
	} else if (sig_is(e, "NM") && len >= sizeof(struct rrip_nm)) {
		const struct rrip_nm *nm = (const void *)e;
		size_t n = len - sizeof(*nm);
		if (nm->flags & (RRIP_NM_CURRENT | RRIP_NM_PARENT))
			return 0;
		if (n > FS_NAME_MAX - in->nm_len)
			return corrupt(c->f, "Rock Ridge name longer than %u bytes", FS_NAME_MAX);
		const uint8_t *s = e + sizeof(*nm);
		if (memchr(s, '/', n) || memchr(s, 0, n))
			return corrupt(c->f, "Rock Ridge name with '/' or NUL");
		memcpy(in->nm + in->nm_len, s, n);
		in->nm_len += n;
		in->nm[in->nm_len] = 0;
	} else if (sig_is(e, "SL") && len >= sizeof(struct rrip_sl)) {
		in->symlink = true;
		if (c->link)
			return sl_components(c, e + sizeof(struct rrip_sl), len - sizeof(struct rrip_sl));
	} else if (sig_is(e, "CL") && len >= sizeof(struct rrip_link)) {
		in->has_cl = true;
		in->cl_block = ((const struct rrip_link *)e)->block;
	} else if (sig_is(e, "PL") && len >= sizeof(struct rrip_link)) {
		in->has_pl = true;
		in->pl_block = ((const struct rrip_link *)e)->block;
	} else if (sig_is(e, "RE")) {
		in->relocated = true;
	} else if (sig_is(e, "ZF")) {
		in->compressed = true;
	}
	return 0;
}

/* The Rock Ridge facts of a record (all false without Rock Ridge). */
static int rr_read(struct iso_fs *f, const uint8_t *rec, struct rr_info *in, char *link,
		   size_t link_cap, size_t *link_len)
{
	memset(in, 0, offsetof(struct rr_info, nm) + 1);
	if (f->naming != NAMES_ROCK_RIDGE)
		return 0;
	struct rr_ctx c = { f, in, link, link_cap, 0, false, false };
	int rc = susp_walk(f, rec, f->susp_skip, rr_entry, &c);
	if (rc)
		return rc;
	if (c.link_long)
		return -ENAMETOOLONG;
	if (link_len)
		*link_len = c.link_len;
	return 0;
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
static size_t record_name(const struct iso_fs *f, const uint8_t *rec, const struct rr_info *in,
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

static enum fs_type record_type(const struct iso_fs *f, const uint8_t *rec,
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
		rc = record_extent(f, cur, next, e);
		if (!rc) {
			node->nr_extents++;
			node->size += e->len;
		}
	}
	free(blk);
	return rc;
}

static void node_release(struct iso_node *node)
{
	free(node->all);
	node->all = NULL;
	node->nr_extents = 0;
}

/* Where the records of the directory a record names start: its inode number. */
static uint64_t dir_ino_of(const uint8_t *rec, const struct rr_info *in)
{
	const struct iso_dirent *r = dirent_of(rec);
	if (in->has_cl)
		return (uint64_t)in->cl_block * ISO_BLOCK_SIZE;
	if (in->has_pl && is_dotdot(rec))
		return (uint64_t)in->pl_block * ISO_BLOCK_SIZE;
	return ((uint64_t)r->extent + r->xattr_length) * ISO_BLOCK_SIZE;
}

static int build_node(struct iso_fs *f, uint64_t ino, struct iso_node *node)
{
	uint8_t rec[ISO_DIRENT_MAX];
	struct rr_info in;
	memset(node, 0, sizeof(*node));

	int rc = load_record(f, ino, rec);
	if (!rc)
		rc = record_extent(f, rec, ino, &node->first);
	if (!rc)
		rc = rr_read(f, rec, &in, NULL, 0, NULL);
	if (rc)
		return rc;

	const struct iso_dirent *r = dirent_of(rec);
	node->nr_extents = 1;
	node->size = node->first.len;
	if (is_dot(rec)) {
		/* A directory: its "." record must point at itself. */
		if (!(r->flags & ISO_FLAG_DIRECTORY) || node->first.start != ino)
			return corrupt(f, "no directory starts at byte %llu",
				       (unsigned long long)ino);
		node->type = FS_DIR;
		node->mode = in.has_px ? in.mode : RRIP_S_IFDIR | 0555;
		return 0;
	}
	node->type = record_type(f, rec, &in);
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
			node_release(node);
	}
	return rc;
}

/* The parsed node of @ino, from the one-entry cache when possible. */
static int get_node(struct iso_fs *f, uint64_t ino, const struct iso_node **out)
{
	if (!f->node_valid || f->node_ino != ino) {
		node_release(&f->node);
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
static int dir_extent(struct iso_fs *f, uint64_t ino, struct iso_extent *e)
{
	const struct iso_node *node;
	int rc = get_node(f, ino, &node);
	if (rc)
		return rc;
	if (node->type != FS_DIR)
		return -ENOTDIR;
	*e = node->first;
	return 0;
}

/* ---- mount ---- */

static bool is_joliet(const struct iso_volume_descriptor *vd)
{
	const uint8_t *e = vd->escapes;
	return e[0] == JOLIET_ESCAPE0 && e[1] == JOLIET_ESCAPE1 &&
	       (e[2] == JOLIET_LEVEL1 || e[2] == JOLIET_LEVEL2 || e[2] == JOLIET_LEVEL3);
}

/* A date as blkid prints it, "YYYY-MM-DD-HH-MM-SS-CC"; false when unset. */
static bool format_date(const struct iso_vd_date *d, char out[24])
{
	bool all_zero = true;
	for (int i = 0; i < 16; i++) {
		if (d->digits[i] < '0' || d->digits[i] > '9')
			return false;
		all_zero &= d->digits[i] == '0';
	}
	if (all_zero && d->gmt_offset == 0)
		return false;
	const char *s = d->digits;
	fmt_snprintf(out, 24, "%.4s-%.2s-%.2s-%.2s-%.2s-%.2s-%.2s", s, s + 4, s + 6, s + 8, s + 10,
		     s + 12, s + 14);
	return true;
}

static void read_ids(struct iso_fs *f, const struct iso_volume_descriptor *pvd)
{
	size_t n = sizeof(pvd->volume_id);
	while (n && (pvd->volume_id[n - 1] == ' ' || pvd->volume_id[n - 1] == 0))
		n--;
	for (size_t i = 0; i < n; i++) {
		char c = pvd->volume_id[i];
		f->label[i] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	f->label[n] = 0;
	/* blkid takes the modification date, and the creation date when that is unset. */
	if (!format_date(&pvd->modified, f->uuid) && !format_date(&pvd->created, f->uuid))
		f->uuid[0] = 0;
}

struct rr_detect {
	bool rock_ridge;
};

static int detect_entry(void *ctx, const uint8_t *e, size_t len)
{
	struct rr_detect *d = ctx;
	if (sig_is(e, "ER") && len >= sizeof(struct susp_er)) {
		const struct susp_er *er = (const void *)e;
		const char *id = (const char *)e + sizeof(*er);
		size_t n = er->id_length;
		if (n > len - sizeof(*er))
			return 0;
		static const char *const ids[] = { RRIP_ID_1991A, RRIP_ID_P1282, RRIP_ID_1282 };
		for (unsigned i = 0; i < ARRAY_SIZE(ids); i++)
			if (n == strlen(ids[i]) && !memcmp(id, ids[i], n))
				d->rock_ridge = true;
	} else if (sig_is(e, "RR") || sig_is(e, "PX") || sig_is(e, "NM")) {
		/* Writers before RRIP 1.12 may leave out ER. */
		d->rock_ridge = true;
	}
	return d->rock_ridge;
}

/* The root directory a descriptor's root record at @off names: sets root_ino, loads its ".". */
static int root_of(struct iso_fs *f, uint64_t off, uint8_t *dot)
{
	struct iso_extent root;
	int rc = load_record(f, off, dot);
	if (!rc)
		rc = record_extent(f, dot, off, &root);
	if (!rc)
		rc = load_record(f, root.start, dot);
	if (rc)
		return rc;
	if (!is_dot(dot))
		return corrupt(f, "root directory does not start with \".\"");
	f->root_ino = root.start;
	return 0;
}

/*
 * [SUSP] §5.3: SUSP is in use when the root's "." record (@dot) starts its
 * system use area with "SP"; Rock Ridge when an "ER" then names RRIP.
 */
static int detect_rock_ridge(struct iso_fs *f, const uint8_t *dot, bool *rr)
{
	int rc;
	size_t start = su_start(dot);
	*rr = false;
	if (start + sizeof(struct susp_sp) > dirent_of(dot)->length)
		return 0;
	const uint8_t *sp = dot + start;
	if (!sig_is(sp, "SP") || sp[2] < sizeof(struct susp_sp) || sp[4] != SUSP_SP_CHECK0 ||
	    sp[5] != SUSP_SP_CHECK1)
		return 0;
	struct rr_detect d = { false };
	rc = susp_walk(f, dot, 0, detect_entry, &d);
	if (rc < 0)
		return rc;
	f->susp_skip = ((const struct susp_sp *)sp)->skip;
	*rr = d.rock_ridge;
	return 0;
}

static int iso_mount(struct volume *v, struct fs **out)
{
	uint64_t first = (uint64_t)ISO_FIRST_DESCRIPTOR * ISO_BLOCK_SIZE;
	if (!range_ok(first, ISO_BLOCK_SIZE, v->size))
		return -ENODEV;
	struct iso_fs *f = calloc(1, sizeof(*f));
	struct iso_volume_descriptor *vd = malloc(sizeof(*vd));
	if (!f || !vd) {
		free(f);
		free(vd);
		return -ENOMEM;
	}
	f->fs.vol = v;
	f->limit = v->size;

	uint64_t pvd_root = 0, joliet_root = 0;
	int rc = 0;
	for (unsigned i = 0; i < ISO_VD_MAX; i++) {
		uint64_t off = first + (uint64_t)i * ISO_BLOCK_SIZE;
		if (!range_ok(off, ISO_BLOCK_SIZE, v->size))
			break;
		rc = volume_read(v, off, vd, sizeof(*vd));
		if (rc)
			goto fail;
		if (memcmp(vd->id, ISO_STANDARD_ID, sizeof(vd->id))) {
			if (i == 0) {
				rc = -ENODEV;
				goto fail;
			}
			break;
		}
		if (vd->type == ISO_VD_TERMINATOR)
			break;
		uint64_t root = off + offsetof(struct iso_volume_descriptor, root_record);
		if (vd->type == ISO_VD_PRIMARY && !pvd_root) {
			if (vd->block_size != ISO_BLOCK_SIZE) {
				rc = log_err(-EOPNOTSUPP, "%s: iso9660: logical blocks of %u bytes",
					     v->name, vd->block_size);
				goto fail;
			}
			pvd_root = root;
			f->limit = MIN((uint64_t)vd->space_size * ISO_BLOCK_SIZE, v->size);
			read_ids(f, vd);
		} else if (vd->type == ISO_VD_SUPPLEMENTARY && !joliet_root && is_joliet(vd) &&
			   vd->block_size == ISO_BLOCK_SIZE) {
			joliet_root = root;
		}
	}
	if (!pvd_root) {
		rc = corrupt(f, "no primary volume descriptor");
		goto fail;
	}

	uint8_t rec[ISO_DIRENT_MAX];
	bool rr = false;
	rc = root_of(f, pvd_root, rec);
	if (!rc)
		rc = detect_rock_ridge(f, rec, &rr);
	if (!rc && rr)
		f->naming = NAMES_ROCK_RIDGE;
	else if (!rc && joliet_root) {
		f->naming = NAMES_JOLIET;
		rc = root_of(f, joliet_root, rec);
	}
	if (rc)
		goto fail;
	const struct iso_node *root;
	rc = get_node(f, f->root_ino, &root);
	if (rc)
		goto fail;
	if (root->type != FS_DIR) {
		rc = corrupt(f, "the root is not a directory");
		goto fail;
	}
	free(vd);
	*out = &f->fs;
	return 0;
fail:
	if (rc == -ENOENT)
		rc = corrupt(f, "root directory outside the volume");
	node_release(&f->node);
	free(vd);
	free(f);
	return rc;
}

static void iso_unmount(struct fs *fs)
{
	struct iso_fs *f = iso_of(fs);
	node_release(&f->node);
	free(f);
}

/* ---- fs_ops ---- */

static int iso_root(struct fs *fs, uint64_t *ino)
{
	*ino = iso_of(fs)->root_ino;
	return 0;
}

/*
 * Walks a directory by names: "." and "..", associated files, relocated
 * directories and the continuation records of multi-extent files are not
 * entries of their own.
 */
struct name_walk {
	struct iso_fs *f;
	int (*fn)(struct name_walk *w, const char *name, size_t len, uint64_t ino,
		  enum fs_type type);
	bool in_multi;           /* the previous record said more extents follow */
	bool with_dots;          /* "." and ".." too (for lookup) */
	struct rr_info rr;
	char name[ISO_NAME_BUF];
	/* lookup */
	const char *want;
	size_t want_len;
	uint64_t found;
	/* readdir */
	int (*user_fn)(void *ctx, const char *name, size_t name_len, uint64_t ino,
		       enum fs_type type);
	void *user_ctx;
};

static int name_visit(void *ctx, const uint8_t *rec, uint64_t off)
{
	struct name_walk *w = ctx;
	const struct iso_dirent *r = dirent_of(rec);
	bool continuation = w->in_multi;
	w->in_multi = r->flags & ISO_FLAG_MULTI_EXTENT;
	if (continuation)
		return 0;
	if (is_dot(rec) || (is_dotdot(rec) && !w->with_dots))
		return 0;
	if (r->flags & ISO_FLAG_ASSOCIATED)
		return 0;
	int rc = rr_read(w->f, rec, &w->rr, NULL, 0, NULL);
	if (rc)
		return rc;
	if (is_dotdot(rec))
		return w->fn(w, "..", 2, dir_ino_of(rec, &w->rr), FS_DIR);
	if (w->rr.relocated)
		return 0;
	size_t len = record_name(w->f, rec, &w->rr, w->name);
	if (!len)
		return 0;
	enum fs_type type = record_type(w->f, rec, &w->rr);
	return w->fn(w, w->name, len, type == FS_DIR ? dir_ino_of(rec, &w->rr) : off, type);
}

static int name_walk_dir(struct iso_fs *f, uint64_t dir, struct name_walk *w)
{
	struct iso_extent e;
	int rc = dir_extent(f, dir, &e);
	if (rc)
		return rc;
	w->f = f;
	w->in_multi = false;
	rc = dir_iterate(f, &e, name_visit, w);
	if (!rc && w->in_multi)
		rc = corrupt(f, "multi-extent file without its last extent");
	return rc;
}

static int lookup_fn(struct name_walk *w, const char *name, size_t len, uint64_t ino,
		     enum fs_type type)
{
	if (len != w->want_len)
		return 0;
	bool match = w->f->naming == NAMES_PLAIN ? mem_eq_nocase_n(name, w->want, len)
						 : !memcmp(name, w->want, len);
	if (!match)
		return 0;
	w->found = ino;
	return 1;
}

static int iso_lookup(struct fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	struct iso_fs *f = iso_of(fs);
	if (len == 1 && name[0] == '.') {
		struct iso_extent e;
		int rc = dir_extent(f, dir, &e);
		if (!rc)
			*ino = dir;
		return rc;
	}
	struct name_walk *w = malloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fn = lookup_fn;
	w->with_dots = true;
	w->want = name;
	w->want_len = len;
	int rc = name_walk_dir(f, dir, w);
	if (rc == 1) {
		*ino = w->found;
		rc = 0;
	} else if (rc == 0) {
		rc = -ENOENT;
	}
	free(w);
	return rc;
}

static int iso_stat(struct fs *fs, uint64_t ino, struct fs_stat *st)
{
	const struct iso_node *node;
	int rc = get_node(iso_of(fs), ino, &node);
	if (rc)
		return rc;
	memset(st, 0, sizeof(*st));
	st->type = node->type;
	st->size = node->size;
	st->mode = node->mode;
	st->ino = ino;
	return 0;
}

static long iso_read(struct fs *fs, uint64_t ino, uint64_t off, void *buf, size_t len)
{
	struct iso_fs *f = iso_of(fs);
	const struct iso_node *node;
	int rc = get_node(f, ino, &node);
	if (rc)
		return rc;
	if (node->type == FS_DIR)
		return -EISDIR;
	if (node->type != FS_REG)
		return -EINVAL;
	if (node->read_error)
		return node->read_error;
	if (off >= node->size || len == 0)
		return 0;
	uint64_t end = off + MIN((uint64_t)len, node->size - off);

	/* One request per extent touched: one in all for files under 4 GiB. */
	const struct iso_extent *ext = node->nr_extents > 1 ? node->all : &node->first;
	uint8_t *out = buf;
	uint64_t pos = off, base = 0;
	for (unsigned i = 0; i < node->nr_extents && pos < end; i++) {
		uint64_t ext_end = base + ext[i].len;
		if (pos < ext_end) {
			uint64_t n = MIN(end, ext_end) - pos;
			rc = volume_read(f->fs.vol, ext[i].start + (pos - base), out, (size_t)n);
			if (rc)
				return rc;
			out += n;
			pos += n;
		}
		base = ext_end;
	}
	return (long)(end - off);
}

static int iso_readlink(struct fs *fs, uint64_t ino, char *buf, size_t cap)
{
	struct iso_fs *f = iso_of(fs);
	uint8_t rec[ISO_DIRENT_MAX];
	struct rr_info in;
	size_t len = 0;
	if (cap == 0)
		return -ENAMETOOLONG;
	int rc = load_record(f, ino, rec);
	if (!rc)
		rc = rr_read(f, rec, &in, buf, cap, &len);
	if (rc)
		return rc;
	if (!in.symlink)
		return -EINVAL;
	buf[len] = 0;
	return 0;
}

static int readdir_fn(struct name_walk *w, const char *name, size_t len, uint64_t ino,
		      enum fs_type type)
{
	return w->user_fn(w->user_ctx, name, len, ino, type);
}

/* Every entry except "." and ".."; returns what a callback that stopped returned. */
static int iso_readdir(struct fs *fs, uint64_t dir,
		       int (*fn)(void *ctx, const char *name, size_t name_len, uint64_t ino,
				 enum fs_type type),
		       void *ctx)
{
	struct name_walk *w = malloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fn = readdir_fn;
	w->user_fn = fn;
	w->user_ctx = ctx;
	w->with_dots = false;
	int rc = name_walk_dir(iso_of(fs), dir, w);
	free(w);
	return rc;
}

static void iso_ids(struct fs *fs, char *uuid, size_t uuid_cap, char *label, size_t label_cap)
{
	struct iso_fs *f = iso_of(fs);
	if (uuid_cap)
		fmt_snprintf(uuid, uuid_cap, "%s", f->uuid);
	if (label_cap)
		fmt_snprintf(label, label_cap, "%s", f->label);
}

const struct fs_ops iso9660_ops = {
	.name = "iso9660",
	.mount = iso_mount,
	.unmount = iso_unmount,
	.root = iso_root,
	.lookup = iso_lookup,
	.stat = iso_stat,
	.read = iso_read,
	.readlink = iso_readlink,
	.readdir = iso_readdir,
	.ids = iso_ids,
};
