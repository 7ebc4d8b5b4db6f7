/* SPDX-License-Identifier: MIT */
#include "io.h"
#include "log.h"
#include "stackprot.h"

/* The canary lives at offset 0x28 of the FS segment, as in the SysV TLS ABI. */
static uint64_t fs_block[8] __attribute__((aligned(64)));

void stackprot_init(void)
{
	fs_block[0x28 / 8] = rdtsc() * 0x9e3779b97f4a7c15ull | 0xff; /* never 0 */
	wrmsr(MSR_FS_BASE, (uintptr_t)fs_block);
}

_Noreturn void __stack_chk_fail(void);
_Noreturn void __stack_chk_fail(void)
{
	panic("stack smashing detected");
}
