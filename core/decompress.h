/* SPDX-License-Identifier: MIT */
/*
 * Transparent decompression of kernels and modules, by content (magic
 * bytes), through Debian's static zlib, libzstd and liblzma.
 */
#ifndef PVHBOOT_CORE_DECOMPRESS_H
#define PVHBOOT_CORE_DECOMPRESS_H

#include "lib.h"

enum compression {
	COMP_NONE = 0,
	COMP_GZIP,
	COMP_ZSTD,
	COMP_XZ,
};

enum compression compression_detect(const void *buf, size_t len);
const char *compression_name(enum compression c); /* "none", "gzip", ... */

/*
 * decompress() - inflate a whole compressed buffer.
 * @max_out: refuse (-EFBIG) output larger than this (decompression bombs).
 * On success *out is a malloc()ed buffer of *out_len bytes, owned by the
 * caller. Returns -ENOEXEC when @buf is not compressed (nothing allocated),
 * -EILSEQ for corrupt or truncated data, -ENOMEM, -EFBIG.
 */
int decompress(const void *buf, size_t len, size_t max_out, void **out,
	       size_t *out_len);

#endif
