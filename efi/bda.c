/* SPDX-License-Identifier: MIT */
/*
 * The BIOS Data Area word that multiboot1 kernels written for BIOS
 * machines read. Xen's multiboot1 entry (xen/arch/x86/boot/head.S, the
 * BIOS trampoline setup) places its real-mode trampoline below the
 * smaller of mem_lower and the BDA's base memory size at 0x413 (KiB,
 * IBM PC BIOS interface); EFI firmware without a compatibility module
 * leaves the BDA zero, and Xen then puts the trampoline at the top of the
 * 4 GiB space, in flash. The word is filled in only when it is zero, from
 * the memory map the kernel gets.
 */
#include "bda.h"
#include "core/log.h"
#include "core/pagealloc.h"

#define BDA_BASE_MEMORY_KIB 0x413
#define LOW_MEMORY_END 0xa0000ull

/* Plain C would read address 0x413 as an offset from a null pointer. */
static uint16_t peek16(uintptr_t addr)
{
	uint16_t v;
	__asm__ volatile("movw (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static void poke16(uintptr_t addr, uint16_t v)
{
	__asm__ volatile("movw %0, (%1)" : : "r"(v), "r"(addr) : "memory");
}

/* KiB of RAM from address 0 in the kernel's map, at most 640. */
uint32_t bda_base_memory_kib(const struct memmap *m)
{
	uint64_t end = 0;
	for (unsigned i = 0; i < m->count && end < LOW_MEMORY_END; i++) {
		const struct mem_range *r = &m->r[i];
		if (r->type != E820_RAM || r->addr > end)
			break;
		end = MAX(end, mem_range_end(r));
	}
	return (uint32_t)(MIN(end, LOW_MEMORY_END) >> 10);
}

void efi_bda_fill(void)
{
	static struct memmap map;
	if (peek16(BDA_BASE_MEMORY_KIB) || pagealloc_kernel_map(&map))
		return;
	uint32_t kib = bda_base_memory_kib(&map);
	if (!kib)
		return;
	poke16(BDA_BASE_MEMORY_KIB, (uint16_t)kib);
	log_info("efi: BIOS data area: %u KiB base memory, for a multiboot1 kernel", kib);
}
