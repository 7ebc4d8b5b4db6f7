/* SPDX-License-Identifier: MIT */
/*
 * The multiboot2 probe's checker (tests/kernels/check_mb2.c) on the host,
 * as test_probe_checks.c does for the other protocols: a valid MBI2 in a
 * fake physical memory passes, and breaking any single field fails with
 * the CHECK named for it.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../../include/abi/efi_systab.h"
#include "../../include/abi/elf.h"
#include "../../include/abi/multiboot2.h"
#include "../kernels/probe.h"
#include "test.h"

#define MiB (1ull << 20)
#define MEM_SIZE (8 * MiB)
#define DESC_CODE32 0x00cf9b000000ffffull
#define DESC_DATA32 0x00cf93000000ffffull
#define IMAGE_START 0x100000u
#define IMAGE_END 0x150000u
#define MBI_AT 0x10000u
#define MOD0_AT 0x200000u
#define MOD0_SIZE 3000u
#define MOD1_AT 0x201000u
#define MOD1_SIZE 17u
#define STRTAB_AT 0x300000u
#define SYSTAB_AT 0x310000u
#define PML4_AT 0x320000u /* then the PDPT and one page directory */
#define IMAGE_HANDLE 0x7e00000ull
#define DESC_CODE64 0x00af9b000000ffffull

static uint8_t *mem;
static struct cpu_state cpu;
static struct probe_env env;
static struct report rep;
static char out[1 << 16];
static size_t out_len;
static size_t mbi_len;
/* Offsets (from MBI_AT) of the tags a breakage may want. */
static size_t off_cmdline, off_mod0, off_mod1, off_meminfo, off_mmap, off_acpi_old,
	off_acpi_new, off_elf, off_end, off_efi_bs, off_efi_ih;

void probe_fb_show(uint64_t addr, uint32_t pitch, uint32_t width, uint32_t height,
		   uint32_t pixel)
{
	(void)addr, (void)pitch, (void)width, (void)height, (void)pixel;
}

static void out_write(void *opaque, const char *s, size_t len)
{
	(void)opaque;
	if (out_len + len < sizeof(out)) {
		memcpy(out + out_len, s, len);
		out_len += len;
		out[out_len] = 0;
	}
}

/* Append a tag of @type with @len payload bytes; returns its offset. */
static size_t tag(uint32_t type, const void *payload, size_t len)
{
	size_t at = mbi_len;
	uint8_t *p = mem + MBI_AT + at;
	uint32_t size = (uint32_t)(8 + len);
	memcpy(p, &type, 4);
	memcpy(p + 4, &size, 4);
	if (len)
		memcpy(p + 8, payload, len);
	mbi_len = ALIGN_UP(at + size, 8);
	return at;
}

static void finish_mbi(void)
{
	off_end = tag(MB2_TAG_END, NULL, 0);
	uint32_t total = (uint32_t)mbi_len;
	memcpy(mem + MBI_AT, &total, 4);
}

static void module_bytes(uint32_t at, uint32_t size)
{
	for (uint32_t i = 0; i < size; i++)
		mem[at + i] = (uint8_t)(i * 7 + at / MiB);
}

static size_t module_tag(uint32_t at, uint32_t size, const char *words)
{
	uint8_t buf[128];
	uint32_t end = at + size;
	module_bytes(at, size);
	memcpy(buf, &at, 4);
	memcpy(buf + 4, &end, 4);
	int n = snprintf((char *)buf + 8, sizeof(buf) - 8, "%s crc32=%08x", words,
			 (uint32_t)crc32(0, mem + at, size));
	return tag(MB2_TAG_MODULE, buf, 8 + (size_t)n + 1);
}

