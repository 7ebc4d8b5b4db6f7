/* SPDX-License-Identifier: MIT */
/* MBR/GPT parsing on arbitrary bytes as a disk of 512-byte sectors. */
#include "../../core/errno.h"
#include "../../fs/partition.h"

static const uint8_t *disk;
static size_t disk_len;

static int mem_read(struct blockdev *d, uint64_t lba, uint64_t count, void *buf)
{
	if (lba > d->nr_sectors || count > d->nr_sectors - lba)
		return -EINVAL;
	memcpy(buf, disk + lba * 512, count * 512);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct volume parts[PART_MAX];
	struct blockdev dev = { .name = "fuzz", .sector_size = 512, .read = mem_read };
	struct volume v;
	unsigned n;

	disk = data;
	disk_len = size;
	dev.nr_sectors = size / 512;
	volume_of_disk(&dev, &v);
	partitions_scan(&v, parts, PART_MAX, &n);
	for (unsigned i = 0; i < n; i++) {
		uint8_t b[16];
		volume_read(&parts[i], 0, b, sizeof(b));
	}
	free(dev.cache);
	return 0;
}
