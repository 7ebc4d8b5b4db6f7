/* SPDX-License-Identifier: MIT */
/*
 * The 32-bit entry of the probes linked at a fixed address (PVH and
 * multiboot1): no stack is promised, so the general registers go straight
 * to absolute addresses, and EFLAGS is taken before any instruction that
 * could change it. capture32.S does the rest.
 */
#include "cpu_state.h"

	.section .head.entry, "awx"
	.code32
	.globl probe_entry32
probe_entry32:
	mov	%eax, cpu_capture + CPU_RAX
	mov	%ebx, cpu_capture + CPU_RBX
	mov	%ecx, cpu_capture + CPU_RCX
	mov	%edx, cpu_capture + CPU_RDX
	mov	%esi, cpu_capture + CPU_RSI
	mov	%edi, cpu_capture + CPU_RDI
	mov	%ebp, cpu_capture + CPU_RBP
	mov	%esp, cpu_capture + CPU_RSP
	mov	$head_stack_top, %esp
	pushf
	popl	cpu_capture + CPU_RFLAGS
	mov	$cpu_capture, %ebx
	mov	$_image_start, %ebp
	jmp	capture32
