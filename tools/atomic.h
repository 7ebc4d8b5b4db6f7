/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_TOOLS_ATOMIC_H
#define PVHBOOT_TOOLS_ATOMIC_H

#include <stddef.h>

/*
 * write_file_atomic() - replace @path with @len bytes of @data so that a
 * crash leaves either the old file or the new one: a temporary file in the
 * same directory, written, fsynced, renamed over @path, then the directory
 * fsynced. An existing file's mode is kept. Returns 0 or -errno (the
 * temporary file removed). -ENOSPC means nothing was replaced.
 */
int write_file_atomic(const char *path, const void *data, size_t len);

#endif
