/* SPDX-License-Identifier: MIT */
/*
 * The Linux 64-bit entry promises an identity map of the kernel image,
 * boot_params and the command line (boot.rst "64-bit Boot Protocol"). The
 * probe records the loader's CR3 at entry and walks those 4-level tables
 * afterwards (Intel SDM 3A §4.5), through its own identity map.
 */
#include "probe.h"

#define PTE_P (1ull << 0)
#define PTE_PS (1ull << 7)
#define PTE_ADDR 0x000ffffffffff000ull

/* Translate @va; 0, -ENOENT when not mapped, -EFAULT when a table is out of reach. */
static int pt_translate(const struct probe_mem *m, uint64_t cr3, uint64_t va, uint64_t *pa,
			uint64_t *page_size)
{
	uint64_t table = cr3 & PTE_ADDR;

	for (unsigned shift = 39; shift >= 12; shift -= 9) {
		uint64_t entry;
		if (probe_read(m, table + ((va >> shift) & 511) * 8, &entry, sizeof(entry)) != 0)
			return -EFAULT;
		if (!(entry & PTE_P))
			return -ENOENT;
		/* PS makes a 1 GiB page at level 3, a 2 MiB page at level 2. */
		if (shift == 12 || ((shift == 30 || shift == 21) && (entry & PTE_PS))) {
			uint64_t size = 1ull << shift;
			*pa = (entry & PTE_ADDR & ~(size - 1)) | (va & (size - 1));
			*page_size = size;
			return 0;
		}
		table = entry & PTE_ADDR;
	}
	return -ENOENT;
}

void check_identity_map(const struct probe_env *e, const char *name, uint64_t cr3,
			uint64_t addr, uint64_t len)
{
	uint64_t end = addr + (len ? len : 1), va = addr;

	while (va < end && va >= addr) {
		uint64_t pa = 0, size = 0;
		int rc = pt_translate(&e->mem, cr3, va, &pa, &size);
		if (rc != 0 || pa != va) {
			report_check(e->r, name, false, "0x%llx %s", (unsigned long long)va,
				     rc == -ENOENT  ? "is not mapped"
				     : rc != 0      ? "has page tables out of reach"
						    : "is not identity-mapped");
			return;
		}
		va = (va & ~(size - 1)) + size;
	}
	report_check(e->r, name, true, "-");
}
