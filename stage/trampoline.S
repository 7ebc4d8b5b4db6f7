/* SPDX-License-Identifier: MIT */
/*
 * The handoff trampoline. It is copied into a safe block below 4 GiB and
 * called there with %rdi = struct handoff_params (in the same block), so it
 * must be position independent and must not touch anything outside that
 * block except the chunk sources and destinations.
 *
 * Leaving long mode follows Intel SDM Vol. 3A "Switching Out of IA-32e
 * Mode": from identity-mapped code, far-return into a 32-bit code segment
 * (compatibility mode), clear CR0.PG (which clears EFER.LMA), clear
 * EFER.LME, then load the state the protocol asks for.
 */
#include "handoff.h"

	.section .text.trampoline, "ax"
	.code64
	.globl handoff_trampoline_start, handoff_trampoline_end
handoff_trampoline_start:
	cli
	cld
	mov	%rdi, %rbp
	lgdt	HP_GDTR(%rbp)
	/* An empty IDT: a fault from here on is a triple fault (a reset, or
	 * an exit under -no-reboot), never a jump through stale vectors. */
	lidt	HP_IDTR(%rbp)
	mov	HP_CR3(%rbp), %rax
	mov	%rax, %cr3
	mov	HP_STACK(%rbp), %rsp
	pushq	$SEL_CODE64
	lea	1f(%rip), %rax
	pushq	%rax
	lretq
1:	mov	$SEL_KERNEL_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs

	/* Copy every chunk, then zero its tail. Sources and destinations are
	 * disjoint (handoff() made them so), so the order does not matter. */
	mov	HP_NR_CHUNKS(%rbp), %r8
	mov	HP_CHUNKS(%rbp), %r9
2:	test	%r8, %r8
	jz	3f
	/* 64 bytes an iteration through registers, then the tail: under
	 * QEMU's TCG each iteration of a rep is a trip through the
	 * translated-block loop, and this copies 3.3 times as fast as
	 * `rep movsq` (core/string.c); on hardware both run at memory speed. */
	mov	HC_DEST(%r9), %rdi
	mov	HC_SRC(%r9), %rsi
	mov	HC_LEN(%r9), %rdx
	mov	%rdx, %rcx
	shr	$6, %rcx
	jz	6f
5:	mov	(%rsi), %rax
	mov	8(%rsi), %r10
	mov	16(%rsi), %r11
	mov	24(%rsi), %r12
	mov	%rax, (%rdi)
	mov	%r10, 8(%rdi)
	mov	%r11, 16(%rdi)
	mov	%r12, 24(%rdi)
	mov	32(%rsi), %rax
	mov	40(%rsi), %r10
	mov	48(%rsi), %r11
	mov	56(%rsi), %r12
	mov	%rax, 32(%rdi)
	mov	%r10, 40(%rdi)
	mov	%r11, 48(%rdi)
	mov	%r12, 56(%rdi)
	add	$64, %rsi
	add	$64, %rdi
	dec	%rcx
	jnz	5b
6:	mov	%rdx, %rcx
	and	$63, %rcx
	rep movsb
	mov	HC_ZERO(%r9), %rdx
	xor	%eax, %eax
	mov	%rdx, %rcx
	shr	$6, %rcx
	jz	8f
7:	mov	%rax, (%rdi)
	mov	%rax, 8(%rdi)
	mov	%rax, 16(%rdi)
	mov	%rax, 24(%rdi)
	mov	%rax, 32(%rdi)
	mov	%rax, 40(%rdi)
	mov	%rax, 48(%rdi)
	mov	%rax, 56(%rdi)
	add	$64, %rdi
	dec	%rcx
	jnz	7b
8:	mov	%rdx, %rcx
	and	$63, %rcx
	rep stosb
	add	$HC_SIZE, %r9
	dec	%r8
	jmp	2b

3:	cmpl	$HANDOFF_MODE_LONG64, HP_MODE(%rbp)
	jne	4f
	/* 64-bit entry: CS is a 64-bit segment in this plan's GDT. */
	pushq	$SEL_KERNEL_CS
	pushq	HP_ENTRY(%rbp)
	mov	HP_EAX(%rbp), %eax
	mov	HP_EBX(%rbp), %ebx
	mov	HP_ESI(%rbp), %esi
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%edi, %edi
	xor	%ebp, %ebp
	lretq

4:	/* Into compatibility mode on the 32-bit kernel code segment. */
	pushq	$SEL_KERNEL_CS
	lea	5f(%rip), %rax
	pushq	%rax
	lretq
	.code32
5:	mov	%cr0, %eax
	and	$0x7fffffff, %eax	/* CR0.PG off: the CPU leaves IA-32e mode */
	mov	%eax, %cr0
	mov	$0xc0000080, %ecx	/* EFER: LME off, and nothing else left on */
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr
	mov	%eax, %cr4		/* CR4 = 0 (PVH ABI) */
	mov	$0x11, %eax		/* CR0 = PE | ET */
	mov	%eax, %cr0
	mov	$SEL_KERNEL_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	/* A valid 32-bit TSS in TR (PVH ABI: base 0, limit 0x67). */
	mov	$SEL_TSS, %eax
	ltr	%ax
	pushl	HP_ENTRY(%ebp)
	mov	HP_EAX(%ebp), %eax
	mov	HP_EBX(%ebp), %ebx
	mov	HP_ESI(%ebp), %esi
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%edi, %edi
	xor	%ebp, %ebp
	ret
handoff_trampoline_end:

	.section .note.GNU-stack, "", @progbits
