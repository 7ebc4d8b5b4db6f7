/* SPDX-License-Identifier: MIT */
/*
 * GRUB's environment block (grub-editenv, grub-core/lib/envblk.c): exactly
 * 1024 bytes, the header line "# GRUB Environment Block", then "key=value"
 * lines, padded with '#' to the end. Pure: the loader (boot/envwrite.c)
 * and the host tool (tools/grubenv.c) share it. Whoever rewrites a block
 * does so only in place: the existing file's blocks get the same 1024
 * bytes with new content, no allocation, no size change.
 */
#ifndef PVHBOOT_CONFIG_GRUBENV_H
#define PVHBOOT_CONFIG_GRUBENV_H

#include "../core/lib.h"

#define GRUBENV_SIZE 1024
#define GRUBENV_HEADER "# GRUB Environment Block\n"

/* grubenv_valid() - @block (@len bytes) is a whole environment block. */
bool grubenv_valid(const char *block, size_t len);

/*
 * grubenv_get() - the value of @key in @block (GRUBENV_SIZE bytes) into
 * @out (@cap bytes, terminated). 0, -ENOENT, -E2BIG, -EINVAL (not a block).
 */
int grubenv_get(const char *block, const char *key, char *out, size_t cap);

/*
 * grubenv_edit() - set @key to @value in @block (NULL removes it), keeping
 * every other line in order, and pad with '#'. Returns 0, -EINVAL (not a
 * block, or a key/value with '\n', '\\' or a key with '='), -ENOSPC when
 * the result would not fit in GRUBENV_SIZE bytes (@block unchanged).
 */
int grubenv_edit(char *block, const char *key, const char *value);

/*
 * grubenv_each() - call @fn for every "key=value" line of @block, in order,
 * with the raw (still escaped) key and value; stops when @fn returns
 * non-zero. Returns -EINVAL for a block without the header, else 0.
 */
int grubenv_each(const char *block,
		 int (*fn)(void *ctx, const char *key, size_t klen, const char *val, size_t vlen),
		 void *ctx);

#endif
