/* SPDX-License-Identifier: MIT */
/*
 * FAT12/16/32 on-disk structures, from Microsoft's "FAT: General Overview
 * of On-Disk Format", version 1.03 ([FATGEN] below). All fields are
 * little-endian and unaligned.
 *
 * Boot sector (sector 0 of the volume):
 *
 *   0 jump[3]  3 oem[8]  11 bytes_per_sector  13 sectors_per_cluster
 *  14 reserved_sectors  16 nr_fats  17 root_entries  19 total_sectors16
 *  21 media  22 fat_size16  24 sectors_per_track  26 nr_heads
 *  28 hidden_sectors  32 total_sectors32
 *  36 ... FAT12/16: drive, boot_sig (38), serial (39), label (43), type (54)
 *  36 ... FAT32: fat_size32, ext_flags (40), version, root_cluster (44),
 *         fsinfo, backup, drive (64), boot_sig (66), serial (67),
 *         label (71), type (82)
 * 510 0xaa55
 */
#ifndef PVHBOOT_ABI_FAT_H
#define PVHBOOT_ABI_FAT_H

#include "abi.h"

#define FAT_BOOT_SIGNATURE 0xaa55u
/* Extended boot signatures: 0x29 has serial, label and type; 0x28 only the serial. */
#define FAT_EXT_SIG_FULL 0x29u
#define FAT_EXT_SIG_SERIAL 0x28u
/* [FATGEN] §3.5: the FAT type follows from the count of data clusters alone. */
#define FAT12_MAX_CLUSTERS 4084u
#define FAT16_MAX_CLUSTERS 65524u
#define FAT32_MAX_CLUSTERS 0x0ffffff5u /* cluster numbers stay below the bad marker */
/* FAT32 ext_flags: bit 7 set = only the FAT numbered in bits 0-3 is in use. */
#define FAT32_NO_MIRRORING 0x80u
#define FAT32_ACTIVE_FAT_MASK 0x0fu

struct fat_bpb {
	uint8_t jump[3];
	char oem[8];
	uint16_t bytes_per_sector;
	uint8_t sectors_per_cluster;
	uint16_t reserved_sectors;
	uint8_t nr_fats;
	uint16_t root_entries;    /* FAT12/16 fixed root directory; 0 on FAT32 */
	uint16_t total_sectors16; /* 0: use total_sectors32 */
	uint8_t media;
	uint16_t fat_size16;      /* sectors per FAT; 0 on FAT32 */
	uint16_t sectors_per_track;
	uint16_t nr_heads;
	uint32_t hidden_sectors;
	uint32_t total_sectors32;
} ABI_PACKED;
ABI_OFFSET(struct fat_bpb, bytes_per_sector, 11);
ABI_OFFSET(struct fat_bpb, sectors_per_cluster, 13);
ABI_OFFSET(struct fat_bpb, reserved_sectors, 14);
ABI_OFFSET(struct fat_bpb, nr_fats, 16);
ABI_OFFSET(struct fat_bpb, root_entries, 17);
ABI_OFFSET(struct fat_bpb, total_sectors16, 19);
ABI_OFFSET(struct fat_bpb, fat_size16, 22);
ABI_OFFSET(struct fat_bpb, total_sectors32, 32);
ABI_SIZE(struct fat_bpb, 36);

/* FAT12/16 extended BPB, at boot sector offset 36. */
struct fat16_ext {
	uint8_t drive;
	uint8_t _reserved;
	uint8_t boot_sig;
	uint32_t serial;
	char label[11];
	char fs_type[8]; /* "FAT12   " or "FAT16   ": informative only */
} ABI_PACKED;
ABI_OFFSET(struct fat16_ext, boot_sig, 2);
ABI_OFFSET(struct fat16_ext, serial, 3);
ABI_OFFSET(struct fat16_ext, label, 7);
ABI_OFFSET(struct fat16_ext, fs_type, 18);
ABI_SIZE(struct fat16_ext, 26);

/* FAT32 extended BPB, at boot sector offset 36. */
struct fat32_ext {
	uint32_t fat_size32;
	uint16_t ext_flags;
	uint16_t fs_version;
	uint32_t root_cluster;
	uint16_t fsinfo_sector;
	uint16_t backup_boot_sector;
	uint8_t _reserved[12];
	uint8_t drive;
	uint8_t _reserved1;
	uint8_t boot_sig;
	uint32_t serial;
	char label[11];
	char fs_type[8]; /* "FAT32   " */
} ABI_PACKED;
ABI_OFFSET(struct fat32_ext, fat_size32, 0);
ABI_OFFSET(struct fat32_ext, ext_flags, 4);
ABI_OFFSET(struct fat32_ext, root_cluster, 8);
ABI_OFFSET(struct fat32_ext, boot_sig, 30);
ABI_OFFSET(struct fat32_ext, serial, 31);
ABI_OFFSET(struct fat32_ext, label, 35);
ABI_OFFSET(struct fat32_ext, fs_type, 46);
ABI_SIZE(struct fat32_ext, 54);

