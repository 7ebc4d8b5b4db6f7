/* SPDX-License-Identifier: MIT */
/*
 * The one place the gnu-efi headers are included. They predate
 * -Wstrict-prototypes (efiapi.h declares an `()` function type), so that
 * warning is off for them alone; our own code keeps it.
 */
#ifndef PVHBOOT_EFI_UEFI_H
#define PVHBOOT_EFI_UEFI_H

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <efi.h>
#include <efilib.h>
#pragma GCC diagnostic pop

#include "core/lib.h"

#endif
