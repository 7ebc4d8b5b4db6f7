/* SPDX-License-Identifier: MIT */
/*
 * Block devices and volumes.
 *
 * A driver (virtio-blk, Xen blkfront, EFI BlockIO, or a file on the host)
 * provides a struct blockdev whose read() moves many contiguous sectors in
 * one request straight into the caller's buffer. Everything above works on
 * volumes: byte ranges of a device (the whole disk or one partition) read
 * with volume_read(), which serves small reads from a cache of read-ahead
 * windows and sends large aligned spans directly to the driver, so a 128
 * MiB initrd is read in requests of megabytes, never sector by sector.
 *
 * Writes are rare and narrow (docs/config.md, "Writes"): only
 * volume_write_verified(), whole sectors, each read back and compared; the
 * first error or mismatch turns every later write off for the session.
 */
#ifndef PVHBOOT_FS_BLOCKDEV_H
#define PVHBOOT_FS_BLOCKDEV_H

#include "../core/lib.h"

struct blockdev {
	char name[16];         /* "vda", "xvdb", "efi0", "file" */
	uint32_t sector_size;  /* logical block size, a power of two >= 512 */
	uint64_t nr_sectors;
	bool read_only;
	bool removable;
	/*
	 * read() - @count sectors from @lba into @buf. Drivers split requests
	 * themselves as their queue allows. Returns 0, -EIO (device error),
	 * -ETIMEDOUT (no answer) or -EINVAL (past the end).
	 */
	int (*read)(struct blockdev *dev, uint64_t lba, uint64_t count, void *buf);
	/*
	 * write() - @count sectors from @buf to @lba, on stable storage when it
	 * returns 0 (the driver flushes the device's write cache after it).
	 * NULL when the driver cannot write. Returns 0, -EIO, -ETIMEDOUT,
	 * -EINVAL (past the end) or -EROFS (the device refused it as read-only).
	 */
	int (*write)(struct blockdev *dev, uint64_t lba, uint64_t count, const void *buf);
	void *priv;
	/* Read-ahead cache, owned by blockdev.c (one allocation: free() it
	 * with the device); blockdev_cache_forget() empties it. */
	struct blockcache *cache;
};

/* Documented limit: block devices the loader handles. */
#define BLOCKDEV_MAX 16

/* Register a device; probes nothing. Returns 0 or -ENOSPC. */
int blockdev_register(struct blockdev *dev);
/* What the loader asked of its disks so far (volume_read's requests). */
struct blockdev_stats {
	uint64_t requests, bytes;
};
struct blockdev_stats blockdev_stats(void);
/* Drop what the cache holds of [lba, lba + count): after a write, or a test
 * that changed the device's bytes behind its back (count ~0: everything). */
void blockdev_cache_forget(struct blockdev *dev, uint64_t lba, uint64_t count);
unsigned blockdev_count(void);
struct blockdev *blockdev_get(unsigned index);

enum volume_kind {
	VOLUME_DISK,      /* the whole device */
	VOLUME_MBR,       /* an MBR primary or logical partition */
	VOLUME_GPT,
};

struct volume {
	struct blockdev *dev;
	uint64_t offset;       /* bytes from the start of the device */
	uint64_t size;         /* bytes */
	enum volume_kind kind;
	unsigned index;        /* 1-based partition number, 0 for the disk */
	uint8_t mbr_type;      /* VOLUME_MBR */
	uint8_t part_guid[16]; /* VOLUME_GPT: unique partition GUID */
	uint8_t type_guid[16];
	char part_label[72];   /* VOLUME_GPT: UTF-8 of the UTF-16 name */
	char name[24];         /* "vda", "vda1" */
};

/*
 * volume_read() - @len bytes at byte @offset of the volume. Returns 0,
 * -EINVAL past the end, or the driver's error.
 */
int volume_read(struct volume *v, uint64_t offset, void *buf, size_t len);

/*
 * volume_write_verified() - @len bytes (whole sectors, sector-aligned @offset)
 * from @buf to the volume, then read back past the cache and compared.
 * Refused with -EROFS when writes are off (blockdev_writes_off()), the
 * device is read-only or cannot write; -EINVAL when unaligned or past the
 * end. Any device error or a mismatch (-EIO) turns writes off for good.
 */
int volume_write_verified(struct volume *v, uint64_t offset, const void *buf, size_t len);

/* Turn every later write off; @why is logged once ("writes=off", "a write failed"). */
void blockdev_writes_off(const char *why);
/* Whether writes are still allowed at all (not whether a device can). */
bool blockdev_writes_allowed(void);

/* The whole device as a volume. */
void volume_of_disk(struct blockdev *dev, struct volume *out);

#endif
