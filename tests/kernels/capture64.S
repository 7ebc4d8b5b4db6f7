/* SPDX-License-Identifier: MIT */
/*
 * The 64-bit half of the Linux probe's entry (boot.rst "64-bit Boot
 * Protocol"): the same record as capture32.S, taken in long mode through
 * the loader's page tables, then the probe's own identity map and GDT.
 *
 * Entered by jmp from startup_64 with the general registers and RFLAGS
 * saved and %rsp at head_stack_top. All addressing is RIP-relative.
 */
#include "cpu_state.h"

	.section .text.capture64, "ax"
	.code64
	.globl capture64
capture64:
	cld
	lea	cpu_capture(%rip), %rbx

	mov	%cr0, %rax
	mov	%rax, CPU_CR0(%rbx)
	mov	%cr3, %rax
	mov	%rax, CPU_CR3(%rbx)
	mov	%cr4, %rax
	mov	%rax, CPU_CR4(%rbx)
	mov	$MSR_EFER, %ecx
	rdmsr
	mov	%eax, CPU_EFER(%rbx)
	mov	%edx, CPU_EFER + 4(%rbx)

	mov	%cs, CPU_SEL + 0(%rbx)
	mov	%ds, CPU_SEL + 2(%rbx)
	mov	%es, CPU_SEL + 4(%rbx)
	mov	%fs, CPU_SEL + 6(%rbx)
	mov	%gs, CPU_SEL + 8(%rbx)
	mov	%ss, CPU_SEL + 10(%rbx)
	str	CPU_SEL + 12(%rbx)
	sgdt	CPU_GDTR(%rbx)		/* 64-bit form: limit and a 64-bit base */
	movl	$64, CPU_ENTRY_MODE(%rbx)

	/* The GDT entries the selectors name, read through the loader's
	 * mapping of its GDT (the CPU needs that mapping too). */
	xor	%esi, %esi
1:	movzwl	CPU_SEL(%rbx,%rsi,2), %eax
	test	$4, %al
	jnz	2f
	and	$0xfff8, %eax
	movzwl	CPU_GDTR(%rbx), %edx
	sub	%eax, %edx
	jb	2f
	cmp	$7, %edx
	jb	2f
	mov	CPU_GDTR + 2(%rbx), %rdi
	add	%rax, %rdi
	mov	%rsi, %rcx
	shl	$4, %rcx
	add	%rbx, %rcx
	mov	(%rdi), %rax
	mov	%rax, CPU_DESC(%rcx)
	cmp	$15, %edx
	jb	2f
	mov	8(%rdi), %rax
	mov	%rax, CPU_DESC + 8(%rcx)
2:	inc	%esi
	cmp	$CPU_NSEG, %esi
	jb	1b

	/* .bss: counted (a bzImage loader need not zero it), then cleared. */
	lea	_bss_start(%rip), %rdi
	lea	_bss_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%edx, %edx
3:	test	%rcx, %rcx
	jz	5f
	cmpb	$0, (%rdi)
	je	4f
	test	%edx, %edx
	jnz	6f
	lea	_bss_start(%rip), %rax
	neg	%rax
	add	%rdi, %rax
	mov	%eax, CPU_BSS_FIRST(%rbx)
6:	inc	%edx
4:	inc	%rdi
	dec	%rcx
	jmp	3b
5:	mov	%edx, CPU_BSS_DIRTY(%rbx)

	lea	_bss_start(%rip), %rdi
	lea	_bss_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb

	/* The same identity map as capture32.S builds. */
	lea	probe_page_tables(%rip), %rdi
	lea	0x1003(%rdi), %rax
	mov	%rax, (%rdi)
	lea	0x2003(%rdi), %rax
	xor	%ecx, %ecx
7:	mov	%rax, 0x1000(%rdi,%rcx,8)
	add	$0x1000, %rax
	inc	%ecx
	cmp	$PROBE_MAP_GIB, %ecx
	jb	7b
	xor	%ecx, %ecx
8:	mov	%rcx, %rax
	shl	$21, %rax
	or	$0x83, %rax
	mov	%rax, 0x2000(%rdi,%rcx,8)
	inc	%ecx
	cmp	$PROBE_MAP_GIB * 512, %ecx
	jb	8b

	/* Switch to it unless it would not cover the probe itself, or the
	 * loader runs 5-level paging (our 4-level tables would not fit). */
	mov	%cr4, %rax
	test	$CR4_LA57, %eax
	jnz	9f
	lea	_image_end(%rip), %rax
	movabs	$(PROBE_MAP_GIB << 30), %rcx
	cmp	%rcx, %rax
	ja	9f
	mov	%rdi, %cr3
9:	lea	probe_gdt(%rip), %rax
	mov	%rax, probe_gdtr + 2(%rip)
	lgdt	probe_gdtr(%rip)

	lea	probe_stack_top(%rip), %rsp
	pushq	$PROBE_SEL_CODE64
	lea	long64_entry(%rip), %rax
	push	%rax
	lretq
