/* SPDX-License-Identifier: MIT */
/*
 * The reflected, table-driven CRC-32 family with the usual ~ before and
 * after: CRC-32 (IEEE 802.3, as zlib's crc32()) and CRC-32C (Castagnoli,
 * btrfs and XFS metadata). Both chain: f(f(0, a), b) == f(0, ab).
 */
#include "crc32.h"
#include "crc32c.h"

static void make_table(uint32_t table[256], uint32_t poly)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? poly ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static uint32_t reflected_crc(uint32_t table[256], uint32_t poly, uint32_t crc, const void *buf,
			      size_t len)
{
	const uint8_t *p = buf;
	if (!table[1])
		make_table(table, poly);
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
	static uint32_t table[256];
	return reflected_crc(table, 0xedb88320u, crc, buf, len);
}

uint32_t crc32c(uint32_t crc, const void *buf, size_t len)
{
	static uint32_t table[256];
	return reflected_crc(table, 0x82f63b78u, crc, buf, len);
}
