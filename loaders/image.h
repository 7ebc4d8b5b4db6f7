/* SPDX-License-Identifier: MIT */
/*
 * Kernel image parsers: pure functions from bytes to a description, with no
 * side effects and every offset bounds-checked. The format loaders (pvh.c,
 * multiboot1.c, linux.c) turn a description into a boot plan; the host CLI
 * prints it. All of this builds freestanding and hosted.
 */
#ifndef PVHBOOT_LOADERS_IMAGE_H
#define PVHBOOT_LOADERS_IMAGE_H

#include "../core/lib.h"
#include "../include/abi/bootparam.h"
#include "../include/abi/elf.h"
#include "../include/abi/multiboot1.h"
#include "../include/abi/pe.h"

/* Documented limit: more PT_LOAD segments than this is refused (-E2BIG). */
#define ELF_MAX_SEGMENTS 32

struct elf_segment {
	uint64_t offset;  /* in the file */
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;   /* >= filesz; the tail is zeroed */
	uint64_t align;
};

struct elf_image {
	uint8_t elf_class;  /* ELFCLASS32 or ELFCLASS64 */
	uint16_t machine;   /* EM_386 or EM_X86_64 */
	uint64_t entry;     /* e_entry, a virtual address */
	unsigned nr_segments;
	struct elf_segment segments[ELF_MAX_SEGMENTS];

	/* Xen notes, from PT_NOTE segments, else SHT_NOTE sections. */
	bool has_phys32_entry;
	uint8_t phys32_entry_size;   /* descsz of the note: 4 or 8 (1, 2 as libelf) */
	uint32_t phys32_entry;       /* low 32 bits */
	bool has_phys32_reloc;
	uint32_t reloc_align;        /* defaults per boot-abi.md A1 */
	uint32_t reloc_min;
	uint32_t reloc_max;
	bool has_features;
	uint32_t features;           /* XENFEAT_* bits from FEATURES/SUPPORTED_FEATURES */
	char guest_os[32];           /* GUEST_OS note, "" if absent */
};

/*
 * elf_parse() - describe an ELF executable for x86.
 * @buf, @len: the whole file.
 * Returns 0, -ENOEXEC when it is not an x86 ELF executable, -EINVAL when a
 * header, segment or note points outside the file or is malformed (absurd
 * descsz, filesz > memsz, address arithmetic overflowing), -E2BIG for more
 * than ELF_MAX_SEGMENTS PT_LOAD segments.
 */
int elf_parse(const void *buf, size_t len, struct elf_image *out);

/*
 * elf_vaddr_to_paddr() - translate @vaddr through the PT_LOAD segment that
 * contains it; returns false when no segment does.
 */
bool elf_vaddr_to_paddr(const struct elf_image *img, uint64_t vaddr, uint64_t *paddr);

/*
 * xen_feature_name() - the name of XENFEAT_* bit @bit as the FEATURES note
 * spells it ("linux_rsdp_unrestricted"), or NULL for an unassigned bit.
 */
const char *xen_feature_name(unsigned bit);

struct mb1_image {
	size_t header_offset;      /* file offset of the header */
	struct mb1_header header;  /* fields past `checksum` only valid per flags */
	uint32_t unsupported_flags; /* required bits (0-15) we cannot honour */
	bool is_elf;               /* the file is also an ELF */
};

/*
 * mb1_parse() - find and validate a multiboot1 header in the first 8 KiB.
 * Returns 0, -ENOEXEC when there is none (no magic with a valid checksum),
 * -EINVAL when the a.out kludge fields are inconsistent with the file
 * (header_addr < load_addr, load_end < load_addr, bss_end < load_end, file
 * offset outside the file). Unsupported required flags are reported in
 * out->unsupported_flags, not as an error: the loader names them.
 */
int mb1_parse(const void *buf, size_t len, struct mb1_image *out);

/* Which required multiboot1 flags pvhboot honours. */
#define MB1_SUPPORTED_REQUIRED (MB1_PAGE_ALIGN | MB1_MEMORY_INFO | MB1_VIDEO_MODE)

