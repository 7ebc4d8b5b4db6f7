/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_TCG2_H
#define PVHBOOT_EFI_TCG2_H

#include <stddef.h>

/*
 * efi_tcg2_measure() - boot_platform.measure: EFI_TCG2_PROTOCOL
 * HashLogExtendEvent of @data into @pcr as an EV_IPL event whose data is
 * @description (what tpm2_eventlog prints). Without a TPM it does nothing,
 * silently; a failing TPM is logged and the boot goes on (measured boot
 * records, it does not enforce).
 */
void efi_tcg2_measure(unsigned pcr, const void *data, size_t len, const char *description);

#endif
