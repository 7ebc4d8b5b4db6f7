/* SPDX-License-Identifier: MIT */
/* Hand-made kernel images for tests and seeds; see testimg.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/abi/bootparam.h"
#include "../../include/abi/elf.h"
#include "../../include/abi/multiboot1.h"
#include "testimg.h"

static void reserve(struct tbuf *b, size_t n)
{
	if (b->len + n <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + n)
		cap *= 2;
	uint8_t *p = realloc(b->p, cap);
	if (!p) {
		fprintf(stderr, "testimg: out of memory\n");
		abort();
	}
	b->p = p;
	b->cap = cap;
}

void tbuf_put(struct tbuf *b, const void *data, size_t n)
{
	reserve(b, n);
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
}

void tbuf_zero(struct tbuf *b, size_t n)
{
	reserve(b, n);
	memset(b->p + b->len, 0, n);
	b->len += n;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void tbuf_le16(struct tbuf *b, uint16_t v)
{
	reserve(b, 2);
	put_le(b->p + b->len, v, 2);
	b->len += 2;
}

void tbuf_le32(struct tbuf *b, uint32_t v)
{
	reserve(b, 4);
	put_le(b->p + b->len, v, 4);
	b->len += 4;
}

void tbuf_le64(struct tbuf *b, uint64_t v)
{
	reserve(b, 8);
	put_le(b->p + b->len, v, 8);
	b->len += 8;
}

void put_le32_at(struct tbuf *b, size_t off, uint32_t v)
{
	if (off + 4 > b->len)
		abort();
	put_le(b->p + off, v, 4);
}

void put_le64_at(struct tbuf *b, size_t off, uint64_t v)
{
	if (off + 8 > b->len)
		abort();
	put_le(b->p + off, v, 8);
}

void tbuf_free(struct tbuf *b)
{
	free(b->p);
	*b = (struct tbuf){ 0 };
}

static void pad_to(struct tbuf *b, size_t align)
{
	while (b->len % align)
		tbuf_zero(b, 1);
}

void note_add(struct tbuf *notes, const char *name, uint32_t type, const void *desc,
	      uint32_t descsz)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;
	tbuf_le32(notes, namesz);
	tbuf_le32(notes, descsz);
	tbuf_le32(notes, type);
	tbuf_put(notes, name, namesz);
	pad_to(notes, 4);
	tbuf_put(notes, desc, descsz);
	pad_to(notes, 4);
}

void note_add_u32(struct tbuf *notes, const char *name, uint32_t type, uint32_t v)
{
	uint8_t d[4];
	put_le(d, v, 4);
	note_add(notes, name, type, d, 4);
}

void note_add_u64(struct tbuf *notes, const char *name, uint32_t type, uint64_t v)
{
	uint8_t d[8];
	put_le(d, v, 8);
	note_add(notes, name, type, d, 8);
}

static void put_phdr(struct tbuf *b, uint8_t cls, uint32_t type, uint64_t off, uint64_t vaddr,
		     uint64_t paddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
	if (cls == ELFCLASS32) {
		tbuf_le32(b, type);
		tbuf_le32(b, (uint32_t)off);
		tbuf_le32(b, (uint32_t)vaddr);
		tbuf_le32(b, (uint32_t)paddr);
		tbuf_le32(b, (uint32_t)filesz);
		tbuf_le32(b, (uint32_t)memsz);
		tbuf_le32(b, 7); /* RWX */
		tbuf_le32(b, (uint32_t)align);
	} else {
		tbuf_le32(b, type);
		tbuf_le32(b, 7);
		tbuf_le64(b, off);
		tbuf_le64(b, vaddr);
		tbuf_le64(b, paddr);
		tbuf_le64(b, filesz);
		tbuf_le64(b, memsz);
		tbuf_le64(b, align);
	}
}

static void put_shdr(struct tbuf *b, uint8_t cls, uint32_t type, uint64_t off, uint64_t size)
{
	if (cls == ELFCLASS32) {
		tbuf_le32(b, 0);    /* name */
		tbuf_le32(b, type);
		tbuf_le32(b, type ? 2 : 0); /* SHF_ALLOC */
		tbuf_le32(b, 0);    /* addr */
		tbuf_le32(b, (uint32_t)off);
		tbuf_le32(b, (uint32_t)size);
		tbuf_le32(b, 0);
		tbuf_le32(b, 0);
		tbuf_le32(b, type ? 4 : 0);
		tbuf_le32(b, 0);
	} else {
		tbuf_le32(b, 0);
		tbuf_le32(b, type);
		tbuf_le64(b, type ? 2 : 0);
		tbuf_le64(b, 0);
		tbuf_le64(b, off);
		tbuf_le64(b, size);
		tbuf_le32(b, 0);
		tbuf_le32(b, 0);
		tbuf_le64(b, type ? 4 : 0);
		tbuf_le64(b, 0);
	}
}

