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
 * Finally paths made of the names found ("/a/b", "/a/../a/./b", through
 * whatever symlinks the image holds) go through fs_resolve(), as configs
 * name files.
 */
#ifndef PVHBOOT_FUZZ_FS_WALK_H
#define PVHBOOT_FUZZ_FS_WALK_H

#include <stdint.h>
#include <stdio.h>
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

#define FS_WALK_NAMES 4
#define FS_WALK_NAME_MAX 40

struct fs_walk {
	struct fs *fs;
	unsigned entries;
	unsigned depth;
	unsigned maps;
	uint8_t *buf;
	/* The first names seen at the top and one level down, for paths. */
	char names[2][FS_WALK_NAMES][FS_WALK_NAME_MAX];
	unsigned nr_names[2];
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
	if (w->depth < 2 && w->nr_names[w->depth] < FS_WALK_NAMES && len < FS_WALK_NAME_MAX &&
	    !memchr(name, '/', len) && !memchr(name, 0, len)) {
		memcpy(w->names[w->depth][w->nr_names[w->depth]], name, len);
		w->names[w->depth][w->nr_names[w->depth]++][len] = 0;
	}
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

/* Resolve paths made of the names the walk saw, with "..", "." and "//". */
static void fs_walk_paths(struct fs_walk *w)
{
	char path[4 * FS_WALK_NAME_MAX + 16];
	uint64_t ino;
	fs_resolve(w->fs, "/", &ino);
	for (unsigned i = 0; i < w->nr_names[0]; i++) {
		const char *a = w->names[0][i];
		snprintf(path, sizeof(path), "/%s/..", a);
		fs_resolve(w->fs, path, &ino);
		for (unsigned j = 0; j < w->nr_names[1]; j++) {
			const char *b = w->names[1][j];
			snprintf(path, sizeof(path), "/%s/%s", a, b);
			fs_resolve(w->fs, path, &ino);
			snprintf(path, sizeof(path), "%s/../%s/.//%s/", a, a, b);
			fs_resolve(w->fs, path, &ino);
		}
	}
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
		struct fs_walk w = { .fs = fs, .buf = malloc(FS_WALK_READ_MAX) };
		struct fs_walk_dir top = { &w, 0, 0 };
		fs->ops->ids(fs, uuid, sizeof(uuid), label, sizeof(label));
		if (w.buf && fs->ops->root(fs, &root) == 0) {
			top.dir = root;
			fs->ops->readdir(fs, root, fs_walk_visit, &top);
			fs_walk_paths(&w);
		}
		free(w.buf);
		fs->ops->unmount(fs);
	}
	free(m.dev.cache);
}

#endif
