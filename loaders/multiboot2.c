/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 kernels (Multiboot2 Specification 2.0): an ELF image loaded
 * at its physical addresses, or any image described by the header's
 * address tag, optionally relocated within the relocatable tag's window,
 * entered in 32-bit flat protected mode with EAX = 0x36d76289 and EBX =
 * the MBI2 (§3.3 "I386 machine state").
 *
 * Command lines are GRUB 2's: the command's arguments after the file
 * name, for the kernel and each module alike (grub-core/loader/multiboot.c
 * skips argv[0]). Xen drops the first word of both unless the loader calls
 * itself GRUB 2 (xen/arch/x86/setup.c, cmdline_cook()), which is why
 * Debian's 20_linux_xen writes "placeholder" first: it is kept, and Xen
 * drops it.
 *
 * The EFI entries (EFI boot services, EFI amd64 entry) are parsed into
 * struct mb2_image for the EFI platform; this file enters through the
 * i386 entry only.
 */
#include "../core/acpi.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/pagealloc.h"
#include "kernel.h"
#include "multiboot2.h"
#include "multiboot2_elfsyms.h"

#define LOADER_NAME "pvhboot"

/*
 * A kernel with both headers (Xen) and no hint gets multiboot1 on the PVH
 * platforms, where it has always worked, and multiboot2 where kernels can
 * get the EFI system table: only multiboot2 carries the EFI tables and the
 * EFI amd64 entry with boot services, which is how Xen boots on UEFI.
 * Its command line is GRUB 2's (the first word is the image's name, which
 * Xen drops: "placeholder" in Debian's grub.cfg; docs/config.md).
 */
bool mb2_preferred_over_mb1(const struct boot_env *env)
{
	return env->efi_systab != 0;
}

/* What the kernel needs placed before the MBI can be written. */
struct mb2_load {
	uint64_t entry;
	int64_t shift;          /* where the image landed minus where it was linked */
	bool relocated;
	uint64_t load_base;     /* for the load base address tag */
	uint64_t mod_dest[BOOT_MAX_MODULES];
	struct mb2_elfsyms syms;
	bool has_syms;
	uint64_t syms_block;
	bool efi_bs;            /* entered through the EFI amd64 entry, boot services alive */
	uint8_t rsdp[256];      /* the RSDP's bytes (v2 length is bounded below) */
	size_t rsdp_len;
	uint8_t rsdp_revision;
};

/* Lowest @align-aligned address in [min, max_end) where @size bytes are free. */
static int find_low(uint64_t size, uint64_t align, uint64_t min, uint64_t max_end, uint64_t *out)
{
	const struct memmap *m = pagealloc_map();
	min = MAX(min, PAGEALLOC_FLOOR);
	for (unsigned i = 0; i < m->count; i++) {
		const struct mem_range *r = &m->r[i];
		if (r->type != E820_RAM || mem_range_end(r) <= min)
			continue;
		uint64_t end = MIN(mem_range_end(r), max_end);
		uint64_t at = ALIGN_UP(MAX(r->addr, min), align);
		/* Claims are not in the map: step past them, a bounded number of times. */
		for (unsigned tries = 0; tries < 64 && at < end && size <= end - at; tries++) {
			if (pagealloc_claimable(at, size)) {
				*out = at;
				return 0;
			}
			at += align;
		}
	}
	return -ENOMEM;
}

/*
 * Where a relocatable image of @size bytes linked at @link goes: inside
 * [reloc_min, reloc_max] (max is the last byte, §3.1.12), aligned, by the
 * header's preference; with no preference, where it was linked if that is
 * allowed and free.
 */
