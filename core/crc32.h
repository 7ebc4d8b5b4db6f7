/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_CORE_CRC32_H
#define PVHBOOT_CORE_CRC32_H

#include "lib.h"

/* CRC-32 (IEEE 802.3, reflected 0xEDB88320), as zlib's crc32(). Chainable. */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif
