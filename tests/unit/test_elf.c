/* SPDX-License-Identifier: MIT */
/*
 * elf_parse() on hand-made ELF32/ELF64 images: Xen notes in PT_NOTE
 * segments or only in SHT_NOTE sections, every note form the loaders rely
 * on, then one corrupted field at a time with the exact error expected.
 */
#include "../../core/errno.h"
#include "../../loaders/image.h"
#include "../fuzz/testimg.h"
#include "test.h"

static const uint8_t classes[] = { ELFCLASS32, ELFCLASS64 };

/* Offsets of the header fields the corruptions poke, per class. */
struct field {
	size_t off32, off64;
	unsigned size32, size64;
};
#define EH(f) { offsetof(struct elf32_ehdr, f), offsetof(struct elf64_ehdr, f), \
		sizeof(((struct elf32_ehdr *)0)->f), sizeof(((struct elf64_ehdr *)0)->f) }
#define PH(f) { offsetof(struct elf32_phdr, f), offsetof(struct elf64_phdr, f), \
		sizeof(((struct elf32_phdr *)0)->f), sizeof(((struct elf64_phdr *)0)->f) }
#define SH(f) { offsetof(struct elf32_shdr, f), offsetof(struct elf64_shdr, f), \
		sizeof(((struct elf32_shdr *)0)->f), sizeof(((struct elf64_shdr *)0)->f) }

static void poke(struct tbuf *b, size_t off, unsigned size, uint64_t v)
{
	CHECK(off + size <= b->len);
	for (unsigned i = 0; i < size; i++)
		b->p[off + i] = (uint8_t)(v >> (8 * i));
}

static void set_field(struct tbuf *b, uint8_t cls, size_t base, struct field f, uint64_t v)
{
	if (cls == ELFCLASS32)
		poke(b, base + f.off32, f.size32, v);
	else
		poke(b, base + f.off64, f.size64, v);
}

static size_t phdr_at(const struct test_elf_layout *l, size_t i)
{
	return l->phoff + i * l->phentsize;
}

static size_t shdr_at(const struct test_elf_layout *l, size_t i)
{
	return l->shoff + i * l->shentsize;
}

/* The Xen PHYS32_ENTRY note follows a 24-byte GNU build-id note. */
#define XEN_NOTE_AT(l) ((l)->notes_off + 24)

static int parse(const struct tbuf *b, struct elf_image *img)
{
	return elf_parse(b->p, b->len, img);
}

TEST(elf64_pt_note_8_byte_entry)
{
	struct test_elf_layout l;
	struct tbuf b = build_pvh_elf(ELFCLASS64, 8, NOTES_SEGMENT, &l);
	static struct elf_image img;
	CHECK_EQ_INT(parse(&b, &img), 0);
	CHECK_EQ_INT(img.elf_class, ELFCLASS64);
	CHECK_EQ_INT(img.machine, EM_X86_64);
	CHECK_EQ_U64(img.entry, 0xffffffff80100020ull);
	CHECK_EQ_INT(img.nr_segments, 2);
	CHECK_EQ_U64(img.segments[0].offset, l.seg_off[0]);
	CHECK_EQ_U64(img.segments[0].vaddr, 0xffffffff80100000ull);
	CHECK_EQ_U64(img.segments[0].paddr, 0x100000);
	CHECK_EQ_U64(img.segments[0].filesz, 0x100);
	CHECK_EQ_U64(img.segments[0].memsz, 0x2000);
	CHECK_EQ_U64(img.segments[0].align, 0x1000);
	CHECK_EQ_U64(img.segments[1].paddr, 0x400000);
	CHECK_EQ_U64(img.segments[1].filesz, 0x40);
	CHECK(img.has_phys32_entry);
	CHECK_EQ_INT(img.phys32_entry_size, 8);
	CHECK_EQ_U64(img.phys32_entry, 0x100010); /* high half 0xabcd dropped */
	CHECK(!img.has_phys32_reloc);
	CHECK(!img.has_features);
	CHECK_EQ_INT(img.guest_os[0], 0);
	/* defaults: largest p_align (0x400000 >= 4 KiB), 0, 4 GiB - 1 */
	CHECK_EQ_U64(img.reloc_align, 0x400000);
	CHECK_EQ_U64(img.reloc_min, 0);
	CHECK_EQ_U64(img.reloc_max, 0xffffffff);
	tbuf_free(&b);
}

