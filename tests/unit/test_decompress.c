/* SPDX-License-Identifier: MIT */
/*
 * decompress(): data compressed here with zlib, libzstd and liblzma the way
 * kernels and initrds are (gzip; zstd with and without a content size; xz
 * with CRC32 and the x86 BCJ filter as the kernel's xz_wrap.sh), Linux's
 * trailing size word, truncated and corrupted streams, and max_out.
 */
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "../../core/decompress.h"
#include "../../core/errno.h"
#include "test.h"

#define DATA_LEN (300u * 1024) /* bigger than the decoder's first chunk */

static uint8_t data[DATA_LEN];

/* Compressible but not trivial: text-like runs mixed with noise. */
static void make_data(void)
{
	uint32_t x = 0x12345678;
	for (size_t i = 0; i < DATA_LEN; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (i / 64) % 3 == 0 ? (uint8_t)(x >> 24) : (uint8_t)("pvhboot "[i % 8]);
	}
}

struct blob {
	uint8_t *p;
	size_t len;
};

static struct blob gzip_of(const uint8_t *src, size_t len)
{
	z_stream zs = { 0 };
	CHECK(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
	size_t cap = deflateBound(&zs, (uLong)len) + 16;
	struct blob b = { malloc(cap), 0 };
	zs.next_in = (Bytef *)(uintptr_t)src;
	zs.avail_in = (uInt)len;
	zs.next_out = b.p;
	zs.avail_out = (uInt)cap;
	CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END);
	b.len = cap - zs.avail_out;
	deflateEnd(&zs);
	return b;
}

/* @known_size: write the content size in the frame header (ZSTD_compress2
 * does; a streamed compression without a pledged size does not). */
static struct blob zstd_of(const uint8_t *src, size_t len, bool known_size)
{
	size_t cap = ZSTD_compressBound(len);
	struct blob b = { malloc(cap), 0 };
	ZSTD_CCtx *c = ZSTD_createCCtx();
	CHECK(!ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1)));
	CHECK(!ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 19)));
	if (known_size) {
		b.len = ZSTD_compress2(c, b.p, cap, src, len);
	} else {
		ZSTD_inBuffer in = { src, len, 0 };
		ZSTD_outBuffer out = { b.p, cap, 0 };
		/* Feed in pieces so the size is never known up front. */
		while (in.pos < in.size) {
			ZSTD_inBuffer piece = { (const uint8_t *)src + in.pos,
						MIN(in.size - in.pos, (size_t)4096), 0 };
			CHECK(!ZSTD_isError(ZSTD_compressStream2(c, &out, &piece, ZSTD_e_continue)));
			in.pos += piece.pos;
		}
		ZSTD_inBuffer none = { NULL, 0, 0 };
		size_t left;
		do {
			left = ZSTD_compressStream2(c, &out, &none, ZSTD_e_end);
			CHECK(!ZSTD_isError(left));
		} while (left);
		b.len = out.pos;
	}
	CHECK(!ZSTD_isError(b.len));
	ZSTD_freeCCtx(c);
	unsigned long long cs = ZSTD_getFrameContentSize(b.p, b.len);
	CHECK(known_size ? cs == len : cs == ZSTD_CONTENTSIZE_UNKNOWN);
	return b;
}

/* As the kernel's scripts/xz_wrap.sh: BCJ x86 + LZMA2, CRC32 check. */
static struct blob xz_of(const uint8_t *src, size_t len)
{
	lzma_options_lzma opt;
	CHECK(!lzma_lzma_preset(&opt, 6));
	opt.dict_size = 1u << 20;
	lzma_filter filters[] = {
		{ LZMA_FILTER_X86, NULL },
		{ LZMA_FILTER_LZMA2, &opt },
		{ LZMA_VLI_UNKNOWN, NULL },
	};
	size_t cap = lzma_stream_buffer_bound(len);
	struct blob b = { malloc(cap), 0 };
	CHECK(lzma_stream_buffer_encode(filters, LZMA_CHECK_CRC32, NULL, src, len, b.p, &b.len,
					cap) == LZMA_OK);
	return b;
}

