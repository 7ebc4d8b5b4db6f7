/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 Specification version 2.0: the OS image header and its tags
 * (§3.1), and the boot information (MBI2) the loader hands over (§3.6).
 * All fields are little-endian; header tags and MBI tags are 8-byte aligned.
 *
 * Header:   u32 magic, u32 architecture, u32 header_length, u32 checksum,
 *           then tags {u16 type, u16 flags, u32 size, ...}, the last one
 *           type 0 size 8. magic + architecture + header_length + checksum
 *           == 0 (mod 2^32).
 * MBI:      u32 total_size, u32 reserved, then tags {u32 type, u32 size, ...},
 *           the last one type 0 size 8.
 */
#ifndef PVHBOOT_ABI_MULTIBOOT2_H
#define PVHBOOT_ABI_MULTIBOOT2_H

#include "abi.h"

#define MB2_HEADER_MAGIC 0xe85250d6u
#define MB2_BOOT_MAGIC 0x36d76289u  /* in EAX at entry */
/*
 * The header lies wholly in the first 32768 bytes (spec §3.1.1,
 * MULTIBOOT_SEARCH in the spec's multiboot2.h and in GRUB). Issue 11 said
 * 64 KiB; the spec wins.
 */
#define MB2_SEARCH 32768u
#define MB2_HEADER_ALIGN 8u
#define MB2_TAG_ALIGN 8u
#define MB2_MOD_ALIGN 0x1000u
#define MB2_ARCH_I386 0u
#define MB2_ARCH_MIPS32 4u

/* Header tag types (§3.1.3 - §3.1.13). */
#define MB2_HTAG_END 0u
#define MB2_HTAG_INFO_REQUEST 1u
#define MB2_HTAG_ADDRESS 2u
#define MB2_HTAG_ENTRY 3u
#define MB2_HTAG_CONSOLE_FLAGS 4u
#define MB2_HTAG_FRAMEBUFFER 5u
#define MB2_HTAG_MODULE_ALIGN 6u
#define MB2_HTAG_EFI_BS 7u
#define MB2_HTAG_ENTRY_EFI32 8u
#define MB2_HTAG_ENTRY_EFI64 9u
#define MB2_HTAG_RELOCATABLE 10u
#define MB2_HTAG_MAX 10u

/* Header tag flags: bit 0 set means the loader may ignore the tag. */
#define MB2_HTAG_OPTIONAL 1u

/* Console flags tag. */
#define MB2_CONSOLE_REQUIRED 1u
#define MB2_CONSOLE_EGA_TEXT 2u

/* Relocatable header tag: where in [min, max] the image should go. */
#define MB2_LOAD_PREFERENCE_NONE 0u
#define MB2_LOAD_PREFERENCE_LOW 1u
#define MB2_LOAD_PREFERENCE_HIGH 2u

struct mb2_header {
	uint32_t magic;         /* 0 */
	uint32_t architecture;  /* 4: 0 = i386 protected mode */
	uint32_t header_length; /* 8: including every tag */
	uint32_t checksum;      /* 12 */
};
ABI_OFFSET(struct mb2_header, architecture, 4);
ABI_OFFSET(struct mb2_header, header_length, 8);
ABI_OFFSET(struct mb2_header, checksum, 12);
ABI_SIZE(struct mb2_header, 16);

struct mb2_header_tag {
	uint16_t type;  /* 0 */
	uint16_t flags; /* 2 */
	uint32_t size;  /* 4: including these 8 bytes, not the padding */
};
ABI_OFFSET(struct mb2_header_tag, flags, 2);
ABI_OFFSET(struct mb2_header_tag, size, 4);
ABI_SIZE(struct mb2_header_tag, 8);

/* Type 2: load the file from the header's address fields, not its ELF headers. */
struct mb2_header_tag_address {
	struct mb2_header_tag tag;
	uint32_t header_addr;   /* 8: where the header itself lands */
	uint32_t load_addr;     /* 12: 0xffffffff: the file from its first byte */
	uint32_t load_end_addr; /* 16: 0: to the end of the file */
	uint32_t bss_end_addr;  /* 20: 0: no bss */
};
ABI_OFFSET(struct mb2_header_tag_address, header_addr, 8);
ABI_OFFSET(struct mb2_header_tag_address, load_addr, 12);
ABI_OFFSET(struct mb2_header_tag_address, load_end_addr, 16);
ABI_OFFSET(struct mb2_header_tag_address, bss_end_addr, 20);
ABI_SIZE(struct mb2_header_tag_address, 24);