TEST(elf32_pt_note_4_byte_entry)
{
	struct test_elf_layout l;
	struct tbuf b = build_pvh_elf(ELFCLASS32, 4, NOTES_SEGMENT, &l);
	static struct elf_image img;
	CHECK_EQ_INT(parse(&b, &img), 0);
	CHECK_EQ_INT(img.elf_class, ELFCLASS32);
	CHECK_EQ_INT(img.machine, EM_386);
	CHECK_EQ_U64(img.entry, 0xc0100020);
	CHECK_EQ_INT(img.nr_segments, 2);
	CHECK_EQ_U64(img.segments[0].vaddr, 0xc0100000);
	CHECK_EQ_U64(img.segments[0].paddr, 0x100000);
	CHECK_EQ_U64(img.segments[1].offset, l.seg_off[1]);
	CHECK(img.has_phys32_entry);
	CHECK_EQ_INT(img.phys32_entry_size, 4);
	CHECK_EQ_U64(img.phys32_entry, 0x100010);
	tbuf_free(&b);
}

/* Notes only in a SHT_NOTE section (stripped of PT_NOTE): still found. */
TEST(section_only_notes)
{
	for (unsigned c = 0; c < 2; c++) {
		struct test_elf_layout l;
		struct tbuf b = build_pvh_elf(classes[c], 4, NOTES_SECTION, &l);
		static struct elf_image img;
		CHECK_EQ_INT(parse(&b, &img), 0);
		CHECK(img.has_phys32_entry);
		CHECK_EQ_U64(img.phys32_entry, 0x100010);
		tbuf_free(&b);
	}
}

/* libelf skips PT_NOTE at offset 0, then falls back to the sections. */
TEST(pt_note_at_offset_zero_is_skipped)
{
	for (unsigned c = 0; c < 2; c++) {
		struct test_elf_layout l;
		static struct elf_image img;
		struct tbuf b = build_pvh_elf(classes[c], 4, NOTES_BOTH, &l);
		set_field(&b, classes[c], phdr_at(&l, l.note_phdr), (struct field)PH(p_offset), 0);
		CHECK_EQ_INT(parse(&b, &img), 0);
		CHECK(img.has_phys32_entry); /* from the section */
		tbuf_free(&b);

		b = build_pvh_elf(classes[c], 4, NOTES_SEGMENT, &l);
		set_field(&b, classes[c], phdr_at(&l, l.note_phdr), (struct field)PH(p_offset), 0);
		CHECK_EQ_INT(parse(&b, &img), 0);
		CHECK(!img.has_phys32_entry); /* nowhere else to look */
		tbuf_free(&b);
	}
}

/* Xen notes in the segments win: a section saying otherwise is not read. */
TEST(segment_notes_win_over_sections)
{
	struct test_elf_layout l;
	static struct elf_image img;
	struct tbuf b = build_pvh_elf(ELFCLASS64, 4, NOTES_BOTH, &l);
	/* Point the section at garbage past the end: it must not be looked at. */
	set_field(&b, ELFCLASS64, shdr_at(&l, l.note_shdr), (struct field)SH(sh_offset), 1u << 30);
	CHECK_EQ_INT(parse(&b, &img), 0);
	CHECK(img.has_phys32_entry);
	tbuf_free(&b);
}

static int parse_with_notes(uint8_t cls, const struct tbuf *notes, enum note_place place,
			    uint64_t seg_align, struct elf_image *img)
{
	struct test_elf spec = {
		.elf_class = cls,
		.entry = 0x100000,
		.nr_loads = 1,
		.loads = { { 0x100000, 0x100000, 0x1000, seg_align, 0x20 } },
		.notes = notes,
		.place = place,
	};
	struct test_elf_layout l;
	struct tbuf b = build_elf(&spec, &l);
	int rc = parse(&b, img);
	tbuf_free(&b);
	return rc;
}

