/* SPDX-License-Identifier: MIT */
/*
 * PE/COFF images (include/abi/pe.h): the headers and section table of an
 * x86-64 EFI image - a Linux kernel with its EFI stub, a unified kernel
 * image, any EFI application - checked so that the loader can hand the
 * image to the firmware's LoadImage knowing it is well-formed, and read the
 * sections a unified kernel image describes itself with. Pure.
 */
#include "../core/errno.h"
#include "image.h"

/* The optional header must reach the directories read here. */
#define OPT_MIN (sizeof(struct pe_opt_header64) + (PE_DIR_BASERELOC + 1) * sizeof(struct pe_data_dir))

static int parse_sections(const uint8_t *b, uint64_t file_size, size_t table,
			  struct pe_image *out)
{
	for (unsigned i = 0; i < out->nr_sections; i++) {
		const struct pe_section_header *h =
			(const void *)(b + table + i * sizeof(struct pe_section_header));
		struct pe_section *s = &out->sections[i];
		memcpy(s->name, h->name, sizeof(h->name));
		s->name[8] = 0;
		s->vaddr = get_le32(&h->virtual_address);
		s->vsize = get_le32(&h->virtual_size);
		s->raw_offset = get_le32(&h->raw_offset);
		s->raw_size = get_le32(&h->raw_size);
		/*
		 * Bytes the firmware would copy from the file must be in it, and
		 * so must the offset of an empty section (found by fuzz_pe: one
		 * past the end made its readers index outside the file).
		 */
		if (!range_ok(s->raw_offset, s->raw_size, file_size))
			return -EINVAL;
		/* What is mapped must lie inside the image the firmware allocates. */
		uint64_t mapped = s->vsize ? s->vsize : s->raw_size;
		if ((uint64_t)s->vaddr + mapped > out->size_of_image)
			return -EINVAL;
	}
	return 0;
}

int pe_parse_headers(const void *buf, size_t len, uint64_t file_size, struct pe_image *out)
{
	const uint8_t *b = buf;

	memset(out, 0, sizeof(*out));
	if (len > file_size)
		len = (size_t)file_size;
	if (len < PE_LFANEW_OFFSET + 4 || get_le16(b) != PE_DOS_MAGIC)
		return -ENOEXEC;
	uint32_t lfanew = get_le32(b + PE_LFANEW_OFFSET);
	if (!range_ok(lfanew, sizeof(struct pe_coff_header), len) ||
	    get_le32(b + lfanew) != PE_SIGNATURE)
		return -ENOEXEC;

	const struct pe_coff_header *coff = (const void *)(b + lfanew);
	out->machine = get_le16(&coff->machine);
	uint16_t opt_size = get_le16(&coff->opt_header_size);
	size_t opt = lfanew + sizeof(*coff);
	if (!range_ok(opt, opt_size, len) || opt_size < 2)
		return -EINVAL;
	const struct pe_opt_header64 *oh = (const void *)(b + opt);
	if (out->machine != PE_MACHINE_X86_64 || get_le16(&oh->magic) != PE_OPT_MAGIC_PE32PLUS)
		return -EOPNOTSUPP;
	if (opt_size < OPT_MIN)
		return -EINVAL;
	uint32_t nr_dirs = get_le32(&oh->nr_data_dirs);
	if (nr_dirs <= PE_DIR_BASERELOC ||
	    (uint64_t)nr_dirs * sizeof(struct pe_data_dir) > opt_size - sizeof(*oh))
		return -EINVAL;

	out->subsystem = get_le16(&oh->subsystem);
	out->entry = get_le32(&oh->entry_point);
	out->size_of_image = get_le32(&oh->size_of_image);
	out->size_of_headers = get_le32(&oh->size_of_headers);
	out->cert_offset = get_le32(&oh->dirs[PE_DIR_SECURITY].addr);
	out->cert_size = get_le32(&oh->dirs[PE_DIR_SECURITY].size);
	if (out->size_of_headers > file_size || out->size_of_headers > out->size_of_image ||
	    out->entry >= out->size_of_image)
		return -EINVAL;
	/* The signature is appended to the file; a table past its end was cut off. */
	if (out->cert_size && !range_ok(out->cert_offset, out->cert_size, file_size))
		return -EINVAL;

	uint16_t nr = get_le16(&coff->nr_sections);
	if (nr > PE_MAX_SECTIONS)
		return -E2BIG;
	out->nr_sections = nr;
	size_t table = opt + opt_size;
	if (!range_ok(table, (uint64_t)nr * sizeof(struct pe_section_header), len))
		return -EINVAL;
	return parse_sections(b, file_size, table, out);
}

int pe_parse(const void *buf, size_t len, struct pe_image *out)
{
	return pe_parse_headers(buf, len, len, out);
}

const struct pe_section *pe_find_section(const struct pe_image *pe, const char *name)
{
	for (unsigned i = 0; i < pe->nr_sections; i++)
		if (!strcmp(pe->sections[i].name, name))
			return &pe->sections[i];
	return NULL;
}

uint64_t pe_section_file_size(const struct pe_section *s)
{
	/* The raw size is rounded up to FileAlignment: the rest is padding. */
	return s->vsize && s->vsize < s->raw_size ? s->vsize : s->raw_size;
}

int pe_probe(const void *buf, size_t len)
{
	static struct pe_image pe;
	int rc = pe_parse(buf, len, &pe);
	if (rc == -ENOEXEC)
		return -ENOEXEC;
	/*
	 * A bzImage whose PE header is unusable (32-bit stub, damaged) still
	 * boots through boot_params: only a sound x86-64 EFI application is
	 * taken for the stub. Any other file with a PE signature is an EFI
	 * image, and LoadImage's caller names what is wrong with it.
	 */
	if (bzimage_probe(buf, len) == 0)
		return rc == 0 && pe.subsystem == PE_SUBSYSTEM_EFI_APPLICATION ? 0 : -ENOEXEC;
	return 0;
}