/* Types 3, 8, 9: the i386, EFI i386 and EFI amd64 entry points. */
struct mb2_header_tag_entry {
	struct mb2_header_tag tag;
	uint32_t entry_addr; /* 8 */
};
ABI_OFFSET(struct mb2_header_tag_entry, entry_addr, 8);
ABI_SIZE(struct mb2_header_tag_entry, 12);

/* Type 4. */
struct mb2_header_tag_console {
	struct mb2_header_tag tag;
	uint32_t console_flags; /* 8 */
};
ABI_OFFSET(struct mb2_header_tag_console, console_flags, 8);
ABI_SIZE(struct mb2_header_tag_console, 12);

/* Type 5: the preferred mode; 0 means "no preference". */
struct mb2_header_tag_framebuffer {
	struct mb2_header_tag tag;
	uint32_t width;  /* 8 */
	uint32_t height; /* 12 */
	uint32_t depth;  /* 16 */
};
ABI_OFFSET(struct mb2_header_tag_framebuffer, width, 8);
ABI_OFFSET(struct mb2_header_tag_framebuffer, height, 12);
ABI_OFFSET(struct mb2_header_tag_framebuffer, depth, 16);
ABI_SIZE(struct mb2_header_tag_framebuffer, 20);

/* Type 10. */
struct mb2_header_tag_relocatable {
	struct mb2_header_tag tag;
	uint32_t min_addr;   /* 8: lowest load address */
	uint32_t max_addr;   /* 12: highest address the image may end at */
	uint32_t align;      /* 16 */
	uint32_t preference; /* 20: MB2_LOAD_PREFERENCE_* */
};
ABI_OFFSET(struct mb2_header_tag_relocatable, min_addr, 8);
ABI_OFFSET(struct mb2_header_tag_relocatable, max_addr, 12);
ABI_OFFSET(struct mb2_header_tag_relocatable, align, 16);
ABI_OFFSET(struct mb2_header_tag_relocatable, preference, 20);
ABI_SIZE(struct mb2_header_tag_relocatable, 24);

/* MBI tag types (§3.6.3 - §3.6.18). */
#define MB2_TAG_END 0u
#define MB2_TAG_CMDLINE 1u
#define MB2_TAG_BOOT_LOADER_NAME 2u
#define MB2_TAG_MODULE 3u
#define MB2_TAG_BASIC_MEMINFO 4u
#define MB2_TAG_BOOTDEV 5u
#define MB2_TAG_MMAP 6u
#define MB2_TAG_VBE 7u
#define MB2_TAG_FRAMEBUFFER 8u
#define MB2_TAG_ELF_SECTIONS 9u
#define MB2_TAG_APM 10u
#define MB2_TAG_EFI32 11u
#define MB2_TAG_EFI64 12u
#define MB2_TAG_SMBIOS 13u
#define MB2_TAG_ACPI_OLD 14u
#define MB2_TAG_ACPI_NEW 15u
#define MB2_TAG_NETWORK 16u
#define MB2_TAG_EFI_MMAP 17u
#define MB2_TAG_EFI_BS 18u
#define MB2_TAG_EFI32_IH 19u
#define MB2_TAG_EFI64_IH 20u
#define MB2_TAG_LOAD_BASE_ADDR 21u
#define MB2_TAG_MAX 21u

/* The MBI starts with this fixed part, then the tags. */
struct mb2_info_header {
	uint32_t total_size; /* 0: including this header and the end tag */
	uint32_t reserved;   /* 4: 0 */
};
ABI_OFFSET(struct mb2_info_header, reserved, 4);
ABI_SIZE(struct mb2_info_header, 8);

struct mb2_tag {
	uint32_t type; /* 0 */
	uint32_t size; /* 4: including these 8 bytes, not the padding */
};
ABI_OFFSET(struct mb2_tag, size, 4);
ABI_SIZE(struct mb2_tag, 8);

/* Types 1 and 2: a NUL-terminated UTF-8 string follows. */
struct mb2_tag_string {
	struct mb2_tag tag;
	char string[];
};
ABI_OFFSET(struct mb2_tag_string, string, 8);

/* Type 3: bytes [mod_start, mod_end), then the module's command line. */
struct mb2_tag_module {
	struct mb2_tag tag;
	uint32_t mod_start; /* 8 */
	uint32_t mod_end;   /* 12 */
	char cmdline[];     /* 16 */
};
ABI_OFFSET(struct mb2_tag_module, mod_start, 8);
ABI_OFFSET(struct mb2_tag_module, mod_end, 12);
ABI_OFFSET(struct mb2_tag_module, cmdline, 16);

