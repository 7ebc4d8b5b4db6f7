/* SPDX-License-Identifier: MIT */
/*
 * EFI memory descriptors to E820 ranges, with the type mapping of Linux's
 * EFI stub (drivers/firmware/efi/libstub/x86-stub.c, setup_e820), so that a
 * kernel booted through pvhboot sees the map the stub would have built.
 * Memory types: UEFI 2.10 §7.2 "EFI_BOOT_SERVICES.AllocatePages()".
 */
#include "memmap.h"
#include "core/errno.h"

#define EFI_PAGE_BYTES 4096ull

/*
 * Indexed by EFI memory type; 0 leaves the range out. Boot-services and
 * loader memory is RAM: nothing of the firmware's boot phase survives
 * ExitBootServices. Unaccepted memory (confidential VMs) stays out: it
 * faults until accepted, and the loader does not accept memory, so a kernel
 * must not be told it is RAM.
 */
static const uint32_t e820_of_efi[] = {
	[EfiReservedMemoryType] = E820_RESERVED,
	[EfiLoaderCode] = E820_RAM,
	[EfiLoaderData] = E820_RAM,
	[EfiBootServicesCode] = E820_RAM,
	[EfiBootServicesData] = E820_RAM,
	[EfiRuntimeServicesCode] = E820_RESERVED,
	[EfiRuntimeServicesData] = E820_RESERVED,
	[EfiConventionalMemory] = E820_RAM,
	[EfiUnusableMemory] = E820_UNUSABLE,
	[EfiACPIReclaimMemory] = E820_ACPI,
	[EfiACPIMemoryNVS] = E820_NVS,
	[EfiMemoryMappedIO] = E820_RESERVED,
	[EfiMemoryMappedIOPortSpace] = E820_RESERVED,
	[EfiPalCode] = E820_RESERVED,
	[EFI_PERSISTENT_MEMORY_TYPE] = E820_PMEM,
	[EFI_UNACCEPTED_MEMORY_TYPE] = 0,
};

/* The numbering above is the spec's; make sure gnu-efi agrees. */
_Static_assert(EfiConventionalMemory == 7 && EfiPalCode == 13, "UEFI memory type numbers");

uint32_t efi_type_to_e820(uint32_t efi_type, uint64_t attr)
{
	/* OEM (0x70000000+) and OS (0x80000000+) types, and future ones, are left out. */
	if (efi_type >= ARRAY_SIZE(e820_of_efi))
		return 0;
	uint32_t type = e820_of_efi[efi_type];
	if (type == E820_RAM && (attr & EFI_MEMORY_SP_ATTR))
		return E820_SOFT_RESERVED;
	return type;
}

static bool desc_size_ok(uint64_t desc_size)
{
	/* Later spec versions may grow the descriptor, never shrink it. */
	return desc_size >= sizeof(EFI_MEMORY_DESCRIPTOR) && desc_size % 8 == 0;
}

/* Bytes covered by @d, clipped at the top of the address space. */
static uint64_t desc_bytes(const EFI_MEMORY_DESCRIPTOR *d)
{
	uint64_t room = UINT64_MAX - d->PhysicalStart;
	if (d->NumberOfPages > room / EFI_PAGE_BYTES)
		return room;
	return d->NumberOfPages * EFI_PAGE_BYTES;
}

int efi_memmap_to_e820(const void *map, uint64_t map_size, uint64_t desc_size,
		       struct mem_range *out, uint32_t max, uint32_t *count)
{
	uint32_t n = 0;

	*count = 0;
	if (!desc_size_ok(desc_size))
		return -EINVAL;
	for (uint64_t off = 0; range_ok(off, desc_size, map_size); off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d =
			(const EFI_MEMORY_DESCRIPTOR *)((const uint8_t *)map + off);
		uint32_t type = efi_type_to_e820(d->Type, d->Attribute);
		uint64_t size = desc_bytes(d);
		if (!type || !size)
			continue;
		struct mem_range *prev = n ? &out[n - 1] : NULL;
		if (prev && prev->type == type && prev->addr + prev->size == d->PhysicalStart &&
		    size <= UINT64_MAX - prev->addr - prev->size) {
			prev->size += size;
			continue;
		}
		if (n == max)
			return -ENOSPC;
		out[n++] = (struct mem_range){ .addr = d->PhysicalStart, .size = size, .type = type };
	}
	*count = n;
	return 0;
}

uint64_t efi_memmap_bytes(const void *map, uint64_t map_size, uint64_t desc_size,
			  uint32_t efi_type)
{
	uint64_t total = 0;

	if (!desc_size_ok(desc_size))
		return 0;
	for (uint64_t off = 0; range_ok(off, desc_size, map_size); off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d =
			(const EFI_MEMORY_DESCRIPTOR *)((const uint8_t *)map + off);
		if (d->Type == efi_type)
			total += desc_bytes(d);
	}
	return total;
}
