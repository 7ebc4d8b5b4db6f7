/* SPDX-License-Identifier: MIT */
/*
 * Whole-buffer decompression through Debian's static zlib, libzstd and
 * liblzma, identical in the loader and on the host.
 *
 * The decoders allocate with malloc/free only: the loader's heap provides
 * them, and zlib gets explicit wrappers because its default allocator is
 * compiled out of some builds (Z_SOLO) and would otherwise be implicit.
 *
 * Every decoder stops at the end of the first stream/frame and ignores what
 * follows: a Linux bzImage payload ends with 4 bytes of uncompressed size
 * after the xz or zstd stream (scripts/Makefile.lib, size_append), which a
 * concatenation-aware decoder would reject as a broken second stream.
 */
#include <lzma.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_decompressBound: we link the static library */
#include <zstd.h>
#include <zstd_errors.h>

#include "decompress.h"
#include "errno.h"
#ifndef PVHBOOT_HOSTED
#include "io.h"
#endif

/* xz: the kernel's own xz_wrap.sh uses a 32 MiB dictionary; allow twice that. */
#define XZ_MEMLIMIT (64ull << 20)
/* A trailing size hint larger than this many times the input is not believed. */
#define HINT_MAX_RATIO 32u
#define OUT_MIN_CHUNK (64u << 10)

static const uint8_t gzip_magic[] = { 0x1f, 0x8b, 0x08 };           /* RFC 1952 2.3.1, CM=8 */
static const uint8_t zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };     /* RFC 8878 3.1.1 */
static const uint8_t xz_magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 }; /* xz-file-format 2.1.1.1 */

static bool has_magic(const void *buf, size_t len, const uint8_t *magic, size_t n)
{
	return len >= n && memcmp(buf, magic, n) == 0;
}

enum compression compression_detect(const void *buf, size_t len)
{
	if (has_magic(buf, len, gzip_magic, sizeof(gzip_magic)))
		return COMP_GZIP;
	if (has_magic(buf, len, zstd_magic, sizeof(zstd_magic)))
		return COMP_ZSTD;
	if (has_magic(buf, len, xz_magic, sizeof(xz_magic)))
		return COMP_XZ;
	return COMP_NONE;
}

const char *compression_name(enum compression c)
{
	switch (c) {
	case COMP_GZIP: return "gzip";
	case COMP_ZSTD: return "zstd";
	case COMP_XZ: return "xz";
	default: return "none";
	}
}

/*
 * The growing output buffer. It may grow to max_out + 1 bytes: producing
 * that last byte is how a stream longer than max_out is told apart from one
 * that is exactly max_out long.
 */
struct outbuf {
	uint8_t *data;
	size_t len, cap, limit; /* limit = max_out + 1, saturated */
};

static int outbuf_init(struct outbuf *o, size_t max_out, size_t first)
{
	o->limit = max_out == SIZE_MAX ? SIZE_MAX : max_out + 1;
	o->len = 0;
	o->cap = MIN(MAX(first, (size_t)1), o->limit);
	o->data = malloc(o->cap);
	return o->data ? 0 : -ENOMEM;
}

/* Make room: -EFBIG once the buffer holds limit bytes and still needs more. */
static int outbuf_grow(struct outbuf *o)
{
	if (o->len < o->cap)
		return 0;
	if (o->cap >= o->limit)
		return -EFBIG;
	size_t cap = o->cap > o->limit / 2 ? o->limit : MAX(o->cap * 2, (size_t)OUT_MIN_CHUNK);
	cap = MIN(cap, o->limit);
	uint8_t *p = realloc(o->data, cap);
	if (!p)
		return -ENOMEM;
	o->data = p;
	o->cap = cap;
	return 0;
}

/* Hand the result over, or free it and pass the error on. */
static int outbuf_finish(struct outbuf *o, int rc, void **out, size_t *out_len)
{
	if (!rc && o->len >= o->limit)
		rc = -EFBIG;
	if (rc) {
		free(o->data);
		return rc;
	}
	*out = o->data;
	*out_len = o->len;
	return 0;
}

