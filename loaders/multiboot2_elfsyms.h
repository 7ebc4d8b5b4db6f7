/* SPDX-License-Identifier: MIT */
/* The MBI2 ELF sections tag's data (multiboot2_elfsyms.c). */
#ifndef PVHBOOT_LOADERS_MULTIBOOT2_ELFSYMS_H
#define PVHBOOT_LOADERS_MULTIBOOT2_ELFSYMS_H

#include "../core/lib.h"

/* Documented limit: more sections than this and the tag is left out (-E2BIG). */
#define MB2_ELFSYMS_MAX_SECTIONS 512u

struct mb2_elfsyms {
	uint32_t num, entsize, shndx;
	uint8_t *table;     /* the section headers, sh_addr patched by _place() */
	size_t table_size;
	uint8_t *block;     /* the unloaded sections' bytes, 16-aligned each */
	size_t block_size;  /* 0: nothing to place */
};

/*
 * mb2_elfsyms_parse() - copy the section header table of the ELF @image and
 * size the block for its unloaded sections. Returns 0 (buffers malloc()ed),
 * -ENOEXEC for no ELF, -ENOENT for no section table, -EINVAL when the
 * table or a section lies outside the file or the sections add up to more
 * than the file (overlapping many times), -E2BIG, -ENOMEM.
 */
int mb2_elfsyms_parse(const void *image, size_t size, struct mb2_elfsyms *out);

/* Fill the block and point the unloaded sections' sh_addr at @block_addr. */
void mb2_elfsyms_place(struct mb2_elfsyms *s, const void *image, uint64_t block_addr);

void mb2_elfsyms_free(struct mb2_elfsyms *s);

#endif
