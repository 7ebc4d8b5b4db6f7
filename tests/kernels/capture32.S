/* SPDX-License-Identifier: MIT */
/*
 * The 32-bit half of every probe's entry: record what the loader left in
 * the control registers, EFER, the segment registers and the GDT; record
 * whether .bss arrived zeroed; then build an identity map and enter long
 * mode to run the C checker.
 *
 * Entered by jmp from an entry stub that has already saved the general
 * registers and EFLAGS (they must be saved before any instruction that
 * changes them) and pointed %esp at head_stack_top, with
 *   %ebx = the runtime address of cpu_capture
 *   %ebp = the runtime address of the image start (_image_start)
 * Everything here is addressed from %ebp with the _off_* constants of
 * probe-offsets.ld, so the same code runs wherever the image was loaded
 * (the Linux probe is relocatable).
 */
#include "cpu_state.h"

	.section .data.capture, "aw"
	.balign 16
	.globl cpu_capture
cpu_capture:
	.skip	CPU_STATE_SIZE

	/* A few words of stack for the entry stubs' pushf, in loaded data
	 * rather than .bss: .bss is only looked at (and then cleared) later. */
	.balign 16
	.skip	64
	.globl head_stack_top
head_stack_top:

	/* The probe's own GDT: null, 64-bit code, flat data. */
	.balign 16
	.globl probe_gdt
probe_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* PROBE_SEL_CODE64: P, DPL 0, code e/r, L=1 */
	.quad	0x00cf92000000ffff	/* PROBE_SEL_DATA: P, DPL 0, data r/w, 4 GiB */
probe_gdt_end:

	/* lgdt operand; the base is written at run time (relocatable image). */
	.balign 16
	.globl probe_gdtr
probe_gdtr:
	.word	probe_gdt_end - probe_gdt - 1
	.quad	0

	.section .bss.capture, "aw", @nobits
	/* PML4, PDPT, then one page directory of 2 MiB pages per GiB. */
	.balign 4096
	.globl probe_page_tables
probe_page_tables:
	.skip	(2 + PROBE_MAP_GIB) * 4096
	.balign 16
	.skip	32768
	.globl probe_stack_top
probe_stack_top:

	.section .text.capture32, "ax"
	.code32
	.globl capture32
capture32:
	cld

	/* Control registers and EFER, as the loader left them. */
	mov	%cr0, %eax
	mov	%eax, CPU_CR0(%ebx)
	mov	%cr3, %eax
	mov	%eax, CPU_CR3(%ebx)
	mov	%cr4, %eax
	mov	%eax, CPU_CR4(%ebx)
	mov	$MSR_EFER, %ecx
	rdmsr
	mov	%eax, CPU_EFER(%ebx)
	mov	%edx, CPU_EFER + 4(%ebx)

	/* Selectors (enum cpu_seg order), GDTR, and which entry ran. */
	mov	%cs, CPU_SEL + 0(%ebx)
	mov	%ds, CPU_SEL + 2(%ebx)
	mov	%es, CPU_SEL + 4(%ebx)
	mov	%fs, CPU_SEL + 6(%ebx)
	mov	%gs, CPU_SEL + 8(%ebx)
	mov	%ss, CPU_SEL + 10(%ebx)
	str	CPU_SEL + 12(%ebx)
	sgdt	CPU_GDTR(%ebx)		/* 32-bit form: limit and a 32-bit base */
	movl	$32, CPU_ENTRY_MODE(%ebx)

	/* Copy the GDT entry each selector names, and the entry after it,
	 * when they lie within the GDT limit. Paging is off, so the GDT
	 * base is a physical address. */
	xor	%esi, %esi
1:	movzwl	CPU_SEL(%ebx,%esi,2), %eax
	test	$4, %al			/* TI: an LDT selector */
	jnz	2f
	and	$0xfff8, %eax		/* byte offset of the entry */
	movzwl	CPU_GDTR(%ebx), %edx
	sub	%eax, %edx		/* limit - offset: bytes left, minus 1 */
	jb	2f
	cmp	$7, %edx
	jb	2f
	mov	CPU_GDTR + 2(%ebx), %edi
	add	%eax, %edi
	mov	%esi, %ecx
	shl	$4, %ecx
	add	%ebx, %ecx		/* + CPU_DESC: this selector's 16 bytes */
	mov	(%edi), %eax
	mov	%eax, CPU_DESC(%ecx)
	mov	4(%edi), %eax
	mov	%eax, CPU_DESC + 4(%ecx)
	cmp	$15, %edx
	jb	2f
	mov	8(%edi), %eax
	mov	%eax, CPU_DESC + 8(%ecx)
	mov	12(%edi), %eax
	mov	%eax, CPU_DESC + 12(%ecx)
2:	inc	%esi
	cmp	$CPU_NSEG, %esi
	jb	1b

	/* Count the non-zero bytes in .bss: an ELF or a.out-kludge loader
	 * must have zeroed it. Then clear it ourselves. */
	lea	_off_bss(%ebp), %edi
	mov	$_bss_size, %ecx
	xor	%edx, %edx
3:	test	%ecx, %ecx
	jz	5f
	cmpb	$0, (%edi)
	je	4f
	test	%edx, %edx
	jnz	6f
	mov	%edi, %eax
	sub	%ebp, %eax
	sub	$_off_bss, %eax
	mov	%eax, CPU_BSS_FIRST(%ebx)
6:	inc	%edx
4:	inc	%edi
	dec	%ecx
	jmp	3b
5:	mov	%edx, CPU_BSS_DIRTY(%ebx)

	lea	_off_bss(%ebp), %edi
	mov	$_bss_size, %ecx
	xor	%eax, %eax
	rep stosb

	/* Identity map: PML4[0] -> PDPT, PDPT[i] -> PD i, 2 MiB pages. */
	lea	_off_page_tables(%ebp), %edi
	lea	0x1003(%edi), %eax	/* present, writable */
	mov	%eax, (%edi)
	lea	0x2003(%edi), %eax
	xor	%ecx, %ecx
7:	mov	%eax, 0x1000(%edi,%ecx,8)
	add	$0x1000, %eax
	inc	%ecx
	cmp	$PROBE_MAP_GIB, %ecx
	jb	7b
	xor	%ecx, %ecx		/* 2 MiB page number */
8:	mov	%ecx, %eax
	shl	$21, %eax
	or	$0x83, %eax		/* present, writable, 2 MiB page */
	mov	%eax, 0x2000(%edi,%ecx,8)
	mov	%ecx, %eax
	shr	$11, %eax		/* address bits 32 and up */
	mov	%eax, 0x2004(%edi,%ecx,8)
	inc	%ecx
	cmp	$PROBE_MAP_GIB * 512, %ecx
	jb	8b

	/* Long mode (Intel SDM 3A "Initializing IA-32e Mode"): PAE, CR3,
	 * EFER.LME, then PG. */
	mov	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	%edi, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	lea	_off_gdt(%ebp), %eax
	mov	%eax, _off_gdtr + 2(%ebp)
	lgdt	_off_gdtr(%ebp)
	mov	%cr0, %eax
	or	$(CR0_PG | CR0_PE), %eax
	mov	%eax, %cr0

	/* Far return into the 64-bit code segment. */
	lea	_off_stack_top(%ebp), %esp
	push	$PROBE_SEL_CODE64
	lea	_off_long64(%ebp), %eax
	push	%eax
	lret
