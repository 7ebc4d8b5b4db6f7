/* SPDX-License-Identifier: MIT */
/*
 * The multiboot2 header (Multiboot2 Specification 2.0 §3.1): within the
 * first 32 KiB, 8-byte aligned, magic + architecture + header_length +
 * checksum == 0, then 8-aligned tags ending with an end tag. It asks, with
 * a required information request, for every tag pvhboot can give; the
 * probe checks each one arrives (main_mb2.c reads this request back).
 * With -DMB2_ADDR: the address and entry tags, so that a loader loads the
 * flat file mb2-addr.bin from them (no ELF headers), .bss from bss_end_addr.
 * With -DMB2_EFI (mb2-efi.elf): the EFI boot services tag and an EFI amd64
 * entry tag, both optional as in Xen's header, so that a loader with boot
 * services enters at probe_entry64_efi (entry_mb2_efi64.S) and any other
 * loader at the ELF entry, the i386 one. The EFI tags are asked for in the
 * optional request: a PVH loader has none to give.
 */
#define MB2_MAGIC 0xe85250d6

	.section .head.mb2, "a"
	.balign 8
	.globl probe_mb2_header
probe_mb2_header:
	.long	MB2_MAGIC
	.long	0			/* architecture: i386 */
	.long	mb2_header_end - probe_mb2_header
	.long	-(MB2_MAGIC + (mb2_header_end - probe_mb2_header))

	.balign 8
	.globl probe_mb2_request
probe_mb2_request:			/* information request, required */
	.short	1, 0
	.long	probe_mb2_request_end - probe_mb2_request
	.long	1			/* cmdline */
	.long	2			/* boot loader name */
	.long	3			/* modules */
	.long	4			/* basic meminfo */
	.long	6			/* mmap */
	.long	14			/* ACPI old RSDP: every VM has one */
#ifndef MB2_ADDR
	.long	9			/* ELF sections: only an ELF has them */
#endif
	.globl probe_mb2_request_end
probe_mb2_request_end:

	.balign 8
mb2_optional:
	.short	1, 1			/* information request, optional */
	.long	mb2_optional_end - mb2_optional
	.long	15			/* ACPI new RSDP: only with an ACPI 2.0 RSDP */
	.long	8			/* framebuffer */
#ifdef MB2_EFI
	.long	12			/* EFI64 system table */
	.long	20			/* EFI64 image handle */
	.long	18			/* EFI boot services not terminated */
#endif
mb2_optional_end:

	.balign 8
	.short	5, 1			/* framebuffer, optional: none on PVH */
	.long	20
	.long	0, 0, 0

	.balign 8
	.short	6, 0			/* module alignment: page-aligned modules */
	.long	8

#ifdef MB2_ADDR
	.balign 8
	.short	2, 0			/* address */
	.long	24
	.long	probe_mb2_header	/* header_addr */
	.long	_image_start		/* load_addr: the file's first byte */
	.long	_load_end		/* load_end_addr: the file's end */
	.long	_image_end		/* bss_end_addr: the loader zeroes up to here */

	.balign 8
	.short	3, 0			/* entry address */
	.long	12
	.long	probe_entry32
#endif

#ifdef MB2_EFI
	.balign 8
	.short	7, 1			/* EFI boot services: keep them, optional */
	.long	8

	.balign 8
	.short	9, 1			/* EFI amd64 entry address, optional */
	.long	12
	.long	probe_entry64_efi
#endif

	.balign 8
	.short	0, 0			/* end */
	.long	8
mb2_header_end:
