/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the FAT driver on a 64 MiB volume that starts with the
 * input (and reads as zeros after it). Mounts it, then walks the tree
 * with bounded effort: every entry is stat()ed, the first entries of each
 * directory are looked up again by name, files are read in two pieces,
 * and ids() is asked for. Links with fs/fat.c, fs/blockdev.c and the host
 * core (format.c, strerror.c, host_log.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/errno.h"
#include "../../fs/fs.h"

extern const struct fs_ops fat_ops;

#define MAX_DEPTH 6
#define MAX_ENTRIES 2000
#define MAX_LOOKUPS_PER_DIR 32
#define READ_MAX 65536

/*
 * The device is larger than the input: bytes past it read as zeros, so a
 * few KiB can describe a volume of tens of MiB (FAT32 needs 65525 clusters).
 */
#define DEVICE_BYTES (64u << 20)

struct memdev {
	struct blockdev dev;
	uint8_t *data;
	size_t size;
};

static int mem_read(struct blockdev *d, uint64_t lba, uint64_t count, void *buf)
{
	struct memdev *m = d->priv;
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

struct walk {
	struct fs *fs;
	unsigned entries;
	unsigned depth;
	uint8_t *buf;
};

struct dir_ctx {
	struct walk *w;
	uint64_t dir;
	unsigned lookups;
};

static int visit(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type type)
{
	struct dir_ctx *d = ctx;
	struct walk *w = d->w;
	struct fs *fs = w->fs;
	struct fs_stat st;
	uint64_t again;

	if (++w->entries > MAX_ENTRIES)
		return 1;
	if (d->lookups++ < MAX_LOOKUPS_PER_DIR)
		fs->ops->lookup(fs, d->dir, name, len, &again);
	if (fs->ops->stat(fs, ino, &st))
		return 0;
	if (st.type == FS_DIR && w->depth < MAX_DEPTH) {
		struct dir_ctx sub = { w, ino, 0 };
		w->depth++;
		fs->ops->readdir(fs, ino, visit, &sub);
		w->depth--;
	} else if (st.type == FS_REG) {
		long n = fs->ops->read(fs, ino, 0, w->buf, READ_MAX / 2);
		if (n >= 0)
			fs->ops->read(fs, ino, (uint64_t)n, w->buf, READ_MAX / 2);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memdev m = { 0 };
	struct volume vol;
	struct fs *fs;
	if (size > DEVICE_BYTES)
		return 0;
	m.data = malloc(size ? size : 1);
	if (!m.data)
		return 0;
	memcpy(m.data, data, size);
	m.size = size;
	m.dev.sector_size = 512;
	m.dev.nr_sectors = DEVICE_BYTES / 512;
	m.dev.read = mem_read;
	m.dev.priv = &m;
	strcpy(m.dev.name, "fuzz");
	volume_of_disk(&m.dev, &vol);

	if (fat_ops.mount(&vol, &fs) == 0) {
		char uuid[48], label[64];
		uint64_t root;
		fs->ops = &fat_ops;
		fs->vol = &vol;
		struct walk w = { fs, 0, 0, malloc(READ_MAX) };
		struct dir_ctx top = { &w, 0, 0 };
		fs->ops->ids(fs, uuid, sizeof(uuid), label, sizeof(label));
		if (w.buf && fs->ops->root(fs, &root) == 0) {
			top.dir = root;
			fs->ops->readdir(fs, root, visit, &top);
		}
		free(w.buf);
		fs->ops->unmount(fs);
	}
	free(m.dev.cache);
	free(m.data);
	return 0;
}
