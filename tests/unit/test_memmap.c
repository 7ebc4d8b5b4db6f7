/* SPDX-License-Identifier: MIT */
/*
 * The memory-map algebra and the page allocator, on maps as real VMMs hand
 * them over (QEMU pc/q35/microvm, libxl domU, Firecracker).
 */
#include "../../core/errno.h"
#include "../../core/memmap.h"
#include "../../core/pagealloc.h"
#include "test.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

struct want {
	uint64_t addr, size;
	uint32_t type;
};

static void check_map(const struct memmap *m, const struct want *w, unsigned n)
{
	if (m->count != n) {
		char buf[256];
		int o = 0;
		for (unsigned i = 0; i < m->count && o < 200; i++)
			o += snprintf(buf + o, sizeof(buf) - (size_t)o, " [%#llx+%#llx t%u]",
				      (unsigned long long)m->r[i].addr, (unsigned long long)m->r[i].size,
				      m->r[i].type);
		FAIL("%u entries, want %u:%s", m->count, n, buf);
	}
	for (unsigned i = 0; i < n; i++) {
		CHECK_EQ_U64(m->r[i].addr, w[i].addr);
		CHECK_EQ_U64(m->r[i].size, w[i].size);
		CHECK_EQ_U64(m->r[i].type, w[i].type);
	}
}

static void canonical(const struct memmap *m)
{
	for (unsigned i = 0; i < m->count; i++) {
		CHECK(m->r[i].size > 0);
		if (i) {
			CHECK(m->r[i - 1].addr + m->r[i - 1].size <= m->r[i].addr);
			/* merged: equal neighbours never touch */
			CHECK(!(m->r[i - 1].addr + m->r[i - 1].size == m->r[i].addr &&
				m->r[i - 1].type == m->r[i].type));
		}
	}
}

TEST(sorts_unsorted_input)
{
	static struct memmap m;
	memmap_init(&m);
	memmap_add(&m, 0x100000, 0x7ee0000, E820_RAM);
	memmap_add(&m, 0, 0x9fc00, E820_RAM);
	memmap_add(&m, 0xf0000, 0x10000, E820_RESERVED);
	CHECK_EQ_INT(memmap_normalize(&m), 0);
	struct want w[] = { { 0, 0x9fc00, 1 }, { 0xf0000, 0x10000, 2 }, { 0x100000, 0x7ee0000, 1 } };
	check_map(&m, w, 3);
}

TEST(merges_adjacent_same_type)
{
	static struct memmap m;
	memmap_init(&m);
	memmap_add(&m, 0, MiB, E820_RAM);
	memmap_add(&m, MiB, MiB, E820_RAM);
	memmap_add(&m, 2 * MiB, MiB, E820_ACPI);
	memmap_add(&m, 3 * MiB, MiB, E820_ACPI);
	CHECK_EQ_INT(memmap_normalize(&m), 0);
	struct want w[] = { { 0, 2 * MiB, 1 }, { 2 * MiB, 2 * MiB, 3 } };
	check_map(&m, w, 2);
}

/* libxl: the legacy RSDP page lies inside the low RAM entry; reserved wins. */
TEST(non_ram_wins_overlap)
{
	static struct memmap m;
	memmap_init(&m);
	memmap_add(&m, 0, 0x40000000, E820_RAM);
	memmap_add(&m, 0xff000, 0x1000, E820_RESERVED);
	memmap_add(&m, 0xfc000000, 0x1000, E820_NVS);
	memmap_add(&m, 0xfeff8000, 0x8000, E820_RESERVED);
	CHECK_EQ_INT(memmap_normalize(&m), 0);
	struct want w[] = { { 0, 0xff000, 1 },
			    { 0xff000, 0x1000, 2 },
			    { 0x100000, 0x40000000 - 0x100000, 1 },
			    { 0xfc000000, 0x1000, 4 },
			    { 0xfeff8000, 0x8000, 2 } };
	check_map(&m, w, 5);
	canonical(&m);
}

TEST(more_restrictive_type_wins)
{
	static struct memmap m;
	memmap_init(&m);
	memmap_add(&m, 0, 0x3000, E820_ACPI);
	memmap_add(&m, 0x1000, 0x1000, E820_RESERVED);
	memmap_add(&m, 0x1800, 0x1000, E820_UNUSABLE);
	CHECK_EQ_INT(memmap_normalize(&m), 0);
	struct want w[] = { { 0, 0x1000, 3 }, { 0x1000, 0x800, 2 }, { 0x1800, 0x1000, 5 },
			    { 0x2800, 0x800, 3 } };
	check_map(&m, w, 4);
}