struct tbuf build_elf(const struct test_elf *spec, struct test_elf_layout *lay)
{
	struct tbuf b = { 0 };
	uint8_t cls = spec->elf_class;
	bool in_seg = spec->notes && (spec->place == NOTES_SEGMENT || spec->place == NOTES_BOTH);
	bool in_sec = spec->notes && (spec->place == NOTES_SECTION || spec->place == NOTES_BOTH);
	size_t ehsize = cls == ELFCLASS32 ? sizeof(struct elf32_ehdr) : sizeof(struct elf64_ehdr);
	size_t phentsize = cls == ELFCLASS32 ? sizeof(struct elf32_phdr) : sizeof(struct elf64_phdr);
	size_t shentsize = cls == ELFCLASS32 ? sizeof(struct elf32_shdr) : sizeof(struct elf64_shdr);
	size_t phnum = spec->nr_loads + (in_seg ? 1 : 0);
	size_t notes_len = spec->notes ? spec->notes->len : 0;

	memset(lay, 0, sizeof(*lay));
	lay->phoff = ehsize;
	lay->phentsize = phentsize;
	lay->phnum = phnum;
	lay->notes_off = ehsize + phnum * phentsize;
	size_t off = lay->notes_off + notes_len;
	for (unsigned i = 0; i < spec->nr_loads; i++) {
		off = (off + 15) & ~(size_t)15;
		lay->seg_off[i] = off;
		off += spec->loads[i].filesz;
	}
	lay->shoff = in_sec ? (off + 7) & ~(size_t)7 : 0;
	lay->shentsize = in_sec ? shentsize : 0;
	lay->shnum = in_sec ? 2 : 0;
	lay->note_shdr = 1;
	lay->note_phdr = spec->nr_loads;

	/* e_ident, then the header proper */
	static const uint8_t ident[16] = { 0x7f, 'E', 'L', 'F', 0, ELFDATA2LSB, 1 };
	tbuf_put(&b, ident, sizeof(ident));
	b.p[EI_CLASS] = cls;
	uint16_t machine = spec->machine ? spec->machine : cls == ELFCLASS32 ? EM_386 : EM_X86_64;
	tbuf_le16(&b, spec->type ? spec->type : ET_EXEC);
	tbuf_le16(&b, machine);
	tbuf_le32(&b, 1); /* EV_CURRENT */
	if (cls == ELFCLASS32) {
		tbuf_le32(&b, (uint32_t)spec->entry);
		tbuf_le32(&b, (uint32_t)lay->phoff);
		tbuf_le32(&b, (uint32_t)lay->shoff);
	} else {
		tbuf_le64(&b, spec->entry);
		tbuf_le64(&b, lay->phoff);
		tbuf_le64(&b, lay->shoff);
	}
	tbuf_le32(&b, 0); /* flags */
	tbuf_le16(&b, (uint16_t)ehsize);
	tbuf_le16(&b, (uint16_t)phentsize);
	tbuf_le16(&b, (uint16_t)phnum);
	tbuf_le16(&b, (uint16_t)lay->shentsize);
	tbuf_le16(&b, (uint16_t)lay->shnum);
	tbuf_le16(&b, 0); /* shstrndx: SHN_UNDEF */

	for (unsigned i = 0; i < spec->nr_loads; i++) {
		const struct test_load *l = &spec->loads[i];
		put_phdr(&b, cls, PT_LOAD, lay->seg_off[i], l->vaddr, l->paddr, l->filesz, l->memsz,
			 l->align);
	}
	if (in_seg)
		put_phdr(&b, cls, PT_NOTE, lay->notes_off, 0, 0, notes_len, notes_len, 4);
	if (notes_len)
		tbuf_put(&b, spec->notes->p, notes_len);
	for (unsigned i = 0; i < spec->nr_loads; i++) {
		tbuf_zero(&b, lay->seg_off[i] - b.len);
		reserve(&b, spec->loads[i].filesz);
		memset(b.p + b.len, 0x11 * (int)(i + 1), spec->loads[i].filesz);
		b.len += spec->loads[i].filesz;
	}
	if (in_sec) {
		tbuf_zero(&b, lay->shoff - b.len);
		put_shdr(&b, cls, 0, 0, 0);
		put_shdr(&b, cls, SHT_NOTE, lay->notes_off, notes_len);
	}
	return b;
}

