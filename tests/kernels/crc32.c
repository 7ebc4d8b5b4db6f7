/* SPDX-License-Identifier: MIT */
/*
 * CRC-32 with the reflected IEEE polynomial 0xEDB88320, initial value and
 * final xor 0xFFFFFFFF: the value of Python's zlib.crc32(), which the test
 * harness writes into module command lines. Four bits at a time from a
 * 16-entry table: small, no pointers in data, fast enough under TCG.
 */
#include "probe.h"

static const uint32_t crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
	0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t probe_crc32(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = 0xffffffffu;

	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}
