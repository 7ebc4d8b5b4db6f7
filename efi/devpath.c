/* SPDX-License-Identifier: MIT */
/*
 * What the loader's own device path says about where it came from
 * (UEFI 2.10 §10.3 "Device Path Nodes"): the Hard Drive media node of the
 * partition the firmware loaded us from.
 */
#include "devpath.h"
#include "status.h"
#include "core/errno.h"
#include "core/str.h"
#include "fs/partition.h"

#define DP_TYPE_MEDIA 0x04
#define DP_SUBTYPE_HARD_DRIVE 0x01
#define DP_TYPE_END 0x7f
#define DP_NODE_HEADER 4
/* Hard Drive node: PartitionNumber @4, Start @8, Size @16, Signature[16] @24,
 * MBRType @40, SignatureType @41; 42 bytes. */
#define HD_SIGNATURE 24
#define HD_SIGNATURE_TYPE 41
#define HD_NODE_LEN 42
#define HD_SIGNATURE_GUID 0x02

/* A firmware path has no overall length: nodes are bounded one by one. */
#define DP_MAX_NODES 64
#define DP_MAX_NODE_LEN 4096

int devpath_part_guid(const void *path, char out[37])
{
	const uint8_t *node = path;

	out[0] = 0;
	for (unsigned i = 0; node && i < DP_MAX_NODES; i++) {
		uint16_t len = get_le16(node + 2);
		if (node[0] == DP_TYPE_END || len < DP_NODE_HEADER || len > DP_MAX_NODE_LEN)
			break;
		if (node[0] == DP_TYPE_MEDIA && node[1] == DP_SUBTYPE_HARD_DRIVE &&
		    len >= HD_NODE_LEN && node[HD_SIGNATURE_TYPE] == HD_SIGNATURE_GUID) {
			guid_to_text(node + HD_SIGNATURE, out);
			return 0;
		}
		node += len;
	}
	return -ENOENT;
}

/* Bytes of @path before its end node, or 0 when it is malformed. */
static size_t devpath_length(const void *path)
{
	const uint8_t *node = path;
	size_t total = 0;
	for (unsigned i = 0; i < DP_MAX_NODES; i++) {
		uint16_t len = get_le16(node + 2);
		if (len < DP_NODE_HEADER || len > DP_MAX_NODE_LEN)
			return 0;
		if (node[0] == DP_TYPE_END)
			return total;
		total += len;
		node += len;
	}
	return 0;
}

int efi_partition_devpath(const char *part_uuid, const void **path, size_t *len)
{
	EFI_HANDLE *handles = NULL;
	UINTN count = 0;
	int rc = -ENOENT;

	EFI_STATUS st = uefi_call_wrapper(BS->LocateHandleBuffer, 5, ByProtocol, &BlockIoProtocol,
					  NULL, &count, &handles);
	if (EFI_ERROR(st))
		return efi_fail(st, "LocateHandleBuffer (Block I/O)");
	for (UINTN i = 0; i < count && rc; i++) {
		EFI_DEVICE_PATH *dp;
		char guid[37];
		st = uefi_call_wrapper(BS->HandleProtocol, 3, handles[i], &DevicePathProtocol,
				       (void **)&dp);
		if (EFI_ERROR(st) || devpath_part_guid(dp, guid) || !str_eq_nocase(guid, part_uuid))
			continue;
		*len = devpath_length(dp);
		*path = dp;
		rc = *len ? 0 : -ENOENT;
	}
	(void)uefi_call_wrapper(BS->FreePool, 1, handles);
	return rc;
}

int efi_image_part_guid(EFI_HANDLE image, char out[37])
{
	EFI_LOADED_IMAGE *li;
	EFI_DEVICE_PATH *dp;

	out[0] = 0;
	EFI_STATUS st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
					  (void **)&li);
	if (EFI_ERROR(st))
		return efi_fail(st, "HandleProtocol (Loaded Image)");
	if (!li->DeviceHandle)
		return -ENOENT;
	st = uefi_call_wrapper(BS->HandleProtocol, 3, li->DeviceHandle, &DevicePathProtocol,
			       (void **)&dp);
	if (st == EFI_UNSUPPORTED)
		return -ENOENT;
	if (EFI_ERROR(st))
		return efi_fail(st, "HandleProtocol (Device Path)");
	return devpath_part_guid(dp, out);
}
