/* SPDX-License-Identifier: MIT */
/*
 * The multiboot2 probe's EFI amd64 entry (mb2-efi.elf; Multiboot2
 * Specification 2.0 §3.5 "EFI amd64 machine state with boot services
 * enabled"): long mode on the firmware's page tables, GDT and stack,
 * EAX = the magic, EBX = the MBI, boot services alive.
 *
 * It saves the general registers and RFLAGS before anything changes them,
 * then proves the boot services are alive while they still are: it finds
 * the EFI64 system table tag in the MBI, checks the table's "IBI SYST"
 * signature and calls ConOut->OutputString (MS ABI: RCX = This, RDX = the
 * CHAR16 string, 32 bytes of shadow space, RSP 16-aligned at the call) on
 * the firmware's own stack, which UEFI promises is at least 128 KiB. How far
 * it got and the EFI_STATUS go to probe_efi_call for the checker. Then it
 * masks interrupts (the firmware's timer would otherwise find the probe's
 * GDT and IDT) and goes on like the Linux probe's 64-bit entry: capture64.S
 * records the control registers, selectors and GDT, the rest runs on the
 * probe's own tables. The checks of this state are in check_mb2.c.
 */
#include "../../include/abi/efi_systab.h"
#include "cpu_state.h"

#define MB2_TAG_END 0
#define MB2_TAG_EFI64 12
#define MB2_INFO_MAX 0x100000	/* as check_mb2.c: a sane total_size */
#define MB2_MAX_TAGS 4096

	.section .text.entry_efi64, "ax"
	.code64
	.globl probe_entry64_efi
probe_entry64_efi:
	mov	%rax, cpu_capture + CPU_RAX(%rip)
	mov	%rbx, cpu_capture + CPU_RBX(%rip)
	mov	%rcx, cpu_capture + CPU_RCX(%rip)
	mov	%rdx, cpu_capture + CPU_RDX(%rip)
	mov	%rsi, cpu_capture + CPU_RSI(%rip)
	mov	%rdi, cpu_capture + CPU_RDI(%rip)
	mov	%rbp, cpu_capture + CPU_RBP(%rip)
	mov	%rsp, cpu_capture + CPU_RSP(%rip)
	pushfq				/* the firmware's stack: valid and ours to use */
	popq	cpu_capture + CPU_RFLAGS(%rip)
	cld
	lea	probe_efi_call(%rip), %r12

	/* The MBI: non-zero, 8-aligned, below 4 GiB, a sane total_size. */
	movq	$PROBE_EFI_NO_MBI, EFI_CALL_STAGE(%r12)
	mov	%rbx, %rax
	test	%rax, %rax
	jz	.Ldone
	test	$7, %al
	jnz	.Ldone
	mov	%rax, %rdx
	shr	$32, %rdx
	jnz	.Ldone
	mov	(%rax), %r13d		/* total_size */
	cmp	$16, %r13d
	jb	.Ldone
	cmp	$MB2_INFO_MAX, %r13d
	ja	.Ldone

	/* Its tags, bounded by total_size and a count: the EFI64 one. */
	movq	$PROBE_EFI_NO_SYSTAB, EFI_CALL_STAGE(%r12)
	lea	(%rax,%r13), %r13	/* the MBI's end */
	lea	8(%rax), %rsi		/* the first tag */
	mov	$MB2_MAX_TAGS, %ecx
1:	lea	8(%rsi), %rdx
	cmp	%r13, %rdx
	ja	.Ldone			/* no room for a tag header */
	mov	(%rsi), %eax		/* type */
	mov	4(%rsi), %edx		/* size */
	cmp	$MB2_TAG_END, %eax
	je	.Ldone
	cmp	$8, %edx
	jb	.Ldone
	cmp	$MB2_TAG_EFI64, %eax
	jne	2f
	cmp	$16, %edx
	jb	.Ldone
	lea	16(%rsi), %rax
	cmp	%r13, %rax
	ja	.Ldone
	mov	8(%rsi), %rbx		/* the system table */
	jmp	3f
2:	add	$7, %rdx		/* the next tag, 8-aligned */
	and	$-8, %rdx
	add	%rdx, %rsi
	dec	%ecx
	jnz	1b
	jmp	.Ldone

	/* The table: its signature, then ConOut and OutputString. */
3:	mov	%rbx, EFI_CALL_SYSTAB(%r12)
	movq	$PROBE_EFI_BAD_SIGNATURE, EFI_CALL_STAGE(%r12)
	test	%rbx, %rbx
	jz	.Ldone
	movabs	$EFI_SYSTAB_SIGNATURE, %rax
	cmp	%rax, (%rbx)
	jne	.Ldone
	movq	$PROBE_EFI_NO_CONOUT, EFI_CALL_STAGE(%r12)
	mov	EFI_SYSTAB_CONOUT(%rbx), %rcx	/* This */
	test	%rcx, %rcx
	jz	.Ldone
	mov	EFI_TEXT_OUT_OUTPUT_STRING(%rcx), %rax
	test	%rax, %rax
	jz	.Ldone
	lea	probe_efi_marker(%rip), %rdx
	mov	%rsp, %rbp		/* callee-saved in the MS ABI */
	and	$-16, %rsp
	sub	$32, %rsp		/* shadow space */
	call	*%rax
	mov	%rbp, %rsp
	mov	%rax, EFI_CALL_STATUS(%r12)
	movq	$PROBE_EFI_CALLED, EFI_CALL_STAGE(%r12)

.Ldone:
	cli
	lea	head_stack_top(%rip), %rsp
	jmp	capture64