/* RSDP revision 2, 36 bytes, both checksums right. */
static void rsdp(uint8_t *p)
{
	memset(p, 0, 36);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "PVHBT ", 6);
	p[15] = 2;
	p[20] = 36;
	uint8_t sum = 0;
	for (int i = 0; i < 20; i++)
		sum = (uint8_t)(sum + p[i]);
	p[8] = (uint8_t)-sum;
	sum = 0;
	for (int i = 0; i < 36; i++)
		sum = (uint8_t)(sum + p[i]);
	p[32] = (uint8_t)-sum;
}

/* Three ELF32 sections: NULL, .text (loaded), .shstrtab placed at STRTAB_AT. */
static void elf_sections(void)
{
	static const char names[] = "\0.text\0.shstrtab";
	uint8_t buf[12 + 3 * sizeof(struct elf32_shdr)];
	uint32_t num = 3, entsize = sizeof(struct elf32_shdr), shndx = 2;
	memcpy(buf, &num, 4);
	memcpy(buf + 4, &entsize, 4);
	memcpy(buf + 8, &shndx, 4);
	struct elf32_shdr s[3] = {
		{ 0 },
		{ .sh_name = 1, .sh_type = 1, .sh_addr = IMAGE_START, .sh_size = 0x1000 },
		{ .sh_name = 7, .sh_type = 3, .sh_addr = STRTAB_AT, .sh_size = sizeof(names) },
	};
	memcpy(buf + 12, s, sizeof(s));
	memcpy(mem + STRTAB_AT, names, sizeof(names));
	off_elf = tag(MB2_TAG_ELF_SECTIONS, buf, sizeof(buf));
}

static void setup(void)
{
	if (!mem)
		mem = malloc(MEM_SIZE);
	memset(mem, 0, MEM_SIZE);
	memset(&cpu, 0, sizeof(cpu));
	env = (struct probe_env){ .r = &rep, .mem = { (uintptr_t)mem, MEM_SIZE }, .cpu = &cpu };
	env.image = (struct probe_image){ .start = IMAGE_START, .end = IMAGE_END,
					  .bss_must_be_zero = true, .mb2_module_align = true };
	env.image.mb2_requests = 1u << MB2_TAG_CMDLINE | 1u << MB2_TAG_BOOT_LOADER_NAME |
				 1u << MB2_TAG_MODULE | 1u << MB2_TAG_BASIC_MEMINFO |
				 1u << MB2_TAG_MMAP | 1u << MB2_TAG_ELF_SECTIONS |
				 1u << MB2_TAG_ACPI_OLD;
	cpu.rax = MB2_BOOT_MAGIC;
	cpu.rbx = MBI_AT;
	cpu.cr0 = 0x11;
	cpu.rflags = 0x2;
	cpu.gdt_limit = 0x2f;
	cpu.entry_mode = 32;
	cpu.sel[SEG_CS] = 0x10;
	cpu.desc[SEG_CS][0] = DESC_CODE32;
	for (int s = SEG_DS; s <= SEG_SS; s++) {
		cpu.sel[s] = 0x18;
		cpu.desc[s][0] = DESC_DATA32;
	}

	mbi_len = 8;
	off_cmdline = tag(MB2_TAG_CMDLINE, "placeholder probe=mb2", 22);
	tag(MB2_TAG_BOOT_LOADER_NAME, "pvhboot", 8);
	off_mod0 = module_tag(MOD0_AT, MOD0_SIZE, "first");
	off_mod1 = module_tag(MOD1_AT, MOD1_SIZE, "second");
	uint32_t mi[2] = { 639, 7 * 1024 };
	off_meminfo = tag(MB2_TAG_BASIC_MEMINFO, mi, sizeof(mi));
	uint8_t mm[8 + 4 * 24] = { 24, 0, 0, 0, 0, 0, 0, 0 };
	struct mb2_mmap_entry ents[4] = {
		{ 0, 0x9fc00, 1, 0 },
		{ 0xf0000, 0x10000, 2, 0 },
		{ 0x100000, 0x700000, 1, 0 },
		{ 0xfec00000, 0x1000, 2, 0 },
	};
	memcpy(mm + 8, ents, sizeof(ents));
	off_mmap = tag(MB2_TAG_MMAP, mm, sizeof(mm));
	elf_sections();
	uint8_t r[36];
	rsdp(r);
	off_acpi_old = tag(MB2_TAG_ACPI_OLD, r, 20);
	off_acpi_new = tag(MB2_TAG_ACPI_NEW, r, 36);
	finish_mbi();
}

