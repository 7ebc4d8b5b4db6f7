/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_DISKS_H
#define PVHBOOT_EFI_DISKS_H

/*
 * efi_report_disks() - print one line per Block I/O handle: media id,
 * block size, last block, whether it is a partition, removable, read-only.
 * Returns 0 (also with no disks), or the -E* of a failed firmware call,
 * which it logs.
 */
int efi_report_disks(void);

#endif
