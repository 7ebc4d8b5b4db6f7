/* SPDX-License-Identifier: MIT */
/*
 * Multiboot 1 kernels (specification 0.6.96): an ELF image loaded at its
 * physical addresses, or any image described by the header's address
 * fields (the "a.out kludge", flag 16), entered in 32-bit flat protected
 * mode with EAX = 0x2BADB002 and EBX = multiboot_info.
 *
 * Command lines: the kernel's and each module's string start with the file
 * name, then the arguments, as GRUB legacy and QEMU pass them. Xen relies on
 * this: it drops the first word of both unless the loader is GRUB 2
 * (xen/arch/x86/setup.c, cmdline_cook()).
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/pagealloc.h"
#include "kernel.h"

#define LOADER_NAME "pvhboot"

static const char *const flag_names[16] = {
	"page-align modules", "memory info", "video mode",
};

static int refuse_flags(const struct boot_request *req, uint32_t bad)
{
	for (unsigned bit = 0; bit < 16; bit++) {
		if (!(bad & (1u << bit)))
			continue;
		return log_err(-EOPNOTSUPP, "%s: multiboot flag %u (%s) is required by the kernel "
			       "and not supported", req->name, bit,
			       flag_names[bit] ? flag_names[bit] : "unknown");
	}
	return 0;
}

static int load_kludge(const struct boot_request *req, const uint8_t *image, size_t size,
		       const struct mb1_image *mb, struct boot_plan *plan, uint64_t *entry)
{
	const struct mb1_header *h = &mb->header;
	uint64_t file_off = mb->header_offset - (uint64_t)(h->header_addr - h->load_addr);
	uint64_t load_len = h->load_end_addr ? (uint64_t)h->load_end_addr - h->load_addr
					     : size - file_off;
	uint64_t end = (uint64_t)h->load_addr + load_len;
	uint64_t bss = h->bss_end_addr > end ? h->bss_end_addr - end : 0;

	if (!range_ok(file_off, load_len, size))
		return log_err(-EINVAL, "%s: multiboot load range runs past the end of the file",
			       req->name);
	int rc = plan_add(plan, h->load_addr, image + file_off, load_len, bss, "image");
	if (rc)
		return log_err(rc, "%s: image at 0x%x-0x%lx is not free RAM", req->name,
			       h->load_addr, (unsigned long)(end + bss));
	*entry = h->entry_addr;
	return 0;
}

static int load_elf(const struct boot_request *req, const uint8_t *image, size_t size,
		    struct boot_plan *plan, uint64_t *entry)
{
	static struct elf_image elf;
	int rc = elf_parse(image, size, &elf);
	if (rc)
		return log_err(rc, "%s: malformed ELF", req->name);
	for (unsigned i = 0; i < elf.nr_segments; i++) {
		const struct elf_segment *s = &elf.segments[i];
		char what[24];
		fmt_snprintf(what, sizeof(what), "segment %u", i);
		rc = plan_add(plan, s->paddr, image + s->offset, s->filesz, s->memsz - s->filesz,
			      what);
		if (rc)
			return log_err(rc, "%s: segment %u at 0x%lx-0x%lx is not free RAM", req->name,
				       i, (unsigned long)s->paddr,
				       (unsigned long)(s->paddr + s->memsz));
	}
	/* The entry is virtual; translate it through the segment holding it. */
	if (!elf_vaddr_to_paddr(&elf, elf.entry, entry))
		return log_err(-ENOEXEC, "%s: entry 0x%lx is in no segment", req->name,
			       (unsigned long)elf.entry);
	if (*entry > 0xffffffffu)
		return log_err(-ERANGE, "%s: entry above 4 GiB", req->name);
	return 0;
}

/* "name args", the form multiboot kernels expect (see the top comment). */
static char *join_cmdline(const char *name, const char *args)
{
	size_t len = strlen(name) + 1 + strlen(args) + 1;
	char *s = malloc(len);
	if (s)
		fmt_snprintf(s, len, *args ? "%s %s" : "%s", name, args);
	return s;
}

struct mbi_layout {
	size_t mods, mmap, cmdline, loader_name, modstr[BOOT_MAX_MODULES], size;
};

