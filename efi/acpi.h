/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_ACPI_H
#define PVHBOOT_EFI_ACPI_H

#include "uefi.h"

/*
 * efi_find_rsdp() - the RSDP from the configuration table: the ACPI 2.0
 * entry first, then the ACPI 1.0 one, each used only if its signature and
 * checksums hold (an invalid entry is logged and skipped). Returns 0 and
 * sets *@addr, or -ENOENT when no valid RSDP is listed.
 */
int efi_find_rsdp(const EFI_SYSTEM_TABLE *st, uint64_t *addr);

#endif
