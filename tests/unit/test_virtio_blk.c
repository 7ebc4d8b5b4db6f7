/* SPDX-License-Identifier: MIT */
/*
 * virtio/blk.c and virtio/transport.c on the host, against a virtio-blk
 * device made of memory (tests/doubles/virtio_double.c). The device first
 * behaves (PCI modern and MMIO), then lies: a queue too short for one
 * request, capabilities shorter than the registers behind them, used.idx
 * running ahead, used.id out of range or not a request, used.len longer
 * than the buffer, error status bytes, silence. Each lie must end in a
 * refusal or an error, never in a read that "succeeds" with the buffer
 * unread, and never in an access outside a window the device declared.
 */
#include <stdio.h>

#include "../../core/errno.h"
#include "../../fs/blockdev.h"
#include "../../virtio/blk.h"
#include "../doubles/doubles.h"
#include "test.h"

/* A driver keeps its device for the loader's lifetime: no leak checks. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

static uint8_t buf[4u << 20];

static int attach(struct blockdev **out)
{
	struct virtio_dev vio;
	blockdev_double_reset();
	*out = NULL;
	int rc = vdouble_probe(&vio);
	if (rc)
		return rc;
	rc = virtio_blk_attach(&vio, "vda");
	if (!rc)
		*out = blockdev_get(0);
	return rc;
}

static bool pattern_ok(uint64_t lba, uint64_t count)
{
	for (uint64_t i = 0; i < count * 512; i++)
		if (buf[i] != disk_pattern(lba * 512 + i))
			return false;
	return true;
}

#define CHECK_CLEAN()                                                                  \
	do {                                                                           \
		if (vdev.violations)                                                   \
			FAIL("%u register accesses outside the device's windows, first: %s", \
			     vdev.violations, vdev.violation);                         \
		if (vdev.driver_errors)                                                \
			FAIL("driver error: %s", vdev.driver_error);                   \
	} while (0)

static void read_all(enum virtio_kind kind)
{
	struct blockdev *dev;
	vdouble_reset(kind, 8192);
	CHECK_EQ_INT(attach(&dev), 0);
	CHECK_EQ_U64(dev->nr_sectors, 8192);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ_INT(dev->read(dev, 5, 7000, buf), 0);
	CHECK(pattern_ok(5, 7000));
	CHECK_EQ_INT(dev->read(dev, 8191, 1, buf), 0);
	CHECK(pattern_ok(8191, 1));
	CHECK_EQ_INT(dev->read(dev, 8191, 2, buf), -EINVAL);
	CHECK_CLEAN();
}

TEST(reads_pci_modern) { read_all(VIRTIO_PCI_MODERN); }
TEST(reads_mmio) { read_all(VIRTIO_MMIO); }

TEST(reads_with_small_segments)
{
	struct blockdev *dev;
	vdouble_reset(VIRTIO_PCI_MODERN, 4096);
	vdev.cfg.size_max = 4096;
	vdev.cfg.seg_max = 3;
	CHECK_EQ_INT(attach(&dev), 0);
	CHECK_EQ_INT(dev->read(dev, 1, 4000, buf), 0);
	CHECK(pattern_ok(1, 4000));
	CHECK_CLEAN();
}

/* Found by fuzz_virtio_blk: a size_max under a page was exceeded, and a
 * block larger than a request made every request empty, forever. */
TEST(odd_limits_refused_or_read)
{
	static const struct { uint32_t size_max, seg_max, blk_size; } cases[] = {
		{ 100, 4, 512 }, { 1000, 4, 512 }, { 4096, 1, 1u << 20 }, { 512, 1, 4096 },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct blockdev *dev;
		vdouble_reset(VIRTIO_PCI_MODERN, 4096);
		vdev.cfg.size_max = cases[i].size_max;
		vdev.cfg.seg_max = cases[i].seg_max;
		vdev.cfg.blk_size = cases[i].blk_size;
		if (!attach(&dev)) {
			uint64_t count = 65536 / dev->sector_size;
			memset(buf, 0, sizeof(buf));
			CHECK_EQ_INT(dev->read(dev, 0, count, buf), 0);
			CHECK(pattern_ok(0, count * dev->sector_size / 512));
		}
		CHECK_CLEAN();
	}
}

