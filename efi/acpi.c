/* SPDX-License-Identifier: MIT */
/*
 * The RSDP under UEFI comes from the configuration table (UEFI 2.10 §4.6),
 * not from a scan of the BIOS area, which an EFI machine need not have.
 * The ACPI 2.0 entry is preferred: it carries the XSDT (ACPI 6.5 §5.2.5.2).
 */
#include "acpi.h"
#include "core/acpi.h"
#include "core/errno.h"
#include "core/log.h"

static const struct {
	EFI_GUID guid;
	const char *name;
} rsdp_tables[] = {
	{ ACPI_20_TABLE_GUID, "ACPI 2.0" },
	{ ACPI_TABLE_GUID, "ACPI 1.0" },
};

static const void *find_table(const EFI_SYSTEM_TABLE *st, const EFI_GUID *guid)
{
	for (UINTN i = 0; i < st->NumberOfTableEntries; i++)
		if (!memcmp(&st->ConfigurationTable[i].VendorGuid, guid, sizeof(*guid)))
			return st->ConfigurationTable[i].VendorTable;
	return NULL;
}

int efi_find_rsdp(const EFI_SYSTEM_TABLE *st, uint64_t *addr)
{
	if (!st->ConfigurationTable)
		return -ENOENT;
	for (size_t t = 0; t < ARRAY_SIZE(rsdp_tables); t++) {
		const void *rsdp = find_table(st, &rsdp_tables[t].guid);
		if (!rsdp)
			continue;
		if (!acpi_rsdp_valid(rsdp)) {
			log_warn("efi: %s table at 0x%lx is not a valid RSDP", rsdp_tables[t].name,
				 (unsigned long)(uintptr_t)rsdp);
			continue;
		}
		*addr = (uintptr_t)rsdp;
		return 0;
	}
	return -ENOENT;
}