/* QEMU microvm: unsorted, an ACPI NVS entry, a trailing all-zero entry. */
TEST(microvm_quirks)
{
	static struct memmap m;
	memmap_init(&m);
	memmap_add(&m, 0x100000, 0xff00000, E820_RAM);
	memmap_add(&m, 0, 0x9fc00, E820_RAM);
	memmap_add(&m, 0xfeff8000, 0x8000, E820_RESERVED);
	memmap_add(&m, 0x9fc00, 0x400, E820_NVS);
	memmap_add(&m, 0, 0, 0); /* the empty tail entry */
	CHECK_EQ_INT(memmap_normalize(&m), 0);
	struct want w[] = { { 0, 0x9fc00, 1 },
			    { 0x9fc00, 0x400, 4 },
			    { 0x100000, 0xff00000, 1 },
			    { 0xfeff8000, 0x8000, 2 } };
	check_map(&m, w, 4);
}

/* Firecracker writes the high RAM entry before the low ones. */
TEST(firecracker_high_first)
{
	static struct memmap m;
	memmap_init(&m);
	memmap_add(&m, 4 * GiB, 2 * GiB, E820_RAM);
	memmap_add(&m, 0, 0x9fc00, E820_RAM);
	memmap_add(&m, 0x100000, 3 * GiB - 0x100000, E820_RAM);
	CHECK_EQ_INT(memmap_normalize(&m), 0);
	CHECK_EQ_INT(m.count, 3);
	CHECK_EQ_U64(m.r[2].addr, 4 * GiB);
	canonical(&m);
}

TEST(clips_at_top_of_address_space)
{
	static struct memmap m;
	memmap_init(&m);
	memmap_add(&m, UINT64_MAX - 0xfff, 0x10000, E820_RESERVED);
	CHECK_EQ_INT(m.count, 1);
	CHECK_EQ_U64(m.r[0].size, 0xfff);
}

TEST(set_carves_and_merges)
{
	static struct memmap m;
	memmap_init(&m);
	memmap_add(&m, 0, 16 * MiB, E820_RAM);
	CHECK_EQ_INT(memmap_normalize(&m), 0);
	CHECK_EQ_INT(memmap_set(&m, 4 * MiB, MiB, MEM_LOADER), 0);
	struct want w[] = { { 0, 4 * MiB, 1 }, { 4 * MiB, MiB, MEM_LOADER }, { 5 * MiB, 11 * MiB, 1 } };
	check_map(&m, w, 3);
	/* giving it back merges the RAM again */
	CHECK_EQ_INT(memmap_set(&m, 4 * MiB, MiB, E820_RAM), 0);
	struct want w2[] = { { 0, 16 * MiB, 1 } };
	check_map(&m, w2, 1);
	/* a carve across a hole fills the hole */
	CHECK_EQ_INT(memmap_set(&m, 20 * MiB, MiB, E820_RESERVED), 0);
	CHECK_EQ_INT(memmap_set(&m, 15 * MiB, 6 * MiB, MEM_KEEP), 0);
	struct want w3[] = { { 0, 15 * MiB, 1 }, { 15 * MiB, 6 * MiB, MEM_KEEP } };
	check_map(&m, w3, 2);
}

TEST(range_queries)
{
	static struct memmap m;
	memmap_init(&m);
	memmap_add(&m, 0, 0x9fc00, E820_RAM);
	memmap_add(&m, 0x100000, 0x1000000, E820_RAM);
	memmap_normalize(&m);
	CHECK(memmap_range_is(&m, 0x100000, 0x1000, E820_RAM));
	CHECK(!memmap_range_is(&m, 0x9f000, 0x2000, E820_RAM)); /* runs into the hole */
	CHECK(!memmap_range_is(&m, 0x1100000 - 0x800, 0x1000, E820_RAM));
	CHECK(!memmap_range_is(&m, UINT64_MAX - 10, 100, E820_RAM));
	CHECK_EQ_U64(memmap_type_at(&m, 0xa0000), 0);
	CHECK_EQ_U64(memmap_type_at(&m, 0x100000), E820_RAM);
}

