/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_BDA_H
#define PVHBOOT_EFI_BDA_H

#include "core/memmap.h"

/*
 * bda_base_memory_kib() - the BIOS Data Area's base memory size for a
 * canonical map @m: KiB of RAM from address 0 up, at most 640. Pure.
 */
uint32_t bda_base_memory_kib(const struct memmap *m);

/*
 * efi_bda_fill() - after ExitBootServices, for a multiboot1 kernel: when
 * the BDA's base memory word (0x413) is zero, as EFI firmware leaves it,
 * set it from the kernel's memory map. See bda.c for the kernel that
 * needs it.
 */
void efi_bda_fill(void);

#endif
