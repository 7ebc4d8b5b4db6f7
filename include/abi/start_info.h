/* SPDX-License-Identifier: MIT */
/*
 * Xen PVH start of day structure, as defined by
 * xen/include/public/arch-x86/hvm/start_info.h (version 1).
 *
 *  0 +----------------+
 *    | magic          | 0x336ec578
 *  4 | version        | 0 or 1 (later versions stay compatible)
 *  8 | flags          | SIF_*
 * 12 | nr_modules     |
 * 16 | modlist_paddr  | -> hvm_modlist_entry[nr_modules]
 * 24 | cmdline_paddr  | NUL terminated
 * 32 | rsdp_paddr     | ACPI RSDP
 * 40 | memmap_paddr   | version >= 1 only
 * 48 | memmap_entries | version >= 1 only, 0 means "no map"
 * 52 | reserved       | must be 0
 * 56 +----------------+
 *
 * An address of 0 means "not present". Version 0 is 40 bytes, but Linux
 * copies 56 bytes whatever the version, so a loader must always provide 56.
 */
#ifndef PVHBOOT_ABI_START_INFO_H
#define PVHBOOT_ABI_START_INFO_H

#include "abi.h"

#define HVM_START_MAGIC 0x336ec578u
#define HVM_START_SIZE_V0 40u

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};
ABI_OFFSET(struct hvm_start_info, magic, 0);
ABI_OFFSET(struct hvm_start_info, version, 4);
ABI_OFFSET(struct hvm_start_info, flags, 8);
ABI_OFFSET(struct hvm_start_info, nr_modules, 12);
ABI_OFFSET(struct hvm_start_info, modlist_paddr, 16);
ABI_OFFSET(struct hvm_start_info, cmdline_paddr, 24);
ABI_OFFSET(struct hvm_start_info, rsdp_paddr, 32);
ABI_OFFSET(struct hvm_start_info, memmap_paddr, 40);
ABI_OFFSET(struct hvm_start_info, memmap_entries, 48);
ABI_OFFSET(struct hvm_start_info, reserved, 52);
ABI_SIZE(struct hvm_start_info, 56);

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};
ABI_OFFSET(struct hvm_modlist_entry, paddr, 0);
ABI_OFFSET(struct hvm_modlist_entry, size, 8);
ABI_OFFSET(struct hvm_modlist_entry, cmdline_paddr, 16);
ABI_OFFSET(struct hvm_modlist_entry, reserved, 24);
ABI_SIZE(struct hvm_modlist_entry, 32);

/* 24 bytes per entry, not 20 as in E820. Types equal the E820 types. */
struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};
ABI_OFFSET(struct hvm_memmap_table_entry, addr, 0);
ABI_OFFSET(struct hvm_memmap_table_entry, size, 8);
ABI_OFFSET(struct hvm_memmap_table_entry, type, 16);
ABI_OFFSET(struct hvm_memmap_table_entry, reserved, 20);
ABI_SIZE(struct hvm_memmap_table_entry, 24);

#endif
