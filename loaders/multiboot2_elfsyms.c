/* SPDX-License-Identifier: MIT */
/*
 * The MBI2 "ELF sections" tag (type 9): a copy of the kernel's section
 * header table. Sections the image does not load (sh_addr 0: symbol and
 * string tables, debug info) are copied into one block the loader places
 * in memory, and their sh_addr in the copy is pointed at it, as GRUB does
 * (grub-core/loader/multiboot_elfxx.c), so that a kernel can read its own
 * symbols.
 */
#include "../core/errno.h"
#include "../include/abi/elf.h"
#include "multiboot2_elfsyms.h"

#define SHT_NULL 0u
#define SHT_NOBITS 8u

struct shdr_view {
	uint32_t type;
	uint64_t addr, offset, size;
	size_t addr_field, addr_width; /* where sh_addr lies in the entry */
};

static struct shdr_view read_shdr(const uint8_t *e, bool is64)
{
	if (is64)
		return (struct shdr_view){
			get_le32(e + offsetof(struct elf64_shdr, sh_type)),
			get_le64(e + offsetof(struct elf64_shdr, sh_addr)),
			get_le64(e + offsetof(struct elf64_shdr, sh_offset)),
			get_le64(e + offsetof(struct elf64_shdr, sh_size)),
			offsetof(struct elf64_shdr, sh_addr), 8,
		};
	return (struct shdr_view){
		get_le32(e + offsetof(struct elf32_shdr, sh_type)),
		get_le32(e + offsetof(struct elf32_shdr, sh_addr)),
		get_le32(e + offsetof(struct elf32_shdr, sh_offset)),
		get_le32(e + offsetof(struct elf32_shdr, sh_size)),
		offsetof(struct elf32_shdr, sh_addr), 4,
	};
}

/* Sections that get a place in the block: in the file, not loaded, not empty. */
static bool goes_in_block(const struct shdr_view *s)
{
	return s->addr == 0 && s->size && s->type != SHT_NULL && s->type != SHT_NOBITS;
}

int mb2_elfsyms_parse(const void *image, size_t size, struct mb2_elfsyms *out)
{
	const uint8_t *b = image;
	memset(out, 0, sizeof(*out));
	if (size < sizeof(struct elf32_ehdr) || get_le32(b) != ELF_MAGIC)
		return -ENOEXEC;
	bool is64 = b[EI_CLASS] == ELFCLASS64;
	if (is64 && size < sizeof(struct elf64_ehdr))
		return -EINVAL;
	uint64_t shoff = is64 ? get_le64(b + offsetof(struct elf64_ehdr, e_shoff))
			      : get_le32(b + offsetof(struct elf32_ehdr, e_shoff));
	uint16_t entsize = get_le16(b + (is64 ? offsetof(struct elf64_ehdr, e_shentsize)
					      : offsetof(struct elf32_ehdr, e_shentsize)));
	uint16_t num = get_le16(b + (is64 ? offsetof(struct elf64_ehdr, e_shnum)
					  : offsetof(struct elf32_ehdr, e_shnum)));
	uint16_t shndx = get_le16(b + (is64 ? offsetof(struct elf64_ehdr, e_shstrndx)
					    : offsetof(struct elf32_ehdr, e_shstrndx)));
	if (!num || !shoff)
		return -ENOENT; /* no section table: no tag */
	if (entsize < (is64 ? sizeof(struct elf64_shdr) : sizeof(struct elf32_shdr)))
		return -EINVAL;
	if (num > MB2_ELFSYMS_MAX_SECTIONS)
		return -E2BIG;
	uint64_t table = (uint64_t)num * entsize;
	if (!range_ok(shoff, table, size))
		return -EINVAL;

	uint64_t block = 0;
	for (unsigned i = 0; i < num; i++) {
		struct shdr_view s = read_shdr(b + shoff + (uint64_t)i * entsize, is64);
		if (!goes_in_block(&s))
			continue;
		if (!range_ok(s.offset, s.size, size))
			return -EINVAL;
		block = ALIGN_UP(block, 16) + s.size;
		/* Sections may share bytes, but not so many that the block dwarfs the file. */
		if (block > (uint64_t)size + 16u * num)
			return -EINVAL;
	}
	out->num = num;
	out->entsize = entsize;
	out->shndx = shndx;
	out->table_size = (size_t)table;
	out->block_size = (size_t)block;
	out->table = malloc(out->table_size);
	out->block = block ? malloc(out->block_size) : NULL;
	if (!out->table || (block && !out->block)) {
		mb2_elfsyms_free(out);
		return -ENOMEM;
	}
	memcpy(out->table, b + shoff, out->table_size);
	return 0;
}

void mb2_elfsyms_place(struct mb2_elfsyms *s, const void *image, uint64_t block_addr)
{
	const uint8_t *b = image;
	bool is64 = s->entsize >= sizeof(struct elf64_shdr) && b[EI_CLASS] == ELFCLASS64;
	uint64_t at = 0;
	for (unsigned i = 0; i < s->num; i++) {
		uint8_t *e = s->table + (size_t)i * s->entsize;
		struct shdr_view v = read_shdr(e, is64);
		if (!goes_in_block(&v))
			continue;
		at = ALIGN_UP(at, 16);
		memcpy(s->block + at, b + v.offset, v.size);
		uint64_t addr = block_addr + at;
		if (v.addr_width == 8) {
			memcpy(e + v.addr_field, &addr, 8);
		} else {
			uint32_t a32 = (uint32_t)addr;
			memcpy(e + v.addr_field, &a32, 4);
		}
		at += v.size;
	}
}

void mb2_elfsyms_free(struct mb2_elfsyms *s)
{
	free(s->table);
	free(s->block);
	s->table = NULL;
	s->block = NULL;
}
