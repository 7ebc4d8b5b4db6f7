/* SPDX-License-Identifier: MIT */
/*
 * EFI_STATUS to -E*. The codes and their numbers are UEFI 2.10 Appendix D
 * "Status Codes"; errors have the top bit set, warnings do not.
 */
#include "status.h"
#include "core/errno.h"
#include "core/log.h"

struct status_info {
	EFI_STATUS status;
	const char *name;
	int err; /* positive E* */
};

static const struct status_info statuses[] = {
	{ EFI_LOAD_ERROR, "EFI_LOAD_ERROR", ENOEXEC },
	{ EFI_INVALID_PARAMETER, "EFI_INVALID_PARAMETER", EINVAL },
	{ EFI_UNSUPPORTED, "EFI_UNSUPPORTED", EOPNOTSUPP },
	{ EFI_BAD_BUFFER_SIZE, "EFI_BAD_BUFFER_SIZE", EINVAL },
	{ EFI_BUFFER_TOO_SMALL, "EFI_BUFFER_TOO_SMALL", ENOSPC },
	{ EFI_NOT_READY, "EFI_NOT_READY", EAGAIN },
	{ EFI_DEVICE_ERROR, "EFI_DEVICE_ERROR", EIO },
	{ EFI_WRITE_PROTECTED, "EFI_WRITE_PROTECTED", EROFS },
	{ EFI_OUT_OF_RESOURCES, "EFI_OUT_OF_RESOURCES", ENOMEM },
	{ EFI_VOLUME_CORRUPTED, "EFI_VOLUME_CORRUPTED", EUCLEAN },
	{ EFI_VOLUME_FULL, "EFI_VOLUME_FULL", ENOSPC },
	/* No ENOMEDIUM in core/errno.h: no medium means no usable device. */
	{ EFI_NO_MEDIA, "EFI_NO_MEDIA", ENODEV },
	{ EFI_MEDIA_CHANGED, "EFI_MEDIA_CHANGED", EIO },
	{ EFI_NOT_FOUND, "EFI_NOT_FOUND", ENOENT },
	{ EFI_ACCESS_DENIED, "EFI_ACCESS_DENIED", EACCES },
	{ EFI_NO_RESPONSE, "EFI_NO_RESPONSE", ETIMEDOUT },
	{ EFI_NO_MAPPING, "EFI_NO_MAPPING", ENODEV },
	{ EFI_TIMEOUT, "EFI_TIMEOUT", ETIMEDOUT },
	{ EFI_NOT_STARTED, "EFI_NOT_STARTED", ENODEV },
	{ EFI_ALREADY_STARTED, "EFI_ALREADY_STARTED", EBUSY },
	{ EFI_ABORTED, "EFI_ABORTED", EIO },
	{ EFI_ICMP_ERROR, "EFI_ICMP_ERROR", EIO },
	{ EFI_TFTP_ERROR, "EFI_TFTP_ERROR", EIO },
	{ EFI_PROTOCOL_ERROR, "EFI_PROTOCOL_ERROR", EIO },
	{ EFI_INCOMPATIBLE_VERSION, "EFI_INCOMPATIBLE_VERSION", EOPNOTSUPP },
	{ EFI_SECURITY_VIOLATION, "EFI_SECURITY_VIOLATION", EACCES },
	{ EFI_CRC_ERROR, "EFI_CRC_ERROR", EIO },
	{ EFI_END_OF_MEDIA, "EFI_END_OF_MEDIA", ENOSPC },
	{ EFI_END_OF_FILE, "EFI_END_OF_FILE", ENODATA },
	{ EFI_INVALID_LANGUAGE, "EFI_INVALID_LANGUAGE", EINVAL },
	{ EFI_COMPROMISED_DATA, "EFI_COMPROMISED_DATA", EIO },
};

static const struct status_info *lookup(EFI_STATUS st)
{
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		if (statuses[i].status == st)
			return &statuses[i];
	return NULL;
}

int efi_errno(EFI_STATUS st)
{
	if (!EFI_ERROR(st))
		return 0;
	const struct status_info *info = lookup(st);
	/* Unknown errors (newer spec, OEM range) are still failures. */
	return info ? -info->err : -EIO;
}

const char *efi_status_name(EFI_STATUS st)
{
	if (st == EFI_SUCCESS)
		return "EFI_SUCCESS";
	const struct status_info *info = lookup(st);
	return info ? info->name : "EFI_?";
}

int efi_fail(EFI_STATUS st, const char *call)
{
	int rc = efi_errno(st);
	if (rc == 0)
		rc = -EIO; /* a caller's bug; still fail rather than report success */
	return log_err(rc, "efi: %s failed: %s (0x%lx)", call, efi_status_name(st),
		       (unsigned long)st);
}
