/* SPDX-License-Identifier: MIT */
/*
 * Which boot protocol a kernel speaks, by content alone. A file may speak
 * several (Xen's hypervisor: multiboot1, multiboot2 and, with
 * CONFIG_PVH_GUEST, a PVH note); the preference is PVH, then multiboot1,
 * then multiboot2, then Linux, because the PVH entry is the one made for a
 * virtual machine and multiboot1 needs the fewest guesses from a loader
 * (issue 11: a config's multiboot2 command picks multiboot2).
 */
#include "../core/decompress.h"
#include "../core/errno.h"
#include "image.h"
#include "multiboot2.h"

const char *kernel_format_name(enum kernel_format f)
{
	switch (f) {
	case KERNEL_PVH: return "pvh";
	case KERNEL_MULTIBOOT1: return "multiboot1";
	case KERNEL_LINUX: return "linux";
	case KERNEL_MULTIBOOT2: return "multiboot2";
	default: return "unknown";
	}
}

/* Why an ELF that parsed (or did not) is no PVH kernel. */
static const char *elf_reason(int rc)
{
	switch (rc) {
	case 0: return "ELF without a Xen PHYS32_ENTRY note or a multiboot header";
	case -ENOEXEC: return "ELF, but not an x86 executable with loadable segments";
	case -E2BIG: return "ELF with more loadable segments than pvhboot supports";
	default: return "malformed ELF: a header, segment or note lies outside the file";
	}
}

static const char *other_reason(const void *buf, size_t len)
{
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

/*
 * A multiboot1 or Linux header that is present but broken still decides
 * the format: the loader for it then names the problem (a bad a.out
 * kludge, a protocol too old) instead of "unknown format".
 */
static unsigned probe(const void *buf, size_t len, const char **why)
{
	struct elf_image elf;
	struct mb1_image mb;
	struct bzimage bz;
	unsigned found = 0;

	int elf_rc = elf_parse(buf, len, &elf);
	bool is_elf = len >= 4 && get_le32(buf) == ELF_MAGIC;
	if (elf_rc == 0 && elf.has_phys32_entry)
		found |= 1u << KERNEL_PVH;
	if (mb1_parse(buf, len, &mb) != -ENOEXEC)
		found |= 1u << KERNEL_MULTIBOOT1;
	if (bzimage_parse(buf, len, &bz) != -ENOEXEC)
		found |= 1u << KERNEL_LINUX;
	struct mb2_image mb2; /* issue 11 */
	if (mb2_parse(buf, len, &mb2) != -ENOEXEC)
		found |= 1u << KERNEL_MULTIBOOT2;
	if (why)
		*why = found ? NULL : is_elf ? elf_reason(elf_rc) : other_reason(buf, len);
	return found;
}

unsigned detect_all_formats(const void *buf, size_t len)
{
	return probe(buf, len, NULL);
}

enum kernel_format detect_format(const void *buf, size_t len, const char **why)
{
	static const enum kernel_format preference[] = {
		KERNEL_PVH, KERNEL_MULTIBOOT1, KERNEL_MULTIBOOT2, KERNEL_LINUX,
	};
	unsigned found = probe(buf, len, why);
	for (unsigned i = 0; i < ARRAY_SIZE(preference); i++)
		if (found & (1u << preference[i]))
			return preference[i];
	return KERNEL_UNKNOWN;
}