struct tbuf build_pvh_elf(uint8_t elf_class, unsigned entry_size, enum note_place place,
			  struct test_elf_layout *lay)
{
	struct tbuf notes = { 0 };
	/* A GNU build-id first: the parser must skip notes that are not Xen's. */
	static const uint8_t build_id[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	note_add(&notes, "GNU", 3, build_id, sizeof(build_id));
	/* High bits set in the 8-byte form: only the low 32 bits are the entry. */
	uint64_t entry = 0x100010;
	uint8_t desc[8];
	put_le(desc, entry_size == 8 ? entry | 0xabcd00000000ull : entry, 8);
	note_add(&notes, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, desc, entry_size);

	uint64_t vbase = elf_class == ELFCLASS64 ? 0xffffffff80000000ull : 0xc0000000u;
	struct test_elf spec = {
		.elf_class = elf_class,
		.entry = vbase + 0x100020,
		.nr_loads = 2,
		.loads = {
			{ vbase + 0x100000, 0x100000, 0x2000, 0x1000, 0x100 },
			{ vbase + 0x400000, 0x400000, 0x40, 0x400000, 0x40 },
		},
		.notes = &notes,
		.place = place,
	};
	struct tbuf b = build_elf(&spec, lay);
	tbuf_free(&notes);
	return b;
}

struct tbuf build_mb1(size_t file_len, size_t header_off, uint32_t flags, uint32_t load_addr)
{
	struct tbuf b = { 0 };
	tbuf_zero(&b, file_len);
	for (size_t i = 0; i < file_len; i++)
		b.p[i] = (uint8_t)(0x90 + i % 7);
	size_t hsize = (flags & MB1_VIDEO_MODE) ? 48 : (flags & MB1_AOUT_KLUDGE) ? 32 : 12;
	if (header_off + hsize > file_len)
		abort();
	put_le32_at(&b, header_off, MB1_HEADER_MAGIC);
	put_le32_at(&b, header_off + 4, flags);
	put_le32_at(&b, header_off + 8, (uint32_t)-(MB1_HEADER_MAGIC + flags));
	if (hsize > 12) {
		uint32_t load_end = load_addr + (uint32_t)file_len;
		put_le32_at(&b, header_off + 12, load_addr + (uint32_t)header_off);
		put_le32_at(&b, header_off + 16, load_addr);
		put_le32_at(&b, header_off + 20, load_end);
		put_le32_at(&b, header_off + 24, load_end + 0x1000);
		put_le32_at(&b, header_off + 28, load_addr + (uint32_t)header_off + 48);
	}
	if (hsize > 32) {
		put_le32_at(&b, header_off + 32, 0);
		put_le32_at(&b, header_off + 36, 1024);
		put_le32_at(&b, header_off + 40, 768);
		put_le32_at(&b, header_off + 44, 32);
	}
	return b;
}

#define HDR(f) (SETUP_HEADER_OFFSET + offsetof(struct setup_header, f))

struct tbuf build_bzimage(uint16_t version, uint8_t setup_sects, size_t pm_len,
			  const void *payload, size_t payload_len, size_t payload_off)
{
	struct tbuf b = { 0 };
	size_t setup = ((setup_sects ? setup_sects : 4u) + 1) * 512;
	pm_len = (pm_len + 15) & ~(size_t)15; /* whole syssize units, as Linux pads */
	tbuf_zero(&b, setup + pm_len);
	b.p[HDR(setup_sects)] = setup_sects;
	put_le32_at(&b, HDR(syssize), (uint32_t)(pm_len / 16));
	b.p[HDR(boot_flag)] = 0x55;
	b.p[HDR(boot_flag) + 1] = 0xaa;
	b.p[HDR(jump)] = 0xeb;
	b.p[HDR(jump) + 1] = 0x6a; /* header ends at 0x26c, as in protocol 2.15 */
	put_le32_at(&b, HDR(header), SETUP_HDRS_MAGIC);
	b.p[HDR(version)] = (uint8_t)version;
	b.p[HDR(version) + 1] = (uint8_t)(version >> 8);
	b.p[HDR(loadflags)] = LOADED_HIGH;
	put_le32_at(&b, HDR(code32_start), 0x100000);
	put_le32_at(&b, HDR(initrd_addr_max), 0x7fffffff);
	put_le32_at(&b, HDR(kernel_alignment), 0x200000);
	b.p[HDR(relocatable_kernel)] = 1;
	b.p[HDR(min_alignment)] = 21;
	b.p[HDR(xloadflags)] = XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G;
	put_le32_at(&b, HDR(cmdline_size), 2047);
	put_le64_at(&b, HDR(pref_address), 0x1000000);
	put_le32_at(&b, HDR(init_size), (uint32_t)(pm_len * 4));
	for (size_t i = 0; i < pm_len; i++)
		b.p[setup + i] = (uint8_t)(i * 13);
	if (payload_len) {
		if (payload_off + payload_len > pm_len)
			abort();
		memcpy(b.p + setup + payload_off, payload, payload_len);
		put_le32_at(&b, HDR(payload_offset), (uint32_t)payload_off);
		put_le32_at(&b, HDR(payload_length), (uint32_t)payload_len);
	}
	return b;
}