static struct blob compress_as(enum compression c, const uint8_t *src, size_t len)
{
	switch (c) {
	case COMP_GZIP: return gzip_of(src, len);
	case COMP_ZSTD: return zstd_of(src, len, true);
	default: return xz_of(src, len);
	}
}

static const enum compression kinds[] = { COMP_GZIP, COMP_ZSTD, COMP_XZ };

static void round_trip(const struct blob *z, const uint8_t *want, size_t want_len,
		       const char *what)
{
	void *out = NULL;
	size_t out_len = 0;
	int rc = decompress(z->p, z->len, SIZE_MAX, &out, &out_len);
	if (rc)
		FAIL("%s: rc %d (%s)", what, rc, strerror_name(rc));
	if (out_len != want_len || memcmp(out, want, want_len))
		FAIL("%s: %zu bytes out, want %zu, or different", what, out_len, want_len);
	free(out);
}

TEST(detect_and_names)
{
	for (unsigned i = 0; i < ARRAY_SIZE(kinds); i++) {
		struct blob z = compress_as(kinds[i], data, 1000);
		CHECK_EQ_INT(compression_detect(z.p, z.len), kinds[i]);
		CHECK_EQ_INT(compression_detect(z.p, 2), COMP_NONE); /* too short to tell */
		free(z.p);
	}
	CHECK_EQ_INT(compression_detect(data, sizeof(data)), COMP_NONE);
	CHECK_EQ_INT(compression_detect(data, 0), COMP_NONE);
	CHECK(!strcmp(compression_name(COMP_GZIP), "gzip"));
	CHECK(!strcmp(compression_name(COMP_ZSTD), "zstd"));
	CHECK(!strcmp(compression_name(COMP_XZ), "xz"));
	CHECK(!strcmp(compression_name(COMP_NONE), "none"));
}

TEST(round_trips)
{
	static const size_t sizes[] = { 0, 1, 4096, DATA_LEN };
	for (unsigned k = 0; k < ARRAY_SIZE(kinds); k++) {
		for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++) {
			struct blob z = compress_as(kinds[k], data, sizes[s]);
			char what[64];
			snprintf(what, sizeof(what), "%s of %zu bytes", compression_name(kinds[k]),
				 sizes[s]);
			round_trip(&z, data, sizes[s], what);
			free(z.p);
		}
	}
	/* zstd without a content size takes the streaming path. */
	struct blob z = zstd_of(data, DATA_LEN, false);
	round_trip(&z, data, DATA_LEN, "zstd, size unknown");
	free(z.p);
}

/* A bzImage payload ends with Linux's 4-byte size word after the stream. */
TEST(trailing_bytes_ignored)
{
	for (unsigned k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct blob z = compress_as(kinds[k], data, DATA_LEN);
		uint8_t *p = realloc(z.p, z.len + 4);
		CHECK(p);
		z.p = p;
		for (unsigned i = 0; i < 4; i++)
			z.p[z.len + i] = (uint8_t)(DATA_LEN >> (8 * i));
		z.len += 4;
		round_trip(&z, data, DATA_LEN, compression_name(kinds[k]));
		free(z.p);
	}
}

static void expect_rc(const struct blob *z, size_t max_out, int want, const char *what)
{
	void *out = (void *)&out; /* must stay untouched on failure */
	size_t out_len = 12345;
	int rc = decompress(z->p, z->len, max_out, &out, &out_len);
	if (rc != want)
		FAIL("%s: rc %d (%s), want %d (%s)", what, rc, strerror_name(rc), want,
		     strerror_name(want));
	if (rc) {
		CHECK(out == (void *)&out);
		CHECK_EQ_U64(out_len, 12345);
	} else {
		free(out);
	}
}