static unsigned run(void)
{
	out_len = 0;
	out[0] = 0;
	report_init(&rep, out_write, NULL);
	check_mb2(&env);
	report_result(&rep);
	return rep.failed;
}

static bool has_line(const char *line)
{
	size_t len = strlen(line);
	for (const char *l = out; *l;) {
		if (!strncmp(l, line, len) && (l[len] == '\n' || !l[len]))
			return true;
		const char *e = strchr(l, '\n');
		if (!e)
			break;
		l = e + 1;
	}
	return false;
}

static bool has_prefix(const char *prefix)
{
	for (const char *l = out; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, prefix, strlen(prefix)))
			return true;
	return false;
}

TEST(mb2_valid_passes)
{
	setup();
	unsigned failed = run();
	if (failed || !has_line("RESULT PASS")) {
		fputs(out, stdout);
		FAIL("%u checks failed (report above)", failed);
	}
	CHECK(has_line("PROBE multiboot2"));
	CHECK(has_line("FIELD cmdline=placeholder probe=mb2"));
	CHECK(has_line("FIELD loader=pvhboot"));
	CHECK(has_line("FIELD nr_modules=2"));
	CHECK(has_line("CHECK module1_aligned ok"));
	CHECK(has_line("CHECK acpi_new ok"));
	CHECK(has_line("CHECK elf_sections_strtab ok"));
	CHECK(rep.checks > 30);
}

#define U32(off) ((uint32_t *)(mem + MBI_AT + (off)))

static void eax(void) { cpu.rax = 0x2badb002; }
static void mbi_unaligned(void) { cpu.rbx = MBI_AT + 4; }
static void reserved(void) { *U32(4) = 1; }
static void total_short(void) { *U32(0) -= 8; }
static void total_huge(void) { *U32(0) = 1u << 24; }
static void tag_size_small(void) { *U32(off_meminfo + 4) = 4; }
static void tag_size_past(void) { *U32(off_mmap + 4) = 0x10000; }
static void end_tag_size(void)
{
	*U32(off_end + 4) = 16;
	*U32(0) += 8;
}
static void no_cmdline(void) { *U32(off_cmdline) = 30; } /* an unknown type instead */
static void cmdline_unterminated(void) { mem[MBI_AT + off_cmdline + 8 + 21] = 'x'; }
static void mmap_entry_size(void) { *U32(off_mmap + 8) = 20; }
static void mmap_version(void) { *U32(off_mmap + 12) = 1; }
static void mmap_unsorted(void) { *(uint64_t *)(mem + MBI_AT + off_mmap + 16) = 0x200000; }
static void mmap_overlap(void) { *(uint64_t *)(mem + MBI_AT + off_mmap + 16 + 24 + 8) = 0x20000; }
static void mmap_reserved(void) { *U32(off_mmap + 16 + 20) = 1; }
static void mem_lower(void) { *U32(off_meminfo + 8) = 641; }
static void mem_upper(void) { *U32(off_meminfo + 12) += 1; }
static void mod_crc(void) { mem[MOD1_AT + 3] ^= 1; }
static void mod_unaligned(void)
{
	*U32(off_mod0 + 8) += 0x10;
	*U32(off_mod0 + 12) += 0x10;
}
static void mod_empty(void) { *U32(off_mod0 + 12) = *U32(off_mod0 + 8); }
static void mod_not_ram(void)
{
	*U32(off_mod1 + 8) = 0xf1000;
	*U32(off_mod1 + 12) = 0xf1000 + MOD1_SIZE;
}
static void acpi_old_checksum(void) { mem[MBI_AT + off_acpi_old + 8 + 9] ^= 1; }
static void acpi_old_long(void) { *U32(off_acpi_old + 4) = 8 + 24; }
static void acpi_new_checksum(void) { mem[MBI_AT + off_acpi_new + 8 + 30] ^= 1; }
static void acpi_new_size(void) { mem[MBI_AT + off_acpi_new + 8 + 20] = 40; }
static void elf_shndx(void) { *U32(off_elf + 16) = 3; }
static void elf_strtab_absent(void) { memset(mem + STRTAB_AT, 0, 0x20); }
static void elf_strtab_unplaced(void) { *U32(off_elf + 20 + 2 * 40 + 12) = 0; }
static void image_not_ram(void) { *(uint32_t *)(mem + MBI_AT + off_mmap + 16 + 2 * 24 + 16) = 3; }
static void cpu_paging(void) { cpu.cr0 |= CR0_PG; }
static void cpu_if(void) { cpu.rflags |= EFLAGS_IF; }
static void cs_16bit(void) { cpu.desc[SEG_CS][0] &= ~(1ull << 54); }
static void ss_read_only(void) { cpu.desc[SEG_SS][0] &= ~(1ull << 41); }
static void bss_dirty(void) { cpu.bss_dirty = 1; }
static void load_base_wrong(void)
{
	off_end = 0;
	mbi_len -= 8;
	uint32_t base = IMAGE_START + 0x1000;
	tag(MB2_TAG_LOAD_BASE_ADDR, &base, 4);
	finish_mbi();
}

