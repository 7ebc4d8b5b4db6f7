/* SPDX-License-Identifier: MIT */
/*
 * Finding and checking a multiboot2 header (Multiboot2 Specification 2.0,
 * §3.1 "OS image format"): an 8-byte aligned magic in the first 32768
 * bytes whose checksum makes magic + architecture + header_length +
 * checksum zero, followed by 8-aligned tags up to an end tag, all inside
 * header_length. Each tag is honoured or, when it is marked optional, may
 * be ignored; a required one pvhboot does not know refuses the image, as
 * §3.1.3 says and GRUB does.
 *
 * Pure: bytes in, a struct mb2_image out, nothing logged. The reason for a
 * refusal goes into out->problem for the caller to print with the file name.
 */
#include "../core/errno.h"
#include "../include/abi/elf.h"
#include "multiboot2.h"

static int refuse(struct mb2_image *out, int rc, const char *why, uint32_t value)
{
	out->problem = why;
	out->problem_value = value;
	return rc;
}

/* The first aligned magic with a valid checksum, or -ENOEXEC. */
static int find_header(const uint8_t *b, size_t window, size_t *offset)
{
	size_t fixed = sizeof(struct mb2_header);
	for (size_t off = 0; fixed <= window && off <= window - fixed; off += MB2_HEADER_ALIGN) {
		const uint8_t *h = b + off;
		uint32_t magic = get_le32(h + offsetof(struct mb2_header, magic));
		if (magic != MB2_HEADER_MAGIC)
			continue;
		uint32_t sum = magic + get_le32(h + offsetof(struct mb2_header, architecture)) +
			       get_le32(h + offsetof(struct mb2_header, header_length)) +
			       get_le32(h + offsetof(struct mb2_header, checksum));
		if (sum == 0) {
			*offset = off;
			return 0;
		}
	}
	return -ENOEXEC;
}

/* The bytes a tag of @type needs for the fields pvhboot reads. */
static uint32_t min_tag_size(unsigned type)
{
	switch (type) {
	case MB2_HTAG_ADDRESS: return sizeof(struct mb2_header_tag_address);
	case MB2_HTAG_ENTRY:
	case MB2_HTAG_ENTRY_EFI32:
	case MB2_HTAG_ENTRY_EFI64: return sizeof(struct mb2_header_tag_entry);
	case MB2_HTAG_CONSOLE_FLAGS: return sizeof(struct mb2_header_tag_console);
	case MB2_HTAG_FRAMEBUFFER: return sizeof(struct mb2_header_tag_framebuffer);
	case MB2_HTAG_RELOCATABLE: return sizeof(struct mb2_header_tag_relocatable);
	default: return sizeof(struct mb2_header_tag);
	}
}

static int info_request(const uint8_t *t, uint32_t size, bool optional, struct mb2_image *out)
{
	uint32_t n = (size - (uint32_t)sizeof(struct mb2_header_tag)) / 4;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t type = get_le32(t + sizeof(struct mb2_header_tag) + 4 * i);
		if (type < 32 && (MB2_TAGS_UNDERSTOOD & MB2_TAG_BIT(type))) {
			if (optional)
				out->optional_requests |= MB2_TAG_BIT(type);
			else
				out->requests |= MB2_TAG_BIT(type);
		} else if (!optional) {
			return refuse(out, -EOPNOTSUPP, "required information request for unknown "
				      "tag type", type);
		}
	}
	return 0;
}

