/* SPDX-License-Identifier: MIT */
/*
 * The real-mode part of the Linux probe's bzImage (boot.rst "The Real-Mode
 * Kernel Header"): a boot sector and one setup sector holding the setup
 * header at 0x1f1. The protected-mode code follows at file offset
 * (setup_sects + 1) * 512 = 0x400. Build with -DLINUX64 for a kernel with a
 * 64-bit entry that may live above 4 GiB.
 *
 * The same header is also emitted into the loaded image as
 * probe_setup_header, so the probe can tell whether the loader copied the
 * fields it must not change into boot_params.hdr.
 */
#define SETUP_SECTS 1
#define LOADED_HIGH 0x01
#ifdef LINUX64
#define XLOADFLAGS 0x0003 /* XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G */
#else
#define XLOADFLAGS 0x0000 /* 32-bit entry only, below 4 GiB */
#endif

/* Offsets 0x1f1 to 0x26b, field by field as in struct setup_header. */
.macro setup_header
	.byte	SETUP_SECTS		/* 0x1f1 setup_sects */
	.word	0			/* 0x1f2 root_flags */
	.long	_syssize		/* 0x1f4 syssize: protected-mode code / 16 */
	.word	0			/* 0x1f8 ram_size */
	.word	0xffff			/* 0x1fa vid_mode: "normal" */
	.word	0			/* 0x1fc root_dev */
	.word	0xaa55			/* 0x1fe boot_flag */
	.byte	0xeb, 2f - 1f		/* 0x200 jump: over the header */
1:	.ascii	"HdrS"			/* 0x202 header */
	.word	0x020f			/* 0x206 version 2.15 */
	.long	0			/* 0x208 realmode_swtch */
	.word	0x1000			/* 0x20c start_sys_seg (obsolete) */
	.word	0			/* 0x20e kernel_version: none */
	.byte	0			/* 0x210 type_of_loader */
	.byte	LOADED_HIGH		/* 0x211 loadflags */
	.word	0			/* 0x212 setup_move_size */
	.long	0x100000		/* 0x214 code32_start (the loader updates it) */
	.long	0			/* 0x218 ramdisk_image */
	.long	0			/* 0x21c ramdisk_size */
	.long	0			/* 0x220 bootsect_kludge */
	.word	0			/* 0x224 heap_end_ptr */
	.byte	0			/* 0x226 ext_loader_ver */
	.byte	0			/* 0x227 ext_loader_type */
	.long	0			/* 0x228 cmd_line_ptr */
	.long	0x7fffffff		/* 0x22c initrd_addr_max */
	.long	0x200000		/* 0x230 kernel_alignment */
	.byte	1			/* 0x234 relocatable_kernel */
	.byte	21			/* 0x235 min_alignment: 2 MiB */
	.word	XLOADFLAGS		/* 0x236 xloadflags */
	.long	2047			/* 0x238 cmdline_size */
	.long	0			/* 0x23c hardware_subarch */
	.quad	0			/* 0x240 hardware_subarch_data */
	.long	0			/* 0x248 payload_offset */
	.long	0			/* 0x24c payload_length */
	.quad	0			/* 0x250 setup_data */
	.quad	0x1000000		/* 0x258 pref_address */
	.long	_init_size		/* 0x260 init_size: image, .bss and stack */
	.long	0			/* 0x264 handover_offset */
	.long	0			/* 0x268 kernel_info_offset */
2:
.endm

	.section .bzhdr, "a"
bzhdr:
	/* The boot sector is not bootable; the setup header starts at 0x1f1. */
	.org	0x1f1
hdr_in_file:
	setup_header
	.ifne	(. - hdr_in_file) - (0x26c - 0x1f1)
	.error	"the setup header is not 0x7b bytes"
	.endif

	/* The real-mode entry the jump lands on. This probe only has the
	 * protected-mode entries: fail at once via isa-debug-exit. */
	.code16
	cli
	mov	$0xf4, %dx
	mov	$1, %eax
	out	%eax, %dx
3:	hlt
	jmp	3b

	.org	(SETUP_SECTS + 1) * 512

	.section .data.setup_header, "a"
	.globl probe_setup_header
probe_setup_header:
	setup_header
