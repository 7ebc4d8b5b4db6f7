/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/lib.h"
#include "hostfile.h"

struct hostfile {
	struct blockdev dev;
	int fd;
};

static int hostfile_read(struct blockdev *d, uint64_t lba, uint64_t count, void *buf)
{
	struct hostfile *h = d->priv;
	if (lba > d->nr_sectors || count > d->nr_sectors - lba)
		return -EINVAL;
	uint8_t *p = buf;
	uint64_t len = count * d->sector_size;
	off_t off = (off_t)(lba * d->sector_size);
	while (len) {
		ssize_t n = pread(h->fd, p, len > (1u << 30) ? (1u << 30) : len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		p += n;
		off += n;
		len -= (uint64_t)n;
	}
	return 0;
}

int hostfile_open(const char *path, uint32_t sector_size, struct blockdev **out)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	struct hostfile *h = calloc(1, sizeof(*h));
	if (!h) {
		close(fd);
		return -ENOMEM;
	}
	h->fd = fd;
	snprintf(h->dev.name, sizeof(h->dev.name), "file");
	h->dev.sector_size = sector_size;
	h->dev.nr_sectors = (uint64_t)st.st_size / sector_size;
	h->dev.read_only = true;
	h->dev.read = hostfile_read;
	h->dev.priv = h;
	*out = &h->dev;
	return 0;
}

void hostfile_close(struct blockdev *dev)
{
	struct hostfile *h = dev->priv;
	close(h->fd);
	free(dev->cache);
	free(h);
}
