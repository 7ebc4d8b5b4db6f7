/* SPDX-License-Identifier: MIT */
/*
 * Secure Boot (UEFI 2.10 §32): whether it is enforcing, shim's SHIM_LOCK
 * verification, the config digests enrolled in this image, and .sbat.
 */
#ifndef PVHBOOT_EFI_SECUREBOOT_H
#define PVHBOOT_EFI_SECUREBOOT_H

#include "uefi.h"

/* SecureBoot == 1 and SetupMode == 0 (read once, reported once). */
bool efi_secure_boot(void);

/*
 * efi_shim_verify() - verify @size bytes of a PE image through shim's
 * SHIM_LOCK protocol (db, MOK, SBAT). Returns 0 when verified, -ENOENT
 * without shim (the firmware's LoadImage verifies then), -EACCES when shim
 * refuses it.
 */
int efi_shim_verify(const void *image, size_t size);

/* boot_platform.config_enrolled: @sha256 is in this image's .pvhcfg section. */
bool efi_config_enrolled(const uint8_t sha256[32]);

#endif
