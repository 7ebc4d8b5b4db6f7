/* SPDX-License-Identifier: MIT */
/*
 * The boot plan: the seam between format loaders and platforms.
 *
 * A format loader never touches the CPU or the final memory. It describes
 * what must be where (chunks), what the kernel will be told about memory,
 * and how to enter it. stage/handoff executes a plan; the host CLI prints
 * one; tests check them without booting.
 *
 * A plan owns what it is built from: every heap buffer a loader makes for
 * it (boot structures, an inflated image, joined initrds) and every page
 * the handoff sets aside for it, plus its claims on destinations. A plan
 * that is not executed is given back whole by plan_release(), the one
 * release path; after it the heap and the page allocator are as they were
 * before plan_init().
 */
#ifndef PVHBOOT_LOADERS_PLAN_H
#define PVHBOOT_LOADERS_PLAN_H

#include "../core/memmap.h"
#include "image.h"

enum entry_mode {
	ENTRY_PM32,   /* 32-bit flat protected mode, paging off (PVH, multiboot1, Linux 32) */
	ENTRY_LONG64, /* 64-bit mode, 0-4 GiB identity-mapped (Linux 64-bit entry) */
	/*
	 * 64-bit mode as the firmware runs it: its page tables, GDT and IDT,
	 * boot services alive (multiboot2's EFI amd64 entry). Nothing is torn
	 * down, so every destination must be free memory (plan_add refuses
	 * the loader's and the firmware's own).
	 */
	ENTRY_EFI64,
};

struct plan_chunk {
	uint64_t dest;     /* physical destination */
	const void *src;   /* NULL: nothing to copy, only zeroes */
	uint64_t len;      /* bytes copied from src */
	uint64_t zero;     /* bytes zeroed right after them */
	char what[24];     /* "segment 0", "start_info", "module 1" */
};

/* Documented limits: chunks in a plan (-E2BIG), buffers and page runs it owns. */
#define PLAN_MAX_CHUNKS 80
#define PLAN_MAX_OWNED 16
#define PLAN_MAX_OWNED_PAGES 8

struct plan_pages {
	void *at;
	uint64_t size;
};

/*
 * What the kernel needs from the platform beyond the plan: capabilities,
 * not platform names, so a platform acts on what a kernel asks for.
 */
struct plan_needs {
	/* The BIOS data area's base-memory word (multiboot kernels read it). */
	bool bios_data_area;
	/*
	 * Where, inside a chunk source, the size of the final EFI memory map
	 * goes (Linux boot_params.efi_info): only known after the platform's
	 * exit. NULL when the kernel takes no EFI map. The handoff follows the
	 * source if it has to move it.
	 */
	void *efi_memmap_size; /* a little-endian 32-bit field */
};

struct boot_plan {
	enum kernel_format format;
	unsigned nr_chunks;
	struct plan_chunk chunks[PLAN_MAX_CHUNKS];
	enum entry_mode mode;     /* set ENTRY_EFI64 before the first plan_add() */
	uint64_t entry;
	/* Registers at entry; the rest are zero. In ENTRY_LONG64 esi is rsi. */
	uint32_t eax, ebx, esi;
	struct plan_needs needs;

	/* Owned memory, given back by plan_release(). */
	unsigned nr_owned, nr_owned_pages;
	void *owned[PLAN_MAX_OWNED];
	struct plan_pages owned_pages[PLAN_MAX_OWNED_PAGES];
};

/* Start an empty plan. The previous one in @p must have been released. */
void plan_init(struct boot_plan *p, enum kernel_format format);

/* Give back everything the plan owns and claims; @p is empty afterwards. */
void plan_release(struct boot_plan *p);

/*
 * plan_alloc() - a zeroed heap buffer owned by the plan (a boot structure,
 * a joined initrd). NULL when the heap or the plan's ownership list is full.
 */
void *plan_alloc(struct boot_plan *p, size_t size);

/*
 * plan_own() - hand a heap buffer (malloc()) to the plan. On -E2BIG the
 * buffer is freed at once, so the caller never keeps it either way.
 */
int plan_own(struct boot_plan *p, void *buf);

/* plan_alloc() for whole pages from the page allocator (the handoff's). */
void *plan_alloc_pages(struct boot_plan *p, uint64_t size);

/*
 * plan_add() - copy @len bytes from @src to @dest, then zero @zero bytes.
 * Claims the destination from the page allocator: -EBUSY when it is not RAM
 * the firmware gave or overlaps another chunk, -ERANGE above 4 GiB, -E2BIG
 * when the plan is full. Logs nothing; the caller names the file.
 */
int plan_add(struct boot_plan *p, uint64_t dest, const void *src, uint64_t len, uint64_t zero,
	     const char *what);

/*
 * plan_place() - find a free destination for a boot structure or module of
 * @size bytes aligned to @align below @max_end, highest first, and add it.
 * Returns 0 and sets *dest, or -ENOMEM.
 */
int plan_place(struct boot_plan *p, const void *src, uint64_t size, uint64_t align,
	       uint64_t max_end, const char *what, uint64_t *dest);

/*
 * plan_place_module() - like plan_place(), but leave a module where it
 * already is when that address fits the constraints (a file the loader read
 * into page-aligned memory): the handoff then copies nothing. Only for
 * buffers that live until the handoff and that the loader owns.
 */
int plan_place_module(struct boot_plan *p, const void *data, uint64_t size, uint64_t align,
		      uint64_t max_end, const char *what, uint64_t *dest);

/* plan_add() for data the kernel must find reserved in its memory map. */
int plan_add_keep(struct boot_plan *p, uint64_t dest, const void *src, uint64_t len,
		  const char *what);

/* The memory map the kernel of this plan will see. */
int plan_memmap(struct memmap *out);

/* Print the plan, one line per chunk, for `pvhboot plan` and debugging. */
void plan_print(const struct boot_plan *p, int (*print)(const char *fmt, ...));

#endif
