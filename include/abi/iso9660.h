/* SPDX-License-Identifier: MIT */
/*
 * ISO 9660 (ECMA-119, 4th edition, cited as [ECMA-119]) with the System Use
 * Sharing Protocol ([SUSP] IEEE P1281 1.12), Rock Ridge ([RRIP] IEEE P1282
 * 1.12) and Joliet (Microsoft's "Joliet Specification", 1995).
 *
 * "Both-endian" fields hold the value twice, little-endian first; only the
 * little-endian copy is read. Everything is unaligned.
 */
#ifndef PVHBOOT_ABI_ISO9660_H
#define PVHBOOT_ABI_ISO9660_H

#include "abi.h"

/* [ECMA-119] §6.2: logical blocks of 2048 bytes; descriptors from block 16. */
#define ISO_BLOCK_SIZE 2048u
#define ISO_FIRST_DESCRIPTOR 16u

/* Volume descriptor types ([ECMA-119] §8.1.1). */
#define ISO_VD_BOOT 0u
#define ISO_VD_PRIMARY 1u
#define ISO_VD_SUPPLEMENTARY 2u
#define ISO_VD_PARTITION 3u
#define ISO_VD_TERMINATOR 255u
#define ISO_STANDARD_ID "CD001"

/*
 * Date and time in a volume descriptor ([ECMA-119] §8.4.26.1): 16 ASCII
 * digits "YYYYMMDDHHMMSSCC" and an offset from GMT in 15-minute steps.
 */
struct iso_vd_date {
	char digits[16];
	int8_t gmt_offset;
} ABI_PACKED;
ABI_SIZE(struct iso_vd_date, 17);

/*
 * Primary (type 1) and supplementary (type 2) volume descriptors share one
 * layout ([ECMA-119] §8.4, §8.5). Joliet is a supplementary descriptor
 * whose escape sequences name UCS-2 level 1, 2 or 3.
 */
struct iso_volume_descriptor {
	uint8_t type;
	char id[5];                /* "CD001" */
	uint8_t version;           /* 1 */
	uint8_t flags;             /* SVD: bit 0 = escapes not registered */
	char system_id[32];
	char volume_id[32];
	uint8_t _unused1[8];
	uint32_t space_size;       /* blocks, both-endian */
	uint32_t space_size_be;
	uint8_t escapes[32];       /* SVD only */
	uint16_t set_size, set_size_be;
	uint16_t sequence, sequence_be;
	uint16_t block_size;       /* both-endian */
	uint16_t block_size_be;
	uint32_t path_table_size, path_table_size_be;
	uint32_t path_tables[4];
	uint8_t root_record[34];   /* a directory record for the root */
	char volume_set_id[128];
	char publisher_id[128];
	char preparer_id[128];
	char application_id[128];
	char copyright_file[37];
	char abstract_file[37];
	char bibliographic_file[37];
	struct iso_vd_date created;
	struct iso_vd_date modified;
	struct iso_vd_date expires;
	struct iso_vd_date effective;
	uint8_t structure_version;
	uint8_t _reserved;
	uint8_t application_use[512];
	uint8_t _reserved2[653];
} ABI_PACKED;
ABI_OFFSET(struct iso_volume_descriptor, id, 1);
ABI_OFFSET(struct iso_volume_descriptor, version, 6);
ABI_OFFSET(struct iso_volume_descriptor, flags, 7);
ABI_OFFSET(struct iso_volume_descriptor, volume_id, 40);
ABI_OFFSET(struct iso_volume_descriptor, space_size, 80);
ABI_OFFSET(struct iso_volume_descriptor, escapes, 88);
ABI_OFFSET(struct iso_volume_descriptor, block_size, 128);
ABI_OFFSET(struct iso_volume_descriptor, root_record, 156);
ABI_OFFSET(struct iso_volume_descriptor, created, 813);
ABI_OFFSET(struct iso_volume_descriptor, modified, 830);
ABI_SIZE(struct iso_volume_descriptor, ISO_BLOCK_SIZE);

/* Joliet escape sequences in escapes[0..2]: "%/@", "%/C", "%/E" (UCS-2 levels 1-3). */
#define JOLIET_ESCAPE0 0x25u
#define JOLIET_ESCAPE1 0x2fu
#define JOLIET_LEVEL1 0x40u
#define JOLIET_LEVEL2 0x43u
#define JOLIET_LEVEL3 0x45u

/*
 * Directory record ([ECMA-119] §9.1): 33 fixed bytes, the file identifier,
 * a padding byte when the identifier length is even, then the system use
 * area (SUSP entries) up to `length`. Records never cross a logical block;
 * a zero length byte means the rest of the block is padding ([ECMA-119]
 * §6.8.1.1).
 */
struct iso_dirent {
	uint8_t length;
	uint8_t xattr_length;      /* blocks of extended attributes before the data */
	uint32_t extent;           /* first block, both-endian */
	uint32_t extent_be;
	uint32_t size;             /* bytes, both-endian */
	uint32_t size_be;
	uint8_t date[7];
	uint8_t flags;             /* ISO_FLAG_* */
	uint8_t unit_size;         /* interleaved files: non-zero */
	uint8_t gap_size;
	uint16_t sequence, sequence_be;
	uint8_t name_length;
	/* name[name_length] follows */
} ABI_PACKED;
ABI_OFFSET(struct iso_dirent, xattr_length, 1);
ABI_OFFSET(struct iso_dirent, extent, 2);
ABI_OFFSET(struct iso_dirent, size, 10);
ABI_OFFSET(struct iso_dirent, flags, 25);
ABI_OFFSET(struct iso_dirent, unit_size, 26);
ABI_OFFSET(struct iso_dirent, gap_size, 27);
ABI_OFFSET(struct iso_dirent, name_length, 32);
ABI_SIZE(struct iso_dirent, 33);

