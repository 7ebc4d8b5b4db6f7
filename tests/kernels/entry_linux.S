/* SPDX-License-Identifier: MIT */
/*
 * The Linux probe's protected-mode entries, at the start of the loaded
 * image (boot.rst): startup_32 at +0 (code32_start) and startup_64 at
 * +0x200 (XLF_KERNEL_64). The image may be loaded at any 2 MiB boundary,
 * so nothing here uses an absolute address.
 */
#include "cpu_state.h"

/* boot_params.scratch (zero-page.rst offset 0x1e4): 4 bytes a kernel may use
 * as a stack for the call that finds its own address. */
#define BP_SCRATCH 0x1e4

	.section .head.entry, "awx"
	.code32
	.globl startup_32
startup_32:
	/* None of these instructions changes EFLAGS or a register other than
	 * %esp (not promised by the protocol) and %ebx (parked in scratch). */
	lea	BP_SCRATCH + 4(%esi), %esp
	call	1f
1:	xchg	%ebx, (%esp)		/* %ebx = runtime 1b; entry %ebx in scratch */
	lea	startup_32 - 1b(%ebx), %ebx	/* the image start */
	mov	%eax, _off_cpu_capture + CPU_RAX(%ebx)
	mov	%ecx, _off_cpu_capture + CPU_RCX(%ebx)
	mov	%edx, _off_cpu_capture + CPU_RDX(%ebx)
	mov	%esi, _off_cpu_capture + CPU_RSI(%ebx)
	mov	%edi, _off_cpu_capture + CPU_RDI(%ebx)
	mov	%ebp, _off_cpu_capture + CPU_RBP(%ebx)
	mov	(%esp), %eax
	mov	%eax, _off_cpu_capture + CPU_RBX(%ebx)
	lea	_off_head_stack_top(%ebx), %esp
	pushf
	popl	_off_cpu_capture + CPU_RFLAGS(%ebx)
	mov	%ebx, %ebp
	lea	_off_cpu_capture(%ebp), %ebx
	jmp	capture32

	.org	0x200
	.code64
	.globl startup_64
startup_64:
	mov	%rax, cpu_capture + CPU_RAX(%rip)
	mov	%rbx, cpu_capture + CPU_RBX(%rip)
	mov	%rcx, cpu_capture + CPU_RCX(%rip)
	mov	%rdx, cpu_capture + CPU_RDX(%rip)
	mov	%rsi, cpu_capture + CPU_RSI(%rip)
	mov	%rdi, cpu_capture + CPU_RDI(%rip)
	mov	%rbp, cpu_capture + CPU_RBP(%rip)
	mov	%rsp, cpu_capture + CPU_RSP(%rip)
	lea	head_stack_top(%rip), %rsp
	pushfq
	popq	cpu_capture + CPU_RFLAGS(%rip)
	jmp	capture64
