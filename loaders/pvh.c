/* SPDX-License-Identifier: MIT */
/*
 * PVH ELF kernels: PT_LOAD segments at p_paddr, an hvm_start_info version 1
 * and entry through PHYS32_ENTRY in 32-bit flat protected mode with %ebx
 * pointing at start_info (Xen docs/misc/pvh.pandoc).
 */
#include "../core/acpi.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/pagealloc.h"
#include "../include/abi/start_info.h"
#include "kernel.h"

/* Where a segment set shifted by @delta would land; all of it must be free. */
static bool segments_fit(const struct elf_image *elf, int64_t delta)
{
	for (unsigned i = 0; i < elf->nr_segments; i++) {
		const struct elf_segment *s = &elf->segments[i];
		uint64_t dest = s->paddr + (uint64_t)delta;
		if (!s->memsz)
			continue; /* an empty segment places nothing */
		if (dest >= PAGEALLOC_LIMIT || s->memsz > PAGEALLOC_LIMIT - dest ||
		    !pagealloc_claimable(dest, s->memsz))
			return false;
	}
	return true;
}

/* Whether the image placed at @base (its lowest byte) fits; sets *delta. */
static bool fits_at(const struct elf_image *elf, uint64_t lo, uint64_t span, uint64_t base,
		    int64_t *delta)
{
	if (base < elf->reloc_min || base > PAGEALLOC_LIMIT - span ||
	    base + span - 1 > elf->reloc_max || !segments_fit(elf, (int64_t)(base - lo)))
		return false;
	*delta = (int64_t)(base - lo);
	return true;
}

/*
 * PHYS32_RELOC: the kernel may run at another address, aligned to
 * reloc_align, with the whole image inside [reloc_min, reloc_max]. Take the
 * lowest such place, as Xen's libelf does for dom0. The lowest place starts
 * at reloc_min or at the start of some range of the memory map (aligned up),
 * so those are the only candidates: the search is bounded by the map's
 * size, whatever alignment the kernel asks for (one byte included).
 */
static int choose_delta(const struct elf_image *elf, int64_t *delta)
{
	*delta = 0;
	if (segments_fit(elf, 0))
		return 0;
	if (!elf->has_phys32_reloc || !elf->nr_segments)
		return -EBUSY;

	uint64_t lo = UINT64_MAX, hi = 0;
	for (unsigned i = 0; i < elf->nr_segments; i++) {
		lo = MIN(lo, elf->segments[i].paddr);
		hi = MAX(hi, elf->segments[i].paddr + elf->segments[i].memsz);
	}
	uint64_t span = hi - lo, align = IS_POW2(elf->reloc_align) ? elf->reloc_align : 0x200000;
	if (!span || span > PAGEALLOC_LIMIT)
		return -EBUSY;
	uint64_t floor = MAX((uint64_t)elf->reloc_min, PAGEALLOC_FLOOR);
	if (fits_at(elf, lo, span, ALIGN_UP(floor, align), delta))
		return 0;
	/* Claims are whole pages: a range's first usable byte is on a page boundary. */
	uint64_t step = MAX(align, (uint64_t)PAGE_SIZE);
	const struct memmap *m = pagealloc_map();
	for (unsigned i = 0; i < m->count; i++) {
		uint64_t start = m->r[i].addr;
		if (start >= floor && start <= PAGEALLOC_LIMIT - step &&
		    fits_at(elf, lo, span, ALIGN_UP(start, step), delta))
			return 0;
	}
	return -EBUSY;
}

static int load_segments(const struct boot_request *req, const uint8_t *image,
			 const struct elf_image *elf, int64_t delta, struct boot_plan *plan)
{
	for (unsigned i = 0; i < elf->nr_segments; i++) {
		const struct elf_segment *s = &elf->segments[i];
		char what[24];
		fmt_snprintf(what, sizeof(what), "segment %u", i);
		uint64_t dest = s->paddr + (uint64_t)delta;
		int rc = plan_add(plan, dest, image + s->offset, s->filesz, s->memsz - s->filesz,
				  what);
		if (rc)
			return log_err(rc, "%s: segment %u at 0x%lx-0x%lx is not free RAM", req->name,
				       i, (unsigned long)dest, (unsigned long)(dest + s->memsz));
	}
	return 0;
}