TEST(phys32_entry_sizes)
{
	static const struct {
		uint32_t descsz;
		int want;
		uint32_t entry;
	} cases[] = {
		{ 1, 0, 0x10 }, { 2, 0, 0x3210 }, { 4, 0, 0x76543210 }, { 8, 0, 0x76543210 },
		{ 0, -EINVAL, 0 }, { 3, -EINVAL, 0 }, { 5, -EINVAL, 0 }, { 16, -EINVAL, 0 },
	};
	static const uint8_t desc[16] = { 0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe };
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tbuf notes = { 0 };
		static struct elf_image img;
		note_add(&notes, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, desc, cases[i].descsz);
		int rc = parse_with_notes(ELFCLASS64, &notes, NOTES_SEGMENT, 0x1000, &img);
		tbuf_free(&notes);
		if (rc != cases[i].want)
			FAIL("descsz %u: rc %d, want %d", cases[i].descsz, rc, cases[i].want);
		if (rc == 0 && (img.phys32_entry != cases[i].entry ||
				img.phys32_entry_size != cases[i].descsz))
			FAIL("descsz %u: entry %#x size %u", cases[i].descsz, img.phys32_entry,
			     img.phys32_entry_size);
	}
}

TEST(phys32_reloc_values_and_defaults)
{
	static const struct {
		uint32_t descsz;
		uint64_t seg_align;
		uint32_t align, min, max;
	} cases[] = {
		/* no values: alignment from p_align when >= 4 KiB, else 2 MiB */
		{ 0, 0x1000, 0x1000, 0, 0xffffffff },
		{ 0, 0x200, 0x200000, 0, 0xffffffff },
		{ 4, 0x1000, 0x400000, 0, 0xffffffff },
		{ 8, 0x1000, 0x400000, 0x1000000, 0xffffffff },
		{ 12, 0x1000, 0x400000, 0x1000000, 0x3fffffff },
	};
	uint8_t desc[12];
	uint32_t vals[3] = { 0x400000, 0x1000000, 0x3fffffff };
	for (unsigned i = 0; i < 3; i++)
		for (unsigned j = 0; j < 4; j++)
			desc[i * 4 + j] = (uint8_t)(vals[i] >> (8 * j));
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tbuf notes = { 0 };
		static struct elf_image img;
		note_add(&notes, "Xen", XEN_ELFNOTE_PHYS32_RELOC, desc, cases[i].descsz);
		CHECK_EQ_INT(parse_with_notes(ELFCLASS32, &notes, NOTES_SEGMENT, cases[i].seg_align,
					      &img), 0);
		tbuf_free(&notes);
		CHECK(img.has_phys32_reloc);
		CHECK(!img.has_phys32_entry);
		CHECK_EQ_U64(img.reloc_align, cases[i].align);
		CHECK_EQ_U64(img.reloc_min, cases[i].min);
		CHECK_EQ_U64(img.reloc_max, cases[i].max);
	}
}

TEST(features_bitmap_and_string)
{
	struct tbuf notes = { 0 };
	static struct elf_image img;
	note_add_u32(&notes, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES,
		     1u << XENFEAT_linux_rsdp_unrestricted | 1u << 8);
	CHECK_EQ_INT(parse_with_notes(ELFCLASS64, &notes, NOTES_SEGMENT, 0x1000, &img), 0);
	CHECK(img.has_features);
	CHECK_EQ_U64(img.features, 1u << 15 | 1u << 8);
	tbuf_free(&notes);

	/* Old kernels: a FEATURES string; '!' marks required, unknown names skipped. */
	static const char s[] = "!writable_page_tables|pae_pgdir_above_4gb|no_such_thing|dom0";
	note_add(&notes, "Xen", XEN_ELFNOTE_FEATURES, s, sizeof(s));
	CHECK_EQ_INT(parse_with_notes(ELFCLASS64, &notes, NOTES_SEGMENT, 0x1000, &img), 0);
	CHECK(img.has_features);
	CHECK_EQ_U64(img.features, 1u << 0 | 1u << 4 | 1u << 11);
	/* Both notes together add up. */
	note_add_u32(&notes, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, 1u << 15);
	CHECK_EQ_INT(parse_with_notes(ELFCLASS64, &notes, NOTES_SEGMENT, 0x1000, &img), 0);
	CHECK_EQ_U64(img.features, 1u << 0 | 1u << 4 | 1u << 11 | 1u << 15);
	tbuf_free(&notes);
	/* ... in either order, and a bit named twice stays set. */
	note_add_u32(&notes, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, 1u << 0 | 1u << 15);
	note_add(&notes, "Xen", XEN_ELFNOTE_FEATURES, s, sizeof(s));
	CHECK_EQ_INT(parse_with_notes(ELFCLASS64, &notes, NOTES_SEGMENT, 0x1000, &img), 0);
	CHECK_EQ_U64(img.features, 1u << 0 | 1u << 4 | 1u << 11 | 1u << 15);
	tbuf_free(&notes);
	CHECK(xen_feature_name(15) && !strcmp(xen_feature_name(15), "linux_rsdp_unrestricted"));
	CHECK(xen_feature_name(31) == NULL);
	CHECK(xen_feature_name(1000) == NULL);
}

