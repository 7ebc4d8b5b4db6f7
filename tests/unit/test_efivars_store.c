/* SPDX-License-Identifier: MIT */
/*
 * The EDK2 variable store writer and reader (tools/efivars_store.c) on a
 * store built here byte by byte (the layout of OVMF_VARS_4M.fd) and, when
 * installed, on a copy of OVMF's own: add, replace, delete, compact, a
 * full store, damaged headers one field at a time, and Boot#### load
 * options read back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../include/abi/edk2_varstore.h"
#include "../../tools/atomic.h"
#include "../../tools/bootentry.h"
#include "../../tools/cli.h"
#include "../../tools/efivars_store.h"
#include "test.h"

#define FV_HDR 0x48
#define STORE_SIZE 0x3ffb8u

/* An empty authenticated store of @store_size bytes after a 0x48-byte volume header. */
static uint8_t *make_store(uint32_t store_size, size_t *len)
{
	size_t total = FV_HDR + store_size;
	uint8_t *b = malloc(total);
	struct fv_header fv = { 0 };
	struct varstore_header sh = { 0 };
	memset(b, 0xff, total);
	memset(b, 0, FV_HDR);
	fv.fv_length = total;
	fv.signature = FV_SIGNATURE;
	fv.header_length = FV_HDR;
	fv.revision = 2;
	memcpy(b, &fv, sizeof(fv));
	guid_parse("aaf32c78-947b-439a-a180-2e144ec37792", sh.signature);
	sh.size = store_size;
	sh.format = VARSTORE_FORMATTED;
	sh.state = VARSTORE_HEALTHY;
	memcpy(b + FV_HDR, &sh, sizeof(sh));
	*len = total;
	return b;
}

static uint8_t g_global[16], g_bli[16];

static void guids(void)
{
	guid_parse(EFI_GLOBAL_GUID, g_global);
	guid_parse(BLI_VENDOR_GUID, g_bli);
}

TEST(guid_text_to_efi_order)
{
	uint8_t g[16];
	static const uint8_t want[16] = { 0x82, 0xb0, 0x67, 0x4a, 0x4c, 0x0a, 0xcf, 0x41,
					  0xb6, 0xc7, 0x44, 0x0b, 0x29, 0xbb, 0x8c, 0x4f };
	CHECK(guid_parse(BLI_VENDOR_GUID, g) == 0);
	CHECK(!memcmp(g, want, 16));
	CHECK(guid_parse("4a67b082-0a4c-41cf-b6c7-440b29bb8c4", g) == -EINVAL);
	CHECK(guid_parse("4a67b082+0a4c-41cf-b6c7-440b29bb8c4f", g) == -EINVAL);
	CHECK(guid_parse("4a67b082-0a4c-41cf-b6c7-440b29bb8cxf", g) == -EINVAL);
}

TEST(add_read_back_exact_bytes)
{
	size_t len;
	uint8_t *b = make_store(STORE_SIZE, &len);
	struct varstore vs;
	struct varstore_var v;
	guids();
	CHECK(varstore_parse(&vs, b, len) == 0);
	CHECK(vs.auth);
	CHECK_EQ_U64(vs.first, 0x64);
	CHECK_EQ_U64(vs.free, 0x64);
	CHECK(varstore_get(&vs, "LoaderEntryOneShot", g_bli, &v) == -ENOENT);
	CHECK(varstore_set(&vs, "LoaderEntryOneShot", g_bli, EFI_VAR_NV_BS_RT, "m\0b\0\0\0!", 7) == 0);
	/* Header at 0x64: 55aa, state 3f, attributes 7, name 38 bytes, data 7. */
	CHECK_EQ_U64(b[0x64] | b[0x65] << 8, 0x55aa);
	CHECK_EQ_U64(b[0x66], VAR_ADDED);
	CHECK_EQ_U64(b[0x68], 7);
	CHECK_EQ_U64(b[0x64 + 36], 38);
	CHECK_EQ_U64(b[0x64 + 40], 7);
	CHECK(!memcmp(b + 0x64 + 44, g_bli, 16));
	CHECK(b[0x64 + 60] == 'L' && b[0x64 + 61] == 0);
	CHECK_EQ_U64(vs.free, 0xd0); /* 0x64 + 60 + 38 + 7, aligned */
	/* The next header starts 4-aligned (0xd0); the gap stays erased. */
	CHECK(varstore_set(&vs, "BootOrder", g_global, EFI_VAR_NV_BS_RT, "\1\0", 2) == 0);
	CHECK(b[0xcd] == 0xff && b[0xce] == 0xff && b[0xcf] == 0xff);
	CHECK_EQ_U64(b[0xd0] | b[0xd1] << 8, 0x55aa);
	/* Parsed again from the bytes alone: both there, free space after them. */
	struct varstore again;
	CHECK(varstore_parse(&again, b, len) == 0);
	CHECK_EQ_U64(again.free, vs.free);
	CHECK(varstore_get(&again, "LoaderEntryOneShot", g_bli, &v) == 0);
	CHECK(v.size == 7 && !memcmp(v.data, "m\0b\0\0\0!", 7) && v.attrs == 7);
	CHECK(varstore_get(&again, "BootOrder", g_bli, &v) == -ENOENT); /* other vendor */
	free(b);
}