static int choose_base(const struct mb2_image *mb, uint64_t link, uint64_t size, uint64_t *base)
{
	uint64_t align = MAX((uint64_t)mb->reloc_align, (uint64_t)PAGE_SIZE);
	uint64_t max_end = MIN((uint64_t)mb->reloc_max + 1, PAGEALLOC_LIMIT);
	if (size > max_end || mb->reloc_min > max_end - size)
		return -ERANGE;
	if (mb->reloc_preference == MB2_LOAD_PREFERENCE_HIGH) {
		uint64_t at;
		if (pagealloc_find_free(size, align, max_end, &at) == 0 && at >= mb->reloc_min) {
			*base = at;
			return 0;
		}
		return -ENOMEM;
	}
	if (mb->reloc_preference != MB2_LOAD_PREFERENCE_LOW && link >= mb->reloc_min &&
	    link % align == 0 && size <= max_end - MIN(link, max_end) &&
	    pagealloc_claimable(link, size)) {
		*base = link;
		return 0;
	}
	return find_low(size, align, mb->reloc_min, max_end, base);
}

static int load_address(const struct boot_request *req, const uint8_t *image,
			const struct mb2_image *mb, struct boot_plan *plan, struct mb2_load *ld)
{
	uint64_t dest = mb->load_addr;
	if (mb->relocatable) {
		int rc = choose_base(mb, mb->load_addr, mb->mem_size, &dest);
		if (rc)
			return log_err(rc, "%s: no room for 0x%lx bytes in the relocatable window "
				       "0x%x-0x%x", req->name, (unsigned long)mb->mem_size,
				       mb->reloc_min, mb->reloc_max);
		ld->relocated = true;
		ld->load_base = dest;
	}
	int rc = plan_add(plan, dest, image + mb->load_offset, mb->load_size,
			  mb->mem_size - mb->load_size, "image");
	if (rc)
		return log_err(rc, "%s: image at 0x%lx-0x%lx is not free RAM", req->name,
			       (unsigned long)dest, (unsigned long)(dest + mb->mem_size));
	ld->shift = (int64_t)(dest - mb->load_addr);
	ld->entry = (uint64_t)mb->entry + (uint64_t)ld->shift;
	return 0;
}

static int load_elf(const struct boot_request *req, const uint8_t *image, size_t size,
		    const struct mb2_image *mb, struct boot_plan *plan, struct mb2_load *ld)
{
	static struct elf_image elf;
	int rc = elf_parse(image, size, &elf);
	if (rc)
		return log_err(rc, "%s: malformed ELF", req->name);
	if (!elf.nr_segments)
		return log_err(-ENOEXEC, "%s: ELF without loadable segments", req->name);
	uint64_t lo = UINT64_MAX, hi = 0;
	for (unsigned i = 0; i < elf.nr_segments; i++) {
		lo = MIN(lo, elf.segments[i].paddr);
		hi = MAX(hi, elf.segments[i].paddr + elf.segments[i].memsz);
	}
	uint64_t base = lo;
	if (mb->relocatable) {
		rc = choose_base(mb, lo, hi - lo, &base);
		if (rc)
			return log_err(rc, "%s: no room for 0x%lx bytes in the relocatable window "
				       "0x%x-0x%x", req->name, (unsigned long)(hi - lo),
				       mb->reloc_min, mb->reloc_max);
		ld->relocated = true;
		ld->load_base = base;
	}
	for (unsigned i = 0; i < elf.nr_segments; i++) {
		const struct elf_segment *s = &elf.segments[i];
		uint64_t dest = s->paddr - lo + base;
		char what[24];
		fmt_snprintf(what, sizeof(what), "segment %u", i);
		rc = plan_add(plan, dest, image + s->offset, s->filesz, s->memsz - s->filesz, what);
		if (rc)
			return log_err(rc, "%s: segment %u at 0x%lx-0x%lx is not free RAM", req->name,
				       i, (unsigned long)dest, (unsigned long)(dest + s->memsz));
	}
	ld->shift = (int64_t)(base - lo);
	if (mb->has_entry) {
		ld->entry = (uint64_t)mb->entry + (base - lo);
		return 0;
	}
	/* The ELF entry is virtual; translate it through the segment holding it. */
	if (!elf_vaddr_to_paddr(&elf, elf.entry, &ld->entry))
		return log_err(-ENOEXEC, "%s: entry 0x%lx is in no segment", req->name,
			       (unsigned long)elf.entry);
	ld->entry += base - lo;
	return 0;
}

