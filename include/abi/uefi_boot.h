/* SPDX-License-Identifier: MIT */
/*
 * UEFI structures pvhboot builds for other images: device path nodes
 * (UEFI 2.10 §10.3), the TCG2 event of HashLogExtendEvent (TCG EFI
 * Protocol Specification 2.0, §6.6), and the enrolled-config section of
 * pvhboot.efi (docs/efi.md), which the host tool writes. Little-endian.
 */
#ifndef PVHBOOT_ABI_UEFI_BOOT_H
#define PVHBOOT_ABI_UEFI_BOOT_H

#include "abi.h"

/* Device path node header: type, subtype, length of the whole node. */
struct uefi_dp_header {
	uint8_t type;                  /* 0 */
	uint8_t subtype;               /* 1 */
	uint16_t length;               /* 2 */
} ABI_PACKED;
ABI_OFFSET(struct uefi_dp_header, length, 2);
ABI_SIZE(struct uefi_dp_header, 4);

#define UEFI_DP_MEDIA 4u
#define UEFI_DP_MEDIA_VENDOR 3u
#define UEFI_DP_MEDIA_FILEPATH 4u
#define UEFI_DP_END 0x7fu
#define UEFI_DP_END_ENTIRE 0xffu

/* A vendor-defined media node: the header and a GUID (§10.3.5.3). */
struct uefi_dp_vendor {
	struct uefi_dp_header hdr;     /* 0 */
	uint8_t guid[16];              /* 4: EFI_GUID as stored */
} ABI_PACKED;
ABI_OFFSET(struct uefi_dp_vendor, guid, 4);
ABI_SIZE(struct uefi_dp_vendor, 20);

/* EFI_TCG2_EVENT: Size, then a 14-byte header, then the event data. */
struct tcg2_event_header {
	uint32_t header_size;          /* 0: sizeof this header, 14 */
	uint16_t header_version;       /* 4: 1 */
	uint32_t pcr_index;            /* 6 */
	uint32_t event_type;           /* 10 */
} ABI_PACKED;
ABI_OFFSET(struct tcg2_event_header, header_version, 4);
ABI_OFFSET(struct tcg2_event_header, pcr_index, 6);
ABI_OFFSET(struct tcg2_event_header, event_type, 10);
ABI_SIZE(struct tcg2_event_header, 14);

struct tcg2_event {
	uint32_t size;                 /* 0: the whole structure, data included */
	struct tcg2_event_header header; /* 4 */
	uint8_t data[];                /* 18 */
} ABI_PACKED;
ABI_OFFSET(struct tcg2_event, header, 4);
ABI_OFFSET(struct tcg2_event, data, 18);

#define TCG2_EVENT_HEADER_VERSION 1u
#define TCG_EV_IPL 0x0000000du

/*
 * The .pvhcfg section of pvhboot.efi: SHA-256 digests of config files
 * whose sha256 pins the loader trusts under Secure Boot. `pvhboot enroll`
 * writes them before the image is signed.
 */
#define PVHCFG_MAGIC "pvhboot-cfg-v1\n"  /* 15 characters and the NUL */
#define PVHCFG_MAX_DIGESTS 8u

struct pvhcfg_section {
	char magic[16];                /* 0: PVHCFG_MAGIC */
	uint32_t count;                /* 16: digests in use, <= PVHCFG_MAX_DIGESTS */
	uint32_t _pad20;               /* 20 */
	uint8_t sha256[PVHCFG_MAX_DIGESTS][32]; /* 24 */
} ABI_PACKED;
ABI_OFFSET(struct pvhcfg_section, count, 16);
ABI_OFFSET(struct pvhcfg_section, sha256, 24);
ABI_SIZE(struct pvhcfg_section, 24 + 8 * 32);

#endif
