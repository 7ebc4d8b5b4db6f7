/* SPDX-License-Identifier: MIT */
/*
 * Grant table v1: frames mapped into holes of the memory map (mapping over
 * RAM would make Xen free that RAM page). References are handed out from a
 * simple free list; refs 0-7 are reserved for the toolstack.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "xen.h"

#define GRANT_FRAMES 4
#define GRANT_ENTRIES (GRANT_FRAMES * 4096 / sizeof(struct grant_entry_v1))

static volatile struct grant_entry_v1 *table;
static uint16_t next_free[GRANT_ENTRIES];
static uint32_t free_head;

int xen_grant_init(const struct memmap *map)
{
	uint64_t first = 0;
	for (unsigned i = 0; i < GRANT_FRAMES; i++) {
		uint64_t gpa;
		if (xen_find_hole(map, &gpa))
			return log_err(-ENOMEM, "xen: no hole for grant frame %u", i);
		if (i == 0)
			first = gpa;
		else if (gpa != first + i * 4096ull)
			return log_err(-ENOMEM, "xen: grant frames are not contiguous");
		struct xen_add_to_physmap x = { DOMID_SELF, 0, XENMAPSPACE_grant_table, i, gpa >> 12 };
		if (xen_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (uintptr_t)&x, 0))
			return log_err(-EIO, "xen: mapping grant frame %u failed", i);
	}
	struct gnttab_set_version v = { 1 };
	xen_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_set_version, (uintptr_t)&v, 1);
	table = (volatile struct grant_entry_v1 *)(uintptr_t)first;
	for (uint32_t i = GNTTAB_NR_RESERVED_ENTRIES; i < GRANT_ENTRIES; i++)
		next_free[i] = (uint16_t)(i + 1 < GRANT_ENTRIES ? i + 1 : 0);
	free_head = GNTTAB_NR_RESERVED_ENTRIES;
	return 0;
}

int xen_grant(uint16_t domid, uint64_t gpa, bool readonly, uint32_t *ref)
{
	if (!table || !free_head)
		return -ENOSPC;
	uint32_t r = free_head;
	free_head = next_free[r];
	table[r].domid = domid;
	table[r].frame = (uint32_t)(gpa >> 12);
	/* The entry must be complete before the flags make it valid. */
	__asm__ volatile("sfence" ::: "memory");
	table[r].flags = (uint16_t)(GTF_permit_access | (readonly ? 4u : 0u));
	*ref = r;
	return 0;
}

void xen_grant_revoke(uint32_t ref)
{
	volatile uint16_t *flags = &table[ref].flags;
	/* Only while the backend has no mapping in use (reading/writing clear). */
	for (unsigned spin = 0; spin < 1000000; spin++) {
		uint16_t f = *flags;
		if (f & (GTF_reading | GTF_writing))
			continue;
		uint16_t expected = f;
		__asm__ volatile("lock cmpxchgw %2, %1"
				 : "+a"(expected), "+m"(*flags)
				 : "r"((uint16_t)0)
				 : "memory");
		if (expected == f) {
			next_free[ref] = (uint16_t)free_head;
			free_head = ref;
			return;
		}
	}
	/* Never reused: a page the backend can still write must not be shared again. */
	log_warn("xen: grant %u is still mapped by the backend; left granted", ref);
}