/* ELF sections, when the kernel asked: the table, its unloaded sections placed. */
static void load_elfsyms(const struct boot_request *req, const uint8_t *image, size_t size,
			 struct boot_plan *plan, struct mb2_load *ld)
{
	int rc = mb2_elfsyms_parse(image, size, &ld->syms);
	if (rc) {
		if (rc != -ENOENT && rc != -ENOEXEC)
			log_warn("%s: ELF section table unusable (%s): no ELF sections tag",
				 req->name, strerror_name(rc));
		return;
	}
	if (ld->syms.block_size) {
		/* The block becomes a chunk source: the plan owns it from here on. */
		void *block = ld->syms.block;
		ld->syms.block = NULL;
		if (plan_own(plan, block) ||
		    plan_place(plan, block, ld->syms.block_size, PAGE_SIZE, PAGEALLOC_LIMIT,
			       "elf sections", &ld->syms_block)) {
			log_warn("%s: no room for the ELF sections: no ELF sections tag", req->name);
			mb2_elfsyms_free(&ld->syms);
			return;
		}
		ld->syms.block = block;
		mb2_elfsyms_place(&ld->syms, image, ld->syms_block);
		ld->syms.block = NULL;
	}
	ld->has_syms = true;
}

/* The RSDP's bytes, when the firmware gave a valid one we may read. */
static void read_rsdp(const struct boot_env *env, struct mb2_load *ld)
{
	if (!env->rsdp)
		return;
	if (env->simulated) {
		/* Host planning: the shape of a v2 RSDP, without its bytes. */
		ld->rsdp_len = sizeof(struct acpi_rsdp);
		ld->rsdp_revision = 2;
		return;
	}
	const struct acpi_rsdp *r = (const void *)(uintptr_t)env->rsdp;
	if (!acpi_rsdp_valid(r))
		return;
	size_t n = acpi_rsdp_size(r);
	if (n > sizeof(ld->rsdp))
		return;
	memcpy(ld->rsdp, r, n);
	ld->rsdp_len = n;
	ld->rsdp_revision = r->revision;
}

/* Writes the MBI, or (buf NULL) only counts its bytes. */
struct mbi_writer {
	uint8_t *buf;
	size_t off;
};

static void w_put(struct mbi_writer *w, const void *p, size_t n)
{
	if (w->buf && n)
		memcpy(w->buf + w->off, p, n);
	w->off += n;
}

static void w_u32(struct mbi_writer *w, uint32_t v)
{
	w_put(w, &v, sizeof(v)); /* x86: little-endian as the ABI */
}

static void w_u64(struct mbi_writer *w, uint64_t v)
{
	w_put(w, &v, sizeof(v));
}

/* A tag header; its @size counts these 8 bytes and the payload after them. */
static void w_tag(struct mbi_writer *w, uint32_t type, uint64_t size)
{
	w->off = ALIGN_UP(w->off, MB2_TAG_ALIGN); /* the buffer is zeroed: padding is 0 */
	w_u32(w, type);
	w_u32(w, (uint32_t)size);
}

static void w_string_tag(struct mbi_writer *w, uint32_t type, const char *s)
{
	size_t n = strlen(s) + 1;
	w_tag(w, type, sizeof(struct mb2_tag) + n);
	w_put(w, s, n);
}

struct mbi_input {
	const struct boot_env *env;
	const struct boot_request *req;
	const struct mb2_image *mb;
	const struct mb2_load *ld;
	const struct memmap *map;
};

