/* SPDX-License-Identifier: MIT */
#include "acpi.h"

static uint8_t sum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *b++);
	return s;
}

size_t acpi_rsdp_size(const struct acpi_rsdp *r)
{
	return r->revision >= 2 ? MAX(r->length, (uint32_t)sizeof(*r)) : 20;
}

bool acpi_rsdp_valid(const void *p)
{
	const struct acpi_rsdp *r = p;
	if (memcmp(r->signature, "RSD PTR ", 8) || sum(r, 20))
		return false;
	if (r->revision >= 2 && (r->length < sizeof(*r) || r->length > 4096 || sum(r, r->length)))
		return false;
	return true;
}

static uint64_t scan(uint64_t start, uint64_t end)
{
	for (uint64_t a = start; a + 20 <= end; a += 16)
		if (acpi_rsdp_valid((const void *)(uintptr_t)a))
			return a;
	return 0;
}

uint64_t acpi_rsdp_scan(void)
{
	/* The BIOS data area holds the EBDA segment at 0x40E. */
	uintptr_t bda_ebda = 0x40e;
	/* Hide the constant address from GCC, which flags any access below
	 * 4 KiB as out of bounds of a zero-sized object. */
	__asm__("" : "+r"(bda_ebda));
	uint64_t ebda = (uint64_t)*(volatile const uint16_t *)bda_ebda << 4;
	uint64_t found = 0;
	if (ebda >= 0x80000 && ebda < 0xa0000)
		found = scan(ebda, ebda + 1024);
	return found ? found : scan(0xe0000, 0x100000);
}
