/* SPDX-License-Identifier: MIT */
/*
 * Small files through the firmware's own FAT driver (Simple File System
 * Protocol and EFI_FILE_PROTOCOL, UEFI 2.10 §13.4-13.5): enough for options
 * read from the ESP. Kernels are read with pvhboot's own fs/ drivers.
 */
#include "file.h"
#include "status.h"
#include "core/errno.h"
#include "core/log.h"

static void close_file(EFI_FILE_HANDLE f, const char *what)
{
	EFI_STATUS st = uefi_call_wrapper(f->Close, 1, f);
	if (EFI_ERROR(st))
		(void)efi_fail(st, what);
}

/* Read until @size bytes or end of file: Read may return less than asked. */
static int read_all(EFI_FILE_HANDLE f, uint8_t *buf, size_t size, size_t *len)
{
	size_t done = 0;
	for (;;) {
		UINTN n = size - done;
		EFI_STATUS st = uefi_call_wrapper(f->Read, 3, f, &n, buf + done);
		if (EFI_ERROR(st))
			return efi_fail(st, "EFI_FILE_PROTOCOL.Read");
		if (n > size - done)
			return log_err(-EIO, "efi: Read returned %lu bytes for %lu asked",
				       (unsigned long)n, (unsigned long)(size - done));
		if (n == 0)
			break;
		done += n;
		if (done == size) {
			/* Full buffer: one more byte would mean the file does not fit. */
			uint8_t extra;
			n = 1;
			st = uefi_call_wrapper(f->Read, 3, f, &n, &extra);
			if (EFI_ERROR(st))
				return efi_fail(st, "EFI_FILE_PROTOCOL.Read");
			if (n)
				return -EFBIG;
			break;
		}
	}
	*len = done;
	return 0;
}

int efi_read_small_file(EFI_HANDLE device, const CHAR16 *path, void *buf, size_t size,
			size_t *len)
{
	EFI_FILE_IO_INTERFACE *fs;
	EFI_FILE_HANDLE root, file;
	EFI_STATUS st;
	int rc;

	*len = 0;
	st = uefi_call_wrapper(BS->HandleProtocol, 3, device, &FileSystemProtocol, (void **)&fs);
	if (st == EFI_UNSUPPORTED)
		return -ENOENT; /* the loader came from a device without a file system */
	if (EFI_ERROR(st))
		return efi_fail(st, "HandleProtocol (Simple File System)");

	st = uefi_call_wrapper(fs->OpenVolume, 2, fs, &root);
	if (EFI_ERROR(st))
		return efi_fail(st, "OpenVolume");

	st = uefi_call_wrapper(root->Open, 5, root, &file, (CHAR16 *)path, EFI_FILE_MODE_READ, 0);
	if (st == EFI_NOT_FOUND) {
		rc = -ENOENT;
		goto close_root;
	}
	if (EFI_ERROR(st)) {
		rc = efi_fail(st, "EFI_FILE_PROTOCOL.Open");
		goto close_root;
	}

	rc = read_all(file, buf, size, len);
	close_file(file, "EFI_FILE_PROTOCOL.Close (file)");
close_root:
	close_file(root, "EFI_FILE_PROTOCOL.Close (volume)");
	return rc;
}
