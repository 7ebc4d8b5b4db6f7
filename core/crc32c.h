/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_CORE_CRC32C_H
#define PVHBOOT_CORE_CRC32C_H

#include "lib.h"

/*
 * CRC-32C (Castagnoli, reflected 0x82F63B78) with the usual ~ before and
 * after, so crc32c(0, buf, len) is the standard check value (0xE3069283
 * for "123456789") and calls chain: crc32c(crc32c(0, a), b) == crc32c(0, ab).
 * btrfs and XFS metadata checksums are this value.
 */
uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

#endif
