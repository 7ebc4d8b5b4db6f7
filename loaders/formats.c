/* SPDX-License-Identifier: MIT */
/*
 * The table of boot formats, in preference order, and the small adapters
 * between a format's parsed header and its planner. Adding a format is one
 * row here, its probe in detect.c and its planner in a file of its own.
 *
 * Preference: PVH first, because its entry is the one made for a virtual
 * machine; then multiboot1, which needs the fewest guesses from a loader,
 * then multiboot2 (a config's `multiboot2` command picks it for a file that
 * has both headers, as Xen's does; UEFI prefers it, multiboot2.c); then a
 * PE image the platform starts itself (a Linux kernel through its EFI stub,
 * as distros boot it on EFI machines; a unified kernel image; any EFI
 * application), which has no planner and is skipped where nothing can start
 * it; Linux's boot_params last.
 */
#include "../core/decompress.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "kernel.h"
#include "multiboot2.h"

/* Documented limit on a decompressed bzImage payload. */
#define PAYLOAD_MAX_INFLATED (512ull << 20)

static int plan_mb1(const struct boot_env *env, const struct boot_request *req,
		    const void *image, size_t size, struct boot_plan *plan)
{
	/* Booted anyway: Xen's own multiboot1 image copes, others may not. */
	if (!env->legacy_pc)
		log_warn("%s: multiboot1 on a machine without VGA, PIC or PIT (a Xen PVH "
			 "domain); a kernel that needs them will not get far", req->name);
	return mb1_plan(env, req, image, size, plan);
}

static int plan_mb2(const struct boot_env *env, const struct boot_request *req,
		    const void *image, size_t size, struct boot_plan *plan)
{
	if (!env->legacy_pc)
		log_warn("%s: multiboot2 on a machine without VGA, PIC or PIT (a Xen PVH "
			 "domain); a kernel that needs them will not get far", req->name);
	return mb2_plan(env, req, image, size, plan);
}

/*
 * A bzImage whose payload is a PVH ELF (Debian's, Fedora's, Ubuntu's are):
 * where the PVH entry is preferred (a Xen PVH domain), boot the ELF through
 * it, as Xen's toolstack does for direct boot, so the kernel runs its real
 * PVH start-up path instead of guessing PVH from ACPI flags. Elsewhere
 * boot_params is the default: the kernel's own decompressor runs (with
 * KASLR), and the loader neither inflates the payload (65 MiB for Debian's)
 * nor copies it again at the handoff. Returns 0 with the ELF in
 * *elf_image (owned by @plan), or non-zero to use boot_params instead.
 */
static int pvh_payload(const struct boot_request *req, const void *image, size_t size,
		       struct boot_plan *plan, const void **elf_image, size_t *elf_size,
		       struct elf_image *elf)
{
	static struct bzimage bz;
	void *inflated;
	if (bzimage_parse(image, size, &bz) || !bz.payload_length)
		return -ENOEXEC;
	const uint8_t *payload = (const uint8_t *)image + bz.payload_offset;
	if (compression_detect(payload, bz.payload_length) == COMP_NONE)
		return -ENOEXEC;
	int rc = decompress(payload, bz.payload_length, PAYLOAD_MAX_INFLATED, &inflated,
			    elf_size);
	if (rc) {
		log_warn("%s: cannot decompress the bzImage payload (%s): using boot_params",
			 req->name, strerror_name(rc));
		return rc;
	}
	if (elf_parse(inflated, *elf_size, elf) || !elf->has_phys32_entry) {
		free(inflated);
		return -ENOEXEC;
	}
	if ((rc = plan_own(plan, inflated)) != 0)
		return rc;
	log_info("%s: booting the PVH ELF inside the bzImage (%zu bytes)", req->name, *elf_size);
	*elf_image = inflated;
	return 0;
}

/*
 * A PVH ELF, or a bzImage whose payload is one when `protocol pvh` asks for
 * its PVH entry where boot_params would be the default.
 */
static int plan_pvh(const struct boot_env *env, const struct boot_request *req,
		    const void *image, size_t size, struct boot_plan *plan)
{
	static struct elf_image elf;
	const void *elf_image;
	size_t elf_size;
	int rc = elf_parse(image, size, &elf);
	if (!rc)
		return pvh_plan(env, req, image, size, &elf, plan);
	if (!bzimage_probe(image, size)) {
		if (pvh_payload(req, image, size, plan, &elf_image, &elf_size, &elf))
			return log_err(-ENOEXEC, "%s: no PVH ELF inside this bzImage", req->name);
		return pvh_plan(env, req, elf_image, elf_size, &elf, plan);
	}
	return log_err(rc, "%s: malformed ELF", req->name);
}

static int plan_linux(const struct boot_env *env, const struct boot_request *req,
		      const void *image, size_t size, struct boot_plan *plan)
{
	static struct elf_image elf;
	const void *elf_image;
	size_t elf_size;

	if (env->pvh_entry_preferred && req->format != KERNEL_LINUX &&
	    !pvh_payload(req, image, size, plan, &elf_image, &elf_size, &elf)) {
		plan->format = KERNEL_PVH;
		return pvh_plan(env, req, elf_image, elf_size, &elf, plan);
	}
	return linux_plan(env, req, image, size, plan);
}

const struct kernel_format_type kernel_formats[] = {
	{ KERNEL_PVH, "pvh", pvh_probe, plan_pvh },
	{ KERNEL_MULTIBOOT1, "multiboot1", mb1_probe, plan_mb1 },
	{ KERNEL_MULTIBOOT2, "multiboot2", mb2_probe, plan_mb2 },
	{ KERNEL_EFI, "efi", pe_probe, NULL },
	{ KERNEL_LINUX, "linux", bzimage_probe, plan_linux },
};
const unsigned nr_kernel_formats = ARRAY_SIZE(kernel_formats);

const struct kernel_format_type *kernel_format_by_id(enum kernel_format id)
{
	for (unsigned i = 0; i < nr_kernel_formats; i++)
		if (kernel_formats[i].id == id)
			return &kernel_formats[i];
	return NULL;
}

const struct kernel_format_type *kernel_format_by_name(const char *name)
{
	for (unsigned i = 0; i < nr_kernel_formats; i++)
		if (!strcmp(kernel_formats[i].name, name))
			return &kernel_formats[i];
	return NULL;
}

const char *kernel_format_name(enum kernel_format f)
{
	const struct kernel_format_type *t = kernel_format_by_id(f);
	return t ? t->name : "unknown";
}

unsigned detect_all_formats(const void *buf, size_t len)
{
	unsigned found = 0;
	for (unsigned i = 0; i < nr_kernel_formats; i++)
		if (!kernel_formats[i].probe(buf, len))
			found |= 1u << kernel_formats[i].id;
	return found;
}

enum kernel_format detect_format(const void *buf, size_t len, const char **why)
{
	for (unsigned i = 0; i < nr_kernel_formats; i++) {
		if (!kernel_formats[i].probe(buf, len)) {
			if (why)
				*why = NULL;
			return kernel_formats[i].id;
		}
	}
	if (why)
		*why = detect_failure_reason(buf, len);
	return KERNEL_UNKNOWN;
}
