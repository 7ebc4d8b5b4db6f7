/* SPDX-License-Identifier: MIT */
/* The multiboot1 probe (mb1-elf.elf, mb1-aout.bin). */
#include "../../include/abi/multiboot1.h"
#include "runtime.h"

extern const struct mb1_header probe_mb1_header;

_Noreturn void probe_main(const struct cpu_state *cpu)
{
	struct report r;
	struct probe_env e;

	probe_start(&e, &r, cpu);
	/* ELF segments and the a.out kludge's bss_end_addr both promise a
	 * zeroed .bss (spec §3.1.3). */
	e.image.bss_must_be_zero = true;
	e.image.mb1_header_flags = probe_mb1_header.flags;
	check_mb1(&e);
	probe_finish(&e);
}
