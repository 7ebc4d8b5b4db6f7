/* SPDX-License-Identifier: MIT */
/*
 * Where the next boot's choice is kept, and what it will be: EFI variables
 * (LoaderEntryOneShot, LoaderEntryDefault of the Boot Loader Interface) on
 * EFI systems, grubenv (next_entry, saved_entry) on PVH guests.
 */
#ifndef PVHBOOT_TOOLS_BOOTNEXT_H
#define PVHBOOT_TOOLS_BOOTNEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "efivars.h"
#include "grubenv.h"

enum bootnext_kind { BOOTNEXT_EFI, BOOTNEXT_GRUBENV_FILE, BOOTNEXT_GRUBENV_IMAGE };

struct bootnext {
	enum bootnext_kind kind;
	struct efivars ev;            /* BOOTNEXT_EFI */
	char path[4096];              /* the grubenv file, or the image */
	char inner[64];               /* image: the grubenv's path inside its partition */
	uint64_t offset, size;        /* image: that partition */
	char block[GRUBENV_SIZE];     /* grubenv: its content */
};

/*
 * bootnext_open() - the place named by exactly one of @store (an EDK2
 * variable store file), @grubenv (a file) or @image (a disk image holding
 * /boot/grub/grubenv or /boot/grub2/grubenv); with none, this system's:
 * efivarfs when booted through EFI, else /boot/grub{,2}/grubenv. Prints why
 * not and returns -E*.
 */
int bootnext_open(struct bootnext *bn, const char *store, const char *grubenv, const char *image);
void bootnext_close(struct bootnext *bn);

/* bootnext_print() - "next boot: ID (why)" and the variables behind it. */
void bootnext_print(struct bootnext *bn);

#endif
