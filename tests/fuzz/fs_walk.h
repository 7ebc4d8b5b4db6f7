/* SPDX-License-Identifier: MIT */
/*
 * What the filesystem fuzz targets share: a memory disk larger than the
 * input (bytes past it read as zeros, so a few KiB can describe a volume of
 * tens of MiB; FAT32 needs 65525 clusters), and a walk of the mounted tree
 * with bounded effort. Every entry is stat()ed, the first entries of each
 * directory are looked up again by name, files are read at their start and
 * near their end, symlinks are read, and ids() is asked for. The first small
 * file is also mapped for a rewrite in place (fs_ops.map, as the
 * loader maps a grubenv; FAT then scans the volume for cross-links).
 */
#ifndef PVHBOOT_FUZZ_FS_WALK_H
#define PVHBOOT_FUZZ_FS_WALK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/errno.h"
#include "../../fs/fs.h"

#define FS_WALK_DEVICE_BYTES (64u << 20)
#define FS_WALK_MAX_DEPTH 6
#define FS_WALK_MAX_ENTRIES 2000
#define FS_WALK_LOOKUPS_PER_DIR 32
#define FS_WALK_READ_MAX 65536
#define FS_WALK_MAPS 1
#define FS_WALK_MAP_MAX_BYTES 4096

struct fs_walk_disk {
	struct blockdev dev;
	const uint8_t *data;
	size_t size;
};

static int fs_walk_disk_read(struct blockdev *d, uint64_t lba, uint64_t count, void *buf)
{
	struct fs_walk_disk *m = d->priv;
	if (lba > d->nr_sectors || count > d->nr_sectors - lba)
		return -EINVAL;
	uint64_t off = lba * d->sector_size, len = count * d->sector_size;
	uint64_t have = off < m->size ? m->size - off : 0;
	if (have > len)
		have = len;
	memcpy(buf, m->data + off, have);
	memset((uint8_t *)buf + have, 0, len - have);
	return 0;
}

struct fs_walk {
	struct fs *fs;
	unsigned entries;
	unsigned depth;
	unsigned maps;
	uint8_t *buf;
};

struct fs_walk_dir {
	struct fs_walk *w;
	uint64_t dir;
	unsigned lookups;
};

static int fs_walk_visit(void *ctx, const char *name, size_t len, uint64_t ino,
			 enum fs_type type)
{
	struct fs_walk_dir *d = ctx;
	struct fs_walk *w = d->w;
	struct fs *fs = w->fs;
	struct fs_stat st;
	uint64_t again;
	const size_t half = FS_WALK_READ_MAX / 2;

	if (++w->entries > FS_WALK_MAX_ENTRIES)
		return 1;
	if (d->lookups++ < FS_WALK_LOOKUPS_PER_DIR)
		fs->ops->lookup(fs, d->dir, name, len, &again);
	if (fs->ops->stat(fs, ino, &st))
		return 0;
	if (st.type == FS_DIR && w->depth < FS_WALK_MAX_DEPTH) {
		struct fs_walk_dir sub = { w, ino, 0 };
		w->depth++;
		fs->ops->readdir(fs, ino, fs_walk_visit, &sub);
		w->depth--;
	} else if (st.type == FS_REG) {
		long n = fs->ops->read(fs, ino, 0, w->buf, half);
		if (n >= 0)
			fs->ops->read(fs, ino, st.size > FS_WALK_READ_MAX ? st.size - half : (uint64_t)n,
				      w->buf, half);
		if (fs->ops->map && st.size && st.size <= FS_WALK_MAP_MAX_BYTES &&
		    w->maps++ < FS_WALK_MAPS) {
			struct fs_extent ext[FS_MAP_MAX];
			unsigned count;
			fs->ops->map(fs, ino, 0, st.size, ext, &count);
		}
	} else if (st.type == FS_SYMLINK) {
		fs->ops->readlink(fs, ino, (char *)w->buf, FS_PATH_MAX);
	}
	return 0;
}

/* Mount @image (@size bytes, zeros after it) with @ops and walk it. */
static inline void fs_walk_image(const struct fs_ops *ops, const uint8_t *image, size_t size)
{
	struct fs_walk_disk m = { .data = image, .size = size };
	struct volume vol;
	struct fs *fs;

	m.dev.sector_size = 512;
	m.dev.nr_sectors = FS_WALK_DEVICE_BYTES / 512;
	m.dev.read = fs_walk_disk_read;
	m.dev.priv = &m;
	strcpy(m.dev.name, "fuzz");
	volume_of_disk(&m.dev, &vol);

	if (ops->mount(&vol, &fs) == 0) {
		char uuid[48], label[64];
		uint64_t root;
		fs->ops = ops;
		fs->vol = &vol;
		struct fs_walk w = { fs, 0, 0, 0, malloc(FS_WALK_READ_MAX) };
		struct fs_walk_dir top = { &w, 0, 0 };
		fs->ops->ids(fs, uuid, sizeof(uuid), label, sizeof(label));
		if (w.buf && fs->ops->root(fs, &root) == 0) {
			top.dir = root;
			fs->ops->readdir(fs, root, fs_walk_visit, &top);
		}
		free(w.buf);
		fs->ops->unmount(fs);
	}
	free(m.dev.cache);
}

#endif
