/* SPDX-License-Identifier: MIT */
/*
 * mb1_parse(): where the header may be (aligned, in the first 8 KiB), the
 * checksum, flags pvhboot cannot honour, and a.out kludge fields that do
 * not fit the file, one field at a time.
 */
#include "../../core/errno.h"
#include "../../loaders/image.h"
#include "../fuzz/testimg.h"
#include "test.h"

#define LOAD 0x100000u
#define KLUDGE MB1_AOUT_KLUDGE

/* Header field at byte @field of the header at @hoff. */
static void set(struct tbuf *b, size_t hoff, size_t field, uint32_t v)
{
	put_le32_at(b, hoff + field, v);
}

TEST(plain_header)
{
	struct tbuf b = build_mb1(256, 0, MB1_PAGE_ALIGN | MB1_MEMORY_INFO, 0);
	static struct mb1_image mb;
	CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), 0);
	CHECK_EQ_U64(mb.header_offset, 0);
	CHECK_EQ_U64(mb.header.magic, MB1_HEADER_MAGIC);
	CHECK_EQ_U64(mb.header.flags, 3);
	CHECK_EQ_U64(mb.header.checksum, (uint32_t) - (MB1_HEADER_MAGIC + 3));
	/* fields past the checksum are not meaningful without flag 16: zero */
	CHECK_EQ_U64(mb.header.header_addr, 0);
	CHECK_EQ_U64(mb.header.entry_addr, 0);
	CHECK_EQ_U64(mb.unsupported_flags, 0);
	CHECK(!mb.is_elf);
	tbuf_free(&b);
}

/* Where a header can be found: 32-bit aligned, wholly in the first 8 KiB. */
TEST(header_placement)
{
	static const struct {
		size_t off;
		int want;
	} cases[] = {
		{ 4, 0 },          { 2, -ENOEXEC },    { 4096, 0 },
		{ 8180, 0 },       /* the last 12 bytes of the window */
		{ 8184, -ENOEXEC }, /* runs 4 bytes past 8192 */
		{ 8190, -ENOEXEC }, /* unaligned, and past */
		{ 8192, -ENOEXEC }, /* outside the window */
		{ 12000, -ENOEXEC },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tbuf b = build_mb1(16384, cases[i].off, 0, 0);
		static struct mb1_image mb;
		int rc = mb1_parse(b.p, b.len, &mb);
		if (rc != cases[i].want)
			FAIL("header at %zu: rc %d, want %d", cases[i].off, rc, cases[i].want);
		if (rc == 0)
			CHECK_EQ_U64(mb.header_offset, cases[i].off);
		tbuf_free(&b);
	}
	/* A file shorter than 8 KiB: the window is the file. */
	struct tbuf b = build_mb1(100, 88, 0, 0);
	static struct mb1_image mb;
	CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), 0);
	CHECK_EQ_INT(mb1_parse(b.p, b.len - 1, &mb), -ENOEXEC);
	CHECK_EQ_INT(mb1_parse(b.p, 0, &mb), -ENOEXEC);
	tbuf_free(&b);
}

TEST(checksum)
{
	struct tbuf b = build_mb1(8192, 256, 0, 0);
	static struct mb1_image mb;
	uint32_t good = get_le32(b.p + 256 + 8);
	static const uint32_t wrong_by[] = { 1, 0xffffffffu, 0x80000000u, 0x100 };
	for (unsigned i = 0; i < ARRAY_SIZE(wrong_by); i++) {
		set(&b, 256, 8, good + wrong_by[i]);
		CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), -ENOEXEC);
	}
	/* The first magic has a bad checksum; a later valid header is found. */
	put_le32_at(&b, 512, MB1_HEADER_MAGIC);
	put_le32_at(&b, 516, 2);
	put_le32_at(&b, 520, (uint32_t) - (MB1_HEADER_MAGIC + 2));
	CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), 0);
	CHECK_EQ_U64(mb.header_offset, 512);
	CHECK_EQ_U64(mb.header.flags, 2);
	tbuf_free(&b);
}

TEST(unsupported_required_flags)
{
	static const struct {
		uint32_t flags, unsupported;
	} cases[] = {
		{ 0x7, 0 },              /* page align, memory info, video: all honoured */
		{ 1u << 3, 1u << 3 },    /* unknown required bit 3 */
		{ 0xfff8, 0xfff8 },      /* what GRUB refuses */
		{ 1u << 17 | 1u << 31, 0 }, /* optional bits are never a problem */
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tbuf b = build_mb1(8192, 64, cases[i].flags, LOAD);
		static struct mb1_image mb;
		CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), 0);
		CHECK_EQ_U64(mb.header.flags, cases[i].flags);
		CHECK_EQ_U64(mb.unsupported_flags, cases[i].unsupported);
		tbuf_free(&b);
	}
}

