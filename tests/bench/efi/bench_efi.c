/* SPDX-License-Identifier: MIT */
#include "bench_efi.h"
#include "core/io.h"

#define DEBUGCON_PORT 0xe9
#define DEBUG_EXIT_PORT 0xf4
#define CALIBRATE_US 10000
#define CALIBRATE_TRIES 3

void e9_str(const char *s)
{
	while (*s)
		outb(DEBUGCON_PORT, (uint8_t)*s++);
}

void e9_u64(uint64_t v)
{
	char digits[24];
	int n = 0;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n--)
		outb(DEBUGCON_PORT, (uint8_t)digits[n]);
}

void e9_hex32(uint32_t v)
{
	for (int shift = 28; shift >= 0; shift -= 4)
		outb(DEBUGCON_PORT, (uint8_t)"0123456789abcdef"[(v >> shift) & 15]);
}

uint64_t bench_rdtsc(void)
{
	return rdtsc();
}

/*
 * The smallest of three 10 ms windows: a host that deschedules QEMU inside
 * a window can only lengthen the tick count (core/time.c does the same).
 * The script rescales to the host's measured TSC rate anyway; this rate
 * only makes the guest's own figure readable.
 */
uint64_t bench_tsc_khz(EFI_BOOT_SERVICES *bs)
{
	uint64_t best = 0;
	for (int i = 0; i < CALIBRATE_TRIES; i++) {
		uint64_t start = rdtsc();
		if (EFI_ERROR(bs->Stall(CALIBRATE_US)))
			return 0;
		uint64_t khz = (rdtsc() - start) / (CALIBRATE_US / 1000);
		if (!best || khz < best)
			best = khz;
	}
	return best;
}

uint64_t bench_ticks_ns(uint64_t ticks, uint64_t khz)
{
	if (!khz)
		return 0;
	/* ticks * 1e6 / kHz without overflowing for long runs. */
	return ticks / khz * 1000000u + ticks % khz * 1000000u / khz;
}

uint32_t bench_crc32(const void *buf, size_t len)
{
	/* Byte at a time from a 256-entry table: 128 MiB in about a second
	 * under TCG, which the verification can afford. */
	static uint32_t table[256];
	const uint8_t *p = buf;
	uint32_t crc = 0xffffffffu;

	if (!table[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
			table[i] = c;
		}
	}
	while (len--)
		crc = (crc >> 8) ^ table[(crc ^ *p++) & 0xff];
	return ~crc;
}

void *bench_pages(EFI_BOOT_SERVICES *bs, uint64_t len)
{
	EFI_PHYSICAL_ADDRESS addr = 0;
	EFI_STATUS st = bs->AllocatePages(AllocateAnyPages, EfiLoaderData,
					  (UINTN)((len + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE), &addr);
	return EFI_ERROR(st) ? NULL : (void *)(uintptr_t)addr;
}

void bench_exit(EFI_SYSTEM_TABLE *st, int ok)
{
	/* QEMU exits with (value << 1) | 1; without the device nothing happens. */
	outl(DEBUG_EXIT_PORT, ok ? 0 : 1);
	st->RuntimeServices->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	for (;;)
		__asm__ volatile("hlt");
}