/* Finding: a queue too short for one request made reads return 0 unread. */
TEST(short_queue_refused_or_reads)
{
	static const uint16_t sizes[] = { 1, 2, 4, 8, 16, 32 };
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (int seg_max = 0; seg_max < 2; seg_max++) {
			struct blockdev *dev;
			vdouble_reset(VIRTIO_PCI_MODERN, 4096);
			vdev.queue_max = sizes[i];
			if (!seg_max)
				vdev.features &= ~(1ull << VIRTIO_BLK_F_SEG_MAX);
			if (attach(&dev))
				continue; /* refused: fine */
			memset(buf, 0, sizeof(buf));
			int rc = dev->read(dev, 0, 4096, buf);
			if (rc == 0 && !pattern_ok(0, 4096))
				FAIL("queue size %u (seg_max %s): read returned 0, buffer unread",
				     sizes[i], seg_max ? "on" : "off");
			CHECK_EQ_INT(rc, 0);
			CHECK_CLEAN();
		}
	}
}

TEST(short_queue_refused_legacy)
{
	struct blockdev *dev;
	vdouble_reset(VIRTIO_PCI_LEGACY, 64);
	vdev.queue_max = 2;
	CHECK(attach(&dev) != 0);
	CHECK_EQ_U64(blockdev_count(), 0);
	CHECK_CLEAN();
}

/* Finding: capability lengths did not bound the accesses behind them. */
TEST(short_common_cap_refused)
{
	struct blockdev *dev;
	vdouble_reset(VIRTIO_PCI_MODERN, 64);
	vdev.common_len = 20; /* ends before device_status */
	CHECK(attach(&dev) != 0);
	CHECK_CLEAN();
}

TEST(short_device_cap_bounded)
{
	struct blockdev *dev;
	vdouble_reset(VIRTIO_PCI_MODERN, 64);
	vdev.device_len = 8; /* capacity only */
	int rc = attach(&dev);
	CHECK_CLEAN();
	if (!rc) {
		CHECK_EQ_U64(dev->nr_sectors, 64);
		CHECK_EQ_INT(dev->read(dev, 0, 64, buf), 0);
		CHECK(pattern_ok(0, 64));
	}
}

/* A modern device whose notify capability says @off * @mult within @len. */
static int attach_notify(uint16_t off, uint32_t mult, uint32_t len, struct blockdev **dev)
{
	vdouble_reset(VIRTIO_PCI_MODERN, 64);
	vdev.notify_off = off;
	vdev.notify_mult = mult;
	vdev.notify_len = len;
	return attach(dev);
}

TEST(notify_outside_cap_refused)
{
	static const struct { uint16_t off; uint32_t mult, len; } cases[] = {
		{ 1, 4, 4 }, { 3, 4, 12 }, { 0xffff, 0xffffffffu, 0x1000 }, { 0, 0, 1 },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct blockdev *dev;
		if (!attach_notify(cases[i].off, cases[i].mult, cases[i].len, &dev))
			CHECK(dev->read(dev, 0, 8, buf) != 0 || pattern_ok(0, 8));
		CHECK_CLEAN();
	}
}

/* Finding (fuzz_virtio_blk, once the double reset in microseconds): a
 * capability longer than its BAR was trusted, and a notify offset inside
 * the capability but 220 KiB past the 16 KiB BAR was written to. */
TEST(cap_past_its_bar_refused)
{
	static const struct { uint16_t off; uint32_t mult, len; } cases[] = {
		{ 0x125, 0x300, 0x01250004 }, { 1, 0x1000, 0x2000 }, { 0, 4, 0x1001 },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct blockdev *dev;
		CHECK(attach_notify(cases[i].off, cases[i].mult, cases[i].len, &dev) != 0);
		CHECK_CLEAN();
	}
	vdouble_reset(VIRTIO_PCI_MODERN, 64);
	vdev.device_len = 0x1001 + 0x2000; /* device config runs past the BAR's end */
	struct blockdev *dev;
	CHECK(attach(&dev) != 0);
	CHECK_CLEAN();
}

/* Finding: used ring contents were trusted. */
static int read_with_fault(void (*fault)(void), uint64_t count)
{
	struct blockdev *dev;
	vdouble_reset(VIRTIO_PCI_MODERN, 4096);
	if (attach(&dev))
		FAIL("attach failed");
	fault();
	memset(buf, 0, sizeof(buf));
	int rc = dev->read(dev, 0, count, buf);
	CHECK_CLEAN();
	return rc;
}

