/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_BLOCKIO_H
#define PVHBOOT_EFI_BLOCKIO_H

/*
 * efi_blockio_register() - register every Block I/O handle that is a whole
 * medium with a medium present as a block device "efia", "efib"... (fs/blockdev.h),
 * in the firmware's handle order. Partition handles are skipped: pvhboot
 * reads partition tables itself. Returns 0 (also with no disks), or the
 * -E* of a failed LocateHandleBuffer; a handle that cannot be used is
 * logged and skipped.
 */
int efi_blockio_register(void);

#endif
