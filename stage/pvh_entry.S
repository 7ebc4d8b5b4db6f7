/* SPDX-License-Identifier: MIT */
/*
 * PVH entry: the loader as a PVH guest kernel.
 *
 * Xen and KVM VMMs enter here through the PHYS32_ENTRY note in 32-bit flat
 * protected mode with paging off and %ebx = hvm_start_info (Xen
 * docs/misc/pvh.pandoc). Nothing else is promised: no stack, GDT or IDT.
 * We load our own GDT, clear .bss, identity-map the first 4 GiB, enable
 * SSE (Debian's decoders may use it) and long mode, and call
 * pvh_main(start_info_paddr) in C.
 */
#define SEL_CODE64 0x08
#define SEL_CODE32 0x10
#define SEL_DATA 0x18

	/* The note that makes this ELF a PVH kernel: name "Xen", type 18. */
	.pushsection .note.Xen, "a", @note
	.balign 4
	.long 4, 4, 18
	.asciz "Xen"
	.long pvh_start32
	.popsection

	.section .text.entry, "ax"
	.code32
	.globl pvh_start32
pvh_start32:
	cli
	cld
	mov	%ebx, %esi			/* keep start_info across the setup */
	lgdt	gdt_desc
	ljmp	$SEL_CODE32, $1f
1:	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$stack_top, %esp

	/* .bss holds the page tables and the stack: clear it first. The
	 * start_info data may not overlap it: it is part of our image. Four
	 * bytes a store (pvh.ld aligns both ends to a page): under QEMU's TCG
	 * each iteration of a rep costs as much as the store, and byte by
	 * byte the 480 KiB took a few milliseconds before the first line. */
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	shr	$2, %ecx
	xor	%eax, %eax
	rep stosl

	/* PML4[0] -> PDPT, PDPT[0..3] -> PD0..3, 2048 entries of 2 MiB. */
	mov	$boot_pdpt, %eax
	or	$0x3, %eax
	mov	%eax, boot_pml4
	mov	$boot_pd, %eax
	or	$0x3, %eax
	mov	$boot_pdpt, %edi
	mov	$4, %ecx
2:	mov	%eax, (%edi)
	add	$0x1000, %eax
	add	$8, %edi
	loop	2b
	mov	$boot_pd, %edi
	mov	$0x83, %eax			/* present, writable, 2 MiB page */
	xor	%edx, %edx
	mov	$2048, %ecx
3:	mov	%eax, (%edi)
	mov	%edx, 4(%edi)
	add	$0x200000, %eax
	adc	$0, %edx
	add	$8, %edi
	loop	3b

	mov	%cr4, %eax
	or	$(1 << 5 | 1 << 9 | 1 << 10), %eax	/* PAE, OSFXSR, OSXMMEXCPT */
	mov	%eax, %cr4
	mov	$boot_pml4, %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx
	rdmsr
	or	$(1 << 8), %eax			/* EFER.LME */
	wrmsr
	mov	%cr0, %eax
	and	$~(1 << 2), %eax		/* EM off: SSE usable */
	or	$(1 << 31 | 1 << 1 | 1 << 0), %eax	/* PG, MP, PE */
	mov	%eax, %cr0
	ljmp	$SEL_CODE64, $start64

	.code64
start64:
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	mov	%esi, %edi			/* pvh_main(start_info_paddr) */
	call	pvh_main
4:	cli
	hlt
	jmp	4b

	.section .rodata
	.balign 8
gdt:
	.quad 0
	.quad 0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad 0x00cf9a000000ffff		/* 0x10: 32-bit code */
	.quad 0x00cf92000000ffff		/* 0x18: data */
gdt_end:
gdt_desc:
	.word gdt_end - gdt - 1
	.long gdt

	.section .bss
	.balign 4096
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
boot_pd:
	.skip 4 * 4096
	.globl stack_top
	.balign 16
boot_stack:
	.skip 64 * 1024
stack_top:

	.section .note.GNU-stack, "", @progbits
