/* SPDX-License-Identifier: MIT */
#include "io.h"
#include "kvmclock.h"
#include "log.h"
#include "time.h"

#define DEFAULT_TSC_KHZ 3000000ull
#define PIT_HZ 1193182ull
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61

static uint64_t tsc_khz = DEFAULT_TSC_KHZ;
static uint64_t tsc_base;

/*
 * Count TSC ticks over 2 ms of PIT channel 2 in one-shot mode: OUT2 (port
 * 0x61 bit 5) rises when the count expires. 2386 PIT ticks: one tick of
 * error is 0.04 %, and the boot waits 2 ms instead of 10. Bounded by TSC
 * cycles so a missing PIT (Xen PVH, microvm without one) cannot hang us.
 */
#define PIT_WINDOW_MS 2
static uint64_t pit_calibrate(void)
{
	const uint16_t count = (uint16_t)(PIT_HZ * PIT_WINDOW_MS / 1000);
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
		if (rdtsc() - start > 20 * DEFAULT_TSC_KHZ * PIT_WINDOW_MS) /* far past the window */
			break;
	}
	outb(PIT_GATE, gate);
	if (!expired || end - start < 1000)
		return 0;
	return (end - start) / PIT_WINDOW_MS; /* ticks per ms = kHz */
}

/*
 * The TSC frequency as the CPU or the hypervisor states it, without
 * waiting: CPUID 0x15 (crystal clock times the TSC/crystal ratio, Intel
 * SDM vol. 2 "CPUID"), the hypervisor timing leaf 0x40000010 (EAX = TSC
 * kHz; KVM with invtsc, VMware, ACRN), Xen's time leaf (base + 3,
 * sub-leaf 0, ECX = guest TSC kHz) or KVM's paravirtual clock. 0 when none
 * says.
 */
uint64_t time_tsc_khz_stated(uint32_t xen_base, const char **source)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (r[0] >= 0x15) {
		cpuid(0x15, 0, r);
		if (r[0] && r[1] && r[2]) {
			*source = "cpuid 0x15";
			return (uint64_t)r[2] * r[1] / r[0] / 1000;
		}
	}
	if (xen_base) {
		cpuid(xen_base + 3, 0, r);
		if (r[2]) {
			*source = "xen time leaf";
			return r[2];
		}
		return 0;
	}
	cpuid(1, 0, r);
	bool hypervisor = r[2] & (1u << 31);
	if (hypervisor) {
		cpuid(0x40000000, 0, r);
		if (r[0] >= 0x40000010 && r[0] < 0x40010000) {
			cpuid(0x40000010, 0, r);
			if (r[0]) {
				*source = "hypervisor leaf 0x40000010";
				return r[0];
			}
		}
		uint64_t khz = kvmclock_tsc_khz();
		if (khz) {
			*source = "kvmclock";
			return khz;
		}
	}
	return 0;
}

/* The processor's nominal frequency (CPUID 0x16 EAX, MHz): close, not exact. */
static uint64_t nominal_khz(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (r[0] < 0x16)
		return 0;
	cpuid(0x16, 0, r);
	return (uint64_t)(r[0] & 0xffff) * 1000;
}

static const char *source = "assumed 3 GHz";
static bool measured; /* the frequency was stated or calibrated: nothing to wait for */

const char *time_init(uint32_t xen_base)
{
	uint64_t khz = time_tsc_khz_stated(xen_base, &source);
	if (khz)
		tsc_khz = khz;
	measured = khz != 0;
	tsc_base = rdtsc();
	if (measured)
		log_info("clock: TSC at %lu kHz (%s)", (unsigned long)khz, source);
	else
		log_info("clock: TSC, its rate from the PIT when first needed");
	return measured ? source : "PIT when first needed";
}

/*
 * Measure the frequency CPUID did not state, the first time something needs
 * an accurate clock (a menu countdown, a transfer rate, the profile): a
 * scripted boot of a small kernel never waits for it. Device timeouts do
 * not need it: at the assumed 3 GHz they last at least as long as asked on
 * any slower machine. Call only between measurements: time_ns() changes
 * scale here.
 */
const char *time_calibrate(void)
{
	if (measured)
		return source;
	measured = true;
	/* A host that deschedules us inside a window stretches the TSC count
	 * (seen: +49 % under load); the smallest of three windows is closest. */
	uint64_t khz = 0;
	for (int i = 0; i < 3; i++) {
		uint64_t k = pit_calibrate();
		if (!k)
			break; /* no PIT: do not wait twice more */
		if (!khz || k < khz)
			khz = k;
	}
	if (khz)
		source = "PIT";
	if (!khz && (khz = nominal_khz()) != 0)
		source = "cpuid 0x16 (nominal)";
	if (khz) {
		/* Keep time_ns() continuous: rebase at the new rate. */
		uint64_t now = time_ns();
		tsc_khz = khz;
		tsc_base = rdtsc() - now / 1000000ull * tsc_khz - now % 1000000ull * tsc_khz / 1000000ull;
	}
	log_info("clock: TSC at %lu kHz (%s)", (unsigned long)tsc_khz, source);
	return source;
}

void time_set_tsc_khz(uint64_t khz)
{
	if (khz) {
		tsc_khz = khz;
		measured = true;
	}
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
