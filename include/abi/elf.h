/* SPDX-License-Identifier: MIT */
/*
 * The parts of the ELF format (System V gABI) a loader reads: file, program
 * and section headers, and notes, for both ELF32 and ELF64.
 */
#ifndef PVHBOOT_ABI_ELF_H
#define PVHBOOT_ABI_ELF_H

#include "abi.h"

#define ELF_MAGIC 0x464c457fu /* "\x7fELF" read as a little-endian u32 */
#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_386 3
#define EM_X86_64 62

#define PT_NULL 0
#define PT_LOAD 1
#define PT_NOTE 4
#define SHT_NOTE 7

struct elf32_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint32_t e_entry;
	uint32_t e_phoff;
	uint32_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};
ABI_OFFSET(struct elf32_ehdr, e_entry, 24);
ABI_OFFSET(struct elf32_ehdr, e_phoff, 28);
ABI_OFFSET(struct elf32_ehdr, e_shoff, 32);
ABI_OFFSET(struct elf32_ehdr, e_phentsize, 42);
ABI_OFFSET(struct elf32_ehdr, e_phnum, 44);
ABI_OFFSET(struct elf32_ehdr, e_shentsize, 46);
ABI_OFFSET(struct elf32_ehdr, e_shnum, 48);
ABI_OFFSET(struct elf32_ehdr, e_shstrndx, 50);
ABI_SIZE(struct elf32_ehdr, 52);

struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};
ABI_OFFSET(struct elf64_ehdr, e_entry, 24);
ABI_OFFSET(struct elf64_ehdr, e_phoff, 32);
ABI_OFFSET(struct elf64_ehdr, e_shoff, 40);
ABI_OFFSET(struct elf64_ehdr, e_phentsize, 54);
ABI_OFFSET(struct elf64_ehdr, e_phnum, 56);
ABI_OFFSET(struct elf64_ehdr, e_shentsize, 58);
ABI_OFFSET(struct elf64_ehdr, e_shnum, 60);
ABI_OFFSET(struct elf64_ehdr, e_shstrndx, 62);
ABI_SIZE(struct elf64_ehdr, 64);

struct elf32_phdr {
	uint32_t p_type;
	uint32_t p_offset;
	uint32_t p_vaddr;
	uint32_t p_paddr;
	uint32_t p_filesz;
	uint32_t p_memsz;
	uint32_t p_flags;
	uint32_t p_align;
};
ABI_OFFSET(struct elf32_phdr, p_offset, 4);
ABI_OFFSET(struct elf32_phdr, p_paddr, 12);
ABI_OFFSET(struct elf32_phdr, p_filesz, 16);
ABI_OFFSET(struct elf32_phdr, p_memsz, 20);
ABI_OFFSET(struct elf32_phdr, p_align, 28);
ABI_SIZE(struct elf32_phdr, 32);

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};
ABI_OFFSET(struct elf64_phdr, p_offset, 8);
ABI_OFFSET(struct elf64_phdr, p_vaddr, 16);
ABI_OFFSET(struct elf64_phdr, p_paddr, 24);
ABI_OFFSET(struct elf64_phdr, p_filesz, 32);
ABI_OFFSET(struct elf64_phdr, p_memsz, 40);
ABI_OFFSET(struct elf64_phdr, p_align, 48);
ABI_SIZE(struct elf64_phdr, 56);

struct elf32_shdr {
	uint32_t sh_name;
	uint32_t sh_type;
	uint32_t sh_flags;
	uint32_t sh_addr;
	uint32_t sh_offset;
	uint32_t sh_size;
	uint32_t sh_link;
	uint32_t sh_info;
	uint32_t sh_addralign;
	uint32_t sh_entsize;
};
ABI_OFFSET(struct elf32_shdr, sh_type, 4);
ABI_OFFSET(struct elf32_shdr, sh_addr, 12);
ABI_OFFSET(struct elf32_shdr, sh_offset, 16);
ABI_OFFSET(struct elf32_shdr, sh_size, 20);
ABI_SIZE(struct elf32_shdr, 40);

struct elf64_shdr {
	uint32_t sh_name;
	uint32_t sh_type;
	uint64_t sh_flags;
	uint64_t sh_addr;
	uint64_t sh_offset;
	uint64_t sh_size;
	uint32_t sh_link;
	uint32_t sh_info;
	uint64_t sh_addralign;
	uint64_t sh_entsize;
};
ABI_OFFSET(struct elf64_shdr, sh_type, 4);
ABI_OFFSET(struct elf64_shdr, sh_addr, 16);
ABI_OFFSET(struct elf64_shdr, sh_offset, 24);
ABI_OFFSET(struct elf64_shdr, sh_size, 32);
ABI_SIZE(struct elf64_shdr, 64);

/* Note header, 12 bytes in both classes; name and desc padded to 4 bytes. */
struct elf_note {
	uint32_t n_namesz;
	uint32_t n_descsz;
	uint32_t n_type;
};
ABI_SIZE(struct elf_note, 12);

/* Xen ELF notes (xen/include/public/elfnote.h), name "Xen". */
#define XEN_ELFNOTE_GUEST_OS 6
#define XEN_ELFNOTE_LOADER 8
#define XEN_ELFNOTE_FEATURES 10
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define XEN_ELFNOTE_PHYS32_RELOC 19

/* xen/include/public/features.h */
#define XENFEAT_linux_rsdp_unrestricted 15

#endif