TEST(mb2_each_broken_field_fails)
{
	static const struct {
		const char *name;
		void (*mutate)(void);
		const char *check;
	} cases[] = {
		{ "eax", eax, "magic" },
		{ "mbi unaligned", mbi_unaligned, "mbi" },
		{ "reserved", reserved, "mbi_reserved" },
		{ "total_size short", total_short, "mbi_end_tag" },
		{ "total_size huge", total_huge, "mbi" },
		{ "tag size 4", tag_size_small, "mbi_tag_size" },
		{ "tag past total", tag_size_past, "mbi_tag_size" },
		{ "end tag 16 bytes", end_tag_size, "mbi_end_tag" },
		{ "cmdline missing", no_cmdline, "requested_tag1" },
		{ "cmdline unterminated", cmdline_unterminated, "cmdline" },
		{ "mmap entry_size 20", mmap_entry_size, "mmap_entry_size" },
		{ "mmap version 1", mmap_version, "mmap_entry_size" },
		{ "mmap unsorted", mmap_unsorted, "memmap_sorted" },
		{ "mmap overlap", mmap_overlap, "memmap_overlap" },
		{ "mmap reserved field", mmap_reserved, "mmap_reserved_zero" },
		{ "mem_lower", mem_lower, "mem_lower" },
		{ "mem_upper", mem_upper, "mem_upper" },
		{ "module crc", mod_crc, "module1_crc" },
		{ "module unaligned", mod_unaligned, "module0_aligned" },
		{ "module empty", mod_empty, "module0_range" },
		{ "module not in RAM", mod_not_ram, "module1_in_ram" },
		{ "ACPI old checksum", acpi_old_checksum, "acpi_old" },
		{ "ACPI old 24 bytes", acpi_old_long, "acpi_old" },
		{ "ACPI new checksum", acpi_new_checksum, "acpi_new" },
		{ "ACPI new size", acpi_new_size, "acpi_new_size" },
		{ "ELF shndx", elf_shndx, "elf_sections_table" },
		{ "ELF strtab bytes", elf_strtab_absent, "elf_sections_strtab" },
		{ "ELF strtab sh_addr 0", elf_strtab_unplaced, "elf_sections_strtab" },
		{ "image not RAM", image_not_ram, "image_in_ram" },
		{ "paging", cpu_paging, "cr0" },
		{ "IF", cpu_if, "eflags_if" },
		{ "CS 16-bit", cs_16bit, "seg_cs" },
		{ "SS read-only", ss_read_only, "seg_ss" },
		{ ".bss dirty", bss_dirty, "bss_zero" },
		{ "load base", load_base_wrong, "load_base_addr" },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		char prefix[64];
		setup();
		cases[i].mutate();
		unsigned failed = run();
		snprintf(prefix, sizeof(prefix), "CHECK %s FAIL ", cases[i].check);
		if (!failed || !has_prefix(prefix)) {
			fputs(out, stdout);
			FAIL("%s: no '%s' line (report above)", cases[i].name, prefix);
		}
	}
}

