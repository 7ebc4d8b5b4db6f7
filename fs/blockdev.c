/* SPDX-License-Identifier: MIT */
#include "../core/errno.h"
#include "blockcache.h"
#include "blockdev.h"

static struct blockdev *devices[BLOCKDEV_MAX];
static unsigned nr_devices;

int blockdev_register(struct blockdev *dev)
{
	if (nr_devices >= BLOCKDEV_MAX)
		return -ENOSPC;
	if (!IS_POW2(dev->sector_size) || dev->sector_size < 512 ||
	    dev->sector_size > BLOCKCACHE_WINDOW_BYTES)
		return -EINVAL;
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

int volume_read(struct volume *v, uint64_t offset, void *buf, size_t len)
{
	struct blockdev *d = v->dev;
	uint8_t *out = buf;

	if (!range_ok(offset, len, v->size))
		return -EINVAL;
	uint64_t pos = v->offset + offset;
	uint32_t ss = d->sector_size;

	/* Small reads, and the unaligned head, come from the cache. */
	if (len < BLOCKCACHE_WINDOW_BYTES)
		return blockcache_read(d, pos, out, len);
	if (pos % ss) {
		size_t head = ss - pos % ss;
		int rc = blockcache_read(d, pos, out, head);
		if (rc)
			return rc;
		pos += head;
		out += head;
		len -= head;
	}
	/* The aligned middle goes straight into the caller's buffer. */
	uint64_t sectors = len / ss;
	if (sectors) {
		int rc = blockdev_request(d, pos / ss, sectors, out);
		if (rc)
			return rc;
		pos += sectors * ss;
		out += sectors * ss;
		len -= sectors * ss;
	}
	return len ? blockcache_read(d, pos, out, len) : 0;
}