int mb1_plan(const struct boot_env *env, const struct boot_request *req, const void *image,
	     size_t size, struct boot_plan *plan)
{
	static struct mb1_image mb;
	static struct memmap map;
	char *cmdline = NULL, *modstr[BOOT_MAX_MODULES] = { 0 };
	uint64_t entry, mod_dest[BOOT_MAX_MODULES];
	uint8_t *info = NULL;
	int rc;

	rc = mb1_parse(image, size, &mb);
	if (rc)
		return log_err(rc, "%s: no valid multiboot1 header", req->name);
	if (mb.unsupported_flags)
		return refuse_flags(req, mb.unsupported_flags);

	if (mb.header.flags & MB1_AOUT_KLUDGE)
		rc = load_kludge(req, image, size, &mb, plan, &entry);
	else if (mb.is_elf)
		rc = load_elf(req, image, size, plan, &entry);
	else
		rc = log_err(-ENOEXEC, "%s: multiboot image is neither ELF nor has address fields",
			     req->name);
	if (rc)
		return rc;

	for (unsigned i = 0; i < req->nr_modules; i++) {
		const struct boot_module *m = &req->modules[i];
		char what[24];
		fmt_snprintf(what, sizeof(what), "module %u", i);
		rc = plan_place_module(plan, m->data, m->size, MB1_MOD_ALIGN, PAGEALLOC_LIMIT, what,
				&mod_dest[i]);
		if (rc)
			return log_err(rc, "%s: no room for module %s", req->name, m->name);
	}

	rc = plan_memmap(&map);
	if (rc)
		return log_err(rc, "%s: memory map too large", req->name);

	struct mbi_layout l;
	size_t off = sizeof(struct mb1_info);
	l.mods = off;
	off += req->nr_modules * sizeof(struct mb1_module);
	l.mmap = off;
	off += map.count * sizeof(struct mb1_mmap_entry);
	cmdline = join_cmdline(req->name, req->cmdline);
	if (!cmdline)
		goto err_nomem;
	l.cmdline = off;
	off += strlen(cmdline) + 1;
	l.loader_name = off;
	off += sizeof(LOADER_NAME);
	for (unsigned i = 0; i < req->nr_modules; i++) {
		modstr[i] = join_cmdline(req->modules[i].name, req->modules[i].cmdline);
		if (!modstr[i])
			goto err_nomem;
		l.modstr[i] = off;
		off += strlen(modstr[i]) + 1;
	}
	l.size = off;

	info = plan_alloc(plan, l.size);
	if (!info)
		goto err_nomem;
	uint64_t base;
	rc = plan_place(plan, info, l.size, PAGE_SIZE, PAGEALLOC_LIMIT, "multiboot_info", &base);
	if (rc) {
		log_err(rc, "%s: no room for multiboot_info", req->name);
		goto out;
	}

	struct mb1_info *mbi = (void *)info;
	mbi->flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS | MB1_INFO_MEM_MAP |
		     MB1_INFO_BOOT_LOADER_NAME;
	uint32_t lower, upper; /* the struct is packed: no pointers into it */
	memmap_multiboot_kib(&map, &lower, &upper);
	mbi->mem_lower = lower;
	mbi->mem_upper = upper;
	mbi->cmdline = (uint32_t)(base + l.cmdline);
	mbi->mods_count = req->nr_modules;
	mbi->mods_addr = (uint32_t)(base + l.mods);
	mbi->mmap_length = map.count * sizeof(struct mb1_mmap_entry);
	mbi->mmap_addr = (uint32_t)(base + l.mmap);
	mbi->boot_loader_name = (uint32_t)(base + l.loader_name);
	if ((mb.header.flags & MB1_VIDEO_MODE) && env->fb.addr) {
		mbi->flags |= MB1_INFO_FRAMEBUFFER_INFO;
		mbi->framebuffer_addr = env->fb.addr;
		mbi->framebuffer_pitch = env->fb.pitch;
		mbi->framebuffer_width = env->fb.width;
		mbi->framebuffer_height = env->fb.height;
		mbi->framebuffer_bpp = env->fb.bpp;
		mbi->framebuffer_type = MB1_FRAMEBUFFER_TYPE_RGB;
		uint8_t ci[6] = { env->fb.red_pos, env->fb.red_size, env->fb.green_pos,
				  env->fb.green_size, env->fb.blue_pos, env->fb.blue_size };
		memcpy(mbi->color_info, ci, sizeof(ci));
	}

	struct mb1_module *mods = (void *)(info + l.mods);
	for (unsigned i = 0; i < req->nr_modules; i++) {
		mods[i] = (struct mb1_module){
			.mod_start = (uint32_t)mod_dest[i],
			.mod_end = (uint32_t)(mod_dest[i] + req->modules[i].size),
			.string = (uint32_t)(base + l.modstr[i]),
		};
		memcpy(info + l.modstr[i], modstr[i], strlen(modstr[i]) + 1);
	}
	struct mb1_mmap_entry *mm = (void *)(info + l.mmap);
	for (unsigned i = 0; i < map.count; i++)
		mm[i] = (struct mb1_mmap_entry){ 20, map.r[i].addr, map.r[i].size, map.r[i].type };
	memcpy(info + l.cmdline, cmdline, strlen(cmdline) + 1);
	memcpy(info + l.loader_name, LOADER_NAME, sizeof(LOADER_NAME));

	plan->mode = ENTRY_PM32;
	plan->entry = entry;
	plan->eax = MB1_BOOT_MAGIC;
	/* Multiboot kernels written for PCs read the BIOS data area (Xen does). */
	plan->needs.bios_data_area = true;
	plan->ebx = (uint32_t)base;
	rc = 0;
	goto out; /* info belongs to the plan: it is the source of a chunk */

err_nomem:
	rc = log_err(-ENOMEM, "%s: out of memory building multiboot_info", req->name);
out:
	free(cmdline);
	for (unsigned i = 0; i < req->nr_modules; i++)
		free(modstr[i]);
	return rc;
}
