/* SPDX-License-Identifier: MIT */
/* Replacing a file whole: temporary name, fsync, rename (tools/atomic.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -errno;
	/* vfat and some others refuse fsync on a directory: the rename is done anyway. */
	int rc = fsync(fd) < 0 && errno != EINVAL ? -errno : 0;
	close(fd);
	return rc;
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	size_t n = strlen(path) + sizeof(".tmpXXXXXX");
	char *tmp = malloc(n);
	struct stat st;
	int rc = 0;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, n, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rc = -errno;
		goto out_free;
	}
	if (stat(path, &st) == 0 && fchmod(fd, st.st_mode & 07777) < 0 && errno != EPERM) {
		rc = -errno;
		goto out_unlink;
	}
	if ((rc = write_all(fd, data, len)) != 0)
		goto out_unlink;
	if (fsync(fd) < 0) {
		rc = -errno;
		goto out_unlink;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = -errno;
		goto out_unlink;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		rc = -errno;
		goto out_unlink;
	}
	free(tmp);
	return fsync_dir_of(path);

out_unlink:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out_free:
	free(tmp);
	return rc;
}
