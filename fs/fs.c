/* SPDX-License-Identifier: MIT */
/*
 * Filesystem dispatch and path resolution, common to every driver.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "fs.h"
#include "progress.h"

extern const struct fs_ops ext4_ops, xfs_ops, fat_ops, iso9660_ops, btrfs_ops;

/* btrfs last: its superblock mirrors at 64 MiB and 256 GiB can outlive a
 * reformat, so any other filesystem found on the volume wins. */
static const struct fs_ops *const drivers[] = {
	&ext4_ops,
	&xfs_ops,
	&fat_ops,
	&iso9660_ops,
	&btrfs_ops,
};

int fs_corrupt(const struct volume *v, const char *fsname, const char *fmt, ...)
{
	char why[160];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return log_err(-EUCLEAN, "%s: %s: %s", v->name, fsname, why);
}

int fs_mount(struct volume *v, struct fs **out)
{
	for (unsigned i = 0; i < ARRAY_SIZE(drivers); i++) {
		int rc = drivers[i]->mount(v, out);
		if (rc == -ENODEV)
			continue;
		if (rc)
			return log_err(rc, "%s: %s filesystem cannot be mounted", v->name,
				       drivers[i]->name);
		(*out)->ops = drivers[i];
		(*out)->vol = v;
		return 0;
	}
	return -ENODEV;
}

/*
 * Walk @path from @dir; symlinks restart from the root (absolute targets) or
 * from the directory holding them, with a shared depth budget.
 */
static int walk(struct fs *fs, uint64_t dir, const char *path, unsigned *links, uint64_t *ino)
{
	uint64_t cur = dir;
	const char *p = path;

	if (*p == '/') {
		int rc = fs->ops->root(fs, &cur);
		if (rc)
			return rc;
	}
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *end = p;
		while (*end && *end != '/')
			end++;
		size_t len = (size_t)(end - p);
		if (len > FS_NAME_MAX)
			return -ENAMETOOLONG;
		if (len == 1 && p[0] == '.') {
			p = end;
			continue;
		}
		struct fs_stat st;
		int rc = fs->ops->stat(fs, cur, &st);
		if (rc)
			return rc;
		if (st.type != FS_DIR)
			return -ENOTDIR;
		uint64_t next;
		rc = fs->ops->lookup(fs, cur, p, len, &next);
		if (rc)
			return rc;
		rc = fs->ops->stat(fs, next, &st);
		if (rc)
			return rc;
		if (st.type == FS_SYMLINK && fs->ops->readlink) {
			if (++*links > FS_SYMLINK_DEPTH)
				return -ELOOP;
			char *target = malloc(FS_PATH_MAX);
			if (!target)
				return -ENOMEM;
			rc = fs->ops->readlink(fs, next, target, FS_PATH_MAX);
			if (!rc)
				rc = walk(fs, cur, target, links, &next);
			free(target);
			if (rc)
				return rc;
		}
		cur = next;
		p = end;
	}
	*ino = cur;
	return 0;
}

int fs_resolve(struct fs *fs, const char *path, uint64_t *ino)
{
	unsigned links = 0;
	uint64_t root;
	int rc = -ENOENT;
	if (fs->ops->path_root)
		rc = fs->ops->path_root(fs, &path, &root);
	if (rc == -ENOENT)
		rc = fs->ops->root(fs, &root);
	if (rc)
		return rc;
	return walk(fs, root, path, &links, ino);
}

/* Reads of this size keep the device's queue full and the progress bar live. */
#define READ_STEP (8u << 20)

int fs_read_file(struct fs *fs, const char *path, size_t max, void **out, size_t *size)
{
	uint64_t ino;
	struct fs_stat st;
	int rc = fs_resolve(fs, path, &ino);
	if (!rc)
		rc = fs->ops->stat(fs, ino, &st);
	if (rc)
		return rc;
	if (st.type == FS_DIR)
		return -EISDIR;
	if (st.type != FS_REG)
		return -EINVAL;
	if (st.size > max)
		return -EFBIG;

	uint8_t *buf = malloc(st.size ? st.size : 1);
	if (!buf)
		return -ENOMEM;
	struct progress pr;
	progress_start(&pr, path, st.size);
	uint64_t off = 0;
	while (off < st.size) {
		size_t want = (size_t)MIN((uint64_t)READ_STEP, st.size - off);
		long n = fs->ops->read(fs, ino, off, buf + off, want);
		if (n < 0) {
			free(buf);
			progress_end(&pr, false);
			return (int)n;
		}
		if (n == 0)
			break; /* the file shrank under us: the inode lied */
		off += (uint64_t)n;
		progress_update(&pr, off);
	}
	progress_end(&pr, off == st.size);
	if (off != st.size) {
		free(buf);
		return -EIO;
	}
	*out = buf;
	*size = (size_t)st.size;
	return 0;
}
