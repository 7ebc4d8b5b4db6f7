/* SPDX-License-Identifier: MIT */
/*
 * FAT: is a file's chain its own? A cross-linked volume (fsck.vfat: "share
 * clusters") lets two files own one cluster, either because another
 * directory entry starts there or because another chain runs into it.
 * Rewriting such a file in place (fat_map.c) would change the other one
 * too, so the map refuses it. GRUB's save_env does not look (its
 * check_blocklists() compares only the grubenv's own sectors with
 * themselves); fsck.vfat, repairing such a volume, truncates one of the
 * two files to nothing.
 *
 * Two scans, both bounded by the volume: every FAT entry (a link into the
 * file from outside its own chain), then every directory entry reachable
 * from the root (one that starts inside the file), each directory visited
 * once, so a directory cycle ends.
 */
#include "../core/log.h"
#include "fat_priv.h"

/* Directories a check visits at most; an ESP holds a few dozen. */
#define XLINK_MAX_DIRS 4096u

struct xlink {
	struct fat_fs *f;
	uint64_t ino;          /* the file's own directory entry */
	const uint32_t *cl;    /* its chain */
	unsigned n;
	uint32_t *dirs;        /* first clusters of the directories found, walked in order */
	unsigned ndirs;
	bool too_many;
	uint64_t shared_at;    /* the other entry, when found */
};

static bool in_chain(const struct xlink *x, uint32_t c)
{
	for (unsigned i = 0; i < x->n; i++)
		if (x->cl[i] == c)
			return true;
	return false;
}

/* Whether the entry of cluster @c, holding @v, links into the chain from outside it. */
static bool links_in(const struct xlink *x, uint32_t c, uint32_t v)
{
	if (!in_chain(x, v))
		return false;
	/* The chain's own links: cl[i] -> cl[i + 1]. */
	for (unsigned i = 0; i + 1 < x->n; i++)
		if (x->cl[i] == c && x->cl[i + 1] == v)
			return false;
	return true;
}

/*
 * Every FAT entry: fat_entry() for the first one a window holds (it loads
 * the window), then the rest of that window straight from memory, as
 * fat_run() reads it; FAT12's packed entries one at a time.
 */
static int scan_fat(struct xlink *x, uint32_t *from)
{
	struct fat_fs *f = x->f;
	uint32_t last = f->nr_clusters + 1, c = FAT_FIRST_CLUSTER;
	unsigned width = f->bits / 8;
	while (c <= last) {
		uint32_t v;
		int rc = fat_entry(f, c, &v);
		if (rc)
			return rc;
		for (;;) {
			if (links_in(x, c, v)) {
				*from = c;
				return 1;
			}
			uint64_t off = (uint64_t)++c * width;
			if (f->bits == 12 || c > last || off < f->window_start ||
			    off + width > f->window_start + f->window_len)
				break; /* the next one through fat_entry() */
			const uint8_t *p = f->window + (off - f->window_start);
			v = width == 4 ? get_le32(p) & FAT32_ENTRY_MASK : get_le16(p);
		}
	}
	return 0;
}

static int visit(void *ctx, const struct fat_dirent *d, uint64_t off)
{
	struct xlink *x = ctx;
	if (d->name[0] == FAT_NAME_DELETED || d->name[0] == '.' ||
	    (d->attr & FAT_ATTR_LFN_MASK) == FAT_ATTR_LFN || (d->attr & FAT_ATTR_VOLUME_ID))
		return 0;
	uint32_t first = fat_first_cluster(x->f, d);
	if (off != x->ino && in_chain(x, first)) {
		x->shared_at = off;
		return 1;
	}
	if (!(d->attr & FAT_ATTR_DIRECTORY) || !fat_cluster_ok(x->f, first))
		return 0;
	for (unsigned i = 0; i < x->ndirs; i++)
		if (x->dirs[i] == first)
			return 0;
	if (x->ndirs == XLINK_MAX_DIRS) {
		x->too_many = true;
		return 1;
	}
	x->dirs[x->ndirs++] = first;
	return 0;
}

int fat_chain_shared(struct fat_fs *f, uint64_t ino, const uint32_t *cl, unsigned n)
{
	const char *vol = f->fs.vol->name;
	struct xlink x = { f, ino, cl, n, NULL, 0, false, 0 };
	uint32_t from = 0;
	int rc = scan_fat(&x, &from);
	if (rc < 0)
		return rc;
	if (rc)
		return log_err(-EOPNOTSUPP, "%s: FAT: cluster %u links into the chain of the file "
			       "at cluster %u (cross-linked); not rewritten", vol, from, cl[0]);
	x.dirs = malloc(XLINK_MAX_DIRS * sizeof(*x.dirs));
	if (!x.dirs)
		return -ENOMEM;
	/* The root first: FAT12/16's fixed region is "cluster 0" to fat_dir_walk(). */
	x.dirs[x.ndirs++] = f->bits == 32 ? f->root_cluster : 0;
	for (unsigned i = 0; !rc && i < x.ndirs; i++)
		rc = fat_dir_walk(f, x.dirs[i], visit, &x);
	free(x.dirs);
	if (rc < 0)
		return rc;
	if (x.too_many)
		return log_err(-EOPNOTSUPP, "%s: FAT: more than %u directories to check for a "
			       "cross-link; not rewritten", vol, XLINK_MAX_DIRS);
	if (x.shared_at)
		return log_err(-EOPNOTSUPP, "%s: FAT: the directory entry at byte %llu also starts "
			       "in the file at cluster %u (cross-linked); not rewritten", vol,
			       (unsigned long long)x.shared_at, cl[0]);
	return 0;
}
