/* SPDX-License-Identifier: MIT */
/* The multiboot2 probe (mb2-elf.elf, mb2-addr.bin, mb2-efi.elf). */
#include "../../include/abi/multiboot2.h"
#include "runtime.h"

/* The required information request in mb2_header.S: the tag types asked for. */
extern const uint32_t probe_mb2_request[], probe_mb2_request_end[];

/*
 * Filled by the EFI amd64 entry (entry_mb2_efi64.S) before the capture
 * clears .bss, so it lives in .data; all zero (PROBE_EFI_NONE) when the
 * probe came in through its i386 entry.
 */
__attribute__((section(".data.efi_call"))) struct probe_efi_call probe_efi_call;

/* What that entry prints through ConOut: tests/e2e/efi-boot.sh looks for it. */
const uint16_t probe_efi_marker[] = u"PROBE-MB2-EFI64 ConOut->OutputString "
				     u"with boot services alive\r\n";

_Noreturn void probe_main(const struct cpu_state *cpu)
{
	struct report r;
	struct probe_env e;

	probe_start(&e, &r, cpu);
	/* ELF segments and the address tag's bss_end_addr both promise a zeroed .bss. */
	e.image.bss_must_be_zero = true;
	e.image.mb2_module_align = true;
	e.image.mb2_efi = probe_efi_call;
	/* Words 0-1 are the tag's type/flags and size; the types follow. */
	for (const uint32_t *t = probe_mb2_request + 2; t < probe_mb2_request_end; t++)
		if (*t < 32)
			e.image.mb2_requests |= 1u << *t;
	check_mb2(&e);
	probe_finish(&e);
}