struct bzimage {
	struct setup_header hdr;   /* copied out of the file */
	size_t header_end;         /* 0x202 + byte[0x201]: copy [0x1f1, header_end) */
	uint16_t version;          /* hdr.version, with 2.14 reported as 2.13 */
	size_t setup_size;         /* (setup_sects ? : 4) + 1) * 512 */
	size_t kernel_offset;      /* == setup_size: the protected-mode kernel */
	size_t kernel_size;        /* file size - setup_size */
	/* Payload (compressed vmlinux) inside the protected-mode kernel, if any. */
	size_t payload_offset;     /* file offset (the header's is kernel-relative) */
	size_t payload_length;
};

/* Oldest boot protocol pvhboot accepts: 2.06 gives cmdline_size. */
#define BZIMAGE_MIN_VERSION 0x0206u

/*
 * bzimage_parse() - describe a Linux bzImage.
 * Returns 0, -ENOEXEC when boot_flag/HdrS are absent, -EOPNOTSUPP when the
 * protocol is older than BZIMAGE_MIN_VERSION (version is still filled in so
 * the caller can name it), -EINVAL when setup_sects or the payload point past
 * the end of the file.
 */
int bzimage_parse(const void *buf, size_t len, struct bzimage *out);

/* Documented limit: a PE image with more sections is refused (-E2BIG). */
#define PE_MAX_SECTIONS 96

struct pe_section {
	char name[9];          /* NUL-terminated */
	uint32_t vaddr;        /* RVA */
	uint32_t vsize;
	uint32_t raw_offset;   /* in the file; [raw_offset, +raw_size) is inside it */
	uint32_t raw_size;
};

struct pe_image {
	uint16_t machine;
	uint16_t subsystem;    /* PE_SUBSYSTEM_* */
	uint32_t entry;        /* RVA, < size_of_image */
	uint32_t size_of_image;
	uint32_t size_of_headers;
	uint32_t cert_offset;  /* the attribute certificate table (signatures), */
	uint32_t cert_size;    /* a file range; size 0: unsigned */
	unsigned nr_sections;
	struct pe_section sections[PE_MAX_SECTIONS];
};

/*
 * pe_parse_headers() - describe an x86-64 PE32+ image from its first @len
 * bytes (holding at least the headers and section table) of a file of
 * @file_size bytes. pe_parse() is the same on a whole file.
 * Returns 0; -ENOEXEC without an MZ header and PE signature; -EOPNOTSUPP
 * for another machine or a PE32 image (machine is still filled in);
 * -EINVAL when a header is truncated or a section, the entry point or the
 * signature lie outside the file or the image; -E2BIG for more than
 * PE_MAX_SECTIONS sections.
 */
int pe_parse_headers(const void *buf, size_t len, uint64_t file_size, struct pe_image *out);
int pe_parse(const void *buf, size_t len, struct pe_image *out);

/* The section named @name (".osrel"), or NULL. */
const struct pe_section *pe_find_section(const struct pe_image *pe, const char *name);
/* The bytes of @s that come from the file: its raw size without the alignment padding. */
uint64_t pe_section_file_size(const struct pe_section *s);

/* The boot formats; loaders/formats.c holds their table (kernel.h). */
enum kernel_format {
	KERNEL_UNKNOWN = 0,
	KERNEL_PVH,
	KERNEL_MULTIBOOT1,
	KERNEL_LINUX,
	KERNEL_MULTIBOOT2,
	KERNEL_EFI,       /* a PE image the platform starts itself (EFI stub, UKI, EFI app) */
	KERNEL_FORMAT_END,
};

const char *kernel_format_name(enum kernel_format f); /* "pvh", ..., "unknown" */

/* Probes, for the format table: 0 when the header is present (even broken), else -ENOEXEC. */
int pvh_probe(const void *buf, size_t len);
int mb1_probe(const void *buf, size_t len);
int bzimage_probe(const void *buf, size_t len);
int mb2_probe(const void *buf, size_t len);
int pe_probe(const void *buf, size_t len);

/* Why a file matches no format, in one line. */
const char *detect_failure_reason(const void *buf, size_t len);

/*
 * detect_format() - classify a (decompressed) kernel by content: the first
 * format of the table that matches. @why, if non-NULL, receives a one-line
 * reason when KERNEL_UNKNOWN.
 */
enum kernel_format detect_format(const void *buf, size_t len, const char **why);

/*
 * detect_all_formats() - every format @buf matches, as a set of
 * (1u << KERNEL_*) bits, for tools that report all of them.
 */
unsigned detect_all_formats(const void *buf, size_t len);

#endif
