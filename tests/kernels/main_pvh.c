/* SPDX-License-Identifier: MIT */
/* The PVH probe (pvh-elf{32,64}-note{4,8}.elf). */
#include "runtime.h"

_Noreturn void probe_main(const struct cpu_state *cpu)
{
	struct report r;
	struct probe_env e;

	probe_start(&e, &r, cpu);
	/* An ELF loader zeroes p_memsz beyond p_filesz: our .bss. */
	e.image.bss_must_be_zero = true;
	check_pvh(&e);
	probe_finish(&e);
}
