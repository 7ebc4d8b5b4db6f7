/* SPDX-License-Identifier: MIT */
/*
 * loaders/pe.c and loaders/uki.c: a hand-built PE32+ image, then one field
 * at a time broken (truncated headers, a section past the file, a bad
 * machine), and unified kernel images with and without .osrel names.
 */
#include <stdlib.h>
#include <string.h>

#include "loaders/uki.h"
#include "test.h"
#include "core/errno.h"

#define IMG 0x3000
#define LFANEW 0x80
#define OPT (LFANEW + 24)
#define NR_DIRS 16
#define SECTAB (OPT + 112 + NR_DIRS * 8)

static uint8_t img[IMG];

static void put16(size_t off, uint16_t v) { img[off] = (uint8_t)v; img[off + 1] = (uint8_t)(v >> 8); }
static void put32(size_t off, uint32_t v) { put16(off, (uint16_t)v); put16(off + 2, (uint16_t)(v >> 16)); }

/* Section @i named @name with @len file bytes at @off (also its RVA). */
static void section(unsigned i, const char *name, uint32_t off, uint32_t len, const char *data)
{
	size_t s = SECTAB + 40u * i;
	memcpy(img + s, name, strlen(name));
	put32(s + 8, len);
	put32(s + 12, off);
	put32(s + 16, len);
	put32(s + 20, off);
	if (data)
		memcpy(img + off, data, len);
	put16(LFANEW + 6, (uint16_t)(i + 1));
}

static void build(void)
{
	memset(img, 0, sizeof(img));
	put16(0, 0x5a4d);
	put32(0x3c, LFANEW);
	put32(LFANEW, 0x00004550);
	put16(LFANEW + 4, 0x8664);
	put16(LFANEW + 20, 112 + NR_DIRS * 8);
	put16(OPT, 0x20b);
	put32(OPT + 16, 0x1000);         /* entry */
	put32(OPT + 56, IMG);            /* SizeOfImage */
	put32(OPT + 60, 0x400);          /* SizeOfHeaders */
	put16(OPT + 68, 10);             /* EFI application */
	put32(OPT + 108, NR_DIRS);
	section(0, ".text", 0x1000, 0x100, NULL);
}

TEST(pe_valid)
{
	static struct pe_image pe;
	build();
	CHECK_EQ_INT(pe_parse(img, sizeof(img), &pe), 0);
	CHECK_EQ_INT(pe.nr_sections, 1);
	CHECK(!strcmp(pe.sections[0].name, ".text"));
	CHECK_EQ_INT(pe.subsystem, 10);
	CHECK_EQ_INT(pe.cert_size, 0);
	CHECK(pe_find_section(&pe, ".text") && !pe_find_section(&pe, ".linux"));
	CHECK_EQ_INT(pe_probe(img, sizeof(img)), 0);
}

/* Every prefix shorter than the section table is refused, never read past. */
TEST(pe_truncated_headers)
{
	static struct pe_image pe;
	build();
	for (size_t len = 0; len < SECTAB + 40; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, img, len);
		int rc = pe_parse(copy, len, &pe);
		free(copy);
		if (rc != -ENOEXEC && rc != -EINVAL)
			FAIL("%zu bytes: rc %d", len, rc);
	}
}

TEST(pe_broken_fields)
{
	static struct pe_image pe;
	static const struct {
		size_t off;
		uint32_t value;
		int width, want;
	} cases[] = {
		{ 0x3c, 0xfffffff0, 4, -ENOEXEC },         /* e_lfanew past the end */
		{ LFANEW + 4, 0x014c, 2, -EOPNOTSUPP },     /* i386 */
		{ OPT, 0x10b, 2, -EOPNOTSUPP },            /* PE32 */
		{ LFANEW + 20, 0xffff, 2, -EINVAL },       /* optional header past the end */
		{ OPT + 108, 2, 4, -EINVAL },              /* no base relocation directory */
		{ OPT + 16, IMG, 4, -EINVAL },             /* entry outside the image */
		{ OPT + 60, IMG + 1, 4, -EINVAL },         /* headers larger than the file */
		{ SECTAB + 20, IMG - 0x80, 4, -EINVAL },   /* section raw data past the file */
		{ SECTAB + 12, IMG - 0x10, 4, -EINVAL },   /* section past SizeOfImage */
		{ OPT + 112 + 4 * 8 + 4, 0x10000, 4, -EINVAL }, /* signature past the file */
		{ LFANEW + 6, PE_MAX_SECTIONS + 1, 2, -E2BIG },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		build();
		if (cases[i].width == 2)
			put16(cases[i].off, (uint16_t)cases[i].value);
		else
			put32(cases[i].off, cases[i].value);
		if (cases[i].off == OPT + 112 + 4 * 8 + 4)
			put32(OPT + 112 + 4 * 8, 0x100);
		int rc = pe_parse(img, sizeof(img), &pe);
		if (rc != cases[i].want)
			FAIL("case %u (offset 0x%zx): rc %d, want %d", i, cases[i].off, rc, cases[i].want);
	}
}

