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
 */#include "../core/log.h"
#include "../core/str.h"
#include "iso9660_priv.h"

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
	if (iso_sig_is(e, "ER") && len >= sizeof(struct susp_er)) {
		const struct susp_er *er = (const void *)e;
		const char *id = (const char *)e + sizeof(*er);
		size_t n = er->id_length;
		if (n > len - sizeof(*er))
			return 0;
		static const char *const ids[] = { RRIP_ID_1991A, RRIP_ID_P1282, RRIP_ID_1282 };
		for (unsigned i = 0; i < ARRAY_SIZE(ids); i++)
			if (n == strlen(ids[i]) && !memcmp(id, ids[i], n))
				d->rock_ridge = true;
	} else if (iso_sig_is(e, "RR") || iso_sig_is(e, "PX") || iso_sig_is(e, "NM")) {
		/* Writers before RRIP 1.12 may leave out ER. */
		d->rock_ridge = true;
	}
	return d->rock_ridge;
}

/* The root directory a descriptor's root record at @off names: sets root_ino, loads its ".". */
static int root_of(struct iso_fs *f, uint64_t off, uint8_t *dot)
{
	struct iso_extent root;
	int rc = iso_load_record(f, off, dot);
	if (!rc)
		rc = iso_record_extent(f, dot, off, &root);
	if (!rc)
		rc = iso_load_record(f, root.start, dot);
	if (rc)
		return rc;
	if (!iso_is_dot(dot))
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
	size_t start = iso_su_start(dot);
	*rr = false;
	if (start + sizeof(struct susp_sp) > dirent_of(dot)->length)
		return 0;
	const uint8_t *sp = dot + start;
	if (!iso_sig_is(sp, "SP") || sp[2] < sizeof(struct susp_sp) || sp[4] != SUSP_SP_CHECK0 ||
	    sp[5] != SUSP_SP_CHECK1)
		return 0;
	struct rr_detect d = { false };
	rc = iso_susp_walk(f, dot, 0, detect_entry, &d);
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
	rc = iso_get_node(f, f->root_ino, &root);
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
	iso_node_release(&f->node);
	free(vd);
	free(f);
	return rc;
}

static void iso_unmount(struct fs *fs)
{
	struct iso_fs *f = iso_of(fs);
	iso_node_release(&f->node);
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
	if (iso_is_dot(rec) || (iso_is_dotdot(rec) && !w->with_dots))
		return 0;
	if (r->flags & ISO_FLAG_ASSOCIATED)
		return 0;
	int rc = iso_rr_read(w->f, rec, &w->rr, NULL, 0, NULL);
	if (rc)
		return rc;
	if (iso_is_dotdot(rec))
		return w->fn(w, "..", 2, iso_dir_ino_of(rec, &w->rr), FS_DIR);
	if (w->rr.relocated)
		return 0;
	size_t len = iso_record_name(w->f, rec, &w->rr, w->name);
	if (!len)
		return 0;
	enum fs_type type = iso_record_type(w->f, rec, &w->rr);
	return w->fn(w, w->name, len, type == FS_DIR ? iso_dir_ino_of(rec, &w->rr) : off, type);
}

static int name_walk_dir(struct iso_fs *f, uint64_t dir, struct name_walk *w)
{
	struct iso_extent e;
	int rc = iso_dir_extent(f, dir, &e);
	if (rc)
		return rc;
	w->f = f;
	w->in_multi = false;
	rc = iso_dir_iterate(f, &e, name_visit, w);
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
		int rc = iso_dir_extent(f, dir, &e);
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
	int rc = iso_get_node(iso_of(fs), ino, &node);
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
	int rc = iso_get_node(f, ino, &node);
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
	int rc = iso_load_record(f, ino, rec);
	if (!rc)
		rc = iso_rr_read(f, rec, &in, buf, cap, &len);
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
