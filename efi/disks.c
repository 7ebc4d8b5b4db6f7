/* SPDX-License-Identifier: MIT */
/*
 * The firmware's block devices (EFI_BLOCK_IO_PROTOCOL, UEFI 2.10 §13.9).
 * The firmware installs one handle per disk and one per partition it
 * recognised; LogicalPartition tells them apart.
 */
#include "disks.h"
#include "status.h"
#include "core/errno.h"
#include "core/log.h"

/* Whole MiB of a medium, or 0 when the firmware's numbers overflow 64 bits. */
static uint64_t media_mib(const EFI_BLOCK_IO_MEDIA *m)
{
	uint64_t bytes;
	if (m->LastBlock == UINT64_MAX ||
	    __builtin_mul_overflow(m->LastBlock + 1, (uint64_t)m->BlockSize, &bytes))
		return 0;
	return bytes >> 20;
}

static void report_one(UINTN index, EFI_HANDLE handle)
{
	EFI_BLOCK_IO *bio;
	EFI_STATUS st = uefi_call_wrapper(BS->HandleProtocol, 3, handle, &BlockIoProtocol,
					  (void **)&bio);
	if (EFI_ERROR(st)) {
		(void)efi_fail(st, "HandleProtocol (Block I/O)");
		return;
	}
	const EFI_BLOCK_IO_MEDIA *m = bio->Media;
	if (!m) {
		log_warn("efi: disk %lu: Block I/O without media information", (unsigned long)index);
		return;
	}
	if (!m->MediaPresent) {
		log_info("disk %lu: media %u, no medium, %s", (unsigned long)index, m->MediaId,
			 m->RemovableMedia ? "removable" : "fixed");
		return;
	}
	log_info("disk %lu: media %u, %u-byte blocks, last block %lu (%lu MiB), %s, %s, %s",
		 (unsigned long)index, m->MediaId, m->BlockSize, (unsigned long)m->LastBlock,
		 (unsigned long)media_mib(m), m->LogicalPartition ? "partition" : "whole disk",
		 m->RemovableMedia ? "removable" : "fixed", m->ReadOnly ? "read-only" : "read-write");
}

int efi_report_disks(void)
{
	UINTN count = 0;
	EFI_HANDLE *handles = NULL;
	EFI_STATUS st = uefi_call_wrapper(BS->LocateHandleBuffer, 5, ByProtocol, &BlockIoProtocol,
					  NULL, &count, &handles);
	if (st == EFI_NOT_FOUND) {
		log_info("disks: none");
		return 0;
	}
	if (EFI_ERROR(st))
		return efi_fail(st, "LocateHandleBuffer (Block I/O)");

	log_info("disks: %lu Block I/O handle(s)", (unsigned long)count);
	for (UINTN i = 0; i < count; i++)
		report_one(i, handles[i]);

	st = uefi_call_wrapper(BS->FreePool, 1, handles);
	if (EFI_ERROR(st))
		return efi_fail(st, "FreePool (handle buffer)");
	return 0;
}
