/* SPDX-License-Identifier: MIT */
#include "../core/errno.h"
#include "blockcache.h"

/*
 * The cache: a few read-ahead windows per device, aligned, least recently
 * used goes first. A filesystem's metadata lives in several places at once
 * (ext4's group descriptors, an inode table, a directory's blocks), and a
 * single window re-read 128 KiB at every turn between them: 158 requests
 * and 20 MiB to find one menu entry. Reads of a window or more bypass it.
 */
#define WINDOWS 16

struct blockcache {
	struct {
		uint64_t lba;          /* first sector, a multiple of the window */
		uint64_t count;        /* valid sectors, 0 if the window is empty */
		uint64_t last_use;
	} win[WINDOWS];
	uint64_t clock;
	uint8_t data[WINDOWS][BLOCKCACHE_WINDOW_BYTES];
};

static struct blockdev_stats stats;

/* Every request to a device goes through here, to be counted. */
int blockdev_request(struct blockdev *d, uint64_t lba, uint64_t count, void *buf)
{
	stats.requests++;
	stats.bytes += count * d->sector_size;
	return d->read(d, lba, count, buf);
}

struct blockdev_stats blockdev_stats(void)
{
	return stats;
}

/* The cached window holding sector @lba, read in if need be. */
static int cache_window(struct blockdev *d, uint64_t lba, unsigned *slot)
{
	struct blockcache *c = d->cache;
	if (!c && !(c = d->cache = calloc(1, sizeof(*c))))
		return -ENOMEM;
	uint64_t per = BLOCKCACHE_WINDOW_BYTES / d->sector_size;
	uint64_t first = lba - lba % per;
	unsigned victim = 0;
	for (unsigned i = 0; i < WINDOWS; i++) {
		if (c->win[i].count && c->win[i].lba == first) {
			c->win[i].last_use = ++c->clock;
			*slot = i;
			return 0;
		}
		if (c->win[i].last_use < c->win[victim].last_use)
			victim = i;
	}
	uint64_t count = MIN(per, d->nr_sectors - first);
	c->win[victim].count = 0;
	int rc = blockdev_request(d, first, count, c->data[victim]);
	if (rc)
		return rc;
	c->win[victim].lba = first;
	c->win[victim].count = count;
	c->win[victim].last_use = ++c->clock;
	*slot = victim;
	return 0;
}

void blockdev_cache_forget(struct blockdev *d, uint64_t lba, uint64_t count)
{
	struct blockcache *c = d->cache;
	for (unsigned i = 0; c && i < WINDOWS; i++)
		if (c->win[i].count && lba < c->win[i].lba + c->win[i].count &&
		    (c->win[i].lba < lba || c->win[i].lba - lba < count))
			c->win[i].count = 0;
}

int blockcache_read(struct blockdev *d, uint64_t pos, uint8_t *buf, size_t len)
{
	while (len) {
		unsigned slot;
		int rc = cache_window(d, pos / d->sector_size, &slot);
		if (rc)
			return rc;
		struct blockcache *c = d->cache;
		uint64_t in = pos - c->win[slot].lba * d->sector_size;
		uint64_t have = c->win[slot].count * d->sector_size;
		if (in >= have)
			return -EINVAL; /* past the device's end */
		size_t n = (size_t)MIN((uint64_t)len, have - in);
		memcpy(buf, c->data[slot] + in, n);
		buf += n;
		pos += n;
		len -= n;
	}
	return 0;
}