TEST(guest_os_string)
{
	struct tbuf notes = { 0 };
	static struct elf_image img;
	note_add(&notes, "Xen", XEN_ELFNOTE_GUEST_OS, "linux", 6);
	CHECK_EQ_INT(parse_with_notes(ELFCLASS64, &notes, NOTES_SEGMENT, 0x1000, &img), 0);
	CHECK(!strcmp(img.guest_os, "linux"));
	tbuf_free(&notes);

	/* Too long for the field, and not NUL-terminated: cut to 31 bytes. */
	static const char longname[40] = "0123456789abcdef0123456789abcdefXYZWXYZW";
	note_add(&notes, "Xen", XEN_ELFNOTE_GUEST_OS, longname, sizeof(longname));
	CHECK_EQ_INT(parse_with_notes(ELFCLASS64, &notes, NOTES_SEGMENT, 0x1000, &img), 0);
	CHECK(!strcmp(img.guest_os, "0123456789abcdef0123456789abcde"));
	tbuf_free(&notes);
}

/* Notes named "Xe" or "XenX" or of another vendor are not Xen's. */
TEST(only_xen_named_notes_count)
{
	struct tbuf notes = { 0 };
	static struct elf_image img;
	note_add_u32(&notes, "Xe", XEN_ELFNOTE_PHYS32_ENTRY, 1);
	note_add_u32(&notes, "XenX", XEN_ELFNOTE_PHYS32_ENTRY, 2);
	note_add_u32(&notes, "GNU", XEN_ELFNOTE_PHYS32_ENTRY, 3);
	CHECK_EQ_INT(parse_with_notes(ELFCLASS64, &notes, NOTES_SEGMENT, 0x1000, &img), 0);
	CHECK(!img.has_phys32_entry);
	note_add_u32(&notes, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, 4);
	CHECK_EQ_INT(parse_with_notes(ELFCLASS64, &notes, NOTES_SEGMENT, 0x1000, &img), 0);
	CHECK(img.has_phys32_entry);
	CHECK_EQ_U64(img.phys32_entry, 4);
	tbuf_free(&notes);
}

TEST(vaddr_to_paddr)
{
	struct test_elf_layout l;
	struct tbuf b = build_pvh_elf(ELFCLASS64, 4, NOTES_SEGMENT, &l);
	static struct elf_image img;
	uint64_t pa = 0;
	CHECK_EQ_INT(parse(&b, &img), 0);
	CHECK(elf_vaddr_to_paddr(&img, img.entry, &pa));
	CHECK_EQ_U64(pa, 0x100020);
	CHECK(elf_vaddr_to_paddr(&img, 0xffffffff80101fffull, &pa)); /* last bss byte */
	CHECK_EQ_U64(pa, 0x101fff);
	CHECK(!elf_vaddr_to_paddr(&img, 0xffffffff80102000ull, &pa)); /* one past */
	CHECK(!elf_vaddr_to_paddr(&img, 0x100020, &pa));             /* a paddr */
	CHECK(elf_vaddr_to_paddr(&img, 0xffffffff8040003full, &pa));
	CHECK_EQ_U64(pa, 0x40003f);
	tbuf_free(&b);
}

