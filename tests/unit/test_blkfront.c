/* SPDX-License-Identifier: MIT */
/*
 * xen/blkfront.c on the host, against xenstore, grants, an event channel
 * and a blkback made of memory (tests/doubles/xen_double.c). The backend
 * first behaves (direct and indirect requests), then lies: rsp_prod far
 * ahead of anything requested, unknown ids, responses for requests never
 * made or answered twice, error statuses, a close in the middle of the
 * handshake, an absurd size. Each lie ends in an error or a refusal, fast,
 * and no buffer is filled from a response that was not checked first.
 *
 * The driver is included rather than linked so that each case can start
 * from an empty fronts[] table.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "../../xen/blkfront.c"
#include "../doubles/doubles.h"
#include "test.h"

/* A driver keeps its device for the loader's lifetime: no leak checks. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

static uint8_t buf[2u << 20];
static const char *running;

/* A runaway loop (4·10⁹ responses) is a failure, not a hung suite. */
static void on_alarm(int sig)
{
	char msg[160];
	int n = snprintf(msg, sizeof(msg), "not ok %s: still running after 20 s\n", running);
	if (write(1, msg, (size_t)n) < 0)
		_exit(2);
	_exit(1);
}

#define RUN_TIMED(name) (running = #name, alarm(20), RUN(name), alarm(0))

static struct blockdev *connect_one(void)
{
	blockdev_double_reset();
	nr_fronts = 0;
	blkfront_probe_all();
	return blockdev_count() ? blockdev_get(0) : NULL;
}

static bool pattern_ok(uint64_t lba, uint64_t count)
{
	for (uint64_t i = 0; i < count * 512; i++)
		if (buf[i] != disk_pattern(lba * 512 + i))
			return false;
	return true;
}

#define CHECK_CLEAN()                                                           \
	do {                                                                    \
		if (xdev.driver_errors)                                         \
			FAIL("driver error: %s", xdev.driver_error);            \
	} while (0)

static void read_all(const char *indirect)
{
	xdouble_reset(4096);
	if (indirect)
		xdouble_set(XD_BACK "/feature-max-indirect-segments", indirect);
	struct blockdev *dev = connect_one();
	CHECK(dev != NULL);
	CHECK_EQ_U64(dev->nr_sectors, 4096);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ_INT(dev->read(dev, 3, 4000, buf), 0);
	CHECK(pattern_ok(3, 4000));
	CHECK_EQ_INT(dev->read(dev, 4095, 1, buf), 0);
	CHECK(pattern_ok(4095, 1));
	CHECK_EQ_INT(dev->read(dev, 4095, 2, buf), -EINVAL);
	blkfront_shutdown_all();
	CHECK(!strcmp(xdouble_get(XD_FRONT "/state"), "1"));
	CHECK_CLEAN();
}

TEST(reads_direct) { read_all(NULL); }
TEST(reads_indirect) { read_all("32"); }

static struct blockdev *connected(void)
{
	xdouble_reset(4096);
	struct blockdev *dev = connect_one();
	if (!dev)
		FAIL("no device");
	memset(buf, 0xaa, sizeof(buf));
	return dev;
}

static bool untouched(size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != 0xaa)
			return false;
	return true;
}

/* Finding: a response index more than a ring ahead ran 4·10⁹ iterations. */
TEST(rsp_prod_far_ahead_is_error)
{
	static const uint32_t aheads[] = { 0x80000000u, 0xfffffffeu, BLKIF_RING_ENTRIES + 1, 1 };
	for (unsigned i = 0; i < ARRAY_SIZE(aheads); i++) {
		struct blockdev *dev = connected();
		xdev.rsp_ahead = aheads[i];
		CHECK_EQ_INT(dev->read(dev, 0, 8, buf), -EIO);
		CHECK_EQ_INT(dev->read(dev, 0, 8, buf), -EIO); /* and stays disconnected */
		CHECK_CLEAN();
	}
}

