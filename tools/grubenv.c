/* SPDX-License-Identifier: MIT */
/* GRUB environment blocks rewritten in place on the host (tools/grubenv.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grubenv.h"

static int pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	ssize_t n;
	do
		n = pwrite(fd, buf, len, off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int grubenv_rewrite_file(const char *path, const char *key, const char *value)
{
	char block[GRUBENV_SIZE];
	struct stat st;
	int rc;

	/* No O_CREAT, no O_TRUNC: only an existing file, keeping its blocks. */
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size != GRUBENV_SIZE) {
		rc = -EINVAL;
		goto out;
	}
	/* A hole would be allocated by the write. */
	if ((uint64_t)st.st_blocks * 512 < GRUBENV_SIZE) {
		rc = -ENOSPC;
		goto out;
	}
	if (pread(fd, block, sizeof(block), 0) != (ssize_t)sizeof(block)) {
		rc = -EIO;
		goto out;
	}
	if ((rc = grubenv_edit(block, key, value)) != 0)
		goto out;
	if ((rc = pwrite_all(fd, block, sizeof(block), 0)) != 0)
		goto out;
	if (fdatasync(fd) < 0) {
		rc = -errno;
		goto out;
	}
	/* The block changed, the file did not: keep its times as they were. */
	struct timespec times[2] = { st.st_atim, st.st_mtim };
	futimens(fd, times);
out:
	close(fd);
	return rc;
}

int grubenv_rewrite_image(const char *image, uint64_t offset, uint64_t size, const char *old,
			  const char *key, const char *value)
{
	char block[GRUBENV_SIZE];
	enum { CHUNK = 1 << 20 };
	uint64_t found = 0, at = 0;
	int rc = 0;

	memcpy(block, old, GRUBENV_SIZE);
	if ((rc = grubenv_edit(block, key, value)) != 0)
		return rc;
	int fd = open(image, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Chunks overlap by one block so a match across their border is seen. */
	char *buf = malloc(CHUNK + GRUBENV_SIZE);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (uint64_t pos = 0; pos < size; pos += CHUNK) {
		uint64_t want = size - pos < CHUNK + GRUBENV_SIZE ? size - pos : CHUNK + GRUBENV_SIZE;
		ssize_t got = pread(fd, buf, want, (off_t)(offset + pos));
		if (got < 0) {
			rc = -errno;
			goto out;
		}
		for (uint64_t i = 0; i + GRUBENV_SIZE <= (uint64_t)got && i < CHUNK; i += 512)
			if (!memcmp(buf + i, old, GRUBENV_SIZE)) {
				found++;
				at = offset + pos + i;
			}
	}
	if (found != 1) {
		rc = found ? -EEXIST : -ENOENT;
		goto out;
	}
	if ((rc = pwrite_all(fd, block, sizeof(block), (off_t)at)) == 0 && fdatasync(fd) < 0)
		rc = -errno;
out:
	free(buf);
	close(fd);
	return rc;
}
