/* SPDX-License-Identifier: MIT */
/*
 * The probe checkers: pure functions of (captured CPU state, boot structure
 * address, memory window) that print a report. They build freestanding into
 * the probe kernels and on the host for tests/unit/test_probe_checks.c.
 *
 * Memory is only ever reached through struct probe_mem: in a probe it is the
 * identity map (base 0), in a unit test a buffer whose offsets play the part
 * of physical addresses.
 */
#ifndef PVHBOOT_TESTS_KERNELS_PROBE_H
#define PVHBOOT_TESTS_KERNELS_PROBE_H

#include "../../core/errno.h"
#include "../../core/lib.h"
#include "../../include/abi/bootparam.h"
#include "cpu_state.h"
#include "report.h"

/* Physical addresses [0, size) are readable at base + paddr. */
struct probe_mem {
	uintptr_t base;
	uint64_t size;
};

/*
 * probe_map() - a pointer to @len bytes at physical @paddr.
 * Returns 0, or -EFAULT when the range leaves the window or @paddr is 0
 * (every protocol uses address 0 for "absent").
 */
int probe_map(const struct probe_mem *m, uint64_t paddr, uint64_t len, const void **out);

/* probe_read() - copy @len bytes at @paddr into @dst; 0 or -EFAULT. */
int probe_read(const struct probe_mem *m, uint64_t paddr, void *dst, size_t len);

/*
 * probe_strlen() - length of the NUL-terminated string at @paddr, which
 * must end within @max bytes (NUL excluded). Returns 0, -EFAULT when it
 * leaves the window, or -E2BIG when no NUL comes within @max + 1 bytes.
 */
int probe_strlen(const struct probe_mem *m, uint64_t paddr, uint64_t max, size_t *len);

/* What the probe knows about itself, independently of the loader. */
struct probe_image {
	uint64_t start, end;        /* [start, end): loaded image including .bss */
	bool bss_must_be_zero;      /* ELF / a.out kludge loaders zero .bss */
	uint32_t mb1_header_flags;  /* multiboot1: the flags the header requested */
	uint32_t mb2_requests;      /* multiboot2: MBI tag types required (bit per type) */
	bool mb2_module_align;      /* multiboot2: the header has a module alignment tag */
	struct probe_efi_call mb2_efi; /* multiboot2: what the EFI amd64 entry did (cpu_state.h) */
	struct setup_header linux_hdr; /* Linux: the bzImage's own setup header */
};

struct probe_env {
	struct report *r;
	struct probe_mem mem;
	const struct cpu_state *cpu;
	struct probe_image image;
};

/*
 * probe_fb_show() - fill a 32-bit linear framebuffer with @pixel, then hold
 * until a byte arrives on COM1 (or a bounded wait passes), so that the
 * host can take a screenshot and compare its colour with what the loader
 * described. Probe kernels only: the host unit tests stub it.
 */
void probe_fb_show(uint64_t addr, uint32_t pitch, uint32_t width, uint32_t height,
		   uint32_t pixel);

/* The three protocols: each prints PROBE, FIELDs and CHECKs (not RESULT). */
void check_pvh(const struct probe_env *e);
void check_mb1(const struct probe_env *e);
void check_linux(const struct probe_env *e);
void check_mb2(const struct probe_env *e); /* issue 11 */

/* CRC-32 as zlib's crc32() (IEEE 802.3, reflected polynomial 0xEDB88320). */
uint32_t probe_crc32(const void *buf, size_t len);

/*
 * cmdline_value() - the value of the first "key=value" word of @s (words
 * are separated by spaces). Returns 0 and sets @val/@vlen, or -ENOENT.
 */
int cmdline_value(const char *s, size_t len, const char *key, const char **val, size_t *vlen);
/* Exactly 8 hex digits; 0 or -EINVAL. */
int parse_hex32(const char *s, size_t len, uint32_t *out);
/* Decimal digits only, no overflow; 0 or -EINVAL. */
int parse_dec64(const char *s, size_t len, uint64_t *out);

/* A memory map in one shape, whatever the protocol's entry layout. */
#define PROBE_MAX_RANGES 256u
struct probe_range {
	uint64_t addr, size;
	uint32_t type;
};
struct probe_memmap {
	struct probe_range r[PROBE_MAX_RANGES];
	unsigned n;
};

/* CHECK memmap_nonzero, memmap_sorted, memmap_overlap. */
void memmap_check_order(struct report *r, const struct probe_memmap *m);
/* The end of the run of RAM (type 1) entries containing @addr, or @addr
 * when it is not RAM; UINT64_MAX when the run reaches 2^64. */
uint64_t memmap_ram_end(const struct probe_memmap *m, uint64_t addr);
/* True when every byte of [addr, addr + len) lies in RAM (type 1) entries. */
bool memmap_is_ram(const struct probe_memmap *m, uint64_t addr, uint64_t len);
/* CHECK <name>: [addr, addr + len) is RAM. */
void memmap_check_ram(struct report *r, const struct probe_memmap *m, const char *name,
		      uint64_t addr, uint64_t len);

/* CHECK <name>: a valid ACPI RSDP at @paddr (signature, both checksums). */
void check_rsdp(const struct probe_env *e, const char *name, uint64_t paddr);

/*
 * check_module() - CHECK <prefix>_crc: the bytes [paddr, paddr + size)
 * have the CRC-32 named by "crc32=XXXXXXXX" in @cmdline (absent is a FAIL).
 */
void check_module(const struct probe_env *e, const char *prefix, uint64_t paddr, uint64_t size,
		  const char *cmdline, size_t cmdline_len);

/* What a segment register must hold. */
enum seg_want {
	SEG_WANT_FLAT32_CODE, /* execute/read, base 0, 4 GiB, D=1, DPL 0 */
	SEG_WANT_FLAT32_DATA, /* read/write, base 0, 4 GiB, B=1 */
	SEG_WANT_CODE64,      /* L=1, D=0, DPL 0 */
	SEG_WANT_DATA64,      /* present read/write data (base/limit unused) */
	SEG_WANT_TSS32,       /* 32-bit TSS (available or busy), base 0, limit 0x67 */
};

/*
 * check_segment() - CHECK <name> for segment register @seg, looking its
 * selector up in the GDT copy captured at entry. @want_sel >= 0 also
 * requires that selector value. A selector beyond the GDT limit is
 * reported "ok unverifiable" (Xen loads hidden state with null selectors).
 */
void check_segment(const struct probe_env *e, const char *name, enum cpu_seg seg,
		   enum seg_want want, int want_sel);

/*
 * check_identity_map() - CHECK <name>: the 4-level page tables at @cr3 map
 * [addr, addr + len) to itself, present and writable.
 */
void check_identity_map(const struct probe_env *e, const char *name, uint64_t cr3,
			uint64_t addr, uint64_t len);

/* CHECK bss_zero: the loader zeroed the probe's .bss (when it must). */
void check_bss_zero(const struct probe_env *e);

/*
 * probe_string() - the string at @paddr (at most @max bytes plus its NUL),
 * for a check called @name: returns 0 and sets @s/@len, or reports
 * "CHECK <name> FAIL" and returns -EFAULT or -E2BIG (see probe_strlen).
 */
int probe_string(const struct probe_env *e, const char *name, uint64_t paddr, uint64_t max,
		 const char **s, size_t *len);

#endif
