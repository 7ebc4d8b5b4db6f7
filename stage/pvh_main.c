/* SPDX-License-Identifier: MIT */
/*
 * First C code of the PVH platforms. Before any allocation, everything the
 * VMM's start_info points at is copied into the loader's image or reserved
 * in place (modules): the VMM put it in memory its own map calls free RAM.
 */
#include "../boot/options.h"
#include "../core/acpi.h"
#include "../core/console.h"
#include "../core/errno.h"
#include "../core/io.h"
#include "../core/log.h"
#include "../core/pagealloc.h"
#include "../core/profile.h"
#include "../core/stackprot.h"
#include "../core/time.h"
#include "../xen/xen.h"
#include "../include/abi/start_info.h"
#include "pvh_main.h"

#ifndef PVHBOOT_VERSION
#define PVHBOOT_VERSION "0.1"
#endif

extern char __image_start[], __image_end[];

_Noreturn void pvh_main(uint32_t start_info_paddr);

static struct pvh_start start;
static struct boot_env env;
static bool on_xen;
static uint32_t xen_base;

/* A copy of a NUL-terminated string the VMM gave, bounded. */
static void copy_string(char *dst, size_t cap, uint64_t paddr)
{
	dst[0] = 0;
	if (!paddr || paddr >= PAGEALLOC_LIMIT)
		return;
	const char *s = (const char *)(uintptr_t)paddr;
	size_t n = strnlen(s, cap - 1);
	memcpy(dst, s, n);
	dst[n] = 0;
}

static void save_memmap(const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *e = (const void *)(uintptr_t)si->memmap_paddr;
	memmap_init(&start.firmware_map);
	for (uint32_t i = 0; i < si->memmap_entries; i++)
		if (memmap_add(&start.firmware_map, e[i].addr, e[i].size, e[i].type))
			panic("start_info: more than %u memory map entries", MEMMAP_MAX);
	if (memmap_normalize(&start.firmware_map))
		panic("start_info: memory map too fragmented");
}

static void save_start_info(uint32_t paddr)
{
	const struct hvm_start_info *si = (const void *)(uintptr_t)paddr;

	if (!paddr || si->magic != HVM_START_MAGIC)
		panic("start_info at 0x%x: bad magic 0x%x", paddr, paddr ? si->magic : 0);
	start.version = si->version;
	copy_string(start.cmdline, sizeof(start.cmdline), si->cmdline_paddr);
	start.rsdp = si->rsdp_paddr;

	if (si->version >= 1 && si->memmap_entries && si->memmap_paddr) {
		save_memmap(si);
	} else if (on_xen) {
		/* Toolstacks before Xen 4.11 pass version 0: ask the hypervisor. */
		xen_setup_hypercalls(xen_base);
		if (xen_memory_map(&start.firmware_map))
			panic("start_info version %u has no memory map, and XENMEM_memory_map failed",
			      si->version);
	} else {
		panic("start_info version %u has no memory map", si->version);
	}

	const struct hvm_modlist_entry *mods = (const void *)(uintptr_t)si->modlist_paddr;
	if (si->nr_modules > PVH_MAX_MODULES)
		log_warn("start_info: %u modules, only the first %u are used", si->nr_modules,
			 PVH_MAX_MODULES);
	for (uint32_t i = 0; si->modlist_paddr && i < si->nr_modules && i < PVH_MAX_MODULES; i++) {
		struct boot_module *m = &start.modules[start.nr_modules++];
		copy_string(start.module_cmdlines[i], sizeof(start.module_cmdlines[i]),
			    mods[i].cmdline_paddr);
		m->data = (const void *)(uintptr_t)mods[i].paddr;
		m->size = mods[i].size;
		m->cmdline = start.module_cmdlines[i];
		m->name = "module";
	}
}

static void reserve_boot_memory(void)
{
	if (pagealloc_init(&start.firmware_map))
		panic("memory map too fragmented");
	if (pagealloc_reserve((uintptr_t)__image_start, __image_end - __image_start, MEM_LOADER))
		panic("the loader's own image 0x%lx-0x%lx is not RAM",
		      (unsigned long)(uintptr_t)__image_start, (unsigned long)(uintptr_t)__image_end);
	for (unsigned i = 0; i < start.nr_modules; i++) {
		struct boot_module *m = &start.modules[i];
		uint64_t a = (uintptr_t)m->data;
		if (m->size && pagealloc_reserve(a, m->size, MEM_BOOTDATA)) {
			log_warn("module %u at 0x%lx (%zu bytes) is not in RAM: ignored", i,
				 (unsigned long)a, m->size);
			m->size = 0;
		}
	}
}

static uint64_t find_rsdp(void)
{
	if (start.rsdp && start.rsdp < PAGEALLOC_LIMIT &&
	    acpi_rsdp_valid((const void *)(uintptr_t)start.rsdp))
		return start.rsdp;
	if (start.rsdp)
		log_warn("start_info: no valid RSDP at 0x%lx", (unsigned long)start.rsdp);
	/* Firecracker leaves rsdp_paddr at 0: look where a BIOS would put it. */
	return acpi_rsdp_scan();
}

_Noreturn void pvh_main(uint32_t start_info_paddr)
{
	profile_start();
	console_e9_init();
	on_xen = xen_detect(&xen_base);
	if (!on_xen)
		console_com1_init(); /* a PVH domain has no UART */
	stackprot_init();
	save_start_info(start_info_paddr);
	reserve_boot_memory();
	/* `quiet` and `loglevel=debug` count from the first line (the heap
	 * works from here); boot/boot.c parses the options again for the rest. */
	struct loader_options early;
	if (!options_parse(start.cmdline, &early))
		options_free(&early);
	log_info("pvhboot " PVHBOOT_VERSION " (PVH%s)", on_xen ? ", Xen" : "");
	time_init(on_xen ? xen_base : 0);

	env.platform = on_xen ? PLATFORM_XEN_PVH : PLATFORM_KVM_PVH;
	/*
	 * A Xen PVH domain needs a bzImage's PVH entry. A KVM VMM boots one
	 * through boot_params as well as QEMU does itself: the kernel inflates
	 * itself (with KASLR), and Debian's boots 0.8 s sooner under TCG.
	 */
	env.pvh_entry_preferred = on_xen;
	env.legacy_pc = !on_xen; /* a Xen PVH domain has no VGA, PIC or PIT */
	if (on_xen) {
		if (xen_init(xen_base, &start.firmware_map))
			panic("cannot set up the Xen platform");
		xen_console_init();
		if (xs_init() || xen_grant_init(&start.firmware_map))
			log_warn("xen: no xenstore or grant table: no disks");
	}
	env.rsdp = find_rsdp();
	log_info("memory: %u ranges, %lu MiB RAM; rsdp 0x%lx; %u module(s)",
		 start.firmware_map.count,
		 (unsigned long)(memmap_total(&start.firmware_map, E820_RAM) >> 20),
		 (unsigned long)env.rsdp, start.nr_modules);
	pvh_boot(&start, &env);
}
