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
	/*
	 * Capabilities the loaders test (never the platform's name):
	 * pvh_entry_preferred: a bzImage whose payload has a PVH entry is
	 * entered there (a Xen PVH domain), else through boot_params; legacy_pc: VGA, PIC and PIT exist (not in
	 * a Xen PVH domain), which multiboot1 kernels tend to assume.
	 */
	bool pvh_entry_preferred;
	bool legacy_pc;
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
	/*
	 * EFI boot services are running and a kernel may be entered with them
	 * (multiboot2's EFI amd64 entry): the loader's image handle, else 0.
	 */
	uint64_t efi_image_handle;
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
	enum kernel_format format; /* KERNEL_UNKNOWN: detect by content */
	enum rsdp_low_policy rsdp_low;
	/*
	 * Where the kernel file lives, for platforms that name it to the
	 * image (an EFI program finds files next to itself through its device
	 * path): its volume's GPT partition GUID and its path there. "" when
	 * unknown (a module the VMM gave, a volume that is no GPT partition).
	 */
	char part_uuid[37];
	const char *path_on_volume;
};

/*
 * One boot format: how to recognise it and how to plan a boot. The table
 * kernel_formats[] lists every format in preference order: when a file
 * matches several (Xen's hypervisor is multiboot1 and PVH), the first wins.
 */
struct kernel_format_type {
	enum kernel_format id;
	const char *name;        /* config and CLI spelling: "pvh", "multiboot1", "linux" */
	/*
	 * probe() - 0 when the format's header is present, even if broken (its
	 * planner then names the problem), -ENOEXEC when it is not. Pure.
	 */
	int (*probe)(const void *image, size_t size);
	/*
	 * plan() - build @plan (already initialised) from decompressed @image.
	 * NULL for an image the platform executes itself (an EFI PE through
	 * LoadImage): boot_request_run() hands it to boot_platform.start_image,
	 * and planning skips the format on platforms without one.
	 */
	int (*plan)(const struct boot_env *env, const struct boot_request *req, const void *image,
		    size_t size, struct boot_plan *plan);
};

extern const struct kernel_format_type kernel_formats[];
extern const unsigned nr_kernel_formats;

/* The format named @name ("pvh", ...), or NULL. */
const struct kernel_format_type *kernel_format_by_name(const char *name);
/* The format @id, or NULL for KERNEL_UNKNOWN and values out of range. */
const struct kernel_format_type *kernel_format_by_id(enum kernel_format id);

/*
 * kernel_plan() - decompress, detect the format and build the boot plan.
 * Every refusal is logged once, naming the file and the reason, and the
 * plan is released (the heap and the page allocator are as before); the
 * caller goes back to the menu. Nothing is executed. On success the plan
 * owns everything it was built from except the request's own buffers,
 * which must live until the handoff.
 */
int kernel_plan(const struct boot_env *env, const struct boot_request *req,
		struct boot_plan *plan);

/*
 * kernel_started_by_platform() - whether @req's kernel, as it is (an EFI
 * image is never compressed), is of a format without a planner, forced by
 * the entry or detected: the platform must start it. Pure.
 */
bool kernel_started_by_platform(const struct boot_request *req);

/* Per-format planners, called through kernel_formats[] with decompressed contents. */
int pvh_plan(const struct boot_env *env, const struct boot_request *req, const void *image,
	     size_t size, const struct elf_image *elf, struct boot_plan *plan);
int mb1_plan(const struct boot_env *env, const struct boot_request *req, const void *image,
	     size_t size, struct boot_plan *plan);
int linux_plan(const struct boot_env *env, const struct boot_request *req, const void *image,
	       size_t size, struct boot_plan *plan);

#endif
