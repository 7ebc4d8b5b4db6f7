/* SPDX-License-Identifier: MIT */
/*
 * mb2_parse(): where the header may be (8-aligned, wholly in the first
 * 32 KiB), the checksum and architecture, every header tag pvhboot reads,
 * the optional flag, and malformed tags and address fields, one field at a
 * time.
 */
#include "../../core/errno.h"
#include "../../loaders/multiboot2.h"
#include "../fuzz/mb2img.h"
#include "test.h"

#define HOFF 64u
#define LOAD 0x200000u
#define FILE_LEN 8192u

#define F(...) ((const uint32_t[]){ __VA_ARGS__ }), (sizeof((uint32_t[]){ __VA_ARGS__ }) / 4)

/* A file with just the end tag in a header at @hoff. */
static struct tbuf plain(size_t file_len, size_t hoff)
{
	struct tbuf b = { 0 };
	mb2img_begin(&b, hoff);
	mb2img_end(&b, hoff);
	mb2img_pad(&b, file_len);
	return b;
}

TEST(plain_header)
{
	struct tbuf b = plain(256, 0);
	struct mb2_image mb;
	CHECK_EQ_INT(mb2_parse(b.p, b.len, &mb), 0);
	CHECK_EQ_U64(mb.header_offset, 0);
	CHECK_EQ_U64(mb.header_length, 24);
	CHECK_EQ_U64(mb.nr_tags, 0);
	CHECK_EQ_U64(mb.requests, 0);
	CHECK(!mb.has_address && !mb.has_entry && !mb.relocatable && !mb.is_elf);
	tbuf_free(&b);
}

/* 8-aligned, and the whole header (24 bytes here) inside the first 32 KiB. */
TEST(header_placement)
{
	static const struct {
		size_t off;
		int want;
	} cases[] = {
		{ 8, 0 },          { 4, -ENOEXEC },     { 12, -ENOEXEC },   { 16384, 0 },
		{ 32744, 0 },      /* the last 24 bytes of the window */
		{ 32752, -EINVAL }, /* found, but its tags run past 32768 */
		{ 32768, -ENOEXEC }, /* outside the window: the spec's 32 KiB, not 64 */
		{ 40000, -ENOEXEC },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tbuf b = plain(65536, cases[i].off);
		struct mb2_image mb;
		int rc = mb2_parse(b.p, b.len, &mb);
		if (rc != cases[i].want)
			FAIL("header at %zu: rc %d, want %d", cases[i].off, rc, cases[i].want);
		if (rc != -ENOEXEC)
			CHECK_EQ_U64(mb.header_offset, cases[i].off);
		tbuf_free(&b);
	}
	/* A file shorter than the header: the window is the file. */
	struct tbuf b = plain(32, 8);
	struct mb2_image mb;
	CHECK_EQ_INT(mb2_parse(b.p, b.len, &mb), 0);
	CHECK_EQ_INT(mb2_parse(b.p, b.len - 1, &mb), -EINVAL);
	CHECK_EQ_INT(mb2_parse(b.p, 23, &mb), -ENOEXEC);
	CHECK_EQ_INT(mb2_parse(b.p, 0, &mb), -ENOEXEC);
	tbuf_free(&b);
}

TEST(checksum_and_architecture)
{
	struct tbuf b = plain(4096, 256);
	struct mb2_image mb;
	uint32_t good = get_le32(b.p + 256 + 12);
	static const uint32_t wrong_by[] = { 1, 0xffffffffu, 0x80000000u };
	for (unsigned i = 0; i < ARRAY_SIZE(wrong_by); i++) {
		put_le32_at(&b, 256 + 12, good + wrong_by[i]);
		CHECK_EQ_INT(mb2_parse(b.p, b.len, &mb), -ENOEXEC);
	}
	/* MIPS (4), checksum adjusted: a header, but not one for x86. */
	put_le32_at(&b, 256 + 4, MB2_ARCH_MIPS32);
	put_le32_at(&b, 256 + 12, good - MB2_ARCH_MIPS32);
	CHECK_EQ_INT(mb2_parse(b.p, b.len, &mb), -EINVAL);
	CHECK_EQ_U64(mb.problem_value, MB2_ARCH_MIPS32);
	/* header_length 16 (no room for an end tag), checksum adjusted. */
	put_le32_at(&b, 256 + 4, 0);
	put_le32_at(&b, 256 + 8, 16);
	put_le32_at(&b, 256 + 12, (uint32_t) - (MB2_HEADER_MAGIC + 16));
	CHECK_EQ_INT(mb2_parse(b.p, b.len, &mb), -EINVAL);
	CHECK_EQ_U64(mb.problem_value, 16);
	tbuf_free(&b);
}

