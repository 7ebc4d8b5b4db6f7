/* SPDX-License-Identifier: MIT */
/*
 * FAT fs_ops.map(): the clusters a file's bytes live in, for a rewrite in
 * place (boot/envwrite.c). FAT keeps no checksum of file data, so the same
 * number of bytes written into the file's own clusters changes nothing
 * else; the directory entry (size, times) is left alone, as GRUB leaves it.
 * The chain must hold exactly the clusters the size needs and end there
 * (as fat_read() checks), so a chain that runs into another file's is
 * refused rather than written; so is one that another file's entry or
 * chain runs into (fat_xlink.c).
 */
#include "../core/log.h"
#include "fat_priv.h"

/* Clusters of a file whose sharing is checked; a grubenv is 1024 bytes. */
#define MAP_MAX_CLUSTERS 64u

int fat_fs_map(struct fs *fs, uint64_t ino, uint64_t off, uint64_t len, struct fs_extent *out,
	       unsigned *count)
{
	struct fat_fs *f = fat_of(fs);
	struct fat_dirent d;
	*count = 0;
	if (ino == FAT_ROOT_INO || (ino & FAT_DIR_INO))
		return -EISDIR;
	int rc = fat_read_dirent(f, ino, &d);
	if (rc)
		return rc;
	if (d.attr & (FAT_ATTR_DIRECTORY | FAT_ATTR_VOLUME_ID))
		return -EISDIR;
	if (!len || !range_ok(off, len, d.size))
		return -EINVAL;
	uint32_t cs = f->cluster_size;
	uint32_t cur = fat_first_cluster(f, &d);
	uint64_t clusters = (d.size + cs - 1) / cs;
	uint32_t chain[MAP_MAX_CLUSTERS];
	if (!fat_cluster_ok(f, cur) || clusters > f->nr_clusters)
		return corrupt(f, "file of %u bytes at cluster %u does not fit the volume", d.size,
			       cur);
	if (clusters > MAP_MAX_CLUSTERS)
		return log_err(-EOPNOTSUPP, "%s: FAT: file at cluster %u: %llu clusters, more "
			       "than a rewrite in place checks (%u)", fs->vol->name, cur,
			       (unsigned long long)clusters, MAP_MAX_CLUSTERS);
	uint64_t end = off + len;
	for (uint64_t i = 0; i < clusters; i++) {
		uint64_t c0 = i * cs, c1 = c0 + cs;
		chain[i] = cur;
		if (c1 > off && c0 < end) {
			uint64_t from = MAX(c0, off), to = MIN(c1, end);
			uint64_t vol_off = fat_cluster_offset(f, cur) + (from - c0);
			struct fs_extent *last = *count ? &out[*count - 1] : NULL;
			if (last && last->vol_off + last->len == vol_off) {
				last->len += to - from;
			} else if (*count >= FS_MAP_MAX) {
				return log_err(-EOPNOTSUPP, "%s: FAT: file at cluster %u: in too many "
					       "pieces to rewrite", fs->vol->name, cur);
			} else {
				out[(*count)++] = (struct fs_extent){ from, vol_off, to - from };
			}
		}
		uint32_t next;
		if ((rc = fat_next(f, cur, &next)) != 0)
			return rc;
		if (i + 1 == clusters) {
			if (next != FAT_EOC)
				return corrupt(f, "chain of the file at cluster %u goes on past its "
					       "%u bytes", fat_first_cluster(f, &d), d.size);
		} else if (next == FAT_EOC) {
			return corrupt(f, "chain ends at cluster %u, before the file does", cur);
		} else {
			cur = next;
		}
	}
	return fat_chain_shared(f, ino, chain, (unsigned)clusters);
}