/* Finding: ids and statuses are checked before any buffer is trusted. */
TEST(unknown_id_is_error)
{
	static const uint64_t ids[] = { SLOTS, 99, 1ull << 40, ~0ull };
	for (unsigned i = 0; i < ARRAY_SIZE(ids); i++) {
		struct blockdev *dev = connected();
		xdev.bad_id = true;
		xdev.bad_id_value = ids[i];
		CHECK_EQ_INT(dev->read(dev, 0, 8, buf), -EIO);
		CHECK(untouched(8 * 512));
	}
}

TEST(response_for_request_never_made_is_error)
{
	struct blockdev *dev = connected();
	xdev.bad_id = true;
	xdev.bad_id_value = 5; /* a slot with no request in it */
	CHECK_EQ_INT(dev->read(dev, 0, 8, buf), -EIO);
	CHECK(untouched(8 * 512));
}

TEST(response_twice_is_error)
{
	struct blockdev *dev = connected();
	xdev.extra_rsps = 1;
	CHECK_EQ_INT(dev->read(dev, 0, 8, buf), -EIO);
}

TEST(bad_status_leaves_buffer)
{
	static const int16_t statuses[] = { -1, -2, 1, 0x7fff };
	for (unsigned i = 0; i < ARRAY_SIZE(statuses); i++) {
		struct blockdev *dev = connected();
		xdev.bad_status = true;
		xdev.status_value = statuses[i];
		CHECK_EQ_INT(dev->read(dev, 0, 8, buf), -EIO);
		CHECK(untouched(8 * 512));
	}
}

TEST(silent_backend_times_out)
{
	struct blockdev *dev = connected();
	xdev.silent = true;
	CHECK_EQ_INT(dev->read(dev, 0, 8, buf), -ETIMEDOUT);
	xdev.silent = false;
	CHECK_EQ_INT(dev->read(dev, 0, 8, buf), -EIO);
	CHECK(untouched(8 * 512));
}

/* Backend state out of order: a close during the handshake is final. */
TEST(backend_closing_in_handshake_fails_fast)
{
	static const int states[] = { XenbusStateClosing, XenbusStateClosed };
	for (unsigned i = 0; i < ARRAY_SIZE(states); i++) {
		xdouble_reset(64);
		xdev.state_after_init = states[i];
		CHECK(connect_one() == NULL);
		uint64_t waited = double_clock_ns() - xdev.initialised_at;
		if (waited > 1000000000ull)
			FAIL("a backend in state %d was waited for %llu ms", states[i],
			     (unsigned long long)(waited / 1000000));
	}
}

/* Before the handshake a Closed backend may be on its way back to InitWait
 * (blkback's reconnect): it is waited for, not refused at once. */
TEST(backend_closed_before_handshake_is_waited_for)
{
	xdouble_reset(64);
	xdouble_set(XD_BACK "/state", "6");
	uint64_t start = double_clock_ns();
	CHECK(connect_one() == NULL); /* this one never comes back */
	CHECK(double_clock_ns() - start >= WAIT_NS);
}

TEST(absurd_size_refused)
{
	static const char *sizes[] = { "0", "36028797018963968", "18446744073709551615" };
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		xdouble_reset(64);
		xdouble_set(XD_BACK "/sectors", sizes[i]);
		struct blockdev *dev = connect_one();
		if (dev)
			FAIL("sectors=%s accepted as %llu sectors", sizes[i],
			     (unsigned long long)dev->nr_sectors);
	}
}

/* ---- Writes (issue 12) ---- */

