/* SPDX-License-Identifier: MIT */
/*
 * A monotonic clock for timeouts and progress rates: the TSC, at the
 * frequency the CPU or hypervisor states (no wait), else calibrated against
 * the PIT where there is one, else the nominal frequency. With none of
 * these the TSC is assumed to run at 3 GHz: waits then last at least as
 * long as asked on slower machines, and 25% less on a 4 GHz one, never
 * forever.
 */
#ifndef PVHBOOT_CORE_TIME_H
#define PVHBOOT_CORE_TIME_H

#include "lib.h"

/* Set the clock up without waiting; returns where its frequency came from. */
const char *time_init(uint32_t xen_cpuid_base);
/* Make the frequency exact (a PIT measurement if CPUID stated none); once. */
const char *time_calibrate(void);
/* The TSC kHz CPUID states (0 if it does not); *source names the leaf. */
uint64_t time_tsc_khz_stated(uint32_t xen_cpuid_base, const char **source);
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
