/* SPDX-License-Identifier: MIT */
/*
 * Booting a kernel: from file contents to a boot plan, whatever the format.
 */
#ifndef PVHBOOT_LOADERS_KERNEL_H
#define PVHBOOT_LOADERS_KERNEL_H

#include "../core/memmap.h"
#include "image.h"
#include "plan.h"

enum platform_kind {
	PLATFORM_KVM_PVH, /* QEMU, Firecracker, Cloud Hypervisor */
	PLATFORM_XEN_PVH,
	PLATFORM_EFI,
	PLATFORM_HOST,    /* the host CLI, planning only */
};

/* Facts about the machine the kernel will run on. */
struct boot_env {
	enum platform_kind platform;
	bool simulated;          /* host planning: physical memory is not ours to read */
	uint64_t rsdp;           /* physical address of the ACPI RSDP, 0 if none */
	/* Framebuffer, for multiboot1 kernels that ask (0 addr: none). */
	struct {
		uint64_t addr;
		uint32_t pitch, width, height;
		uint8_t bpp;
		uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
	} fb;
	/* EFI: system table and the final memory map, for boot_params.efi_info. */
	uint64_t efi_systab;
	uint64_t efi_memmap, efi_memmap_size;
	uint32_t efi_memdesc_size, efi_memdesc_version;
};

struct boot_module {
	const void *data;
	size_t size;
	const char *cmdline; /* never NULL; "" if none */
	const char *name;    /* for messages */
};

/* Documented limit: modules per kernel (initrds, multiboot modules). */
#define BOOT_MAX_MODULES 32

enum force_format {
	FORCE_NONE = 0,
	FORCE_PVH,
	FORCE_MULTIBOOT1,
	FORCE_LINUX,
	FORCE_MULTIBOOT2, /* issue 11 */
};

enum rsdp_low_policy {
	RSDP_LOW_AUTO = 0, /* copy low for PVH kernels without linux_rsdp_unrestricted */
	RSDP_LOW_ON,
	RSDP_LOW_OFF,
};

struct boot_request {
	const char *name;        /* the kernel's file name, for messages */
	const void *kernel;      /* file contents, possibly compressed */
	size_t kernel_size;
	const char *cmdline;     /* never NULL */
	unsigned nr_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
	enum force_format force;
	enum rsdp_low_policy rsdp_low;
};

/*
 * kernel_plan() - decompress, detect the format and build the boot plan.
 * Every refusal is logged once, naming the file and the reason; the caller
 * goes back to the menu. Nothing is executed and nothing outside the page
 * allocator's bookkeeping changes.
 */
int kernel_plan(const struct boot_env *env, const struct boot_request *req,
		struct boot_plan *plan);

/* Per-format planners, called by kernel_plan() with decompressed contents. */
int pvh_plan(const struct boot_env *env, const struct boot_request *req, const void *image,
	     size_t size, const struct elf_image *elf, struct boot_plan *plan);
int mb1_plan(const struct boot_env *env, const struct boot_request *req, const void *image,
	     size_t size, struct boot_plan *plan);
int linux_plan(const struct boot_env *env, const struct boot_request *req, const void *image,
	       size_t size, struct boot_plan *plan);

#endif