TEST(kludge_fields_and_video)
{
	struct tbuf b = build_mb1(16384, 64, KLUDGE | MB1_VIDEO_MODE, LOAD);
	static struct mb1_image mb;
	CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), 0);
	CHECK_EQ_U64(mb.header.header_addr, LOAD + 64);
	CHECK_EQ_U64(mb.header.load_addr, LOAD);
	CHECK_EQ_U64(mb.header.load_end_addr, LOAD + 16384);
	CHECK_EQ_U64(mb.header.bss_end_addr, LOAD + 16384 + 0x1000);
	CHECK_EQ_U64(mb.header.entry_addr, LOAD + 64 + 48);
	CHECK_EQ_U64(mb.header.width, 1024);
	CHECK_EQ_U64(mb.header.height, 768);
	CHECK_EQ_U64(mb.header.depth, 32);
	/* "0 means to the end of the file" and "no bss" */
	set(&b, 64, 20, 0);
	set(&b, 64, 24, 0);
	CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), 0);
	/* The image need not start at the file's start. */
	set(&b, 64, 16, LOAD + 32);
	set(&b, 64, 20, LOAD + 64 + 100);
	CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), 0);
	tbuf_free(&b);
}

TEST(is_elf)
{
	struct tbuf b = build_mb1(8192, 1024, 0, 0);
	static struct mb1_image mb;
	memcpy(b.p, "\x7f" "ELF", 4);
	CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), 0);
	CHECK(mb.is_elf);
	tbuf_free(&b);
}

/* One inconsistent kludge field at a time (header at 64, file of 16 KiB). */
TEST(kludge_inconsistent)
{
	static const struct {
		const char *what;
		size_t field;
		uint32_t value;
		int want;
	} cases[] = {
		{ "header_addr below load_addr", 12, LOAD - 4, -EINVAL },
		{ "load_addr before the file start", 16, LOAD - 4, -EINVAL },
		{ "load_end below load_addr", 20, LOAD - 1, -EINVAL },
		{ "load_end past the file end", 20, LOAD + 16384 + 1, -EINVAL },
		{ "load_end at the file end", 20, LOAD + 16384, 0 },
		{ "bss_end below load_end", 24, LOAD + 16383, -EINVAL },
		{ "bss_end equal to load_end", 24, LOAD + 16384, 0 },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tbuf b = build_mb1(16384, 64, KLUDGE, LOAD);
		static struct mb1_image mb;
		CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), 0);
		set(&b, 64, cases[i].field, cases[i].value);
		int rc = mb1_parse(b.p, b.len, &mb);
		if (rc != cases[i].want)
			FAIL("%s: rc %d, want %d", cases[i].what, rc, cases[i].want);
		tbuf_free(&b);
	}
}

/* Without load_end the file decides: it must still fit below 4 GiB. */
TEST(kludge_beyond_4g)
{
	struct tbuf b = build_mb1(16384, 64, KLUDGE, 0xffffe000u);
	static struct mb1_image mb;
	set(&b, 64, 20, 0);
	set(&b, 64, 24, 0);
	CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), -EINVAL);
	set(&b, 64, 12, 0xffffc000u + 64);
	set(&b, 64, 16, 0xffffc000u);
	CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), 0); /* 16 KiB ending exactly at 4 GiB */
	set(&b, 64, 12, 0xffffc001u + 64);
	set(&b, 64, 16, 0xffffc001u);
	CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), -EINVAL); /* one byte more */
	tbuf_free(&b);
}

/* The fields the flags use must be in the first 8 KiB and in the file. */
TEST(header_cut_short)
{
	static const struct {
		size_t off, file;
		uint32_t flags;
		int want;
	} cases[] = {
		{ 8160, 16384, KLUDGE, 0 },
		{ 8164, 16384, KLUDGE, -EINVAL },
		{ 8144, 16384, KLUDGE | MB1_VIDEO_MODE, 0 },
		{ 8148, 16384, KLUDGE | MB1_VIDEO_MODE, -EINVAL },
		{ 8148, 16384, MB1_VIDEO_MODE, -EINVAL },
		{ 8180, 16384, 0, 0 },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		/* build a header that fits, then move the same bytes up */
		struct tbuf b = build_mb1(cases[i].file, 0, cases[i].flags, LOAD);
		uint8_t h[48];
		memcpy(h, b.p, sizeof(h));
		memset(b.p, 0, 48);
		memcpy(b.p + cases[i].off, h, MIN(sizeof(h), b.len - cases[i].off));
		if (cases[i].flags & KLUDGE)
			set(&b, cases[i].off, 12, LOAD + (uint32_t)cases[i].off);
		static struct mb1_image mb;
		int rc = mb1_parse(b.p, b.len, &mb);
		if (rc != cases[i].want)
			FAIL("flags %#x at %zu: rc %d, want %d", cases[i].flags, cases[i].off, rc,
			     cases[i].want);
		tbuf_free(&b);
	}
	/* The file ends inside the kludge fields. */
	struct tbuf b = build_mb1(200, 168, KLUDGE, LOAD);
	static struct mb1_image mb;
	CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), 0);
	CHECK_EQ_INT(mb1_parse(b.p, b.len - 1, &mb), -EINVAL);
	tbuf_free(&b);
}

int main(void)
{
	RUN(plain_header);
	RUN(header_placement);
	RUN(checksum);
	RUN(unsupported_required_flags);
	RUN(kludge_fields_and_video);
	RUN(is_elf);
	RUN(kludge_inconsistent);
	RUN(kludge_beyond_4g);
	RUN(header_cut_short);
	return test_summary();
}