/* Each tag alone: the fields land where they belong. */
TEST(every_tag)
{
	struct tbuf b = { 0 };
	mb2img_begin(&b, HOFF);
	mb2img_tag(&b, MB2_HTAG_INFO_REQUEST, 0, 0,
		   F(MB2_TAG_CMDLINE, MB2_TAG_MMAP, MB2_TAG_ACPI_NEW, MB2_TAG_LOAD_BASE_ADDR));
	mb2img_tag(&b, MB2_HTAG_INFO_REQUEST, MB2_HTAG_OPTIONAL, 0, F(MB2_TAG_FRAMEBUFFER, 99));
	mb2img_tag(&b, MB2_HTAG_ENTRY, 0, 0, F(LOAD + 0x40));
	mb2img_tag(&b, MB2_HTAG_ENTRY_EFI32, MB2_HTAG_OPTIONAL, 0, F(LOAD + 0x80));
	mb2img_tag(&b, MB2_HTAG_ENTRY_EFI64, MB2_HTAG_OPTIONAL, 0, F(LOAD + 0xc0));
	mb2img_tag(&b, MB2_HTAG_CONSOLE_FLAGS, 0, 0, F(MB2_CONSOLE_EGA_TEXT));
	mb2img_tag(&b, MB2_HTAG_FRAMEBUFFER, MB2_HTAG_OPTIONAL, 0, F(1024, 768, 32));
	mb2img_tag(&b, MB2_HTAG_MODULE_ALIGN, 0, 0, NULL, 0);
	mb2img_tag(&b, MB2_HTAG_EFI_BS, MB2_HTAG_OPTIONAL, 0, NULL, 0);
	mb2img_tag(&b, MB2_HTAG_RELOCATABLE, 0, 0,
		   F(0x100000, 0x10000000, 0x200000, MB2_LOAD_PREFERENCE_HIGH));
	mb2img_end(&b, HOFF);
	mb2img_pad(&b, FILE_LEN);
	struct mb2_image mb;
	CHECK_EQ_INT(mb2_parse(b.p, b.len, &mb), 0);
	CHECK_EQ_U64(mb.nr_tags, 10);
	CHECK_EQ_U64(mb.requests, MB2_TAG_BIT(MB2_TAG_CMDLINE) | MB2_TAG_BIT(MB2_TAG_MMAP) |
				       MB2_TAG_BIT(MB2_TAG_ACPI_NEW) |
				       MB2_TAG_BIT(MB2_TAG_LOAD_BASE_ADDR));
	CHECK_EQ_U64(mb.optional_requests, MB2_TAG_BIT(MB2_TAG_FRAMEBUFFER)); /* 99 ignored */
	CHECK(mb.has_entry && mb.entry == LOAD + 0x40);
	CHECK(mb.has_efi32_entry && mb.efi32_entry == LOAD + 0x80);
	CHECK(mb.has_efi64_entry && mb.efi64_entry == LOAD + 0xc0);
	CHECK(mb.has_console && mb.console_flags == MB2_CONSOLE_EGA_TEXT && !mb.console_optional);
	CHECK(mb.has_framebuffer && mb.framebuffer_optional);
	CHECK_EQ_U64(mb.fb_width, 1024);
	CHECK_EQ_U64(mb.fb_height, 768);
	CHECK_EQ_U64(mb.fb_depth, 32);
	CHECK(mb.module_align);
	CHECK(mb.efi_bs && mb.efi_bs_optional);
	CHECK(mb.relocatable);
	CHECK_EQ_U64(mb.reloc_min, 0x100000);
	CHECK_EQ_U64(mb.reloc_max, 0x10000000);
	CHECK_EQ_U64(mb.reloc_align, 0x200000);
	CHECK_EQ_U64(mb.reloc_preference, MB2_LOAD_PREFERENCE_HIGH);
	CHECK(!mb.has_address);
	tbuf_free(&b);
}

/* One tag of each shape, good or bad, after a valid entry tag. */
struct tag_case {
	const char *what;
	uint16_t type, flags;
	uint32_t size;        /* 0: natural */
	uint32_t fields[4];
	unsigned n;
	int want;
	uint32_t value;       /* problem_value when want != 0 */
};

