/* SPDX-License-Identifier: MIT */
/*
 * detect_format(): each format alone, files that speak several (the
 * preference is PVH, multiboot1, Linux), the reasons given for unknown
 * files, and the real kernels from Debian when tests/e2e/fetch-debian.sh
 * has cached them.
 */
#include <stdlib.h>

#include "../../core/decompress.h"
#include "../../core/errno.h"
#include "../../loaders/image.h"
#include "../fuzz/testimg.h"
#include "test.h"

#define BIT(f) (1u << (f))

static void put_mb1(struct tbuf *b, size_t off, uint32_t flags)
{
	put_le32_at(b, off, MB1_HEADER_MAGIC);
	put_le32_at(b, off + 4, flags);
	put_le32_at(b, off + 8, (uint32_t) - (MB1_HEADER_MAGIC + flags));
}

static void expect(const struct tbuf *b, enum kernel_format want, unsigned want_all)
{
	const char *why = "unset";
	enum kernel_format got = detect_format(b->p, b->len, &why);
	if (got != want)
		FAIL("format %s, want %s (%s)", kernel_format_name(got), kernel_format_name(want),
		     why ? why : "no reason");
	CHECK(why == NULL);
	CHECK_EQ_U64(detect_all_formats(b->p, b->len), want_all);
}

TEST(names)
{
	CHECK(!strcmp(kernel_format_name(KERNEL_PVH), "pvh"));
	CHECK(!strcmp(kernel_format_name(KERNEL_MULTIBOOT1), "multiboot1"));
	CHECK(!strcmp(kernel_format_name(KERNEL_LINUX), "linux"));
	CHECK(!strcmp(kernel_format_name(KERNEL_UNKNOWN), "unknown"));
	CHECK(!strcmp(kernel_format_name((enum kernel_format)77), "unknown"));
}

TEST(single_formats)
{
	struct test_elf_layout l;
	struct tbuf b = build_pvh_elf(ELFCLASS64, 8, NOTES_SEGMENT, &l);
	expect(&b, KERNEL_PVH, BIT(KERNEL_PVH));
	tbuf_free(&b);

	b = build_mb1(8192, 64, MB1_AOUT_KLUDGE, 0x100000);
	expect(&b, KERNEL_MULTIBOOT1, BIT(KERNEL_MULTIBOOT1));
	tbuf_free(&b);

	static const uint8_t payload[64] = { 0x1f, 0x8b, 0x08 };
	b = build_bzimage(0x020f, 4, 0x2000, payload, sizeof(payload), 0x100);
	expect(&b, KERNEL_LINUX, BIT(KERNEL_LINUX));
	tbuf_free(&b);
}

/* A header that is there but broken still decides the format, so the
 * loader for it can name the problem. */
TEST(broken_headers_still_decide)
{
	struct tbuf b = build_bzimage(0x0204, 4, 0x2000, NULL, 0, 0);
	expect(&b, KERNEL_LINUX, BIT(KERNEL_LINUX)); /* too old: linux.c says so */
	tbuf_free(&b);

	b = build_mb1(8192, 64, MB1_AOUT_KLUDGE, 0x100000);
	put_le32_at(&b, 64 + 16, 0x200000); /* load_addr above header_addr */
	static struct mb1_image mb;
	CHECK_EQ_INT(mb1_parse(b.p, b.len, &mb), -EINVAL);
	expect(&b, KERNEL_MULTIBOOT1, BIT(KERNEL_MULTIBOOT1));
	tbuf_free(&b);
}

TEST(preference_when_several_match)
{
	struct test_elf_layout l;
	/* Xen's hypervisor: an ELF with a multiboot1 header and a PVH note. */
	struct tbuf b = build_pvh_elf(ELFCLASS32, 4, NOTES_SEGMENT, &l);
	put_mb1(&b, l.seg_off[0], 0x3);
	expect(&b, KERNEL_PVH, BIT(KERNEL_PVH) | BIT(KERNEL_MULTIBOOT1));
	tbuf_free(&b);

	/* The same without the note: a multiboot1 ELF. */
	b = build_pvh_elf(ELFCLASS32, 4, NOTES_NONE, &l);
	put_mb1(&b, l.seg_off[0], 0x3);
	expect(&b, KERNEL_MULTIBOOT1, BIT(KERNEL_MULTIBOOT1));
	tbuf_free(&b);

	/* A bzImage carrying a multiboot1 header in its first 8 KiB. */
	b = build_bzimage(0x020f, 4, 0x4000, NULL, 0, 0);
	put_mb1(&b, 0x1000, 0);
	expect(&b, KERNEL_MULTIBOOT1, BIT(KERNEL_MULTIBOOT1) | BIT(KERNEL_LINUX));
	tbuf_free(&b);
}

