/* SPDX-License-Identifier: MIT */
/*
 * Which boot protocol a kernel speaks, by content alone: one probe per
 * format for the table in formats.c, and the reason a file matched none.
 * A multiboot1 or Linux header that is present but broken still decides
 * the format: the loader for it then names the problem (a bad a.out
 * kludge, a protocol too old) instead of "unknown format".
 */
#include "../core/decompress.h"
#include "../core/errno.h"
#include "image.h"
#include "multiboot2.h"

int pvh_probe(const void *buf, size_t len)
{
	static struct elf_image elf;
	return !elf_parse(buf, len, &elf) && elf.has_phys32_entry ? 0 : -ENOEXEC;
}

int mb1_probe(const void *buf, size_t len)
{
	struct mb1_image mb;
	return mb1_parse(buf, len, &mb) != -ENOEXEC ? 0 : -ENOEXEC;
}

int bzimage_probe(const void *buf, size_t len)
{
	struct bzimage bz;
	return bzimage_parse(buf, len, &bz) != -ENOEXEC ? 0 : -ENOEXEC;
}

int mb2_probe(const void *buf, size_t len)
{
	static struct mb2_image mb;
	return mb2_parse(buf, len, &mb) != -ENOEXEC ? 0 : -ENOEXEC;
}

/* Why an ELF that parsed (or did not) is no PVH kernel. */
static const char *elf_reason(int rc)
{
	switch (rc) {
	case 0: return "ELF without a Xen PHYS32_ENTRY note or a multiboot1 header";
	case -ENOEXEC: return "ELF, but not an x86 executable with loadable segments";
	case -E2BIG: return "ELF with more loadable segments than pvhboot supports";
	default: return "malformed ELF: a header, segment or note lies outside the file";
	}
}

const char *detect_failure_reason(const void *buf, size_t len)
{
	static struct elf_image elf;
	if (len >= 4 && get_le32(buf) == ELF_MAGIC)
		return elf_reason(elf_parse(buf, len, &elf));
	if (len == 0)
		return "empty file";
	switch (compression_detect(buf, len)) {
	case COMP_GZIP: return "gzip data: decompress it first";
	case COMP_ZSTD: return "zstd data: decompress it first";
	case COMP_XZ: return "xz data: decompress it first";
	default: break;
	}
	return "no ELF header, multiboot1 header in the first 8 KiB, multiboot2 header in the "
	       "first 32 KiB, or Linux boot header";
}
