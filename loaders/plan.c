/* SPDX-License-Identifier: MIT */
#include "../core/errno.h"
#include "../core/pagealloc.h"
#include "plan.h"

void plan_init(struct boot_plan *p, enum kernel_format format)
{
	memset(p, 0, sizeof(*p));
	p->format = format;
}

void plan_release(struct boot_plan *p)
{
	for (unsigned i = 0; i < p->nr_owned; i++)
		free(p->owned[i]);
	for (unsigned i = 0; i < p->nr_owned_pages; i++)
		page_free(p->owned_pages[i].at, p->owned_pages[i].size);
	/* The claims are this plan's: only one plan is built at a time. */
	pagealloc_drop_claims();
	plan_init(p, KERNEL_UNKNOWN);
}

int plan_own(struct boot_plan *p, void *buf)
{
	if (p->nr_owned >= PLAN_MAX_OWNED) {
		free(buf);
		return -E2BIG;
	}
	p->owned[p->nr_owned++] = buf;
	return 0;
}

void *plan_alloc(struct boot_plan *p, size_t size)
{
	void *buf = calloc(1, size ? size : 1);
	return buf && !plan_own(p, buf) ? buf : NULL;
}

void *plan_alloc_pages(struct boot_plan *p, uint64_t size)
{
	if (p->nr_owned_pages >= PLAN_MAX_OWNED_PAGES)
		return NULL;
	void *at = page_alloc(size, PAGE_SIZE, PAGEALLOC_LIMIT);
	if (at)
		p->owned_pages[p->nr_owned_pages++] = (struct plan_pages){ at, size };
	return at;
}

int plan_add(struct boot_plan *p, uint64_t dest, const void *src, uint64_t len, uint64_t zero,
	     const char *what)
{
	/* An empty segment (memsz 0) places nothing: no chunk, no claim (found by fuzz_plan). */
	if (!len && !zero)
		return 0;
	if (p->nr_chunks >= PLAN_MAX_CHUNKS)
		return -E2BIG;
	if (len > UINT64_MAX - zero || len + zero > PAGEALLOC_LIMIT ||
	    dest > PAGEALLOC_LIMIT - (len + zero))
		return -ERANGE;
	/* With the firmware alive nothing may be copied over memory in use (but in place). */
	if (p->mode == ENTRY_EFI64 && !(len && (uintptr_t)src == dest) &&
	    !pagealloc_free_ram(dest, len + zero))
		return -EBUSY;
	int rc = pagealloc_claim(dest, len + zero);
	if (rc)
		return rc;
	struct plan_chunk *c = &p->chunks[p->nr_chunks++];
	c->dest = dest;
	c->src = len ? src : NULL;
	c->len = len;
	c->zero = zero;
	fmt_snprintf(c->what, sizeof(c->what), "%s", what);
	return 0;
}

int plan_place(struct boot_plan *p, const void *src, uint64_t size, uint64_t align,
	       uint64_t max_end, const char *what, uint64_t *dest)
{
	uint64_t addr;
	/* Only memory nobody uses yet: loader pages stay out of the way of the
	 * structures, so their sources never need moving. */
	int rc = pagealloc_find_free(size ? size : 1, align, max_end, &addr);
	if (rc)
		return rc;
	rc = plan_add(p, addr, src, size, 0, what);
	if (rc)
		return rc;
	*dest = addr;
	return 0;
}

int plan_place_module(struct boot_plan *p, const void *data, uint64_t size, uint64_t align,
		      uint64_t max_end, const char *what, uint64_t *dest)
{
	uint64_t at = (uintptr_t)data;
	/* Where the loader read it, if that is a fine place: no copy at all. */
	if (size && at % MAX(align, (uint64_t)PAGE_SIZE) == 0 && at < max_end &&
	    size <= max_end - at && at + size <= PAGEALLOC_LIMIT &&
	    pagealloc_claimable(at, size) && !plan_add(p, at, data, size, 0, what)) {
		*dest = at;
		return 0;
	}
	return plan_place(p, data, size, align, max_end, what, dest);
}

int plan_memmap(struct memmap *out)
{
	return pagealloc_kernel_map(out);
}

int plan_add_keep(struct boot_plan *p, uint64_t dest, const void *src, uint64_t len,
		  const char *what)
{
	if (p->nr_chunks >= PLAN_MAX_CHUNKS)
		return -E2BIG;
	int rc = pagealloc_claim_keep(dest, len);
	if (rc)
		return rc;
	struct plan_chunk *c = &p->chunks[p->nr_chunks++];
	*c = (struct plan_chunk){ .dest = dest, .src = src, .len = len };
	fmt_snprintf(c->what, sizeof(c->what), "%s", what);
	return 0;
}

void plan_print(const struct boot_plan *p, int (*print)(const char *fmt, ...))
{
	print("format: %s\n", kernel_format_name(p->format));
	static const char *const modes[] = { "pm32", "long64", "efi64 (boot services alive)" };
	print("entry: %s 0x%lx eax=0x%x ebx=0x%x %s=0x%x\n", modes[p->mode],
	      (unsigned long)p->entry, p->eax, p->ebx, p->mode == ENTRY_PM32 ? "esi" : "rsi",
	      p->esi);
	for (unsigned i = 0; i < p->nr_chunks; i++) {
		const struct plan_chunk *c = &p->chunks[i];
		print("chunk %2u: 0x%08lx-0x%08lx copy 0x%lx zero 0x%lx  %s\n", i,
		      (unsigned long)c->dest, (unsigned long)(c->dest + c->len + c->zero),
		      (unsigned long)c->len, (unsigned long)c->zero, c->what);
	}
	if (p->needs.bios_data_area)
		print("needs: BIOS data area\n");
	if (p->needs.efi_memmap_size)
		print("needs: final EFI memory map size\n");
}