TEST(find_respects_alignment_and_limits)
{
	static struct memmap m;
	uint64_t a;
	memmap_init(&m);
	memmap_add(&m, 0x100000, 0x3f00000, E820_RAM); /* 1 MiB .. 64 MiB */
	memmap_normalize(&m);
	CHECK_EQ_INT(memmap_find(&m, 0x1000, 0x200000, 0, UINT64_MAX, E820_RAM, false, &a), 0);
	CHECK_EQ_U64(a, 0x200000);
	CHECK_EQ_INT(memmap_find(&m, 0x1000, 0x1000, 0, 32 * MiB, E820_RAM, true, &a), 0);
	CHECK_EQ_U64(a, 32 * MiB - 0x1000);
	CHECK_EQ_INT(memmap_find(&m, 128 * MiB, 0x1000, 0, UINT64_MAX, E820_RAM, true, &a), -ENOMEM);
	CHECK_EQ_INT(memmap_find(&m, 0x1000, 3, 0, UINT64_MAX, E820_RAM, true, &a), -EINVAL);
}

TEST(export_hides_private_types)
{
	static struct memmap m, out;
	memmap_init(&m);
	memmap_add(&m, 0, 64 * MiB, E820_RAM);
	memmap_normalize(&m);
	memmap_set(&m, MiB, MiB, MEM_LOADER);
	memmap_set(&m, 8 * MiB, MiB, MEM_ALLOCATED);
	memmap_set(&m, 0xe0000, 0x1000, MEM_KEEP);
	CHECK_EQ_INT(memmap_export(&m, &out), 0);
	struct want w[] = { { 0, 0xe0000, 1 }, { 0xe0000, 0x1000, 2 }, { 0xe1000, 64 * MiB - 0xe1000, 1 } };
	check_map(&out, w, 3);
}

TEST(full_map_reports_enospc)
{
	static struct memmap m;
	memmap_init(&m);
	for (unsigned i = 0; i < MEMMAP_MAX; i++)
		CHECK_EQ_INT(memmap_add(&m, i * 0x2000ull, 0x1000, E820_RAM), 0);
	CHECK_EQ_INT(memmap_add(&m, 1ull << 40, 0x1000, E820_RAM), -ENOSPC);
	CHECK_EQ_INT(memmap_normalize(&m), 0);
	CHECK_EQ_INT(m.count, MEMMAP_MAX);
}

/* The allocator on QEMU pc's map with the loader at 1 MiB. */
static void pc_setup(void)
{
	static struct memmap fw;
	memmap_init(&fw);
	memmap_add(&fw, 0, 0x9fc00, E820_RAM);
	memmap_add(&fw, 0x9fc00, 0x400, E820_RESERVED);
	memmap_add(&fw, 0xf0000, 0x10000, E820_RESERVED);
	memmap_add(&fw, 0x100000, 0x7ee0000, E820_RAM); /* to 128 MiB - 128 KiB */
	memmap_add(&fw, 0xfffc0000, 0x40000, E820_RESERVED);
	memmap_normalize(&fw);
	CHECK_EQ_INT(pagealloc_init(&fw), 0);
	CHECK_EQ_INT(pagealloc_reserve(0x100000, 0x40000, MEM_LOADER), 0);
	CHECK_EQ_INT(pagealloc_reserve(0x7000000, 0x123456, MEM_BOOTDATA), 0);
}

static bool disjoint(uint64_t a, uint64_t al, uint64_t b, uint64_t bl)
{
	return a + al <= b || b + bl <= a;
}

TEST(allocator_never_returns_taken_memory)
{
	pc_setup();
	CHECK_EQ_INT(pagealloc_claim(0x1000000, 0x800000), 0);
	for (int i = 0; i < 40; i++) {
		void *p = page_alloc(0x100000, 0x1000, PAGEALLOC_LIMIT);
		CHECK(p != NULL);
		uint64_t a = (uintptr_t)p;
		CHECK(a >= PAGEALLOC_FLOOR);
		CHECK(a % 0x1000 == 0);
		CHECK(disjoint(a, 0x100000, 0x100000, 0x40000));      /* loader */
		CHECK(disjoint(a, 0x100000, 0x7000000, 0x124000));    /* module */
		CHECK(disjoint(a, 0x100000, 0x1000000, 0x800000));    /* claim */
		CHECK(disjoint(a, 0x100000, 0xfffc0000, 0x40000));    /* firmware */
	}
}

