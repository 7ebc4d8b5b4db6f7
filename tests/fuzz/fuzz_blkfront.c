/* SPDX-License-Identifier: MIT */
/*
 * A hostile blkback: the input picks the xenstore values (indirect
 * segments, sector size, sectors, the state after Initialised), then how
 * each answer lies (id, status, duplicates, rsp_prod jumps, silence). The
 * frontend must stay bounded, send only well-formed requests, and never
 * return 0 for a read whose data it did not get.
 */
#include <stdio.h>

#include "../doubles/doubles.h"

/* What the driver allocates is taken back after each input. */
#define malloc double_malloc
#define calloc double_calloc
#define free double_free
#include "../../xen/blkfront.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[64 * 4096];
	struct script s = { data, size, 0 };
	char v[24];

	xdouble_reset(2048);
	uint8_t knobs = script_byte(&s);
	if (knobs & 1) {
		snprintf(v, sizeof(v), "%u", script_byte(&s));
		xdouble_set(XD_BACK "/feature-max-indirect-segments", v);
	}
	if (knobs & 2) {
		snprintf(v, sizeof(v), "%u", 1u << (script_byte(&s) % 14));
		xdouble_set(XD_BACK "/sector-size", v);
	}
	if (knobs & 4) {
		snprintf(v, sizeof(v), "%u", script_u32(&s));
		xdouble_set(XD_BACK "/sectors", v);
	}
	if (knobs & 8)
		xdev.state_after_init = script_byte(&s) % 8;
	xdev.script = &s;

	blockdev_double_reset();
	nr_fronts = 0;
	blkfront_probe_all();
	struct blockdev *dev = blockdev_count() ? blockdev_get(0) : NULL;
	for (int i = 0; dev && i < 3; i++) {
		uint64_t lba = script_byte(&s), count = 1 + script_byte(&s) % 64;
		uint64_t bytes = count * dev->sector_size;
		if (bytes > sizeof(buf) || lba + count > xdev.sectors * 512 / dev->sector_size)
			break; /* the double's disk is smaller than a lying "sectors" */
		memset(buf, 0, bytes);
		int rc = dev->read(dev, lba, count, buf);
		/* The disk holds disk_pattern() still: the fuzzer only reads. */
		if (rc == 0 && memcmp(buf, xdev.disk + lba * dev->sector_size, bytes))
			__builtin_trap(); /* "success" with the buffer unread */
	}
	blkfront_shutdown_all();
	double_free_all();
	if (xdev.driver_errors) {
		fprintf(stderr, "driver misbehaved: %s\n", xdev.driver_error);
		__builtin_trap();
	}
	return 0;
}