static void expect_unknown(const void *buf, size_t len, const char *reason_part)
{
	const char *why = NULL;
	CHECK_EQ_INT(detect_format(buf, len, &why), KERNEL_UNKNOWN);
	CHECK_EQ_U64(detect_all_formats(buf, len), 0);
	if (!why || !strstr(why, reason_part))
		FAIL("reason '%s' lacks '%s'", why ? why : "(null)", reason_part);
	CHECK_EQ_INT(detect_format(buf, len, NULL), KERNEL_UNKNOWN); /* why is optional */
}

TEST(unknown_with_reason)
{
	static const uint8_t junk[4096] = "#!/bin/sh\necho not a kernel\n";
	expect_unknown(junk, 0, "empty");
	expect_unknown(junk, sizeof(junk), "no ELF header");
	static const uint8_t gz[32] = { 0x1f, 0x8b, 0x08, 0 };
	expect_unknown(gz, sizeof(gz), "gzip");
	static const uint8_t xz[32] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	expect_unknown(xz, sizeof(xz), "xz");
	static const uint8_t zst[32] = { 0x28, 0xb5, 0x2f, 0xfd };
	expect_unknown(zst, sizeof(zst), "zstd");

	struct test_elf_layout l;
	struct tbuf b = build_pvh_elf(ELFCLASS64, 4, NOTES_NONE, &l);
	expect_unknown(b.p, b.len, "PHYS32_ENTRY");
	b.p[18] = 183; /* e_machine: AArch64 */
	expect_unknown(b.p, b.len, "not an x86 executable");
	tbuf_free(&b);

	b = build_pvh_elf(ELFCLASS64, 4, NOTES_SEGMENT, &l);
	expect_unknown(b.p, b.len - 1, "malformed ELF");
	tbuf_free(&b);
}

static bool load_cached(const char *name, struct tbuf *out)
{
	const char *cache = getenv("PVHBOOT_CACHE");
	const char *home = getenv("HOME");
	char path[512];
	if (cache)
		snprintf(path, sizeof(path), "%s/debian/%s", cache, name);
	else
		snprintf(path, sizeof(path), "%s/.cache/pvhboot/debian/%s", home ? home : "", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	uint8_t chunk[65536];
	size_t n;
	*out = (struct tbuf){ 0 };
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		tbuf_put(out, chunk, n);
	fclose(f);
	return true;
}

/* Debian's kernels (test-rigs.md), which tests/run.sh fetches before the host
 * tests: one missing fails the case rather than leaving it out. */
TEST(real_kernels)
{
	static const struct {
		const char *file;
		enum kernel_format want;
		unsigned all;
	} cases[] = {
		/* A bzImage with an EFI stub: the stub on EFI, boot_params elsewhere. */
		{ "vmlinuz", KERNEL_EFI, BIT(KERNEL_EFI) | BIT(KERNEL_LINUX) },
		{ "vmlinux-pvh", KERNEL_PVH, BIT(KERNEL_PVH) },
		/* Xen carries both multiboot headers; multiboot1 wins with no hint. */
		{ "xen.gz", KERNEL_MULTIBOOT1, BIT(KERNEL_MULTIBOOT1) | BIT(KERNEL_MULTIBOOT2) },
		{ "invaders.exec", KERNEL_MULTIBOOT1, BIT(KERNEL_MULTIBOOT1) },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tbuf b;
		if (!load_cached(cases[i].file, &b))
			FAIL("%s: not cached (tests/e2e/fetch-debian.sh fetches it)", cases[i].file);
		if (compression_detect(b.p, b.len) != COMP_NONE) {
			void *out;
			size_t out_len;
			CHECK_EQ_INT(decompress(b.p, b.len, 512u << 20, &out, &out_len), 0);
			tbuf_free(&b);
			b = (struct tbuf){ out, out_len, out_len };
		}
		const char *why = NULL;
		enum kernel_format got = detect_format(b.p, b.len, &why);
		if (got != cases[i].want)
			FAIL("%s: %s, want %s", cases[i].file, kernel_format_name(got),
			     kernel_format_name(cases[i].want));
		CHECK_EQ_U64(detect_all_formats(b.p, b.len), cases[i].all);
		tbuf_free(&b);
	}
}

int main(void)
{
	RUN(names);
	RUN(single_formats);
	RUN(broken_headers_still_decide);
	RUN(preference_when_several_match);
	RUN(unknown_with_reason);
	RUN(real_kernels);
	return test_summary();
}
