/* SPDX-License-Identifier: MIT */
/*
 * FAT12, FAT16 and FAT32, read only ([FATGEN]: Microsoft, "FAT: General
 * Overview of On-Disk Format" 1.03; structures in include/abi/fat.h).
 *
 * Inode numbers: a file's is the byte offset of its 8.3 directory entry
 * in the volume (a multiple of 32); a directory's is FAT_DIR_INO | its
 * first cluster, so that reaching it through ".." gives the same number;
 * the root, which has neither, is FAT_ROOT_INO. Everything read from the disk is distrusted: the boot
 * sector is checked before any division, cluster chains are bounded by the
 * file size or the 2 MiB directory limit and checked link by link, so a
 * loop, a free or bad cluster or a number out of range ends in -EUCLEAN.
 *
 * Reads follow the chain and send every run of consecutive clusters to the
 * device as one volume_read(): a file written in one piece is read in
 * requests as large as the caller's buffer.
 */
#include "../core/log.h"
#include "fat_priv.h"

/* ---- boot sector ---- */

/*
 * check_bpb() - validate the BIOS parameter block and derive the layout
 * ([FATGEN] §3.5) into @f. Returns NULL, or what is wrong with it.
 */
static const char *check_bpb(const struct fat_boot_sector *bs, uint64_t volume_size,
			     struct fat_fs *f)
{
	const struct fat_bpb *b = &bs->bpb;
	uint32_t bps = b->bytes_per_sector;
	uint32_t spc = b->sectors_per_cluster;

	if (bps < 512 || bps > 4096 || !IS_POW2(bps))
		return "bytes per sector not a power of two in 512..4096";
	if (!IS_POW2(spc))
		return "sectors per cluster not a power of two";
	if (b->reserved_sectors == 0)
		return "no reserved sectors";
	if (b->nr_fats == 0)
		return "no FAT";

	uint64_t total = b->total_sectors16 ? b->total_sectors16 : b->total_sectors32;
	uint64_t fat_sectors = b->fat_size16 ? b->fat_size16 : bs->ext.f32.fat_size32;
	uint64_t root_sectors = ((uint64_t)b->root_entries * FAT_DIRENT_SIZE + bps - 1) / bps;
	uint64_t meta = b->reserved_sectors + b->nr_fats * fat_sectors + root_sectors;
	if (total == 0)
		return "0 sectors";
	if (fat_sectors == 0)
		return "FAT of 0 sectors";
	if (total * bps > volume_size)
		return "larger than its volume";
	if (meta >= total)
		return "no room for data after the FATs and root directory";
	uint64_t clusters = (total - meta) / spc;
	if (clusters == 0)
		return "no data clusters";

	f->bits = clusters <= FAT12_MAX_CLUSTERS ? 12 : clusters <= FAT16_MAX_CLUSTERS ? 16 : 32;
	unsigned active = 0;
	if (f->bits == 32) {
		const struct fat32_ext *x = &bs->ext.f32;
		if (b->root_entries || b->fat_size16)
			return "FAT32 cluster count with a FAT12/16 root directory or FAT size";
		if (clusters > FAT32_MAX_CLUSTERS)
			return "too many clusters";
		if (x->root_cluster < FAT_FIRST_CLUSTER || x->root_cluster > clusters + 1)
			return "root cluster out of range";
		if (x->ext_flags & FAT32_NO_MIRRORING)
			active = x->ext_flags & FAT32_ACTIVE_FAT_MASK;
		if (active >= b->nr_fats)
			return "the active FAT does not exist";
		f->root_cluster = x->root_cluster;
	} else {
		if (b->root_entries == 0)
			return "FAT12/16 without a root directory";
		if (b->fat_size16 == 0)
			return "FAT12/16 cluster count with a FAT32 FAT size";
	}
	/* The FAT must have an entry for every cluster, plus the two reserved ones. */
	uint64_t entries = clusters + 2;
	uint64_t need = f->bits == 12 ? (entries * 3 + 1) / 2 : entries * (f->bits / 8);
	if (fat_sectors * bps < need)
		return "FAT too small for the clusters";

