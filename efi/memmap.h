/* SPDX-License-Identifier: MIT */
/*
 * The firmware memory map: fetching it (getmap.c) and turning it into E820
 * ranges (memmap.c). The ranges are core/memmap.h's struct mem_range, so
 * the result feeds memmap_add() directly.
 */
#ifndef PVHBOOT_EFI_MEMMAP_H
#define PVHBOOT_EFI_MEMMAP_H

#include "uefi.h"
#include "core/memmap.h"

/*
 * Linux's "soft reserved" E820 type (0xefffffff): RAM the firmware marks
 * EFI_MEMORY_SP, meant for a driver rather than the general allocator.
 * Loader code treats it as an unknown, hence reserved, type.
 */
#define E820_SOFT_RESERVED 0xefffffffu

/* Memory types and attributes newer than gnu-efi 3.0.15's headers. */
#define EFI_PERSISTENT_MEMORY_TYPE 14u  /* UEFI 2.5 */
#define EFI_UNACCEPTED_MEMORY_TYPE 15u  /* UEFI 2.9 */
#define EFI_MEMORY_SP_ATTR 0x40000ull   /* UEFI 2.8 "specific purpose" */

/* A map as GetMemoryMap returned it, in a pool buffer we own. */
struct efi_memmap {
	void *buf;
	UINTN buf_size;  /* bytes allocated, slack included */
	UINTN size;      /* bytes of descriptors */
	UINTN key;       /* for ExitBootServices */
	UINTN desc_size; /* stride: never sizeof(EFI_MEMORY_DESCRIPTOR) */
	UINT32 desc_version;
};

/*
 * efi_memmap_get() - take the current map into a fresh pool buffer with
 * room for a few more descriptors than the firmware asked for. Returns 0,
 * -ENOMEM, or -EINVAL when the firmware's descriptor format is not one we
 * know; every failure is logged.
 */
int efi_memmap_get(struct efi_memmap *m);
void efi_memmap_free(struct efi_memmap *m);

/* Number of descriptors in a map of @map_size bytes. */
static inline uint64_t efi_memmap_count(uint64_t map_size, uint64_t desc_size)
{
	return desc_size ? map_size / desc_size : 0;
}

/*
 * efi_type_to_e820() - the E820 type Linux's EFI stub gives a descriptor
 * of @efi_type with @attr, or 0 when the range is left out of the map.
 */
uint32_t efi_type_to_e820(uint32_t efi_type, uint64_t attr);

/*
 * efi_memmap_to_e820() - convert the descriptors in @map (@map_size bytes,
 * @desc_size apart) into at most @max ranges in @out; ranges that touch and
 * have the same type are merged, as the EFI stub does. Order is the
 * firmware's: run memmap_normalize() on the result before trusting it.
 * Returns 0 and sets *@count, -EINVAL for a descriptor size smaller than the
 * UEFI descriptor or not 8-byte aligned, -ENOSPC when @max is too small.
 */
int efi_memmap_to_e820(const void *map, uint64_t map_size, uint64_t desc_size,
		       struct mem_range *out, uint32_t max, uint32_t *count);

/*
 * efi_memmap_bytes() - total bytes of descriptors of @efi_type (the
 * "conventional" figure of the banner). Returns 0 for a bad @desc_size.
 */
uint64_t efi_memmap_bytes(const void *map, uint64_t map_size, uint64_t desc_size,
			  uint32_t efi_type);

#endif
