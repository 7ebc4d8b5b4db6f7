/* SPDX-License-Identifier: MIT */
/*
 * EFI_STATUS ends here: efi/ converts every status to 0 or a negative -E*
 * from core/errno.h, so nothing outside efi/ ever sees a firmware code.
 */
#ifndef PVHBOOT_EFI_STATUS_H
#define PVHBOOT_EFI_STATUS_H

#include "uefi.h"

/* 0 for success and for warnings (high bit clear), else a negative -E*. */
int efi_errno(EFI_STATUS st);

/* The spec's name for a status ("EFI_NOT_FOUND"), or "EFI_?" if unknown. */
const char *efi_status_name(EFI_STATUS st);

/*
 * efi_fail() - log "efi: CALL failed: EFI_NAME (-E)" and return the -E*
 * for @st, so a call site reads: return efi_fail(st, "GetMemoryMap");
 * @st must be an error (EFI_ERROR(st)); anything else is reported as -EIO.
 */
int efi_fail(EFI_STATUS st, const char *call);

#endif
