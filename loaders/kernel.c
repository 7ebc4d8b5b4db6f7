/* SPDX-License-Identifier: MIT */
#include "../core/decompress.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "kernel.h"
#include "multiboot2.h"

/* Documented limit on a decompressed kernel (modules are not inflated). */
#define KERNEL_MAX_INFLATED (512ull << 20)

static enum kernel_format forced_format(enum force_format f)
{
	switch (f) {
	case FORCE_PVH: return KERNEL_PVH;
	case FORCE_MULTIBOOT1: return KERNEL_MULTIBOOT1;
	case FORCE_LINUX: return KERNEL_LINUX;
	case FORCE_MULTIBOOT2: return KERNEL_MULTIBOOT2;
	default: return KERNEL_UNKNOWN;
	}
}

/*
 * A bzImage whose payload is a PVH ELF (Debian's, Fedora's, Ubuntu's are):
 * on the PVH platforms boot the ELF through its PVH entry, as Xen's
 * toolstack does for direct boot, so the kernel runs its real PVH start-up
 * path instead of guessing PVH from ACPI flags. Returns 0 with *elf_out set
 * (a malloc()ed ELF in *inflated), or non-zero to use boot_params instead.
 */
static int pvh_payload(const struct boot_request *req, const void *image, size_t size,
		       void **inflated, size_t *inflated_size, struct elf_image *elf)
{
	static struct bzimage bz;
	if (bzimage_parse(image, size, &bz) || !bz.payload_length)
		return -ENOEXEC;
	const uint8_t *payload = (const uint8_t *)image + bz.payload_offset;
	if (compression_detect(payload, bz.payload_length) == COMP_NONE)
		return -ENOEXEC;
	int rc = decompress(payload, bz.payload_length, KERNEL_MAX_INFLATED, inflated,
			    inflated_size);
	if (rc) {
		log_warn("%s: cannot decompress the bzImage payload (%s): using boot_params",
			 req->name, strerror_name(rc));
		return rc;
	}
	if (elf_parse(*inflated, *inflated_size, elf) || !elf->has_phys32_entry) {
		free(*inflated);
		*inflated = NULL;
		return -ENOEXEC;
	}
	log_info("%s: booting the PVH ELF inside the bzImage (%zu bytes)", req->name,
		 *inflated_size);
	return 0;
}

int kernel_plan(const struct boot_env *env, const struct boot_request *req,
		struct boot_plan *plan)
{
	const void *image = req->kernel;
	size_t size = req->kernel_size;
	void *inflated = NULL;
	static struct elf_image elf;
	int rc;

	if (req->nr_modules > BOOT_MAX_MODULES)
		return log_err(-E2BIG, "%s: %u modules, at most %u are supported", req->name,
			       req->nr_modules, BOOT_MAX_MODULES);

	enum compression comp = compression_detect(image, size);
	if (comp != COMP_NONE) {
		rc = decompress(image, size, KERNEL_MAX_INFLATED, &inflated, &size);
		if (rc)
			return log_err(rc, "%s: cannot decompress (%s)", req->name,
				       compression_name(comp));
		image = inflated;
		log_info("%s: %s, %zu bytes inflated", req->name, compression_name(comp), size);
	}

	const char *why = NULL;
	enum kernel_format fmt = forced_format(req->force);
	if (fmt == KERNEL_UNKNOWN)
		fmt = detect_format(image, size, &why);
	if (req->force == FORCE_NONE && fmt == KERNEL_MULTIBOOT1 && mb2_preferred_over_mb1(env) &&
	    (detect_all_formats(image, size) & (1u << KERNEL_MULTIBOOT2)))
		fmt = KERNEL_MULTIBOOT2; /* issue 11: both headers, no hint */

	switch (fmt) {
	case KERNEL_PVH:
		rc = elf_parse(image, size, &elf);
		if (rc)
			log_err(rc, "%s: malformed ELF", req->name);
		else
			rc = pvh_plan(env, req, image, size, &elf, plan);
		break;
	case KERNEL_MULTIBOOT1:
		/* Booted anyway: Xen's own multiboot1 image copes, others may not. */
		if (env->platform == PLATFORM_XEN_PVH)
			log_warn("%s: multiboot1 in a Xen PVH domain, which has no VGA, PIC or "
				 "PIT; a kernel that needs them will not get far",
				 req->name);
		rc = mb1_plan(env, req, image, size, plan);
		break;
	case KERNEL_MULTIBOOT2:
		rc = mb2_plan(env, req, image, size, plan);
		break;
	case KERNEL_LINUX: {
		void *elf_image = NULL;
		size_t elf_size;
		bool pvh_platform = env->platform == PLATFORM_KVM_PVH ||
				    env->platform == PLATFORM_XEN_PVH;
		if (pvh_platform && req->force != FORCE_LINUX &&
		    !pvh_payload(req, image, size, &elf_image, &elf_size, &elf)) {
			rc = pvh_plan(env, req, elf_image, elf_size, &elf, plan);
			if (rc)
				free(elf_image);
		} else {
			rc = linux_plan(env, req, image, size, plan);
		}
		break;
	}
	default:
		rc = log_err(-ENOEXEC, "%s: not a kernel pvhboot can boot: %s", req->name,
			     why ? why : "unknown format");
		break;
	}
	/* On success the inflated image is a chunk source: it must live on. */
	if (rc)
		free(inflated);
	return rc;
}
