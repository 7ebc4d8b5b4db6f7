/* SPDX-License-Identifier: MIT */
/*
 * ELF32/ELF64 executables for x86: the PT_LOAD segments and the Xen notes
 * (System V gABI "Program Header" and "Note Section"; Xen's
 * xen/include/public/elfnote.h, read the way xen/common/libelf does).
 *
 * Every field is read with get_le*() at the offset that include/abi/elf.h
 * pins, and every offset or size is checked with range_ok() before a
 * pointer into the file is formed.
 */
#include "../core/errno.h"
#include "image.h"

#define EI_NIDENT 16
/* gABI: e_phnum == PN_XNUM means the real count is in section 0's sh_info. */
#define PN_XNUM 0xffffu

/* The note name Xen's notes carry, NUL included (elfnote.h: "Xen"). */
static const char xen_note_name[4] = "Xen";

/* Class-independent copies of the header fields the parser uses. */
struct ehdr_view {
	uint16_t type, machine, phentsize, phnum, shentsize, shnum;
	uint64_t entry, phoff, shoff;
};

struct phdr_view {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct shdr_view {
	uint32_t type;
	uint64_t offset, size;
};

#define LE16(p, T, f) get_le16((p) + offsetof(T, f))
#define LE32(p, T, f) get_le32((p) + offsetof(T, f))
#define LE64(p, T, f) get_le64((p) + offsetof(T, f))

static int read_ehdr(const uint8_t *b, size_t len, struct ehdr_view *eh, uint8_t *elf_class)
{
	if (len < EI_NIDENT || get_le32(b) != ELF_MAGIC)
		return -ENOEXEC;
	*elf_class = b[EI_CLASS];
	if ((*elf_class != ELFCLASS32 && *elf_class != ELFCLASS64) || b[EI_DATA] != ELFDATA2LSB)
		return -ENOEXEC;

	if (*elf_class == ELFCLASS32) {
		if (len < sizeof(struct elf32_ehdr))
			return -EINVAL;
		typedef struct elf32_ehdr T;
		*eh = (struct ehdr_view){
			.type = LE16(b, T, e_type), .machine = LE16(b, T, e_machine),
			.phentsize = LE16(b, T, e_phentsize), .phnum = LE16(b, T, e_phnum),
			.shentsize = LE16(b, T, e_shentsize), .shnum = LE16(b, T, e_shnum),
			.entry = LE32(b, T, e_entry), .phoff = LE32(b, T, e_phoff),
			.shoff = LE32(b, T, e_shoff),
		};
	} else {
		if (len < sizeof(struct elf64_ehdr))
			return -EINVAL;
		typedef struct elf64_ehdr T;
		*eh = (struct ehdr_view){
			.type = LE16(b, T, e_type), .machine = LE16(b, T, e_machine),
			.phentsize = LE16(b, T, e_phentsize), .phnum = LE16(b, T, e_phnum),
			.shentsize = LE16(b, T, e_shentsize), .shnum = LE16(b, T, e_shnum),
			.entry = LE64(b, T, e_entry), .phoff = LE64(b, T, e_phoff),
			.shoff = LE64(b, T, e_shoff),
		};
	}
	/* ET_DYN too: a relocatable kernel may be linked as PIE and still load
	 * at its p_paddr like any executable. */
	if (eh->type != ET_EXEC && eh->type != ET_DYN)
		return -ENOEXEC;
	if (eh->machine != EM_386 && eh->machine != EM_X86_64)
		return -ENOEXEC;
	return 0;
}

static void read_phdr(const uint8_t *p, uint8_t elf_class, struct phdr_view *ph)
{
	if (elf_class == ELFCLASS32) {
		typedef struct elf32_phdr T;
		*ph = (struct phdr_view){
			.type = LE32(p, T, p_type), .offset = LE32(p, T, p_offset),
			.vaddr = LE32(p, T, p_vaddr), .paddr = LE32(p, T, p_paddr),
			.filesz = LE32(p, T, p_filesz), .memsz = LE32(p, T, p_memsz),
			.align = LE32(p, T, p_align),
		};
	} else {
		typedef struct elf64_phdr T;
		*ph = (struct phdr_view){
			.type = LE32(p, T, p_type), .offset = LE64(p, T, p_offset),
			.vaddr = LE64(p, T, p_vaddr), .paddr = LE64(p, T, p_paddr),
			.filesz = LE64(p, T, p_filesz), .memsz = LE64(p, T, p_memsz),
			.align = LE64(p, T, p_align),
		};
	}
}

static void read_shdr(const uint8_t *p, uint8_t elf_class, struct shdr_view *sh)
{
	if (elf_class == ELFCLASS32) {
		typedef struct elf32_shdr T;
		*sh = (struct shdr_view){ .type = LE32(p, T, sh_type),
					  .offset = LE32(p, T, sh_offset),
					  .size = LE32(p, T, sh_size) };
	} else {
		typedef struct elf64_shdr T;
		*sh = (struct shdr_view){ .type = LE32(p, T, sh_type),
					  .offset = LE64(p, T, sh_offset),
					  .size = LE64(p, T, sh_size) };
	}
}

/*
 * A header table (program or section headers) must have entries of exactly
 * the class's size and lie wholly inside the file.
 */
static int table_ok(uint64_t off, uint16_t entsize, uint16_t num, size_t want_entsize,
		    size_t len)
{
	if (num == 0)
		return 0;
	if (entsize != want_entsize)
		return -EINVAL;
	return range_ok(off, (uint64_t)entsize * num, len) ? 0 : -EINVAL;
}

/*
 * A numeric note: libelf's elf_note_numeric() accepts 1, 2, 4 or 8 bytes,
 * little-endian, zero-extended. Old x86-64 Linux emits PHYS32_ENTRY as 8.
 */
static int note_numeric(const uint8_t *desc, uint32_t descsz, uint64_t *v)
{
	switch (descsz) {
	case 1: *v = desc[0]; return 0;
	case 2: *v = get_le16(desc); return 0;
	case 4: *v = get_le32(desc); return 0;
	case 8: *v = get_le64(desc); return 0;
	default: return -EINVAL;
	}
}

static const char *const xen_features[32] = {
	/* xen/include/public/features.h */
	[0] = "writable_page_tables",
	[1] = "writable_descriptor_tables",
	[2] = "auto_translated_physmap",
	[3] = "supervisor_mode_kernel",
	[4] = "pae_pgdir_above_4gb",
	[5] = "mmu_pt_update_preserve_ad",
	[6] = "highmem_assist",
	[7] = "gnttab_map_avail_bits",
	[8] = "hvm_callback_vector",
	[9] = "hvm_safe_pvclock",
	[10] = "hvm_pirqs",
	[11] = "dom0",
	[12] = "grant_map_identity",
	[13] = "memory_op_vnode_supported",
	[14] = "ARM_SMCCC_supported",
	[XENFEAT_linux_rsdp_unrestricted] = "linux_rsdp_unrestricted",
	[16] = "not_direct_mapped",
	[17] = "direct_mapped",
};

const char *xen_feature_name(unsigned bit)
{
	return bit < ARRAY_SIZE(xen_features) ? xen_features[bit] : NULL;
}

/*
 * The FEATURES note is a string, "name|!name|...", where '!' marks a
 * feature the kernel requires rather than merely supports (libelf's
 * elf_xen_parse_features). Either way the kernel can use it: set the bit.
 * Names this table does not know are skipped.
 */
static uint32_t parse_feature_string(const char *s, size_t len)
{
	uint32_t bits = 0;
	size_t pos = 0;
	while (pos < len) {
		size_t end = pos;
		while (end < len && s[end] != '|')
			end++;
		size_t start = pos < end && s[pos] == '!' ? pos + 1 : pos;
		for (unsigned bit = 0; bit < ARRAY_SIZE(xen_features); bit++) {
			const char *name = xen_features[bit];
			if (name && strlen(name) == end - start && !memcmp(name, s + start, end - start))
				bits |= 1u << bit;
		}
		pos = end + 1;
	}
	return bits;
}

/* Absent a PHYS32_RELOC value, Xen's defaults (elfnote.h, PHYS32_RELOC). */
#define RELOC_DEFAULT_ALIGN 0x200000u
#define RELOC_DEFAULT_MIN 0u
#define RELOC_DEFAULT_MAX 0xffffffffu

struct note_state {
	bool reloc_align_given;
};

static int xen_note(struct elf_image *out, struct note_state *st, uint32_t type,
		    const uint8_t *desc, uint32_t descsz)
{
	uint64_t v;
	switch (type) {
	case XEN_ELFNOTE_PHYS32_ENTRY:
		if (note_numeric(desc, descsz, &v))
			return -EINVAL;
		out->has_phys32_entry = true;
		out->phys32_entry_size = (uint8_t)descsz;
		out->phys32_entry = (uint32_t)v; /* a 32-bit entry: low half only */
		break;
	case XEN_ELFNOTE_PHYS32_RELOC:
		/* Up to three u32, in order: align, min, max; absent ones default. */
		out->has_phys32_reloc = true;
		if (descsz >= 4) {
			out->reloc_align = get_le32(desc);
			st->reloc_align_given = true;
		}
		if (descsz >= 8)
			out->reloc_min = get_le32(desc + 4);
		if (descsz >= 12)
			out->reloc_max = get_le32(desc + 8);
		break;
	case XEN_ELFNOTE_SUPPORTED_FEATURES:
		/* A bitmap of u32 submaps; only submap 0 (bits 0-31) exists. */
		if (descsz >= 4)
			v = get_le32(desc);
		else if (note_numeric(desc, descsz, &v))
			return -EINVAL;
		out->has_features = true;
		out->features |= (uint32_t)v;
		break;
	case XEN_ELFNOTE_FEATURES:
		out->has_features = true;
		out->features |= parse_feature_string((const char *)desc,
						      strnlen((const char *)desc, descsz));
		break;
	case XEN_ELFNOTE_GUEST_OS: {
		size_t n = MIN(strnlen((const char *)desc, descsz), sizeof(out->guest_os) - 1);
		memcpy(out->guest_os, desc, n);
		out->guest_os[n] = 0;
		break;
	}
	default:
		break; /* PV-only notes: nothing a PVH loader uses */
	}
	return 0;
}

/*
 * Walk the notes in [0, size) of @notes. Each is a 12-byte header, the name
 * padded to 4 bytes, then the desc padded to 4 bytes (gABI; libelf's
 * elf_note_next). The name and desc must lie inside the region; the padding
 * of the last note may be cut off. Counts the Xen notes in *found.
 */
static int walk_notes(const uint8_t *notes, uint64_t size, struct elf_image *out,
		      struct note_state *st, unsigned *found)
{
	uint64_t pos = 0;
	while (size - pos >= sizeof(struct elf_note)) {
		const uint8_t *n = notes + pos;
		uint32_t namesz = LE32(n, struct elf_note, n_namesz);
		uint32_t descsz = LE32(n, struct elf_note, n_descsz);
		uint32_t type = LE32(n, struct elf_note, n_type);
		uint64_t left = size - pos - sizeof(struct elf_note);
		uint64_t name_space = ALIGN_UP((uint64_t)namesz, 4);
		if (name_space > left || descsz > left - name_space)
			return -EINVAL;
		const uint8_t *name = n + sizeof(struct elf_note);
		const uint8_t *desc = name + name_space;
		if (namesz == sizeof(xen_note_name) && !memcmp(name, xen_note_name, namesz)) {
			int rc = xen_note(out, st, type, desc, descsz);
			if (rc)
				return rc;
			(*found)++;
		}
		uint64_t next = sizeof(struct elf_note) + name_space + ALIGN_UP((uint64_t)descsz, 4);
		if (next > size - pos)
			break;
		pos += next;
	}
	return 0;
}

/*
 * Xen's libelf looks in PT_NOTE segments first, skipping any at file
 * offset 0 (a placeholder some linkers leave), and only if those hold no
 * Xen note does it fall back to SHT_NOTE sections (elf_xen_parse).
 */
static int note_segments(const uint8_t *b, size_t len, const struct ehdr_view *eh,
			 struct elf_image *out, struct note_state *st, unsigned *found)
{
	for (unsigned i = 0; i < eh->phnum; i++) {
		struct phdr_view ph;
		read_phdr(b + eh->phoff + (uint64_t)i * eh->phentsize, out->elf_class, &ph);
		if (ph.type != PT_NOTE || ph.offset == 0)
			continue;
		if (!range_ok(ph.offset, ph.filesz, len))
			return -EINVAL;
		int rc = walk_notes(b + ph.offset, ph.filesz, out, st, found);
		if (rc)
			return rc;
	}
	return 0;
}

static int note_sections(const uint8_t *b, size_t len, const struct ehdr_view *eh,
			 struct elf_image *out, struct note_state *st, unsigned *found)
{
	/* e_shoff 0 means no section table; e_shnum 0 with a table means the
	 * count overflowed into section 0, which no kernel needs. */
	if (eh->shoff == 0 || eh->shnum == 0)
		return 0;
	size_t entsize = out->elf_class == ELFCLASS32 ? sizeof(struct elf32_shdr)
						      : sizeof(struct elf64_shdr);
	int rc = table_ok(eh->shoff, eh->shentsize, eh->shnum, entsize, len);
	if (rc)
		return rc;
	for (unsigned i = 0; i < eh->shnum; i++) {
		struct shdr_view sh;
		read_shdr(b + eh->shoff + (uint64_t)i * eh->shentsize, out->elf_class, &sh);
		if (sh.type != SHT_NOTE)
			continue;
		if (!range_ok(sh.offset, sh.size, len))
			return -EINVAL;
		rc = walk_notes(b + sh.offset, sh.size, out, st, found);
		if (rc)
			return rc;
	}
	return 0;
}

static int add_segment(struct elf_image *out, const struct phdr_view *ph, size_t len)
{
	if (ph->filesz > ph->memsz || !range_ok(ph->offset, ph->filesz, len))
		return -EINVAL;
	/* The loaders compute paddr + memsz (and relocate from it). */
	if (ph->memsz > UINT64_MAX - ph->paddr)
		return -EINVAL;
	if (out->nr_segments == ELF_MAX_SEGMENTS)
		return -E2BIG;
	out->segments[out->nr_segments++] = (struct elf_segment){
		.offset = ph->offset, .vaddr = ph->vaddr, .paddr = ph->paddr,
		.filesz = ph->filesz, .memsz = ph->memsz, .align = ph->align,
	};
	return 0;
}

int elf_parse(const void *buf, size_t len, struct elf_image *out)
{
	const uint8_t *b = buf;
	struct ehdr_view eh;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = read_ehdr(b, len, &eh, &out->elf_class);
	if (rc)
		return rc;
	out->machine = eh.machine;
	out->entry = eh.entry;

	if (eh.phnum == PN_XNUM)
		return -EINVAL;
	size_t entsize = out->elf_class == ELFCLASS32 ? sizeof(struct elf32_phdr)
						      : sizeof(struct elf64_phdr);
	rc = table_ok(eh.phoff, eh.phentsize, eh.phnum, entsize, len);
	if (rc)
		return rc;

	uint64_t max_align = 0;
	for (unsigned i = 0; i < eh.phnum; i++) {
		struct phdr_view ph;
		read_phdr(b + eh.phoff + (uint64_t)i * eh.phentsize, out->elf_class, &ph);
		if (ph.type != PT_LOAD)
			continue;
		rc = add_segment(out, &ph, len);
		if (rc)
			return rc;
		max_align = MAX(max_align, ph.align);
	}
	/* Nothing to load is not an executable. */
	if (out->nr_segments == 0)
		return -ENOEXEC;

	struct note_state st = { false };
	unsigned found = 0;
	out->reloc_min = RELOC_DEFAULT_MIN;
	out->reloc_max = RELOC_DEFAULT_MAX;
	rc = note_segments(b, len, &eh, out, &st, &found);
	if (!rc && found == 0)
		rc = note_sections(b, len, &eh, out, &st, &found);
	if (rc)
		return rc;
	/* elfnote.h: without an alignment in the note, the largest PT_LOAD
	 * p_align if it is at least 4 KiB, else 2 MiB. */
	if (!st.reloc_align_given)
		out->reloc_align = max_align >= 0x1000 && max_align <= UINT32_MAX
					   ? (uint32_t)max_align : RELOC_DEFAULT_ALIGN;
	return 0;
}

bool elf_vaddr_to_paddr(const struct elf_image *img, uint64_t vaddr, uint64_t *paddr)
{
	for (unsigned i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->segments[i];
		/* Written so that neither side can overflow. */
		if (vaddr >= s->vaddr && vaddr - s->vaddr < s->memsz) {
			*paddr = s->paddr + (vaddr - s->vaddr);
			return true;
		}
	}
	return false;
}