/*
 * The EFI amd64 entry (§3.5): long mode on identity-mapping page tables,
 * IF set, the EFI64 system table / image handle / boot services tags, and
 * the entry stub's record of a ConOut call that returned EFI_SUCCESS.
 */
static void setup_efi64(void)
{
	setup();
	off_end = 0;
	mbi_len -= 8;
	uint64_t st = SYSTAB_AT, ih = IMAGE_HANDLE;
	tag(MB2_TAG_EFI64, &st, 8);
	off_efi_ih = tag(MB2_TAG_EFI64_IH, &ih, 8);
	off_efi_bs = tag(MB2_TAG_EFI_BS, NULL, 0);
	finish_mbi();
	uint64_t sig = EFI_SYSTAB_SIGNATURE;
	memcpy(mem + SYSTAB_AT, &sig, 8);
	/* PML4[0] -> PDPT, PDPT[0] -> PD, PD: 2 MiB pages over the fake memory. */
	uint64_t pml4e = (PML4_AT + 0x1000) | 3, pdpte = (PML4_AT + 0x2000) | 3;
	memcpy(mem + PML4_AT, &pml4e, 8);
	memcpy(mem + PML4_AT + 0x1000, &pdpte, 8);
	for (uint64_t i = 0; i < MEM_SIZE / (2 * MiB); i++) {
		uint64_t pde = i * 2 * MiB | 0x83;
		memcpy(mem + PML4_AT + 0x2000 + i * 8, &pde, 8);
	}
	cpu.entry_mode = 64;
	cpu.cr0 = 0x80000011;
	cpu.cr3 = PML4_AT;
	cpu.cr4 = CR4_PAE;
	cpu.efer = EFER_LME | EFER_LMA;
	cpu.rflags = 0x2 | EFLAGS_IF;
	cpu.desc[SEG_CS][0] = DESC_CODE64;
	env.image.mb2_efi = (struct probe_efi_call){ PROBE_EFI_CALLED, SYSTAB_AT,
						     EFI_STATUS_SUCCESS };
}

static unsigned run_efi64(void (*mutate)(void))
{
	setup_efi64();
	if (mutate)
		mutate();
	return run();
}

TEST(mb2_efi64_valid_passes)
{
	unsigned failed = run_efi64(NULL);
	if (failed || !has_line("RESULT PASS")) {
		fputs(out, stdout);
		FAIL("%u checks failed (report above)", failed);
	}
	CHECK(has_line("FIELD entry=64"));
	CHECK(has_line("CHECK efi_systab ok"));
	CHECK(has_line("CHECK efi_bs_tag ok"));
	CHECK(has_line("CHECK efi_image_handle ok"));
	CHECK(has_line("CHECK efi_conout ok"));
	CHECK(has_line("CHECK identity_mbi ok"));
	CHECK(has_prefix("FIELD module1_cmdline=second crc32="));
}

