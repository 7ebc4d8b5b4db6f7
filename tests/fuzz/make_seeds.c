/* SPDX-License-Identifier: MIT */
/*
 * make_seeds DIR: write small, valid seed inputs for each fuzz target into
 * DIR/<target>/, so the fuzzers start from real structure instead of
 * guessing magic numbers. Built and run by tests/fuzz/build.mk.
 */
#include <errno.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#include <zstd.h>

#include "../../core/decompress.h"
#include "../../loaders/image.h"
#include "../../loaders/multiboot2.h"
#include "mb2img.h"
#include "testimg.h"

static const char *out_dir;

static void save(const char *target, const char *name, const void *data, size_t len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", out_dir, target);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, target, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/*
 * A seed the parser rejects would only teach the fuzzer the error path:
 * check each one against the parser it is for before writing it.
 */
static void check_seed(const char *target, const char *name, const struct tbuf *b)
{
	static struct elf_image elf;
	struct mb1_image mb;
	struct bzimage bz;
	struct mb2_image mb2;
	int rc;
	if (!strcmp(target, "elf"))
		rc = elf_parse(b->p, b->len, &elf);
	else if (!strcmp(target, "multiboot1"))
		rc = mb1_parse(b->p, b->len, &mb);
	else if (!strcmp(target, "multiboot2"))
		rc = mb2_parse(b->p, b->len, &mb2);
	else if (!strcmp(target, "bzimage"))
		rc = bzimage_parse(b->p, b->len, &bz);
	else {
		void *out;
		size_t out_len;
		rc = decompress(b->p, b->len, 1u << 20, &out, &out_len);
		if (!rc)
			free(out);
	}
	if (rc) {
		fprintf(stderr, "make_seeds: %s/%s does not parse (%d)\n", target, name, rc);
		exit(1);
	}
}

static void save_buf(const char *target, const char *name, struct tbuf *b)
{
	check_seed(target, name, b);
	save(target, name, b->p, b->len);
	tbuf_free(b);
}

static struct tbuf gzip_of(const void *src, size_t len)
{
	struct tbuf b = { 0 };
	z_stream zs = { 0 };
	if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		exit(1);
	tbuf_zero(&b, deflateBound(&zs, (uLong)len) + 16);
	zs.next_in = (Bytef *)(uintptr_t)src;
	zs.avail_in = (uInt)len;
	zs.next_out = b.p;
	zs.avail_out = (uInt)b.len;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		exit(1);
	b.len -= zs.avail_out;
	deflateEnd(&zs);
	return b;
}

static struct tbuf zstd_of(const void *src, size_t len)
{
	struct tbuf b = { 0 };
	tbuf_zero(&b, ZSTD_compressBound(len));
	size_t n = ZSTD_compress(b.p, b.len, src, len, 19);
	if (ZSTD_isError(n))
		exit(1);
	b.len = n;
	return b;
}

static struct tbuf xz_of(const void *src, size_t len)
{
	struct tbuf b = { 0 };
	tbuf_zero(&b, lzma_stream_buffer_bound(len));
	size_t pos = 0;
	if (lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, src, len, b.p, &pos, b.len) !=
	    LZMA_OK)
		exit(1);
	b.len = pos;
	return b;
}

static void elf_seeds(void)
{
	struct test_elf_layout l;
	struct tbuf b;
	b = build_pvh_elf(ELFCLASS64, 8, NOTES_SEGMENT, &l);
	save_buf("elf", "pvh64-segment", &b);
	b = build_pvh_elf(ELFCLASS32, 4, NOTES_SECTION, &l);
	save_buf("elf", "pvh32-section", &b);

	struct tbuf notes = { 0 };
	static const char features[] = "!writable_page_tables|pae_pgdir_above_4gb";
	static const uint8_t reloc[12] = { 0, 0, 0x20, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0x3f };
	note_add(&notes, "Xen", XEN_ELFNOTE_GUEST_OS, "linux", 6);
	note_add(&notes, "Xen", XEN_ELFNOTE_FEATURES, features, sizeof(features));
	note_add_u32(&notes, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, 1u << 15);
	note_add(&notes, "Xen", XEN_ELFNOTE_PHYS32_RELOC, reloc, sizeof(reloc));
	note_add_u32(&notes, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, 0x1000040);
	struct test_elf spec = {
		.elf_class = ELFCLASS64, .entry = 0x1000000, .nr_loads = 2,
		.loads = { { 0x1000000, 0x1000000, 0x300, 0x200000, 0x80 },
			   { 0x1200000, 0x1200000, 0x1000, 0x1000, 0 } },
		.notes = &notes, .place = NOTES_BOTH,
	};
	b = build_elf(&spec, &l);
	save_buf("elf", "rich64-both", &b);
	tbuf_free(&notes);
}

