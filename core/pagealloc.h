/* SPDX-License-Identifier: MIT */
/*
 * The physical page allocator. It owns the loader's view of memory: the
 * firmware map with the loader's own uses carved in as private types, so
 * that it can never hand out the loader image, its stack, the saved
 * start_info data, a module, or the destination of a planned chunk.
 */
#ifndef PVHBOOT_CORE_PAGEALLOC_H
#define PVHBOOT_CORE_PAGEALLOC_H

#include "memmap.h"

/* Allocations stay below this: the loader identity-maps the first 4 GiB. */
#define PAGEALLOC_LIMIT 0x100000000ull
/* and above this, leaving real-mode memory to kernels that want it. */
#define PAGEALLOC_FLOOR 0x100000ull

/* Start from a normalized firmware map. Returns 0 or -ENOSPC. */
int pagealloc_init(const struct memmap *firmware);

/*
 * pagealloc_reserve() - mark [addr, addr + size) (rounded out to pages) as
 * @owner (a MEM_* type). Fails with -EBUSY unless the range is all RAM or
 * already owned by the loader.
 */
int pagealloc_reserve(uint64_t addr, uint64_t size, uint32_t owner);

/*
 * pagealloc_claim() - claim a boot plan destination. It may cover pages the
 * loader itself uses (the handoff copies last), but only RAM the firmware
 * gave, and never another claim: -EBUSY otherwise, -E2BIG past the
 * documented number of claims. Claims are not part of pagealloc_map().
 */
int pagealloc_claim(uint64_t addr, uint64_t size);

/* Like pagealloc_claim(), but the kernel's map shows the range reserved. */
int pagealloc_claim_keep(uint64_t addr, uint64_t size);

/*
 * pagealloc_kernel_map() - the map the next kernel sees: the firmware's,
 * with the loader's pages and plain claims as RAM and MEM_KEEP and kept
 * claims reserved. Returns 0 or -ENOSPC.
 */
int pagealloc_kernel_map(struct memmap *out);

/* Forget every claim: the plan was refused, its memory is free again. */
void pagealloc_drop_claims(void);

/* Whether [addr, addr + size) is all RAM the loader does not use (claims aside). */
bool pagealloc_free_ram(uint64_t addr, uint64_t size);

/* How many destinations are claimed now (tests: a released plan leaves none). */
unsigned pagealloc_nr_claims(void);

/*
 * pagealloc_find_free() - the highest @align-aligned address below @max_end
 * where @size bytes are RAM nobody uses or claims. Returns 0 or -ENOMEM.
 */
int pagealloc_find_free(uint64_t size, uint64_t align, uint64_t max_end, uint64_t *out);

/* True when [addr, addr + size) is free for pagealloc_claim(). */
bool pagealloc_claimable(uint64_t addr, uint64_t size);

/*
 * pagealloc_find_claimable() - the lowest address at or above @min, aligned
 * to @align (a power of two; a page at least) where @size bytes are free for
 * pagealloc_claim(), below PAGEALLOC_LIMIT. Work bounded by the map's size.
 * Returns 0 or -ENOMEM.
 */
int pagealloc_find_claimable(uint64_t size, uint64_t align, uint64_t min, uint64_t *out);

/*
 * page_alloc() - @size bytes (rounded up to pages), aligned to @align (a
 * power of two, at least a page), highest first below @max_end. NULL when
 * nothing fits.
 */
void *page_alloc(uint64_t size, uint64_t align, uint64_t max_end);
void page_free(void *p, uint64_t size);

/* The loader's current view, private types included, claims excluded. */
const struct memmap *pagealloc_map(void);

#endif
