/* SPDX-License-Identifier: MIT */
/*
 * PE/COFF images as UEFI loads them (Microsoft PE Format specification,
 * "MS-DOS Stub", "COFF File Header", "Optional Header (Image Only)",
 * "Section Table"; UEFI 2.10 §2.1.1). Only PE32+ for x86-64 is read.
 *
 *   0x00  MZ header; e_lfanew at 0x3c points to the PE signature
 *   lfanew+0    "PE\0\0"
 *   lfanew+4    COFF header (20 bytes)
 *   lfanew+24   optional header (SizeOfOptionalHeader bytes), data
 *               directories at its end
 *   then        the section table, NumberOfSections entries of 40 bytes
 *
 * All fields are little-endian.
 */
#ifndef PVHBOOT_ABI_PE_H
#define PVHBOOT_ABI_PE_H

#include "abi.h"

#define PE_DOS_MAGIC 0x5a4du        /* "MZ" */
#define PE_LFANEW_OFFSET 0x3cu
#define PE_SIGNATURE 0x00004550u    /* "PE\0\0" */
#define PE_MACHINE_X86_64 0x8664u
#define PE_OPT_MAGIC_PE32PLUS 0x20bu
#define PE_SUBSYSTEM_EFI_APPLICATION 10u
#define PE_SUBSYSTEM_EFI_BOOT_DRIVER 11u
#define PE_SUBSYSTEM_EFI_RUNTIME_DRIVER 12u
/* Data directory 4, the attribute certificate table (a file offset). */
#define PE_DIR_SECURITY 4u
/* Data directory 5, base relocations; the last one read here. */
#define PE_DIR_BASERELOC 5u

struct pe_coff_header {
	uint32_t signature;            /* 0: "PE\0\0" */
	uint16_t machine;              /* 4 */
	uint16_t nr_sections;          /* 6 */
	uint32_t time_date_stamp;      /* 8 */
	uint32_t symtab_offset;        /* 12 */
	uint32_t nr_symbols;           /* 16 */
	uint16_t opt_header_size;      /* 20 */
	uint16_t characteristics;      /* 22 */
} ABI_PACKED;
ABI_OFFSET(struct pe_coff_header, machine, 4);
ABI_OFFSET(struct pe_coff_header, nr_sections, 6);
ABI_OFFSET(struct pe_coff_header, opt_header_size, 20);
ABI_SIZE(struct pe_coff_header, 24);

struct pe_data_dir {
	uint32_t addr;                 /* RVA; a file offset for the security directory */
	uint32_t size;
} ABI_PACKED;
ABI_SIZE(struct pe_data_dir, 8);

/* The PE32+ optional header up to the data directories. */
struct pe_opt_header64 {
	uint16_t magic;                /* 0: 0x20b */
	uint8_t linker_major, linker_minor;
	uint32_t size_of_code;         /* 4 */
	uint32_t size_of_init_data;    /* 8 */
	uint32_t size_of_uninit_data;  /* 12 */
	uint32_t entry_point;          /* 16: RVA */
	uint32_t base_of_code;         /* 20 */
	uint64_t image_base;           /* 24 */
	uint32_t section_alignment;    /* 32 */
	uint32_t file_alignment;       /* 36 */
	uint8_t _pad40[16];            /* 40: OS, image and subsystem versions, Win32VersionValue */
	uint32_t size_of_image;        /* 56 */
	uint32_t size_of_headers;      /* 60 */
	uint32_t checksum;             /* 64 */
	uint16_t subsystem;            /* 68 */
	uint16_t dll_characteristics;  /* 70 */
	uint8_t _pad72[32];            /* 72: stack and heap reserve and commit */
	uint32_t loader_flags;         /* 104 */
	uint32_t nr_data_dirs;         /* 108 */
	struct pe_data_dir dirs[];     /* 112 */
} ABI_PACKED;
ABI_OFFSET(struct pe_opt_header64, entry_point, 16);
ABI_OFFSET(struct pe_opt_header64, image_base, 24);
ABI_OFFSET(struct pe_opt_header64, section_alignment, 32);
ABI_OFFSET(struct pe_opt_header64, size_of_image, 56);
ABI_OFFSET(struct pe_opt_header64, size_of_headers, 60);
ABI_OFFSET(struct pe_opt_header64, subsystem, 68);
ABI_OFFSET(struct pe_opt_header64, nr_data_dirs, 108);
ABI_OFFSET(struct pe_opt_header64, dirs, 112);
ABI_SIZE(struct pe_opt_header64, 112);

struct pe_section_header {
	char name[8];                  /* 0: NUL-padded, not terminated when 8 long */
	uint32_t virtual_size;         /* 8 */
	uint32_t virtual_address;      /* 12: RVA */
	uint32_t raw_size;             /* 16: SizeOfRawData */
	uint32_t raw_offset;           /* 20: PointerToRawData */
	uint32_t reloc_offset;         /* 24 */
	uint32_t linenum_offset;       /* 28 */
	uint16_t nr_relocs;            /* 32 */
	uint16_t nr_linenums;          /* 34 */
	uint32_t characteristics;      /* 36 */
} ABI_PACKED;
ABI_OFFSET(struct pe_section_header, virtual_size, 8);
ABI_OFFSET(struct pe_section_header, virtual_address, 12);
ABI_OFFSET(struct pe_section_header, raw_size, 16);
ABI_OFFSET(struct pe_section_header, raw_offset, 20);
ABI_SIZE(struct pe_section_header, 40);

#endif
