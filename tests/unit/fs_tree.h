/* SPDX-License-Identifier: MIT */
/*
 * What the filesystem tests share: where the tests/images scripts left
 * the images (and the host trees they were made from), a comparison of a
 * mounted tree with its host original, file by file and byte for byte, and
 * the volume ids against blkid's.
 */
#ifndef PVHBOOT_TESTS_UNIT_FS_TREE_H
#define PVHBOOT_TESTS_UNIT_FS_TREE_H

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../fs/fs.h"
#include "test.h"

static const char *images_dir(void)
{
	const char *dir = getenv("PVHBOOT_TEST_IMAGES");
	return dir && *dir ? dir : "build/testimages";
}

static void read_host_file(const char *path, uint8_t **data, size_t *size)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		FAIL("cannot read %.300s", path);
	*size = (size_t)st.st_size;
	*data = malloc(*size + 1);
	CHECK(*data && read(fd, *data, *size) == (ssize_t)*size);
	close(fd);
}

/* Compare file @ino's bytes with the host file, in pieces of odd sizes. */
static void compare_file(struct fs *fs, uint64_t ino, const char *host_path)
{
	uint8_t *want, *got;
	size_t size;
	struct fs_stat st;
	read_host_file(host_path, &want, &size);
	CHECK_EQ_INT(fs->ops->stat(fs, ino, &st), 0);
	CHECK_EQ_INT(st.type, FS_REG);
	if (st.size != size)
		FAIL("%.300s: size %llu, want %zu", host_path, (unsigned long long)st.size, size);
	got = malloc(size + 1);
	size_t off = 0, step = 70001;
	while (off < size) {
		long n = fs->ops->read(fs, ino, off, got + off, step);
		if (n <= 0)
			FAIL("%.300s: read at %zu gave %ld", host_path, off, n);
		off += (size_t)n;
		step = step * 3 % 400000 + 1;
	}
	CHECK_EQ_INT(fs->ops->read(fs, ino, size, got, 10), 0);
	if (memcmp(got, want, size))
		FAIL("%.300s: bytes differ", host_path);
	free(got);
	free(want);
}

struct tree_opts {
	bool modes;           /* Rock Ridge: compare st_mode too */
	const char *extra;    /* one more name the image's root may list */
};

struct listing {
	const char *host_dir;
	const char *extra;
	unsigned count;
};

static int list_check(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type type)
{
	struct listing *l = ctx;
	char path[4096];
	struct stat st;
	if (l->extra && strlen(l->extra) == len && !memcmp(name, l->extra, len))
		return 0;
	snprintf(path, sizeof(path), "%s/%.*s", l->host_dir, (int)len, name);
	if (lstat(path, &st))
		FAIL("readdir gave \"%.*s\", which is not in %.200s", (int)len, name, l->host_dir);
	enum fs_type want = S_ISDIR(st.st_mode) ? FS_DIR : S_ISLNK(st.st_mode) ? FS_SYMLINK : FS_REG;
	if (type != want)
		FAIL("readdir type of %.300s: %d, want %d", path, type, want);
	l->count++;
	return 0;
}

/*
 * Walk the host tree under @host_dir against directory @dir_ino: every
 * entry looked up, typed and compared (files byte for byte, links by
 * target), and readdir listing exactly the host's entries (plus @extra).
 * Returns the files and links compared.
 */
static unsigned compare_tree(struct fs *fs, uint64_t dir_ino, const char *host_dir,
			     const struct tree_opts *o, const char *extra)
{
	DIR *d = opendir(host_dir);
	struct dirent *e;
	unsigned host_entries = 0, files = 0;
	if (!d)
		FAIL("cannot list %.300s", host_dir);
	while ((e = readdir(d))) {
		char path[4096], target[4096], got[FS_PATH_MAX];
		struct stat st;
		struct fs_stat fst;
		uint64_t ino;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		host_entries++;
		snprintf(path, sizeof(path), "%s/%s", host_dir, e->d_name);
		CHECK(lstat(path, &st) == 0);
		int rc = fs->ops->lookup(fs, dir_ino, e->d_name, strlen(e->d_name), &ino);
		if (rc)
			FAIL("lookup \"%.200s\" in %.200s: %d", e->d_name, host_dir, rc);
		CHECK_EQ_INT(fs->ops->stat(fs, ino, &fst), 0);
		if (o->modes && fst.mode != st.st_mode)
			FAIL("%.300s: mode 0%o, want 0%o", path, fst.mode, st.st_mode);
		if (S_ISDIR(st.st_mode)) {
			CHECK_EQ_INT(fst.type, FS_DIR);
			files += compare_tree(fs, ino, path, o, NULL);
		} else if (S_ISLNK(st.st_mode)) {
			ssize_t n = readlink(path, target, sizeof(target) - 1);
			CHECK(n > 0);
			target[n] = 0;
			CHECK_EQ_INT(fst.type, FS_SYMLINK);
			CHECK_EQ_INT(fs->ops->readlink(fs, ino, got, sizeof(got)), 0);
			if (strcmp(got, target))
				FAIL("%.120s: link to \"%.120s\", want \"%.120s\"", path, got, target);
			files++;
		} else {
			compare_file(fs, ino, path);
			files++;
		}
	}
	closedir(d);
	struct listing l = { host_dir, extra, 0 };
	CHECK_EQ_INT(fs->ops->readdir(fs, dir_ino, list_check, &l), 0);
	if (l.count != host_entries)
		FAIL("%.300s: readdir gave %u entries, the tree has %u", host_dir, l.count,
		     host_entries);
	return files;
}

/* The volume's UUID and label against what blkid said (tests/images: DIR/NAME.ids). */
static void check_ids(struct fs *fs, const char *dir, const char *name)
{
	char path[512], line[256], want_uuid[64] = "", want_label[64] = "", uuid[64], label[64];
	snprintf(path, sizeof(path), "%s/%s/%s.ids", images_dir(), dir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		FAIL("cannot read %.300s", path);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "UUID=", 5))
			snprintf(want_uuid, sizeof(want_uuid), "%.60s", line + 5);
		if (!strncmp(line, "LABEL=", 6))
			snprintf(want_label, sizeof(want_label), "%.60s", line + 6);
	}
	fclose(f);
	CHECK(want_uuid[0] && want_label[0]);
	fs->ops->ids(fs, uuid, sizeof(uuid), label, sizeof(label));
	if (strcmp(uuid, want_uuid) || strcmp(label, want_label))
		FAIL("ids \"%s\" \"%s\", blkid says \"%s\" \"%s\"", uuid, label, want_uuid,
		     want_label);
}

#endif