static void mb1_seeds(void)
{
	struct tbuf b = build_mb1(512, 64, MB1_AOUT_KLUDGE | MB1_VIDEO_MODE | 3, 0x100000);
	save_buf("multiboot1", "kludge-video", &b);
	b = build_mb1(64, 8, MB1_PAGE_ALIGN | MB1_MEMORY_INFO, 0);
	save_buf("multiboot1", "plain", &b);
}

/* multiboot2 (issue 11): every header tag; the address-tag form. */
static void mb2_seeds(void)
{
	static const uint32_t req[] = { 1, 2, 3, 4, 6, 9, 14, 15, 21 };
	static const uint32_t addr[] = { 0x200000 + 8, 0x200000, 0x200000 + 512, 0x201000 };
	static const uint32_t reloc[] = { 0x100000, 0x3fffffff, 0x200000, 2 };
	static const uint32_t fb[] = { 1024, 768, 32 };
	static const uint32_t entry[] = { 0x200100 };
	struct tbuf b = { 0 };
	mb2img_begin(&b, 8);
	mb2img_tag(&b, 1, 0, 0, req, 9);
	mb2img_tag(&b, 2, 0, 0, addr, 4);
	mb2img_tag(&b, 3, 0, 0, entry, 1);
	mb2img_tag(&b, 8, 1, 0, entry, 1);
	mb2img_tag(&b, 9, 1, 0, entry, 1);
	mb2img_tag(&b, 4, 0, 0, entry, 1);
	mb2img_tag(&b, 5, 1, 0, fb, 3);
	mb2img_tag(&b, 6, 0, 0, NULL, 0);
	mb2img_tag(&b, 7, 1, 0, NULL, 0);
	mb2img_tag(&b, 10, 0, 0, reloc, 4);
	mb2img_end(&b, 8);
	mb2img_pad(&b, 512);
	save_buf("multiboot2", "every-tag", &b);
	b = (struct tbuf){ 0 };
	mb2img_begin(&b, 0);
	mb2img_tag(&b, 1, 1, 0, req, 3);
	mb2img_end(&b, 0);
	save_buf("multiboot2", "plain", &b);
}

static void bzimage_seeds(void)
{
	struct test_elf_layout l;
	struct tbuf elf = build_pvh_elf(ELFCLASS64, 8, NOTES_SEGMENT, &l);
	struct tbuf gz = gzip_of(elf.p, elf.len);
	struct tbuf b = build_bzimage(0x020f, 1, gz.len + 0x40, gz.p, gz.len, 0x20);
	save_buf("bzimage", "proto-2.15-gzip-pvh", &b);
	b = build_bzimage(0x020e, 0, 0x200, NULL, 0, 0);
	save_buf("bzimage", "proto-2.14-no-payload", &b);
	tbuf_free(&gz);
	tbuf_free(&elf);
}

static void decompress_seeds(void)
{
	char text[2048];
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = "pvhboot loads PVH, multiboot1 and Linux kernels. "[i % 50] ^ (char)(i / 300);
	struct tbuf b = gzip_of(text, sizeof(text));
	save_buf("decompress", "text.gz", &b);
	b = zstd_of(text, sizeof(text));
	save_buf("decompress", "text.zst", &b);
	b = xz_of(text, sizeof(text));
	save_buf("decompress", "text.xz", &b);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: make_seeds DIR\n");
		return 2;
	}
	out_dir = argv[1];
	if (mkdir(out_dir, 0755) && errno != EEXIST) {
		perror(out_dir);
		return 1;
	}
	elf_seeds();
	mb1_seeds();
	mb2_seeds();
	bzimage_seeds();
	decompress_seeds();
	return 0;
}
