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
#include "../core/errno.h"
#include "../core/utf8.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../include/abi/fat.h"
#include "fs.h"

#define FAT_ROOT_INO 1u
#define FAT_DIR_INO (1ull << 63)
#define FAT_EOC 0xffffffffu /* fat_next(): end of chain */

/*
 * The part of the FAT kept in memory; chains are looked up there. At least
 * the block cache's 128 KiB (fs/blockdev.c), so that a window is read
 * straight from the device: through the cache it would evict the
 * directory entry fat_read() looks up on every call, and a 128 MiB read
 * from the ESP under QEMU cost 5 small device reads instead of 1
 * (docs/bench-efi.md). 256 KiB holds the chain of a 256 MiB file in
 * 4 KiB clusters.
 */
#define FAT_WINDOW_BYTES (256u << 10)
/* [FATGEN] §6: a directory holds at most 65536 entries of 32 bytes. */
#define FAT_DIR_MAX_BYTES (65536u * FAT_DIRENT_SIZE)
/* A long name in UTF-8: each UTF-16 unit becomes at most 3 bytes. */
#define FAT_NAME_BUF (FAT_LFN_MAX_ENTRIES * FAT_LFN_UNITS * 3 + 1)
/* An 8.3 name: 8 + '.' + 3 characters, each at most 3 bytes (U+FFFD). */
#define FAT_SHORT_BUF (12 * 3 + 1)

struct fat_fs {
	struct fs fs;            /* first: fs.c only knows this part */
	unsigned bits;           /* 12, 16 or 32 */
	uint32_t sector_size;
	uint32_t cluster_size;   /* bytes */
	uint32_t nr_clusters;    /* data clusters, numbered 2 .. nr_clusters + 1 */
	uint64_t fat_offset;     /* bytes: the FAT copy in use */
	uint64_t fat_bytes;      /* size of one FAT */
	uint64_t root_offset;    /* FAT12/16: the fixed root directory */
	uint32_t root_bytes;
	uint32_t root_cluster;   /* FAT32: first cluster of the root */
	uint64_t data_offset;    /* bytes: cluster 2 */
	bool has_serial;
	uint32_t serial;
	char bpb_label[12];

	/* FAT bytes [window_start, window_start + window_len) */
	uint8_t *window;
	uint64_t window_start;
	uint32_t window_len;

	/* Where the last read() ended, so sequential reads resume there. */
	bool pos_valid;
	uint64_t pos_ino;
	uint32_t pos_index;      /* cluster index within the file */
	uint32_t pos_cluster;
};

static struct fat_fs *fat_of(struct fs *fs)
{
	return (struct fat_fs *)fs;
}

/* Log what is wrong with the volume, and return -EUCLEAN. */
#define corrupt(f, ...) fs_corrupt((f)->fs.vol, "FAT", __VA_ARGS__)

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

/* ---- the FAT ---- */

/* The raw FAT entry of @cluster (2 .. nr_clusters + 1). */
static int fat_entry(struct fat_fs *f, uint32_t cluster, uint32_t *value)
{
	uint64_t off = f->bits == 12 ? cluster + cluster / 2 : (uint64_t)cluster * (f->bits / 8);
	unsigned width = f->bits == 32 ? 4 : 2; /* FAT12 entries straddle two bytes */

	if (!range_ok(off, width, f->fat_bytes))
		return corrupt(f, "FAT entry %u beyond the FAT", cluster);
	if (off < f->window_start || off + width > f->window_start + f->window_len) {
		uint64_t start = ALIGN_DOWN(off, f->sector_size);
		uint32_t len = (uint32_t)MIN((uint64_t)FAT_WINDOW_BYTES, f->fat_bytes - start);
		f->window_len = 0;
		int rc = volume_read(f->fs.vol, f->fat_offset + start, f->window, len);
		if (rc)
			return rc;
		f->window_start = start;
		f->window_len = len;
	}
	const uint8_t *p = f->window + (off - f->window_start);
	if (f->bits == 12)
		/* [FATGEN] §4.2: odd clusters use the high 12 bits of the pair. */
		*value = cluster & 1 ? get_le16(p) >> 4 : get_le16(p) & 0xfffu;
	else if (f->bits == 16)
		*value = get_le16(p);
	else
		*value = get_le32(p) & FAT32_ENTRY_MASK;
	return 0;
}

