/* SPDX-License-Identifier: MIT */
/*
 * bzimage_parse() against Documentation/arch/x86/boot.rst: the header's
 * length, setup_sects 0, protocol versions (2.14 burnt, older than 2.06
 * refused), the payload location, and truncated files.
 */
#include "../../core/errno.h"
#include "../../loaders/image.h"
#include "../fuzz/testimg.h"
#include "test.h"

#define HDR(f) (SETUP_HEADER_OFFSET + offsetof(struct setup_header, f))
#define PM_LEN 0x4000u
static const uint8_t payload[0x200] = { 0x1f, 0x8b, 0x08, 0 };

static struct tbuf good(uint16_t version, uint8_t setup_sects)
{
	return build_bzimage(version, setup_sects, PM_LEN, payload, sizeof(payload), 0x300);
}

TEST(protocol_2_15)
{
	struct tbuf b = good(0x020f, 1);
	static struct bzimage bz;
	CHECK_EQ_INT(bzimage_parse(b.p, b.len, &bz), 0);
	CHECK_EQ_U64(bz.version, 0x020f);
	CHECK_EQ_U64(bz.hdr.version, 0x020f);
	CHECK_EQ_U64(bz.header_end, 0x26c);
	CHECK_EQ_U64(bz.setup_size, 2 * 512);
	CHECK_EQ_U64(bz.kernel_offset, 2 * 512);
	CHECK_EQ_U64(bz.kernel_size, PM_LEN);
	CHECK_EQ_U64(bz.payload_offset, 2 * 512 + 0x300);
	CHECK_EQ_U64(bz.payload_length, sizeof(payload));
	CHECK(!memcmp(b.p + bz.payload_offset, payload, sizeof(payload)));
	CHECK_EQ_U64(bz.hdr.setup_sects, 1);
	CHECK_EQ_U64(bz.hdr.boot_flag, 0xaa55);
	CHECK_EQ_U64(bz.hdr.header, SETUP_HDRS_MAGIC);
	CHECK_EQ_U64(bz.hdr.loadflags, LOADED_HIGH);
	CHECK_EQ_U64(bz.hdr.cmdline_size, 2047);
	CHECK_EQ_U64(bz.hdr.kernel_alignment, 0x200000);
	CHECK_EQ_U64(bz.hdr.relocatable_kernel, 1);
	CHECK_EQ_U64(bz.hdr.xloadflags, XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G);
	CHECK_EQ_U64(bz.hdr.pref_address, 0x1000000);
	CHECK_EQ_U64(bz.hdr.init_size, PM_LEN * 4);
	CHECK_EQ_U64(bz.hdr.syssize, PM_LEN / 16);
	tbuf_free(&b);
}

TEST(setup_sects_zero_means_four)
{
	struct tbuf b = good(0x020f, 0);
	static struct bzimage bz;
	CHECK_EQ_INT(bzimage_parse(b.p, b.len, &bz), 0);
	CHECK_EQ_U64(bz.hdr.setup_sects, 0);
	CHECK_EQ_U64(bz.setup_size, 5 * 512);
	CHECK_EQ_U64(bz.kernel_offset, 5 * 512);
	CHECK_EQ_U64(bz.payload_offset, 5 * 512 + 0x300);
	tbuf_free(&b);
}

TEST(protocol_versions)
{
	static const struct {
		uint16_t raw, reported;
		int want;
		bool payload; /* payload fields exist from 2.08 */
	} cases[] = {
		{ 0x0200, 0x0200, -EOPNOTSUPP, false },
		{ 0x0205, 0x0205, -EOPNOTSUPP, false },
		{ 0x0206, 0x0206, 0, false },
		{ 0x0207, 0x0207, 0, false },
		{ 0x0208, 0x0208, 0, true },
		{ 0x020c, 0x020c, 0, true },
		{ 0x020d, 0x020d, 0, true },
		{ 0x020e, 0x020d, 0, true }, /* 2.14 is burnt: read as 2.13 */
		{ 0x020f, 0x020f, 0, true },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tbuf b = good(cases[i].raw, 2);
		static struct bzimage bz;
		int rc = bzimage_parse(b.p, b.len, &bz);
		if (rc != cases[i].want || bz.version != cases[i].reported)
			FAIL("%#x: rc %d version %#x, want %d %#x", cases[i].raw, rc, bz.version,
			     cases[i].want, cases[i].reported);
		CHECK_EQ_U64(bz.hdr.version, cases[i].raw);
		if (rc == 0)
			CHECK_EQ_U64(bz.payload_length, cases[i].payload ? sizeof(payload) : 0);
		tbuf_free(&b);
	}
}

TEST(not_a_bzimage)
{
	static struct bzimage bz;
	struct tbuf b = good(0x020f, 1);
	CHECK_EQ_INT(bzimage_parse(b.p, 0x100, &bz), -ENOEXEC);  /* no header at all */
	CHECK_EQ_INT(bzimage_parse(b.p, HDR(version) + 1, &bz), -ENOEXEC);
	b.p[HDR(boot_flag)] = 0x56;
	CHECK_EQ_INT(bzimage_parse(b.p, b.len, &bz), -ENOEXEC);
	b.p[HDR(boot_flag)] = 0x55;
	CHECK_EQ_INT(bzimage_parse(b.p, b.len, &bz), 0);
	b.p[HDR(header) + 3] = 'X'; /* "HdrX" */
	CHECK_EQ_INT(bzimage_parse(b.p, b.len, &bz), -ENOEXEC);
	tbuf_free(&b);
}

