/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the firmware-independent parts of efi/: UTF-8 <-> UCS-2,
 * option text, EFI memory descriptors to E820, EFI_STATUS to -E*, and the
 * CRC64 that stands in for liblzma's.
 * Built by efi/build.mk as $(BUILD)/unit/test_efi, which tests/run.sh runs
 * with the other unit tests.
 */
#include "efi/memmap.h"
#include "efi/options.h"
#include "efi/status.h"
#include "efi/utf8.h"
#include "core/errno.h"
#include "tests/unit/test.h"

#include <lzma.h>

/* ---- UTF-8 -> UCS-2 ---- */

struct utf8_case {
	int line;
	const char *in;
	uint16_t want[8];
	unsigned nwant;
};

#define U8(in, ...) { __LINE__, in, { __VA_ARGS__ }, sizeof((uint16_t[]){ __VA_ARGS__ }) / 2 }
static const struct utf8_case utf8_cases[] = {
	U8("Az\n", 'A', 'z', '\n'),
	U8("\xc3\xa9", 0xe9),                   /* é */
	U8("\xe2\x82\xac", 0x20ac),             /* € */
	U8("\xf0\x9f\x98\x80", 0xfffd),         /* U+1F600: beyond UCS-2 */
	U8("\xc0\x80", 0xfffd, 0xfffd),         /* C0 never leads; 80 is stray */
	U8("\xe0\x80\x80", 0xfffd),             /* overlong NUL */
	U8("\xed\xa0\x80", 0xfffd),             /* UTF-16 surrogate */
	U8("\xc3" "A", 0xfffd, 'A'),            /* broken off: A survives */
	U8("\xe2\x82" "\xc3\xa9", 0xfffd, 0xe9), /* broken off by a new lead */
	U8("\xff" "B", 0xfffd, 'B'),
};

TEST(utf8_decode_table)
{
	for (size_t c = 0; c < ARRAY_SIZE(utf8_cases); c++) {
		const struct utf8_case *t = &utf8_cases[c];
		struct utf8_decoder d = { 0 };
		uint16_t got[16];
		unsigned n = 0;
		for (const char *p = t->in; *p; p++)
			n += utf8_decode_byte(&d, (uint8_t)*p, got + n);
		if (n != t->nwant)
			FAIL("case at line %d: %u characters, want %u", t->line, n, t->nwant);
		for (unsigned i = 0; i < n; i++)
			if (got[i] != t->want[i])
				FAIL("case at line %d: char %u is U+%04X, want U+%04X", t->line, i,
				     got[i], t->want[i]);
		CHECK(!utf8_pending(&d));
	}
}

TEST(utf8_sequence_spans_two_writes)
{
	struct utf8_decoder d = { 0 };
	uint16_t out[2];
	CHECK_EQ_INT(utf8_decode_byte(&d, 0xe2, out), 0);
	CHECK(utf8_pending(&d));
	CHECK_EQ_INT(utf8_decode_byte(&d, 0x82, out), 0);
	CHECK_EQ_INT(utf8_decode_byte(&d, 0xac, out), 1);
	CHECK_EQ_U64(out[0], 0x20ac);
}

TEST(utf8_encode)
{
	char b[3];
	CHECK_EQ_INT(utf8_encode_ucs2('A', b), 1);
	CHECK_EQ_INT(b[0], 'A');
	CHECK_EQ_INT(utf8_encode_ucs2(0xe9, b), 2);
	CHECK(!memcmp(b, "\xc3\xa9", 2));
	CHECK_EQ_INT(utf8_encode_ucs2(0x20ac, b), 3);
	CHECK(!memcmp(b, "\xe2\x82\xac", 3));
	CHECK_EQ_INT(utf8_encode_ucs2(0xd800, b), 3); /* lone surrogate -> U+FFFD */
	CHECK(!memcmp(b, "\xef\xbf\xbd", 3));
}

/* Variables hold UTF-16: a pair is one character, a lone surrogate U+FFFD (core/utf8.h). */
TEST(ucs2le_to_utf8_surrogates)
{
	static const uint8_t pair[] = { 0x3d, 0xd8, 0x00, 0xde, 'x', 0, 0x3d, 0xd8, 0, 0 };
	char out[16];
	CHECK_EQ_INT(ucs2le_to_utf8(pair, 5, out, sizeof(out)), 0);
	CHECK(!strcmp(out, "\xf0\x9f\x98\x80x\xef\xbf\xbd"));
	CHECK_EQ_INT(ucs2le_to_utf8(pair, 5, out, 5), -E2BIG);
	CHECK(!strcmp(out, ""));
}

