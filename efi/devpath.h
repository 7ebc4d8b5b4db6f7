/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_DEVPATH_H
#define PVHBOOT_EFI_DEVPATH_H

#include "uefi.h"

/*
 * devpath_part_guid() - the unique partition GUID of the first GPT Hard
 * Drive node of the device path @path, as lower-case text in @out. Pure:
 * no firmware calls. Returns 0, or -ENOENT when no node names a GPT
 * partition (an MBR partition, a CD, a path from memory).
 */
int devpath_part_guid(const void *path, char out[37]);

/*
 * efi_image_part_guid() - the same for the device the loader @image was
 * loaded from (systemd's LoaderDevicePartUUID). Returns 0, -ENOENT, or the
 * -E* of a failed firmware call (logged).
 */
int efi_image_part_guid(EFI_HANDLE image, char out[37]);

/*
 * efi_partition_devpath() - the firmware's device path of the GPT
 * partition whose unique GUID is @part_uuid (text), without its end node:
 * *len bytes at *path, owned by the firmware. Returns 0, or -ENOENT when
 * no Block I/O handle is that partition.
 */
int efi_partition_devpath(const char *part_uuid, const void **path, size_t *len);

#endif
