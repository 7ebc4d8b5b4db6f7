/* SPDX-License-Identifier: MIT */
/*
 * What a Boot#### variable holds (UEFI 2.10 §3.1.3): an EFI_LOAD_OPTION,
 *
 *   u32 Attributes; u16 FilePathListLength; CHAR16 Description[] (NUL);
 *   device path (FilePathListLength bytes); optional data
 *
 * and the device path nodes a loader on a GPT partition needs
 * (§10.3.5.1 hard drive, §10.3.5.4 file path, §10.3.1 end).
 */
#ifndef PVHBOOT_ABI_EFI_LOADOPT_H
#define PVHBOOT_ABI_EFI_LOADOPT_H

#include "abi.h"

#define LOAD_OPTION_ACTIVE 0x00000001u

#define DP_TYPE_MEDIA 0x04
#define DP_MEDIA_HARDDRIVE 0x01
#define DP_MEDIA_FILEPATH 0x04
#define DP_TYPE_END 0x7f
#define DP_END_ENTIRE 0xff

struct dp_header {
	uint8_t type;
	uint8_t subtype;
	uint16_t length; /* the whole node, header included */
} ABI_PACKED;
ABI_SIZE(struct dp_header, 4);

#define HD_MBR_TYPE_GPT 0x02
#define HD_SIGNATURE_GUID 0x02

struct dp_harddrive {
	struct dp_header h;
	uint32_t partition_number; /* 1-based */
	uint64_t partition_start;  /* LBA */
	uint64_t partition_size;   /* LBAs */
	uint8_t signature[16];     /* the GPT entry's unique partition GUID */
	uint8_t mbr_type;
	uint8_t signature_type;
} ABI_PACKED;
ABI_OFFSET(struct dp_harddrive, partition_number, 4);
ABI_OFFSET(struct dp_harddrive, partition_start, 8);
ABI_OFFSET(struct dp_harddrive, partition_size, 16);
ABI_OFFSET(struct dp_harddrive, signature, 24);
ABI_OFFSET(struct dp_harddrive, mbr_type, 40);
ABI_OFFSET(struct dp_harddrive, signature_type, 41);
ABI_SIZE(struct dp_harddrive, 42);

#endif
