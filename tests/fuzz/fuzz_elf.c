/* SPDX-License-Identifier: MIT */
/* libFuzzer target: elf_parse() and elf_vaddr_to_paddr() on any bytes. */
#include "../../loaders/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct elf_image img;
	if (elf_parse(data, size, &img) != 0)
		return 0;
	/* What the loaders rely on after a successful parse. */
	for (unsigned i = 0; i < img.nr_segments; i++) {
		const struct elf_segment *s = &img.segments[i];
		if (s->filesz > s->memsz || s->offset > size || s->filesz > size - s->offset ||
		    s->memsz > UINT64_MAX - s->paddr)
			__builtin_trap();
	}
	uint64_t pa;
	if (elf_vaddr_to_paddr(&img, img.entry, &pa) && img.nr_segments == 0)
		__builtin_trap();
	if (img.guest_os[sizeof(img.guest_os) - 1] != 0)
		__builtin_trap();
	return 0;
}
