/* SPDX-License-Identifier: MIT */
/*
 * EFI variables in an EDK2 variable store file (a copy of OVMF_VARS*.fd,
 * include/abi/edk2_varstore.h), read and written on the host so a disk
 * image can be given a boot entry or a one-shot choice before it first
 * boots, and what the firmware kept can be read after.
 *
 * The whole file is held in memory; varstore_save() writes a temporary
 * copy, fsyncs it and renames it over the original, so a crash leaves the
 * old store or the new one, never half of each.
 */
#ifndef PVHBOOT_TOOLS_EFIVARS_STORE_H
#define PVHBOOT_TOOLS_EFIVARS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Attributes (UEFI 2.10 §8.2.1). */
#define EFI_VAR_NON_VOLATILE 0x1u
#define EFI_VAR_BOOTSERVICE 0x2u
#define EFI_VAR_RUNTIME 0x4u
#define EFI_VAR_NV_BS_RT (EFI_VAR_NON_VOLATILE | EFI_VAR_BOOTSERVICE | EFI_VAR_RUNTIME)

/* Documented limit: names longer than this are not ours to look at. */
#define VARSTORE_NAME_MAX 128

struct varstore {
	uint8_t *buf;        /* the whole file */
	size_t len;
	uint64_t first;      /* offset of the first variable header */
	uint64_t end;        /* end of the variable region */
	uint64_t free;       /* where the next variable goes */
	bool auth;           /* authenticated (60-byte) headers */
};

/* One live variable, pointing into the store's buffer. */
struct varstore_var {
	char name[VARSTORE_NAME_MAX]; /* ASCII; other names are shown as '?' */
	uint8_t guid[16];             /* on-disk (EFI_GUID) byte order */
	uint32_t attrs;
	const uint8_t *data;
	uint32_t size;
	uint64_t offset;              /* of the header, for the iterator */
};

/*
 * varstore_parse() - check @buf (@len bytes) as a variable store and find
 * its variables and free space; @buf is kept (not copied). Returns 0,
 * -EINVAL when it is not an EDK2 store (no "_FVH", wrong signature, not
 * formatted, sizes outside the file) or -EIO when a variable header runs
 * past the store.
 */
int varstore_parse(struct varstore *vs, uint8_t *buf, size_t len);

/*
 * varstore_next() - the live variable after @offset (0 starts); fills @v
 * and returns 0, or -ENOENT after the last.
 */
int varstore_next(const struct varstore *vs, uint64_t offset, struct varstore_var *v);

/* varstore_get() - the live variable @name of @guid; 0 or -ENOENT. */
int varstore_get(const struct varstore *vs, const char *name, const uint8_t guid[16],
		 struct varstore_var *v);

/*
 * varstore_set() - replace (or add) @name of @guid with @size bytes of
 * @data and @attrs, as the firmware would: the new copy is appended and
 * any old one marked deleted; with no room left, the store is compacted
 * first (deleted variables dropped). @data NULL deletes. Returns 0,
 * -ENOSPC (no room even compacted), -EINVAL (a name that is not ASCII).
 */
int varstore_set(struct varstore *vs, const char *name, const uint8_t guid[16], uint32_t attrs,
		 const void *data, uint32_t size);

/* varstore_load() - read and parse @path (malloc()ed buffer). 0 or -E*. */
int varstore_load(const char *path, struct varstore *vs);
/* varstore_save() - write @vs back to @path: temporary file, fsync, rename. */
int varstore_save(const char *path, const struct varstore *vs);
void varstore_free(struct varstore *vs);

/* "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f" into EFI_GUID byte order; 0 or -EINVAL. */
int guid_parse(const char *text, uint8_t out[16]);

/* The vendors pvhboot deals with (text form, for guid_parse()). */
#define EFI_GLOBAL_GUID "8be4df61-93ca-11d2-aa0d-00e098032b8c"
#define BLI_VENDOR_GUID "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"

#endif
