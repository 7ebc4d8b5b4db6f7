/* SPDX-License-Identifier: MIT */
/*
 * On-disk partition tables: the MBR (and extended boot records) and the
 * UEFI GPT (UEFI 2.10 §5.2-5.3). All fields little-endian.
 */
#ifndef PVHBOOT_ABI_PARTITION_H
#define PVHBOOT_ABI_PARTITION_H

#include "abi.h"

#define MBR_SIGNATURE 0xaa55u
#define MBR_TYPE_EMPTY 0x00
#define MBR_TYPE_EXTENDED_CHS 0x05
#define MBR_TYPE_EXTENDED_LBA 0x0f
#define MBR_TYPE_EXTENDED_LINUX 0x85
#define MBR_TYPE_GPT_PROTECTIVE 0xee

struct mbr_entry {
	uint8_t status;
	uint8_t chs_first[3];
	uint8_t type;
	uint8_t chs_last[3];
	uint32_t lba_first;
	uint32_t nr_sectors;
} ABI_PACKED;
ABI_OFFSET(struct mbr_entry, type, 4);
ABI_OFFSET(struct mbr_entry, lba_first, 8);
ABI_OFFSET(struct mbr_entry, nr_sectors, 12);
ABI_SIZE(struct mbr_entry, 16);

struct mbr {
	uint8_t boot_code[440];
	uint32_t disk_signature;
	uint16_t _pad;
	struct mbr_entry part[4]; /* 446 */
	uint16_t signature;       /* 510: 0xaa55 */
} ABI_PACKED;
ABI_OFFSET(struct mbr, part, 446);
ABI_OFFSET(struct mbr, signature, 510);
ABI_SIZE(struct mbr, 512);

#define GPT_SIGNATURE 0x5452415020494645ull /* "EFI PART" */

struct gpt_header {
	uint64_t signature;
	uint32_t revision;
	uint32_t header_size;     /* 92 in every revision so far */
	uint32_t header_crc32;    /* over header_size bytes, this field zeroed */
	uint32_t _reserved;
	uint64_t my_lba;
	uint64_t alternate_lba;
	uint64_t first_usable_lba;
	uint64_t last_usable_lba;
	uint8_t disk_guid[16];
	uint64_t entries_lba;
	uint32_t nr_entries;
	uint32_t entry_size;      /* 128 * 2^n */
	uint32_t entries_crc32;
} ABI_PACKED;
ABI_OFFSET(struct gpt_header, header_size, 12);
ABI_OFFSET(struct gpt_header, header_crc32, 16);
ABI_OFFSET(struct gpt_header, my_lba, 24);
ABI_OFFSET(struct gpt_header, alternate_lba, 32);
ABI_OFFSET(struct gpt_header, first_usable_lba, 40);
ABI_OFFSET(struct gpt_header, last_usable_lba, 48);
ABI_OFFSET(struct gpt_header, disk_guid, 56);
ABI_OFFSET(struct gpt_header, entries_lba, 72);
ABI_OFFSET(struct gpt_header, nr_entries, 80);
ABI_OFFSET(struct gpt_header, entry_size, 84);
ABI_OFFSET(struct gpt_header, entries_crc32, 88);
ABI_SIZE(struct gpt_header, 92);

struct gpt_entry {
	uint8_t type_guid[16];
	uint8_t part_guid[16];
	uint64_t lba_first;
	uint64_t lba_last;        /* inclusive */
	uint64_t attributes;
	uint16_t name[36];        /* UTF-16LE */
} ABI_PACKED;
ABI_OFFSET(struct gpt_entry, part_guid, 16);
ABI_OFFSET(struct gpt_entry, lba_first, 32);
ABI_OFFSET(struct gpt_entry, lba_last, 40);
ABI_OFFSET(struct gpt_entry, name, 56);
ABI_SIZE(struct gpt_entry, 128);

#endif
