/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_LOADOPTS_H
#define PVHBOOT_EFI_LOADOPTS_H

#include "uefi.h"

/* The options file, on the volume the loader was started from. */
#define EFI_OPTIONS_FILE u"\\EFI\\BOOT\\pvhboot.opt"
#define EFI_OPTIONS_FILE_NAME "\\EFI\\BOOT\\pvhboot.opt" /* for messages */

/*
 * efi_loader_options() - the loader's options into @out (@size bytes):
 * the text of EFI_OPTIONS_FILE when it exists, otherwise the LoadOptions
 * the image was started with. The firmware passes none on the removable
 * media path (\EFI\BOOT\BOOTX64.EFI), hence the file. Sources that are not
 * ASCII text are ignored with a message. @out always ends up a string,
 * empty when there are no options. Returns 0, or the -E* of a failure to
 * reach the LoadedImage protocol (logged).
 */
int efi_loader_options(EFI_HANDLE image, char *out, size_t size);

#endif