static void efi_no_bs(void) { *U32(off_efi_bs) = 30; }
static void efi_no_ih(void) { memset(mem + MBI_AT + off_efi_ih + 8, 0, 8); }
static void efi_signature(void) { mem[SYSTAB_AT] ^= 1; }
static void efi_no_conout(void) { env.image.mb2_efi.stage = PROBE_EFI_NO_CONOUT; }
static void efi_not_entered(void) { env.image.mb2_efi.stage = PROBE_EFI_NONE; }
static void efi_status(void) { env.image.mb2_efi.status = 0x8000000000000007ull; }
static void efi_systab_other(void) { env.image.mb2_efi.systab = SYSTAB_AT + 0x1000; }
static void efi_mbi_high(void) { cpu.rbx = (1ull << 32) + MBI_AT; }
static void efi_if_clear(void) { cpu.rflags &= ~(uint64_t)EFLAGS_IF; }
static void efi_df_set(void) { cpu.rflags |= EFLAGS_DF; }
static void efi_cs32(void) { cpu.desc[SEG_CS][0] = DESC_CODE32; }
static void efi_paging_off(void) { cpu.cr0 &= ~(uint64_t)CR0_PG; }
static void efi_not_long(void) { cpu.efer &= ~(uint64_t)EFER_LMA; }
static void efi_mbi_unmapped(void) { memset(mem + PML4_AT + 0x2000, 0, 8); }
static void efi_magic(void) { cpu.rax = 0; }

TEST(mb2_efi64_each_broken_field_fails)
{
	static const struct {
		const char *name;
		void (*mutate)(void);
		const char *check;
	} cases[] = {
		{ "no boot services tag", efi_no_bs, "efi_bs_tag" },
		{ "image handle 0", efi_no_ih, "efi_image_handle" },
		{ "system table signature", efi_signature, "efi_systab" },
		{ "ConOut NULL", efi_no_conout, "efi_conout" },
		{ "stub did not run", efi_not_entered, "efi_conout" },
		{ "OutputString failed", efi_status, "efi_conout" },
		{ "stub saw another table", efi_systab_other, "efi_systab_same" },
		{ "MBI above 4 GiB", efi_mbi_high, "mbi" },
		{ "IF clear", efi_if_clear, "eflags_if" },
		{ "DF set", efi_df_set, "eflags_df" },
		{ "CS 32-bit", efi_cs32, "seg_cs" },
		{ "paging off", efi_paging_off, "cr0" },
		{ "not long mode", efi_not_long, "long_mode" },
		{ "MBI not mapped", efi_mbi_unmapped, "identity_mbi" },
		{ "magic", efi_magic, "magic" },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		char prefix[64];
		unsigned failed = run_efi64(cases[i].mutate);
		snprintf(prefix, sizeof(prefix), "CHECK %s FAIL ", cases[i].check);
		if (!failed || !has_prefix(prefix)) {
			fputs(out, stdout);
			FAIL("%s: no '%s' line (report above)", cases[i].name, prefix);
		}
	}
}

/* The i386 entry comes after ExitBootServices: no tag may say otherwise. */
TEST(mb2_i386_entry_with_bs_tag_fails)
{
	setup_efi64();
	cpu.entry_mode = 32;
	cpu.cr0 = 0x11;
	cpu.cr4 = 0;
	cpu.efer = 0;
	cpu.rflags = 0x2;
	cpu.desc[SEG_CS][0] = DESC_CODE32;
	env.image.mb2_efi.stage = PROBE_EFI_NONE;
	unsigned failed = run();
	if (!failed || !has_prefix("CHECK efi_bs_tag_absent FAIL ")) {
		fputs(out, stdout);
		FAIL("no 'CHECK efi_bs_tag_absent FAIL' (report above)");
	}
	CHECK(failed == 1);
	CHECK(has_line("CHECK efi_systab ok"));
}

int main(void)
{
	RUN(mb2_valid_passes);
	RUN(mb2_each_broken_field_fails);
	RUN(mb2_efi64_valid_passes);
	RUN(mb2_efi64_each_broken_field_fails);
	RUN(mb2_i386_entry_with_bs_tag_fails);
	free(mem);
	return test_summary();
}
