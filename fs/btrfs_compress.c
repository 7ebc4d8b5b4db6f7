/* SPDX-License-Identifier: MIT */
/*
 * btrfs compressed extents, through Debian's static zlib, libzstd and
 * liblzo2. Each extent is compressed on its own (fs/btrfs/{zlib,zstd,lzo}.c):
 *  - zlib: one zlib-wrapped deflate stream;
 *  - zstd: one zstd frame, padded with zeros to the sector;
 *  - lzo: btrfs's own framing. A 4-byte little-endian total length (itself
 *    included), then segments: a 4-byte length and that many bytes of
 *    lzo1x data inflating to at most one sector. A segment header never
 *    straddles a sector boundary: when fewer than 4 bytes are left in the
 *    sector, the rest is zero padding and the header starts at the next.
 * Callers give a buffer one byte larger than the extent may inflate to, so
 * filling it means the data lied about its size.
 *
 * As in core/decompress.c, the decoders run with interrupts off in the
 * loader: they were built for user space and may use the red zone.
 */
#include <lzo/lzo1x.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>

#include "../core/errno.h"
#include "../core/log.h"
#include "btrfs_priv.h"
#ifndef PVHBOOT_HOSTED
#include "../core/io.h"
#endif

#define LZO_LEN 4u

static voidpf zalloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return calloc(items, size);
}

static void zfree(voidpf opaque, voidpf p)
{
	(void)opaque;
	free(p);
}

static int inflate_zlib(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
			size_t *out_len)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	zs.zalloc = zalloc;
	zs.zfree = zfree;
	switch (inflateInit(&zs)) {
	case Z_OK: break;
	case Z_MEM_ERROR: return -ENOMEM;
	default: return -EILSEQ;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)in_len; /* <= 128 KiB */
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	int zrc = inflate(&zs, Z_FINISH);
	*out_len = cap - zs.avail_out;
	inflateEnd(&zs);
	if (zrc == Z_STREAM_END)
		return 0;
	if (zrc == Z_MEM_ERROR)
		return -ENOMEM;
	/* Stopped with the buffer full: more output was coming. */
	if (zs.avail_out == 0)
		return -EFBIG;
	return -EILSEQ;
}

static int inflate_zstd(struct btrfs_fs *b, const uint8_t *in, size_t in_len, uint8_t *out,
			size_t cap, size_t *out_len)
{
	/* The frame's own length: the zero padding after it is no second frame. */
	size_t frame = ZSTD_findFrameCompressedSize(in, in_len);
	if (ZSTD_isError(frame))
		return -EILSEQ;
	if (!b->zstd_dctx) {
		b->zstd_dctx = ZSTD_createDCtx();
		if (!b->zstd_dctx)
			return -ENOMEM;
	}
	size_t r = ZSTD_decompressDCtx(b->zstd_dctx, out, cap, in, frame);
	if (!ZSTD_isError(r)) {
		*out_len = r;
		return 0;
	}
	switch (ZSTD_getErrorCode(r)) {
	case ZSTD_error_dstSize_tooSmall: return -EFBIG;
	case ZSTD_error_memory_allocation: return -ENOMEM;
	default: return -EILSEQ;
	}
}

static int inflate_lzo(const struct btrfs_fs *b, const uint8_t *in, size_t in_len, uint8_t *out,
		       size_t cap, size_t *out_len)
{
	const size_t sector = b->sectorsize;
	if (in_len < LZO_LEN)
		return -EILSEQ;
	size_t total = get_le32(in);
	if (total < LZO_LEN || total > in_len)
		return -EILSEQ;
	size_t pos = LZO_LEN, done = 0;
	while (pos < total) {
		if (total - pos < LZO_LEN)
			return -EILSEQ;
		size_t seg = get_le32(in + pos);
		pos += LZO_LEN;
		if (!seg || seg > total - pos)
			return -EILSEQ;
		if (done == cap)
			return -EFBIG;
		lzo_uint got = MIN(sector, cap - done);
		int r = lzo1x_decompress_safe(in + pos, seg, out + done, &got, NULL);
		if (r == LZO_E_OUTPUT_OVERRUN)
			return got < sector ? -EFBIG : -EILSEQ;
		if (r != LZO_E_OK)
			return -EILSEQ;
		done += got;
		pos += seg;
		/* No room left in this sector for a header: skip the padding. */
		size_t left = sector - pos % sector;
		if (left < LZO_LEN)
			pos += left;
	}
	*out_len = done;
	return 0;
}

static int decode(struct btrfs_fs *b, uint8_t type, const uint8_t *in, size_t in_len,
		  uint8_t *out, size_t cap, size_t *out_len)
{
	switch (type) {
	case BTRFS_COMPRESS_ZLIB:
		return inflate_zlib(in, in_len, out, cap, out_len);
	case BTRFS_COMPRESS_LZO:
		return inflate_lzo(b, in, in_len, out, cap, out_len);
	case BTRFS_COMPRESS_ZSTD:
		return inflate_zstd(b, in, in_len, out, cap, out_len);
	default:
		return -EOPNOTSUPP;
	}
}

int btrfs_decompress(struct btrfs_fs *b, uint8_t type, const uint8_t *in, size_t in_len,
		     uint8_t *out, size_t cap, size_t *out_len)
{
	*out_len = 0;
#ifdef PVHBOOT_HOSTED
	return decode(b, type, in, in_len, out, cap, out_len);
#else
	bool irq = irq_save();
	int rc = decode(b, type, in, in_len, out, cap, out_len);
	irq_restore(irq);
	return rc;
#endif
}

void btrfs_decompress_free(struct btrfs_fs *b)
{
	ZSTD_freeDCtx(b->zstd_dctx);
	b->zstd_dctx = NULL;
}
