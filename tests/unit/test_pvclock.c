/* SPDX-License-Identifier: MIT */
/*
 * The TSC rate from a pvclock's scale (core/pvclock.h, used for Xen's and
 * KVM's clocks): for rates from 100 MHz to 10 GHz, the (mul, shift) a
 * hypervisor publishes, normalised as KVM and Xen do (mul in [2^31, 2^32)),
 * gives back the rate within a kilohertz; scales none publishes give 0.
 */
#include "../../core/pvclock.h"
#include "test.h"

/* The scale for @hz: ns = (ticks scaled by 2^shift) * mul / 2^32. */
static void scale_for(uint64_t hz, uint32_t *mul, int8_t *shift)
{
	for (int s = -8; s <= 8; s++) {
		long double rate = s >= 0 ? (long double)hz * (1 << s) : (long double)hz / (1 << -s);
		long double m = 1e9L * 4294967296.0L / rate;
		if (m >= 2147483648.0L && m < 4294967296.0L) {
			*mul = (uint32_t)m;
			*shift = (int8_t)s;
			return;
		}
	}
	FAIL("no scale for %llu Hz", (unsigned long long)hz);
}

TEST(rates_come_back)
{
	static const uint64_t hz[] = { 100000000,  999999999,  1000000000, 1193182000,
				       2000000000, 2599986000, 2600000000, 3000000000,
				       3700123000, 4294967296, 5000000000, 9999999000 };
	for (unsigned i = 0; i < sizeof(hz) / sizeof(hz[0]); i++) {
		uint32_t mul;
		int8_t shift;
		scale_for(hz[i], &mul, &shift);
		uint64_t khz = pvclock_tsc_khz(mul, shift), want = hz[i] / 1000;
		if (khz + 1 < want || khz > want + 1)
			FAIL("%llu Hz: mul %u shift %d gave %llu kHz", (unsigned long long)hz[i], mul,
			     shift, (unsigned long long)khz);
	}
}

TEST(scales_nobody_publishes)
{
	CHECK_EQ_U64(pvclock_tsc_khz(0, 0), 0);
	CHECK_EQ_U64(pvclock_tsc_khz(0x80000000u, 9), 0);
	CHECK_EQ_U64(pvclock_tsc_khz(0x80000000u, -9), 0);
	/* The extremes it accepts do not overflow: 2^32 * 10^6 * 2^8 < 2^64. */
	CHECK_EQ_U64(pvclock_tsc_khz(1, -8), (1000000ull << 32) << 8);
	CHECK_EQ_U64(pvclock_tsc_khz(0xffffffffu, 8), (1000000ull << 32) / (0xffffffffull << 8));
}

int main(void)
{
	RUN(rates_come_back);
	RUN(scales_nobody_publishes);
	return test_summary();
}
