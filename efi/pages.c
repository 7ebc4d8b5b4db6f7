/* SPDX-License-Identifier: MIT */
/*
 * Pages for malloc from AllocatePages/FreePages (UEFI 2.10 §7.2). The
 * memory is EfiLoaderData: it stays ours until ExitBootServices, and the
 * E820 map shows it as RAM afterwards, as a kernel expects of loader data.
 */
#include "pages.h"
#include "status.h"
#include "core/heap.h"
#include "core/log.h"
#include "core/pagealloc.h"

#define EFI_PAGE_BYTES 4096u

static UINTN page_count(uint64_t size)
{
	return (UINTN)(size / EFI_PAGE_BYTES + (size % EFI_PAGE_BYTES != 0));
}

/*
 * Below PAGEALLOC_LIMIT, like the PVH page allocator: buffers handed to the
 * boot plan must stay reachable once the handoff runs in 32-bit mode.
 * A failure is not logged here: malloc() returns NULL and its caller
 * reports -ENOMEM with the context it has.
 */
static void *efi_pages_alloc(uint64_t size)
{
	EFI_PHYSICAL_ADDRESS addr = PAGEALLOC_LIMIT - 1;
	if (!size || size > PAGEALLOC_LIMIT)
		return NULL;
	EFI_STATUS st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
					  page_count(size), &addr);
	if (EFI_ERROR(st))
		return NULL;
	return (void *)(uintptr_t)addr;
}

static void efi_pages_free(void *p, uint64_t size)
{
	EFI_STATUS st = uefi_call_wrapper(BS->FreePages, 2, (EFI_PHYSICAL_ADDRESS)(uintptr_t)p,
					  page_count(size));
	/* Only a heap bug gets here: say so, and keep going with a leak. */
	if (EFI_ERROR(st))
		(void)efi_fail(st, "FreePages (heap)");
}

void efi_heap_init(void)
{
	heap_set_page_source(efi_pages_alloc, efi_pages_free);
}
