/* SPDX-License-Identifier: MIT */
/*
 * The note that makes a probe a PVH kernel (Xen elfnote.h): name "Xen",
 * type 18 XEN_ELFNOTE_PHYS32_ENTRY, the 32-bit physical entry point. The
 * desc is 4 bytes, or 8 as older Linux x86-64 kernels emit it; build with
 * -DNOTE_DESCSZ=4 or 8. Loaders must accept both and use the low 32 bits.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.Xen, "a", @note
	.balign 4
	.long	4			/* namesz: "Xen" and its NUL */
	.long	NOTE_DESCSZ
	.long	XEN_ELFNOTE_PHYS32_ENTRY
	.asciz	"Xen"
	.balign 4
#if NOTE_DESCSZ == 8
	.quad	probe_entry32
#elif NOTE_DESCSZ == 4
	.long	probe_entry32
#else
#error "NOTE_DESCSZ must be 4 or 8"
#endif
	.balign 4
