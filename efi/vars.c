/* SPDX-License-Identifier: MIT */
/*
 * String variables. The values loaders and the OS exchange this way (the
 * Boot Loader Interface, say) are NUL-terminated UTF-16; GetVariable and
 * SetVariable are UEFI 2.10 §8.2.
 */
#include "status.h"
#include "utf8.h"
#include "vars.h"
#include "core/errno.h"
#include "core/log.h"

/* The longest string value handled, in UTF-16 units with its NUL. */
#define VAR_MAX_UNITS 2048

int efi_var_get_string(const CHAR16 *name, const EFI_GUID *guid, char *out, size_t size)
{
	uint8_t *raw = malloc(VAR_MAX_UNITS * 2);
	UINTN len = VAR_MAX_UNITS * 2;
	UINT32 attrs;
	int rc;

	if (size)
		out[0] = 0;
	if (!raw)
		return -ENOMEM;
	EFI_STATUS st = uefi_call_wrapper(RT->GetVariable, 5, (CHAR16 *)name, (EFI_GUID *)guid,
					  &attrs, &len, raw);
	if (st == EFI_NOT_FOUND)
		rc = -ENOENT;
	else if (st == EFI_BUFFER_TOO_SMALL)
		rc = -E2BIG;
	else if (EFI_ERROR(st))
		rc = efi_fail(st, "GetVariable");
	else if (len % 2)
		rc = -EILSEQ;
	else
		rc = ucs2le_to_utf8(raw, len / 2, out, size);
	free(raw);
	return rc;
}

int efi_var_set(const CHAR16 *name, const EFI_GUID *guid, const void *data, size_t size,
		uint32_t attrs)
{
	EFI_STATUS st = uefi_call_wrapper(RT->SetVariable, 5, (CHAR16 *)name, (EFI_GUID *)guid,
					  (UINT32)attrs, (UINTN)size, (void *)data);
	return EFI_ERROR(st) ? efi_fail(st, "SetVariable") : 0;
}

int efi_var_set_string(const CHAR16 *name, const EFI_GUID *guid, const char *value,
		       uint32_t attrs)
{
	uint8_t *raw = malloc(VAR_MAX_UNITS * 2);
	if (!raw)
		return -ENOMEM;
	size_t units = utf8_to_ucs2le(value, raw, VAR_MAX_UNITS);
	int rc = units ? efi_var_set(name, guid, raw, units * 2, attrs) : -E2BIG;
	free(raw);
	return rc;
}

int efi_var_delete(const CHAR16 *name, const EFI_GUID *guid)
{
	/* A zero size with no attributes deletes (UEFI 2.10 §8.2 SetVariable). */
	EFI_STATUS st = uefi_call_wrapper(RT->SetVariable, 5, (CHAR16 *)name, (EFI_GUID *)guid,
					  0, 0, NULL);
	if (st == EFI_NOT_FOUND)
		return 0;
	return EFI_ERROR(st) ? efi_fail(st, "SetVariable (delete)") : 0;
}
