/* SPDX-License-Identifier: MIT */
/*
 * `pvhboot identify`: the multiboot2 header's details, as mb2_parse() reads
 * them, "key: value" lines indented like the rest of identify.c's output.
 */
#include <inttypes.h>
#include <stdio.h>

#include "../core/errno.h"
#include "../loaders/multiboot2.h"
#include "cli.h"

/* "cmdline mmap acpi_new" for a set of MBI tag bits. */
static void print_requests(const char *key, uint32_t bits)
{
	if (!bits)
		return;
	printf("  %s:", key);
	for (unsigned t = 0; t < 32; t++)
		if (bits & MB2_TAG_BIT(t))
			printf(" %s", mb2_info_tag_name(t) ? mb2_info_tag_name(t) : "?");
	printf("\n");
}

int describe_mb2(const void *buf, size_t len)
{
	struct mb2_image mb;
	int rc = mb2_parse(buf, len, &mb);
	printf("  multiboot2_header: offset %#zx length %" PRIu32 "\n", mb.header_offset,
	       mb.header_length);
	if (rc) {
		printf("  problem: %s (%" PRIu32 ", %s)\n", mb.problem ? mb.problem : "?",
		       mb.problem_value, strerror_name(rc));
		return rc;
	}
	print_requests("mb2_requests", mb.requests);
	print_requests("mb2_optional_requests", mb.optional_requests);
	if (mb.has_address)
		printf("  mb2_address: header_addr %#" PRIx32 " load_addr %#" PRIx32
		       " load_end_addr %#" PRIx32 " bss_end_addr %#" PRIx32 "\n",
		       mb.header_addr, mb.load_addr, mb.load_end_addr, mb.bss_end_addr);
	if (mb.has_entry)
		printf("  mb2_entry: %#" PRIx32 "\n", mb.entry);
	if (mb.has_efi32_entry)
		printf("  mb2_efi32_entry: %#" PRIx32 "\n", mb.efi32_entry);
	if (mb.has_efi64_entry)
		printf("  mb2_efi64_entry: %#" PRIx32 "\n", mb.efi64_entry);
	if (mb.efi_bs)
		printf("  mb2_efi_boot_services: %s\n", mb.efi_bs_optional ? "optional" : "required");
	if (mb.has_console)
		printf("  mb2_console_flags: %#" PRIx32 "\n", mb.console_flags);
	if (mb.has_framebuffer)
		printf("  mb2_framebuffer: %" PRIu32 "x%" PRIu32 "x%" PRIu32 "%s\n", mb.fb_width,
		       mb.fb_height, mb.fb_depth, mb.framebuffer_optional ? " (optional)" : "");
	if (mb.module_align)
		printf("  mb2_module_align: yes\n");
	if (mb.relocatable)
		printf("  mb2_relocatable: min %#" PRIx32 " max %#" PRIx32 " align %#" PRIx32
		       " preference %" PRIu32 "\n",
		       mb.reloc_min, mb.reloc_max, mb.reloc_align, mb.reloc_preference);
	return 0;
}
