/* SPDX-License-Identifier: MIT */
/* GRUB's transparent module decompression (module_unzip.c). */
#ifndef PVHBOOT_CONFIG_MODULE_UNZIP_H
#define PVHBOOT_CONFIG_MODULE_UNZIP_H

#include "../core/lib.h"

/* Documented limit on an inflated module (-EFBIG past it). */
#define MODULE_MAX_INFLATED (1024ull << 20)

/*
 * module_unzip() - replace the malloc()ed module *@data of *@size bytes by
 * its inflated contents when it is gzip or xz, the formats GRUB's file
 * filters (gzio, xzio) undo for `module`/`module2` without --nounzip.
 * zstd is left as it is: GRUB has no zstd file filter. Returns 0 (unchanged
 * or inflated; the old buffer freed), or -EILSEQ, -EFBIG, -ENOMEM with the
 * module untouched. Logs the outcome naming @path.
 */
int module_unzip(const char *path, void **data, size_t *size);

#endif
