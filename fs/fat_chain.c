/* SPDX-License-Identifier: MIT */
/* FAT: cluster chains through the in-memory window, and directory entries (fat_priv.h). */
#include "fat_priv.h"

/* ---- the FAT ---- */

/* The raw FAT entry of @cluster (2 .. nr_clusters + 1). */
int fat_entry(struct fat_fs *f, uint32_t cluster, uint32_t *value)
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
int fat_next(struct fat_fs *f, uint32_t cluster, uint32_t *next)
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
uint32_t fat_run(const struct fat_fs *f, uint32_t cluster, uint64_t max)
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
int fat_step(struct fat_fs *f, uint32_t cluster, uint32_t *next)
{
	int rc = fat_next(f, cluster, next);
	if (!rc && *next == FAT_EOC)
		return corrupt(f, "chain ends at cluster %u, before the file does", cluster);
	return rc;
}

uint64_t fat_cluster_offset(const struct fat_fs *f, uint32_t cluster)
{
	return f->data_offset + (uint64_t)(cluster - FAT_FIRST_CLUSTER) * f->cluster_size;
}

bool fat_cluster_ok(const struct fat_fs *f, uint32_t cluster)
{
	return cluster >= FAT_FIRST_CLUSTER && cluster <= f->nr_clusters + 1;
}

/* ---- directory entries ---- */

uint32_t fat_first_cluster(const struct fat_fs *f, const struct fat_dirent *d)
{
	/* cluster_hi holds extended attributes on some FAT12/16 systems. */
	return d->cluster_lo | (f->bits == 32 ? (uint32_t)d->cluster_hi << 16 : 0);
}

uint64_t fat_dir_ino(const struct fat_fs *f, uint32_t cluster)
{
	/* ".." in a child of the root has cluster 0 (some writers use the root cluster). */
	if (cluster == 0 || (f->bits == 32 && cluster == f->root_cluster))
		return FAT_ROOT_INO;
	return FAT_DIR_INO | cluster;
}

/* The entry a file's inode number names; only offsets inside directory areas are accepted. */
int fat_read_dirent(struct fat_fs *f, uint64_t ino, struct fat_dirent *d)
{
	uint64_t data_end = fat_cluster_offset(f, f->nr_clusters + 2);
	bool in_root = ino >= f->root_offset && ino < f->root_offset + f->root_bytes;
	bool in_data = ino >= f->data_offset && ino < data_end;
	if (ino % FAT_DIRENT_SIZE || !(in_root || in_data))
		return -ENOENT;
	return volume_read(f->fs.vol, ino, d, sizeof(*d));
}

/* Where a directory's entries are: @cluster 0 means the FAT12/16 fixed root region. */
int fat_dir_location(struct fat_fs *f, uint64_t ino, uint32_t *cluster)
{
	if (ino == FAT_ROOT_INO) {
		*cluster = f->bits == 32 ? f->root_cluster : 0;
		return 0;
	}
	if (!(ino & FAT_DIR_INO))
		return -ENOTDIR;
	uint64_t c = ino & ~FAT_DIR_INO;
	if (c > UINT32_MAX || !fat_cluster_ok(f, (uint32_t)c))
		return corrupt(f, "directory at cluster %llu, out of range", (unsigned long long)c);
	*cluster = (uint32_t)c;
	return 0;
}


int fat_dir_walk(struct fat_fs *f, uint32_t cluster, dirent_fn fn, void *ctx)
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
				     : fat_cluster_offset(f, cluster) + done % f->cluster_size;
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