TEST(replace_marks_old_deleted_and_delete)
{
	size_t len;
	uint8_t *b = make_store(STORE_SIZE, &len);
	struct varstore vs;
	struct varstore_var v;
	guids();
	CHECK(varstore_parse(&vs, b, len) == 0);
	CHECK(varstore_set(&vs, "X", g_bli, 7, "one", 3) == 0);
	uint64_t first = vs.first;
	CHECK(varstore_set(&vs, "X", g_bli, 7, "two!", 4) == 0);
	CHECK_EQ_U64(b[first + 2], VAR_ADDED & VAR_DELETED);
	CHECK(varstore_get(&vs, "X", g_bli, &v) == 0);
	CHECK(v.size == 4 && !memcmp(v.data, "two!", 4));
	CHECK(varstore_set(&vs, "X", g_bli, 7, NULL, 0) == 0);
	CHECK(varstore_get(&vs, "X", g_bli, &v) == -ENOENT);
	/* Deleting what is not there is fine. */
	CHECK(varstore_set(&vs, "Y", g_bli, 7, NULL, 0) == 0);
	free(b);
}

/* In transition (0x3e) counts, unless an added copy follows (firmware finishes it). */
TEST(in_deleted_transition)
{
	size_t len;
	uint8_t *b = make_store(STORE_SIZE, &len);
	struct varstore vs;
	struct varstore_var v;
	guids();
	CHECK(varstore_parse(&vs, b, len) == 0);
	CHECK(varstore_set(&vs, "X", g_bli, 7, "old", 3) == 0);
	b[vs.first + 2] = VAR_ADDED & VAR_IN_DELETED_TRANSITION;
	CHECK(varstore_get(&vs, "X", g_bli, &v) == 0 && !memcmp(v.data, "old", 3));
	/* A new copy written by hand after it, as firmware would mid-update. */
	uint64_t at = (vs.free + 3) & ~3ull;
	CHECK(varstore_set(&vs, "Z", g_bli, 7, "new", 3) == 0);
	b[at + 60] = 'X'; /* rename Z -> X: same length */
	CHECK(varstore_get(&vs, "X", g_bli, &v) == 0 && !memcmp(v.data, "new", 3));
	unsigned n = 0;
	for (uint64_t off = 0; varstore_next(&vs, off, &v) == 0; off = v.offset)
		n++;
	CHECK_EQ_INT(n, 1);
	free(b);
}

TEST(full_store_compacts_then_refuses)
{
	size_t len;
	uint8_t *b = make_store(1024, &len);
	struct varstore vs;
	struct varstore_var v;
	uint8_t data[200];
	guids();
	memset(data, 0x5a, sizeof(data));
	CHECK(varstore_parse(&vs, b, len) == 0);
	/* Each copy takes 60 + 4 + 200 = 264 bytes; 996 bytes hold three. */
	for (int i = 0; i < 10; i++) {
		data[0] = (uint8_t)i;
		CHECK(varstore_set(&vs, "A", g_bli, 7, data, sizeof(data)) == 0);
	}
	CHECK(varstore_get(&vs, "A", g_bli, &v) == 0 && v.data[0] == 9);
	CHECK(varstore_set(&vs, "B", g_bli, 7, data, sizeof(data)) == 0);
	CHECK(varstore_set(&vs, "C", g_bli, 7, data, sizeof(data)) == 0);
	CHECK(varstore_set(&vs, "D", g_bli, 7, data, sizeof(data)) == -ENOSPC);
	CHECK(varstore_get(&vs, "A", g_bli, &v) == 0 && v.data[0] == 9);
	CHECK(varstore_get(&vs, "C", g_bli, &v) == 0);
	free(b);
}

