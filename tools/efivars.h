/* SPDX-License-Identifier: MIT */
/*
 * EFI variables wherever they are: the running firmware's (efivarfs under
 * /sys/firmware/efi/efivars) or an EDK2 variable store file (--efivars
 * FILE, tools/efivars_store.h). Names are ASCII.
 */
#ifndef PVHBOOT_TOOLS_EFIVARS_H
#define PVHBOOT_TOOLS_EFIVARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "efivars_store.h"

struct efivars {
	const char *store_path; /* NULL: efivarfs */
	struct varstore store;
	bool dirty;
};

#define EFIVARFS "/sys/firmware/efi/efivars"

/* efivars_open() - the store file @store_path, or efivarfs when NULL. Prints why not. */
int efivars_open(struct efivars *ev, const char *store_path);
/* efivars_close() - with @save, write a changed store back atomically. 0 or -E*. */
int efivars_close(struct efivars *ev, bool save);

/* efivars_get() - a malloc()ed copy of the value; 0, -ENOENT or -E*. */
int efivars_get(struct efivars *ev, const char *name, const char *guid, uint8_t **data,
		size_t *size, uint32_t *attrs);
/* efivars_set() - @data NULL deletes. 0 or -E*. */
int efivars_set(struct efivars *ev, const char *name, const char *guid, uint32_t attrs,
		const void *data, size_t size);

/* A UTF-16LE string variable read as ASCII ('?' for the rest); 0, -ENOENT, -E*. */
int efivars_get_string(struct efivars *ev, const char *name, const char *guid, char *out,
		       size_t cap);
/* Store ASCII @value as NUL-terminated UTF-16LE, non-volatile. -EINVAL for other text. */
int efivars_set_string(struct efivars *ev, const char *name, const char *guid, const char *value);

#endif
