/* SPDX-License-Identifier: MIT */
/*
 * The CPU state a probe kernel records at entry, before it changes anything.
 *
 * The entry assembly (capture32.S, capture64.S) fills a struct cpu_state at
 * the byte offsets below; the checkers only ever read this struct, so a host
 * unit test can hand them any state it likes. Segment descriptors are copied
 * out of the GDT at entry too, because the probe builds its own GDT and page
 * tables afterwards and the loader's tables may be gone by the time C runs.
 *
 * This header is included by assembly (__ASSEMBLY__) and by C.
 */
#ifndef PVHBOOT_TESTS_KERNELS_CPU_STATE_H
#define PVHBOOT_TESTS_KERNELS_CPU_STATE_H

#define CPU_RAX 0x00
#define CPU_RBX 0x08
#define CPU_RCX 0x10
#define CPU_RDX 0x18
#define CPU_RSI 0x20
#define CPU_RDI 0x28
#define CPU_RBP 0x30
#define CPU_RSP 0x38
#define CPU_RFLAGS 0x40
#define CPU_CR0 0x48
#define CPU_CR3 0x50
#define CPU_CR4 0x58
#define CPU_EFER 0x60
#define CPU_GDTR 0x68       /* as sgdt stores it: u16 limit, then the base */
#define CPU_SEL 0x78        /* u16 selectors, in enum cpu_seg order */
#define CPU_DESC 0x88       /* 16 bytes per selector: the GDT entry and the next */
#define CPU_ENTRY_MODE 0xf8 /* 32 or 64: which entry point ran */
#define CPU_BSS_DIRTY 0xfc  /* non-zero bytes found in .bss at entry */
#define CPU_BSS_FIRST 0x100 /* offset of the first one inside .bss */
#define CPU_STATE_SIZE 0x108

#define CPU_NSEG 7 /* cs ds es fs gs ss tr */

/* Architectural constants the entry code and the checks share (Intel SDM 3A). */
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_LMA (1 << 10)
#define CR0_PE (1 << 0)
#define CR0_ET (1 << 4)
#define CR0_PG 0x80000000
#define CR4_PAE (1 << 5)
#define CR4_LA57 (1 << 12)
#define EFLAGS_TF (1 << 8)
#define EFLAGS_IF (1 << 9)
#define EFLAGS_DF (1 << 10)
#define EFLAGS_VM (1 << 17)

/*
 * The probe's own identity map, built after the capture: 2 MiB pages (no
 * 1 GiB pages: QEMU's default CPU lacks them) over the first PROBE_MAP_GIB
 * GiB. Everything a loader hands over must lie below this to be checked.
 */
#define PROBE_MAP_GIB 64

/*
 * What the multiboot2 probe's EFI amd64 entry (entry_mb2_efi64.S) did with
 * boot services before the capture, for the checker: struct
 * probe_efi_call, kept in .data (the capture clears .bss).
 */
#define EFI_CALL_STAGE 0x00  /* PROBE_EFI_*: how far the stub got */
#define EFI_CALL_SYSTAB 0x08 /* the system table it found in the MBI */
#define EFI_CALL_STATUS 0x10 /* OutputString's EFI_STATUS */
#define EFI_CALL_SIZE 0x18
#define PROBE_EFI_NONE 0        /* not entered at the EFI amd64 entry */
#define PROBE_EFI_NO_MBI 1      /* EBX 0, not 8-aligned or above 4 GiB */
#define PROBE_EFI_NO_SYSTAB 2   /* no EFI64 system table tag in the MBI */
#define PROBE_EFI_BAD_SIGNATURE 3 /* the table is not "IBI SYST" */
#define PROBE_EFI_NO_CONOUT 4   /* ConOut or its OutputString is NULL */
#define PROBE_EFI_CALLED 5      /* OutputString returned EFI_CALL_STATUS */

/* The probe's own GDT, loaded once the state is captured. */
#define PROBE_SEL_CODE64 0x08
#define PROBE_SEL_DATA 0x10

#ifndef __ASSEMBLY__
#include <stdint.h>
#include "../../include/abi/abi.h"

enum cpu_seg { SEG_CS, SEG_DS, SEG_ES, SEG_FS, SEG_GS, SEG_SS, SEG_TR };

struct cpu_state {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t rflags, cr0, cr3, cr4, efer;
	uint16_t gdt_limit;
	uint64_t gdt_base; /* only the low 32 bits are written by a 32-bit sgdt */
	uint8_t _pad0[6];
	uint16_t sel[CPU_NSEG];
	uint8_t _pad1[2];
	/* desc[i][0] is the GDT entry sel[i] selects, desc[i][1] the one after
	 * it (the upper half of a 64-bit system descriptor). Zero when the
	 * selector lies outside the GDT limit or in the LDT. */
	uint64_t desc[CPU_NSEG][2];
	uint32_t entry_mode;
	uint32_t bss_dirty;
	uint32_t bss_first_dirty;
	uint8_t _pad2[4];
} ABI_PACKED;
ABI_OFFSET(struct cpu_state, rax, CPU_RAX);
ABI_OFFSET(struct cpu_state, rbx, CPU_RBX);
ABI_OFFSET(struct cpu_state, rcx, CPU_RCX);
ABI_OFFSET(struct cpu_state, rdx, CPU_RDX);
ABI_OFFSET(struct cpu_state, rsi, CPU_RSI);
ABI_OFFSET(struct cpu_state, rdi, CPU_RDI);
ABI_OFFSET(struct cpu_state, rbp, CPU_RBP);
ABI_OFFSET(struct cpu_state, rsp, CPU_RSP);
ABI_OFFSET(struct cpu_state, rflags, CPU_RFLAGS);
ABI_OFFSET(struct cpu_state, cr0, CPU_CR0);
ABI_OFFSET(struct cpu_state, cr3, CPU_CR3);
ABI_OFFSET(struct cpu_state, cr4, CPU_CR4);
ABI_OFFSET(struct cpu_state, efer, CPU_EFER);
ABI_OFFSET(struct cpu_state, gdt_limit, CPU_GDTR);
ABI_OFFSET(struct cpu_state, gdt_base, CPU_GDTR + 2);
ABI_OFFSET(struct cpu_state, sel, CPU_SEL);
ABI_OFFSET(struct cpu_state, desc, CPU_DESC);
ABI_OFFSET(struct cpu_state, entry_mode, CPU_ENTRY_MODE);
ABI_OFFSET(struct cpu_state, bss_dirty, CPU_BSS_DIRTY);
ABI_OFFSET(struct cpu_state, bss_first_dirty, CPU_BSS_FIRST);
ABI_SIZE(struct cpu_state, CPU_STATE_SIZE);

struct probe_efi_call {
	uint64_t stage;
	uint64_t systab;
	uint64_t status;
};
ABI_OFFSET(struct probe_efi_call, stage, EFI_CALL_STAGE);
ABI_OFFSET(struct probe_efi_call, systab, EFI_CALL_SYSTAB);
ABI_OFFSET(struct probe_efi_call, status, EFI_CALL_STATUS);
ABI_SIZE(struct probe_efi_call, EFI_CALL_SIZE);
#endif

#endif
