/* SPDX-License-Identifier: MIT */
/*
 * The few fields of the UEFI system table (UEFI 2.10 §4.3) and of the
 * Simple Text Output protocol (§12.4) that a kernel entered with boot
 * services reaches without gnu-efi: the multiboot2 probe's EFI amd64 entry
 * (tests/kernels/entry_mb2_efi64.S) prints through ConOut->OutputString,
 * and its checker reads the table's signature. x64 layout: pointers are
 * 8 bytes, natural alignment.
 *
 * Included by assembly (__ASSEMBLY__) for the offsets, and by C.
 */
#ifndef PVHBOOT_ABI_EFI_SYSTAB_H
#define PVHBOOT_ABI_EFI_SYSTAB_H

/* "IBI SYST", EFI_SYSTEM_TABLE_SIGNATURE, as a little-endian u64. */
#define EFI_SYSTAB_SIGNATURE 0x5453595320494249
#define EFI_SYSTAB_CONOUT 64       /* EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL *ConOut */
#define EFI_TEXT_OUT_OUTPUT_STRING 8 /* EFI_TEXT_STRING OutputString */
#define EFI_STATUS_SUCCESS 0

#ifndef __ASSEMBLY__
#include "abi.h"

struct efi_table_header {
	uint64_t signature;   /* 0 */
	uint32_t revision;    /* 8 */
	uint32_t header_size; /* 12 */
	uint32_t crc32;       /* 16 */
	uint32_t reserved;    /* 20 */
};
ABI_OFFSET(struct efi_table_header, revision, 8);
ABI_OFFSET(struct efi_table_header, header_size, 12);
ABI_SIZE(struct efi_table_header, 24);

struct efi_system_table64 {
	struct efi_table_header hdr;   /* 0 */
	uint64_t firmware_vendor;      /* 24: CHAR16 * */
	uint32_t firmware_revision;    /* 32 */
	uint32_t _pad;                 /* 36 */
	uint64_t console_in_handle;    /* 40 */
	uint64_t con_in;               /* 48 */
	uint64_t console_out_handle;   /* 56 */
	uint64_t con_out;              /* 64 */
};
ABI_OFFSET(struct efi_system_table64, hdr.signature, 0);
ABI_OFFSET(struct efi_system_table64, firmware_vendor, 24);
ABI_OFFSET(struct efi_system_table64, firmware_revision, 32);
ABI_OFFSET(struct efi_system_table64, con_out, EFI_SYSTAB_CONOUT);

struct efi_text_output64 {
	uint64_t reset;         /* 0 */
	uint64_t output_string; /* 8: EFI_STATUS (*)(This, CHAR16 *), MS ABI */
};
ABI_OFFSET(struct efi_text_output64, output_string, EFI_TEXT_OUT_OUTPUT_STRING);
#endif

#endif
