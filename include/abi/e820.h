/* SPDX-License-Identifier: MIT */
/*
 * Address range types shared by E820, the PVH memmap (XEN_HVM_MEMMAP_TYPE_*)
 * and multiboot1's mmap: the ACPI "address range descriptor" types.
 */
#ifndef PVHBOOT_ABI_E820_H
#define PVHBOOT_ABI_E820_H

#include "abi.h"

enum e820_type {
	E820_RAM = 1,
	E820_RESERVED = 2,
	E820_ACPI = 3,
	E820_NVS = 4,
	E820_UNUSABLE = 5,
	E820_DISABLED = 6,
	E820_PMEM = 7,
};

/* The packed 20-byte entry of boot_params.e820_table and XENMEM_memory_map. */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} ABI_PACKED;
ABI_OFFSET(struct e820_entry, addr, 0);
ABI_OFFSET(struct e820_entry, size, 8);
ABI_OFFSET(struct e820_entry, type, 16);
ABI_SIZE(struct e820_entry, 20);

#endif
