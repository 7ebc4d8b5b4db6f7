/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the ext2/3/4 driver on any bytes. The input is the start
 * of a disk (zero-padded to at least 64 KiB, so that small seeds still hold
 * a whole tiny filesystem); a mounted filesystem is walked breadth-first
 * with a fixed budget: every directory listed, every name looked up again,
 * every inode stat'ed, files read at both ends, symlinks read.
 *
 * Needs: fs/ext4*.c fs/blockdev.c core/format.c core/strerror.c
 * core/host_log.c. Seeds: tests/images/ext4.sh OUTDIR writes small images
 * to OUTDIR/ext4/fuzz-seeds/.
 */
#include <stdlib.h>
#include <string.h>

#include "../../core/errno.h"
#include "../../fs/ext4_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MIN_DISK (64u << 10)
#define MAX_INODES 256   /* inodes visited per input */
#define MAX_ENTRIES 64   /* entries kept per directory */
#define READ_BYTES 16384 /* bytes read at each end of a file */

struct memdisk {
	struct blockdev dev;
	uint8_t *bytes;
};

static int mem_read(struct blockdev *d, uint64_t lba, uint64_t count, void *buf)
{
	struct memdisk *m = d->priv;
	if (lba > d->nr_sectors || count > d->nr_sectors - lba)
		return -EINVAL;
	memcpy(buf, m->bytes + lba * 512, count * 512);
	return 0;
}

struct entry {
	uint64_t ino;
	enum fs_type type;
	char name[FS_NAME_MAX + 1];
	size_t len;
};

struct listing {
	struct entry e[MAX_ENTRIES];
	unsigned count;
};

static int keep(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type type)
{
	struct listing *l = ctx;
	if (len == 0 || len > FS_NAME_MAX)
		__builtin_trap(); /* the driver promised checked records */
	if (type < FS_REG || type > FS_OTHER)
		__builtin_trap();
	if (l->count == MAX_ENTRIES)
		return 1;
	struct entry *e = &l->e[l->count++];
	e->ino = ino;
	e->type = type;
	e->len = len;
	memcpy(e->name, name, len);
	e->name[len] = 0;
	return 0;
}

static void visit_file(struct fs *fs, uint64_t ino, uint64_t size, uint8_t *buf)
{
	long n = fs->ops->read(fs, ino, 0, buf, READ_BYTES);
	if (n > READ_BYTES || (n >= 0 && (uint64_t)n != MIN(size, (uint64_t)READ_BYTES)))
		__builtin_trap();
	if (size > READ_BYTES) {
		n = fs->ops->read(fs, ino, size - READ_BYTES / 2, buf, READ_BYTES);
		if (n > READ_BYTES / 2)
			__builtin_trap();
	}
}

static void walk(struct fs *fs)
{
	static uint64_t queue[MAX_INODES];
	static struct listing list;
	static uint8_t buf[READ_BYTES];
	static char target[FS_PATH_MAX];
	unsigned head = 0, tail = 0, visited = 0;
	uint64_t root;

	if (fs->ops->root(fs, &root))
		return;
	queue[tail++] = root;
	while (head < tail && visited < MAX_INODES) {
		uint64_t dir = queue[head++];
		list.count = 0;
		if (fs->ops->readdir(fs, dir, keep, &list) < 0)
			continue;
		for (unsigned i = 0; i < list.count && visited < MAX_INODES; i++, visited++) {
			struct entry *e = &list.e[i];
			uint64_t again;
			if (fs->ops->lookup(fs, dir, e->name, e->len, &again) == 0 && again == 0)
				__builtin_trap();
			struct fs_stat st;
			if (fs->ops->stat(fs, e->ino, &st))
				continue;
			switch (st.type) {
			case FS_REG:
				visit_file(fs, e->ino, st.size, buf);
				break;
			case FS_SYMLINK:
				/* Targets may hold NULs; never more than the size. */
				if (fs->ops->readlink(fs, e->ino, target, sizeof(target)) == 0 &&
				    strnlen(target, sizeof(target)) > st.size)
					__builtin_trap();
				break;
			case FS_DIR:
				if (tail < MAX_INODES)
					queue[tail++] = e->ino;
				break;
			default:
				break;
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t disk = ALIGN_UP(MAX(size, (size_t)MIN_DISK), 512);
	struct memdisk m = { 0 };
	m.bytes = calloc(1, disk);
	if (!m.bytes)
		return 0;
	memcpy(m.bytes, data, size);
	strcpy(m.dev.name, "fuzz");
	m.dev.sector_size = 512;
	m.dev.nr_sectors = disk / 512;
	m.dev.read = mem_read;
	m.dev.priv = &m;

	struct volume v;
	struct fs *fs;
	volume_of_disk(&m.dev, &v);
	if (ext4_ops.mount(&v, &fs) == 0) {
		fs->ops = &ext4_ops;
		fs->vol = &v;
		char uuid[48], label[64];
		fs->ops->ids(fs, uuid, sizeof(uuid), label, sizeof(label));
		walk(fs);
		fs->ops->unmount(fs);
	}
	free(m.dev.cache);
	free(m.bytes);
	return 0;
}
