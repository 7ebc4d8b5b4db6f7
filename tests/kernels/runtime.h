/* SPDX-License-Identifier: MIT */
/*
 * What a probe kernel needs around the checkers: the report on port 0xE9,
 * exceptions, and the exit through QEMU's isa-debug-exit device.
 * Freestanding only.
 */
#ifndef PVHBOOT_TESTS_KERNELS_RUNTIME_H
#define PVHBOOT_TESTS_KERNELS_RUNTIME_H

#include "probe.h"

/* Linker-script symbols: the image as loaded, .bss included. */
extern char _image_start[], _image_end[];

/* Called by long64.S on the probe's own stack, GDT and identity map. */
_Noreturn void probe_main(const struct cpu_state *cpu);

/* Install the exception handlers and fill @e: report on port 0xE9, memory
 * window = the identity map, image = [_image_start, _image_end). */
void probe_start(struct probe_env *e, struct report *r, const struct cpu_state *cpu);

/* Print RESULT and exit with its code. */
_Noreturn void probe_finish(const struct probe_env *e);

/*
 * probe_exit() - isa-debug-exit (port 0xf4) makes QEMU exit with status
 * (code << 1) | 1: 1 for PASS, 3 for FAIL. Elsewhere (Xen) the write is
 * ignored and the probe halts for good.
 */
_Noreturn void probe_exit(int code);

/* The stack long64.S's exception stubs build. */
struct exc_frame {
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};
_Noreturn void probe_exception(const struct exc_frame *f);

#endif
