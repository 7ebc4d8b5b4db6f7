/* SPDX-License-Identifier: MIT */
/*
 * The loader's only write path to a disk (fs/blockdev.h): whole sectors,
 * each write read back from the device and compared, and one switch for
 * the session that the first failure turns off.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "blockdev.h"
/*
 * The session's one switch for writes: off by the loader option or config
 * key, and off for good after the first failure, so a disk that lied once
 * is never written again (docs/config.md, "Writes").
 */
static const char *writes_off_why;

void blockdev_writes_off(const char *why)
{
	if (!writes_off_why)
		writes_off_why = why;
}

bool blockdev_writes_allowed(void)
{
	return !writes_off_why;
}

static int write_failed(struct blockdev *d, int rc, const char *what, uint64_t lba)
{
	blockdev_writes_off("a write failed");
	return log_err(rc, "%s: %s at sector %lu; no more writes this boot", d->name, what,
		       (unsigned long)lba);
}

int volume_write_verified(struct volume *v, uint64_t offset, const void *buf, size_t len)
{
	struct blockdev *d = v->dev;
	uint32_t ss = d->sector_size;

	if (writes_off_why)
		return log_err(-EROFS, "%s: not written: %s", v->name, writes_off_why);
	if (d->read_only || !d->write)
		return log_err(-EROFS, "%s: not written: the device is read-only", v->name);
	if (!len || !range_ok(offset, len, v->size) || offset % ss || len % ss ||
	    v->offset % ss)
		return -EINVAL;
	uint64_t lba = (v->offset + offset) / ss, count = len / ss;
	uint8_t *back = malloc(len);
	if (!back)
		return -ENOMEM;
	blockdev_cache_forget(d, lba, count);
	int rc = d->write(d, lba, count, buf);
	if (rc) {
		rc = write_failed(d, rc, "write error", lba);
		goto out;
	}
	/* Straight from the device, not the cache: what the medium now holds. */
	if ((rc = d->read(d, lba, count, back)) != 0) {
		rc = write_failed(d, rc, "cannot read back the write", lba);
		goto out;
	}
	if (memcmp(back, buf, len))
		rc = write_failed(d, -EIO, "read back differs from what was written", lba);
out:
	free(back);
	return rc;
}
