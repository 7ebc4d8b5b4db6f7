/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_STAGE_PVH_MAIN_H
#define PVHBOOT_STAGE_PVH_MAIN_H

#include "../core/memmap.h"
#include "../loaders/kernel.h"

/* Documented limits of what the loader keeps from its own start_info. */
#define PVH_MAX_MODULES 16
#define PVH_CMDLINE_MAX 4096

/* What the VMM gave the loader, copied out of its start_info. */
struct pvh_start {
	uint32_t version;
	char cmdline[PVH_CMDLINE_MAX];
	unsigned nr_modules;
	struct boot_module modules[PVH_MAX_MODULES];
	char module_cmdlines[PVH_MAX_MODULES][256];
	struct memmap firmware_map; /* normalized */
	uint64_t rsdp;
};

/* The PVH platforms' boot flow, once memory and consoles are up. */
_Noreturn void pvh_boot(struct pvh_start *start, struct boot_env *env);

#endif
