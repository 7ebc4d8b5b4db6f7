/* SPDX-License-Identifier: MIT */
/*
 * What the EFI benchmark's two helper applications share
 * (tests/bench/efi.sh): a line on QEMU's debug console, the TSC and its rate,
 * CRC-32, and the exit. They are not the loader: they link no loader code,
 * so a fault in the loader cannot reach the figures they report.
 */
#ifndef PVHBOOT_BENCH_EFI_H
#define PVHBOOT_BENCH_EFI_H

/* gnu-efi's headers predate -Wstrict-prototypes (as in efi/uefi.h). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <efi.h>
#pragma GCC diagnostic pop

#include <stddef.h>
#include <stdint.h>

/* crt0 calls this in the System V ABI with the firmware's two arguments. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

/* Port 0xE9 (-debugcon): text, decimal and 8-digit hex. */
void e9_str(const char *s);
void e9_u64(uint64_t v);
void e9_hex32(uint32_t v);

uint64_t bench_rdtsc(void);
/* TSC ticks per millisecond, against the firmware's Stall (0 if it failed). */
uint64_t bench_tsc_khz(EFI_BOOT_SERVICES *bs);
uint64_t bench_ticks_ns(uint64_t ticks, uint64_t khz);

/* zlib's CRC-32 (reflected 0xEDB88320), what the script's crc32_of prints. */
uint32_t bench_crc32(const void *buf, size_t len);

/* @len bytes of fresh EfiLoaderData pages, or NULL. */
void *bench_pages(EFI_BOOT_SERVICES *bs, uint64_t len);

/* QEMU's isa-debug-exit (status 1 when @ok, 3 if not), else ResetSystem. */
__attribute__((noreturn)) void bench_exit(EFI_SYSTEM_TABLE *st, int ok);

#endif