TEST(not_an_x86_executable)
{
	struct test_elf_layout l;
	static struct elf_image img;
	static const uint8_t junk[64] = "MZ this is not an ELF";
	CHECK_EQ_INT(elf_parse(junk, sizeof(junk), &img), -ENOEXEC);
	CHECK_EQ_INT(elf_parse(junk, 0, &img), -ENOEXEC);

	static const struct {
		const char *what;
		size_t off;
		uint8_t value;
	} idents[] = {
		{ "big-endian", 5, 2 }, { "class 0", 4, 0 }, { "class 3", 4, 3 }, { "magic", 1, 'e' },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(idents); i++) {
		struct tbuf b = build_pvh_elf(ELFCLASS64, 4, NOTES_SEGMENT, &l);
		b.p[idents[i].off] = idents[i].value;
		if (parse(&b, &img) != -ENOEXEC)
			FAIL("%s: not -ENOEXEC", idents[i].what);
		tbuf_free(&b);
	}

	for (unsigned c = 0; c < 2; c++) {
		struct test_elf spec = {
			.elf_class = classes[c], .entry = 0x100000, .nr_loads = 1,
			.loads = { { 0x100000, 0x100000, 0x1000, 0x1000, 0x20 } },
		};
		struct tbuf b;
		static const uint16_t bad_machines[] = { 40 /* ARM */, 183 /* AArch64 */, 0 + 2 };
		for (unsigned m = 0; m < ARRAY_SIZE(bad_machines); m++) {
			spec.machine = bad_machines[m];
			b = build_elf(&spec, &l);
			CHECK_EQ_INT(parse(&b, &img), -ENOEXEC);
			tbuf_free(&b);
		}
		spec.machine = 0;
		spec.type = 1; /* ET_REL */
		b = build_elf(&spec, &l);
		CHECK_EQ_INT(parse(&b, &img), -ENOEXEC);
		tbuf_free(&b);
		spec.type = ET_DYN; /* PIE kernels load like executables */
		b = build_elf(&spec, &l);
		CHECK_EQ_INT(parse(&b, &img), 0);
		tbuf_free(&b);
		spec.type = ET_EXEC;
		spec.nr_loads = 0; /* nothing to load */
		b = build_elf(&spec, &l);
		CHECK_EQ_INT(parse(&b, &img), -ENOEXEC);
		tbuf_free(&b);
	}
}

/* 32 PT_LOAD segments are fine, 33 are refused with -E2BIG. */
TEST(segment_limit)
{
	for (unsigned n = ELF_MAX_SEGMENTS; n <= ELF_MAX_SEGMENTS + 1; n++) {
		static struct test_elf spec;
		struct test_elf_layout l;
		static struct elf_image img;
		memset(&spec, 0, sizeof(spec));
		spec.elf_class = ELFCLASS64;
		spec.entry = 0x100000;
		spec.nr_loads = n;
		for (unsigned i = 0; i < n; i++)
			spec.loads[i] = (struct test_load){ 0x100000 + i * 0x1000ull,
							    0x100000 + i * 0x1000ull, 0x1000,
							    0x1000, 0x10 };
		struct tbuf b = build_elf(&spec, &l);
		int rc = parse(&b, &img);
		tbuf_free(&b);
		if (n == ELF_MAX_SEGMENTS) {
			CHECK_EQ_INT(rc, 0);
			CHECK_EQ_INT(img.nr_segments, ELF_MAX_SEGMENTS);
			CHECK_EQ_U64(img.segments[31].paddr, 0x100000 + 31 * 0x1000);
		} else {
			CHECK_EQ_INT(rc, -E2BIG);
		}
	}
}

/*
 * One corruption per row, applied to a valid image of each class; the
 * image must parse before it is corrupted.
 */
struct corruption {
	const char *name;
	uint8_t only_class; /* 0: both classes */
	enum note_place place;
	void (*apply)(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls);
	int want;
};

