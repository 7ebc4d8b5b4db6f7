/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_CORE_ACPI_H
#define PVHBOOT_CORE_ACPI_H

#include "lib.h"

/* ACPI RSDP (ACPI 6.5 §5.2.5.3): 20 bytes in revision 0, 36 from revision 2. */
struct acpi_rsdp {
	char signature[8]; /* "RSD PTR " */
	uint8_t checksum;  /* first 20 bytes sum to 0 */
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length;   /* revision >= 2 */
	uint64_t xsdt_address;
	uint8_t extended_checksum; /* all `length` bytes sum to 0 */
	uint8_t _pad[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP size");

/* True when @p holds a valid RSDP (signature and checksums). */
bool acpi_rsdp_valid(const void *p);

/* Bytes to copy for this RSDP: 20, or `length` (at least 36) from revision 2. */
size_t acpi_rsdp_size(const struct acpi_rsdp *r);

/*
 * acpi_rsdp_scan() - the legacy BIOS search: the first KiB of the EBDA, then
 * 0xE0000-0xFFFFF, on 16-byte boundaries. Returns the address or 0. Only for
 * platforms where low memory is identity-mapped and readable.
 */
uint64_t acpi_rsdp_scan(void);

#endif
