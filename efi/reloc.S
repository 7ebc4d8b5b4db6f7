/* SPDX-License-Identifier: MIT */
/*
 * The PE image's base relocation table: one block with no fixups.
 *
 * gnu-efi images relocate themselves (crt0 calls _relocate on the ELF
 * dynamic relocations), so the firmware has nothing to patch. But a PE
 * image without a .reloc section is marked "relocations stripped", and
 * EDK2 then refuses to load it anywhere but its ImageBase of 0. crt0 has
 * such a placeholder, yet nothing refers to it and --gc-sections drops it;
 * this one carries SHF_GNU_RETAIN ("R") so the linker keeps it.
 *
 * Layout: PE/COFF specification §6.6.1 "Base Relocation Block".
 */
	.section .reloc, "aR"
	.balign 4
	.long 0		/* Page RVA */
	.long 10	/* Block Size: this 8-byte header and one entry */
	.word 0		/* IMAGE_REL_BASED_ABSOLUTE: "skipped", padding by definition */

	/* No code here needs an executable stack. */
	.section .note.GNU-stack, "", @progbits
