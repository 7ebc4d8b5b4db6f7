/* SPDX-License-Identifier: MIT */
/*
 * The loader's memory view is two things: `map`, the firmware map with the
 * loader's own uses carved in (MEM_LOADER, MEM_ALLOCATED, MEM_BOOTDATA,
 * MEM_KEEP), and `claims`, the destinations of the plan being built. Claims
 * are kept apart so that a refused kernel gives them all back at once
 * (pagealloc_drop_claims) without disturbing allocations made meanwhile.
 */
#include "errno.h"
#include "pagealloc.h"

/* Documented limit: destinations in one plan. */
#define MAX_CLAIMS 128

struct claim {
	uint64_t addr, size;           /* whole pages */
	uint64_t byte_addr, byte_size; /* the chunk itself */
	bool keep; /* reserved in the kernel's map, not RAM */
};

static struct memmap map;
static struct claim claims[MAX_CLAIMS];
static unsigned nr_claims;

int pagealloc_init(const struct memmap *firmware)
{
	map = *firmware;
	nr_claims = 0;
	return memmap_normalize(&map);
}

/* map with every claim carved in as MEM_PLANNED. */
static const struct memmap *map_with_claims(void)
{
	static struct memmap view;
	view = map;
	for (unsigned i = 0; i < nr_claims; i++)
		if (memmap_set(&view, claims[i].addr, claims[i].size, MEM_PLANNED))
			return NULL;
	return &view;
}

static bool loader_usable(uint32_t type)
{
	return type == E820_RAM || type == MEM_LOADER || type == MEM_ALLOCATED ||
	       type == MEM_BOOTDATA;
}

static bool reservable(uint32_t type)
{
	return type == E820_RAM || (type >= MEM_PRIVATE && type != MEM_PLANNED);
}

static bool page_span(uint64_t addr, uint64_t size, uint64_t *lo, uint64_t *hi)
{
	if (!size || addr > UINT64_MAX - size - PAGE_SIZE)
		return false;
	*lo = ALIGN_DOWN(addr, PAGE_SIZE);
	*hi = ALIGN_UP(addr + size, PAGE_SIZE);
	return true;
}

int pagealloc_reserve(uint64_t addr, uint64_t size, uint32_t owner)
{
	uint64_t lo, hi;
	const struct memmap *view = map_with_claims();
	if (!view || !page_span(addr, size, &lo, &hi))
		return -EINVAL;
	if (!memmap_range_all(view, lo, hi - lo, reservable))
		return -EBUSY;
	return memmap_set(&map, lo, hi - lo, owner);
}

bool pagealloc_claimable(uint64_t addr, uint64_t size)
{
	uint64_t lo, hi;
	const struct memmap *view = map_with_claims();
	return view && page_span(addr, size, &lo, &hi) &&
	       memmap_range_all(view, lo, hi - lo, loader_usable);
}

static bool plain_ram(uint32_t type)
{
	return type == E820_RAM;
}

bool pagealloc_free_ram(uint64_t addr, uint64_t size)
{
	uint64_t lo, hi;
	/* The loader's map, not the claims: claim() checks those byte by byte. */
	return page_span(addr, size, &lo, &hi) && memmap_range_all(&map, lo, hi - lo, plain_ram);
}

static int claim(uint64_t addr, uint64_t size, bool keep)
{
	uint64_t lo, hi;
	if (!size)
		return 0;
	if (!page_span(addr, size, &lo, &hi) || !memmap_range_all(&map, lo, hi - lo, loader_usable))
		return -EBUSY;
	/*
	 * Chunks of one plan may share a page (an ELF whose segments meet
	 * mid-page), never a byte. Whole pages are carved out of the
	 * allocator, so nothing of the loader shares a page with a chunk.
	 */
	for (unsigned i = 0; i < nr_claims; i++)
		if (addr < claims[i].byte_addr + claims[i].byte_size &&
		    claims[i].byte_addr < addr + size)
			return -EBUSY;
	if (nr_claims >= MAX_CLAIMS)
		return -E2BIG;
	claims[nr_claims++] = (struct claim){ lo, hi - lo, addr, size, keep };
	return 0;
}

int pagealloc_claim(uint64_t addr, uint64_t size)
{
	return claim(addr, size, false);
}

int pagealloc_claim_keep(uint64_t addr, uint64_t size)
{
	return claim(addr, size, true);
}

int pagealloc_kernel_map(struct memmap *out)
{
	static struct memmap tmp;
	tmp = map;
	for (unsigned i = 0; i < nr_claims; i++) {
		int rc = memmap_set(&tmp, claims[i].addr, claims[i].size,
				    claims[i].keep ? MEM_KEEP : MEM_PLANNED);
		if (rc)
			return rc;
	}
	return memmap_export(&tmp, out);
}

void pagealloc_drop_claims(void)
{
	nr_claims = 0;
}

unsigned pagealloc_nr_claims(void)
{
	return nr_claims;
}

int pagealloc_find_free(uint64_t size, uint64_t align, uint64_t max_end, uint64_t *out)
{
	const struct memmap *view = map_with_claims();
	if (!view || !size)
		return -EINVAL;
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	return memmap_find(view, ALIGN_UP(size, PAGE_SIZE), align, PAGEALLOC_FLOOR,
			   MIN(max_end, PAGEALLOC_LIMIT), E820_RAM, true, out);
}

int pagealloc_find_claimable(uint64_t size, uint64_t align, uint64_t min, uint64_t *out)
{
	const struct memmap *view = map_with_claims();
	if (!view || !size || !IS_POW2(align))
		return -EINVAL;
	/*
	 * The lowest such place starts at @min or where a usable range of the
	 * view starts (claims are whole pages, so aligned up to a page at
	 * least): those are the only candidates, however small @align.
	 */
	uint64_t step = MAX(align, (uint64_t)PAGE_SIZE), best = UINT64_MAX;
	for (unsigned i = 0; i <= view->count; i++) {
		uint64_t start = i < view->count ? MAX(view->r[i].addr, min) : min;
		if (start > PAGEALLOC_LIMIT - step)
			continue;
		uint64_t at = ALIGN_UP(start, step), lo, hi;
		/* pagealloc_claimable()'s test, on the view built once above. */
		if (at < best && size <= PAGEALLOC_LIMIT - at && page_span(at, size, &lo, &hi) &&
		    memmap_range_all(view, lo, hi - lo, loader_usable))
			best = at;
	}
	if (best == UINT64_MAX)
		return -ENOMEM;
	*out = best;
	return 0;
}

void *page_alloc(uint64_t size, uint64_t align, uint64_t max_end)
{
	uint64_t addr;

	if (!size || size > PAGEALLOC_LIMIT)
		return NULL;
	size = ALIGN_UP(size, PAGE_SIZE);
	if (pagealloc_find_free(size, align, max_end, &addr))
		return NULL;
	if (memmap_set(&map, addr, size, MEM_ALLOCATED))
		return NULL;
	return (void *)(uintptr_t)addr;
}

void page_free(void *p, uint64_t size)
{
	uint64_t addr = (uintptr_t)p;
	if (!p || !size)
		return;
	size = ALIGN_UP(size, PAGE_SIZE);
	/* Only pages we handed out go back. */
	if (memmap_range_is(&map, addr, size, MEM_ALLOCATED))
		memmap_set(&map, addr, size, E820_RAM);
}

const struct memmap *pagealloc_map(void)
{
	return &map;
}
