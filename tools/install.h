/* SPDX-License-Identifier: MIT */
/* What install, update and status share: where pvhboot lives on the ESP. */
#ifndef PVHBOOT_TOOLS_INSTALL_H
#define PVHBOOT_TOOLS_INSTALL_H

#include <stddef.h>
#include <stdint.h>

#include "esp.h"

#define INSTALL_IMAGE "/EFI/pvhboot/pvhboot.efi"
#define INSTALL_REMOVABLE "/EFI/BOOT/BOOTX64.EFI"
#define INSTALL_STAMP "/EFI/pvhboot/pvhboot.version"

/* The version in an EFI image's banner ("pvhboot VERSION (EFI ..."); 0 or -ENOENT. */
int install_image_version(const uint8_t *img, size_t len, char *out, size_t cap);
/* The version stamp on @esp; 0, -ENOENT (none), -E*. */
int install_installed_version(const struct esp *esp, char *out, size_t cap);

#endif