TEST(truncated_streams)
{
	for (unsigned k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct blob z = compress_as(kinds[k], data, DATA_LEN);
		size_t full = z.len;
		const size_t cuts[] = { 7, full / 3, full / 2, full - 1 };
		for (unsigned c = 0; c < ARRAY_SIZE(cuts); c++) {
			char what[64];
			snprintf(what, sizeof(what), "%s cut to %zu of %zu", compression_name(kinds[k]),
				 cuts[c], full);
			z.len = cuts[c];
			expect_rc(&z, SIZE_MAX, -EILSEQ, what);
		}
		free(z.p);
	}
	struct blob z = zstd_of(data, DATA_LEN, false);
	z.len /= 2;
	expect_rc(&z, SIZE_MAX, -EILSEQ, "zstd streamed, cut in half");
	free(z.p);
}

TEST(corrupted_streams)
{
	for (unsigned k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct blob z = compress_as(kinds[k], data, DATA_LEN);
		char what[64];
		/* Flip bits in the middle, then in the trailer: gzip's CRC32,
		 * zstd's content checksum, xz's index. */
		z.p[z.len / 2] ^= 0x55;
		snprintf(what, sizeof(what), "%s, middle byte flipped", compression_name(kinds[k]));
		expect_rc(&z, SIZE_MAX, -EILSEQ, what);
		z.p[z.len / 2] ^= 0x55;
		size_t check_byte = kinds[k] == COMP_GZIP ? z.len - 5
				    : kinds[k] == COMP_ZSTD ? z.len - 2 : z.len - 12 - 4;
		z.p[check_byte] ^= 0x01;
		snprintf(what, sizeof(what), "%s, trailer flipped", compression_name(kinds[k]));
		expect_rc(&z, SIZE_MAX, -EILSEQ, what);
		free(z.p);
	}
}

TEST(not_compressed)
{
	struct blob raw = { data, 1000 };
	expect_rc(&raw, SIZE_MAX, -ENOEXEC, "raw data");
	raw.len = 0;
	expect_rc(&raw, SIZE_MAX, -ENOEXEC, "empty");
}

TEST(max_out)
{
	for (unsigned k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct blob z = compress_as(kinds[k], data, DATA_LEN);
		char what[64];
		snprintf(what, sizeof(what), "%s, max_out exact", compression_name(kinds[k]));
		expect_rc(&z, DATA_LEN, 0, what);
		snprintf(what, sizeof(what), "%s, max_out one short", compression_name(kinds[k]));
		expect_rc(&z, DATA_LEN - 1, -EFBIG, what);
		snprintf(what, sizeof(what), "%s, max_out 4 KiB", compression_name(kinds[k]));
		expect_rc(&z, 4096, -EFBIG, what);
		free(z.p);
	}
	struct blob z = zstd_of(data, DATA_LEN, false);
	expect_rc(&z, DATA_LEN, 0, "zstd streamed, max_out exact");
	expect_rc(&z, DATA_LEN - 1, -EFBIG, "zstd streamed, max_out one short");
	expect_rc(&z, 4096, -EFBIG, "zstd streamed, max_out 4 KiB");
	free(z.p);
}

/* 64 MiB of zeros in a few KiB: refused without inflating it all. */
TEST(bomb)
{
	size_t big = 64u << 20;
	uint8_t *zeros = calloc(1, big);
	CHECK(zeros);
	for (unsigned k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct blob z = compress_as(kinds[k], zeros, big);
		CHECK(z.len < big / 100);
		expect_rc(&z, 1u << 20, -EFBIG, compression_name(kinds[k]));
		free(z.p);
	}
	free(zeros);
}

int main(void)
{
	make_data();
	RUN(detect_and_names);
	RUN(round_trips);
	RUN(trailing_bytes_ignored);
	RUN(truncated_streams);
	RUN(corrupted_streams);
	RUN(not_compressed);
	RUN(max_out);
	RUN(bomb);
	return test_summary();
}
