/* SPDX-License-Identifier: MIT */
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/pagealloc.h"
#include "handoff.h"

struct handoff_params {
	uint64_t cr3;
	uint64_t stack_top;
	uint64_t entry;
	uint64_t nr_chunks;
	uint64_t chunks;
	uint32_t mode;
	uint32_t eax;
	uint32_t ebx;
	uint32_t esi;
	uint16_t gdt_limit;
	uint64_t gdt_base;
	uint16_t idt_limit;
	uint64_t idt_base;
} __attribute__((packed));
_Static_assert(offsetof(struct handoff_params, cr3) == HP_CR3, "HP_CR3");
_Static_assert(offsetof(struct handoff_params, stack_top) == HP_STACK, "HP_STACK");
_Static_assert(offsetof(struct handoff_params, entry) == HP_ENTRY, "HP_ENTRY");
_Static_assert(offsetof(struct handoff_params, nr_chunks) == HP_NR_CHUNKS, "HP_NR_CHUNKS");
_Static_assert(offsetof(struct handoff_params, chunks) == HP_CHUNKS, "HP_CHUNKS");
_Static_assert(offsetof(struct handoff_params, mode) == HP_MODE, "HP_MODE");
_Static_assert(offsetof(struct handoff_params, eax) == HP_EAX, "HP_EAX");
_Static_assert(offsetof(struct handoff_params, ebx) == HP_EBX, "HP_EBX");
_Static_assert(offsetof(struct handoff_params, esi) == HP_ESI, "HP_ESI");
_Static_assert(offsetof(struct handoff_params, gdt_limit) == HP_GDTR, "HP_GDTR");
_Static_assert(offsetof(struct handoff_params, idt_limit) == HP_IDTR, "HP_IDTR");

struct handoff_chunk {
	uint64_t dest, src, len, zero;
};
_Static_assert(sizeof(struct handoff_chunk) == HC_SIZE, "HC_SIZE");

extern const char handoff_trampoline_start[], handoff_trampoline_end[];

/* Descriptors: flat 4 GiB, granularity 4 KiB. */
#define GDT_CODE64 0x00af9a000000ffffull
#define GDT_CODE32 0x00cf9a000000ffffull
#define GDT_DATA 0x00cf92000000ffffull
#define GDT_TSS32 0x0000890000000067ull /* present, available 32-bit TSS, base 0, limit 0x67 */
#define GDT_ENTRIES 6

/* The safe block, in pages: code, params + GDT + chunks, 6 page tables, stack. */
#define SAFE_CODE 0
#define SAFE_DATA 1
#define SAFE_TABLES 3
#define SAFE_STACK 9
#define SAFE_PAGES 10

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/*
 * Move every source that overlaps some destination (other than itself, in
 * place) into fresh pages owned by the plan. The allocator never returns
 * planned memory, so the copies are safe from every chunk.
 */
static int isolate_sources(struct boot_plan *plan, struct handoff_chunk *hc, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!hc[i].len || (hc[i].src == hc[i].dest))
			continue;
		bool clash = false;
		for (unsigned j = 0; j < n && !clash; j++)
			clash = overlaps(hc[i].src, hc[i].len, hc[j].dest, hc[j].len + hc[j].zero);
		if (!clash)
			continue;
		void *copy = plan_alloc_pages(plan, hc[i].len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, (const void *)(uintptr_t)hc[i].src, hc[i].len);
		hc[i].src = (uintptr_t)copy;
	}
	return 0;
}

/* Where @p, a pointer into some chunk's source, lives once sources moved. */
static void *follow_source(const struct boot_plan *plan, const struct handoff_chunk *hc,
			   void *p)
{
	uintptr_t at = (uintptr_t)p;
	for (unsigned i = 0; p && i < plan->nr_chunks; i++) {
		uintptr_t src = (uintptr_t)plan->chunks[i].src;
		if (!src || at < src || at - src >= plan->chunks[i].len)
			continue;
		/* Loaded in place (hc len 0) or not moved: the same bytes. */
		if (!hc[i].len || hc[i].src == src)
			return p;
		return (void *)(uintptr_t)(hc[i].src + (at - src));
	}
	return p;
}

/* Identity map of 0-4 GiB with 2 MiB pages: PML4, PDPT, four PDs. */
static uint64_t build_page_tables(uint64_t *t)
{
	uint64_t *pml4 = t, *pdpt = t + 512, *pd = t + 1024;
	memset(t, 0, 6 * PAGE_SIZE);
	pml4[0] = (uintptr_t)pdpt | 0x3;
	for (unsigned i = 0; i < 4; i++)
		pdpt[i] = (uintptr_t)(pd + 512 * i) | 0x3;
	for (unsigned i = 0; i < 4 * 512; i++)
		pd[i] = (uint64_t)i << 21 | 0x83; /* present, writable, 2 MiB */
	return (uintptr_t)pml4;
}

