/* SPDX-License-Identifier: MIT */
/*
 * What volume_read() (fs/blockdev.c) stands on: every request it makes to a
 * device, counted for the profile, and the read-ahead cache that serves its
 * small reads. blockdev.h has the public side (blockdev_stats(),
 * blockdev_cache_forget()).
 */
#ifndef PVHBOOT_FS_BLOCKCACHE_H
#define PVHBOOT_FS_BLOCKCACHE_H

#include "blockdev.h"

/* Reads of this size or more go to the device, not through the cache. */
#define BLOCKCACHE_WINDOW_BYTES (32u << 10)

/* @count sectors at @lba of @d into @buf: one request to the driver. */
int blockdev_request(struct blockdev *d, uint64_t lba, uint64_t count, void *buf);

/* @len bytes at byte @pos of the device, through the cache. */
int blockcache_read(struct blockdev *d, uint64_t pos, uint8_t *buf, size_t len);

#endif
