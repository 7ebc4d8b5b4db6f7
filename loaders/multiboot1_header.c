/* SPDX-License-Identifier: MIT */
/*
 * Finding and checking a multiboot1 header (Multiboot Specification 0.6.96,
 * 3.1 "OS image format"): a 32-bit aligned magic within the first 8192
 * bytes, whose checksum makes magic + flags + checksum zero mod 2^32, and,
 * when flag 16 is set, load addresses consistent with the file.
 */
#include "../core/errno.h"
#include "image.h"

/* How much of the header the flags say is meaningful (spec 3.1.1). */
static size_t header_size(uint32_t flags)
{
	if (flags & MB1_VIDEO_MODE)
		return offsetof(struct mb1_header, depth) + sizeof(uint32_t);
	if (flags & MB1_AOUT_KLUDGE)
		return offsetof(struct mb1_header, entry_addr) + sizeof(uint32_t);
	return offsetof(struct mb1_header, header_addr);
}

/* The first aligned magic with a valid checksum, or -ENOEXEC. */
static int find_header(const uint8_t *b, size_t len, size_t *offset)
{
	size_t window = MIN(len, (size_t)MB1_SEARCH);
	size_t fixed = offsetof(struct mb1_header, header_addr); /* magic, flags, checksum */
	for (size_t off = 0; fixed <= window && off <= window - fixed; off += MB1_HEADER_ALIGN) {
		const uint8_t *h = b + off;
		uint32_t magic = get_le32(h + offsetof(struct mb1_header, magic));
		if (magic != MB1_HEADER_MAGIC)
			continue;
		uint32_t flags = get_le32(h + offsetof(struct mb1_header, flags));
		uint32_t checksum = get_le32(h + offsetof(struct mb1_header, checksum));
		if ((uint32_t)(magic + flags + checksum) == 0) {
			*offset = off;
			return 0;
		}
	}
	return -ENOEXEC;
}

/* Copy the @size meaningful bytes out; fields past them read as zero. */
static void read_header(const uint8_t *h, size_t size, struct mb1_header *out)
{
	uint8_t raw[sizeof(*out)] = { 0 };
	memcpy(raw, h, MIN(size, sizeof(raw)));
#define F(f) .f = get_le32(raw + offsetof(struct mb1_header, f))
	*out = (struct mb1_header){
		F(magic), F(flags), F(checksum), F(header_addr), F(load_addr),
		F(load_end_addr), F(bss_end_addr), F(entry_addr), F(mode_type),
		F(width), F(height), F(depth),
	};
#undef F
}

/*
 * The a.out kludge (spec 3.1.3): the header at header_addr sits at file
 * offset header_offset, so the file offset of load_addr is header_offset -
 * (header_addr - load_addr); load_end_addr 0 means "to the end of the
 * file", bss_end_addr 0 means no bss. Everything must be in the file and in
 * the 32-bit address space.
 */
static int check_kludge(const struct mb1_image *mb, size_t len)
{
	const struct mb1_header *h = &mb->header;
	if (h->header_addr < h->load_addr)
		return -EINVAL;
	uint64_t before_header = h->header_addr - h->load_addr;
	if (before_header > mb->header_offset)
		return -EINVAL;
	uint64_t file_off = mb->header_offset - before_header;
	uint64_t load_len;
	if (h->load_end_addr) {
		if (h->load_end_addr < h->load_addr)
			return -EINVAL;
		load_len = h->load_end_addr - h->load_addr;
	} else {
		load_len = len - file_off;
	}
	if (!range_ok(file_off, load_len, len))
		return -EINVAL;
	uint64_t load_end = h->load_addr + load_len;
	if (load_end > 0x100000000ull)
		return -EINVAL;
	if (h->bss_end_addr && h->bss_end_addr < load_end)
		return -EINVAL;
	return 0;
}

int mb1_parse(const void *buf, size_t len, struct mb1_image *out)
{
	const uint8_t *b = buf;
	size_t off;

	memset(out, 0, sizeof(*out));
	int rc = find_header(b, len, &off);
	if (rc)
		return rc;
	out->header_offset = off;
	out->is_elf = len >= 4 && get_le32(b) == ELF_MAGIC;

	uint32_t flags = get_le32(b + off + offsetof(struct mb1_header, flags));
	size_t size = header_size(flags);
	/* The whole header, as far as the flags use it, lies in the first 8 KiB. */
	if (!range_ok(off, size, MIN(len, (size_t)MB1_SEARCH)))
		return -EINVAL;
	read_header(b + off, size, &out->header);
	out->unsupported_flags = flags & MB1_REQUIRED_MASK & ~MB1_SUPPORTED_REQUIRED;

	if (flags & MB1_AOUT_KLUDGE)
		return check_kludge(out, len);
	return 0;
}
