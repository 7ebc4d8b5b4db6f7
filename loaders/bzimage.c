/* SPDX-License-Identifier: MIT */
/*
 * The Linux x86 boot protocol's view of a bzImage
 * (Documentation/arch/x86/boot.rst): the real-mode setup sectors, whose
 * setup header starts at 0x1f1, followed by the protected-mode kernel,
 * which carries the compressed vmlinux as its "payload" (protocol 2.08+).
 */
#include "../core/errno.h"
#include "image.h"

#define HDR_FIELD_END(f) \
	(SETUP_HEADER_OFFSET + offsetof(struct setup_header, f) + \
	 sizeof(((struct setup_header *)0)->f))
#define HDR_FIELD(b, f) ((b) + SETUP_HEADER_OFFSET + offsetof(struct setup_header, f))

/* boot.rst: "setup_sects ... if this field is 0, the real value is 4". */
#define DEFAULT_SETUP_SECTS 4u
#define SECTOR 512u
/*
 * boot_params has edd_mbr_sig_buffer at 0x290 right after the header's
 * room: a header claiming to run past it could not be copied into the zero
 * page without clobbering that field.
 */
#define HEADER_END_MAX 0x290u
/* Protocol 2.14 came from a bad commit and is burnt: read it as 2.13. */
#define PROTOCOL_BURNT 0x020eu
#define PROTOCOL_PAYLOAD 0x0208u
#define PROTOCOL_SYSSIZE_32 0x0204u

int bzimage_parse(const void *buf, size_t len, struct bzimage *out)
{
	const uint8_t *b = buf;

	memset(out, 0, sizeof(*out));
	if (len < HDR_FIELD_END(version) ||
	    get_le16(HDR_FIELD(b, boot_flag)) != SETUP_BOOT_FLAG ||
	    get_le32(HDR_FIELD(b, header)) != SETUP_HDRS_MAGIC)
		return -ENOEXEC;

	uint16_t version = get_le16(HDR_FIELD(b, version));
	out->version = version == PROTOCOL_BURNT ? PROTOCOL_BURNT - 1 : version;
	/* The header ends where the 2-byte jump at 0x200 lands (boot.rst). */
	out->header_end = 0x202u + b[0x201];
	size_t copy_end = MIN(MIN(out->header_end, len),
			      SETUP_HEADER_OFFSET + sizeof(struct setup_header));
	memcpy(&out->hdr, b + SETUP_HEADER_OFFSET, copy_end - SETUP_HEADER_OFFSET);
	if (out->version < BZIMAGE_MIN_VERSION)
		return -EOPNOTSUPP;

	/* Every header field up to cmdline_size (2.06) must be in the header. */
	if (out->header_end < HDR_FIELD_END(cmdline_size) || out->header_end > HEADER_END_MAX ||
	    out->header_end > len)
		return -EINVAL;

	size_t sects = out->hdr.setup_sects ? out->hdr.setup_sects : DEFAULT_SETUP_SECTS;
	out->setup_size = (sects + 1) * SECTOR;
	if (out->setup_size >= len)
		return -EINVAL;
	out->kernel_offset = out->setup_size;
	out->kernel_size = len - out->setup_size;
	/* syssize: the protected-mode kernel in 16-byte units (32 bits from
	 * 2.04). A shorter file was cut off; a longer one may carry a
	 * signature appended after the kernel. syssize is rounded up to whole
	 * 16-byte units, so up to 15 bytes of it may lie past the end. */
	if (out->version >= PROTOCOL_SYSSIZE_32 &&
	    (uint64_t)out->hdr.syssize * 16 > out->kernel_size + 15)
		return -EINVAL;

	/* payload_offset counts from the protected-mode kernel's start. */
	if (out->version >= PROTOCOL_PAYLOAD && out->hdr.payload_length) {
		if (!range_ok(out->hdr.payload_offset, out->hdr.payload_length, out->kernel_size))
			return -EINVAL;
		out->payload_offset = out->kernel_offset + out->hdr.payload_offset;
		out->payload_length = out->hdr.payload_length;
	}
	return 0;
}
