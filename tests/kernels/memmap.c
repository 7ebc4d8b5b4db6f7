/* SPDX-License-Identifier: MIT */
/*
 * Memory-map checks shared by the three protocols. A loader must hand over
 * a clean map: VMMs do not always (QEMU microvm's PVH map is unsorted with
 * a trailing empty entry, libxl's overlaps), and kernels such as Linux's
 * PVH entry take the map as given. So: no empty entries, ascending
 * addresses, no overlaps, and the things the kernel is told about in RAM.
 */
#include "probe.h"

/* An entry whose end wraps past 2^64 reaches everything above its start. */
static bool ranges_overlap(const struct probe_range *x, const struct probe_range *y)
{
	if (x->size == 0 || y->size == 0)
		return false;
	if (x->addr > y->addr) {
		const struct probe_range *t = x;
		x = y;
		y = t;
	}
	return y->addr - x->addr < x->size;
}

/* The whole map as FIELDs, to make a failed order check readable. */
static void memmap_dump(struct report *r, const struct probe_memmap *m)
{
	char name[24];

	for (unsigned i = 0; i < m->n; i++) {
		probe_snprintf(name, sizeof(name), "memmap%u", i);
		report_field(r, name, "0x%llx+0x%llx type %u", (unsigned long long)m->r[i].addr,
			     (unsigned long long)m->r[i].size, m->r[i].type);
	}
}

void memmap_check_order(struct report *r, const struct probe_memmap *m)
{
	unsigned bad = m->n;

	for (unsigned i = 0; i < m->n && bad == m->n; i++)
		if (m->r[i].size == 0)
			bad = i;
	bool ok = report_check(r, "memmap_nonzero", bad == m->n, "entry %u at 0x%llx has size 0", bad,
		     bad < m->n ? (unsigned long long)m->r[bad].addr : 0ull);

	for (bad = 1; bad < m->n; bad++)
		if (m->r[bad].addr < m->r[bad - 1].addr)
			break;
	ok &= report_check(r, "memmap_sorted", bad >= m->n, "entry %u at 0x%llx follows 0x%llx", bad,
		     bad < m->n ? (unsigned long long)m->r[bad].addr : 0ull,
		     bad < m->n ? (unsigned long long)m->r[bad - 1].addr : 0ull);

	/* Every pair, so that overlaps are found in an unsorted map too. */
	unsigned a, b = 0;
	for (a = 0; a < m->n; a++) {
		for (b = a + 1; b < m->n; b++)
			if (ranges_overlap(&m->r[a], &m->r[b]))
				break;
		if (b < m->n)
			break;
	}
	bool found = a < m->n;
	ok &= report_check(r, "memmap_overlap", !found,
		     "entries %u [0x%llx+0x%llx) and %u [0x%llx+0x%llx) overlap", a,
		     found ? (unsigned long long)m->r[a].addr : 0ull,
		     found ? (unsigned long long)m->r[a].size : 0ull, b,
		     found ? (unsigned long long)m->r[b].addr : 0ull,
		     found ? (unsigned long long)m->r[b].size : 0ull);
	if (!ok)
		memmap_dump(r, m);
}

uint64_t memmap_ram_end(const struct probe_memmap *m, uint64_t addr)
{
	uint64_t pos = addr;

	/* Walk forward through RAM entries; adjacent ones continue a run. */
	for (;;) {
		uint64_t next = pos;
		for (unsigned i = 0; i < m->n; i++) {
			const struct probe_range *e = &m->r[i];
			if (e->type != 1 || pos < e->addr || pos - e->addr >= e->size)
				continue;
			next = e->addr + e->size < e->addr ? UINT64_MAX : e->addr + e->size;
			break;
		}
		if (next == pos || next == UINT64_MAX)
			return next;
		pos = next;
	}
}

bool memmap_is_ram(const struct probe_memmap *m, uint64_t addr, uint64_t len)
{
	uint64_t last = addr + (len ? len - 1 : 0), end;

	if (last < addr)
		return false;
	end = memmap_ram_end(m, addr);
	/* UINT64_MAX stands for a run reaching 2^64. */
	return end != addr && (end == UINT64_MAX || end - 1 >= last);
}

void memmap_check_ram(struct report *r, const struct probe_memmap *m, const char *name,
		      uint64_t addr, uint64_t len)
{
	report_check(r, name, memmap_is_ram(m, addr, len), "[0x%llx, 0x%llx) is not all RAM",
		     (unsigned long long)addr, (unsigned long long)(addr + len));
}
