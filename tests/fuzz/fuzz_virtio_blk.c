/* SPDX-License-Identifier: MIT */
/*
 * A hostile virtio-blk device: the input picks the transport, queue size,
 * features, config and capability lengths, then how each answer lies
 * (status, used.id, used.len, used.idx, silence). The driver must never
 * touch a register outside a window the device declared, never build a
 * bad chain, and never return 0 for a read it did not get.
 */
#include <stdio.h>

#include "../../fs/blockdev.h"
#include "../doubles/doubles.h"

/* What the driver allocates is taken back after each input. */
#define malloc double_malloc
#define calloc double_calloc
#define free double_free
#include "../../virtio/blk.c"

/* The double keeps its disk from one input to the next. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[256 * 512];
	struct script s = { data, size, 0 };
	struct virtio_dev vio;
	uint8_t knobs = script_byte(&s);

	vdouble_reset(knobs & 1 ? VIRTIO_MMIO : VIRTIO_PCI_MODERN, 1024);
	vdev.queue_max = (uint16_t)(1u << (script_byte(&s) % 16));
	vdev.features ^= (uint64_t)script_byte(&s) << 1; /* SIZE_MAX .. BLK_SIZE and more */
	if (knobs & 2) {
		vdev.cfg.size_max = script_u32(&s);
		vdev.cfg.seg_max = script_u32(&s);
		vdev.cfg.blk_size = script_u32(&s);
	}
	if (knobs & 4) {
		vdev.common_len = script_byte(&s);
		vdev.notify_len = script_u32(&s);
		vdev.device_len = script_byte(&s);
		vdev.notify_off = (uint16_t)script_u32(&s);
		vdev.notify_mult = script_u32(&s);
	}
	vdev.script = &s;
	blockdev_double_reset();
	if (vdouble_probe(&vio) == 0 && virtio_blk_attach(&vio, "vda") == 0) {
		struct blockdev *dev = blockdev_get(0);
		for (int i = 0; i < 3; i++) {
			uint64_t lba = script_byte(&s), count = 1 + script_byte(&s) % 128;
			uint64_t bytes = count * dev->sector_size;
			if (bytes > sizeof(buf))
				break;
			memset(buf, 0, bytes);
			int rc = dev->read(dev, lba, count, buf);
			/* The disk holds disk_pattern() still: the fuzzer only reads. */
			if (rc == 0 && memcmp(buf, vdev.disk + lba * dev->sector_size, bytes))
				__builtin_trap(); /* "success" with the buffer unread */
		}
	}
	virtio_blk_shutdown_all();
	double_free_all();
	if (vdev.violations || vdev.driver_errors) {
		fprintf(stderr, "driver misbehaved: %s%s\n", vdev.violation, vdev.driver_error);
		__builtin_trap();
	}
	return 0;
}
