/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the whole planning path (decompression, detection,
 * every format's planner) on any kernel bytes against a fuzzed machine.
 * The input's last PLAN_TAIL bytes describe the machine (RAM size, holes,
 * platform capabilities, a forced format, modules); everything before is
 * the kernel, so the kernel seeds of the other targets work as they are.
 * A plan must keep its chunks apart and inside the 4 GiB the handoff maps,
 * and releasing it, accepted or refused, must give everything back
 * (LeakSanitizer checks the heap after every input).
 */
#include <stdio.h>

#include "../../core/errno.h"
#include "../../core/pagealloc.h"
#include "../../loaders/kernel.h"

#define PLAN_TAIL 48
#define MiB (1ull << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t module_bytes[256 * 1024];
static struct boot_plan plan;
static struct boot_request req;

/* A broken invariant: show the plan, then crash for libFuzzer. */
static _Noreturn void bad_plan(void)
{
	plan_print(&plan, printf);
	fflush(stdout);
	__builtin_trap();
}

static void machine(const uint8_t *c)
{
	static struct memmap fw;
	uint64_t mib = 8 + (uint64_t)c[1] * 16;
	memmap_init(&fw);
	memmap_add(&fw, 0, 0x9fc00, E820_RAM);
	memmap_add(&fw, 0xf0000, 0x10000, E820_RESERVED);
	memmap_add(&fw, MiB, MIN(mib * MiB, 0xc0000000ull) - MiB, E820_RAM);
	for (unsigned i = 0; i < (c[2] & 7u); i++) {
		const uint8_t *h = c + 3 + 4 * i;
		uint64_t at = (uint64_t)get_le16(h) << 16, len = (uint64_t)get_le16(h + 2) << 8;
		(void)memmap_set(&fw, at, len + 1, h[3] & 1 ? E820_RESERVED : E820_ACPI);
	}
	(void)memmap_normalize(&fw);
	(void)pagealloc_init(&fw);
	(void)pagealloc_reserve(MiB, 0x80000, MEM_LOADER);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < PLAN_TAIL)
		return 0;
	const uint8_t *c = data + size - PLAN_TAIL;
	machine(c);
	struct boot_env env = {
		.platform = PLATFORM_HOST,
		.simulated = true,
		.rsdp = c[0] & 1 ? 0xf59d0 : 0,
		.pvh_entry_preferred = c[0] & 2,
		.legacy_pc = c[0] & 4,
		.efi_systab = c[0] & 8 ? 0x7f000000 : 0,
		.efi_memmap = c[0] & 8 ? 0x7e000000 : 0,
	};
	req = (struct boot_request){
		.name = "fuzz",
		.kernel = data,
		.kernel_size = size - PLAN_TAIL,
		.cmdline = c[0] & 16 ? "console=ttyS0 root=/dev/vda" : "",
		.format = (enum kernel_format)(c[31] % KERNEL_FORMAT_END),
		.rsdp_low = (enum rsdp_low_policy)(c[32] % 3),
	};
	for (unsigned i = 0; i < (c[33] & 3u); i++)
		req.modules[req.nr_modules++] = (struct boot_module){
			module_bytes, 1 + get_le16(c + 34 + 2 * i) * 3u, i ? "arg" : "", "mod" };

	if (kernel_plan(&env, &req, &plan) == 0) {
		for (unsigned i = 0; i < plan.nr_chunks; i++) {
			const struct plan_chunk *a = &plan.chunks[i];
			uint64_t ae = a->dest + a->len + a->zero;
			if (ae < a->dest || ae > PAGEALLOC_LIMIT)
				bad_plan();
			for (unsigned j = i + 1; j < plan.nr_chunks; j++) {
				const struct plan_chunk *b = &plan.chunks[j];
				if (a->dest < b->dest + b->len + b->zero && b->dest < ae)
					bad_plan();
			}
		}
		if (plan.mode == ENTRY_PM32 && plan.entry >> 32)
			bad_plan();
		plan_release(&plan);
	}
	if (plan.nr_chunks || plan.nr_owned || pagealloc_nr_claims()) {
		fprintf(stderr, "not released: %u chunks, %u buffers, %u claims\n", plan.nr_chunks,
			plan.nr_owned, pagealloc_nr_claims());
		__builtin_trap();
	}
	return 0;
}
