/* SPDX-License-Identifier: MIT */
/*
 * The loader's own memcpy/memmove/memset (core/string.c), renamed so they
 * run beside the C library's: every length from 0 to 300 at every
 * alignment of source and destination against a byte-at-a-time reference,
 * with guard bytes on both sides, and memmove over overlaps both ways.
 */
#include <string.h>

#define memcpy loader_memcpy
#define memmove loader_memmove
#define memset loader_memset
#define memcmp loader_memcmp
#define memchr loader_memchr
#define strlen loader_strlen
#define strnlen loader_strnlen
#define strcmp loader_strcmp
#define strncmp loader_strncmp
#define strchr loader_strchr
#define strrchr loader_strrchr
#define strstr loader_strstr
#include "../../core/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strstr

#include "test.h"

#define MAX_LEN 300
#define GUARD 80
#define AREA (GUARD + 16 + MAX_LEN + GUARD)

static uint8_t src_buf[AREA], dst_buf[AREA], want[AREA];

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 131 + seed * 7 + 1);
}

TEST(memcpy_every_length_and_alignment)
{
	for (size_t len = 0; len <= MAX_LEN; len++)
		for (size_t so = 0; so < 16; so++)
			for (size_t d_o = 0; d_o < 16; d_o++) {
				fill(src_buf, AREA, (unsigned)len);
				fill(dst_buf, AREA, 99);
				memcpy(want, dst_buf, AREA);
				for (size_t i = 0; i < len; i++)
					want[GUARD + d_o + i] = src_buf[GUARD + so + i];
				void *r = loader_memcpy(dst_buf + GUARD + d_o, src_buf + GUARD + so, len);
				CHECK(r == dst_buf + GUARD + d_o);
				if (memcmp(dst_buf, want, AREA))
					FAIL("memcpy len %zu src+%zu dst+%zu", len, so, d_o);
			}
}

TEST(memset_every_length_and_alignment)
{
	for (size_t len = 0; len <= MAX_LEN; len++)
		for (size_t d_o = 0; d_o < 16; d_o++) {
			int c = (int)(len * 37 + d_o) - 128; /* negative values too */
			fill(dst_buf, AREA, 5);
			memcpy(want, dst_buf, AREA);
			for (size_t i = 0; i < len; i++)
				want[GUARD + d_o + i] = (uint8_t)c;
			void *r = loader_memset(dst_buf + GUARD + d_o, c, len);
			CHECK(r == dst_buf + GUARD + d_o);
			if (memcmp(dst_buf, want, AREA))
				FAIL("memset len %zu dst+%zu", len, d_o);
		}
}

/* Source and destination in one buffer, GUARD apart at most, either way. */
TEST(memmove_overlaps_both_ways)
{
	static uint8_t buf[AREA], ref[AREA];
	for (size_t len = 0; len <= MAX_LEN; len += len < 140 ? 1 : 7)
		for (int delta = -(GUARD - 1); delta < GUARD; delta++) {
			size_t from = GUARD, to = (size_t)((int)GUARD + delta);
			fill(buf, AREA, (unsigned)len);
			memcpy(ref, buf, AREA);
			memmove(ref + to, ref + from, len); /* the C library's */
			void *r = loader_memmove(buf + to, buf + from, len);
			CHECK(r == buf + to);
			if (memcmp(buf, ref, AREA))
				FAIL("memmove len %zu delta %d", len, delta);
		}
}

int main(void)
{
	RUN(memcpy_every_length_and_alignment);
	RUN(memset_every_length_and_alignment);
	RUN(memmove_overlaps_both_ways);
	return test_summary();
}
