/* SPDX-License-Identifier: MIT */
/*
 * What the filesystem tests share: where the tests/images scripts left
 * the images (and the host trees they were made from), and a byte-for-byte
 * comparison of a file on an image with its host original.
 */
#ifndef PVHBOOT_TESTS_UNIT_FS_TREE_H
#define PVHBOOT_TESTS_UNIT_FS_TREE_H

#include <fcntl.h>
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

#endif