static void truncate_ident(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	b->len = 10;
}
static void truncate_ehdr(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	b->len = cls == ELFCLASS32 ? 40 : 60;
}
static void truncate_last_byte(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	b->len -= 1; /* the last segment's data ends the file */
}
static void truncate_phdrs(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	b->len = l->phoff + l->phentsize + 8;
}
static void phoff_past_end(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, 0, (struct field)EH(e_phoff), b->len + 1);
}
static void phoff_straddles_end(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, 0, (struct field)EH(e_phoff), b->len - l->phentsize);
}
static void phoff_huge(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, 0, (struct field)EH(e_phoff), cls == ELFCLASS32 ? 0xfffffff0u
									: UINT64_MAX - 8);
}
static void phentsize_small(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, 0, (struct field)EH(e_phentsize), l->phentsize - 4);
}
static void phentsize_large(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, 0, (struct field)EH(e_phentsize), l->phentsize + 8);
}
static void phnum_xnum(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, 0, (struct field)EH(e_phnum), 0xffff);
}
static void phnum_past_end(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, 0, (struct field)EH(e_phnum), 1000);
}
static void filesz_over_memsz(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, phdr_at(l, 1), (struct field)PH(p_memsz), 0x3f);
}
static void segment_past_end(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, phdr_at(l, 0), (struct field)PH(p_offset), b->len - 0x10);
}
static void segment_offset_wraps(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, phdr_at(l, 0), (struct field)PH(p_offset),
		  cls == ELFCLASS32 ? 0xffffff00u : UINT64_MAX - 0x80);
}
static void paddr_overflows(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, phdr_at(l, 0), (struct field)PH(p_paddr), UINT64_MAX - 0x1000);
}
static void note_descsz_absurd(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	poke(b, XEN_NOTE_AT(l) + 4, 4, 0xfffffff0u);
}
static void note_descsz_one_over(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	poke(b, XEN_NOTE_AT(l) + 4, 4, 5); /* runs 1 byte past the note segment */
}
static void note_namesz_overflow(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	poke(b, XEN_NOTE_AT(l), 4, 0xffffffffu); /* + 3 wraps in 32 bits */
}
static void first_note_namesz_huge(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	poke(b, l->notes_off, 4, 0x7ffffff0u);
}
static void first_note_descsz_past(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	poke(b, l->notes_off + 4, 4, 0x100); /* the GNU note, which is not even read */
}
static void note_segment_past_end(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, phdr_at(l, l->note_phdr), (struct field)PH(p_filesz), b->len);
}
static void shoff_past_end(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, 0, (struct field)EH(e_shoff), b->len);
}
static void shentsize_wrong(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, 0, (struct field)EH(e_shentsize), l->shentsize + 4);
}
static void note_section_past_end(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	set_field(b, cls, shdr_at(l, l->note_shdr), (struct field)SH(sh_size), b->len);
}
static void section_note_descsz(struct tbuf *b, const struct test_elf_layout *l, uint8_t cls)
{
	poke(b, XEN_NOTE_AT(l) + 4, 4, 0x1000);
}

