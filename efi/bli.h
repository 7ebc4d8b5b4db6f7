/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_BLI_H
#define PVHBOOT_EFI_BLI_H

#include "uefi.h"
#include "config/config.h"

/*
 * efi_bli_start() - at start: LoaderInfo ("pvhboot VERSION"),
 * LoaderTimeInitUSec and, when the loader came from a GPT partition,
 * LoaderDevicePartUUID.
 */
void efi_bli_start(EFI_HANDLE image);

/* LoaderEntryOneShot, read and deleted; NULL when unset (boot_platform.one_shot). */
char *efi_bli_one_shot(void);

/* LoaderEntryDefault, or NULL (boot_platform.default_entry). */
const char *efi_bli_default_entry(void);

/* LoaderEntries: the ids of @m (boot_platform.menu_ready). */
void efi_bli_menu_ready(const struct menu *m);

/* LoaderEntrySelected: the id of the entry being booted. */
void efi_bli_entry_selected(const char *id);

/* LoaderTimeExecUSec: the last step before ExitBootServices. */
void efi_bli_exec(void);

/*
 * efi_bli_set_one_shot() - store @id as LoaderEntryOneShot in non-volatile
 * memory, as `bootctl set-oneshot` would. Returns 0 or -E* (logged).
 */
int efi_bli_set_one_shot(const char *id);

/* LoaderBootCountPath: the renamed entry file, "\\loader\\entries\\NAME+1-1.conf". */
void efi_bli_boot_count_path(const CHAR16 *path);

#endif
