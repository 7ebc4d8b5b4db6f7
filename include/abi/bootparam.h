/* SPDX-License-Identifier: MIT */
/*
 * Linux x86 boot protocol: the setup header and the "zero page"
 * (Documentation/arch/x86/boot.rst, zero-page.rst, uapi/asm/bootparam.h).
 *
 * The setup header sits at offset 0x1f1 both in the bzImage file and in
 * boot_params. Its length is not fixed: it ends at 0x202 + byte[0x201] of the
 * image, and only that many bytes may be copied (the zero page's sentinel at
 * 0x1ef catches loaders that copy too much).
 */
#ifndef PVHBOOT_ABI_BOOTPARAM_H
#define PVHBOOT_ABI_BOOTPARAM_H

#include "abi.h"
#include "e820.h"

#define SETUP_HEADER_OFFSET 0x1f1u
#define SETUP_HDRS_MAGIC 0x53726448u /* "HdrS" */
#define SETUP_BOOT_FLAG 0xaa55u

/* loadflags */
#define LOADED_HIGH (1u << 0)
#define KEEP_SEGMENTS (1u << 6)
#define CAN_USE_HEAP (1u << 7)

/* xloadflags */
#define XLF_KERNEL_64 (1u << 0)
#define XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1)
#define XLF_EFI_HANDOVER_32 (1u << 2)
#define XLF_EFI_HANDOVER_64 (1u << 3)
#define XLF_EFI_KEXEC (1u << 4)

/* setup_data types */
#define SETUP_NONE 0u
#define SETUP_E820_EXT 1u

#define BOOT_E820_MAX 128u
#define BOOT_LOADER_TYPE_UNDEFINED 0xffu

/* Segment selectors the boot protocol requires at both entries. */
#define BOOT_CS 0x10u
#define BOOT_DS 0x18u

struct setup_header {
	uint8_t setup_sects;        /* 0x1f1 */
	uint16_t root_flags;        /* 0x1f2 */
	uint32_t syssize;           /* 0x1f4 */
	uint16_t ram_size;          /* 0x1f8 */
	uint16_t vid_mode;          /* 0x1fa */
	uint16_t root_dev;          /* 0x1fc */
	uint16_t boot_flag;         /* 0x1fe */
	uint16_t jump;              /* 0x200 */
	uint32_t header;            /* 0x202 */
	uint16_t version;           /* 0x206 */
	uint32_t realmode_swtch;    /* 0x208 */
	uint16_t start_sys_seg;     /* 0x20c */
	uint16_t kernel_version;    /* 0x20e */
	uint8_t type_of_loader;     /* 0x210 */
	uint8_t loadflags;          /* 0x211 */
	uint16_t setup_move_size;   /* 0x212 */
	uint32_t code32_start;      /* 0x214 */
	uint32_t ramdisk_image;     /* 0x218 */
	uint32_t ramdisk_size;      /* 0x21c */
	uint32_t bootsect_kludge;   /* 0x220 */
	uint16_t heap_end_ptr;      /* 0x224 */
	uint8_t ext_loader_ver;     /* 0x226 */
	uint8_t ext_loader_type;    /* 0x227 */
	uint32_t cmd_line_ptr;      /* 0x228 */
	uint32_t initrd_addr_max;   /* 0x22c */
	uint32_t kernel_alignment;  /* 0x230 */
	uint8_t relocatable_kernel; /* 0x234 */
	uint8_t min_alignment;      /* 0x235 */
	uint16_t xloadflags;        /* 0x236 */
	uint32_t cmdline_size;      /* 0x238 */
	uint32_t hardware_subarch;  /* 0x23c */
	uint64_t hardware_subarch_data; /* 0x240 */
	uint32_t payload_offset;    /* 0x248 */
	uint32_t payload_length;    /* 0x24c */
	uint64_t setup_data;        /* 0x250 */
	uint64_t pref_address;      /* 0x258 */
	uint32_t init_size;         /* 0x260 */
	uint32_t handover_offset;   /* 0x264 */
	uint32_t kernel_info_offset; /* 0x268 */
} ABI_PACKED;