/* Type 4: KiB below 640 KiB and from 1 MiB to the first hole. */
struct mb2_tag_basic_meminfo {
	struct mb2_tag tag;
	uint32_t mem_lower; /* 8 */
	uint32_t mem_upper; /* 12 */
};
ABI_OFFSET(struct mb2_tag_basic_meminfo, mem_lower, 8);
ABI_OFFSET(struct mb2_tag_basic_meminfo, mem_upper, 12);
ABI_SIZE(struct mb2_tag_basic_meminfo, 16);

/* Type 6: entries of entry_size bytes follow (version 0: 24 bytes). */
#define MB2_MMAP_ENTRY_VERSION 0u
#define MB2_MEMORY_AVAILABLE 1u
#define MB2_MEMORY_RESERVED 2u
#define MB2_MEMORY_ACPI_RECLAIMABLE 3u
#define MB2_MEMORY_NVS 4u
#define MB2_MEMORY_BADRAM 5u

struct mb2_mmap_entry {
	uint64_t addr; /* 0 */
	uint64_t len;  /* 8 */
	uint32_t type; /* 16 */
	uint32_t zero; /* 20: reserved, 0 */
};
ABI_OFFSET(struct mb2_mmap_entry, len, 8);
ABI_OFFSET(struct mb2_mmap_entry, type, 16);
ABI_OFFSET(struct mb2_mmap_entry, zero, 20);
ABI_SIZE(struct mb2_mmap_entry, 24);

struct mb2_tag_mmap {
	struct mb2_tag tag;
	uint32_t entry_size;    /* 8 */
	uint32_t entry_version; /* 12 */
	struct mb2_mmap_entry entries[];
};
ABI_OFFSET(struct mb2_tag_mmap, entry_size, 8);
ABI_OFFSET(struct mb2_tag_mmap, entry_version, 12);
ABI_OFFSET(struct mb2_tag_mmap, entries, 16);

/* Type 8: the common part, then (RGB) six bytes of field positions/sizes. */
#define MB2_FRAMEBUFFER_TYPE_INDEXED 0u
#define MB2_FRAMEBUFFER_TYPE_RGB 1u
#define MB2_FRAMEBUFFER_TYPE_EGA_TEXT 2u

struct mb2_tag_framebuffer {
	struct mb2_tag tag;
	uint64_t addr;     /* 8 */
	uint32_t pitch;    /* 16 */
	uint32_t width;    /* 20 */
	uint32_t height;   /* 24 */
	uint8_t bpp;       /* 28 */
	uint8_t fb_type;   /* 29 */
	uint16_t reserved; /* 30 */
	/* RGB: red pos, red size, green pos, green size, blue pos, blue size */
	uint8_t color_info[6]; /* 32 */
} ABI_PACKED;
ABI_OFFSET(struct mb2_tag_framebuffer, addr, 8);
ABI_OFFSET(struct mb2_tag_framebuffer, pitch, 16);
ABI_OFFSET(struct mb2_tag_framebuffer, width, 20);
ABI_OFFSET(struct mb2_tag_framebuffer, height, 24);
ABI_OFFSET(struct mb2_tag_framebuffer, bpp, 28);
ABI_OFFSET(struct mb2_tag_framebuffer, fb_type, 29);
ABI_OFFSET(struct mb2_tag_framebuffer, reserved, 30);
ABI_OFFSET(struct mb2_tag_framebuffer, color_info, 32);
ABI_SIZE(struct mb2_tag_framebuffer, 38);

/*
 * Type 9: the ELF section header table (num entries of entsize bytes,
 * shndx the string table's index), u32 each as GRUB's multiboot2.h
 * declares them and GRUB writes them.
 */
struct mb2_tag_elf_sections {
	struct mb2_tag tag;
	uint32_t num;     /* 8 */
	uint32_t entsize; /* 12 */
	uint32_t shndx;   /* 16 */
	uint8_t sections[];
};
ABI_OFFSET(struct mb2_tag_elf_sections, num, 8);
ABI_OFFSET(struct mb2_tag_elf_sections, entsize, 12);
ABI_OFFSET(struct mb2_tag_elf_sections, shndx, 16);
ABI_OFFSET(struct mb2_tag_elf_sections, sections, 20);

/* Types 14 and 15: a copy of the RSDP (v1: 20 bytes; v2: its `length`). */
struct mb2_tag_acpi {
	struct mb2_tag tag;
	uint8_t rsdp[];
};
ABI_OFFSET(struct mb2_tag_acpi, rsdp, 8);

/* Type 21: where a relocatable image was loaded. */
struct mb2_tag_load_base_addr {
	struct mb2_tag tag;
	uint32_t load_base_addr; /* 8 */
};
ABI_OFFSET(struct mb2_tag_load_base_addr, load_base_addr, 8);
ABI_SIZE(struct mb2_tag_load_base_addr, 12);

#endif