/*
 * fat_next() - the cluster after @cluster in its chain, or FAT_EOC. A free,
 * reserved, bad or out-of-range link is corruption.
 */
static int fat_next(struct fat_fs *f, uint32_t cluster, uint32_t *next)
{
	uint32_t bad = f->bits == 12 ? FAT12_BAD : f->bits == 16 ? FAT16_BAD : FAT32_BAD;
	uint32_t v = 0;
	int rc = fat_entry(f, cluster, &v);
	if (rc)
		return rc;
	if (v > bad) {
		*next = FAT_EOC;
		return 0;
	}
	if (v == bad)
		return corrupt(f, "bad cluster marker in a chain after cluster %u", cluster);
	if (v == FAT_FREE)
		return corrupt(f, "free cluster in a chain after cluster %u", cluster);
	if (v < FAT_FIRST_CLUSTER || v > f->nr_clusters + 1)
		return corrupt(f, "cluster %u links to %u, outside 2..%u", cluster, v,
			       f->nr_clusters + 1);
	*next = v;
	return 0;
}

/*
 * fat_run() - how many clusters after @cluster, up to @max, continue one
 * contiguous run (entry c holding c + 1), counted straight from the FAT
 * window while it holds them. Such a link needs none of fat_next()'s
 * checks: a cluster number inside the volume is never free, bad or an
 * end of chain. A file written in one piece is then walked at a few
 * instructions per cluster (docs/bench-efi.md: the checked step of every
 * link was a tenth of a 128 MiB read from the ESP under QEMU). Everything
 * else - another link, the window's end, FAT12's packed entries - is left
 * to fat_step().
 */
static uint32_t fat_run(const struct fat_fs *f, uint32_t cluster, uint64_t max)
{
	unsigned width = f->bits / 8;
	uint64_t off = (uint64_t)cluster * width;
	uint64_t window_end = f->window_start + f->window_len;

	if (f->bits == 12 || off < f->window_start || off >= window_end)
		return 0;
	max = MIN(max, (window_end - off) / width);
	max = MIN(max, (uint64_t)f->nr_clusters + 1 - cluster); /* the last link's target */
	const uint8_t *p = f->window + (off - f->window_start);
	/* Links to cluster + 1 .. last; one loop per entry width keeps each tight. */
	uint32_t next = cluster + 1, last = (uint32_t)(cluster + max);
	if (width == 4)
		for (; next <= last && (get_le32(p) & FAT32_ENTRY_MASK) == next; next++)
			p += 4;
	else
		for (; next <= last && get_le16(p) == next; next++)
			p += 2;
	return next - cluster - 1;
}

/* Like fat_next(), for a chain that must go on: its end is corruption too. */
static int fat_step(struct fat_fs *f, uint32_t cluster, uint32_t *next)
{
	int rc = fat_next(f, cluster, next);
	if (!rc && *next == FAT_EOC)
		return corrupt(f, "chain ends at cluster %u, before the file does", cluster);
	return rc;
}

static uint64_t cluster_offset(const struct fat_fs *f, uint32_t cluster)
{
	return f->data_offset + (uint64_t)(cluster - FAT_FIRST_CLUSTER) * f->cluster_size;
}

static bool cluster_ok(const struct fat_fs *f, uint32_t cluster)
{
	return cluster >= FAT_FIRST_CLUSTER && cluster <= f->nr_clusters + 1;
}

/* ---- directory entries ---- */

static uint32_t first_cluster(const struct fat_fs *f, const struct fat_dirent *d)
{
	/* cluster_hi holds extended attributes on some FAT12/16 systems. */
	return d->cluster_lo | (f->bits == 32 ? (uint32_t)d->cluster_hi << 16 : 0);
}

static uint64_t dir_ino(const struct fat_fs *f, uint32_t cluster)
{
	/* ".." in a child of the root has cluster 0 (some writers use the root cluster). */
	if (cluster == 0 || (f->bits == 32 && cluster == f->root_cluster))
		return FAT_ROOT_INO;
	return FAT_DIR_INO | cluster;
}

