/* SPDX-License-Identifier: MIT */
/*
 * Executing a boot plan, in two phases around the point of no return.
 *
 * handoff_prepare() does everything that can fail, while the loader can
 * still go back to its menu: it gathers what the trampoline needs into one
 * "safe" block of pages that no chunk overwrites (the page allocator never
 * hands out a planned destination): the trampoline code itself, its GDT,
 * page tables, stack and chunk list; and it moves sources that overlap any
 * destination into fresh pages, so the chunks can then be copied in any
 * order, even over the loader's own image. All of it is owned by the plan.
 *
 * Then the platform leaves (devices quiesced, boot services exited) and
 * handoff_commit(), which cannot fail, switches to the trampoline: its own
 * page tables and GDT, the copies, and the kernel's entry in the plan's CPU
 * mode.
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

/* A prepared handoff: nothing left that can fail. */
struct handoff_ready {
	void *trampoline;                 /* the safe block's code page */
	struct handoff_params *params;
	/* The plan's needs, with pointers into moved sources followed. */
	struct plan_needs needs;
	enum kernel_format format;
	enum entry_mode mode;
	uint64_t entry;
	unsigned nr_chunks;
};

/*
 * handoff_prepare() - everything fallible of the handoff, before the point
 * of no return. Returns 0, or -ENOMEM (logged); the pages it took belong to
 * @plan either way and go back with plan_release().
 */
int handoff_prepare(struct boot_plan *plan, struct handoff_ready *ready);

/* handoff_commit() - copy the chunks and enter the kernel. Cannot fail. */
_Noreturn void handoff_commit(const struct handoff_ready *ready);

/*
 * handoff_commit_firmware() - for ENTRY_EFI64: copy the chunks from here,
 * on the firmware's page tables (every destination is free memory, every
 * source set apart), and jump to the 64-bit entry with eax and ebx set.
 * Interrupts, GDT and IDT stay the firmware's. Cannot fail.
 */
_Noreturn void handoff_commit_firmware(const struct handoff_ready *ready);
#endif

#endif
