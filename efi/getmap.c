/* SPDX-License-Identifier: MIT */
/*
 * GetMemoryMap (UEFI 2.10 §7.2): ask for the size, allocate, fetch.
 */
#include "memmap.h"
#include "status.h"
#include "core/errno.h"
#include "core/log.h"

/*
 * Extra descriptors of room. Allocating the buffer may itself split a free
 * range and add descriptors; and the ExitBootServices retry must re-read
 * the map without allocating. Linux's stub and uefi-rs allow about 8.
 */
#define MAP_SLACK_DESCS 8
/* The map can only grow because of our own allocation; a few rounds suffice. */
#define MAP_ATTEMPTS 4

int efi_memmap_get(struct efi_memmap *m)
{
	UINTN size = 0;
	EFI_STATUS st;

	*m = (struct efi_memmap){ 0 };
	st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, NULL, &m->key, &m->desc_size,
			       &m->desc_version);
	if (st != EFI_BUFFER_TOO_SMALL)
		return st == EFI_SUCCESS
			       ? log_err(-EINVAL, "efi: GetMemoryMap returned an empty map")
			       : efi_fail(st, "GetMemoryMap (size query)");

	for (int attempt = 0; attempt < MAP_ATTEMPTS; attempt++) {
		if (m->desc_size < sizeof(EFI_MEMORY_DESCRIPTOR) ||
		    m->desc_version != EFI_MEMORY_DESCRIPTOR_VERSION)
			return log_err(-EINVAL,
				       "efi: GetMemoryMap: descriptor size %lu version %u not supported",
				       (unsigned long)m->desc_size, m->desc_version);
		m->buf_size = size + MAP_SLACK_DESCS * m->desc_size;
		st = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData, m->buf_size, &m->buf);
		if (EFI_ERROR(st)) {
			m->buf = NULL;
			return efi_fail(st, "AllocatePool (memory map)");
		}
		size = m->buf_size;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, m->buf, &m->key, &m->desc_size,
				       &m->desc_version);
		if (st == EFI_SUCCESS) {
			m->size = size;
			return 0;
		}
		efi_memmap_free(m);
		if (st != EFI_BUFFER_TOO_SMALL)
			return efi_fail(st, "GetMemoryMap");
		/* @size now holds the larger need: go round with it. */
	}
	return log_err(-ENOMEM, "efi: GetMemoryMap: map kept growing over %d attempts",
		       MAP_ATTEMPTS);
}

void efi_memmap_free(struct efi_memmap *m)
{
	if (m->buf) {
		EFI_STATUS st = uefi_call_wrapper(BS->FreePool, 1, m->buf);
		/* Only a bad pointer fails here: worth a line, not a stop. */
		if (EFI_ERROR(st))
			(void)efi_fail(st, "FreePool (memory map)");
	}
	m->buf = NULL;
	m->buf_size = 0;
	m->size = 0;
}
