/* SPDX-License-Identifier: MIT */
/*
 * Multiboot specification 0.6.96: the OS image header, multiboot_info and
 * the entries it points to. All fields are little-endian u32 unless noted.
 */
#ifndef PVHBOOT_ABI_MULTIBOOT1_H
#define PVHBOOT_ABI_MULTIBOOT1_H

#include "abi.h"

#define MB1_HEADER_MAGIC 0x1badb002u
#define MB1_BOOT_MAGIC 0x2badb002u  /* in EAX at entry */
#define MB1_SEARCH 8192u            /* header lies within the first 8 KiB */
#define MB1_HEADER_ALIGN 4u
#define MB1_MOD_ALIGN 0x1000u

/* Header flags. Bits 0-15 are requirements, bits 16-31 are optional. */
#define MB1_PAGE_ALIGN (1u << 0)
#define MB1_MEMORY_INFO (1u << 1)
#define MB1_VIDEO_MODE (1u << 2)
#define MB1_AOUT_KLUDGE (1u << 16)
#define MB1_REQUIRED_MASK 0x0000ffffu

struct mb1_header {
	uint32_t magic;          /* 0 */
	uint32_t flags;          /* 4 */
	uint32_t checksum;       /* 8: magic + flags + checksum == 0 */
	uint32_t header_addr;    /* 12: valid if MB1_AOUT_KLUDGE */
	uint32_t load_addr;      /* 16 */
	uint32_t load_end_addr;  /* 20: 0 means "to end of file" */
	uint32_t bss_end_addr;   /* 24: 0 means "no bss" */
	uint32_t entry_addr;     /* 28 */
	uint32_t mode_type;      /* 32: valid if MB1_VIDEO_MODE */
	uint32_t width;          /* 36 */
	uint32_t height;         /* 40 */
	uint32_t depth;          /* 44 */
};
ABI_OFFSET(struct mb1_header, flags, 4);
ABI_OFFSET(struct mb1_header, checksum, 8);
ABI_OFFSET(struct mb1_header, header_addr, 12);
ABI_OFFSET(struct mb1_header, load_addr, 16);
ABI_OFFSET(struct mb1_header, load_end_addr, 20);
ABI_OFFSET(struct mb1_header, bss_end_addr, 24);
ABI_OFFSET(struct mb1_header, entry_addr, 28);
ABI_OFFSET(struct mb1_header, mode_type, 32);
ABI_OFFSET(struct mb1_header, depth, 44);
ABI_SIZE(struct mb1_header, 48);

/* multiboot_info.flags: which fields are valid. */
#define MB1_INFO_MEMORY (1u << 0)
#define MB1_INFO_BOOTDEV (1u << 1)
#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MODS (1u << 3)
#define MB1_INFO_AOUT_SYMS (1u << 4)
#define MB1_INFO_ELF_SHDR (1u << 5)
#define MB1_INFO_MEM_MAP (1u << 6)
#define MB1_INFO_DRIVE_INFO (1u << 7)
#define MB1_INFO_CONFIG_TABLE (1u << 8)
#define MB1_INFO_BOOT_LOADER_NAME (1u << 9)
#define MB1_INFO_APM_TABLE (1u << 10)
#define MB1_INFO_VBE_INFO (1u << 11)
#define MB1_INFO_FRAMEBUFFER_INFO (1u << 12)

#define MB1_FRAMEBUFFER_TYPE_INDEXED 0u
#define MB1_FRAMEBUFFER_TYPE_RGB 1u
#define MB1_FRAMEBUFFER_TYPE_EGA_TEXT 2u

struct mb1_info {
	uint32_t flags;              /* 0 */
	uint32_t mem_lower;          /* 4: KiB below 1 MiB */
	uint32_t mem_upper;          /* 8: KiB from 1 MiB to the first hole */
	uint32_t boot_device;        /* 12 */
	uint32_t cmdline;            /* 16 */
	uint32_t mods_count;         /* 20 */
	uint32_t mods_addr;          /* 24 */
	uint32_t syms[4];            /* 28 */
	uint32_t mmap_length;        /* 44 */
	uint32_t mmap_addr;          /* 48 */
	uint32_t drives_length;      /* 52 */
	uint32_t drives_addr;        /* 56 */
	uint32_t config_table;       /* 60 */
	uint32_t boot_loader_name;   /* 64 */
	uint32_t apm_table;          /* 68 */
	uint32_t vbe_control_info;   /* 72 */
	uint32_t vbe_mode_info;      /* 76 */
	uint16_t vbe_mode;           /* 80 */
	uint16_t vbe_interface_seg;  /* 82 */
	uint16_t vbe_interface_off;  /* 84 */
	uint16_t vbe_interface_len;  /* 86 */
	uint64_t framebuffer_addr;   /* 88 */
	uint32_t framebuffer_pitch;  /* 96 */
	uint32_t framebuffer_width;  /* 100 */
	uint32_t framebuffer_height; /* 104 */
	uint8_t framebuffer_bpp;     /* 108 */
	uint8_t framebuffer_type;    /* 109 */
	uint8_t color_info[6];       /* 110: RGB: red pos/size, green, blue */
} ABI_PACKED;
ABI_OFFSET(struct mb1_info, mem_lower, 4);
ABI_OFFSET(struct mb1_info, mem_upper, 8);
ABI_OFFSET(struct mb1_info, boot_device, 12);
ABI_OFFSET(struct mb1_info, cmdline, 16);
ABI_OFFSET(struct mb1_info, mods_count, 20);
ABI_OFFSET(struct mb1_info, mods_addr, 24);
ABI_OFFSET(struct mb1_info, mmap_length, 44);
ABI_OFFSET(struct mb1_info, mmap_addr, 48);
ABI_OFFSET(struct mb1_info, boot_loader_name, 64);
ABI_OFFSET(struct mb1_info, vbe_mode, 80);
ABI_OFFSET(struct mb1_info, framebuffer_addr, 88);
ABI_OFFSET(struct mb1_info, framebuffer_pitch, 96);
ABI_OFFSET(struct mb1_info, framebuffer_width, 100);
ABI_OFFSET(struct mb1_info, framebuffer_height, 104);
ABI_OFFSET(struct mb1_info, framebuffer_bpp, 108);
ABI_OFFSET(struct mb1_info, framebuffer_type, 109);
ABI_OFFSET(struct mb1_info, color_info, 110);
ABI_SIZE(struct mb1_info, 116);

/* mmap entry: `size` counts the bytes after itself (20); advance by size + 4. */
struct mb1_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} ABI_PACKED;
ABI_OFFSET(struct mb1_mmap_entry, addr, 4);
ABI_OFFSET(struct mb1_mmap_entry, len, 12);
ABI_OFFSET(struct mb1_mmap_entry, type, 20);
ABI_SIZE(struct mb1_mmap_entry, 24);

/* Module: bytes [mod_start, mod_end), `string` is its command line. */
struct mb1_module {
	uint32_t mod_start;
	uint32_t mod_end;
	uint32_t string;
	uint32_t reserved;
};
ABI_SIZE(struct mb1_module, 16);

#endif