static bool contains_linux(const char *s)
{
	for (; *s; s++) {
		const char *w = "linux";
		size_t i = 0;
		while (w[i] && (s[i] | 0x20) == w[i])
			i++;
		if (!w[i])
			return true;
	}
	return false;
}

/*
 * Linux 4.11-4.16 PVH kernels ignore rsdp_paddr and find the RSDP only by
 * scanning 0xE0000-0xFFFFF; they are the Linux kernels that do not advertise
 * XENFEAT_linux_rsdp_unrestricted (Xen commit aaae6290, boot-abi.md A5).
 */
static bool wants_low_rsdp(const struct boot_request *req, const struct elf_image *elf)
{
	if (req->rsdp_low != RSDP_LOW_AUTO)
		return req->rsdp_low == RSDP_LOW_ON;
	return contains_linux(elf->guest_os) &&
	       !(elf->has_features && (elf->features & (1u << XENFEAT_linux_rsdp_unrestricted)));
}

/* Copy the RSDP into the BIOS search area, reserved in the kernel's map. */
static int place_low_rsdp(const struct boot_env *env, const struct boot_request *req,
			  struct boot_plan *plan, uint64_t *rsdp)
{
	*rsdp = env->rsdp;
	if (!env->rsdp || (env->rsdp >= 0xe0000 && env->rsdp < 0x100000))
		return 0;
	size_t n = sizeof(struct acpi_rsdp);
	const void *src = (const void *)(uintptr_t)env->rsdp;
	if (!env->simulated) {
		if (!acpi_rsdp_valid(src))
			return 0;
		n = acpi_rsdp_size(src);
	}
	void *copy = plan_alloc(plan, n);
	if (!copy)
		return log_err(-ENOMEM, "%s: no memory for the RSDP copy", req->name);
	if (!env->simulated)
		memcpy(copy, src, n);
	else
		memset(copy, 0, n);
	for (uint64_t a = 0xff000; a >= 0xe0000; a -= PAGE_SIZE) {
		if (pagealloc_claimable(a, PAGE_SIZE) && !plan_add_keep(plan, a, copy, n, "rsdp low")) {
			*rsdp = a;
			log_info("%s: RSDP copied to 0x%lx for a kernel that only scans for it",
				 req->name, (unsigned long)a);
			return 0;
		}
	}
	log_warn("%s: the kernel scans for the RSDP below 1 MiB and no page there is free",
		 req->name);
	return 0;
}

/* Layout of the one block holding everything start_info points to. */
struct info_layout {
	size_t cmdline, modlist, modcmd[BOOT_MAX_MODULES], memmap, size;
};

static void layout_info(const struct boot_request *req, uint32_t nr_memmap, struct info_layout *l)
{
	size_t off = sizeof(struct hvm_start_info);
	l->cmdline = off;
	off = ALIGN_UP(off + strlen(req->cmdline) + 1, 8);
	l->modlist = off;
	off += req->nr_modules * sizeof(struct hvm_modlist_entry);
	for (unsigned i = 0; i < req->nr_modules; i++) {
		l->modcmd[i] = off;
		off = ALIGN_UP(off + strlen(req->modules[i].cmdline) + 1, 8);
	}
	l->memmap = off;
	off += nr_memmap * sizeof(struct hvm_memmap_table_entry);
	l->size = off;
}