/* The entry a file's inode number names; only offsets inside directory areas are accepted. */
static int read_dirent(struct fat_fs *f, uint64_t ino, struct fat_dirent *d)
{
	uint64_t data_end = cluster_offset(f, f->nr_clusters + 2);
	bool in_root = ino >= f->root_offset && ino < f->root_offset + f->root_bytes;
	bool in_data = ino >= f->data_offset && ino < data_end;
	if (ino % FAT_DIRENT_SIZE || !(in_root || in_data))
		return -ENOENT;
	return volume_read(f->fs.vol, ino, d, sizeof(*d));
}

/* Where a directory's entries are: @cluster 0 means the FAT12/16 fixed root region. */
static int dir_location(struct fat_fs *f, uint64_t ino, uint32_t *cluster)
{
	if (ino == FAT_ROOT_INO) {
		*cluster = f->bits == 32 ? f->root_cluster : 0;
		return 0;
	}
	if (!(ino & FAT_DIR_INO))
		return -ENOTDIR;
	uint64_t c = ino & ~FAT_DIR_INO;
	if (c > UINT32_MAX || !cluster_ok(f, (uint32_t)c))
		return corrupt(f, "directory at cluster %llu, out of range", (unsigned long long)c);
	*cluster = (uint32_t)c;
	return 0;
}

/* Visit every 32-byte entry up to the end marker; stops when @fn returns non-zero. */
typedef int (*dirent_fn)(void *ctx, const struct fat_dirent *d, uint64_t off);

static int dir_walk(struct fat_fs *f, uint32_t cluster, dirent_fn fn, void *ctx)
{
	uint8_t *buf = malloc(f->sector_size);
	if (!buf)
		return -ENOMEM;
	bool fixed = cluster == 0;
	uint64_t limit = fixed ? f->root_bytes : FAT_DIR_MAX_BYTES;
	uint64_t done = 0;
	int rc = 0;

	while (done < limit) {
		uint64_t pos = fixed ? f->root_offset + done
				     : cluster_offset(f, cluster) + done % f->cluster_size;
		rc = volume_read(f->fs.vol, pos, buf, f->sector_size);
		if (rc)
			goto out;
		for (uint32_t i = 0; i < f->sector_size; i += FAT_DIRENT_SIZE) {
			const struct fat_dirent *d = (const void *)(buf + i);
			if (d->name[0] == FAT_NAME_END)
				goto out;
			rc = fn(ctx, d, pos + i);
			if (rc)
				goto out;
		}
		done += f->sector_size;
		if (!fixed && done % f->cluster_size == 0) {
			uint32_t next;
			rc = fat_next(f, cluster, &next);
			if (rc || next == FAT_EOC)
				goto out;
			cluster = next;
		}
	}
	if (!fixed)
		rc = corrupt(f, "directory longer than %u bytes (a cluster loop?)", FAT_DIR_MAX_BYTES);
out:
	free(buf);
	return rc;
}

/* ---- names ---- */


/*
 * The 8.3 name as text: "NAME.EXT", lower-cased per the NT case bits. The
 * OEM code page is unknown, so bytes above 0x7f become U+FFFD; files with
 * such short names are still found through their long names.
 */
static size_t short_name(const struct fat_dirent *d, char *out)
{
	size_t base = 8, ext = 3, n = 0;
	while (base && d->name[base - 1] == ' ')
		base--;
	while (ext && d->name[8 + ext - 1] == ' ')
		ext--;
	for (size_t i = 0; i < base + ext; i++) {
		uint8_t c = i < base ? d->name[i] : d->name[8 + i - base];
		bool lower = i < base ? d->nt_case & FAT_NT_LOWER_BASE : d->nt_case & FAT_NT_LOWER_EXT;
		if (i == base)
			out[n++] = '.';
		if (i == 0 && c == FAT_NAME_KANJI_E5)
			c = FAT_NAME_DELETED;
		if (c >= 0x80)
			n += utf8_put(out + n, UTF8_REPLACEMENT_CHAR);
		else
			out[n++] = lower ? ascii_lower((char)c) : (char)c;
	}
	out[n] = 0;
	return n;
}

/* [FATGEN] §7.2: the checksum every long-name entry carries of its 8.3 name. */
static uint8_t lfn_checksum(const uint8_t name[11])
{
	uint8_t sum = 0;
	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name[i]);
	return sum;
}

