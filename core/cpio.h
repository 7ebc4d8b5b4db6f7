/* SPDX-License-Identifier: MIT */
/*
 * Reading "newc" cpio archives (the initramfs format) held in memory.
 * Used for boot bundles: a single PVH module carrying a kernel, its modules
 * and their command lines.
 */
#ifndef PVHBOOT_CORE_CPIO_H
#define PVHBOOT_CORE_CPIO_H

#include "lib.h"

struct cpio_entry {
	const char *name;     /* not NUL terminated inside the archive */
	size_t name_len;      /* without the NUL */
	const void *data;
	size_t size;
	uint32_t mode;
};

bool cpio_is_archive(const void *buf, size_t len);

/*
 * cpio_next() - iterate over entries. *pos starts at 0.
 * Returns 1 with *e filled, 0 at the TRAILER!!! entry or end of buffer,
 * -EINVAL for a malformed header or sizes past the end of the buffer.
 */
int cpio_next(const void *buf, size_t len, size_t *pos, struct cpio_entry *e);

#endif
