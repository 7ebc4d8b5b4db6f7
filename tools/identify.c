/* SPDX-License-Identifier: MIT */
/*
 * pvhboot identify FILE...: for each file, one "format: NAME" line, then
 * indented "key: value" details from the same parsers the loader uses.
 * Compressed files are inflated first, as the loader does.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/decompress.h"
#include "../core/errno.h"
#include "../loaders/image.h"
#include "cli.h"

/* The loader's own limit on an inflated kernel (loaders/kernel.c). */
#define MAX_INFLATED (512ull << 20)

static const char *const mb1_flag_names[32] = {
	[0] = "page_align", [1] = "memory_info", [2] = "video_mode", [16] = "aout_kludge",
};

static const char *const xlf_names[16] = {
	"kernel_64", "can_be_loaded_above_4g", "efi_handover_32", "efi_handover_64",
	"efi_kexec", "5level", "5level_enabled",
};

/* "0x13 (name name bit4)": every set bit, by name where it has one. */
static void print_bits(const char *key, uint32_t v, const char *const *names, unsigned n)
{
	printf("  %s: %#" PRIx32, key, v);
	if (v) {
		const char *sep = " (";
		for (unsigned bit = 0; bit < 32; bit++) {
			if (!(v & (1u << bit)))
				continue;
			if (bit < n && names[bit])
				printf("%s%s", sep, names[bit]);
			else
				printf("%sbit%u", sep, bit);
			sep = " ";
		}
		printf(")");
	}
	printf("\n");
}

static void print_features(uint32_t features)
{
	const char *names[32];
	for (unsigned bit = 0; bit < 32; bit++)
		names[bit] = xen_feature_name(bit);
	print_bits("features", features, names, 32);
}

static void describe_elf(const struct elf_image *elf)
{
	printf("  class: ELF%u\n", elf->elf_class == ELFCLASS32 ? 32 : 64);
	printf("  machine: %s\n", elf->machine == EM_386 ? "i386" : "x86_64");
	printf("  entry: %#" PRIx64 "\n", elf->entry);
	for (unsigned i = 0; i < elf->nr_segments; i++) {
		const struct elf_segment *s = &elf->segments[i];
		printf("  load: paddr %#" PRIx64 " filesz %#" PRIx64 " memsz %#" PRIx64
		       " vaddr %#" PRIx64 " offset %#" PRIx64 "\n",
		       s->paddr, s->filesz, s->memsz, s->vaddr, s->offset);
	}
	if (elf->has_phys32_entry)
		printf("  pvh_entry: %#" PRIx32 " (note of %u bytes)\n", elf->phys32_entry,
		       elf->phys32_entry_size);
	else
		printf("  pvh_entry: none\n");
	if (elf->has_phys32_reloc)
		printf("  reloc: align %#" PRIx32 " min %#" PRIx32 " max %#" PRIx32 "\n",
		       elf->reloc_align, elf->reloc_min, elf->reloc_max);
	else
		printf("  reloc: none\n");
	if (elf->has_features)
		print_features(elf->features);
	else
		printf("  features: none\n");
	if (elf->guest_os[0])
		printf("  guest_os: %s\n", elf->guest_os);
}

/* Returns 0, or the parser's error when the header is malformed. */
static int describe_mb1(const void *buf, size_t len)
{
	struct mb1_image mb;
	int rc = mb1_parse(buf, len, &mb);
	printf("  multiboot_header: offset %#zx\n", mb.header_offset);
	if (rc == -EINVAL) {
		printf("  problem: the header's load addresses do not fit the file (EINVAL)\n");
		return rc;
	}
	const struct mb1_header *h = &mb.header;
	print_bits("multiboot_flags", h->flags, mb1_flag_names, 32);
	for (unsigned bit = 0; bit < 16; bit++)
		if (mb.unsupported_flags & (1u << bit))
			printf("  unsupported: required flag %u (%s)\n", bit,
			       mb1_flag_names[bit] ? mb1_flag_names[bit] : "unknown");
	if (h->flags & MB1_AOUT_KLUDGE)
		printf("  kludge: header_addr %#" PRIx32 " load_addr %#" PRIx32
		       " load_end_addr %#" PRIx32 " bss_end_addr %#" PRIx32
		       " entry_addr %#" PRIx32 "\n",
		       h->header_addr, h->load_addr, h->load_end_addr, h->bss_end_addr,
		       h->entry_addr);
	if (h->flags & MB1_VIDEO_MODE)
		printf("  video: mode_type %" PRIu32 " %" PRIu32 "x%" PRIu32 "x%" PRIu32 "\n",
		       h->mode_type, h->width, h->height, h->depth);
	return 0;
}

/* Inflate the bzImage payload and say whether it is a PVH ELF. */
static void describe_payload(const uint8_t *payload, size_t len)
{
	enum compression c = compression_detect(payload, len);
	const void *elf_src = payload;
	void *inflated = NULL;
	size_t elf_len = len;
	printf("  payload_compression: %s\n", compression_name(c));
	if (c != COMP_NONE) {
		int rc = decompress(payload, len, MAX_INFLATED, &inflated, &elf_len);
		if (rc) {
			printf("  payload: cannot decompress (%s)\n", strerror_name(rc));
			return;
		}
		elf_src = inflated;
	}
	struct elf_image *elf = malloc(sizeof(*elf));
	int rc = elf ? elf_parse(elf_src, elf_len, elf) : -ENOMEM;
	if (rc)
		printf("  payload: not a loadable ELF (%s)\n", strerror_name(rc));
	else if (elf->has_phys32_entry)
		printf("  payload: pvh elf, entry %#" PRIx32 "\n", elf->phys32_entry);
	else
		printf("  payload: elf without a PVH note, entry %#" PRIx64 "\n", elf->entry);
	free(elf);
	free(inflated);
}

