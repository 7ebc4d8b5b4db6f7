/* SPDX-License-Identifier: MIT */
/*
 * lzma_crc64() for the static liblzma, replacing Debian's crc64_fast.o.
 *
 * That object chooses between its CLMUL and table routines in a
 * constructor (an .init_array entry) and leaves the function pointer NULL
 * until the constructor has run. Nothing runs constructors in the loader -
 * gnu-efi 3.0.15's crt0 does not, and its linker script has no place for
 * .init_array - so an .xz file with the CRC64 check (xz's default) would
 * call address 0. Defining the symbol here keeps that archive member out of
 * the link altogether.
 *
 * CRC-64 as xz specifies it (.xz file format 1.1.0 §6 "Cyclic Redundancy
 * Checks"): the ECMA-182 polynomial, bit-reflected, initial value and final
 * XOR all ones. Byte at a time: xz decoding costs far more than this.
 */
#include <lzma.h>

#include "core/lib.h"

#define CRC64_POLY_REFLECTED 0xc96c5795d7870f42ull

static uint64_t crc64_table[256];
static bool crc64_table_ready;

static void crc64_build_table(void)
{
	for (unsigned i = 0; i < 256; i++) {
		uint64_t r = i;
		for (int bit = 0; bit < 8; bit++)
			r = (r >> 1) ^ (r & 1 ? CRC64_POLY_REFLECTED : 0);
		crc64_table[i] = r;
	}
	crc64_table_ready = true;
}

/*
 * lzma.h declares this pure; building the table on first use is invisible
 * to callers (the result never depends on it), so that still holds.
 */
uint64_t lzma_crc64(const uint8_t *buf, size_t size, uint64_t crc)
{
	if (!crc64_table_ready)
		crc64_build_table();
	crc = ~crc;
	for (size_t i = 0; i < size; i++)
		crc = crc64_table[(uint8_t)crc ^ buf[i]] ^ (crc >> 8);
	return ~crc;
}
