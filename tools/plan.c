/* SPDX-License-Identifier: MIT */
/*
 * pvhboot plan KERNEL [OPTIONS]: what the loader would do with this kernel,
 * without a machine. The same format loaders build the same plan against a
 * simulated memory map (default: a 1 GiB QEMU PVH guest, the loader at
 * 12 MiB as stage/pvh.ld links it), and the plan is printed: every chunk, the entry state and the
 * memory map the kernel would receive.
 *
 *   --initrd FILE          a module (initrd); repeatable, in order
 *   --module FILE[=ARGS]   a module with a command line; repeatable
 *   --cmdline STRING       the kernel's command line
 *   --mem MIB              RAM of the simulated guest (default 1024)
 *   --platform kvm|xen     KVM PVH (default) or Xen PVH
 *   --protocol NAME        force the boot protocol (pvh, multiboot1, multiboot2, linux)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/pagealloc.h"
#include "../loaders/kernel.h"
#include "cli.h"

#define LOADER_BASE 0xc00000ull
#define LOADER_SIZE 0x100000ull

static void simulated_map(struct memmap *m, uint64_t mib)
{
	uint64_t top = mib << 20;
	memmap_init(m);
	memmap_add(m, 0, 0x9fc00, E820_RAM);
	memmap_add(m, 0x9fc00, 0x400, E820_RESERVED);
	memmap_add(m, 0xf0000, 0x10000, E820_RESERVED);
	memmap_add(m, 0x100000, MIN(top, 0xc0000000ull) - 0x100000, E820_RAM);
	if (top > 0xc0000000ull)
		memmap_add(m, 0x100000000ull, top - 0xc0000000ull, E820_RAM);
	memmap_add(m, 0xfeffc000, 0x4000, E820_RESERVED);
	memmap_add(m, 0xfffc0000, 0x40000, E820_RESERVED);
	memmap_normalize(m);
}

static int print_out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int cmd_plan(int argc, char **argv)
{
	static struct boot_request req;
	static struct boot_plan plan;
	static struct memmap fw, kmap;
	struct boot_env env = { .platform = PLATFORM_KVM_PVH, .simulated = true, .rsdp = 0xf59d0,
				.legacy_pc = true };
	uint64_t mib = 1024;
	void *data;
	size_t len;

	if (argc < 2) {
		fprintf(stderr, "usage: pvhboot plan KERNEL [--initrd FILE] [--module FILE[=ARGS]] "
				"[--cmdline STRING] [--mem MIB] [--platform kvm|xen] "
				"[--protocol pvh|multiboot1|multiboot2|linux]\n");
		return EXIT_USAGE;
	}
	req.name = argv[1];
	req.cmdline = "";
	for (int i = 2; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!val) {
			fprintf(stderr, "pvhboot plan: %s needs a value\n", opt);
			return EXIT_USAGE;
		}
		i++;
		if (!strcmp(opt, "--initrd") || !strcmp(opt, "--module")) {
			if (req.nr_modules >= BOOT_MAX_MODULES) {
				fprintf(stderr, "pvhboot plan: too many modules\n");
				return EXIT_USAGE;
			}
			char *path = strdup(val), *args = strchr(path, '=');
			if (args && !strcmp(opt, "--module"))
				*args++ = 0;
			else
				args = "";
			if (read_whole_file(path, &data, &len))
				return EXIT_USAGE;
			req.modules[req.nr_modules++] = (struct boot_module){ data, len, args, path };
		} else if (!strcmp(opt, "--cmdline")) {
			req.cmdline = val;
		} else if (!strcmp(opt, "--mem")) {
			mib = strtoull(val, NULL, 0);
		} else if (!strcmp(opt, "--platform")) {
			env.platform = !strcmp(val, "xen") ? PLATFORM_XEN_PVH : PLATFORM_KVM_PVH;
			env.legacy_pc = env.platform == PLATFORM_KVM_PVH;
			env.pvh_entry_preferred = env.platform == PLATFORM_XEN_PVH;
		} else if (!strcmp(opt, "--protocol")) {
			const struct kernel_format_type *f = kernel_format_by_name(val);
			if (!f) {
				fprintf(stderr, "pvhboot plan: --protocol %s: unknown format\n", val);
				return EXIT_USAGE;
			}
			req.format = f->id;
		} else {
			fprintf(stderr, "pvhboot plan: unknown option %s\n", opt);
			return EXIT_USAGE;
		}
	}
	if (mib < 64 || mib > (1u << 20)) {
		fprintf(stderr, "pvhboot plan: --mem %llu: want 64 MiB to 1 TiB\n",
			(unsigned long long)mib);
		return EXIT_USAGE;
	}
	if (read_whole_file(argv[1], &data, &len))
		return EXIT_USAGE;
	req.kernel = data;
	req.kernel_size = len;

	simulated_map(&fw, mib);
	pagealloc_init(&fw);
	pagealloc_reserve(LOADER_BASE, LOADER_SIZE, MEM_LOADER);
	int rc = kernel_plan(&env, &req, &plan);
	if (rc)
		return EXIT_NOT_RECOGNISED;
	plan_print(&plan, print_out);
	plan_memmap(&kmap);
	printf("memmap: %u entries\n", kmap.count);
	for (unsigned i = 0; i < kmap.count; i++)
		printf("  0x%012llx-0x%012llx %s\n", (unsigned long long)kmap.r[i].addr,
		       (unsigned long long)(kmap.r[i].addr + kmap.r[i].size),
		       memmap_type_name(kmap.r[i].type));
	return 0;
}
