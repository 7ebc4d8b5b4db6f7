/* SPDX-License-Identifier: MIT */
/*
 * The TSC rate a pvclock (Xen's vcpu_time_info, KVM's kvmclock) implies.
 * Both publish ns per tick as 2^shift * mul / 2^32, so the ticks per
 * millisecond are 10^6 * 2^32 / mul, scaled back by the shift.
 */
#ifndef PVHBOOT_CORE_PVCLOCK_H
#define PVHBOOT_CORE_PVCLOCK_H

#include <stdint.h>

/* 0 for a scale no hypervisor publishes (mul 0, a shift past +-8). */
static inline uint64_t pvclock_tsc_khz(uint32_t mul, int8_t shift)
{
	uint64_t num = 1000000ull << 32; /* 4.3e15: room for 8 more bits */
	uint64_t den = mul;
	if (!mul || shift > 8 || shift < -8)
		return 0;
	if (shift >= 0)
		den <<= shift;
	else
		num <<= -shift;
	return num / den;
}

#endif
