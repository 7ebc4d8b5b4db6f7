/* SPDX-License-Identifier: MIT */
/*
 * The firmware boot entry for pvhboot: Boot#### holding an EFI_LOAD_OPTION
 * whose device path is HD(partition, GPT signature)/File(path), first in
 * BootOrder (include/abi/efi_loadopt.h).
 */
#ifndef PVHBOOT_TOOLS_BOOTENTRY_H
#define PVHBOOT_TOOLS_BOOTENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "efivars.h"
#include "esp.h"

#define BOOTENTRY_LABEL "pvhboot"
#define BOOTENTRY_PATH "\\EFI\\pvhboot\\pvhboot.efi"

/*
 * bootentry_build() - the EFI_LOAD_OPTION for @label starting @file (a
 * backslash path) on the GPT partition of @esp, malloc()ed. 0 or -E*.
 */
int bootentry_build(const struct esp *esp, const char *label, const char *file, uint8_t **out,
		    size_t *len);

/*
 * bootentry_describe() - "LABEL: HD(N,GPT,GUID)/File(PATH)" for a load
 * option, or -EINVAL when it does not parse (every length checked).
 */
int bootentry_describe(const uint8_t *opt, size_t len, char *label, size_t label_cap, char *path,
		       size_t path_cap);

/*
 * bootentry_install() - write the entry for @esp: an existing Boot####
 * labelled BOOTENTRY_LABEL is replaced, else the lowest free number is
 * used; the number goes first in BootOrder. Returns 0 and *number, or -E*.
 */
int bootentry_install(struct efivars *ev, const struct esp *esp, unsigned *number);

/* bootentry_find() - the number of the Boot#### labelled BOOTENTRY_LABEL; 0 or -ENOENT. */
int bootentry_find(struct efivars *ev, unsigned *number);

#endif