/* One tag of @size bytes (checked to fit) at @t. */
static int read_tag(const uint8_t *t, uint16_t type, uint32_t size, bool optional,
		    struct mb2_image *out)
{
	const uint8_t *f = t + sizeof(struct mb2_header_tag); /* the fields */
	switch (type) {
	case MB2_HTAG_INFO_REQUEST:
		return info_request(t, size, optional, out);
	case MB2_HTAG_ADDRESS:
		out->has_address = true;
		out->address_optional = optional;
		out->header_addr = get_le32(f);
		out->load_addr = get_le32(f + 4);
		out->load_end_addr = get_le32(f + 8);
		out->bss_end_addr = get_le32(f + 12);
		return 0;
	case MB2_HTAG_ENTRY:
		out->has_entry = true;
		out->entry = get_le32(f);
		return 0;
	case MB2_HTAG_ENTRY_EFI32:
		out->has_efi32_entry = true;
		out->efi32_entry = get_le32(f);
		return 0;
	case MB2_HTAG_ENTRY_EFI64:
		out->has_efi64_entry = true;
		out->efi64_entry = get_le32(f);
		return 0;
	case MB2_HTAG_CONSOLE_FLAGS:
		out->has_console = true;
		out->console_optional = optional;
		out->console_flags = get_le32(f);
		return 0;
	case MB2_HTAG_FRAMEBUFFER:
		out->has_framebuffer = true;
		out->framebuffer_optional = optional;
		out->fb_width = get_le32(f);
		out->fb_height = get_le32(f + 4);
		out->fb_depth = get_le32(f + 8);
		return 0;
	case MB2_HTAG_MODULE_ALIGN:
		out->module_align = true;
		return 0;
	case MB2_HTAG_EFI_BS:
		out->efi_bs = true;
		out->efi_bs_optional = optional;
		return 0;
	case MB2_HTAG_RELOCATABLE:
		out->relocatable = true;
		out->reloc_min = get_le32(f);
		out->reloc_max = get_le32(f + 4);
		out->reloc_align = get_le32(f + 8);
		out->reloc_preference = get_le32(f + 12);
		if (out->reloc_min > out->reloc_max)
			return refuse(out, -EINVAL, "relocatable tag with min_addr above max_addr",
				      out->reloc_min);
		if (out->reloc_align && !IS_POW2(out->reloc_align))
			return refuse(out, -EINVAL, "relocatable tag with an alignment that is not "
				      "a power of two", out->reloc_align);
		return 0;
	default:
		if (!optional)
			return refuse(out, -EOPNOTSUPP, "unsupported required header tag", type);
		return 0;
	}
}

/* Walk the tags from just after the fixed header to header_length. */
static int walk_tags(const uint8_t *h, uint32_t header_length, struct mb2_image *out)
{
	uint32_t pos = sizeof(struct mb2_header);
	for (;;) {
		if (header_length - pos < sizeof(struct mb2_header_tag))
			return refuse(out, -EINVAL, "no end tag within header_length",
				      header_length);
		const uint8_t *t = h + pos;
		uint16_t type = get_le16(t + offsetof(struct mb2_header_tag, type));
		uint16_t flags = get_le16(t + offsetof(struct mb2_header_tag, flags));
		uint32_t size = get_le32(t + offsetof(struct mb2_header_tag, size));
		if (size < sizeof(struct mb2_header_tag))
			return refuse(out, -EINVAL, "header tag of absurd size", size);
		if (size > header_length - pos)
			return refuse(out, -EINVAL, "header tag runs past header_length", type);
		if (type == MB2_HTAG_END)
			return 0;
		if (++out->nr_tags > MB2_MAX_HEADER_TAGS)
			return refuse(out, -E2BIG, "more header tags than pvhboot reads",
				      MB2_MAX_HEADER_TAGS);
		if (size < min_tag_size(type))
			return refuse(out, -EINVAL, "header tag too short for its fields", type);
		int rc = read_tag(t, type, size, flags & MB2_HTAG_OPTIONAL, out);
		if (rc)
			return rc;
		/* The next tag starts 8-aligned; padding past the end means no end tag. */
		uint64_t next = ALIGN_UP((uint64_t)pos + size, MB2_TAG_ALIGN);
		if (next >= header_length)
			return refuse(out, -EINVAL, "no end tag within header_length",
				      header_length);
		pos = (uint32_t)next;
	}
}

/*
 * The address tag (§3.1.5): the header at header_addr sits at file offset
 * header_offset, so load_addr is at file offset header_offset -
 * (header_addr - load_addr); load_addr 0xffffffff means "the file from its
 * first byte", load_end_addr 0 "to the end of the file", bss_end_addr 0 no
 * bss. Everything must be in the file and below 4 GiB.
 */