	f->sector_size = bps;
	f->cluster_size = bps * spc;
	f->nr_clusters = (uint32_t)clusters;
	f->fat_bytes = fat_sectors * bps;
	f->fat_offset = (b->reserved_sectors + active * fat_sectors) * bps;
	f->root_offset = (b->reserved_sectors + b->nr_fats * fat_sectors) * bps;
	f->root_bytes = (uint32_t)(root_sectors * bps);
	f->data_offset = meta * bps;
	return NULL;
}

/*
 * A boot sector that says it is FAT: then a bad BPB is a damaged FAT
 * volume (-EUCLEAN), not some other filesystem (-ENODEV). The type strings
 * are informative only ([FATGEN] §3.3) and never decide the FAT type.
 */
static bool claims_fat(const struct fat_boot_sector *bs)
{
	return bs->signature == FAT_BOOT_SIGNATURE &&
	       (!memcmp(bs->ext.f16.fs_type, "FAT1", 4) ||
		!memcmp(bs->ext.f32.fs_type, "FAT32   ", 8));
}

static void copy_label(char *out, const char *in)
{
	size_t n = 11;
	while (n && in[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)in[i] < 0x80 && (uint8_t)in[i] >= 0x20 ? in[i] : '?';
	out[n] = 0;
}

static void read_ids(const struct fat_boot_sector *bs, struct fat_fs *f)
{
	uint8_t sig = f->bits == 32 ? bs->ext.f32.boot_sig : bs->ext.f16.boot_sig;
	if (sig != FAT_EXT_SIG_FULL && sig != FAT_EXT_SIG_SERIAL)
		return;
	f->has_serial = true;
	f->serial = f->bits == 32 ? bs->ext.f32.serial : bs->ext.f16.serial;
	if (sig == FAT_EXT_SIG_FULL)
		copy_label(f->bpb_label, f->bits == 32 ? bs->ext.f32.label : bs->ext.f16.label);
}

static int fat_mount(struct volume *v, struct fs **out)
{
	struct fat_boot_sector bs;
	if (v->size < sizeof(bs))
		return -ENODEV;
	int rc = volume_read(v, 0, &bs, sizeof(bs));
	if (rc)
		return rc;

	struct fat_fs *f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->fs.vol = v;
	const char *why = check_bpb(&bs, v->size, f);
	if (why) {
		rc = claims_fat(&bs) ? corrupt(f, "boot sector: %s", why) : -ENODEV;
		free(f);
		return rc;
	}
	f->window = malloc(FAT_WINDOW_BYTES);
	if (!f->window) {
		free(f);
		return -ENOMEM;
	}
	read_ids(&bs, f);
	*out = &f->fs;
	return 0;
}

static void fat_unmount(struct fs *fs)
{
	struct fat_fs *f = fat_of(fs);
	free(f->window);
	free(f);
}

/* ---- fs_ops ---- */

static int fat_root(struct fs *fs, uint64_t *ino)
{
	*ino = FAT_ROOT_INO;
	return 0;
}

struct lookup {
	struct fat_fs *f;
	const char *name;
	size_t len;
	uint64_t ino;
	bool found;
};

static int lookup_visit(void *ctx, const struct fat_name *n)
{
	struct lookup *l = ctx;
	if (!fat_names_equal(n->name, n->len, l->name, l->len) &&
	    !fat_names_equal(n->alias, n->alias_len, l->name, l->len))
		return 0;
	l->found = true;
	l->ino = n->ino;
	return 1;
}

static int fat_lookup(struct fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	struct fat_fs *f = fat_of(fs);
	if (len == 1 && name[0] == '.') {
		uint32_t c;
		int rc = fat_dir_location(f, dir, &c);
		if (!rc)
			*ino = dir;
		return rc;
	}
	if (dir == FAT_ROOT_INO && len == 2 && name[0] == '.' && name[1] == '.') {
		*ino = FAT_ROOT_INO;
		return 0;
	}
	struct lookup l = { f, name, len, 0, false };
	int rc = fat_name_walk(f, dir, lookup_visit, &l);
	if (rc < 0)
		return rc;
	if (!l.found)
		return -ENOENT;
	*ino = l.ino;
	return 0;
}

static int fat_stat(struct fs *fs, uint64_t ino, struct fs_stat *st)
{
	struct fat_fs *f = fat_of(fs);
	memset(st, 0, sizeof(*st));
	st->ino = ino;
	if (ino == FAT_ROOT_INO || (ino & FAT_DIR_INO)) {
		uint32_t cluster;
		st->type = FS_DIR;
		st->mode = 0040755;
		return fat_dir_location(f, ino, &cluster);
	}
	struct fat_dirent d;
	int rc = fat_read_dirent(f, ino, &d);
	if (rc)
		return rc;
	if (d.name[0] == FAT_NAME_END || d.name[0] == FAT_NAME_DELETED ||
	    (d.attr & FAT_ATTR_LFN_MASK) == FAT_ATTR_LFN)
		return -ENOENT;
	uint32_t ro = d.attr & FAT_ATTR_READ_ONLY ? 0222 : 0;
	if (d.attr & FAT_ATTR_DIRECTORY) {
		st->type = FS_DIR;
		st->mode = 0040755 & ~ro;
	} else if (d.attr & FAT_ATTR_VOLUME_ID) {
		st->type = FS_OTHER;
	} else {
		st->type = FS_REG;
		st->size = d.size;
		st->mode = 0100644 & ~ro;
	}
	return 0;
}

/*
 * The cluster holding cluster index @index of the file starting at @first:
 * from where the last read stopped when that helps, else from the start.
 */
static int seek_cluster(struct fat_fs *f, uint64_t ino, uint32_t first, uint32_t index,
			uint32_t *cluster)
{
	uint32_t i = 0, c = first;
	if (f->pos_valid && f->pos_ino == ino && f->pos_index <= index) {
		i = f->pos_index;
		c = f->pos_cluster;
	}
	for (; i < index; i++) {
		int rc = fat_step(f, c, &c);
		if (rc)
			return rc;
	}
	*cluster = c;
	return 0;
}

static long fat_read(struct fs *fs, uint64_t ino, uint64_t off, void *buf, size_t len)
{
	struct fat_fs *f = fat_of(fs);
	struct fat_dirent d;
	if (ino == FAT_ROOT_INO || (ino & FAT_DIR_INO))
		return -EISDIR;
	int rc = fat_read_dirent(f, ino, &d);
	if (rc)
		return rc;
	if (d.attr & FAT_ATTR_DIRECTORY)
		return -EISDIR;
	if (off >= d.size || len == 0)
		return 0;
	uint64_t end = off + MIN((uint64_t)len, d.size - off);

	uint32_t cs = f->cluster_size;
	uint32_t first = fat_first_cluster(f, &d);
	uint64_t needed = (d.size + cs - 1) / cs;
	if (!fat_cluster_ok(f, first) || needed > f->nr_clusters)
		return corrupt(f, "file of %u bytes at cluster %u does not fit the volume", d.size,
			       first);

	uint32_t index = (uint32_t)(off / cs), cur;
	rc = seek_cluster(f, ino, first, index, &cur);
	if (rc)
		return rc;

	/* Each pass reads one run of consecutive clusters with a single request. */
	uint8_t *out = buf;
	uint64_t pos = off;
	for (;;) {
		uint64_t in = pos - (uint64_t)index * cs;
		uint32_t run_first = cur, next = 0;
		uint64_t span = cs - in;
		while (pos + span < end) {
			uint32_t more = fat_run(f, cur, (end - pos - span + cs - 1) / cs);
			if (more) {
				cur += more;
				index += more;
				span += (uint64_t)more * cs;
				continue;
			}
			rc = fat_step(f, cur, &next);
			if (rc)
				return rc;
			if (next != cur + 1)
				break;
			cur = next;
			index++;
			span += cs;
		}
		uint64_t n = MIN(span, end - pos);
		rc = volume_read(f->fs.vol, fat_cluster_offset(f, run_first) + in, out, (size_t)n);
		if (rc)
			return rc;
		out += n;
		pos += n;
		if (pos == end)
			break;
		cur = next;
		index++;
	}
	f->pos_valid = true;
	f->pos_ino = ino;
	f->pos_index = index;
	f->pos_cluster = cur;

	/* At the end of the file the chain must end too. */
	if (end == d.size) {
		uint32_t after;
		rc = fat_next(f, cur, &after);
		if (rc)
			return rc;
		if (after != FAT_EOC)
			return corrupt(f, "chain of the file at cluster %u goes on past its %u bytes",
				       first, d.size);
	}
	return (long)(end - off);
}

static int fat_readlink(struct fs *fs, uint64_t ino, char *buf, size_t cap)
{
	return -EINVAL; /* FAT has no symbolic links */
}

struct readdir_ctx {
	int (*fn)(void *ctx, const char *name, size_t name_len, uint64_t ino, enum fs_type type);
	void *ctx;
};

static int readdir_visit(void *ctx, const struct fat_name *n)
{
	struct readdir_ctx *r = ctx;
	if (fat_is_dot_or_dotdot(n->alias, n->alias_len))
		return 0;
	enum fs_type type = n->d->attr & FAT_ATTR_DIRECTORY ? FS_DIR : FS_REG;
	return r->fn(r->ctx, n->name, n->len, n->ino, type);
}

/* Every entry except "." and ".."; returns what a callback that stopped returned. */
static int fat_readdir(struct fs *fs, uint64_t dir,
		       int (*fn)(void *ctx, const char *name, size_t name_len, uint64_t ino,
				 enum fs_type type),
		       void *ctx)
{
	struct readdir_ctx r = { fn, ctx };
	return fat_name_walk(fat_of(fs), dir, readdir_visit, &r);
}

struct label_find {
	char label[12];
	bool found;
};

static int label_visit(void *ctx, const struct fat_dirent *d, uint64_t off)
{
	struct label_find *l = ctx;
	if (d->name[0] == FAT_NAME_DELETED || (d->attr & FAT_ATTR_LFN_MASK) == FAT_ATTR_LFN ||
	    !(d->attr & FAT_ATTR_VOLUME_ID))
		return 0;
	copy_label(l->label, (const char *)d->name);
	l->found = true;
	return 1;
}

/*
 * The serial as blkid prints it ("1234-ABCD"), and the label: the root
 * directory's volume-label entry, which Windows keeps current, else the
 * boot sector's copy unless it is the "NO NAME" placeholder.
 */
static void fat_ids(struct fs *fs, char *uuid, size_t uuid_cap, char *label, size_t label_cap)
{
	struct fat_fs *f = fat_of(fs);
	if (uuid_cap)
		uuid[0] = 0;
	if (label_cap)
		label[0] = 0;
	if (f->has_serial && uuid_cap)
		fmt_snprintf(uuid, uuid_cap, "%04X-%04X", f->serial >> 16, f->serial & 0xffff);

	struct label_find l = { "", false };
	uint32_t root;
	if (fat_dir_location(f, FAT_ROOT_INO, &root) || fat_dir_walk(f, root, label_visit, &l) < 0)
		l.found = false;
	const char *s = l.found ? l.label : strcmp(f->bpb_label, "NO NAME") ? f->bpb_label : "";
	if (label_cap)
		fmt_snprintf(label, label_cap, "%s", s);
}

const struct fs_ops fat_ops = {
	.name = "fat",
	.mount = fat_mount,
	.unmount = fat_unmount,
	.root = fat_root,
	.lookup = fat_lookup,
	.stat = fat_stat,
	.read = fat_read,
	.readlink = fat_readlink,
	.readdir = fat_readdir,
	.map = fat_fs_map,
	.ids = fat_ids,
};
