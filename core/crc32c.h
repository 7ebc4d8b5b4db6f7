/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_CORE_CRC32C_H
#define PVHBOOT_CORE_CRC32C_H

#include "lib.h"

/*
 * CRC-32C (Castagnoli, reflected 0x82F63B78; RFC 3720 appendix B), the
 * checksum of XFS v5 and ext4 metadata_csum. Chainable like crc32_update():
 * crc32c_update(0, "123456789", 9) == 0xe3069283.
 */
uint32_t crc32c_update(uint32_t crc, const void *buf, size_t len);

#endif