TEST(tag_refusals)
{
	static const struct tag_case cases[] = {
		{ "unknown required tag", 11, 0, 0, { 0 }, 0, -EOPNOTSUPP, 11 },
		{ "unknown required tag 0x7fff", 0x7fff, 0, 0, { 0 }, 0, -EOPNOTSUPP, 0x7fff },
		{ "unknown optional tag", 11, MB2_HTAG_OPTIONAL, 0, { 0 }, 0, 0, 0 },
		{ "other flag bits do not make it optional", 11, 2, 0, { 0 }, 0, -EOPNOTSUPP, 11 },
		{ "request for unknown type", 1, 0, 0, { 1, 22 }, 2, -EOPNOTSUPP, 22 },
		{ "request for type 0xffffffff", 1, 0, 0, { 0xffffffffu }, 1, -EOPNOTSUPP,
		  0xffffffffu },
		{ "optional request for unknown type", 1, 1, 0, { 22, 40 }, 2, 0, 0 },
		{ "request for every spec type", 1, 0, 0, { 13, 19, 20, 21 }, 4, 0, 0 },
		{ "empty request", 1, 0, 8, { 0 }, 0, 0, 0 },
		{ "tag size 4", 6, 0, 4, { 0 }, 0, -EINVAL, 4 },
		{ "entry tag of 8 bytes", 3, 0, 8, { 0 }, 0, -EINVAL, 3 },
		{ "address tag of 20 bytes", 2, 0, 20, { 0, 0, 0 }, 3, -EINVAL, 2 },
		{ "framebuffer tag of 16 bytes", 5, 1, 16, { 0, 0 }, 2, -EINVAL, 5 },
		{ "relocatable tag of 20 bytes", 10, 0, 20, { 0, 0, 0 }, 3, -EINVAL, 10 },
		{ "tag runs past header_length", 6, 0, 0x1000, { 0 }, 0, -EINVAL, 6 },
		{ "absurd tag size", 6, 0, 0xfffffff8u, { 0 }, 0, -EINVAL, 6 },
		{ "relocatable min above max", 10, 0, 0, { 0x300000, 0x200000, 0x1000, 0 }, 4,
		  -EINVAL, 0x300000 },
		{ "relocatable align 3", 10, 0, 0, { 0x100000, 0x200000, 3, 0 }, 4, -EINVAL, 3 },
		{ "relocatable align 0", 10, 0, 0, { 0x100000, 0x200000, 0, 7 }, 4, 0, 0 },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct tag_case *c = &cases[i];
		struct tbuf b = { 0 };
		mb2img_begin(&b, HOFF);
		mb2img_tag(&b, MB2_HTAG_ENTRY, 0, 0, F(LOAD));
		mb2img_tag(&b, c->type, c->flags, c->size, c->fields, c->n);
		mb2img_end(&b, HOFF);
		mb2img_pad(&b, FILE_LEN);
		struct mb2_image mb;
		int rc = mb2_parse(b.p, b.len, &mb);
		if (rc != c->want)
			FAIL("%s: rc %d, want %d (%s)", c->what, rc, c->want,
			     mb.problem ? mb.problem : "-");
		if (rc && mb.problem_value != c->value)
			FAIL("%s: problem_value 0x%x, want 0x%x", c->what, mb.problem_value, c->value);
		if (rc && !mb.problem)
			FAIL("%s: no problem text", c->what);
		tbuf_free(&b);
	}
}

TEST(end_tag_and_tag_count)
{
	struct mb2_image mb;
	/* header_length stops right before the end tag. */
	struct tbuf b = { 0 };
	mb2img_begin(&b, HOFF);
	mb2img_tag(&b, MB2_HTAG_MODULE_ALIGN, 0, 0, NULL, 0);
	mb2img_end(&b, HOFF);
	mb2img_pad(&b, FILE_LEN);
	uint32_t len = get_le32(b.p + HOFF + 8);
	put_le32_at(&b, HOFF + 8, len - 8);
	put_le32_at(&b, HOFF + 12, (uint32_t) - (MB2_HEADER_MAGIC + len - 8));
	CHECK_EQ_INT(mb2_parse(b.p, b.len, &mb), -EINVAL);
	CHECK_EQ_U64(mb.problem_value, len - 8);
	tbuf_free(&b);

	/* The padding of the last tag reaches header_length: no end tag. */
	b = (struct tbuf){ 0 };
	mb2img_begin(&b, HOFF);
	mb2img_tag(&b, MB2_HTAG_ENTRY, 0, 0, F(LOAD));
	put_le32_at(&b, HOFF + 8, 16 + 12);
	put_le32_at(&b, HOFF + 12, (uint32_t) - (MB2_HEADER_MAGIC + 28));
	mb2img_pad(&b, FILE_LEN);
	CHECK_EQ_INT(mb2_parse(b.p, b.len, &mb), -EINVAL);
	tbuf_free(&b);

	/* MB2_MAX_HEADER_TAGS tags are read; one more is refused. */
	for (unsigned n = MB2_MAX_HEADER_TAGS; n <= MB2_MAX_HEADER_TAGS + 1; n++) {
		b = (struct tbuf){ 0 };
		mb2img_begin(&b, HOFF);
		for (unsigned i = 0; i < n; i++)
			mb2img_tag(&b, MB2_HTAG_MODULE_ALIGN, 0, 0, NULL, 0);
		mb2img_end(&b, HOFF);
		mb2img_pad(&b, FILE_LEN);
		CHECK_EQ_INT(mb2_parse(b.p, b.len, &mb), n > MB2_MAX_HEADER_TAGS ? -E2BIG : 0);
		tbuf_free(&b);
	}
}