/*
 * First guess at the output size: gzip's ISIZE (RFC 1952 2.3.1) and
 * Linux's size_append both leave the uncompressed size, mod 2^32, as the
 * last 4 bytes. Anything implausible falls back to a multiple of the input.
 */
static size_t size_hint(const uint8_t *buf, size_t len, size_t max_out)
{
	size_t guess = len > SIZE_MAX / 4 ? SIZE_MAX : len * 4;
	if (len >= 8) {
		uint32_t tail = get_le32(buf + len - 4);
		if (tail >= len / 2 && tail / HINT_MAX_RATIO <= len)
			guess = tail;
	}
	/* +1 so that an exact guess ends the stream without growing. */
	guess = MIN(guess, max_out);
	return MAX(guess == SIZE_MAX ? guess : guess + 1, (size_t)OUT_MIN_CHUNK);
}

static voidpf zlib_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return calloc(items, size);
}

static void zlib_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	free(p);
}

static int gunzip(const uint8_t *buf, size_t len, struct outbuf *o)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	zs.zalloc = zlib_alloc;
	zs.zfree = zlib_free;
	/* 16 + window bits: a gzip wrapper, not zlib or raw deflate (zlib.h). */
	switch (inflateInit2(&zs, 16 + MAX_WBITS)) {
	case Z_OK: break;
	case Z_MEM_ERROR: return -ENOMEM;
	default: return -EILSEQ;
	}

	int rc = 0;
	size_t in_off = 0;
	for (;;) {
		if ((rc = outbuf_grow(o)) != 0)
			break;
		/* avail_in/avail_out are 32-bit: feed huge buffers in slices. */
		size_t in_left = len - in_off, out_left = o->cap - o->len;
		zs.next_in = (Bytef *)(uintptr_t)(buf + in_off);
		zs.avail_in = (uInt)MIN(in_left, (size_t)UINT32_MAX);
		zs.next_out = o->data + o->len;
		zs.avail_out = (uInt)MIN(out_left, (size_t)UINT32_MAX);
		uInt in_before = zs.avail_in, out_before = zs.avail_out;
		int zrc = inflate(&zs, Z_NO_FLUSH);
		in_off += in_before - zs.avail_in;
		o->len += out_before - zs.avail_out;
		if (zrc == Z_STREAM_END)
			break;
		if (zrc == Z_MEM_ERROR) {
			rc = -ENOMEM;
			break;
		}
		if (zrc == Z_OK)
			continue;
		/* Z_BUF_ERROR: no progress although there is room for output, so
		 * the input ran out mid-stream (truncated); anything else is corrupt. */
		rc = -EILSEQ;
		break;
	}
	inflateEnd(&zs);
	return rc;
}

static int zstd_error(size_t r)
{
	switch (ZSTD_getErrorCode(r)) {
	case ZSTD_error_memory_allocation: return -ENOMEM;
	case ZSTD_error_frameParameter_windowTooLarge: return -ENOMEM;
	default: return -EILSEQ;
	}
}

/*
 * One zstd frame (RFC 8878), decoded in a single call into a buffer as big
 * as the frame can produce: its content size when the header states it,
 * else ZSTD_decompressBound()'s 128 KiB per block. Unlike streaming, this
 * needs no window-sized buffer of its own, which for a kernel compressed
 * from a pipe with --ultra -22 (Linux's cmd_zstd22) would be 128 MiB.
 */