static void skip_ahead(void) { vdev.used_skip = 100; }
static void id_far(void) { vdev.bad_id = true; vdev.bad_id_value = 100000; }
static void id_mid_chain(void) { vdev.bad_id = true; vdev.bad_id_value = 1; }
static void len_long(void) { vdev.len_extra = 4096; }
static void st_ioerr(void) { vdev.set_status = true; vdev.status_value = VIRTIO_BLK_S_IOERR; }
static void st_unsupp(void) { vdev.set_status = true; vdev.status_value = VIRTIO_BLK_S_UNSUPP; }
static void st_junk(void) { vdev.set_status = true; vdev.status_value = 0x7f; }
static void st_none(void) { vdev.leave_status = true; }

TEST(used_idx_ahead_is_error) { CHECK_EQ_INT(read_with_fault(skip_ahead, 8), -EIO); }
TEST(used_id_out_of_range_is_error) { CHECK_EQ_INT(read_with_fault(id_far, 8), -EIO); }
TEST(used_id_not_a_head_is_error) { CHECK_EQ_INT(read_with_fault(id_mid_chain, 8), -EIO); }
TEST(used_len_beyond_buffer_is_error) { CHECK_EQ_INT(read_with_fault(len_long, 8), -EIO); }

TEST(status_errors)
{
	CHECK_EQ_INT(read_with_fault(st_ioerr, 8), -EIO);
	CHECK_EQ_INT(read_with_fault(st_unsupp, 8), -EIO);
	CHECK_EQ_INT(read_with_fault(st_junk, 8), -EIO);
	CHECK_EQ_INT(read_with_fault(st_none, 8), -EIO);
}

/* After a timeout or a protocol error the ring state is unknown: later
 * reads must fail, not return 0 with slots that never free. */
TEST(broken_device_stays_broken)
{
	struct blockdev *dev;
	vdouble_reset(VIRTIO_PCI_MODERN, 8192);
	CHECK_EQ_INT(attach(&dev), 0);
	vdev.silent = true;
	CHECK_EQ_INT(dev->read(dev, 0, 8192, buf), -ETIMEDOUT);
	vdev.silent = false;
	memset(buf, 0, sizeof(buf));
	int rc = dev->read(dev, 0, 8, buf);
	if (rc == 0 && !pattern_ok(0, 8))
		FAIL("read after a timeout returned 0, buffer unread");
	CHECK_EQ_INT(rc, -EIO);

	vdouble_reset(VIRTIO_PCI_MODERN, 64);
	CHECK_EQ_INT(attach(&dev), 0);
	vdev.used_skip = 50;
	CHECK(dev->read(dev, 0, 8, buf) != 0);
	vdev.used_skip = 0;
	unsigned before = vdev.notifies;
	CHECK_EQ_INT(dev->read(dev, 0, 8, buf), -EIO);
	CHECK_EQ_INT(vdev.notifies, before);
	CHECK_CLEAN();
}

/* ---- Writes (issue 12): T_OUT, then FLUSH when the device caches ---- */

static struct volume write_vol(struct blockdev *dev)
{
	/* volume_of_disk() is fs/blockdev.c's, which the double replaces. */
	struct volume v = { .dev = dev, .size = dev->nr_sectors * dev->sector_size };
	memcpy(v.name, "vda", 4);
	return v;
}

TEST(write_then_flush_then_read_back)
{
	struct blockdev *dev;
	static uint8_t data[1024];
	vdouble_reset(VIRTIO_PCI_MODERN, 4096);
	vdev.features |= 1ull << VIRTIO_BLK_F_FLUSH;
	CHECK_EQ_INT(attach(&dev), 0);
	CHECK(dev->write != NULL);
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	struct volume v = write_vol(dev);
	CHECK_EQ_INT(volume_write_verified(&v, 10 * 512, data, sizeof(data)), 0);
	CHECK(!memcmp(vdev.disk + 10 * 512, data, sizeof(data)));
	/* Only those two sectors changed. */
	for (uint64_t i = 0; i < 4096 * 512; i++)
		if ((i < 10 * 512 || i >= 12 * 512) && vdev.disk[i] != disk_pattern(i))
			FAIL("byte %lu changed", (unsigned long)i);
	CHECK_EQ_INT(vdev.writes, 1);
	CHECK_EQ_INT(vdev.flushes, 1);
	CHECK(!vdev.unflushed);
	CHECK_CLEAN();
}

