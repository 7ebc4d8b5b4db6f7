/* SPDX-License-Identifier: MIT */
#include "../core/errno.h"
#include "blockdev.h"

/* Read-ahead window: one request of this size serves many small
 * metadata reads. Larger reads bypass it. */
#define CACHE_BYTES (128u << 10)

static struct blockdev *devices[BLOCKDEV_MAX];
static unsigned nr_devices;

int blockdev_register(struct blockdev *dev)
{
	if (nr_devices >= BLOCKDEV_MAX)
		return -ENOSPC;
	if (!IS_POW2(dev->sector_size) || dev->sector_size < 512 || dev->sector_size > CACHE_BYTES)
		return -EINVAL;
	dev->cache_count = 0;
	devices[nr_devices++] = dev;
	return 0;
}

unsigned blockdev_count(void)
{
	return nr_devices;
}

struct blockdev *blockdev_get(unsigned index)
{
	return index < nr_devices ? devices[index] : NULL;
}

void volume_of_disk(struct blockdev *dev, struct volume *out)
{
	memset(out, 0, sizeof(*out));
	out->dev = dev;
	out->size = dev->nr_sectors * dev->sector_size;
	out->kind = VOLUME_DISK;
	fmt_snprintf(out->name, sizeof(out->name), "%s", dev->name);
}

/* Make sure sector @lba is in the cache, reading a window from it on. */
static int cache_fill(struct blockdev *d, uint64_t lba)
{
	if (d->cache_count && lba >= d->cache_lba && lba - d->cache_lba < d->cache_count)
		return 0;
	if (!d->cache) {
		d->cache = malloc(CACHE_BYTES);
		if (!d->cache)
			return -ENOMEM;
	}
	uint64_t count = MIN((uint64_t)(CACHE_BYTES / d->sector_size), d->nr_sectors - lba);
	d->cache_count = 0;
	int rc = d->read(d, lba, count, d->cache);
	if (rc)
		return rc;
	d->cache_lba = lba;
	d->cache_count = count;
	return 0;
}

static int read_cached(struct blockdev *d, uint64_t pos, uint8_t *buf, size_t len)
{
	while (len) {
		uint64_t lba = pos / d->sector_size;
		int rc = cache_fill(d, lba);
		if (rc)
			return rc;
		uint64_t in = pos - d->cache_lba * d->sector_size;
		size_t n = (size_t)MIN((uint64_t)len, d->cache_count * d->sector_size - in);
		memcpy(buf, d->cache + in, n);
		buf += n;
		pos += n;
		len -= n;
	}
	return 0;
}

int volume_read(struct volume *v, uint64_t offset, void *buf, size_t len)
{
	struct blockdev *d = v->dev;
	uint8_t *out = buf;

	if (!range_ok(offset, len, v->size))
		return -EINVAL;
	uint64_t pos = v->offset + offset;
	uint32_t ss = d->sector_size;

	/* Small reads, and the unaligned head, come from the cache. */
	if (len < CACHE_BYTES)
		return read_cached(d, pos, out, len);
	if (pos % ss) {
		size_t head = ss - pos % ss;
		int rc = read_cached(d, pos, out, head);
		if (rc)
			return rc;
		pos += head;
		out += head;
		len -= head;
	}
	/* The aligned middle goes straight into the caller's buffer. */
	uint64_t sectors = len / ss;
	if (sectors) {
		int rc = d->read(d, pos / ss, sectors, out);
		if (rc)
			return rc;
		pos += sectors * ss;
		out += sectors * ss;
		len -= sectors * ss;
	}
	return len ? read_cached(d, pos, out, len) : 0;
}