static int describe_linux(const uint8_t *buf, size_t len)
{
	struct bzimage bz;
	int rc = bzimage_parse(buf, len, &bz);
	const struct setup_header *h = &bz.hdr;
	printf("  protocol: %u.%02u\n", bz.version >> 8, bz.version & 0xff);
	if (rc == -EOPNOTSUPP) {
		printf("  problem: boot protocol older than 2.06 (EOPNOTSUPP)\n");
		return rc;
	}
	if (rc) {
		printf("  problem: setup header, kernel or payload outside the file (%s)\n",
		       strerror_name(rc));
		return rc;
	}
	if (h->setup_sects)
		printf("  setup_sects: %u\n", h->setup_sects);
	else
		printf("  setup_sects: 4 (0 in the header)\n");
	print_bits("xloadflags", bz.version >= 0x020c ? h->xloadflags : 0, xlf_names, 16);
	printf("  relocatable: %s\n", h->relocatable_kernel ? "yes" : "no");
	printf("  kernel_alignment: %#" PRIx32 "\n", h->kernel_alignment);
	if (bz.version >= 0x020a) {
		printf("  pref_address: %#" PRIx64 "\n", h->pref_address);
		printf("  init_size: %#" PRIx32 "\n", h->init_size);
	}
	printf("  cmdline_size: %" PRIu32 "\n", h->cmdline_size);
	printf("  kernel: offset %#zx size %#zx\n", bz.kernel_offset, bz.kernel_size);
	if (bz.payload_length)
		describe_payload(buf + bz.payload_offset, bz.payload_length);
	return 0;
}

/* One file: returns 0, EXIT_NOT_RECOGNISED or EXIT_USAGE. */
/* A PE image: what LoadImage would get, and whether it carries a signature. */
static void describe_pe(const void *image, size_t len)
{
	static struct pe_image pe;
	int rc = pe_parse(image, len, &pe);
	if (rc) {
		printf("  pe: malformed (%s)\n", strerror_name(rc));
		return;
	}
	printf("  pe_subsystem: %u\n  pe_signed: %s\n  pe_sections:", pe.subsystem,
	       pe.cert_size ? "yes" : "no");
	for (unsigned i = 0; i < pe.nr_sections; i++)
		printf(" %s", pe.sections[i].name);
	printf("\n");
}

static int identify_one(const char *path)
{
	void *file, *image;
	size_t file_len, len;
	int rc = read_whole_file(path, &file, &file_len);
	if (rc) {
		fprintf(stderr, "pvhboot identify: %s: %s\n", path, strerror(-rc));
		return EXIT_USAGE;
	}

	image = file;
	len = file_len;
	enum compression c = compression_detect(file, file_len);
	if (c != COMP_NONE) {
		rc = decompress(file, file_len, MAX_INFLATED, &image, &len);
		if (rc) {
			printf("format: unknown\n  file: %s\n  compressed: %s\n"
			       "  reason: does not decompress (%s)\n",
			       path, compression_name(c), strerror_name(rc));
			free(file);
			return EXIT_NOT_RECOGNISED;
		}
	}

	const char *why = NULL;
	enum kernel_format fmt = detect_format(image, len, &why);
	unsigned all = detect_all_formats(image, len);
	printf("format: %s\n  file: %s\n  compressed: %s\n", kernel_format_name(fmt), path,
	       compression_name(c));
	if (c != COMP_NONE)
		printf("  inflated_size: %#zx\n", len);
	int status = 0;
	if (fmt == KERNEL_UNKNOWN) {
		printf("  reason: %s\n", why);
		status = EXIT_NOT_RECOGNISED;
	}
	for (enum kernel_format f = KERNEL_PVH; f < KERNEL_FORMAT_END; f++)
		if (f != fmt && (all & (1u << f)))
			printf("  also: %s\n", kernel_format_name(f));

	/* An ELF is described whenever it parses: PVH, or a multiboot1 ELF. */
	struct elf_image *elf = malloc(sizeof(*elf));
	if (elf && elf_parse(image, len, elf) == 0)
		describe_elf(elf);
	free(elf);
	if ((all & (1u << KERNEL_MULTIBOOT1)) && describe_mb1(image, len))
		status = EXIT_NOT_RECOGNISED;
	if ((all & (1u << KERNEL_MULTIBOOT2)) && describe_mb2(image, len))
		status = EXIT_NOT_RECOGNISED;
	if (all & (1u << KERNEL_EFI))
		describe_pe(image, len);
	if ((all & (1u << KERNEL_LINUX)) && describe_linux(image, len))
		status = EXIT_NOT_RECOGNISED;

	if (image != file)
		free(image);
	free(file);
	return status;
}

int cmd_identify(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: pvhboot identify FILE...\n");
		return EXIT_USAGE;
	}
	int status = 0;
	for (int i = 1; i < argc; i++) {
		int rc = identify_one(argv[i]);
		if (rc > status)
			status = rc;
	}
	return status;
}