/* The header ends at 0x202 + byte[0x201]; fields past it do not exist. */
TEST(header_length)
{
	static const struct {
		uint8_t jump;
		int want;
	} cases[] = {
		{ 0x3a, 0 },       /* ends right after cmdline_size (2.06) */
		{ 0x39, -EINVAL }, /* cuts cmdline_size */
		{ 0x00, -EINVAL },
		{ 0x6a, 0 },       /* 2.15 */
		{ 0x8e, 0 },       /* up to edd_mbr_sig_buffer */
		{ 0x8f, -EINVAL }, /* would overwrite it */
		{ 0xff, -EINVAL },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tbuf b = good(0x020f, 1);
		static struct bzimage bz;
		b.p[0x201] = cases[i].jump;
		int rc = bzimage_parse(b.p, b.len, &bz);
		if (rc != cases[i].want)
			FAIL("jump %#x: rc %d, want %d", cases[i].jump, rc, cases[i].want);
		CHECK_EQ_U64(bz.header_end, 0x202u + cases[i].jump);
		tbuf_free(&b);
	}
	/* A short header: what lies beyond it reads as zero. */
	struct tbuf b = good(0x020f, 1);
	static struct bzimage bz;
	b.p[0x201] = 0x3a;
	CHECK_EQ_INT(bzimage_parse(b.p, b.len, &bz), 0);
	CHECK_EQ_U64(bz.hdr.cmdline_size, 2047);
	CHECK_EQ_U64(bz.hdr.init_size, 0);
	CHECK_EQ_U64(bz.hdr.pref_address, 0);
	CHECK_EQ_U64(bz.payload_length, 0);
	tbuf_free(&b);
}

TEST(truncated)
{
	struct tbuf b = good(0x020f, 1);
	static struct bzimage bz;
	static const struct {
		size_t len;
		int want;
	} cases[] = {
		{ 0x300, -EINVAL },          /* inside the setup sectors */
		{ 1024, -EINVAL },           /* setup only, no kernel */
		/* syssize may be rounded up to 16 bytes past the file's end */
		{ 1024 + PM_LEN - 15, 0 },
		{ 1024 + PM_LEN - 16, -EINVAL }, /* a whole paragraph short */
		{ 1024 + PM_LEN, 0 },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		int rc = bzimage_parse(b.p, cases[i].len, &bz);
		if (rc != cases[i].want)
			FAIL("length %#zx: rc %d, want %d", cases[i].len, rc, cases[i].want);
	}
	/* Data appended after the kernel (an Authenticode signature) is fine. */
	tbuf_zero(&b, 4096);
	CHECK_EQ_INT(bzimage_parse(b.p, b.len, &bz), 0);
	CHECK_EQ_U64(bz.kernel_size, PM_LEN + 4096);
	/* setup_sects pointing past the end */
	b.p[HDR(setup_sects)] = 60;
	CHECK_EQ_INT(bzimage_parse(b.p, b.len, &bz), -EINVAL);
	tbuf_free(&b);
}

TEST(payload_bounds)
{
	static const struct {
		uint32_t off, len;
		int want;
	} cases[] = {
		{ 0x300, 0x200, 0 },
		{ PM_LEN - 0x200, 0x200, 0 },       /* ends at the kernel's end */
		{ PM_LEN - 0x1ff, 0x200, -EINVAL }, /* one byte past */
		{ 0xffffff00u, 0x200, -EINVAL },    /* would wrap in 32 bits */
		{ 0, 0xffffffffu, -EINVAL },
		{ 0x300, 0, 0 },                    /* no payload */
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tbuf b = good(0x020f, 1);
		static struct bzimage bz;
		put_le32_at(&b, HDR(payload_offset), cases[i].off);
		put_le32_at(&b, HDR(payload_length), cases[i].len);
		int rc = bzimage_parse(b.p, b.len, &bz);
		if (rc != cases[i].want)
			FAIL("payload %#x+%#x: rc %d, want %d", cases[i].off, cases[i].len, rc,
			     cases[i].want);
		if (rc == 0 && cases[i].len) {
			CHECK_EQ_U64(bz.payload_offset, 1024 + cases[i].off);
			CHECK_EQ_U64(bz.payload_length, cases[i].len);
		}
		if (rc == 0 && !cases[i].len)
			CHECK_EQ_U64(bz.payload_offset, 0);
		tbuf_free(&b);
	}
}

int main(void)
{
	RUN(protocol_2_15);
	RUN(setup_sects_zero_means_four);
	RUN(protocol_versions);
	RUN(not_a_bzimage);
	RUN(header_length);
	RUN(truncated);
	RUN(payload_bounds);
	return test_summary();
}
