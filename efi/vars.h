/* SPDX-License-Identifier: MIT */
/*
 * EFI variables holding strings (GetVariable/SetVariable, UEFI 2.10 §8.2):
 * UTF-16 in the variable, UTF-8 in the loader.
 */
#ifndef PVHBOOT_EFI_VARS_H
#define PVHBOOT_EFI_VARS_H

#include "uefi.h"

/* Attributes: a boot-time-only note, or one that survives a reboot. */
#define EFI_VAR_VOLATILE (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)
#define EFI_VAR_PERSISTENT (EFI_VAR_VOLATILE | EFI_VARIABLE_NON_VOLATILE)

/*
 * efi_var_get_string() - the UTF-16 string in variable @name of vendor
 * @guid as UTF-8 in @out (@size bytes, always terminated), up to its first
 * NUL. Returns 0; -ENOENT when there is no such variable (not logged);
 * -E2BIG when it does not fit; -EILSEQ for an odd size; other -E* of a
 * failed call, logged.
 */
int efi_var_get_string(const CHAR16 *name, const EFI_GUID *guid, char *out, size_t size);

/*
 * efi_var_set_string() - store UTF-8 @value as a NUL-terminated UTF-16
 * string with @attrs. Returns 0 or -E* (logged).
 */
int efi_var_set_string(const CHAR16 *name, const EFI_GUID *guid, const char *value,
		       uint32_t attrs);

/* Store @size raw bytes (a list of strings, say). Returns 0 or -E* (logged). */
int efi_var_set(const CHAR16 *name, const EFI_GUID *guid, const void *data, size_t size,
		uint32_t attrs);

/* Delete @name; 0 also when it did not exist, else -E* (logged). */
int efi_var_delete(const CHAR16 *name, const EFI_GUID *guid);

#endif