int handoff_prepare(struct boot_plan *plan, struct handoff_ready *ready)
{
	size_t code_len = (size_t)(handoff_trampoline_end - handoff_trampoline_start);

	_Static_assert(sizeof(struct handoff_params) + 8 * GDT_ENTRIES +
			       PLAN_MAX_CHUNKS * sizeof(struct handoff_chunk) <=
		       (SAFE_TABLES - SAFE_DATA) * PAGE_SIZE, "safe data pages");
	if (code_len > PAGE_SIZE)
		panic("handoff: the trampoline is larger than a page");

	uint8_t *safe = plan_alloc_pages(plan, SAFE_PAGES * PAGE_SIZE);
	if (!safe)
		return log_err(-ENOMEM, "handoff: no memory left for the trampoline");

	struct handoff_params *hp = (void *)(safe + SAFE_DATA * PAGE_SIZE);
	uint64_t *gdt = (void *)(hp + 1);
	struct handoff_chunk *hc = (void *)(gdt + GDT_ENTRIES);

	for (unsigned i = 0; i < plan->nr_chunks; i++) {
		const struct plan_chunk *c = &plan->chunks[i];
		hc[i] = (struct handoff_chunk){ c->dest, (uintptr_t)c->src, c->src ? c->len : 0,
						c->src ? c->zero : c->len + c->zero };
		/* Loaded in place: nothing to copy, only the tail to zero. */
		if (c->src && (uintptr_t)c->src == c->dest) {
			hc[i].dest += hc[i].len;
			hc[i].len = 0;
		}
	}
	int rc = isolate_sources(plan, hc, plan->nr_chunks);
	if (rc)
		return log_err(rc, "handoff: no memory to move sources out of the way");

	gdt[0] = 0;
	gdt[SEL_CODE64 / 8] = GDT_CODE64;
	gdt[SEL_KERNEL_CS / 8] = plan->mode == ENTRY_LONG64 ? GDT_CODE64 : GDT_CODE32;
	gdt[SEL_KERNEL_DS / 8] = GDT_DATA;
	gdt[SEL_TSS / 8] = GDT_TSS32;
	gdt[SEL_TSS / 8 + 1] = 0; /* upper half of a 64-bit system descriptor */

	*hp = (struct handoff_params){
		.cr3 = build_page_tables((void *)(safe + SAFE_TABLES * PAGE_SIZE)),
		.stack_top = (uintptr_t)(safe + SAFE_PAGES * PAGE_SIZE),
		.entry = plan->entry,
		.nr_chunks = plan->nr_chunks,
		.chunks = (uintptr_t)hc,
		.mode = plan->mode == ENTRY_LONG64 ? HANDOFF_MODE_LONG64 : HANDOFF_MODE_PM32,
		.eax = plan->eax,
		.ebx = plan->ebx,
		.esi = plan->esi,
		.gdt_limit = 8 * GDT_ENTRIES - 1,
		.gdt_base = (uintptr_t)gdt,
		.idt_limit = 0,
		.idt_base = 0,
	};
	memcpy(safe, handoff_trampoline_start, code_len);

	*ready = (struct handoff_ready){
		.trampoline = safe,
		.params = hp,
		.needs = plan->needs,
		.format = plan->format,
		.mode = plan->mode,
		.entry = plan->entry,
		.nr_chunks = plan->nr_chunks,
	};
	ready->needs.efi_memmap_size = follow_source(plan, hc, plan->needs.efi_memmap_size);
	return 0;
}

_Noreturn void handoff_commit_firmware(const struct handoff_ready *ready)
{
	const struct handoff_params *hp = ready->params;
	const struct handoff_chunk *hc = (const void *)(uintptr_t)hp->chunks;
	log_info("handoff: %s EFI entry 0x%lx, %u chunks, boot services running",
		 kernel_format_name(ready->format), (unsigned long)ready->entry, ready->nr_chunks);
	for (unsigned i = 0; i < hp->nr_chunks; i++) {
		uint8_t *dest = (uint8_t *)(uintptr_t)hc[i].dest;
		memcpy(dest, (const void *)(uintptr_t)hc[i].src, hc[i].len);
		memset(dest + hc[i].len, 0, hc[i].zero);
	}
	/* Multiboot2 spec 3.5: EAX the magic, EBX the MBI; the rest is UEFI's. */
	__asm__ volatile("jmp *%2" : : "a"(hp->eax), "b"((uint64_t)hp->ebx), "r"(hp->entry)
			 : "memory");
	__builtin_unreachable();
}

_Noreturn void handoff_commit(const struct handoff_ready *ready)
{
	log_info("handoff: %s entry 0x%lx, %u chunks", kernel_format_name(ready->format),
		 (unsigned long)ready->entry, ready->nr_chunks);
	void (*trampoline)(struct handoff_params *) =
		(void (*)(struct handoff_params *))ready->trampoline;
	trampoline(ready->params);
	__builtin_unreachable();
}