static void write_mbi(struct mbi_writer *w, const struct mbi_input *in)
{
	const struct boot_request *req = in->req;
	const struct mb2_load *ld = in->ld;
	const struct boot_env *env = in->env;
	size_t start = w->off;

	w_u32(w, 0); /* total_size, set below */
	w_u32(w, 0); /* reserved */
	w_string_tag(w, MB2_TAG_CMDLINE, req->cmdline);
	w_string_tag(w, MB2_TAG_BOOT_LOADER_NAME, LOADER_NAME);
	for (unsigned i = 0; i < req->nr_modules; i++) {
		const char *c = req->modules[i].cmdline;
		w_tag(w, MB2_TAG_MODULE, sizeof(struct mb2_tag_module) + strlen(c) + 1);
		w_u32(w, (uint32_t)ld->mod_dest[i]);
		w_u32(w, (uint32_t)(ld->mod_dest[i] + req->modules[i].size));
		w_put(w, c, strlen(c) + 1);
	}
	w_tag(w, MB2_TAG_BASIC_MEMINFO, sizeof(struct mb2_tag_basic_meminfo));
	uint32_t lower, upper;
	memmap_multiboot_kib(in->map, &lower, &upper);
	w_u32(w, lower);
	w_u32(w, upper);
	w_tag(w, MB2_TAG_MMAP, sizeof(struct mb2_tag_mmap) +
				       (uint64_t)in->map->count * sizeof(struct mb2_mmap_entry));
	w_u32(w, sizeof(struct mb2_mmap_entry));
	w_u32(w, MB2_MMAP_ENTRY_VERSION);
	for (unsigned i = 0; i < in->map->count; i++) {
		/* E820 types 1-5 are multiboot2's 1-5; others pass as they are, like GRUB. */
		w_u64(w, in->map->r[i].addr);
		w_u64(w, in->map->r[i].size);
		w_u32(w, in->map->r[i].type);
		w_u32(w, 0);
	}
	if (ld->has_syms) {
		w_tag(w, MB2_TAG_ELF_SECTIONS, sizeof(struct mb2_tag_elf_sections) +
						       ld->syms.table_size);
		w_u32(w, ld->syms.num);
		w_u32(w, ld->syms.entsize);
		w_u32(w, ld->syms.shndx);
		w_put(w, ld->syms.table, ld->syms.table_size);
	}
	if (env->fb.addr) {
		w_tag(w, MB2_TAG_FRAMEBUFFER, sizeof(struct mb2_tag_framebuffer));
		w_u64(w, env->fb.addr);
		w_u32(w, env->fb.pitch);
		w_u32(w, env->fb.width);
		w_u32(w, env->fb.height);
		uint8_t tail[8] = { env->fb.bpp, MB2_FRAMEBUFFER_TYPE_RGB, 0, 0,
				    env->fb.red_pos, env->fb.red_size, env->fb.green_pos,
				    env->fb.green_size };
		w_put(w, tail, sizeof(tail));
		uint8_t blue[2] = { env->fb.blue_pos, env->fb.blue_size };
		w_put(w, blue, sizeof(blue));
	}
	if (ld->rsdp_len) {
		/* The first 20 bytes are a complete ACPI 1.0 RSDP whatever the revision. */
		w_tag(w, MB2_TAG_ACPI_OLD, sizeof(struct mb2_tag_acpi) + 20);
		w_put(w, ld->rsdp, 20);
		if (ld->rsdp_revision >= 2) {
			w_tag(w, MB2_TAG_ACPI_NEW, sizeof(struct mb2_tag_acpi) + ld->rsdp_len);
			w_put(w, ld->rsdp, ld->rsdp_len);
		}
	}
	if (ld->relocated) {
		w_tag(w, MB2_TAG_LOAD_BASE_ADDR, sizeof(struct mb2_tag_load_base_addr));
		w_u32(w, (uint32_t)ld->load_base);
	}
	if (env->efi_systab) {
		w_tag(w, MB2_TAG_EFI64, sizeof(struct mb2_tag) + 8);
		w_u64(w, env->efi_systab);
	}
	if (ld->efi_bs) {
		/* Entered with boot services: the kernel calls them, and exits them itself. */
		w_tag(w, MB2_TAG_EFI64_IH, sizeof(struct mb2_tag) + 8);
		w_u64(w, env->efi_image_handle);
		w_tag(w, MB2_TAG_EFI_BS, sizeof(struct mb2_tag));
	}
	w_tag(w, MB2_TAG_END, sizeof(struct mb2_tag));
	if (w->buf) {
		uint32_t total = (uint32_t)(w->off - start);
		memcpy(w->buf + start, &total, sizeof(total));
	}
}