/* A long name being assembled from its entries, last part first. */
struct lfn {
	uint8_t units[FAT_LFN_MAX_ENTRIES * FAT_LFN_UNITS * 2]; /* UTF-16LE as on disk */
	unsigned count;    /* units in the name (entries * 13) */
	unsigned next_ord; /* the order number the next entry must have; 0 = complete */
	uint8_t checksum;
	bool active;
};

static void lfn_add(struct lfn *l, const struct fat_lfn_entry *e)
{
	unsigned ord = e->ord & FAT_LFN_ORD_MASK;
	if (e->type != 0 || e->cluster != 0 || ord == 0 || ord > FAT_LFN_MAX_ENTRIES) {
		l->active = false;
		return;
	}
	if (e->ord & FAT_LFN_LAST) {
		l->active = true;
		l->count = ord * FAT_LFN_UNITS;
		l->checksum = e->checksum;
	} else if (!l->active || ord != l->next_ord || e->checksum != l->checksum) {
		l->active = false; /* an orphan: ignore it, as [FATGEN] §7.4 asks */
		return;
	}
	/* The three pieces of 5, 6 and 2 units, kept as the little-endian bytes they are. */
	uint8_t *u = l->units + (ord - 1) * FAT_LFN_UNITS * 2;
	const uint8_t *raw = (const uint8_t *)e;
	memcpy(u, raw + offsetof(struct fat_lfn_entry, name1), 10);
	memcpy(u + 10, raw + offsetof(struct fat_lfn_entry, name2), 12);
	memcpy(u + 22, raw + offsetof(struct fat_lfn_entry, name3), 4);
	l->next_ord = ord - 1;
}

/* The assembled long name as UTF-8 (core/utf8.h's surrogate policy); 0 if unusable. */
static size_t lfn_name(const struct lfn *l, const struct fat_dirent *d, char *out)
{
	if (!l->active || l->next_ord != 0 || l->checksum != lfn_checksum(d->name))
		return 0;
	/* FAT_NAME_BUF holds 3 bytes a unit, the most any unit needs: never -E2BIG. */
	int n = utf16_to_utf8(l->units, l->count, UTF16_LE, out, FAT_NAME_BUF);
	return n > 0 ? (size_t)n : 0;
}

/* One directory entry as the name layer sees it. */
struct fat_name {
	const char *name;   /* long name if it has a valid one, else the 8.3 name */
	size_t len;
	const char *alias;  /* the 8.3 name, always */
	size_t alias_len;
	const struct fat_dirent *d;
	uint64_t ino;
};

struct name_walk {
	struct fat_fs *f;
	int (*fn)(void *ctx, const struct fat_name *n);
	void *ctx;
	struct lfn lfn;
	char name[FAT_NAME_BUF];
	char alias[FAT_SHORT_BUF];
};

static int name_visit(void *ctx, const struct fat_dirent *d, uint64_t off)
{
	struct name_walk *w = ctx;
	if (d->name[0] == FAT_NAME_DELETED) {
		w->lfn.active = false;
		return 0;
	}
	if ((d->attr & FAT_ATTR_LFN_MASK) == FAT_ATTR_LFN) {
		lfn_add(&w->lfn, (const struct fat_lfn_entry *)d);
		return 0;
	}
	struct fat_name n = { w->name, 0, w->alias, 0, d, off };
	if (d->attr & FAT_ATTR_DIRECTORY)
		n.ino = dir_ino(w->f, first_cluster(w->f, d));
	n.len = lfn_name(&w->lfn, d, w->name);
	w->lfn.active = false;
	if (d->attr & FAT_ATTR_VOLUME_ID)
		return 0;
	n.alias_len = short_name(d, w->alias);
	if (!n.alias_len)
		return 0;
	if (!n.len)
		n.name = w->alias, n.len = n.alias_len;
	return w->fn(w->ctx, &n);
}

static int name_walk(struct fat_fs *f, uint64_t dir, int (*fn)(void *, const struct fat_name *),
		     void *ctx)
{
	uint32_t cluster;
	int rc = dir_location(f, dir, &cluster);
	if (rc)
		return rc;
	struct name_walk *w = malloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->f = f;
	w->fn = fn;
	w->ctx = ctx;
	w->lfn.active = false;
	rc = dir_walk(f, cluster, name_visit, w);
	free(w);
	return rc;
}