static const struct corruption corruptions[] = {
	{ "truncated inside e_ident", 0, NOTES_SEGMENT, truncate_ident, -ENOEXEC },
	{ "truncated inside the ELF header", 0, NOTES_SEGMENT, truncate_ehdr, -EINVAL },
	{ "truncated inside the program headers", 0, NOTES_SEGMENT, truncate_phdrs, -EINVAL },
	{ "truncated by one byte", 0, NOTES_SEGMENT, truncate_last_byte, -EINVAL },
	{ "e_phoff past the end", 0, NOTES_SEGMENT, phoff_past_end, -EINVAL },
	{ "e_phoff straddles the end", 0, NOTES_SEGMENT, phoff_straddles_end, -EINVAL },
	{ "e_phoff near 2^64", 0, NOTES_SEGMENT, phoff_huge, -EINVAL },
	{ "e_phentsize too small", 0, NOTES_SEGMENT, phentsize_small, -EINVAL },
	{ "e_phentsize too large", 0, NOTES_SEGMENT, phentsize_large, -EINVAL },
	{ "e_phnum PN_XNUM", 0, NOTES_SEGMENT, phnum_xnum, -EINVAL },
	{ "e_phnum past the end", 0, NOTES_SEGMENT, phnum_past_end, -EINVAL },
	{ "p_filesz > p_memsz", 0, NOTES_SEGMENT, filesz_over_memsz, -EINVAL },
	{ "segment past the end", 0, NOTES_SEGMENT, segment_past_end, -EINVAL },
	{ "segment offset wraps", 0, NOTES_SEGMENT, segment_offset_wraps, -EINVAL },
	{ "p_paddr + p_memsz overflows", ELFCLASS64, NOTES_SEGMENT, paddr_overflows, -EINVAL },
	{ "note descsz absurd", 0, NOTES_SEGMENT, note_descsz_absurd, -EINVAL },
	{ "note descsz one byte past", 0, NOTES_SEGMENT, note_descsz_one_over, -EINVAL },
	{ "note namesz overflows", 0, NOTES_SEGMENT, note_namesz_overflow, -EINVAL },
	{ "first note namesz huge", 0, NOTES_SEGMENT, first_note_namesz_huge, -EINVAL },
	{ "first note descsz past the segment", 0, NOTES_SEGMENT, first_note_descsz_past, -EINVAL },
	{ "PT_NOTE past the end", 0, NOTES_SEGMENT, note_segment_past_end, -EINVAL },
	{ "e_shoff past the end", 0, NOTES_SECTION, shoff_past_end, -EINVAL },
	{ "e_shentsize wrong", 0, NOTES_SECTION, shentsize_wrong, -EINVAL },
	{ "SHT_NOTE past the end", 0, NOTES_SECTION, note_section_past_end, -EINVAL },
	{ "section note descsz absurd", 0, NOTES_SECTION, section_note_descsz, -EINVAL },
};

TEST(corrupt_one_field)
{
	for (unsigned i = 0; i < ARRAY_SIZE(corruptions); i++) {
		const struct corruption *c = &corruptions[i];
		for (unsigned k = 0; k < 2; k++) {
			if (c->only_class && c->only_class != classes[k])
				continue;
			struct test_elf_layout l;
			static struct elf_image img;
			struct tbuf b = build_pvh_elf(classes[k], 4, c->place, &l);
			if (parse(&b, &img) != 0 || !img.has_phys32_entry)
				FAIL("%s, ELF%u: the uncorrupted image does not parse", c->name,
				     classes[k] * 32);
			c->apply(&b, &l, classes[k]);
			int want = c->want;
			int rc = parse(&b, &img);
			tbuf_free(&b);
			if (rc != want)
				FAIL("%s, ELF%u: rc %d (%s), want %d (%s)", c->name, classes[k] * 32,
				     rc, strerror_name(rc), want, strerror_name(want));
		}
	}
}

/* The ELF32 overflow check: memsz near 4 GiB above a high paddr is fine in
 * 64-bit arithmetic; the parser must not wrap it either. */
TEST(elf32_high_segment_is_fine)
{
	struct test_elf spec = {
		.elf_class = ELFCLASS32, .entry = 0xfff00000u, .nr_loads = 1,
		.loads = { { 0xfff00000u, 0xfff00000u, 0xffffffffu, 0x1000, 0x10 } },
	};
	struct test_elf_layout l;
	static struct elf_image img;
	struct tbuf b = build_elf(&spec, &l);
	CHECK_EQ_INT(parse(&b, &img), 0);
	CHECK_EQ_U64(img.segments[0].paddr + img.segments[0].memsz, 0x1fff00000 - 1);
	tbuf_free(&b);
}

int main(void)
{
	RUN(elf64_pt_note_8_byte_entry);
	RUN(elf32_pt_note_4_byte_entry);
	RUN(section_only_notes);
	RUN(pt_note_at_offset_zero_is_skipped);
	RUN(segment_notes_win_over_sections);
	RUN(phys32_entry_sizes);
	RUN(phys32_reloc_values_and_defaults);
	RUN(features_bitmap_and_string);
	RUN(guest_os_string);
	RUN(only_xen_named_notes_count);
	RUN(vaddr_to_paddr);
	RUN(not_an_x86_executable);
	RUN(segment_limit);
	RUN(corrupt_one_field);
	RUN(elf32_high_segment_is_fine);
	return test_summary();
}
