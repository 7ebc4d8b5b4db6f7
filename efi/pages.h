/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_PAGES_H
#define PVHBOOT_EFI_PAGES_H

#include "uefi.h"

/*
 * efi_memory_init() - set up the page allocator (core/pagealloc.h) from the
 * firmware's memory map, taking the firmware's free memory between 1 MiB
 * and 4 GiB for the loader (docs/efi.md "Memory"). From then on malloc()
 * and page_alloc() make no firmware calls. Returns 0, or a -E* of a failed
 * GetMemoryMap or a map too large (logged).
 */
int efi_memory_init(void);

/* Bytes of free memory the loader took at start, for the banner. */
uint64_t efi_memory_taken(void);
/* Bytes of EfiConventionalMemory when the loader started. */
uint64_t efi_memory_free_at_start(void);

/*
 * efi_memory_lend() - give the allocator's free memory back to the
 * firmware while an image started with LoadImage runs (it allocates from
 * the firmware); efi_memory_reclaim() takes back what the firmware still
 * has free when the image returned. Returns 0 or -EBUSY (logged).
 */
int efi_memory_lend(void);
void efi_memory_reclaim(void);

#endif
