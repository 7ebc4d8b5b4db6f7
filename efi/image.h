/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_IMAGE_H
#define PVHBOOT_EFI_IMAGE_H

#include "uefi.h"
#include "loaders/kernel.h"

/* Remember the loader's own image handle, the parent of the images it starts. */
void efi_image_init(EFI_HANDLE self);

/*
 * efi_start_image() - boot_platform.start_image: a PE image (a Linux
 * kernel with its EFI stub, a unified kernel image, any EFI application)
 * through LoadImage and StartImage, its command line as UTF-16
 * LoadOptions and its initrds through LoadFile2 (initrd_lf2.h). Under
 * Secure Boot shim verifies it when present, else LoadImage does. Returns
 * only when it was refused or returned: -E* (logged), the firmware's
 * memory and protocols as before.
 */
int efi_start_image(const struct boot_request *req);

#endif