struct fat_boot_sector {
	struct fat_bpb bpb;
	union {
		struct fat16_ext f16;
		struct fat32_ext f32;
	} ABI_PACKED ext;
	uint8_t _boot_code[420];
	uint16_t signature; /* FAT_BOOT_SIGNATURE */
} ABI_PACKED;
ABI_OFFSET(struct fat_boot_sector, ext.f16.boot_sig, 38);
ABI_OFFSET(struct fat_boot_sector, ext.f16.serial, 39);
ABI_OFFSET(struct fat_boot_sector, ext.f16.label, 43);
ABI_OFFSET(struct fat_boot_sector, ext.f16.fs_type, 54);
ABI_OFFSET(struct fat_boot_sector, ext.f32.ext_flags, 40);
ABI_OFFSET(struct fat_boot_sector, ext.f32.root_cluster, 44);
ABI_OFFSET(struct fat_boot_sector, ext.f32.boot_sig, 66);
ABI_OFFSET(struct fat_boot_sector, ext.f32.serial, 67);
ABI_OFFSET(struct fat_boot_sector, ext.f32.label, 71);
ABI_OFFSET(struct fat_boot_sector, ext.f32.fs_type, 82);
ABI_OFFSET(struct fat_boot_sector, signature, 510);
ABI_SIZE(struct fat_boot_sector, 512);

/*
 * FAT entry values ([FATGEN] §4): 0 free, 1 reserved, then cluster numbers,
 * then the bad-cluster marker and end-of-chain markers. FAT32 entries are 28
 * bits wide; the top 4 bits are reserved and ignored.
 */
#define FAT_FREE 0u
#define FAT12_BAD 0xff7u
#define FAT16_BAD 0xfff7u
#define FAT32_BAD 0x0ffffff7u
#define FAT32_ENTRY_MASK 0x0fffffffu
#define FAT_FIRST_CLUSTER 2u

/* Directory entry attributes ([FATGEN] §6). */
#define FAT_ATTR_READ_ONLY 0x01u
#define FAT_ATTR_HIDDEN 0x02u
#define FAT_ATTR_SYSTEM 0x04u
#define FAT_ATTR_VOLUME_ID 0x08u
#define FAT_ATTR_DIRECTORY 0x10u
#define FAT_ATTR_ARCHIVE 0x20u
#define FAT_ATTR_LFN 0x0fu      /* RO|HIDDEN|SYSTEM|VOLUME_ID: a long-name entry */
#define FAT_ATTR_LFN_MASK 0x3fu

/* name[0] markers: end of directory, deleted entry, and 0x05 standing for 0xE5. */
#define FAT_NAME_END 0x00u
#define FAT_NAME_DELETED 0xe5u
#define FAT_NAME_KANJI_E5 0x05u

/*
 * Windows NT keeps the case of all-lower-case 8.3 names in byte 12 instead
 * of writing a long name (not in [FATGEN]; Linux calls these CASE_LOWER_*).
 */
#define FAT_NT_LOWER_BASE 0x08u
#define FAT_NT_LOWER_EXT 0x10u

#define FAT_DIRENT_SIZE 32u

struct fat_dirent {
	uint8_t name[11]; /* 8.3, space padded, no dot */
	uint8_t attr;
	uint8_t nt_case;
	uint8_t ctime_tenth;
	uint16_t ctime;
	uint16_t cdate;
	uint16_t adate;
	uint16_t cluster_hi; /* FAT32 only */
	uint16_t mtime;
	uint16_t mdate;
	uint16_t cluster_lo;
	uint32_t size;
} ABI_PACKED;
ABI_OFFSET(struct fat_dirent, attr, 11);
ABI_OFFSET(struct fat_dirent, nt_case, 12);
ABI_OFFSET(struct fat_dirent, cluster_hi, 20);
ABI_OFFSET(struct fat_dirent, cluster_lo, 26);
ABI_OFFSET(struct fat_dirent, size, 28);
ABI_SIZE(struct fat_dirent, FAT_DIRENT_SIZE);

/*
 * VFAT long-name entry ([FATGEN] §7): 13 UTF-16LE units each, stored before
 * the 8.3 entry in reverse order; the first one physically carries
 * FAT_LFN_LAST | n. Each holds the checksum of the 8.3 name it belongs to.
 */
#define FAT_LFN_LAST 0x40u
#define FAT_LFN_ORD_MASK 0x1fu
#define FAT_LFN_UNITS 13u
#define FAT_LFN_MAX_ENTRIES 20u /* 255 units at most */

struct fat_lfn_entry {
	uint8_t ord;
	uint16_t name1[5];
	uint8_t attr;     /* FAT_ATTR_LFN */
	uint8_t type;     /* 0 */
	uint8_t checksum;
	uint16_t name2[6];
	uint16_t cluster; /* 0 */
	uint16_t name3[2];
} ABI_PACKED;
ABI_OFFSET(struct fat_lfn_entry, name1, 1);
ABI_OFFSET(struct fat_lfn_entry, attr, 11);
ABI_OFFSET(struct fat_lfn_entry, type, 12);
ABI_OFFSET(struct fat_lfn_entry, checksum, 13);
ABI_OFFSET(struct fat_lfn_entry, name2, 14);
ABI_OFFSET(struct fat_lfn_entry, cluster, 26);
ABI_OFFSET(struct fat_lfn_entry, name3, 28);
ABI_SIZE(struct fat_lfn_entry, FAT_DIRENT_SIZE);

#endif
