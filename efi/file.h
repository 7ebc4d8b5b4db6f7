/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_FILE_H
#define PVHBOOT_EFI_FILE_H

#include "uefi.h"

/*
 * efi_read_small_file() - read the whole file @path (UCS-2, backslashes,
 * from the volume root) on the Simple File System of @device into @buf.
 * For configuration-sized files: the file must fit @size bytes.
 * Returns 0 and sets *@len; -ENOENT when the device has no file system or
 * no such file (not logged: absence is an answer); -EFBIG when the file is
 * larger than @size; any other -E* of a failed call, logged.
 */
int efi_read_small_file(EFI_HANDLE device, const CHAR16 *path, void *buf, size_t size,
			size_t *len);

#endif
