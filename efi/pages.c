/* SPDX-License-Identifier: MIT */
/*
 * The EFI platform's memory (docs/efi.md "Memory").
 *
 * At start the loader takes the firmware's free memory between 1 MiB and
 * 4 GiB with AllocatePages(AllocateAddress) (UEFI 2.10 §7.2), except a
 * headroom at the top of it, where EDK2 makes its own later allocations
 * (it allocates top-down). What it took is the page allocator's free RAM:
 * malloc(), the handoff's safe block and every placed boot structure come
 * from it without a firmware call. So nothing the firmware allocates later
 * can land in loader memory, and a chunk source or the safe block can never
 * be a page the firmware still uses (its page tables, say).
 *
 * Everything else the firmware gives up at ExitBootServices - boot-services
 * code and data, loader code and data (this image), the headroom, free
 * memory below 1 MiB and above 4 GiB - is MEM_LOADER: the kernel sees RAM
 * there and a fixed-address kernel may be copied over it (handoff() copies
 * last, on its own stack, GDT and page tables), but the allocator never
 * hands it out.
 */
#include "memmap.h"
#include "pages.h"
#include "status.h"
#include "core/errno.h"
#include "core/log.h"
#include "core/pagealloc.h"

#define MiB (1ull << 20)
/* Left to the firmware: file system caches, pool for variables and protocols. */
#define HEADROOM_MAX (32 * MiB)
#define EFI_PAGE_BYTES 4096ull

static uint64_t taken, free_at_start;

uint64_t efi_memory_taken(void)
{
	return taken;
}

uint64_t efi_memory_free_at_start(void)
{
	return free_at_start;
}

/* Loader RAM from EFI RAM: only free memory can become ours. */
static uint32_t loader_type(const EFI_MEMORY_DESCRIPTOR *d)
{
	uint32_t type = efi_type_to_e820(d->Type, d->Attribute);
	if (type == E820_RAM && d->Type != EfiConventionalMemory)
		return MEM_LOADER;
	return type;
}

static int firmware_view(const struct efi_memmap *m, struct memmap *fw)
{
	memmap_init(fw);
	for (uint64_t off = 0; range_ok(off, m->desc_size, m->size); off += m->desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)((const uint8_t *)m->buf + off);
		uint32_t type = loader_type(d);
		uint64_t room = UINT64_MAX - d->PhysicalStart;
		uint64_t bytes = d->NumberOfPages > room / EFI_PAGE_BYTES
					 ? room : d->NumberOfPages * EFI_PAGE_BYTES;
		if (type && memmap_add(fw, d->PhysicalStart, bytes, type))
			return log_err(-ENOSPC, "efi: more than %u memory map entries", MEMMAP_MAX);
	}
	if (memmap_normalize(fw))
		return log_err(-ENOSPC, "efi: memory map too fragmented");
	return 0;
}

/*
 * Free RAM of @fw inside [PAGEALLOC_FLOOR, PAGEALLOC_LIMIT), as the ranges
 * to take, highest first; the top @headroom bytes stay the firmware's.
 */
struct span {
	uint64_t lo, hi;
};

static unsigned spans_to_take(const struct memmap *fw, uint64_t headroom, struct span *out,
			      unsigned max)
{
	unsigned n = 0;
	for (unsigned i = fw->count; i-- > 0 && n < max;) {
		const struct mem_range *r = &fw->r[i];
		if (r->type != E820_RAM)
			continue;
		uint64_t lo = MAX(r->addr, PAGEALLOC_FLOOR);
		uint64_t hi = MIN(mem_range_end(r), PAGEALLOC_LIMIT);
		if (lo >= hi)
			continue;
		uint64_t keep = MIN(headroom, hi - lo);
		headroom -= keep;
		hi -= keep;
		if (lo < hi)
			out[n++] = (struct span){ lo, hi };
	}
	return n;
}

static uint64_t free_low_bytes(const struct memmap *fw)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < fw->count; i++) {
		const struct mem_range *r = &fw->r[i];
		uint64_t lo = MAX(r->addr, PAGEALLOC_FLOOR);
		uint64_t hi = MIN(mem_range_end(r), PAGEALLOC_LIMIT);
		if (r->type == E820_RAM && lo < hi)
			total += hi - lo;
	}
	return total;
}

/*
 * Take the spans; the memory left behind (headroom, out of range, or a
 * span the firmware refused) becomes MEM_LOADER. The pages are
 * EfiLoaderCode, not LoaderData: OVMF may map LoaderData non-executable
 * (PcdDxeNxMemoryProtectionPolicy), and the handoff trampoline runs from a
 * page of this memory while the firmware's page tables are still loaded.
 */
