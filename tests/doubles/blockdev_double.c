/* SPDX-License-Identifier: MIT */
/*
 * The block-device registry for driver tests: the same three functions as
 * fs/blockdev.c, with a reset so that every test case attaches its device
 * to an empty table (fs/blockdev.c has no reset, the loader never needs one).
 */
#include <stdlib.h>

#include "../../core/errno.h"
#include "../../core/time.h"
#include "../../fs/blockdev.h"
#include "doubles.h"

static struct blockdev *devs[BLOCKDEV_MAX];
static unsigned nr_devs;

void blockdev_double_reset(void)
{
	nr_devs = 0;
}

int blockdev_register(struct blockdev *dev)
{
	if (nr_devs >= BLOCKDEV_MAX)
		return -ENOSPC;
	devs[nr_devs++] = dev;
	return 0;
}

unsigned blockdev_count(void)
{
	return nr_devs;
}

struct blockdev *blockdev_get(unsigned index)
{
	return index < nr_devs ? devs[index] : NULL;
}

/* A clock that moves 1 ms each time it is read, so every timeout in the
 * drivers expires after a bounded number of polls and no test sleeps. */
static uint64_t fake_ns;

uint64_t time_ns(void)
{
	return fake_ns += 1000000ull;
}

uint64_t double_clock_ns(void)
{
	return fake_ns;
}

void double_clock_advance_to(uint64_t ns)
{
	if (ns > fake_ns)
		fake_ns = ns;
}

uint8_t *pattern_disk_get(struct pattern_disk *disk, uint64_t sectors)
{
	if (disk->bytes && disk->sectors == sectors && !disk->written)
		return disk->bytes;
	if (!disk->bytes || disk->sectors != sectors) {
		free(disk->bytes);
		disk->bytes = malloc(sectors * 512 + 1);
		disk->sectors = sectors;
	}
	for (uint64_t i = 0; i < sectors * 512; i++)
		disk->bytes[i] = disk_pattern(i);
	disk->written = false;
	return disk->bytes;
}