/* Requests this plan cannot answer here: named once, not refused (GRUB neither). */
static void note_unanswered(const struct boot_request *req, const struct mb2_image *mb,
			    const struct mb2_load *ld, const struct boot_env *env)
{
	uint32_t given = MB2_TAG_BIT(MB2_TAG_END) | MB2_TAG_BIT(MB2_TAG_CMDLINE) |
			 MB2_TAG_BIT(MB2_TAG_BOOT_LOADER_NAME) | MB2_TAG_BIT(MB2_TAG_MODULE) |
			 MB2_TAG_BIT(MB2_TAG_BASIC_MEMINFO) | MB2_TAG_BIT(MB2_TAG_MMAP);
	if (ld->has_syms)
		given |= MB2_TAG_BIT(MB2_TAG_ELF_SECTIONS);
	if (env->fb.addr)
		given |= MB2_TAG_BIT(MB2_TAG_FRAMEBUFFER);
	if (ld->rsdp_len)
		given |= MB2_TAG_BIT(MB2_TAG_ACPI_OLD);
	if (ld->rsdp_revision >= 2)
		given |= MB2_TAG_BIT(MB2_TAG_ACPI_NEW);
	if (ld->relocated)
		given |= MB2_TAG_BIT(MB2_TAG_LOAD_BASE_ADDR);
	if (env->efi_systab)
		given |= MB2_TAG_BIT(MB2_TAG_EFI64);
	if (ld->efi_bs)
		given |= MB2_TAG_BIT(MB2_TAG_EFI64_IH) | MB2_TAG_BIT(MB2_TAG_EFI_BS);
	uint32_t missing = mb->requests & ~given;
	for (unsigned t = 0; t <= MB2_TAG_MAX; t++)
		if (missing & MB2_TAG_BIT(t))
			log_warn("%s: the kernel requires the %s tag, which pvhboot cannot give "
				 "here", req->name, mb2_info_tag_name(t));
}

static int check_console(const struct boot_request *req, const struct mb2_image *mb,
			 const struct boot_env *env)
{
	if (!mb->has_console || !(mb->console_flags & MB2_CONSOLE_REQUIRED) || env->fb.addr)
		return 0;
	/* A VM may have a VGA text screen, a Xen PVH domain and EFI after exit none. */
	if ((mb->console_flags & MB2_CONSOLE_EGA_TEXT) && env->platform == PLATFORM_KVM_PVH)
		return 0;
	return log_err(-EOPNOTSUPP, "%s: the kernel requires a console (console flags 0x%x) and "
		       "there is no framebuffer%s", req->name, mb->console_flags,
		       mb->console_flags & MB2_CONSOLE_EGA_TEXT ? " or EGA text screen" : "");
}

