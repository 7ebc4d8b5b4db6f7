/* SPDX-License-Identifier: MIT */
/*
 * The PVH boot flow. When the VMM hands over a module, that is the kernel to
 * boot (no disk needed); otherwise the disks are searched for a menu.
 *
 * Module 0 is either the kernel itself or a boot bundle: a newc cpio
 * archive whose first file is the kernel and whose other files are its
 * modules, in archive order; a file "NAME.cmdline" holds the command line of
 * NAME. The kernel's command line is the loader's own after " -- " if
 * present, else module 0's (or the bundle's kernel .cmdline file). Further
 * VMM modules follow the bundle's modules.
 */
#include "../core/cpio.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/pagealloc.h"
#include "../config/boot.h"
#include "../fs/volumes.h"
#include "../virtio/blk.h"
#include "../xen/xen.h"
#include "handoff.h"
#include "pvh_main.h"

static struct boot_request req;

/* NUL-terminated copies of bundle names and command lines. */
static char *dup_bytes(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
		/* A trailing newline in a .cmdline file is not part of the line. */
		while (n && (d[n - 1] == '\n' || d[n - 1] == '\r'))
			d[--n] = 0;
	}
	return d;
}

static int add_module(const void *data, size_t size, const char *name, const char *cmdline)
{
	if (req.nr_modules >= BOOT_MAX_MODULES)
		return log_err(-E2BIG, "more than %u modules", BOOT_MAX_MODULES);
	req.modules[req.nr_modules++] = (struct boot_module){ data, size, cmdline, name };
	return 0;
}

static bool is_cmdline_file(const struct cpio_entry *e)
{
	return e->name_len > 8 && !memcmp(e->name + e->name_len - 8, ".cmdline", 8);
}

/* The .cmdline file of entry NAME, or "". */
static const char *bundle_cmdline(const struct boot_module *bundle, const char *name)
{
	struct cpio_entry e;
	size_t pos = 0;
	size_t n = strlen(name);
	while (cpio_next(bundle->data, bundle->size, &pos, &e) == 1) {
		if (is_cmdline_file(&e) && e.name_len == n + 8 && !memcmp(e.name, name, n)) {
			char *c = dup_bytes(e.data, e.size);
			return c ? c : "";
		}
	}
	return "";
}

static int unpack_bundle(const struct boot_module *bundle)
{
	struct cpio_entry e;
	size_t pos = 0;
	bool have_kernel = false;
	int rc;

	while ((rc = cpio_next(bundle->data, bundle->size, &pos, &e)) == 1) {
		if (is_cmdline_file(&e) || !(e.mode & 0100000)) /* regular files only */
			continue;
		char *name = dup_bytes(e.name, e.name_len);
		if (!name)
			return -ENOMEM;
		const char *cmdline = bundle_cmdline(bundle, name);
		if (!have_kernel) {
			req.name = name;
			req.kernel = e.data;
			req.kernel_size = e.size;
			req.cmdline = cmdline;
			have_kernel = true;
		} else if ((rc = add_module(e.data, e.size, name, cmdline)) != 0) {
			return rc;
		}
	}
	if (rc < 0)
		return log_err(rc, "boot bundle: malformed cpio archive");
	if (!have_kernel)
		return log_err(-ENOENT, "boot bundle: no kernel file in it");
	return 0;
}

static int build_request(struct pvh_start *start, const struct loader_options *o)
{
	int rc;

	memset(&req, 0, sizeof(req));
	if (!start->nr_modules || !start->modules[0].size)
		return log_err(-ENOENT, "no disk support yet and no kernel module given");
	const struct boot_module *m0 = &start->modules[0];
	if (cpio_is_archive(m0->data, m0->size)) {
		rc = unpack_bundle(m0);
		if (rc)
			return rc;
	} else {
		req.name = "module0";
		req.kernel = m0->data;
		req.kernel_size = m0->size;
		req.cmdline = m0->cmdline;
	}
	for (unsigned i = 1; i < start->nr_modules; i++) {
		char *name = malloc(16);
		if (!name)
			return -ENOMEM;
		fmt_snprintf(name, 16, "module%u", i);
		rc = add_module(start->modules[i].data, start->modules[i].size, name,
				start->modules[i].cmdline);
		if (rc)
			return rc;
	}
	if (o->kernel_cmdline)
		req.cmdline = o->kernel_cmdline;
	if (o->protocol) {
		static const char *const names[] = { "", "pvh", "multiboot1", "linux", "multiboot2" };
		for (unsigned i = 1; i < ARRAY_SIZE(names); i++)
			if (!strcmp(o->protocol, names[i]))
				req.force = (enum force_format)i;
		if (req.force == FORCE_NONE)
			log_warn("protocol=%s: not pvh, multiboot1, multiboot2 or linux; detecting", o->protocol);
	}
	return 0;
}

static int kvm_exit(void)
{
	virtio_blk_shutdown_all();
	return 0;
}

static const struct boot_platform kvm_platform = {
	.name = "kvm-pvh",
	.exit = kvm_exit,
	.handoff = handoff,
};

static int xen_exit(void)
{
	blkfront_shutdown_all();
	return 0;
}

/*
 * The one-shot choice from dom0: `xenstore-write /local/domain/ID/pvhboot/entry
 * NAME` between `xl create -p` and `xl unpause` (docs/xen.md). Read once,
 * then removed so a reboot goes back to the default.
 */
static char *xen_one_shot(void)
{
	static char entry[256];
	if (xs_read("pvhboot/entry", entry, sizeof(entry)) || !*entry)
		return NULL;
	xs_rm("pvhboot/entry");
	log_info("xenstore: one-shot entry \"%s\"", entry);
	return entry;
}

static const struct boot_platform xen_platform = {
	.name = "xen-pvh",
	.one_shot = xen_one_shot,
	.exit = xen_exit,
	.handoff = handoff,
};

_Noreturn void pvh_boot(struct pvh_start *start, struct boot_env *env)
{
	static struct loader_options opts;
	if (options_parse(start->cmdline, &opts))
		panic("out of memory parsing the command line");

	const struct boot_platform *platform =
		env->platform == PLATFORM_XEN_PVH ? &xen_platform : &kvm_platform;

	if (start->nr_modules && start->modules[0].size) {
		int rc = build_request(start, &opts);
		if (!rc) {
			log_info("booting %s (%zu bytes, %u module(s)), cmdline \"%s\"", req.name,
				 req.kernel_size, req.nr_modules, req.cmdline);
			rc = boot_request_run(platform, env, &req);
		}
		log_err(rc, "cannot boot the kernel given as module 0; trying the disks");
		pagealloc_drop_claims();
	}

	if (env->platform == PLATFORM_XEN_PVH)
		blkfront_probe_all();
	else
		virtio_probe_all(start->cmdline);
	volumes_discover();
	boot_from_disks(platform, env, &opts);
}
