/* SPDX-License-Identifier: MIT */
#include "errno.h"
#include "memmap.h"

void memmap_init(struct memmap *m)
{
	m->count = 0;
}

int memmap_add(struct memmap *m, uint64_t addr, uint64_t size, uint32_t type)
{
	if (size > UINT64_MAX - addr)
		size = UINT64_MAX - addr;
	if (!size)
		return 0;
	if (m->count >= MEMMAP_MAX)
		return -ENOSPC;
	m->r[m->count++] = (struct mem_range){ addr, size, type };
	return 0;
}

/* Which type wins an overlap: higher rank wins. */
static unsigned rank(uint32_t type)
{
	switch (type) {
	case E820_RAM:
		return 0;
	case E820_PMEM:
		return 1;
	case E820_ACPI:
		return 2;
	case E820_NVS:
		return 3;
	case E820_UNUSABLE:
		return 5;
	case E820_DISABLED:
		return 6;
	default:
		return type >= MEM_PRIVATE ? 7 : 4; /* unknown: like RESERVED */
	}
}

static void sort_u64(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		uint64_t x = v[i];
		unsigned j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static void sort_ranges(struct mem_range *r, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		struct mem_range x = r[i];
		unsigned j = i;
		for (; j > 0 && r[j - 1].addr > x.addr; j--)
			r[j] = r[j - 1];
		r[j] = x;
	}
}

/* Append to a canonical list under construction, merging with the tail. */
static int emit(struct mem_range *out, unsigned *n, unsigned cap, uint64_t addr, uint64_t size,
		uint32_t type)
{
	if (*n && out[*n - 1].type == type && mem_range_end(&out[*n - 1]) == addr) {
		out[*n - 1].size += size;
		return 0;
	}
	if (*n >= cap)
		return -ENOSPC;
	out[(*n)++] = (struct mem_range){ addr, size, type };
	return 0;
}

/*
 * Sweep over the elementary intervals between all range boundaries; each
 * takes the winning type among the ranges covering it. O(n^2) with n at
 * most MEMMAP_MAX, which is far below anything measurable.
 */
int memmap_normalize(struct memmap *m)
{
	static uint64_t edges[2 * MEMMAP_MAX];
	static struct mem_range out[MEMMAP_MAX];
	unsigned ne = 0, n = 0;

	for (unsigned i = 0; i < m->count; i++) {
		edges[ne++] = m->r[i].addr;
		edges[ne++] = mem_range_end(&m->r[i]);
	}
	sort_u64(edges, ne);

	for (unsigned e = 0; e + 1 < ne; e++) {
		uint64_t lo = edges[e], hi = edges[e + 1];
		if (lo == hi)
			continue;
		bool found = false;
		uint32_t best = 0;
		for (unsigned i = 0; i < m->count; i++) {
			const struct mem_range *r = &m->r[i];
			if (r->addr <= lo && mem_range_end(r) >= hi &&
			    (!found || rank(r->type) > rank(best))) {
				best = r->type;
				found = true;
			}
		}
		if (found && emit(out, &n, MEMMAP_MAX, lo, hi - lo, best))
			return -ENOSPC;
	}
	memcpy(m->r, out, n * sizeof(out[0]));
	m->count = n;
	return 0;
}

int memmap_set(struct memmap *m, uint64_t addr, uint64_t size, uint32_t type)
{
	static struct mem_range out[MEMMAP_MAX + 2];
	unsigned n = 0;

	if (size > UINT64_MAX - addr)
		size = UINT64_MAX - addr;
	if (!size)
		return 0;
	uint64_t end = addr + size;

	/* Keep the parts of each range outside [addr, end), then add the new one. */
	for (unsigned i = 0; i < m->count; i++) {
		const struct mem_range *r = &m->r[i];
		uint64_t rend = mem_range_end(r);
		if (rend <= addr || r->addr >= end) {
			out[n++] = *r;
			continue;
		}
		if (r->addr < addr)
			out[n++] = (struct mem_range){ r->addr, addr - r->addr, r->type };
		if (rend > end)
			out[n++] = (struct mem_range){ end, rend - end, r->type };
		if (n > MEMMAP_MAX)
			return -ENOSPC;
	}
	out[n++] = (struct mem_range){ addr, size, type };
	sort_ranges(out, n);

	unsigned merged = 0;
	for (unsigned i = 0; i < n; i++)
		if (emit(out, &merged, MEMMAP_MAX, out[i].addr, out[i].size, out[i].type))
			return -ENOSPC;
	memcpy(m->r, out, merged * sizeof(out[0]));
	m->count = merged;
	return 0;
}

uint32_t memmap_type_at(const struct memmap *m, uint64_t addr)
{
	for (unsigned i = 0; i < m->count; i++)
		if (addr >= m->r[i].addr && addr - m->r[i].addr < m->r[i].size)
			return m->r[i].type;
	return 0;
}

