/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_INITRD_LF2_H
#define PVHBOOT_EFI_INITRD_LF2_H

#include "loaders/kernel.h"

/*
 * efi_initrd_install() - serve the modules of @req, concatenated (each
 * padded to 4 bytes, as cpio archives may be), to a Linux EFI stub: a
 * handle with a vendor media device path of LINUX_INITRD_MEDIA_GUID and
 * EFI_LOAD_FILE2_PROTOCOL, which the stub (Linux 5.8+) asks for its
 * initrd. Nothing is installed without modules. Returns 0 or -E* (logged).
 */
int efi_initrd_install(const struct boot_request *req);

/* Take the handle away again (the image returned); harmless if none. */
void efi_initrd_uninstall(void);

#endif
