/* SPDX-License-Identifier: MIT */
/*
 * GRUB's environment block (grub-editenv): exactly 1024 bytes, the header
 * line "# GRUB Environment Block", then "key=value" lines, padded with
 * '#' to the end. A loader may rewrite it, and so does pvhboot's host
 * tool, only in place: the existing file's blocks get the same 1024 bytes
 * with new content, no allocation, no size change. Anything else (no
 * file, another size, no header, a hole) is refused.
 */
#ifndef PVHBOOT_TOOLS_GRUBENV_H
#define PVHBOOT_TOOLS_GRUBENV_H

#include <stddef.h>
#include <stdint.h>

/* GRUBENV_SIZE, grubenv_get(), grubenv_edit(): shared with the loader. */
#include "../config/grubenv.h"

/*
 * grubenv_rewrite_file() - grubenv_edit() on an existing file, written back
 * over its own 1024 bytes (pwrite at 0, fdatasync, the old mtime put back).
 * Refuses -ENOENT, -EINVAL (another size or not a block), -ENOSPC (a
 * sparse file: writing would allocate).
 */
int grubenv_rewrite_file(const char *path, const char *key, const char *value);

/*
 * grubenv_rewrite_image() - the same inside a disk image: @old (the file's
 * content, read through the loader's file system drivers) is looked for at
 * every 512-byte boundary of [@offset, @offset + @size) of @image and
 * rewritten there, only when found exactly once (a file system block is
 * at least 512 bytes and aligned; two copies mean we cannot tell which is
 * the file). Returns 0, -ENOENT (not found), -EEXIST (found twice), -E*.
 */
int grubenv_rewrite_image(const char *image, uint64_t offset, uint64_t size, const char *old,
			  const char *key, const char *value);

#endif
