/* SPDX-License-Identifier: MIT */
/*
 * Memory maps: sorted, non-overlapping lists of typed physical ranges.
 *
 * Firmware and hypervisors hand over maps that are unsorted, overlapping or
 * padded with empty entries (Xen's libxl domU map, QEMU microvm, Firecracker):
 * memmap_normalize() turns any such list into a canonical one, in which a
 * non-RAM type always wins over RAM where two entries overlap. The loader
 * then carves its own private types into the same map (memmap_set), and
 * memmap_export() says what the next kernel sees.
 */
#ifndef PVHBOOT_CORE_MEMMAP_H
#define PVHBOOT_CORE_MEMMAP_H

#include "../include/abi/e820.h"
#include "lib.h"

/* Documented limit; maps larger than this are refused with -ENOSPC. */
#define MEMMAP_MAX 256

/*
 * Loader-private types, never shown to a kernel as such. memmap_export()
 * turns MEM_KEEP into E820_RESERVED and every other private type into RAM:
 * the loader's image, heap and page tables are free memory once the kernel
 * runs, and the boot structures it receives are RAM by every protocol's
 * convention (the kernel reserves what it still needs).
 */
enum mem_private {
	MEM_PRIVATE = 0x1000,
	MEM_LOADER = MEM_PRIVATE, /* the loader's image and stack */
	MEM_ALLOCATED,            /* handed out by the page allocator */
	MEM_BOOTDATA,             /* start_info data and modules we were given */
	MEM_PLANNED,              /* destination of a boot plan chunk */
	MEM_KEEP,                 /* must survive into the kernel: reserved */
};

struct mem_range {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

struct memmap {
	uint32_t count;
	struct mem_range r[MEMMAP_MAX];
};

static inline uint64_t mem_range_end(const struct mem_range *r)
{
	return r->addr + r->size;
}

void memmap_init(struct memmap *m);

/*
 * memmap_add() - append a raw range, as a firmware table lists it. Zero-size
 * ranges are dropped; a range running past 2^64 is clipped. The map is not
 * canonical until memmap_normalize(). Returns 0 or -ENOSPC.
 */
int memmap_add(struct memmap *m, uint64_t addr, uint64_t size, uint32_t type);

/*
 * memmap_normalize() - sort, resolve overlaps (RAM loses to every other
 * type; among the others the more restrictive wins: DISABLED > UNUSABLE >
 * RESERVED (and unknown types) > NVS > ACPI > PMEM) and merge adjacent
 * ranges of one type. Returns 0 or -ENOSPC.
 */
int memmap_normalize(struct memmap *m);

/*
 * memmap_set() - give [addr, addr + size) the type @type whatever it was
 * before (holes included), keeping the map canonical. Returns 0 or -ENOSPC.
 */
int memmap_set(struct memmap *m, uint64_t addr, uint64_t size, uint32_t type);

/* The type at @addr, or 0 for a hole. */
uint32_t memmap_type_at(const struct memmap *m, uint64_t addr);

/* True when every byte of [addr, addr + size) is covered by type @type. */
bool memmap_range_is(const struct memmap *m, uint64_t addr, uint64_t size, uint32_t type);

/*
 * True when every byte of [addr, addr + size) has a type for which
 * @accept(type) holds (holes never do).
 */
bool memmap_range_all(const struct memmap *m, uint64_t addr, uint64_t size,
		      bool (*accept)(uint32_t type));

/*
 * memmap_find() - the highest (top_down) or lowest address A, aligned to
 * @align (a power of two), with [A, A + size) inside one range of @type and
 * inside [min, max_end). Returns 0 and sets *out, or -ENOMEM.
 */
int memmap_find(const struct memmap *m, uint64_t size, uint64_t align, uint64_t min,
		uint64_t max_end, uint32_t type, bool top_down, uint64_t *out);

/* Total bytes of @type. */
uint64_t memmap_total(const struct memmap *m, uint32_t type);

/*
 * Bytes of RAM in the unbroken run that starts at @start, no further than
 * @limit (multiboot's mem_lower and mem_upper); 0 when @start is no RAM.
 */
uint64_t memmap_ram_run(const struct memmap *m, uint64_t start, uint64_t limit);

/* Multiboot's basic meminfo in KiB: RAM from 0 (at most 640) and from 1 MiB (below 4 GiB). */
void memmap_multiboot_kib(const struct memmap *m, uint32_t *lower, uint32_t *upper);

/*
 * memmap_export() - the map the next kernel sees: private types become RAM,
 * MEM_KEEP becomes RESERVED, then normalized. Returns 0 or -ENOSPC.
 */
int memmap_export(const struct memmap *m, struct memmap *out);

const char *memmap_type_name(uint32_t type);

#endif