TEST(write_without_flush_feature_sends_no_flush)
{
	struct blockdev *dev;
	static uint8_t data[512];
	vdouble_reset(VIRTIO_MMIO, 4096);
	CHECK_EQ_INT(attach(&dev), 0);
	memset(data, 0x5a, sizeof(data));
	CHECK_EQ_INT(dev->write(dev, 3, 1, data), 0);
	CHECK_EQ_INT(vdev.flushes, 0);
	CHECK(!memcmp(vdev.disk + 3 * 512, data, sizeof(data)));
	CHECK_CLEAN();
}

TEST(read_only_device_never_written)
{
	struct blockdev *dev;
	static uint8_t data[512];
	vdouble_reset(VIRTIO_PCI_MODERN, 4096);
	vdev.features |= 1ull << VIRTIO_BLK_F_RO;
	CHECK_EQ_INT(attach(&dev), 0);
	CHECK(dev->read_only);
	struct volume v = write_vol(dev);
	CHECK_EQ_INT(volume_write_verified(&v, 0, data, sizeof(data)), -EROFS);
	CHECK_EQ_INT(dev->write(dev, 0, 1, data), -EROFS);
	CHECK_EQ_INT(vdev.writes, 0);
	CHECK_CLEAN();
}

/* The session switch (fs/blockdev.c) is global: one test turns it off for good. */
TEST(write_error_then_lost_write_then_no_more_writes)
{
	struct blockdev *dev;
	static uint8_t data[512];
	vdouble_reset(VIRTIO_PCI_MODERN, 4096);
	vdev.features |= 1ull << VIRTIO_BLK_F_FLUSH;
	CHECK_EQ_INT(attach(&dev), 0);
	memset(data, 0xa5, sizeof(data));
	vdev.write_error = true;
	CHECK_EQ_INT(dev->write(dev, 7, 1, data), -EIO);
	CHECK(vdev.disk[7 * 512] == disk_pattern(7 * 512));
	/* A cache that says OK and keeps nothing: the read-back catches it. */
	vdev.write_error = false;
	vdev.write_lost = true;
	CHECK(blockdev_writes_allowed());
	struct volume v = write_vol(dev);
	CHECK_EQ_INT(volume_write_verified(&v, 7 * 512, data, sizeof(data)), -EIO);
	CHECK(!blockdev_writes_allowed());
	/* From now on nothing reaches the device, even a good one. */
	vdev.write_lost = false;
	unsigned before = vdev.writes;
	CHECK_EQ_INT(volume_write_verified(&v, 8 * 512, data, sizeof(data)), -EROFS);
	CHECK_EQ_INT(vdev.writes, before);
	CHECK_CLEAN();
}

TEST(unaligned_write_refused)
{
	struct blockdev *dev;
	static uint8_t data[1024];
	vdouble_reset(VIRTIO_PCI_MODERN, 4096);
	CHECK_EQ_INT(attach(&dev), 0);
	struct volume v = write_vol(dev);
	CHECK_EQ_INT(volume_write_verified(&v, 100, data, 512), -EINVAL);
	CHECK_EQ_INT(volume_write_verified(&v, 512, data, 100), -EINVAL);
	CHECK_EQ_INT(volume_write_verified(&v, 4095 * 512, data, 1024), -EINVAL);
	CHECK_EQ_INT(vdev.writes, 0);
}

int main(void)
{
	RUN(reads_pci_modern);
	RUN(reads_mmio);
	RUN(reads_with_small_segments);
	RUN(odd_limits_refused_or_read);
	RUN(short_queue_refused_or_reads);
	RUN(short_queue_refused_legacy);
	RUN(short_common_cap_refused);
	RUN(short_device_cap_bounded);
	RUN(notify_outside_cap_refused);
	RUN(cap_past_its_bar_refused);
	RUN(used_idx_ahead_is_error);
	RUN(used_id_out_of_range_is_error);
	RUN(used_id_not_a_head_is_error);
	RUN(used_len_beyond_buffer_is_error);
	RUN(status_errors);
	RUN(broken_device_stays_broken);
	RUN(write_then_flush_then_read_back);
	RUN(write_without_flush_feature_sends_no_flush);
	RUN(read_only_device_never_written);
	RUN(unaligned_write_refused);
	RUN(write_error_then_lost_write_then_no_more_writes); /* last: writes stay off */
	return test_summary();
}
