/* SPDX-License-Identifier: MIT */
/*
 * Debian's libzstd is built with support for the pre-1.0 frame formats
 * v0.5-v0.7 (2015-2016). zstd_decompress.o refers to their decoders, which
 * cost 80 KB of the 512 KiB image budget, for formats no kernel or initrd
 * has used since zstd 1.0. Defining their entry points here keeps those
 * archive members out of the link; a legacy frame then fails to decode with
 * zstd's generic error, like any corrupt input.
 *
 * Every function below has the prototype zstd_legacy.h gives it up to
 * the type of its pointers; only error results are produced.
 */
#include "lib.h"

#define ZSTD_GENERIC_ERROR ((size_t)-1)
#define ZSTD_CONTENTSIZE_ERROR (0ULL - 2)

#define LEGACY(v)                                                                             \
	void *ZSTD##v##_createDCtx(void);                                                        \
	void *ZSTD##v##_createDCtx(void) { return NULL; }                                         \
	size_t ZSTD##v##_freeDCtx(void *dctx);                                                   \
	size_t ZSTD##v##_freeDCtx(void *dctx) { return 0; }                                       \
	size_t ZSTD##v##_decompress_usingDict(void *dctx, void *dst, size_t cap, const void *src, \
					      size_t len, const void *dict, size_t dict_len);     \
	size_t ZSTD##v##_decompress_usingDict(void *dctx, void *dst, size_t cap, const void *src, \
					      size_t len, const void *dict, size_t dict_len)      \
	{                                                                                        \
		return ZSTD_GENERIC_ERROR;                                                       \
	}                                                                                        \
	size_t ZSTD##v##_getFrameParams(void *params, const void *src, size_t len);              \
	size_t ZSTD##v##_getFrameParams(void *params, const void *src, size_t len)               \
	{                                                                                        \
		return ZSTD_GENERIC_ERROR;                                                       \
	}                                                                                        \
	void ZSTD##v##_findFrameSizeInfoLegacy(const void *src, size_t len, size_t *csize,       \
					       unsigned long long *dbound);                      \
	void ZSTD##v##_findFrameSizeInfoLegacy(const void *src, size_t len, size_t *csize,       \
					       unsigned long long *dbound)                       \
	{                                                                                        \
		*csize = ZSTD_GENERIC_ERROR;                                                     \
		*dbound = ZSTD_CONTENTSIZE_ERROR;                                                \
	}                                                                                        \
	void *ZBUFF##v##_createDCtx(void);                                                       \
	void *ZBUFF##v##_createDCtx(void) { return NULL; }                                        \
	size_t ZBUFF##v##_freeDCtx(void *dctx);                                                  \
	size_t ZBUFF##v##_freeDCtx(void *dctx) { return 0; }                                      \
	size_t ZBUFF##v##_decompressInitDictionary(void *dctx, const void *dict, size_t len);    \
	size_t ZBUFF##v##_decompressInitDictionary(void *dctx, const void *dict, size_t len)     \
	{                                                                                        \
		return ZSTD_GENERIC_ERROR;                                                       \
	}                                                                                        \
	size_t ZBUFF##v##_decompressContinue(void *dctx, void *dst, size_t *dst_len,             \
					     const void *src, size_t *src_len);                  \
	size_t ZBUFF##v##_decompressContinue(void *dctx, void *dst, size_t *dst_len,             \
					     const void *src, size_t *src_len)                   \
	{                                                                                        \
		return ZSTD_GENERIC_ERROR;                                                       \
	}

LEGACY(v05)
LEGACY(v06)
LEGACY(v07)