int mb2_plan(const struct boot_env *env, const struct boot_request *req, const void *image,
	     size_t size, struct boot_plan *plan)
{
	static struct mb2_image mb;
	static struct memmap map;
	static struct mb2_load ld;
	uint8_t *info = NULL;
	int rc;

	memset(&ld, 0, sizeof(ld));
	rc = mb2_parse(image, size, &mb);
	if (rc == -ENOEXEC)
		return log_err(rc, "%s: no multiboot2 header in the first 32 KiB", req->name);
	if (rc)
		return log_err(rc, "%s: multiboot2 header at 0x%zx: %s (%u)", req->name,
			       mb.header_offset, mb.problem, mb.problem_value);
	if ((rc = check_console(req, &mb, env)) != 0)
		return rc;
	/*
	 * The EFI amd64 entry (spec 3.5), when the kernel can start with boot
	 * services and this machine still has them: the way Xen boots on UEFI.
	 * Decided before anything is placed: every destination must then be
	 * memory the firmware and the loader leave alone.
	 */
	ld.efi_bs = mb.efi_bs && mb.has_efi64_entry && env->efi_image_handle;
	if (ld.efi_bs)
		plan->mode = ENTRY_EFI64;
	else if (!mb.has_entry && mb.has_address)
		return log_err(-EOPNOTSUPP, "%s: only EFI entry points, and this machine cannot "
			       "enter through them", req->name);

	if (mb.has_address)
		rc = load_address(req, image, &mb, plan, &ld);
	else if (mb.is_elf)
		rc = load_elf(req, image, size, &mb, plan, &ld);
	else
		rc = log_err(-ENOEXEC, "%s: multiboot2 image is neither ELF nor has an address "
			     "tag", req->name);
	if (rc)
		return rc;
	if (ld.entry > 0xffffffffu ||
	    (ld.efi_bs && (uint64_t)mb.efi64_entry + (uint64_t)ld.shift > 0xffffffffu))
		return log_err(-ERANGE, "%s: entry 0x%lx above 4 GiB", req->name,
			       (unsigned long)ld.entry);

	/* GRUB page-aligns every module whether or not the header asks (tag 6). */
	for (unsigned i = 0; i < req->nr_modules; i++) {
		const struct boot_module *m = &req->modules[i];
		char what[24];
		fmt_snprintf(what, sizeof(what), "module %u", i);
		rc = plan_place_module(plan, m->data, m->size, MB2_MOD_ALIGN, PAGEALLOC_LIMIT, what,
				       &ld.mod_dest[i]);
		if (rc)
			return log_err(rc, "%s: no room for module %s", req->name, m->name);
	}
	if ((mb.requests | mb.optional_requests) & MB2_TAG_BIT(MB2_TAG_ELF_SECTIONS) && mb.is_elf)
		load_elfsyms(req, image, size, plan, &ld);
	read_rsdp(env, &ld);

	rc = plan_memmap(&map);
	if (rc) {
		log_err(rc, "%s: memory map too large", req->name);
		goto out;
	}
	struct mbi_input in = { env, req, &mb, &ld, &map };
	struct mbi_writer w = { 0 };
	write_mbi(&w, &in);
	info = plan_alloc(plan, w.off);
	if (!info) {
		rc = log_err(-ENOMEM, "%s: out of memory building the MBI", req->name);
		goto out;
	}
	uint64_t base;
	rc = plan_place(plan, info, w.off, PAGE_SIZE, PAGEALLOC_LIMIT, "mbi2", &base);
	if (rc) {
		log_err(rc, "%s: no room for the MBI", req->name);
		goto out;
	}
	w = (struct mbi_writer){ info, 0 };
	write_mbi(&w, &in);
	note_unanswered(req, &mb, &ld, env);

	plan->mode = ld.efi_bs ? ENTRY_EFI64 : ENTRY_PM32;
	plan->entry = ld.efi_bs ? (uint64_t)mb.efi64_entry + (uint64_t)ld.shift : ld.entry;
	plan->eax = MB2_BOOT_MAGIC;
	plan->ebx = (uint32_t)base;
	/* Multiboot kernels written for PCs read the BIOS data area (Xen does). */
	plan->needs.bios_data_area = !ld.efi_bs;
	rc = 0;
out:
	/* The MBI and the placed sections block belong to the plan: chunk sources. */
	mb2_elfsyms_free(&ld.syms);
	return rc;
}
