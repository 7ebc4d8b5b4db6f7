/* SPDX-License-Identifier: MIT */
/*
 * The multiboot1 header (Multiboot Specification 0.6.96 §3.1): within the
 * first 8 KiB, 4-byte aligned, magic + flags + checksum == 0.
 * Flags: bit 0 page-align modules, bit 1 memory information; with
 * -DMB1_AOUT also bit 16, the "a.out kludge" address fields that a loader
 * uses instead of ELF headers (mb1-aout.bin is a flat binary).
 */
#define MB1_HEADER_MAGIC 0x1badb002
#ifdef MB1_AOUT
#define MB1_FLAGS 0x00010003
#else
#define MB1_FLAGS 0x00000003
#endif

	.section .head.mb1, "a"
	.balign 4
	.globl probe_mb1_header
probe_mb1_header:
	.long	MB1_HEADER_MAGIC
	.long	MB1_FLAGS
	.long	-(MB1_HEADER_MAGIC + MB1_FLAGS)
#ifdef MB1_AOUT
	.long	probe_mb1_header	/* header_addr */
	.long	_image_start		/* load_addr: the file's first byte */
	.long	_load_end		/* load_end_addr: the file's end */
	.long	_image_end		/* bss_end_addr: the loader zeroes up to here */
	.long	probe_entry32		/* entry_addr */
#endif