#define ISO_DIRENT_MIN 34u   /* 33 bytes and a one-byte identifier */
#define ISO_DIRENT_MAX 255u

#define ISO_FLAG_HIDDEN 0x01u
#define ISO_FLAG_DIRECTORY 0x02u
#define ISO_FLAG_ASSOCIATED 0x04u
#define ISO_FLAG_MULTI_EXTENT 0x80u /* more records of this file follow */

/* The identifiers of "." and ".." ([ECMA-119] §6.8.2.2). */
#define ISO_NAME_SELF 0x00u
#define ISO_NAME_PARENT 0x01u

/* [SUSP] §4: every system use entry starts with this header. */
struct susp_entry {
	char sig[2];
	uint8_t length;  /* of the whole entry, >= 4 */
	uint8_t version;
} ABI_PACKED;
ABI_OFFSET(struct susp_entry, length, 2);
ABI_SIZE(struct susp_entry, 4);

/* "SP": first entry of the root's "." record; announces SUSP ([SUSP] §5.3). */
struct susp_sp {
	struct susp_entry h;
	uint8_t check[2];  /* 0xbe 0xef */
	uint8_t skip;      /* bytes to skip at the start of every system use area */
} ABI_PACKED;
ABI_OFFSET(struct susp_sp, check, 4);
ABI_OFFSET(struct susp_sp, skip, 6);
ABI_SIZE(struct susp_sp, 7);
#define SUSP_SP_CHECK0 0xbeu
#define SUSP_SP_CHECK1 0xefu

/* "CE": the entries continue in another block ([SUSP] §5.1). */
struct susp_ce {
	struct susp_entry h;
	uint32_t block, block_be;
	uint32_t offset, offset_be;
	uint32_t length, length_be;
} ABI_PACKED;
ABI_OFFSET(struct susp_ce, block, 4);
ABI_OFFSET(struct susp_ce, offset, 12);
ABI_OFFSET(struct susp_ce, length, 20);
ABI_SIZE(struct susp_ce, 28);

/* "ER": names the extension in use ([SUSP] §5.5); Rock Ridge's ids are below. */
struct susp_er {
	struct susp_entry h;
	uint8_t id_length;
	uint8_t descriptor_length;
	uint8_t source_length;
	uint8_t version;
	/* id[id_length], descriptor, source follow */
} ABI_PACKED;
ABI_OFFSET(struct susp_er, id_length, 4);
ABI_SIZE(struct susp_er, 8);
#define RRIP_ID_1991A "RRIP_1991A"
#define RRIP_ID_P1282 "IEEE_P1282"
#define RRIP_ID_1282 "IEEE_1282"

/* "PX": POSIX attributes ([RRIP] §4.1.1); 36 bytes (1.10) or 44 (1.12, with ino). */
struct rrip_px {
	struct susp_entry h;
	uint32_t mode, mode_be;
	uint32_t links, links_be;
	uint32_t uid, uid_be;
	uint32_t gid, gid_be;
} ABI_PACKED;
ABI_OFFSET(struct rrip_px, mode, 4);
ABI_SIZE(struct rrip_px, 36);

/* "NM": alternate name, possibly split over several entries ([RRIP] §4.1.4). */
struct rrip_nm {
	struct susp_entry h;
	uint8_t flags;
	/* name bytes follow */
} ABI_PACKED;
ABI_OFFSET(struct rrip_nm, flags, 4);
ABI_SIZE(struct rrip_nm, 5);
#define RRIP_NM_CONTINUE 0x01u
#define RRIP_NM_CURRENT 0x02u
#define RRIP_NM_PARENT 0x04u

/* "SL": symbolic link, a list of component records ([RRIP] §4.1.3). */
struct rrip_sl {
	struct susp_entry h;
	uint8_t flags;     /* RRIP_SL_CONTINUE: the link goes on in another SL */
	/* component records follow */
} ABI_PACKED;
ABI_OFFSET(struct rrip_sl, flags, 4);
ABI_SIZE(struct rrip_sl, 5);

struct rrip_sl_component {
	uint8_t flags;
	uint8_t length;
	/* content[length] follows */
} ABI_PACKED;
ABI_OFFSET(struct rrip_sl_component, length, 1);
ABI_SIZE(struct rrip_sl_component, 2);
#define RRIP_SL_CONTINUE 0x01u /* the component goes on in the next record */
#define RRIP_SL_CURRENT 0x02u
#define RRIP_SL_PARENT 0x04u
#define RRIP_SL_ROOT 0x08u
#define RRIP_SL_VOLROOT 0x10u
#define RRIP_SL_HOST 0x20u

/*
 * Deep directory relocation ([RRIP] §4.1.5): "CL" in a file record points
 * at the directory moved away, "PL" in the moved directory's ".." names
 * its real parent, "RE" marks the moved directory where it now lives.
 */
struct rrip_link {
	struct susp_entry h;
	uint32_t block, block_be;
} ABI_PACKED;
ABI_OFFSET(struct rrip_link, block, 4);
ABI_SIZE(struct rrip_link, 12);

/* POSIX file types in PX modes. */
#define RRIP_S_IFMT 0170000u
#define RRIP_S_IFDIR 0040000u
#define RRIP_S_IFREG 0100000u
#define RRIP_S_IFLNK 0120000u

#endif
