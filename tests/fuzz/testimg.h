/* SPDX-License-Identifier: MIT */
/*
 * Hand-made kernel images for the unit tests and the fuzz seed corpora:
 * minimal ELF32/ELF64 executables with Xen notes, multiboot1 headers and
 * bzImage setup headers, each returned with the offsets of the fields a
 * test may want to corrupt. Host only (uses the C library).
 */
#ifndef PVHBOOT_TESTS_TESTIMG_H
#define PVHBOOT_TESTS_TESTIMG_H

#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer; abort()s when out of memory. */
struct tbuf {
	uint8_t *p;
	size_t len, cap;
};

void tbuf_put(struct tbuf *b, const void *data, size_t n);
void tbuf_zero(struct tbuf *b, size_t n);
void tbuf_le16(struct tbuf *b, uint16_t v);
void tbuf_le32(struct tbuf *b, uint32_t v);
void tbuf_le64(struct tbuf *b, uint64_t v);
void tbuf_free(struct tbuf *b);
void put_le32_at(struct tbuf *b, size_t off, uint32_t v);
void put_le64_at(struct tbuf *b, size_t off, uint64_t v);

/* Append one note (name NUL included in namesz, both parts padded to 4). */
void note_add(struct tbuf *notes, const char *name, uint32_t type, const void *desc,
	      uint32_t descsz);
void note_add_u32(struct tbuf *notes, const char *name, uint32_t type, uint32_t v);
void note_add_u64(struct tbuf *notes, const char *name, uint32_t type, uint64_t v);

enum note_place {
	NOTES_NONE,
	NOTES_SEGMENT,  /* a PT_NOTE program header (and no section table) */
	NOTES_SECTION,  /* only a SHT_NOTE section */
	NOTES_BOTH,
};

#define TESTIMG_MAX_LOADS 40

struct test_load {
	uint64_t vaddr, paddr, memsz, align;
	uint32_t filesz;  /* filled with a byte pattern in the file */
};

struct test_elf {
	uint8_t elf_class;  /* 1 = ELF32, 2 = ELF64 */
	uint16_t machine;   /* 0 means EM_X86_64 for ELF64, EM_386 for ELF32 */
	uint16_t type;      /* 0 means ET_EXEC */
	uint64_t entry;
	unsigned nr_loads;
	struct test_load loads[TESTIMG_MAX_LOADS];
	const struct tbuf *notes;
	enum note_place place;
};

/* Where things landed, so a test can corrupt one field at a time. */
struct test_elf_layout {
	size_t phoff, phentsize, phnum;
	size_t note_phdr;   /* index of the PT_NOTE header, if any */
	size_t shoff, shentsize, shnum;
	size_t note_shdr;   /* index of the SHT_NOTE header, if any */
	size_t notes_off;   /* file offset of the notes blob */
	size_t seg_off[TESTIMG_MAX_LOADS];
};

struct tbuf build_elf(const struct test_elf *spec, struct test_elf_layout *lay);

/* A PVH-ish ELF: one or two PT_LOADs, a PHYS32_ENTRY note of @entry_size bytes. */
struct tbuf build_pvh_elf(uint8_t elf_class, unsigned entry_size, enum note_place place,
			  struct test_elf_layout *lay);

/*
 * A multiboot1 image of @file_len bytes with the header at @header_off. With
 * MB1 flag 16 in @flags, the kludge fields are header_addr = load_addr +
 * header_off, load_end = load_addr + file_len, bss_end = load_end + 0x1000.
 */
struct tbuf build_mb1(size_t file_len, size_t header_off, uint32_t flags, uint32_t load_addr);

/*
 * A bzImage: @setup_sects (0 means 4) setup sectors with a 2.15-style
 * header of protocol @version, then a protected-mode kernel of @pm_len
 * bytes (rounded up to 16, syssize's unit) holding @payload at
 * @payload_off (payload_offset/length set).
 */
struct tbuf build_bzimage(uint16_t version, uint8_t setup_sects, size_t pm_len,
			  const void *payload, size_t payload_len, size_t payload_off);

#endif
