/* SPDX-License-Identifier: MIT */
/*
 * Unified kernel images: what the menu shows for one (loaders/uki.c).
 */
#ifndef PVHBOOT_LOADERS_UKI_H
#define PVHBOOT_LOADERS_UKI_H

#include "image.h"

struct uki_info {
	bool has_cmdline, has_initrd;
	char name[128];    /* PRETTY_NAME, else NAME, else ID; "" if none */
	char os_id[64];    /* IMAGE_ID, else ID: the sort key */
	char version[64];  /* IMAGE_VERSION, else VERSION_ID, else BUILD_ID */
	char uname[128];   /* .uname, the kernel's release */
};

/* Read @len bytes at @off of the image into @buf; 0 or -E*. */
typedef int (*uki_read_fn)(void *ctx, uint64_t off, void *buf, size_t len);

/*
 * uki_describe() - the names of the unified kernel image of @file_size
 * bytes that @read reads. Returns 0; the pe_parse() errors for a bad PE;
 * -ENOEXEC for a PE without a .linux section (not a UKI); -E* of @read.
 */
int uki_describe(uki_read_fn read, void *ctx, uint64_t file_size, struct uki_info *out);

/* The menu title: "NAME (UNAME)", "NAME (VERSION)" or "NAME"; @file_name without a name. */
void uki_title(const struct uki_info *u, const char *file_name, char *out, size_t cap);

/*
 * osrel_get() - the value of @key in os-release text (KEY=value lines,
 * values possibly quoted), unquoted into @out. Returns 0 or -ENOENT.
 */
int osrel_get(const char *text, size_t len, const char *key, char *out, size_t cap);

#endif
