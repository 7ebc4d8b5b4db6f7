/* SPDX-License-Identifier: MIT */
/*
 * The EDK2 (OVMF) non-volatile variable store, as OVMF_VARS*.fd holds it:
 * a firmware volume header (PI spec vol. 3 §3.2.1) whose file system GUID
 * is EFI_SYSTEM_NV_DATA_FV_GUID, then a variable store header, then
 * variables one after the other, each starting on a 4-byte boundary, the
 * rest of the store erased flash (0xff). Fields little-endian.
 *
 *   0            firmware volume header (HeaderLength bytes, "_FVH" at 40)
 *   HeaderLength variable store header: signature GUID, Size (store header
 *                included, volume header not), Format 0x5a, State 0xfe
 *   +28          variable: header, UTF-16 name (NameSize bytes, NUL
 *                included), data (DataSize bytes); the next header is
 *                4-aligned. A header not starting with 0x55aa ends the list.
 *
 * Name and data are not padded on x86 (EDK2's ALIGNMENT is 1 there). The
 * authenticated layout (signature gEfiAuthenticatedVariableGuid, what
 * OVMF uses) has 60-byte headers; the plain one 32-byte headers.
 */
#ifndef PVHBOOT_ABI_EDK2_VARSTORE_H
#define PVHBOOT_ABI_EDK2_VARSTORE_H

#include "abi.h"

#define FV_SIGNATURE 0x4856465fu /* "_FVH" */

struct fv_header {
	uint8_t zero_vector[16];
	uint8_t fs_guid[16];
	uint64_t fv_length;
	uint32_t signature;
	uint32_t attributes;
	uint16_t header_length;
	uint16_t checksum;
	uint16_t ext_header_offset;
	uint8_t _reserved;
	uint8_t revision;
	/* block map follows, ended by a {0, 0} pair */
} ABI_PACKED;
ABI_OFFSET(struct fv_header, fs_guid, 16);
ABI_OFFSET(struct fv_header, fv_length, 32);
ABI_OFFSET(struct fv_header, signature, 40);
ABI_OFFSET(struct fv_header, header_length, 48);
ABI_SIZE(struct fv_header, 56);

#define VARSTORE_FORMATTED 0x5a
#define VARSTORE_HEALTHY 0xfe

struct varstore_header {
	uint8_t signature[16]; /* which variable header layout follows */
	uint32_t size;
	uint8_t format;
	uint8_t state;
	uint16_t _reserved;
	uint32_t _reserved1;
} ABI_PACKED;
ABI_OFFSET(struct varstore_header, size, 16);
ABI_OFFSET(struct varstore_header, format, 20);
ABI_OFFSET(struct varstore_header, state, 21);
ABI_SIZE(struct varstore_header, 28);

#define VARIABLE_START_ID 0x55aa
#define VARIABLE_HEADER_ALIGN 4

/*
 * States, each step clearing bits as flash allows: header written (0x7f),
 * fully added (0x3f), being replaced (0x3f & 0xfe), deleted (& 0xfd). A
 * variable counts while added, also in transition (firmware finishes the
 * replacement at the next boot if the new copy never got added).
 */
#define VAR_HEADER_VALID_ONLY 0x7f
#define VAR_ADDED 0x3f
#define VAR_IN_DELETED_TRANSITION 0xfe
#define VAR_DELETED 0xfd

struct efi_time_raw {
	uint8_t bytes[16];
} ABI_PACKED;

struct auth_variable_header {
	uint16_t start_id;
	uint8_t state;
	uint8_t _reserved;
	uint32_t attributes;
	uint64_t monotonic_count;
	struct efi_time_raw timestamp;
	uint32_t pubkey_index;
	uint32_t name_size;
	uint32_t data_size;
	uint8_t vendor_guid[16];
} ABI_PACKED;
ABI_OFFSET(struct auth_variable_header, state, 2);
ABI_OFFSET(struct auth_variable_header, attributes, 4);
ABI_OFFSET(struct auth_variable_header, name_size, 36);
ABI_OFFSET(struct auth_variable_header, data_size, 40);
ABI_OFFSET(struct auth_variable_header, vendor_guid, 44);
ABI_SIZE(struct auth_variable_header, 60);

struct plain_variable_header {
	uint16_t start_id;
	uint8_t state;
	uint8_t _reserved;
	uint32_t attributes;
	uint32_t name_size;
	uint32_t data_size;
	uint8_t vendor_guid[16];
} ABI_PACKED;
ABI_OFFSET(struct plain_variable_header, state, 2);
ABI_OFFSET(struct plain_variable_header, attributes, 4);
ABI_OFFSET(struct plain_variable_header, name_size, 8);
ABI_OFFSET(struct plain_variable_header, data_size, 12);
ABI_OFFSET(struct plain_variable_header, vendor_guid, 16);
ABI_SIZE(struct plain_variable_header, 32);

#endif