/* ---- option text ---- */

/* @s as little-endian UCS-2 at an odd address, to prove alignment does not matter. */
static const uint8_t *ucs2(const char *s, size_t *size)
{
	static uint8_t buf[256];
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		buf[1 + 2 * i] = (uint8_t)s[i];
		buf[2 + 2 * i] = 0;
	}
	*size = 2 * n;
	return buf + 1;
}

TEST(options_from_ucs2)
{
	char out[32];
	size_t size;
	const uint8_t *p = ucs2("  BOOTX64.EFI\tpoweroff \r\n", &size);
	CHECK_EQ_INT(efi_options_from_ucs2(p, size, out, sizeof(out)), 0);
	CHECK(!strcmp(out, "BOOTX64.EFI poweroff"));

	/* The NUL terminator ends the text even if LoadOptionsSize says more. */
	p = ucs2("ab", &size);
	uint8_t with_nul[8] = { 'a', 0, 0, 0, 'z', 0 };
	CHECK_EQ_INT(efi_options_from_ucs2(with_nul, 6, out, sizeof(out)), 0);
	CHECK(!strcmp(out, "a"));

	CHECK_EQ_INT(efi_options_from_ucs2(NULL, 0, out, sizeof(out)), 0);
	CHECK(!strcmp(out, ""));
	CHECK_EQ_INT(efi_options_from_ucs2(p, 3, out, sizeof(out)), -EILSEQ);
	CHECK(!strcmp(out, ""));

	/* EDK2's auto-created boot options carry a GUID: binary, not text. */
	static const uint8_t guid[16] = { 0x5b, 0x8e, 0x38, 0x8f, 0xe8, 0x4b, 0x39, 0x4a,
					  0x9c, 0x3d, 0x8b, 0x4d, 0x8c, 0x34, 0x2a, 0x5c };
	CHECK_EQ_INT(efi_options_from_ucs2(guid, sizeof(guid), out, sizeof(out)), -EILSEQ);
	uint8_t e_acute[] = { 0xe9, 0x00 };
	CHECK_EQ_INT(efi_options_from_ucs2(e_acute, 2, out, sizeof(out)), -EILSEQ);

	p = ucs2("0123456789", &size);
	CHECK_EQ_INT(efi_options_from_ucs2(p, size, out, 10), -E2BIG);
	CHECK_EQ_INT(efi_options_from_ucs2(p, size, out, 11), 0);
	CHECK(!strcmp(out, "0123456789"));
}

TEST(options_from_text)
{
	char out[32];
	const char file[] = "\xef\xbb\xbfpoweroff\n  timeout=3\n";
	CHECK_EQ_INT(efi_options_from_text(file, strlen(file), out, sizeof(out)), 0);
	CHECK(!strcmp(out, "poweroff timeout=3"));
	CHECK_EQ_INT(efi_options_from_text("a\x01", 2, out, sizeof(out)), -EILSEQ);
	CHECK_EQ_INT(efi_options_from_text("", 0, out, sizeof(out)), 0);
	CHECK(!strcmp(out, ""));
}

