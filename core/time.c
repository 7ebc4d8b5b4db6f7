/* SPDX-License-Identifier: MIT */
#include "io.h"
#include "time.h"

#define DEFAULT_TSC_KHZ 3000000ull
#define PIT_HZ 1193182ull
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61

static uint64_t tsc_khz = DEFAULT_TSC_KHZ;
static uint64_t tsc_base;

/*
 * Count TSC ticks over 10 ms of PIT channel 2 in one-shot mode: OUT2 (port
 * 0x61 bit 5) rises when the count expires. Bounded by TSC cycles so a
 * missing PIT (Xen PVH, microvm without one) cannot hang us.
 */
static uint64_t pit_calibrate(void)
{
	const uint16_t count = (uint16_t)(PIT_HZ / 100);
	uint8_t gate = inb(PIT_GATE);
	if (gate == 0xff)
		return 0; /* nothing decodes the port */
	outb(PIT_GATE, (uint8_t)((gate & ~0x02) | 0x01)); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);                             /* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	uint64_t start = rdtsc();
	uint64_t end = start;
	bool expired = false;
	for (uint64_t spins = 0; spins < 100000000ull; spins++) {
		if (inb(PIT_GATE) & 0x20) {
			expired = true;
			end = rdtsc();
			break;
		}
		if (rdtsc() - start > 20 * DEFAULT_TSC_KHZ * 10) /* far past 10 ms */
			break;
	}
	outb(PIT_GATE, gate);
	if (!expired || end - start < 1000)
		return 0;
	return (end - start) / 10; /* ticks per ms = kHz */
}

void time_init(void)
{
	/* A host that deschedules us inside a window stretches the TSC count
	 * (seen: +49 % under load); the smallest of three windows is closest. */
	uint64_t best = 0;
	for (int i = 0; i < 3; i++) {
		uint64_t khz = pit_calibrate();
		if (khz && (!best || khz < best))
			best = khz;
		if (!khz)
			break; /* no PIT: do not wait twice more */
	}
	if (best)
		tsc_khz = best;
	tsc_base = rdtsc();
}

void time_set_tsc_khz(uint64_t khz)
{
	if (khz)
		tsc_khz = khz;
}

uint64_t time_tsc_khz(void)
{
	return tsc_khz;
}

uint64_t time_ns(void)
{
	uint64_t t = rdtsc() - tsc_base;
	/* ticks * 1e6 / kHz, without overflowing for years of uptime */
	return t / tsc_khz * 1000000ull + t % tsc_khz * 1000000ull / tsc_khz;
}
