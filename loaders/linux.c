/* SPDX-License-Identifier: MIT */
/*
 * Linux bzImage through the 32-bit or 64-bit boot protocol
 * (Documentation/arch/x86/boot.rst): the protected-mode kernel at a
 * kernel_alignment-aligned address with init_size bytes free, a zeroed
 * boot_params holding a copy of the setup header, and entry at
 * code32_start (32-bit, %esi = boot_params) or code32_start + 0x200
 * (64-bit, %rsi = boot_params, when XLF_KERNEL_64).
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/pagealloc.h"
#include "kernel.h"

#define LINUX_DEFAULT_ALIGN 0x200000u
#define LINUX_DEFAULT_INITRD_MAX 0x37ffffffu

/* Where the protected-mode kernel goes: [load, load + span) must be free. */
static int choose_load(const struct bzimage *bz, uint64_t span, uint64_t *load)
{
	const struct setup_header *h = &bz->hdr;
	uint64_t align = bz->version >= 0x0205 && IS_POW2(h->kernel_alignment)
				 ? h->kernel_alignment : LINUX_DEFAULT_ALIGN;
	uint64_t pref = bz->version >= 0x020a && h->pref_address ? h->pref_address : 0x100000;

	if (pagealloc_claimable(pref, span)) {
		*load = pref;
		return 0;
	}
	if (bz->version < 0x0205 || !h->relocatable_kernel)
		return -EBUSY;
	/* Relocatable: the lowest aligned free place at or above 1 MiB, below
	 * 4 GiB. (Stepping by the alignment took 4 * 10^9 steps for a kernel
	 * that asks for a byte: fuzz_plan's timeout.) */
	return pagealloc_find_claimable(span, align, 0x100000, load);
}

/* All initrds back to back, each starting 4-byte aligned (cpio concatenation). */
static void *join_initrds(const struct boot_request *req, struct boot_plan *plan, size_t *total)
{
	size_t len = 0;
	for (unsigned i = 0; i < req->nr_modules; i++)
		len = ALIGN_UP(len, 4) + req->modules[i].size;
	*total = len;
	if (req->nr_modules == 1)
		return (void *)req->modules[0].data;
	uint8_t *buf = plan_alloc(plan, len);
	if (!buf)
		return NULL;
	size_t off = 0;
	for (unsigned i = 0; i < req->nr_modules; i++) {
		off = ALIGN_UP(off, 4);
		memcpy(buf + off, req->modules[i].data, req->modules[i].size);
		off += req->modules[i].size;
	}
	return buf;
}

/* e820: the first 128 entries in boot_params, the rest in SETUP_E820_EXT. */
static int fill_e820(const struct boot_request *req, struct boot_params *bp,
		     const struct bzimage *bz, struct boot_plan *plan)
{
	static struct memmap map;
	int rc = plan_memmap(&map);
	if (rc)
		return log_err(rc, "%s: memory map too large", req->name);
	unsigned n = MIN(map.count, BOOT_E820_MAX);
	for (unsigned i = 0; i < n; i++)
		bp->e820_table[i] = (struct e820_entry){ map.r[i].addr, map.r[i].size, map.r[i].type };
	bp->e820_entries = (uint8_t)n;
	if (map.count <= BOOT_E820_MAX)
		return 0;
	if (bz->version < 0x0209)
		return log_err(-E2BIG, "%s: %u memory map entries need setup_data (protocol 2.09)",
			       req->name, map.count);

	unsigned extra = map.count - BOOT_E820_MAX;
	size_t len = sizeof(struct setup_data) + extra * sizeof(struct e820_entry);
	struct setup_data *sd = plan_alloc(plan, len);
	if (!sd)
		return log_err(-ENOMEM, "%s: no memory for SETUP_E820_EXT", req->name);
	sd->type = SETUP_E820_EXT;
	sd->len = (uint32_t)(extra * sizeof(struct e820_entry));
	struct e820_entry *e = (void *)sd->data;
	for (unsigned i = 0; i < extra; i++)
		e[i] = (struct e820_entry){ map.r[n + i].addr, map.r[n + i].size, map.r[n + i].type };
	uint64_t dest;
	rc = plan_place(plan, sd, len, 16, PAGEALLOC_LIMIT, "setup_data e820", &dest);
	if (rc)
		return log_err(rc, "%s: no room for SETUP_E820_EXT", req->name);
	bp->hdr.setup_data = dest;
	return 0;
}

