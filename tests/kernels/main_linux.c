/* SPDX-License-Identifier: MIT */
/* The Linux-protocol probe (linux64.bzImage, linux32.bzImage). */
#include "runtime.h"

extern const struct setup_header probe_setup_header;

_Noreturn void probe_main(const struct cpu_state *cpu)
{
	struct report r;
	struct probe_env e;

	probe_start(&e, &r, cpu);
	e.image.linux_hdr = probe_setup_header;
	/* The kernel owns [load, load + init_size); a bzImage loader copies
	 * the file and leaves the rest as it was. */
	e.image.end = e.image.start + probe_setup_header.init_size;
	check_linux(&e);
	probe_finish(&e);
}