/* Found by fuzz_pe: an empty section whose raw data offset lies past the file. */
TEST(pe_empty_section_past_the_file)
{
	static struct pe_image pe;
	build();
	put32(SECTAB + 16, 0);          /* SizeOfRawData */
	put32(SECTAB + 20, 0xfffff000); /* PointerToRawData */
	CHECK_EQ_INT(pe_parse(img, sizeof(img), &pe), -EINVAL);
}

static int read_img(void *ctx, uint64_t off, void *buf, size_t len)
{
	(void)ctx;
	if (off > IMG || len > IMG - off)
		return -EIO;
	memcpy(buf, img + off, len);
	return 0;
}

static void uki(const char *osrel, const char *uname, bool with_linux)
{
	build();
	unsigned n = 1;
	if (with_linux)
		section(n++, ".linux", 0x1200, 0x200, NULL);
	if (osrel)
		section(n++, ".osrel", 0x1800, (uint32_t)strlen(osrel), osrel);
	if (uname)
		section(n++, ".uname", 0x2000, (uint32_t)strlen(uname), uname);
}

TEST(uki_titles)
{
	static struct uki_info u;
	char title[256];

	uki("ID=debian\nVERSION_ID=12\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
	    "6.1.0-57-amd64\n", true);
	CHECK_EQ_INT(uki_describe(read_img, NULL, IMG, &u), 0);
	uki_title(&u, "debian.efi", title, sizeof(title));
	CHECK(!strcmp(title, "Debian GNU/Linux 12 (bookworm) (6.1.0-57-amd64)"));
	CHECK(!strcmp(u.os_id, "debian") && !strcmp(u.version, "12"));

	/* No PRETTY_NAME: NAME; no .uname: the version. */
	uki("NAME='Fedora Linux'\nID=fedora\nIMAGE_VERSION=40.1\n", NULL, true);
	CHECK_EQ_INT(uki_describe(read_img, NULL, IMG, &u), 0);
	uki_title(&u, "f.efi", title, sizeof(title));
	CHECK(!strcmp(title, "Fedora Linux (40.1)"));

	/* No names at all: the file name. */
	uki("# nothing\nFOO=bar\n", NULL, true);
	CHECK_EQ_INT(uki_describe(read_img, NULL, IMG, &u), 0);
	uki_title(&u, "mystery.efi", title, sizeof(title));
	CHECK(!strcmp(title, "mystery.efi"));

	/* A PE without .linux is not a UKI. */
	uki("ID=x\n", NULL, false);
	CHECK_EQ_INT(uki_describe(read_img, NULL, IMG, &u), -ENOEXEC);
}

TEST(osrel_quoting)
{
	static const char text[] = "A=plain\nB=\"dq \\\"x\\\" \\\\\"\nC='sq \\n'\r\nD=\n#E=no\n";
	char v[64];
	CHECK(!osrel_get(text, sizeof(text) - 1, "A", v, sizeof(v)) && !strcmp(v, "plain"));
	CHECK(!osrel_get(text, sizeof(text) - 1, "B", v, sizeof(v)) && !strcmp(v, "dq \"x\" \\"));
	CHECK(!osrel_get(text, sizeof(text) - 1, "C", v, sizeof(v)) && !strcmp(v, "sq \\n"));
	CHECK(!osrel_get(text, sizeof(text) - 1, "D", v, sizeof(v)) && !strcmp(v, ""));
	CHECK_EQ_INT(osrel_get(text, sizeof(text) - 1, "E", v, sizeof(v)), -ENOENT);
	CHECK_EQ_INT(osrel_get(text, sizeof(text) - 1, "AB", v, sizeof(v)), -ENOENT);
}

int main(void)
{
	RUN(pe_valid);
	RUN(pe_truncated_headers);
	RUN(pe_broken_fields);
	RUN(pe_empty_section_past_the_file);
	RUN(uki_titles);
	RUN(osrel_quoting);
	return test_summary();
}