TEST(allocator_runs_out_cleanly)
{
	pc_setup();
	unsigned n = 0;
	while (page_alloc(0x400000, 0x1000, PAGEALLOC_LIMIT))
		n++;
	CHECK(n > 20 && n < 32);
	CHECK(page_alloc(0x1000, 0x1000, PAGEALLOC_LIMIT) != NULL); /* small pieces remain */
}

TEST(free_merges_back)
{
	pc_setup();
	uint64_t before = memmap_total(pagealloc_map(), E820_RAM);
	void *p = page_alloc(0x3000, 0x1000, PAGEALLOC_LIMIT);
	CHECK(p);
	CHECK_EQ_U64(memmap_total(pagealloc_map(), E820_RAM), before - 0x3000);
	page_free(p, 0x3000);
	CHECK_EQ_U64(memmap_total(pagealloc_map(), E820_RAM), before);
	/* freeing what was never allocated changes nothing */
	page_free((void *)(uintptr_t)0x100000, 0x1000);
	CHECK_EQ_U64(memmap_type_at(pagealloc_map(), 0x100000), MEM_LOADER);
}

TEST(claims_may_cover_loader_but_not_firmware_or_each_other)
{
	pc_setup();
	CHECK_EQ_INT(pagealloc_claim(0x100000, 0x10000), 0);      /* over the loader: fine */
	CHECK_EQ_INT(pagealloc_claim(0x108000, 0x1000), -EBUSY);  /* same page: no */
	CHECK_EQ_INT(pagealloc_claim(0xfee00000, 0x1000), -EBUSY); /* LAPIC hole */
	CHECK_EQ_INT(pagealloc_claim(0x9f000, 0x2000), -EBUSY);    /* into reserved */
	CHECK_EQ_INT(pagealloc_claim(0x7ff0000, 0x100000), -EBUSY); /* past RAM's end */
	pagealloc_drop_claims();
	CHECK_EQ_INT(pagealloc_claim(0x108000, 0x1000), 0);
}

TEST(reserve_refuses_non_ram)
{
	pc_setup();
	CHECK_EQ_INT(pagealloc_reserve(0xf0000, 0x1000, MEM_BOOTDATA), -EBUSY);
	CHECK_EQ_INT(pagealloc_reserve(0x8000000, 0x1000, MEM_BOOTDATA), -EBUSY);
}

/* multiboot's mem_lower/mem_upper: the RAM run from an address, cut at a limit. */
TEST(ram_run_follows_adjacent_ram)
{
	static struct memmap m;
	memmap_init(&m);
	memmap_add(&m, 0, 0x9fc00, E820_RAM);
	memmap_add(&m, 0x9fc00, 0x400, E820_RESERVED);
	memmap_add(&m, 0x100000, 0x100000, E820_RAM);
	memmap_add(&m, 0x200000, 0x300000, E820_ACPI);
	memmap_add(&m, 0x500000, 0x100000, E820_RAM);
	CHECK(!memmap_normalize(&m));
	CHECK_EQ_U64(memmap_ram_run(&m, 0, 0xa0000), 0x9fc00);
	CHECK_EQ_U64(memmap_ram_run(&m, 0x100000, 1ull << 32), 0x100000);
	CHECK_EQ_U64(memmap_ram_run(&m, 0x100000, 0x180000), 0x80000);
	CHECK_EQ_U64(memmap_ram_run(&m, 0x300000, 1ull << 32), 0);
}

int main(void)
{
	RUN(ram_run_follows_adjacent_ram);
	RUN(sorts_unsorted_input);
	RUN(merges_adjacent_same_type);
	RUN(non_ram_wins_overlap);
	RUN(more_restrictive_type_wins);
	RUN(microvm_quirks);
	RUN(firecracker_high_first);
	RUN(clips_at_top_of_address_space);
	RUN(set_carves_and_merges);
	RUN(range_queries);
	RUN(find_respects_alignment_and_limits);
	RUN(export_hides_private_types);
	RUN(full_map_reports_enospc);
	RUN(allocator_never_returns_taken_memory);
	RUN(allocator_runs_out_cleanly);
	RUN(free_merges_back);
	RUN(claims_may_cover_loader_but_not_firmware_or_each_other);
	RUN(reserve_refuses_non_ram);
	return test_summary();
}