TEST(options_has_word)
{
	static const struct {
		const char *opts;
		bool want;
	} cases[] = {
		{ "poweroff", true },
		{ "a poweroff b", true },
		{ "  poweroff  ", true },
		{ "poweroffx", false },
		{ "xpoweroff", false },
		{ "", false },
		{ "append=\"x poweroff\"", false },
		{ "append='poweroff' poweroff", true },
		{ "entry=1 -- poweroff", false },
		{ "poweroff -- quiet", true },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (options_has_word(cases[i].opts, "poweroff") != cases[i].want)
			FAIL("options_has_word(\"%s\") != %d", cases[i].opts, cases[i].want);
	CHECK(!options_has_word("a b", ""));
}

/* ---- memory map ---- */

/* Firmware may use a descriptor larger than the struct: test with 48 bytes. */
#define DESC_SIZE 48
#define PAGES(bytes) ((bytes) / 4096)

struct raw_desc {
	uint32_t type;
	uint64_t addr, pages, attr;
};

static size_t build_map(uint8_t *buf, const struct raw_desc *d, size_t n)
{
	memset(buf, 0xa5, n * DESC_SIZE); /* garbage in the padding */
	for (size_t i = 0; i < n; i++) {
		EFI_MEMORY_DESCRIPTOR md = { .Type = d[i].type, .PhysicalStart = d[i].addr,
					     .NumberOfPages = d[i].pages, .Attribute = d[i].attr };
		memcpy(buf + i * DESC_SIZE, &md, sizeof(md));
	}
	return n * DESC_SIZE;
}

TEST(memmap_linux_type_mapping)
{
	static const struct {
		uint32_t efi;
		uint64_t attr;
		uint32_t e820;
	} cases[] = {
		{ EfiReservedMemoryType, 0, E820_RESERVED },
		{ EfiLoaderCode, 0, E820_RAM },
		{ EfiLoaderData, 0, E820_RAM },
		{ EfiBootServicesCode, 0, E820_RAM },
		{ EfiBootServicesData, 0, E820_RAM },
		{ EfiRuntimeServicesCode, 0, E820_RESERVED },
		{ EfiRuntimeServicesData, 0, E820_RESERVED },
		{ EfiConventionalMemory, 0, E820_RAM },
		{ EfiConventionalMemory, EFI_MEMORY_SP_ATTR, E820_SOFT_RESERVED },
		{ EfiUnusableMemory, 0, E820_UNUSABLE },
		{ EfiACPIReclaimMemory, 0, E820_ACPI },
		{ EfiACPIMemoryNVS, 0, E820_NVS },
		{ EfiMemoryMappedIO, 0, E820_RESERVED },
		{ EfiMemoryMappedIOPortSpace, 0, E820_RESERVED },
		{ EfiPalCode, 0, E820_RESERVED },
		{ EFI_PERSISTENT_MEMORY_TYPE, 0, E820_PMEM },
		{ EFI_UNACCEPTED_MEMORY_TYPE, 0, 0 },
		{ 16, 0, 0 },
		{ 0x70000000, 0, 0 },
		{ 0x80000001, 0, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (efi_type_to_e820(cases[i].efi, cases[i].attr) != cases[i].e820)
			FAIL("EFI type %u attr %#llx: E820 %u, want %u", cases[i].efi,
			     (unsigned long long)cases[i].attr,
			     efi_type_to_e820(cases[i].efi, cases[i].attr), cases[i].e820);
}

TEST(memmap_converts_and_merges)
{
	/* A q35-like OVMF map, in firmware order, with types worth merging. */
	static const struct raw_desc d[] = {
		{ EfiBootServicesCode, 0, PAGES(0x1000), 0 },
		{ EfiConventionalMemory, 0x1000, PAGES(0x9f000), 0 },
		{ EfiConventionalMemory, 0x100000, PAGES(0x700000), 0 },
		{ EfiACPIMemoryNVS, 0x800000, PAGES(0x8000), 0 },
		{ EfiLoaderData, 0x808000, PAGES(0x3000), 0 },
		{ EfiBootServicesData, 0x80b000, PAGES(0x5000), 0 },
		{ EFI_UNACCEPTED_MEMORY_TYPE, 0x810000, PAGES(0x10000), 0 },
		{ EfiRuntimeServicesData, 0x820000, PAGES(0x1000), 0 },
		{ EfiMemoryMappedIO, 0xb0000000, PAGES(0x10000000), 0 },
	};
	static uint8_t buf[ARRAY_SIZE(d) * DESC_SIZE];
	size_t size = build_map(buf, d, ARRAY_SIZE(d));
	struct mem_range r[8];
	uint32_t n = 99;

	CHECK_EQ_INT(efi_memmap_to_e820(buf, size, DESC_SIZE, r, ARRAY_SIZE(r), &n), 0);
	CHECK_EQ_INT(n, 6);
	CHECK_EQ_U64(r[0].addr, 0); /* boot services code + conventional merged */
	CHECK_EQ_U64(r[0].size, 0xa0000);
	CHECK_EQ_U64(r[0].type, E820_RAM);
	CHECK_EQ_U64(r[1].addr, 0x100000); /* the gap at 0xa0000 is kept */
	CHECK_EQ_U64(r[1].size, 0x700000);
	CHECK_EQ_U64(r[2].type, E820_NVS);
	CHECK_EQ_U64(r[3].addr, 0x808000); /* loader + boot services data merged */
	CHECK_EQ_U64(r[3].size, 0x8000);
	CHECK_EQ_U64(r[3].type, E820_RAM);
	CHECK_EQ_U64(r[4].addr, 0x820000); /* unaccepted memory left out */
	CHECK_EQ_U64(r[4].size, 0x1000);
	CHECK_EQ_U64(r[4].type, E820_RESERVED);
	/* The MMIO range is reserved too but not adjacent: a range of its own. */
	CHECK_EQ_U64(r[5].addr, 0xb0000000);
	CHECK_EQ_U64(r[5].size, 0x10000000);
	CHECK_EQ_U64(r[5].type, E820_RESERVED);
	CHECK_EQ_INT(efi_memmap_to_e820(buf, size, DESC_SIZE, r, 5, &n), -ENOSPC);

	CHECK_EQ_U64(efi_memmap_bytes(buf, size, DESC_SIZE, EfiConventionalMemory),
		     0x9f000 + 0x700000);
	CHECK_EQ_U64(efi_memmap_count(size, DESC_SIZE), ARRAY_SIZE(d));
}

TEST(memmap_rejects_bad_descriptor_size)
{
	static const struct raw_desc d[] = { { EfiConventionalMemory, 0, 1, 0 } };
	uint8_t buf[DESC_SIZE];
	size_t size = build_map(buf, d, 1);
	struct mem_range r[2];
	uint32_t n;
	CHECK_EQ_INT(efi_memmap_to_e820(buf, size, 32, r, 2, &n), -EINVAL); /* < 40 bytes */
	CHECK_EQ_INT(efi_memmap_to_e820(buf, size, 44, r, 2, &n), -EINVAL); /* misaligned */
	CHECK_EQ_INT(efi_memmap_to_e820(buf, size, 0, r, 2, &n), -EINVAL);
	CHECK_EQ_U64(efi_memmap_bytes(buf, size, 0, EfiConventionalMemory), 0);
	/* A trailing partial descriptor is ignored, not read past the end. */
	CHECK_EQ_INT(efi_memmap_to_e820(buf, size - 1, DESC_SIZE, r, 2, &n), 0);
	CHECK_EQ_INT(n, 0);
}

TEST(memmap_clips_at_top_of_address_space)
{
	static const struct raw_desc d[] = {
		{ EfiReservedMemoryType, 0xfffffffffff00000ull, 0xfffffffffull, 0 },
	};
	uint8_t buf[DESC_SIZE];
	size_t size = build_map(buf, d, 1);
	struct mem_range r[1];
	uint32_t n;
	CHECK_EQ_INT(efi_memmap_to_e820(buf, size, DESC_SIZE, r, 1, &n), 0);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_U64(r[0].addr + r[0].size, UINT64_MAX);
}

/* ---- lzma_crc64 (core/lzma_crc64.c replaces liblzma's) ---- */

TEST(crc64_xz_check_value)
{
	/* The CRC-64/XZ catalogue check value, and xz's own test vector. */
	const uint8_t *digits = (const uint8_t *)"123456789";
	CHECK_EQ_U64(lzma_crc64(digits, 9, 0), 0x995dc9bbdf1939faull);
	CHECK_EQ_U64(lzma_crc64(digits, 0, 0), 0);
	/* Incremental use, as the xz decoder feeds blocks piecewise. */
	uint64_t crc = lzma_crc64(digits, 4, 0);
	CHECK_EQ_U64(lzma_crc64(digits + 4, 5, crc), 0x995dc9bbdf1939faull);
}

/* ---- EFI_STATUS ---- */

TEST(status_to_errno)
{
	CHECK_EQ_INT(efi_errno(EFI_SUCCESS), 0);
	CHECK_EQ_INT(efi_errno(EFI_WARN_DELETE_FAILURE), 0);
	CHECK_EQ_INT(efi_errno(EFI_NOT_FOUND), -ENOENT);
	CHECK_EQ_INT(efi_errno(EFI_OUT_OF_RESOURCES), -ENOMEM);
	CHECK_EQ_INT(efi_errno(EFI_BUFFER_TOO_SMALL), -ENOSPC);
	CHECK_EQ_INT(efi_errno(EFI_NOT_READY), -EAGAIN);
	CHECK_EQ_INT(efi_errno(EFIERR(99)), -EIO);
	CHECK(!strcmp(efi_status_name(EFI_NOT_FOUND), "EFI_NOT_FOUND"));
	CHECK(!strcmp(efi_status_name(EFIERR(99)), "EFI_?"));
	CHECK_EQ_INT(efi_fail(EFI_DEVICE_ERROR, "test call"), -EIO);
	CHECK_EQ_INT(efi_fail(EFI_SUCCESS, "a caller's bug"), -EIO);
}

int main(void)
{
	RUN(utf8_decode_table);
	RUN(utf8_sequence_spans_two_writes);
	RUN(utf8_encode);
	RUN(ucs2le_to_utf8_surrogates);
	RUN(options_from_ucs2);
	RUN(options_from_text);
	RUN(options_has_word);
	RUN(memmap_linux_type_mapping);
	RUN(memmap_converts_and_merges);
	RUN(memmap_rejects_bad_descriptor_size);
	RUN(memmap_clips_at_top_of_address_space);
	RUN(crc64_xz_check_value);
	RUN(status_to_errno);
	return test_summary();
}