/* Walk the (sorted) ranges covering [addr, addr + size); holes fail. */
static bool range_covered(const struct memmap *m, uint64_t addr, uint64_t size,
			  bool (*accept)(uint32_t type, uint32_t arg), uint32_t arg)
{
	if (size > UINT64_MAX - addr)
		return false;
	uint64_t pos = addr, end = addr + size;
	for (unsigned i = 0; i < m->count && pos < end; i++) {
		const struct mem_range *r = &m->r[i];
		if (mem_range_end(r) <= pos)
			continue;
		if (r->addr > pos || !accept(r->type, arg))
			return false;
		pos = mem_range_end(r);
	}
	return pos >= end;
}

static bool accept_any(uint32_t type, uint32_t arg)
{
	(void)arg;
	return true;
}

static bool accept_type(uint32_t type, uint32_t wanted)
{
	return type == wanted;
}

bool memmap_range_all(const struct memmap *m, uint64_t addr, uint64_t size,
		      bool (*accept)(uint32_t type))
{
	/* Check coverage first, then the predicate on each covering range. */
	if (!range_covered(m, addr, size, accept_any, 0))
		return false;
	uint64_t end = addr + size;
	for (unsigned i = 0; i < m->count; i++) {
		const struct mem_range *r = &m->r[i];
		if (mem_range_end(r) > addr && r->addr < end && !accept(r->type))
			return false;
	}
	return true;
}

bool memmap_range_is(const struct memmap *m, uint64_t addr, uint64_t size, uint32_t type)
{
	return range_covered(m, addr, size, accept_type, type);
}

int memmap_find(const struct memmap *m, uint64_t size, uint64_t align, uint64_t min,
		uint64_t max_end, uint32_t type, bool top_down, uint64_t *out)
{
	bool found = false;
	uint64_t best = 0;

	if (!IS_POW2(align) || !size)
		return -EINVAL;
	for (unsigned i = 0; i < m->count; i++) {
		const struct mem_range *r = &m->r[i];
		if (r->type != type)
			continue;
		uint64_t lo = MAX(r->addr, min);
		uint64_t hi = MIN(mem_range_end(r), max_end);
		if (lo >= hi || hi - lo < size)
			continue;
		uint64_t a;
		if (top_down) {
			a = ALIGN_DOWN(hi - size, align);
			if (a < lo)
				continue;
		} else {
			if (lo > UINT64_MAX - (align - 1))
				continue;
			a = ALIGN_UP(lo, align);
			if (a > hi || hi - a < size)
				continue;
		}
		if (!found || (top_down ? a > best : a < best)) {
			best = a;
			found = true;
		}
	}
	if (!found)
		return -ENOMEM;
	*out = best;
	return 0;
}

uint64_t memmap_total(const struct memmap *m, uint32_t type)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < m->count; i++)
		if (m->r[i].type == type)
			total += m->r[i].size;
	return total;
}

int memmap_export(const struct memmap *m, struct memmap *out)
{
	out->count = 0;
	for (unsigned i = 0; i < m->count; i++) {
		uint32_t t = m->r[i].type;
		if (t == MEM_KEEP)
			t = E820_RESERVED;
		else if (t >= MEM_PRIVATE)
			t = E820_RAM;
		int rc = memmap_add(out, m->r[i].addr, m->r[i].size, t);
		if (rc)
			return rc;
	}
	return memmap_normalize(out);
}

const char *memmap_type_name(uint32_t type)
{
	switch (type) {
	case E820_RAM: return "RAM";
	case E820_RESERVED: return "reserved";
	case E820_ACPI: return "ACPI";
	case E820_NVS: return "NVS";
	case E820_UNUSABLE: return "unusable";
	case E820_DISABLED: return "disabled";
	case E820_PMEM: return "PMEM";
	case MEM_LOADER: return "loader";
	case MEM_ALLOCATED: return "allocated";
	case MEM_BOOTDATA: return "bootdata";
	case MEM_PLANNED: return "planned";
	case MEM_KEEP: return "keep";
	default: return "unknown";
	}
}

uint64_t memmap_ram_run(const struct memmap *m, uint64_t start, uint64_t limit)
{
	uint64_t end = start;
	/* Sorted and merged (memmap_normalize), so one pass follows the run. */
	for (unsigned i = 0; i < m->count; i++) {
		const struct mem_range *r = &m->r[i];
		if (r->type == E820_RAM && r->addr <= end && mem_range_end(r) > end)
			end = mem_range_end(r);
	}
	return MIN(end, limit) - start;
}

void memmap_multiboot_kib(const struct memmap *m, uint32_t *lower, uint32_t *upper)
{
	*lower = (uint32_t)MIN(memmap_ram_run(m, 0, 0xa0000) >> 10, 640u);
	*upper = (uint32_t)(memmap_ram_run(m, 0x100000, 0x100000000ull) >> 10);
}
