/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 kernels: the header parser (pure, multiboot2_header.c) and the
 * description it fills, which the planner (multiboot2.c), the host CLI and
 * the EFI entry read.
 */
#ifndef PVHBOOT_LOADERS_MULTIBOOT2_H
#define PVHBOOT_LOADERS_MULTIBOOT2_H

#include "../core/lib.h"
#include "../include/abi/multiboot2.h"

/* Bit (1u << type) for each MBI tag type 0..31 (information requests). */
#define MB2_TAG_BIT(type) (1u << (type))

/* MBI tags the spec defines: a required request for any other is refused. */
#define MB2_TAGS_UNDERSTOOD ((1u << (MB2_TAG_MAX + 1)) - 1)

/* Documented limit: more header tags than this is refused (-E2BIG). */
#define MB2_MAX_HEADER_TAGS 64

struct mb2_image {
	size_t header_offset;     /* file offset of the header, 8-aligned */
	uint32_t header_length;
	uint32_t architecture;
	bool is_elf;              /* the file is also an ELF */
	unsigned nr_tags;         /* header tags before the end tag */

	/* Information requests: required and optional MBI tag types (< 32). */
	uint32_t requests;
	uint32_t optional_requests;

	bool has_address;         /* type 2 */
	bool address_optional;
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	/* From the address tag, checked against the file: */
	uint64_t load_offset;     /* file offset of load_addr */
	uint64_t load_size;       /* bytes read from the file */
	uint64_t mem_size;        /* load_size + bss */

	bool has_entry;           /* type 3 */
	uint32_t entry;
	bool has_efi32_entry;     /* type 8 (for the EFI entry, later) */
	uint32_t efi32_entry;
	bool has_efi64_entry;     /* type 9 */
	uint32_t efi64_entry;
	bool efi_bs;              /* type 7: keep EFI boot services */
	bool efi_bs_optional;

	bool has_console;         /* type 4 */
	bool console_optional;
	uint32_t console_flags;

	bool has_framebuffer;     /* type 5 */
	bool framebuffer_optional;
	uint32_t fb_width, fb_height, fb_depth;

	bool module_align;        /* type 6: page-align modules */

	bool relocatable;         /* type 10 */
	uint32_t reloc_min, reloc_max, reloc_align, reloc_preference;

	/* Why mb2_parse() refused, and the number it names (a tag type...). */
	const char *problem;
	uint32_t problem_value;
};

/*
 * mb2_parse() - find and check a multiboot2 header in the first 32 KiB.
 * The header is the first 8-aligned magic whose checksum holds. Every tag is
 * walked, 8-aligned and bounded by header_length, up to the end tag.
 * Returns 0; -ENOEXEC when there is no header; -EINVAL when it is malformed
 * (architecture not i386, header or tag running past the header or the
 * search window, a tag too short for its type, no end tag, address fields
 * inconsistent with the file); -EOPNOTSUPP for a required tag or a required
 * information request pvhboot does not understand; -E2BIG for more than
 * MB2_MAX_HEADER_TAGS tags. On every error but -ENOEXEC, out->problem says
 * why in a few words and out->problem_value gives the number it concerns.
 */
int mb2_parse(const void *buf, size_t len, struct mb2_image *out);

/* "information request" for header tag type @type, NULL if unknown. */
const char *mb2_header_tag_name(unsigned type);
/* "cmdline", "mmap", ... for MBI tag type @type, NULL if unknown. */
const char *mb2_info_tag_name(unsigned type);

struct boot_env;
struct boot_request;
struct boot_plan;

/*
 * mb2_plan() - the boot plan for a (decompressed) multiboot2 kernel: load
 * it, place modules and the MBI2, enter at the i386 entry. Every refusal is
 * logged once with the file name.
 */
int mb2_plan(const struct boot_env *env, const struct boot_request *req, const void *image,
	     size_t size, struct boot_plan *plan);

/* With both headers and no hint: multiboot2 (true) or multiboot1 on this platform. */
bool mb2_preferred_over_mb1(const struct boot_env *env);

#endif
