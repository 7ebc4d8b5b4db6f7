/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_RENAME_H
#define PVHBOOT_EFI_RENAME_H

struct mounted;

/*
 * efi_rename_entry() - boot_platform.rename_entry: rename the file @path
 * of @vol to @new_name (same directory) through the firmware's Simple File
 * System, then set LoaderBootCountPath to its new path. -EOPNOTSUPP
 * (unlogged) when @vol is not a GPT partition the firmware has a file
 * system on; -EROFS for a write-protected ESP; other -E* logged.
 */
int efi_rename_entry(struct mounted *vol, const char *path, const char *new_name);

#endif
