/* SPDX-License-Identifier: MIT */
/*
 * Filesystems: read-only drivers behind one interface. A driver's mount()
 * probes a volume without side effects and returns -ENODEV when the volume
 * is not its filesystem; every on-disk number is checked before use, and a
 * corrupt image ends in an error, never a hang (loops are bounded).
 */
#ifndef PVHBOOT_FS_FS_H
#define PVHBOOT_FS_FS_H

#include "blockdev.h"

/* Documented limits. */
#define FS_PATH_MAX 1024
#define FS_NAME_MAX 255
#define FS_SYMLINK_DEPTH 8

enum fs_type {
	FS_REG = 1,
	FS_DIR,
	FS_SYMLINK,
	FS_OTHER,
};

struct fs_stat {
	enum fs_type type;
	uint64_t size;
	uint32_t mode;
	uint64_t ino;
};

struct fs;

/* Bytes of a file as the volume holds them (fs_ops.map). */
struct fs_extent {
	uint64_t file_off;   /* byte of the file */
	uint64_t vol_off;    /* byte of the volume */
	uint64_t len;
};

/* Documented limit: pieces one map() call returns (a grubenv needs 1-2). */
#define FS_MAP_MAX 8

struct fs_ops {
	const char *name; /* "ext4", "xfs", "fat", "iso9660", "btrfs" */
	/* Returns 0 with *out allocated, -ENODEV if not this fs, or an error. */
	int (*mount)(struct volume *v, struct fs **out);
	void (*unmount)(struct fs *fs);
	/*
	 * lookup() - one name inside directory @dir (an inode-like id from a
	 * previous lookup or root()). Returns 0, -ENOENT, -ENOTDIR.
	 */
	int (*root)(struct fs *fs, uint64_t *ino);
	/*
	 * path_root() - optional: a driver's own prefix naming where a path
	 * starts (btrfs: "@/..." is the top-level subvolume). Returns 0 with
	 * *ino the start and *path moved past the prefix, -ENOENT when @path
	 * has no such prefix, or an error.
	 */
	int (*path_root)(struct fs *fs, const char **path, uint64_t *ino);
	int (*lookup)(struct fs *fs, uint64_t dir, const char *name, size_t name_len,
		      uint64_t *ino);
	int (*stat)(struct fs *fs, uint64_t ino, struct fs_stat *st);
	/* Bytes [off, off + len) of a regular file; short only at EOF (returns count). */
	long (*read)(struct fs *fs, uint64_t ino, uint64_t off, void *buf, size_t len);
	/* The target of a symlink, NUL-terminated, at most cap - 1 bytes. */
	int (*readlink)(struct fs *fs, uint64_t ino, char *buf, size_t cap);
	/* Call @fn for every entry of a directory; stops early if fn returns non-zero. */
	int (*readdir)(struct fs *fs, uint64_t dir,
		       int (*fn)(void *ctx, const char *name, size_t name_len, uint64_t ino,
				 enum fs_type type),
		       void *ctx);
	/*
	 * map() - where bytes [off, off + len) of regular file @ino lie on the
	 * volume, for rewriting exactly those bytes in place (no allocation, no
	 * metadata change): at most FS_MAP_MAX pieces into @out, in file order,
	 * *count set. -EOPNOTSUPP, with the reason logged, for data such a
	 * rewrite would corrupt or that is not simply there: inline, compressed,
	 * encrypted or shared data, holes, unwritten extents, a journal that
	 * needs recovery. -EINVAL past the end of the file. NULL: this
	 * filesystem is never written (ISO 9660; btrfs: copy-on-write and
	 * checksummed, so an in-place write is always wrong).
	 */
	int (*map)(struct fs *fs, uint64_t ino, uint64_t off, uint64_t len, struct fs_extent *out,
		   unsigned *count);
	/* Filesystem UUID (as text, lower case) and label, "" if none. */
	void (*ids)(struct fs *fs, char *uuid, size_t uuid_cap, char *label, size_t label_cap);
};

struct fs {
	const struct fs_ops *ops;
	struct volume *vol;
};

/*
 * fs_corrupt() - log "VOLUME: FSNAME: what is wrong" once and return
 * -EUCLEAN: the common end of every on-disk consistency check.
 */
int fs_corrupt(const struct volume *v, const char *fsname, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Try every driver on @v. Returns 0, -ENODEV when none recognises it. */
int fs_mount(struct volume *v, struct fs **out);

/*
 * fs_resolve() - walk an absolute path, following symlinks (at most
 * FS_SYMLINK_DEPTH; -ELOOP beyond), from the driver's root or from where
 * its path_root() prefix says. Returns 0 and sets *ino.
 */
int fs_resolve(struct fs *fs, const char *path, uint64_t *ino);

/*
 * fs_read_file() - the whole of a regular file into a malloc()ed buffer,
 * refusing files larger than @max (-EFBIG). Shows progress for large files.
 */
int fs_read_file(struct fs *fs, const char *path, size_t max, void **out, size_t *size);

#endif