/* One field broken at a time: each refused, never read past the buffer. */
TEST(damaged_headers)
{
	static const struct {
		size_t off;
		uint8_t val;
		int want;
	} cases[] = {
		{ 40, 'X', -EINVAL },         /* "_FVH" */
		{ 48, 0x10, -EINVAL },        /* header length below the volume header */
		{ 49, 0xff, -EINVAL },        /* header length past the file */
		{ FV_HDR + 3, 0, -EINVAL },   /* store signature */
		{ FV_HDR + 20, 0, -EINVAL },  /* not formatted */
		{ FV_HDR + 21, 0xff, -EINVAL }, /* not healthy */
		{ FV_HDR + 19, 0x7f, -EINVAL }, /* store size past the file */
		{ 0x64 + 39, 0x7f, -EIO },    /* a name size past the store */
		{ 0x64 + 43, 0x7f, -EIO },    /* a data size past the store */
	};
	guids();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		uint8_t *b = make_store(STORE_SIZE, &len);
		struct varstore vs;
		CHECK(varstore_parse(&vs, b, len) == 0);
		CHECK(varstore_set(&vs, "X", g_bli, 7, "abc", 3) == 0);
		b[cases[i].off] = cases[i].val;
		int rc = varstore_parse(&vs, b, len);
		if (rc != cases[i].want)
			FAIL("case %zu (byte 0x%zx = 0x%x): %d, want %d", i, cases[i].off, cases[i].val,
			     rc, cases[i].want);
		free(b);
	}
	size_t len;
	uint8_t *b = make_store(STORE_SIZE, &len);
	struct varstore vs;
	CHECK(varstore_parse(&vs, b, 40) == -EINVAL);
	free(b);
}

TEST(load_option_round_trip)
{
	struct esp esp = { .gpt = true, .partno = 1, .start_lba = 2048, .nr_lba = 131072 };
	uint8_t *opt;
	size_t len;
	char label[64], path[256];
	guid_parse("5e1d2c3b-4a59-4687-9aab-bccddeeff001", esp.part_guid);
	CHECK(bootentry_build(&esp, "pvhboot", "\\EFI\\pvhboot\\pvhboot.efi", &opt, &len) == 0);
	/* 4 + 2 + 16 (label) + 42 (HD) + 4 + 50 (File: 24 characters and a NUL) + 4 (End) */
	CHECK_EQ_U64(len, 122);
	CHECK_EQ_U64(opt[4] | opt[5] << 8, 100);
	CHECK(opt[22] == 4 && opt[23] == 1 && opt[24] == 42); /* HD node */
	CHECK(opt[62] == 2 && opt[63] == 2);                  /* GPT, GUID signature */
	CHECK(opt[len - 4] == 0x7f && opt[len - 3] == 0xff);
	CHECK(bootentry_describe(opt, len, label, sizeof(label), path, sizeof(path)) == 0);
	CHECK(!strcmp(label, "pvhboot"));
	CHECK(!strcmp(path, "HD(1,GPT,5e1d2c3b-4a59-4687-9aab-bccddeeff001)/File(\\EFI\\pvhboot\\pvhboot.efi)"));
	/* Every truncation is refused, none read past the end. */
	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *t = malloc(cut ? cut : 1);
		memcpy(t, opt, cut);
		if (bootentry_describe(t, cut, label, sizeof(label), path, sizeof(path)) == 0)
			FAIL("a load option cut to %zu bytes parsed", cut);
		free(t);
	}
	free(opt);
}

/* The real thing, when OVMF is installed: add, save atomically, load, read back. */
TEST(ovmf_vars_file)
{
	const char *ovmf = "/usr/share/OVMF/OVMF_VARS_4M.fd";
	void *data;
	size_t len;
	if (read_whole_file(ovmf, &data, &len)) {
		printf("# %s not installed: skipped\n", ovmf);
		return;
	}
	char path[] = "/tmp/pvhboot-vars.XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	struct varstore vs;
	struct varstore_var v;
	guids();
	CHECK(varstore_parse(&vs, data, len) == 0);
	CHECK(vs.auth);
	CHECK(varstore_set(&vs, "LoaderEntryDefault", g_bli, 7, "a\0\0\0", 4) == 0);
	CHECK(varstore_save(path, &vs) == 0);
	free(data);
	CHECK(varstore_load(path, &vs) == 0);
	CHECK(varstore_get(&vs, "LoaderEntryDefault", g_bli, &v) == 0 && v.size == 4);
	CHECK_EQ_U64(vs.len, 540672);
	varstore_free(&vs);
	unlink(path);
}

int main(void)
{
	RUN(guid_text_to_efi_order);
	RUN(add_read_back_exact_bytes);
	RUN(replace_marks_old_deleted_and_delete);
	RUN(in_deleted_transition);
	RUN(full_store_compacts_then_refuses);
	RUN(damaged_headers);
	RUN(load_option_round_trip);
	RUN(ovmf_vars_file);
	return test_summary();
}