static int unzstd(const uint8_t *buf, size_t len, size_t max_out, struct outbuf *o)
{
	/* The frame's own length bounds the input: trailing bytes are ignored. */
	size_t frame_len = ZSTD_findFrameCompressedSize(buf, len);
	if (ZSTD_isError(frame_len))
		return -EILSEQ;
	unsigned long long content = ZSTD_getFrameContentSize(buf, frame_len);
	if (content == ZSTD_CONTENTSIZE_ERROR)
		return -EILSEQ;
	if (content != ZSTD_CONTENTSIZE_UNKNOWN && content > max_out)
		return -EFBIG;
	unsigned long long bound = ZSTD_decompressBound(buf, frame_len);
	if (bound == ZSTD_CONTENTSIZE_ERROR)
		return -EILSEQ;

	int rc = outbuf_init(o, max_out, (size_t)MIN(bound, (unsigned long long)SIZE_MAX));
	if (rc)
		return rc;
	ZSTD_DCtx *dctx = ZSTD_createDCtx();
	if (!dctx)
		return -ENOMEM;
	size_t r = ZSTD_decompressDCtx(dctx, o->data, o->cap, buf, frame_len);
	ZSTD_freeDCtx(dctx);
	if (!ZSTD_isError(r)) {
		o->len = r;
		return 0;
	}
	/* Out of room in a buffer cut to max_out + 1: the output is too big. */
	if (ZSTD_getErrorCode(r) == ZSTD_error_dstSize_tooSmall && o->cap == o->limit)
		return -EFBIG;
	return zstd_error(r);
}

static int unxz(const uint8_t *buf, size_t len, struct outbuf *o)
{
	lzma_stream xs = LZMA_STREAM_INIT;
	/* No LZMA_CONCATENATED: stop after one stream (see the top comment). */
	switch (lzma_stream_decoder(&xs, XZ_MEMLIMIT, 0)) {
	case LZMA_OK: break;
	case LZMA_MEM_ERROR: return -ENOMEM;
	default: return -EILSEQ;
	}
	xs.next_in = buf;
	xs.avail_in = len;

	int rc = 0;
	for (;;) {
		if ((rc = outbuf_grow(o)) != 0)
			break;
		xs.next_out = o->data + o->len;
		xs.avail_out = o->cap - o->len;
		size_t before = xs.avail_out;
		lzma_ret r = lzma_code(&xs, LZMA_FINISH);
		o->len += before - xs.avail_out;
		if (r == LZMA_STREAM_END)
			break;
		if (r == LZMA_OK)
			continue;
		/* A dictionary above the limit: the image asks for too much memory. */
		rc = r == LZMA_MEM_ERROR || r == LZMA_MEMLIMIT_ERROR ? -ENOMEM : -EILSEQ;
		break;
	}
	lzma_end(&xs);
	return rc;
}

static int decode(const void *buf, size_t len, size_t max_out, void **out, size_t *out_len)
{
	struct outbuf o = { 0 };
	int rc;

	switch (compression_detect(buf, len)) {
	case COMP_GZIP:
		rc = outbuf_init(&o, max_out, size_hint(buf, len, max_out));
		if (!rc)
			rc = gunzip(buf, len, &o);
		break;
	case COMP_ZSTD:
		rc = unzstd(buf, len, max_out, &o);
		break;
	case COMP_XZ:
		rc = outbuf_init(&o, max_out, size_hint(buf, len, max_out));
		if (!rc)
			rc = unxz(buf, len, &o);
		break;
	default:
		return -ENOEXEC;
	}
	if (rc && !o.data)
		return rc;
	return outbuf_finish(&o, rc, out, out_len);
}

/*
 * Debian's decoders are built for user space, where a leaf function may
 * keep data in the 128 bytes below %rsp (the System V red zone). An
 * interrupt frame is pushed exactly there: under UEFI the firmware's timer
 * ticks while the loader runs (the Microsoft x64 ABI that UEFI uses has no
 * red zone), and a tick inside zlib's crc32_z corrupted Xen's inflate. So
 * the decoders run with interrupts off; they make no firmware calls (the
 * EFI heap is the loader's own memory). The PVH platforms run with
 * interrupts off anyway.
 */
int decompress(const void *buf, size_t len, size_t max_out, void **out, size_t *out_len)
{
#ifdef PVHBOOT_HOSTED
	return decode(buf, len, max_out, out, out_len);
#else
	bool irq = irq_save();
	int rc = decode(buf, len, max_out, out, out_len);
	irq_restore(irq);
	return rc;
#endif
}