static int check_address(struct mb2_image *mb, size_t len)
{
	if (mb->load_addr == 0xffffffffu) {
		if (mb->header_addr < mb->header_offset)
			return refuse(mb, -EINVAL, "address tag: header_addr below the file start",
				      mb->header_addr);
		mb->load_addr = mb->header_addr - (uint32_t)mb->header_offset;
	}
	if (mb->header_addr < mb->load_addr)
		return refuse(mb, -EINVAL, "address tag: header_addr below load_addr",
			      mb->header_addr);
	uint64_t before_header = mb->header_addr - mb->load_addr;
	if (before_header > mb->header_offset)
		return refuse(mb, -EINVAL, "address tag: load_addr before the file start",
			      mb->load_addr);
	mb->load_offset = mb->header_offset - before_header;
	if (mb->load_end_addr) {
		if (mb->load_end_addr < mb->load_addr)
			return refuse(mb, -EINVAL, "address tag: load_end_addr below load_addr",
				      mb->load_end_addr);
		mb->load_size = mb->load_end_addr - mb->load_addr;
	} else {
		mb->load_size = len - mb->load_offset;
	}
	if (!range_ok(mb->load_offset, mb->load_size, len))
		return refuse(mb, -EINVAL, "address tag: load range runs past the end of the file",
			      mb->load_end_addr);
	uint64_t load_end = mb->load_addr + mb->load_size;
	if (mb->bss_end_addr && mb->bss_end_addr < load_end)
		return refuse(mb, -EINVAL, "address tag: bss_end_addr below the loaded end",
			      mb->bss_end_addr);
	mb->mem_size = mb->bss_end_addr ? mb->bss_end_addr - mb->load_addr : mb->load_size;
	if (mb->load_addr + mb->mem_size > 0x100000000ull)
		return refuse(mb, -EINVAL, "address tag: image above 4 GiB", mb->load_addr);
	return 0;
}

int mb2_parse(const void *buf, size_t len, struct mb2_image *out)
{
	const uint8_t *b = buf;
	size_t window = MIN(len, (size_t)MB2_SEARCH), off;

	memset(out, 0, sizeof(*out));
	int rc = find_header(b, window, &off);
	if (rc)
		return rc;
	out->header_offset = off;
	out->is_elf = len >= 4 && get_le32(b) == ELF_MAGIC;
	out->architecture = get_le32(b + off + offsetof(struct mb2_header, architecture));
	out->header_length = get_le32(b + off + offsetof(struct mb2_header, header_length));

	if (out->architecture != MB2_ARCH_I386)
		return refuse(out, -EINVAL, "architecture is not i386 (0)", out->architecture);
	if (out->header_length < sizeof(struct mb2_header) + sizeof(struct mb2_header_tag))
		return refuse(out, -EINVAL, "header_length too short for an end tag",
			      out->header_length);
	/* The whole header, tags included, lies in the first 32 KiB (§3.1.1). */
	if (!range_ok(off, out->header_length, window))
		return refuse(out, -EINVAL, "header runs past the first 32 KiB or the file",
			      out->header_length);
	rc = walk_tags(b + off, out->header_length, out);
	if (rc)
		return rc;

	/* GRUB's rule: with load addresses, where to jump must be said too. */
	if (out->has_address && !out->has_entry &&
	    !(out->efi_bs && (out->has_efi32_entry || out->has_efi64_entry)))
		return refuse(out, -EINVAL, "address tag without an entry address tag",
			      MB2_HTAG_ADDRESS);
	if (out->has_address)
		return check_address(out, len);
	return 0;
}

const char *mb2_header_tag_name(unsigned type)
{
	static const char *const names[] = {
		"end", "information request", "address", "entry address", "console flags",
		"framebuffer", "module alignment", "EFI boot services", "EFI i386 entry",
		"EFI amd64 entry", "relocatable",
	};
	return type < ARRAY_SIZE(names) ? names[type] : NULL;
}

const char *mb2_info_tag_name(unsigned type)
{
	static const char *const names[] = {
		"end", "cmdline", "boot_loader_name", "module", "basic_meminfo", "bootdev",
		"mmap", "vbe", "framebuffer", "elf_sections", "apm", "efi32", "efi64", "smbios",
		"acpi_old", "acpi_new", "network", "efi_mmap", "efi_bs", "efi32_ih", "efi64_ih",
		"load_base_addr",
	};
	return type < ARRAY_SIZE(names) ? names[type] : NULL;
}
