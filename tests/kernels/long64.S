/* SPDX-License-Identifier: MIT */
/*
 * Long mode, the probe's own GDT and identity map: load the data segments
 * and the stack and call the protocol's probe_main(&cpu_capture). Also the
 * exception stubs, so that a fault inside the checker ends the run with a
 * FAIL report instead of a silent triple fault.
 */
#include "cpu_state.h"

	.section .text.long64, "ax"
	.code64
	.globl long64_entry
long64_entry:
	mov	$PROBE_SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	lea	probe_stack_top(%rip), %rsp
	lea	cpu_capture(%rip), %rdi
	call	probe_main
	mov	$1, %edi		/* probe_main does not return */
	call	probe_exit

	/* One 16-byte stub per vector 0-31, pushing a dummy error code
	 * where the CPU pushes none (Intel SDM 3A, "Exception and Interrupt
	 * Reference"), then the vector. */
	.balign 16
	.globl probe_isr_stubs
probe_isr_stubs:
	.irp	vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.balign 16
	.if !(\vec == 8 || (\vec >= 10 && \vec <= 14) || \vec == 17 || \vec == 21 || \vec == 29 || \vec == 30)
	pushq	$0
	.endif
	pushq	$\vec
	jmp	isr_common
	.endr

isr_common:
	mov	%rsp, %rdi		/* struct exc_frame */
	and	$-16, %rsp
	call	probe_exception
1:	cli
	hlt
	jmp	1b
