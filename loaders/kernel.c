/* SPDX-License-Identifier: MIT */
#include "../core/decompress.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "kernel.h"
#include "multiboot2.h"

/* Documented limit on a decompressed kernel (modules are not inflated). */
#define KERNEL_MAX_INFLATED (512ull << 20)

/*
 * The first format of the table that matches and that pvhboot plans itself:
 * a PE image the platform cannot start is booted as what else it is (a
 * bzImage through boot_params).
 */
static const struct kernel_format_type *plannable_format(const void *image, size_t size,
							  const char **why)
{
	for (unsigned i = 0; i < nr_kernel_formats; i++)
		if (kernel_formats[i].plan && !kernel_formats[i].probe(image, size))
			return &kernel_formats[i];
	enum kernel_format f = detect_format(image, size, why);
	if (f != KERNEL_UNKNOWN && why)
		*why = "only a platform that starts EFI images can boot it";
	return NULL;
}

bool kernel_started_by_platform(const struct boot_request *req)
{
	const struct kernel_format_type *fmt = kernel_format_by_id(req->format);
	if (!fmt)
		fmt = kernel_format_by_id(detect_format(req->kernel, req->kernel_size, NULL));
	return fmt && !fmt->plan;
}

static int plan_kernel(const struct boot_env *env, const struct boot_request *req,
		       struct boot_plan *plan)
{
	const void *image = req->kernel;
	size_t size = req->kernel_size;
	int rc;

	if (req->nr_modules > BOOT_MAX_MODULES)
		return log_err(-E2BIG, "%s: %u modules, at most %u are supported", req->name,
			       req->nr_modules, BOOT_MAX_MODULES);

	enum compression comp = compression_detect(image, size);
	if (comp != COMP_NONE) {
		void *inflated;
		rc = decompress(image, size, KERNEL_MAX_INFLATED, &inflated, &size);
		if (rc)
			return log_err(rc, "%s: cannot decompress (%s)", req->name,
				       compression_name(comp));
		/* The inflated image is a chunk source: it lives as long as the plan. */
		if ((rc = plan_own(plan, inflated)) != 0)
			return log_err(rc, "%s: plan full", req->name);
		image = inflated;
		log_info("%s: %s, %zu bytes inflated", req->name, compression_name(comp), size);
	}

	const char *why = NULL;
	const struct kernel_format_type *fmt = kernel_format_by_id(req->format);
	if (!fmt) {
		fmt = plannable_format(image, size, &why);
		/* Both multiboot headers and no hint: the machine decides (multiboot2.c). */
		if (fmt && fmt->id == KERNEL_MULTIBOOT1 && mb2_preferred_over_mb1(env) &&
		    !mb2_probe(image, size))
			fmt = kernel_format_by_id(KERNEL_MULTIBOOT2);
	}
	if (!fmt)
		return log_err(-ENOEXEC, "%s: not a kernel pvhboot can boot: %s", req->name,
			       why ? why : "unknown format");
	if (!fmt->plan)
		return log_err(-ENOEXEC, "%s: a %s image, which only the platform can start",
			       req->name, fmt->name);
	plan->format = fmt->id;
	return fmt->plan(env, req, image, size, plan);
}

int kernel_plan(const struct boot_env *env, const struct boot_request *req,
		struct boot_plan *plan)
{
	plan_init(plan, KERNEL_UNKNOWN);
	int rc = plan_kernel(env, req, plan);
	if (rc)
		plan_release(plan);
	return rc;
}
