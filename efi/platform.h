/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_PLATFORM_H
#define PVHBOOT_EFI_PLATFORM_H

#include "boot/boot.h"

/* The EFI platform for boot_from_disks(); needs efi_exit_prepare() first. */
extern const struct boot_platform efi_platform;

#endif
