/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: mb2_parse() and the ELF sections copy on any bytes, and
 * what the planner assumes of them.
 */
#include "../../core/errno.h"
#include "../../loaders/multiboot2.h"
#include "../../loaders/multiboot2_elfsyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The ELF sections tag's copy: every section in the file, the block bounded. */
	struct mb2_elfsyms syms;
	if (mb2_elfsyms_parse(data, size, &syms) == 0) {
		if (syms.block_size > size + 16u * syms.num)
			__builtin_trap();
		mb2_elfsyms_place(&syms, data, 0x100000);
		mb2_elfsyms_free(&syms);
	}

	struct mb2_image mb;
	int rc = mb2_parse(data, size, &mb);
	if (rc == -ENOEXEC)
		return 0;
	/* A header was found: it is aligned and inside the window. */
	if (mb.header_offset % MB2_HEADER_ALIGN || mb.header_offset + 16 > MB2_SEARCH ||
	    mb.header_offset + 16 > size)
		__builtin_trap();
	/* Every refusal says why. */
	if (rc && !mb.problem)
		__builtin_trap();
	if (rc)
		return 0;
	if (!range_ok(mb.header_offset, mb.header_length, MIN(size, (size_t)MB2_SEARCH)))
		__builtin_trap();
	/* multiboot2.c copies the address tag's range without further checks. */
	if (mb.has_address &&
	    (!range_ok(mb.load_offset, mb.load_size, size) || mb.mem_size < mb.load_size ||
	     (uint64_t)mb.load_addr + mb.mem_size > 0x100000000ull ||
	     !(mb.has_entry || (mb.efi_bs && (mb.has_efi32_entry || mb.has_efi64_entry)))))
		__builtin_trap();
	if (mb.relocatable && (mb.reloc_min > mb.reloc_max ||
			       (mb.reloc_align && !IS_POW2(mb.reloc_align))))
		__builtin_trap();
	if ((mb.requests | mb.optional_requests) & ~MB2_TAGS_UNDERSTOOD)
		__builtin_trap();
	return 0;
}