static bool is_dot_or_dotdot(const char *s, size_t len)
{
	return (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.');
}

/*
 * Case folding for lookups. Windows compares names through an upper-case
 * table covering the BMP; this folds ASCII, Latin-1, Latin Extended-A,
 * Greek and Cyrillic (one-to-one mappings only), which covers file names in
 * European languages. Other scripts must match exactly.
 */
static uint32_t fold(uint32_t c)
{
	if (c < 0x80)
		return (uint8_t)ascii_lower((char)c);
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 32;
	if ((c >= 0x100 && c < 0x130) || (c >= 0x132 && c < 0x138) || (c >= 0x14a && c < 0x178))
		return c | 1;
	if ((c >= 0x139 && c < 0x149) || (c >= 0x179 && c < 0x17f))
		return c & 1 ? c + 1 : c;
	if (c == 0x178)
		return 0xff;
	if (c == 0x386)
		return 0x3ac;
	if (c >= 0x388 && c <= 0x38a)
		return c + 37;
	if (c == 0x38c)
		return 0x3cc;
	if (c == 0x38e || c == 0x38f)
		return c + 63;
	if (c >= 0x391 && c <= 0x3ab && c != 0x3a2)
		return c + 32;
	if (c == 0x3c2) /* final sigma */
		return 0x3c3;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	if (c >= 0x410 && c <= 0x42f)
		return c + 32;
	return c;
}

/* The next code point of UTF-8 text; a malformed byte stands for itself (0x80000000 | byte). */
static uint32_t utf8_next(const char *s, size_t len, size_t *i)
{
	const uint8_t *p = (const uint8_t *)s + *i;
	size_t left = len - *i;
	unsigned n = p[0] < 0x80 ? 1 : (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3
				       : (p[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (n == 0 || n > left) {
		(*i)++;
		return 0x80000000u | p[0];
	}
	uint32_t c = n == 1 ? p[0] : p[0] & (0x7fu >> n);
	for (unsigned k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			(*i)++;
			return 0x80000000u | p[0];
		}
		c = c << 6 | (p[k] & 0x3fu);
	}
	*i += n;
	return c;
}

static bool names_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;
	while (i < alen && j < blen)
		if (fold(utf8_next(a, alen, &i)) != fold(utf8_next(b, blen, &j)))
			return false;
	return i == alen && j == blen;
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
	if (!names_equal(n->name, n->len, l->name, l->len) &&
	    !names_equal(n->alias, n->alias_len, l->name, l->len))
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
		int rc = dir_location(f, dir, &c);
		if (!rc)
			*ino = dir;
		return rc;
	}
	if (dir == FAT_ROOT_INO && len == 2 && name[0] == '.' && name[1] == '.') {
		*ino = FAT_ROOT_INO;
		return 0;
	}
	struct lookup l = { f, name, len, 0, false };
	int rc = name_walk(f, dir, lookup_visit, &l);
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
		return dir_location(f, ino, &cluster);
	}
	struct fat_dirent d;
	int rc = read_dirent(f, ino, &d);
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
	int rc = read_dirent(f, ino, &d);
	if (rc)
		return rc;
	if (d.attr & FAT_ATTR_DIRECTORY)
		return -EISDIR;
	if (off >= d.size || len == 0)
		return 0;
	uint64_t end = off + MIN((uint64_t)len, d.size - off);

	uint32_t cs = f->cluster_size;
	uint32_t first = first_cluster(f, &d);
	uint64_t needed = (d.size + cs - 1) / cs;
	if (!cluster_ok(f, first) || needed > f->nr_clusters)
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
		rc = volume_read(f->fs.vol, cluster_offset(f, run_first) + in, out, (size_t)n);
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
	if (is_dot_or_dotdot(n->alias, n->alias_len))
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
	return name_walk(fat_of(fs), dir, readdir_visit, &r);
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
	if (dir_location(f, FAT_ROOT_INO, &root) || dir_walk(f, root, label_visit, &l) < 0)
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
	.ids = fat_ids,
};