static int take_memory(struct memmap *fw)
{
	struct span spans[MEMMAP_MAX]; /* 4 KiB of the firmware's 128 KiB stack */
	uint64_t low = free_low_bytes(fw);
	unsigned n = spans_to_take(fw, MIN(HEADROOM_MAX, low / 4), spans, MEMMAP_MAX);

	for (unsigned i = 0; i < fw->count; i++)
		if (fw->r[i].type == E820_RAM)
			fw->r[i].type = MEM_LOADER;
	for (unsigned i = 0; i < n; i++) {
		EFI_PHYSICAL_ADDRESS addr = spans[i].lo;
		UINTN pages = (UINTN)((spans[i].hi - spans[i].lo) / EFI_PAGE_BYTES);
		EFI_STATUS st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress,
						  EfiLoaderCode, pages, &addr);
		if (EFI_ERROR(st)) {
			log_warn("efi: free memory 0x%lx-0x%lx not granted (%s): left to the firmware",
				 (unsigned long)spans[i].lo, (unsigned long)spans[i].hi,
				 efi_status_name(st));
			continue;
		}
		if (memmap_set(fw, spans[i].lo, spans[i].hi - spans[i].lo, E820_RAM))
			return log_err(-ENOSPC, "efi: memory map too fragmented");
		taken += spans[i].hi - spans[i].lo;
	}
	return 0;
}

int efi_memory_init(void)
{
	struct efi_memmap m;
	struct memmap *fw;

	/* Pool rather than .bss: gnu-efi stores .bss in the image file. */
	EFI_STATUS st = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData, sizeof(*fw),
					  (void **)&fw);
	if (EFI_ERROR(st))
		return efi_fail(st, "AllocatePool (memory map view)");
	int rc = efi_memmap_get(&m);
	if (!rc) {
		rc = firmware_view(&m, fw);
		free_at_start = efi_memmap_bytes(m.buf, m.size, m.desc_size, EfiConventionalMemory);
		efi_memmap_free(&m);
	}
	if (!rc)
		rc = take_memory(fw);
	if (!rc && pagealloc_init(fw))
		rc = log_err(-ENOSPC, "efi: memory map too fragmented");
	st = uefi_call_wrapper(BS->FreePool, 1, fw);
	if (EFI_ERROR(st))
		(void)efi_fail(st, "FreePool (memory map view)");
	return rc;
}

/*
 * Lending: a PE image started through LoadImage (a Linux EFI stub, a UKI)
 * allocates its memory from the firmware - the decompressed kernel alone
 * is tens of MiB - and the loader holds nearly all of it. The allocator's
 * free ranges go back to the firmware for the image's run, reserved in the
 * allocator meanwhile; an image that returns gets them taken back.
 */
static struct span lent[MEMMAP_MAX];
static unsigned nr_lent;

int efi_memory_lend(void)
{
	const struct memmap *m = pagealloc_map();
	uint64_t total = 0;

	nr_lent = 0;
	for (unsigned i = 0; i < m->count && nr_lent < MEMMAP_MAX; i++)
		if (m->r[i].type == E820_RAM)
			lent[nr_lent++] = (struct span){ m->r[i].addr, mem_range_end(&m->r[i]) };
	for (unsigned i = 0; i < nr_lent; i++) {
		uint64_t size = lent[i].hi - lent[i].lo;
		if (pagealloc_reserve(lent[i].lo, size, MEM_ALLOCATED))
			return log_err(-EBUSY, "efi: free range 0x%lx-0x%lx not lendable",
				       (unsigned long)lent[i].lo, (unsigned long)lent[i].hi);
		EFI_STATUS st = uefi_call_wrapper(BS->FreePages, 2, lent[i].lo,
						  (UINTN)(size / EFI_PAGE_BYTES));
		if (EFI_ERROR(st))
			(void)efi_fail(st, "FreePages (lending to the image)");
		else
			total += size;
	}
	log_info("efi: %lu MiB of loader memory given back to the firmware for the image",
		 (unsigned long)(total >> 20));
	return 0;
}

void efi_memory_reclaim(void)
{
	for (unsigned i = 0; i < nr_lent; i++) {
		EFI_PHYSICAL_ADDRESS addr = lent[i].lo;
		uint64_t size = lent[i].hi - lent[i].lo;
		EFI_STATUS st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress,
						  EfiLoaderCode, (UINTN)(size / EFI_PAGE_BYTES),
						  &addr);
		if (EFI_ERROR(st)) {
			log_warn("efi: 0x%lx-0x%lx stays the firmware's after the image (%s)",
				 (unsigned long)lent[i].lo, (unsigned long)lent[i].hi,
				 efi_status_name(st));
			continue;
		}
		page_free((void *)(uintptr_t)lent[i].lo, size);
	}
	nr_lent = 0;
}
