/* SPDX-License-Identifier: MIT */
/*
 * BLS boot counting under EFI (boot/bootcount.h): the entry file is renamed
 * on the ESP through the firmware's own FAT driver, as systemd-boot does it
 * (EFI_FILE_PROTOCOL.SetInfo with a new FileName, UEFI 2.10 §13.5.16), and
 * its new path goes to LoaderBootCountPath for systemd-bless-boot.
 * pvhboot's fs/ drivers never write a directory: a rename is the
 * firmware's business.
 */
#include "bli.h"
#include "devpath.h"
#include "rename.h"
#include "status.h"
#include "utf8.h"
#include "core/errno.h"
#include "core/log.h"
#include "core/str.h"
#include "fs/volumes.h"

/* Documented limit: a path on the ESP, in UCS-2 units with the NUL. */
#define RENAME_PATH_MAX 256

/* The Simple File System handle of the GPT partition @part_uuid, or NULL. */
static EFI_HANDLE fs_handle_of(const char *part_uuid)
{
	EFI_HANDLE *handles = NULL, found = NULL;
	UINTN count = 0;
	EFI_STATUS st = uefi_call_wrapper(BS->LocateHandleBuffer, 5, ByProtocol,
					  &FileSystemProtocol, NULL, &count, &handles);
	if (EFI_ERROR(st))
		return NULL;
	for (UINTN i = 0; i < count && !found; i++) {
		EFI_DEVICE_PATH *dp;
		char guid[37];
		st = uefi_call_wrapper(BS->HandleProtocol, 3, handles[i], &DevicePathProtocol,
				       (void **)&dp);
		if (!EFI_ERROR(st) && !devpath_part_guid(dp, guid) && str_eq_nocase(guid, part_uuid))
			found = handles[i];
	}
	(void)uefi_call_wrapper(BS->FreePool, 1, handles);
	return found;
}

/* "/loader/entries/x.conf" as the firmware spells it: "\loader\entries\x.conf". */
static bool to_firmware_path(const char *path, CHAR16 *out, size_t max)
{
	if (!utf8_to_ucs2le(path, out, max))
		return false;
	for (size_t i = 0; out[i]; i++)
		if (out[i] == '/')
			out[i] = '\\';
	return true;
}

/* SetInfo with the same EFI_FILE_INFO but @name: the firmware's rename. */
static int set_name(EFI_FILE_HANDLE f, const CHAR16 *name, size_t name_units)
{
	UINTN size = 0;
	EFI_FILE_INFO *info = NULL;
	EFI_STATUS st = uefi_call_wrapper(f->GetInfo, 4, f, &GenericFileInfo, &size, NULL);
	if (st != EFI_BUFFER_TOO_SMALL)
		return efi_fail(st, "EFI_FILE_PROTOCOL.GetInfo (size)");
	if (size < SIZE_OF_EFI_FILE_INFO || size > 4096)
		return log_err(-EIO, "efi: GetInfo wants %lu bytes", (unsigned long)size);
	UINTN want = SIZE_OF_EFI_FILE_INFO + name_units * sizeof(CHAR16);
	UINTN cap = size > want ? size : want;
	info = malloc(cap);
	if (!info)
		return -ENOMEM;
	int rc = 0;
	st = uefi_call_wrapper(f->GetInfo, 4, f, &GenericFileInfo, &size, info);
	if (EFI_ERROR(st)) {
		rc = efi_fail(st, "EFI_FILE_PROTOCOL.GetInfo");
		goto out;
	}
	memcpy(info->FileName, name, name_units * sizeof(CHAR16));
	info->Size = want;
	st = uefi_call_wrapper(f->SetInfo, 4, f, &GenericFileInfo, want, info);
	if (st == EFI_WRITE_PROTECTED)
		rc = log_err(-EROFS, "efi: the ESP is write-protected");
	else if (EFI_ERROR(st))
		rc = efi_fail(st, "EFI_FILE_PROTOCOL.SetInfo (rename)");
	else {
		st = uefi_call_wrapper(f->Flush, 1, f);
		if (EFI_ERROR(st))
			rc = efi_fail(st, "EFI_FILE_PROTOCOL.Flush");
	}
out:
	free(info);
	return rc;
}

int efi_rename_entry(struct mounted *vol, const char *path, const char *new_name)
{
	static CHAR16 from[RENAME_PATH_MAX], to_name[RENAME_PATH_MAX], to_path[RENAME_PATH_MAX];
	char new_path[RENAME_PATH_MAX * 3];
	EFI_FILE_IO_INTERFACE *sfs;
	EFI_FILE_HANDLE root, file;
	EFI_HANDLE h;

	/* Only a GPT partition the firmware serves with its own FAT driver (the ESP). */
	h = vol->part_uuid[0] ? fs_handle_of(vol->part_uuid) : NULL;
	if (!h)
		return -EOPNOTSUPP;
	const char *slash = strrchr(path, '/');
	if (!slash)
		return log_err(-EINVAL, "efi: %s: not a path", path);
	fmt_snprintf(new_path, sizeof(new_path), "%.*s/%s", (int)(slash - path), path, new_name);
	size_t units = utf8_to_ucs2le(new_name, to_name, RENAME_PATH_MAX);
	if (!units || !to_firmware_path(path, from, RENAME_PATH_MAX) ||
	    !to_firmware_path(new_path, to_path, RENAME_PATH_MAX))
		return log_err(-E2BIG, "efi: %s: path too long to rename", path);

	EFI_STATUS st = uefi_call_wrapper(BS->HandleProtocol, 3, h, &FileSystemProtocol,
					  (void **)&sfs);
	if (EFI_ERROR(st))
		return efi_fail(st, "HandleProtocol (Simple File System)");
	st = uefi_call_wrapper(sfs->OpenVolume, 2, sfs, &root);
	if (EFI_ERROR(st))
		return efi_fail(st, "OpenVolume");
	int rc;
	st = uefi_call_wrapper(root->Open, 5, root, &file, from,
			       EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0);
	if (st == EFI_WRITE_PROTECTED) {
		rc = log_err(-EROFS, "efi: %s: the ESP is write-protected", path);
		goto close_root;
	}
	if (EFI_ERROR(st)) {
		rc = efi_fail(st, "EFI_FILE_PROTOCOL.Open (read-write)");
		goto close_root;
	}
	rc = set_name(file, to_name, units);
	st = uefi_call_wrapper(file->Close, 1, file);
	if (!rc && EFI_ERROR(st))
		rc = efi_fail(st, "EFI_FILE_PROTOCOL.Close");
	if (!rc)
		efi_bli_boot_count_path(to_path);
close_root:
	(void)uefi_call_wrapper(root->Close, 1, root);
	return rc;
}