int pvh_plan(const struct boot_env *env, const struct boot_request *req, const void *image,
	     size_t size, const struct elf_image *elf, struct boot_plan *plan)
{
	uint64_t mod_dest[BOOT_MAX_MODULES];
	int64_t delta;
	int rc;

	if (!elf->has_phys32_entry)
		return log_err(-ENOEXEC, "%s: no PHYS32_ENTRY note", req->name);
	rc = choose_delta(elf, &delta);
	if (rc) {
		/* Name the first segment that does not fit where it asks to be. */
		for (unsigned i = 0; i < elf->nr_segments; i++) {
			const struct elf_segment *s = &elf->segments[i];
			if (s->paddr < PAGEALLOC_LIMIT && s->memsz <= PAGEALLOC_LIMIT - s->paddr &&
			    pagealloc_claimable(s->paddr, s->memsz))
				continue;
			return log_err(rc, "%s: segment %u at 0x%lx-0x%lx is not free RAM%s",
				       req->name, i, (unsigned long)s->paddr,
				       (unsigned long)(s->paddr + s->memsz),
				       elf->has_phys32_reloc ? ", and no relocation fits" : "");
		}
		return log_err(rc, "%s: the kernel's segments do not fit in RAM", req->name);
	}
	/* The entry moves with the image; it must still be a 32-bit address. */
	uint64_t entry = (uint64_t)elf->phys32_entry + (uint64_t)delta;
	if (entry >= PAGEALLOC_LIMIT)
		return log_err(-ENOEXEC, "%s: PHYS32_ENTRY 0x%x lies outside 4 GiB once the "
			       "image is relocated by %ld bytes", req->name, elf->phys32_entry,
			       (long)delta);
	rc = load_segments(req, image, elf, delta, plan);
	if (rc)
		return rc;

	for (unsigned i = 0; i < req->nr_modules; i++) {
		const struct boot_module *m = &req->modules[i];
		char what[24];
		fmt_snprintf(what, sizeof(what), "module %u", i);
		rc = plan_place_module(plan, m->data, m->size, PAGE_SIZE, PAGEALLOC_LIMIT, what,
				       &mod_dest[i]);
		if (rc)
			return log_err(rc, "%s: no room for module %s (%zu bytes)", req->name, m->name,
				       m->size);
	}

	uint64_t rsdp = env->rsdp;
	if (wants_low_rsdp(req, elf)) {
		rc = place_low_rsdp(env, req, plan, &rsdp);
		if (rc)
			return rc;
	}

	/* Place the info block first: placing it does not change the map the
	 * kernel sees (planned memory is RAM to the kernel). */
	static struct memmap kernel_map;
	rc = plan_memmap(&kernel_map);
	if (rc)
		return log_err(rc, "%s: memory map too large", req->name);
	struct info_layout l;
	layout_info(req, kernel_map.count, &l);
	uint8_t *info = plan_alloc(plan, l.size);
	if (!info)
		return log_err(-ENOMEM, "%s: no memory for start_info", req->name);
	uint64_t base;
	rc = plan_place(plan, info, l.size, PAGE_SIZE, PAGEALLOC_LIMIT, "start_info", &base);
	if (rc)
		return log_err(rc, "%s: no room for start_info", req->name);

	struct hvm_start_info *si = (void *)info;
	*si = (struct hvm_start_info){
		.magic = HVM_START_MAGIC,
		.version = 1,
		.nr_modules = req->nr_modules,
		.modlist_paddr = req->nr_modules ? base + l.modlist : 0,
		.cmdline_paddr = base + l.cmdline,
		.rsdp_paddr = rsdp,
		.memmap_paddr = base + l.memmap,
		.memmap_entries = kernel_map.count,
	};
	memcpy(info + l.cmdline, req->cmdline, strlen(req->cmdline) + 1);
	struct hvm_modlist_entry *mods = (void *)(info + l.modlist);
	for (unsigned i = 0; i < req->nr_modules; i++) {
		const char *c = req->modules[i].cmdline;
		memcpy(info + l.modcmd[i], c, strlen(c) + 1);
		mods[i] = (struct hvm_modlist_entry){
			.paddr = mod_dest[i],
			.size = req->modules[i].size,
			.cmdline_paddr = base + l.modcmd[i],
		};
	}
	struct hvm_memmap_table_entry *mm = (void *)(info + l.memmap);
	for (unsigned i = 0; i < kernel_map.count; i++)
		mm[i] = (struct hvm_memmap_table_entry){ kernel_map.r[i].addr, kernel_map.r[i].size,
							 kernel_map.r[i].type, 0 };

	plan->mode = ENTRY_PM32;
	plan->entry = entry;
	plan->ebx = (uint32_t)base;
	(void)size;
	return 0;
}
