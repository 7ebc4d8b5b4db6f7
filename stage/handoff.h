/* SPDX-License-Identifier: MIT */
/*
 * Executing a boot plan: the point of no return.
 *
 * handoff() gathers everything the trampoline needs into one "safe" block
 * of pages that no chunk overwrites (the page allocator never hands out a
 * planned destination): the trampoline code itself, its GDT, page tables,
 * stack and chunk list. Sources that overlap any destination are first moved
 * into fresh pages, so the chunks can then be copied in any order, even over
 * the loader's own image. The trampoline switches to its own page tables
 * and GDT, copies, and enters the kernel in the plan's CPU mode.
 */
#ifndef PVHBOOT_STAGE_HANDOFF_H
#define PVHBOOT_STAGE_HANDOFF_H

/* Layout of struct handoff_params, shared with trampoline.S. */
#define HP_CR3 0
#define HP_STACK 8
#define HP_ENTRY 16
#define HP_NR_CHUNKS 24
#define HP_CHUNKS 32
#define HP_MODE 40
#define HP_EAX 44
#define HP_EBX 48
#define HP_ESI 52
#define HP_GDTR 56 /* u16 limit, u64 base */
#define HP_IDTR 66 /* u16 limit, u64 base: an empty IDT */

#define HC_DEST 0
#define HC_SRC 8
#define HC_LEN 16
#define HC_ZERO 24
#define HC_SIZE 32

/* GDT selectors of the trampoline and of the kernel entry. */
#define SEL_CODE64 0x08
#define SEL_KERNEL_CS 0x10 /* 32-bit code, or 64-bit for ENTRY_LONG64 */
#define SEL_KERNEL_DS 0x18
#define SEL_TSS 0x20

#define HANDOFF_MODE_PM32 0
#define HANDOFF_MODE_LONG64 1

#ifndef __ASSEMBLY__
#include "../loaders/plan.h"

/* Run the plan. Only returns if no safe memory can be found (-ENOMEM). */
int handoff(const struct boot_plan *plan);
#endif

#endif
