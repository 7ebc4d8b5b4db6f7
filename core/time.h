/* SPDX-License-Identifier: MIT */
/*
 * A monotonic clock for timeouts and progress rates: the TSC, calibrated
 * once against the PIT where there is one. Without a PIT the TSC is assumed
 * to run at 3 GHz: waits then last at least as long as asked on slower
 * machines, and 25% less on a 4 GHz one, never forever.
 */
#ifndef PVHBOOT_CORE_TIME_H
#define PVHBOOT_CORE_TIME_H

#include "lib.h"

void time_init(void);
/* Use a TSC frequency known from elsewhere (Xen's pvclock, EFI). */
void time_set_tsc_khz(uint64_t khz);
uint64_t time_ns(void);
uint64_t time_tsc_khz(void);

/* A deadline @ms from now, and whether it has passed. */
static inline uint64_t deadline_ms(uint64_t ms)
{
	return time_ns() + ms * 1000000ull;
}
static inline bool deadline_passed(uint64_t deadline)
{
	return time_ns() >= deadline;
}

#endif
