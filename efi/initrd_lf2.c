/* SPDX-License-Identifier: MIT */
/*
 * The initrd for a Linux EFI stub, the way the stub asks for it since
 * Linux 5.8 (drivers/firmware/efi/libstub, efi_load_initrd_dev_path):
 * LocateDevicePath(EFI_LOAD_FILE2_PROTOCOL) on the device path
 * VenMedia(5568e427-68fc-4f3d-ac74-ca555231cc68)/End, then LoadFile2 once
 * with no buffer for the size and once more to fill its buffer (UEFI 2.10
 * §13.2). The stub, not pvhboot, measures what it receives into PCR 9.
 */
#include "initrd_lf2.h"
#include "status.h"
#include "uefi.h"
#include "core/errno.h"
#include "core/log.h"
#include "include/abi/uefi_boot.h"

static EFI_GUID load_file2_guid = { 0x4006c0c1, 0xfcb3, 0x403e,
				    { 0x99, 0x6d, 0x4a, 0x6c, 0x87, 0x24, 0xe0, 0x6d } };
static EFI_GUID devpath_guid = DEVICE_PATH_PROTOCOL;

struct load_file2 {
	EFI_STATUS(EFIAPI *load_file)(struct load_file2 *self, void *path, BOOLEAN boot_policy,
				      UINTN *size, void *buf);
};

/* The device path: one vendor media node, then the end node. */
static const struct {
	struct uefi_dp_vendor vendor;
	struct uefi_dp_header end;
} ABI_PACKED initrd_path = {
	{ { UEFI_DP_MEDIA, UEFI_DP_MEDIA_VENDOR, sizeof(struct uefi_dp_vendor) },
	  /* 5568e427-68fc-4f3d-ac74-ca555231cc68, in EFI_GUID byte order */
	  { 0x27, 0xe4, 0x68, 0x55, 0xfc, 0x68, 0x3d, 0x4f,
	    0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68 } },
	{ UEFI_DP_END, UEFI_DP_END_ENTIRE, sizeof(struct uefi_dp_header) },
};

static struct {
	uint8_t *data;
	size_t size;
	EFI_HANDLE handle;
	bool joined;          /* data is ours (several modules joined), not the request's */
	bool have_path, have_lf2;
} rd;

static EFI_STATUS EFIAPI load_file(struct load_file2 *self, void *path, BOOLEAN boot_policy,
				   UINTN *size, void *buf)
{
	(void)self;
	(void)path;
	/* §13.2: LoadFile2 never boots; a boot-policy request is not for it. */
	if (boot_policy)
		return EFI_UNSUPPORTED;
	if (!size)
		return EFI_INVALID_PARAMETER;
	if (!buf || *size < rd.size) {
		*size = rd.size;
		return EFI_BUFFER_TOO_SMALL;
	}
	memcpy(buf, rd.data, rd.size);
	*size = rd.size;
	return EFI_SUCCESS;
}

static struct load_file2 lf2 = { load_file };

int efi_initrd_install(const struct boot_request *req)
{
	size_t total = 0;
	if (!req->nr_modules)
		return 0;
	for (unsigned i = 0; i < req->nr_modules; i++) {
		size_t padded = ALIGN_UP(req->modules[i].size, 4);
		if (padded < req->modules[i].size || total + padded < total)
			return log_err(-EFBIG, "%s: initrds too large", req->name);
		total += padded;
	}
	/* One module is served as it is; several are joined into one buffer. */
	if (req->nr_modules == 1) {
		rd.data = (uint8_t *)req->modules[0].data;
		rd.size = req->modules[0].size;
	} else {
		rd.data = malloc(total);
		if (!rd.data)
			return log_err(-ENOMEM, "%s: no memory to join %u initrds (%lu bytes)",
				       req->name, req->nr_modules, (unsigned long)total);
		size_t off = 0;
		for (unsigned i = 0; i < req->nr_modules; i++) {
			memcpy(rd.data + off, req->modules[i].data, req->modules[i].size);
			memset(rd.data + off + req->modules[i].size, 0,
			       ALIGN_UP(req->modules[i].size, 4) - req->modules[i].size);
			off += ALIGN_UP(req->modules[i].size, 4);
		}
		rd.size = total;
		rd.joined = true;
	}
	rd.handle = NULL;
	EFI_STATUS st = uefi_call_wrapper(BS->InstallProtocolInterface, 4, &rd.handle,
					  &devpath_guid, EFI_NATIVE_INTERFACE,
					  (void *)&initrd_path);
	if (EFI_ERROR(st)) {
		efi_initrd_uninstall();
		return efi_fail(st, "InstallProtocolInterface (initrd device path)");
	}
	rd.have_path = true;
	st = uefi_call_wrapper(BS->InstallProtocolInterface, 4, &rd.handle, &load_file2_guid,
			       EFI_NATIVE_INTERFACE, &lf2);
	if (EFI_ERROR(st)) {
		efi_initrd_uninstall();
		return efi_fail(st, "InstallProtocolInterface (LoadFile2)");
	}
	rd.have_lf2 = true;
	log_info("efi: initrd of %lu bytes (%u file(s)) served through LoadFile2",
		 (unsigned long)rd.size, req->nr_modules);
	return 0;
}

void efi_initrd_uninstall(void)
{
	EFI_STATUS st;
	if (rd.have_lf2) {
		st = uefi_call_wrapper(BS->UninstallProtocolInterface, 3, rd.handle,
				       &load_file2_guid, &lf2);
		if (EFI_ERROR(st))
			(void)efi_fail(st, "UninstallProtocolInterface (LoadFile2)");
	}
	if (rd.have_path) {
		st = uefi_call_wrapper(BS->UninstallProtocolInterface, 3, rd.handle,
				       &devpath_guid, (void *)&initrd_path);
		if (EFI_ERROR(st))
			(void)efi_fail(st, "UninstallProtocolInterface (initrd device path)");
	}
	if (rd.joined)
		free(rd.data);
	memset(&rd, 0, sizeof(rd));
}