/* write_case FLUSH BARRIER INDIRECT: 3 sectors written, on disk, then flushed. */
static void write_case(const char *flush, const char *barrier, const char *indirect)
{
	static uint8_t data[3 * 512];
	xdouble_reset(4096);
	if (flush)
		xdouble_set(XD_BACK "/feature-flush-cache", flush);
	if (barrier)
		xdouble_set(XD_BACK "/feature-barrier", barrier);
	if (indirect)
		xdouble_set(XD_BACK "/feature-max-indirect-segments", indirect);
	struct blockdev *dev = connect_one();
	CHECK(dev != NULL && dev->write != NULL);
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 5);
	CHECK_EQ_INT(dev->write(dev, 9, 3, data), 0);
	CHECK(!memcmp(xdev.disk + 9 * 512, data, sizeof(data)));
	CHECK(xdev.disk[8 * 512 + 511] == disk_pattern(8 * 512 + 511));
	CHECK(xdev.disk[12 * 512] == disk_pattern(12 * 512));
	CHECK_EQ_INT(xdev.writes, 1);
	CHECK_EQ_INT(xdev.flushes, flush ? 1 : 0);
	CHECK_EQ_INT(xdev.barriers, !flush && barrier ? 1 : 0);
	CHECK(!xdev.unflushed || (!flush && !barrier));
	memset(buf, 0, 3 * 512);
	CHECK_EQ_INT(dev->read(dev, 9, 3, buf), 0);
	CHECK(!memcmp(buf, data, sizeof(data)));
	blkfront_shutdown_all();
	CHECK_CLEAN();
}

TEST(write_then_flush_cache) { write_case("1", NULL, NULL); }
TEST(write_as_barrier) { write_case(NULL, "1", NULL); }
TEST(write_indirect_then_flush) { write_case("1", "1", "32"); }
TEST(write_plain) { write_case(NULL, NULL, NULL); }

TEST(read_only_vbd_never_written)
{
	static uint8_t data[512];
	xdouble_reset(4096);
	xdouble_set(XD_BACK "/info", "4"); /* VDISK_READONLY */
	xdev.read_only = true;
	struct blockdev *dev = connect_one();
	CHECK(dev != NULL && dev->read_only);
	CHECK_EQ_INT(dev->write(dev, 0, 1, data), -EROFS);
	xdouble_reset(4096);
	xdouble_set(XD_BACK "/mode", "r");
	xdev.read_only = true;
	dev = connect_one();
	CHECK(dev != NULL && dev->read_only);
	CHECK_EQ_INT(dev->write(dev, 0, 1, data), -EROFS);
	CHECK_EQ_INT(xdev.writes, 0);
	blkfront_shutdown_all();
	CHECK_CLEAN();
}

TEST(write_error_reported_and_nothing_stored)
{
	static uint8_t data[512];
	xdouble_reset(4096);
	xdouble_set(XD_BACK "/feature-flush-cache", "1");
	xdev.write_error = true;
	struct blockdev *dev = connect_one();
	memset(data, 0x77, sizeof(data));
	CHECK_EQ_INT(dev->write(dev, 5, 1, data), -EIO);
	CHECK(xdev.disk[5 * 512] == disk_pattern(5 * 512));
	/* A lost write is caught by the read-back of volume_write_verified(). */
	xdev.write_error = false;
	xdev.write_lost = true;
	struct volume v = { .dev = dev, .size = dev->nr_sectors * 512 };
	memcpy(v.name, "xvda", 5);
	CHECK_EQ_INT(volume_write_verified(&v, 5 * 512, data, sizeof(data)), -EIO);
	CHECK(!blockdev_writes_allowed());
	blkfront_shutdown_all();
	CHECK_CLEAN();
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	RUN_TIMED(reads_direct);
	RUN_TIMED(reads_indirect);
	RUN_TIMED(unknown_id_is_error);
	RUN_TIMED(response_for_request_never_made_is_error);
	RUN_TIMED(response_twice_is_error);
	RUN_TIMED(bad_status_leaves_buffer);
	RUN_TIMED(silent_backend_times_out);
	RUN_TIMED(backend_closing_in_handshake_fails_fast);
	RUN_TIMED(backend_closed_before_handshake_is_waited_for);
	RUN_TIMED(absurd_size_refused);
	RUN_TIMED(rsp_prod_far_ahead_is_error);
	RUN_TIMED(write_then_flush_cache);
	RUN_TIMED(write_as_barrier);
	RUN_TIMED(write_indirect_then_flush);
	RUN_TIMED(write_plain);
	RUN_TIMED(read_only_vbd_never_written);
	RUN_TIMED(write_error_reported_and_nothing_stored); /* last: writes stay off */
	return test_summary();
}