/* The address tag against a FILE_LEN file with the header at HOFF. */
TEST(address_tag)
{
	static const struct {
		const char *what;
		uint32_t header_addr, load_addr, load_end, bss_end;
		bool with_entry;
		int want;
		uint64_t load_offset, load_size, mem_size;
	} cases[] = {
		{ "whole file", LOAD + HOFF, LOAD, LOAD + FILE_LEN, LOAD + FILE_LEN + 0x1000, true,
		  0, 0, FILE_LEN, FILE_LEN + 0x1000 },
		{ "load_end 0: to the end", LOAD + HOFF, LOAD, 0, 0, true, 0, 0, FILE_LEN,
		  FILE_LEN },
		{ "load_addr -1: from the first byte", LOAD + HOFF, 0xffffffffu, LOAD + 0x1000, 0,
		  true, 0, 0, 0x1000, 0x1000 },
		{ "skip the first 32 bytes", LOAD + 32, LOAD, LOAD + 0x100, 0, true, 0, 32, 0x100,
		  0x100 },
		{ "no entry tag", LOAD + HOFF, LOAD, 0, 0, false, -EINVAL, 0, 0, 0 },
		{ "header_addr below load_addr", LOAD - 1, LOAD, 0, 0, true, -EINVAL, 0, 0, 0 },
		{ "load_addr before the file", LOAD + HOFF + 1, LOAD, 0, 0, true, -EINVAL, 0, 0, 0 },
		{ "load_end below load_addr", LOAD + HOFF, LOAD, LOAD - 1, 0, true, -EINVAL, 0, 0,
		  0 },
		{ "load_end past the file", LOAD + HOFF, LOAD, LOAD + FILE_LEN + 1, 0, true,
		  -EINVAL, 0, 0, 0 },
		{ "bss_end below load_end", LOAD + HOFF, LOAD, LOAD + 0x1000, LOAD + 0xfff, true,
		  -EINVAL, 0, 0, 0 },
		{ "image past 4 GiB", 0xfffff000u + HOFF, 0xfffff000u, 0, 0, true, -EINVAL, 0, 0,
		  0 },
		{ "load_addr -1 with header_addr below the offset", HOFF - 1, 0xffffffffu, 0, 0,
		  true, -EINVAL, 0, 0, 0 },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tbuf b = { 0 };
		mb2img_begin(&b, HOFF);
		mb2img_tag(&b, MB2_HTAG_ADDRESS, 0, 0,
			   F(cases[i].header_addr, cases[i].load_addr, cases[i].load_end,
			     cases[i].bss_end));
		if (cases[i].with_entry)
			mb2img_tag(&b, MB2_HTAG_ENTRY, 0, 0, F(LOAD + 0x100));
		mb2img_end(&b, HOFF);
		mb2img_pad(&b, FILE_LEN);
		struct mb2_image mb;
		int rc = mb2_parse(b.p, b.len, &mb);
		if (rc != cases[i].want)
			FAIL("%s: rc %d, want %d (%s)", cases[i].what, rc, cases[i].want,
			     mb.problem ? mb.problem : "-");
		if (rc == 0) {
			CHECK(mb.has_address);
			if (mb.load_offset != cases[i].load_offset || mb.load_size != cases[i].load_size ||
			    mb.mem_size != cases[i].mem_size)
				FAIL("%s: offset 0x%" PRIx64 " size 0x%" PRIx64 " mem 0x%" PRIx64,
				     cases[i].what, mb.load_offset, mb.load_size, mb.mem_size);
		}
		tbuf_free(&b);
	}
}

TEST(names)
{
	CHECK(!strcmp(mb2_header_tag_name(MB2_HTAG_RELOCATABLE), "relocatable"));
	CHECK(mb2_header_tag_name(MB2_HTAG_MAX + 1) == NULL);
	CHECK(!strcmp(mb2_info_tag_name(MB2_TAG_LOAD_BASE_ADDR), "load_base_addr"));
	CHECK(!strcmp(mb2_info_tag_name(MB2_TAG_ACPI_NEW), "acpi_new"));
	CHECK(mb2_info_tag_name(MB2_TAG_MAX + 1) == NULL);
}

int main(void)
{
	RUN(plain_header);
	RUN(header_placement);
	RUN(checksum_and_architecture);
	RUN(every_tag);
	RUN(tag_refusals);
	RUN(end_tag_and_tag_count);
	RUN(address_tag);
	RUN(names);
	return test_summary();
}