int linux_plan(const struct boot_env *env, const struct boot_request *req, const void *image,
	       size_t size, struct boot_plan *plan)
{
	static struct bzimage bz;
	const uint8_t *img = image;
	int rc;

	rc = bzimage_parse(image, size, &bz);
	if (rc == -EOPNOTSUPP)
		return log_err(rc, "%s: Linux boot protocol %u.%02u is too old (2.06 or later needed)",
			       req->name, bz.version >> 8, bz.version & 0xff);
	if (rc)
		return log_err(rc, "%s: malformed bzImage", req->name);
	if (!(bz.hdr.loadflags & LOADED_HIGH))
		return log_err(-EOPNOTSUPP, "%s: zImage (not loaded high) is not supported",
			       req->name);
	bool entry64 = bz.version >= 0x020c && (bz.hdr.xloadflags & XLF_KERNEL_64);
	/*
	 * code32_start 0 says there is no protected-mode entry: the image only
	 * starts through its 16-bit setup code, with a BIOS to call (iPXE's
	 * ipxe.lkrn; GRUB boots it with linux16). pvhboot enters kernels in
	 * 32- or 64-bit mode only, and a PVH domain has no BIOS at all.
	 */
	if (!bz.hdr.code32_start && !entry64)
		return log_err(-EOPNOTSUPP, "%s: no 32-bit entry (code32_start is 0): the image "
			       "starts only in real mode through a BIOS, which pvhboot does not "
			       "offer", req->name);

	size_t cmd_len = strlen(req->cmdline);
	if (cmd_len > bz.hdr.cmdline_size)
		return log_err(-E2BIG, "%s: command line of %zu bytes exceeds the kernel's %u",
			       req->name, cmd_len, bz.hdr.cmdline_size);

	/* The kernel decompresses itself within [load, load + init_size). */
	uint64_t span = MAX((uint64_t)bz.kernel_size,
			    bz.version >= 0x020a ? (uint64_t)bz.hdr.init_size : 0);
	uint64_t load;
	rc = choose_load(&bz, span, &load);
	if (rc)
		return log_err(rc, "%s: no free, aligned memory for the kernel (%lu bytes)",
			       req->name, (unsigned long)span);
	rc = plan_add(plan, load, img + bz.kernel_offset, bz.kernel_size, span - bz.kernel_size,
		      "kernel");
	if (rc)
		return log_err(rc, "%s: kernel at 0x%lx is not free RAM", req->name,
			       (unsigned long)load);

	struct boot_params *bp = plan_alloc(plan, sizeof(*bp));
	if (!bp)
		return log_err(-ENOMEM, "%s: no memory for boot_params", req->name);
	/* Only the header proper: the sentinel byte lets the kernel detect
	 * loaders that copy more (bootparam.h). */
	memcpy((uint8_t *)bp + SETUP_HEADER_OFFSET, img + SETUP_HEADER_OFFSET,
	       bz.header_end - SETUP_HEADER_OFFSET);
	bp->hdr.type_of_loader = BOOT_LOADER_TYPE_UNDEFINED;
	bp->hdr.code32_start = (uint32_t)load;
	bp->acpi_rsdp_addr = env->rsdp;

	uint64_t cmd_dest;
	rc = plan_place(plan, req->cmdline, cmd_len + 1, 16, PAGEALLOC_LIMIT, "cmdline", &cmd_dest);
	if (rc)
		return log_err(rc, "%s: no room for the command line", req->name);
	bp->hdr.cmd_line_ptr = (uint32_t)cmd_dest;
	bp->ext_cmd_line_ptr = (uint32_t)(cmd_dest >> 32);

	if (req->nr_modules) {
		size_t total;
		void *initrd = join_initrds(req, plan, &total);
		if (!initrd)
			return log_err(-ENOMEM, "%s: no memory to join the initrds", req->name);
		uint64_t max = bz.version >= 0x0203 && bz.hdr.initrd_addr_max
				       ? bz.hdr.initrd_addr_max : LINUX_DEFAULT_INITRD_MAX;
		if (bz.hdr.xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G)
			max = UINT64_MAX;
		uint64_t dest;
		rc = plan_place_module(plan, initrd, total, PAGE_SIZE, max == UINT64_MAX ? max : max + 1,
				"initrd", &dest);
		if (rc)
			return log_err(rc, "%s: no room for %zu bytes of initrd below 0x%lx",
				       req->name, total, (unsigned long)max);
		bp->hdr.ramdisk_image = (uint32_t)dest;
		bp->hdr.ramdisk_size = (uint32_t)total;
		bp->ext_ramdisk_image = (uint32_t)(dest >> 32);
		bp->ext_ramdisk_size = (uint32_t)((uint64_t)total >> 32);
	}

	if (env->efi_systab) {
		bp->efi_info = (struct efi_info){
			.efi_loader_signature = EFI64_LOADER_SIGNATURE,
			.efi_systab = (uint32_t)env->efi_systab,
			.efi_systab_hi = (uint32_t)(env->efi_systab >> 32),
			.efi_memdesc_size = env->efi_memdesc_size,
			.efi_memdesc_version = env->efi_memdesc_version,
			.efi_memmap = (uint32_t)env->efi_memmap,
			.efi_memmap_hi = (uint32_t)(env->efi_memmap >> 32),
			.efi_memmap_size = (uint32_t)env->efi_memmap_size,
		};
		/* The final map's size is only known after the platform's exit. */
		plan->needs.efi_memmap_size = (uint8_t *)bp + offsetof(struct boot_params, efi_info) +
					      offsetof(struct efi_info, efi_memmap_size);
	}

	uint64_t bp_dest;
	rc = plan_place(plan, bp, sizeof(*bp), PAGE_SIZE, PAGEALLOC_LIMIT, "boot_params", &bp_dest);
	if (rc)
		return log_err(rc, "%s: no room for boot_params", req->name);
	/* After every placement: the e820 table is the final map. */
	rc = fill_e820(req, bp, &bz, plan);
	if (rc)
		return rc;

	if (entry64) {
		plan->mode = ENTRY_LONG64;
		plan->entry = load + 0x200;
	} else {
		plan->mode = ENTRY_PM32;
		plan->entry = load;
	}
	plan->esi = (uint32_t)bp_dest;
	return 0;
}