#define HDR_OFF(f, off) ABI_OFFSET(struct setup_header, f, (off) - SETUP_HEADER_OFFSET)
HDR_OFF(setup_sects, 0x1f1);
HDR_OFF(syssize, 0x1f4);
HDR_OFF(boot_flag, 0x1fe);
HDR_OFF(jump, 0x200);
HDR_OFF(header, 0x202);
HDR_OFF(version, 0x206);
HDR_OFF(type_of_loader, 0x210);
HDR_OFF(loadflags, 0x211);
HDR_OFF(code32_start, 0x214);
HDR_OFF(ramdisk_image, 0x218);
HDR_OFF(ramdisk_size, 0x21c);
HDR_OFF(heap_end_ptr, 0x224);
HDR_OFF(cmd_line_ptr, 0x228);
HDR_OFF(initrd_addr_max, 0x22c);
HDR_OFF(kernel_alignment, 0x230);
HDR_OFF(relocatable_kernel, 0x234);
HDR_OFF(min_alignment, 0x235);
HDR_OFF(xloadflags, 0x236);
HDR_OFF(cmdline_size, 0x238);
HDR_OFF(hardware_subarch, 0x23c);
HDR_OFF(payload_offset, 0x248);
HDR_OFF(payload_length, 0x24c);
HDR_OFF(setup_data, 0x250);
HDR_OFF(pref_address, 0x258);
HDR_OFF(init_size, 0x260);
HDR_OFF(handover_offset, 0x264);
HDR_OFF(kernel_info_offset, 0x268);
#undef HDR_OFF
ABI_SIZE(struct setup_header, 0x26c - SETUP_HEADER_OFFSET);

/* boot_params.efi_info: "EL64" for 64-bit firmware. */
#define EFI64_LOADER_SIGNATURE 0x34364c45u
struct efi_info {
	uint32_t efi_loader_signature;
	uint32_t efi_systab;
	uint32_t efi_memdesc_size;
	uint32_t efi_memdesc_version;
	uint32_t efi_memmap;
	uint32_t efi_memmap_size;
	uint32_t efi_systab_hi;
	uint32_t efi_memmap_hi;
};
ABI_SIZE(struct efi_info, 32);

struct setup_data {
	uint64_t next;
	uint32_t type;
	uint32_t len;
	uint8_t data[];
};
ABI_SIZE(struct setup_data, 16);

/* The zero page, 4096 bytes. Unused regions are folded into _pad fields. */
struct boot_params {
	uint8_t screen_info[0x40];          /* 0x000 */
	uint8_t _pad0[0x70 - 0x40];         /* apm, tboot, ist */
	uint64_t acpi_rsdp_addr;            /* 0x070 */
	uint8_t _pad1[0xc0 - 0x78];
	uint32_t ext_ramdisk_image;         /* 0x0c0 */
	uint32_t ext_ramdisk_size;          /* 0x0c4 */
	uint32_t ext_cmd_line_ptr;          /* 0x0c8 */
	uint8_t _pad2[0x1c0 - 0xcc];
	struct efi_info efi_info;           /* 0x1c0 */
	uint32_t alt_mem_k;                 /* 0x1e0 */
	uint32_t scratch;                   /* 0x1e4 */
	uint8_t e820_entries;               /* 0x1e8 */
	uint8_t eddbuf_entries;             /* 0x1e9 */
	uint8_t edd_mbr_sig_buf_entries;    /* 0x1ea */
	uint8_t kbd_status;                 /* 0x1eb */
	uint8_t secure_boot;                /* 0x1ec */
	uint8_t _pad3[2];
	uint8_t sentinel;                   /* 0x1ef */
	uint8_t _pad4[1];
	struct setup_header hdr;            /* 0x1f1 */
	uint8_t _pad5[0x290 - 0x26c];
	uint32_t edd_mbr_sig_buffer[16];    /* 0x290 */
	struct e820_entry e820_table[BOOT_E820_MAX]; /* 0x2d0 */
	uint8_t _pad6[0x1000 - 0xcd0];      /* eddbuf and tail */
} ABI_PACKED;
ABI_OFFSET(struct boot_params, acpi_rsdp_addr, 0x070);
ABI_OFFSET(struct boot_params, ext_ramdisk_image, 0x0c0);
ABI_OFFSET(struct boot_params, ext_ramdisk_size, 0x0c4);
ABI_OFFSET(struct boot_params, ext_cmd_line_ptr, 0x0c8);
ABI_OFFSET(struct boot_params, efi_info, 0x1c0);
ABI_OFFSET(struct boot_params, alt_mem_k, 0x1e0);
ABI_OFFSET(struct boot_params, e820_entries, 0x1e8);
ABI_OFFSET(struct boot_params, sentinel, 0x1ef);
ABI_OFFSET(struct boot_params, hdr, 0x1f1);
ABI_OFFSET(struct boot_params, e820_table, 0x2d0);
ABI_SIZE(struct boot_params, 4096);

#endif
