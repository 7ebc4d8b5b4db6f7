/* SPDX-License-Identifier: MIT */
/*
 * The format planners against given memory maps, without a machine: every
 * chunk's destination, the entry state and every field of the boot
 * structure each format hands over (hvm_start_info, multiboot_info,
 * boot_params), read back from the plan's own sources. Then refusals: a
 * hundred refused kernels in a row leave the heap and the page allocator
 * exactly as they were.
 */
#include <stdlib.h>
#include <string.h>

#include "../../core/crc32.h"
#include "../../core/decompress.h"
#include "../../core/errno.h"
#include "../../core/pagealloc.h"
#include "../../include/abi/start_info.h"
#include "../../loaders/kernel.h"
#include "../fuzz/testimg.h"
#include "test.h"

/* From the ASan runtime every unit test links (gcc ships no header for it). */
size_t __sanitizer_get_current_allocated_bytes(void);

#define MiB (1ull << 20)
#define RSDP 0xf59d0ull

static struct boot_plan plan;
static struct memmap kmap;
static struct test_elf_layout lay;

/* A QEMU-like guest of @mib MiB with the loader at 1 MiB, plus @holes reserved ranges. */
static void machine(uint64_t mib, const struct mem_range *holes, unsigned nr_holes)
{
	static struct memmap fw;
	memmap_init(&fw);
	memmap_add(&fw, 0, 0x9fc00, E820_RAM);
	memmap_add(&fw, 0x9fc00, 0x400, E820_RESERVED);
	memmap_add(&fw, 0xf0000, 0x10000, E820_RESERVED);
	memmap_add(&fw, MiB, (mib << 20) - MiB, E820_RAM);
	memmap_add(&fw, 0xfeffc000, 0x4000, E820_RESERVED);
	for (unsigned i = 0; i < nr_holes; i++)
		memmap_set(&fw, holes[i].addr, holes[i].size, holes[i].type);
	CHECK(!memmap_normalize(&fw));
	CHECK(!pagealloc_init(&fw));
	CHECK(!pagealloc_reserve(MiB, 0x80000, MEM_LOADER));
}

static const struct boot_env kvm_env = {
	.platform = PLATFORM_KVM_PVH, .simulated = true, .rsdp = RSDP, .legacy_pc = true,
};

static const struct boot_env xen_env = {
	.platform = PLATFORM_XEN_PVH, .simulated = true, .rsdp = RSDP, .pvh_entry_preferred = true,
};

static const struct plan_chunk *chunk(const char *what)
{
	for (unsigned i = 0; i < plan.nr_chunks; i++)
		if (!strcmp(plan.chunks[i].what, what))
			return &plan.chunks[i];
	FAIL("no chunk \"%s\"", what);
}

/* The source bytes that will be at physical @addr, inside chunk @c. */
static const void *at(const struct plan_chunk *c, uint64_t addr, uint64_t len)
{
	if (addr < c->dest || addr - c->dest > c->len || len > c->len - (addr - c->dest))
		FAIL("0x%llx+%llu outside chunk %s", (unsigned long long)addr,
		     (unsigned long long)len, c->what);
	return (const uint8_t *)c->src + (addr - c->dest);
}

static void check_no_overlaps(void)
{
	for (unsigned i = 0; i < plan.nr_chunks; i++)
		for (unsigned j = i + 1; j < plan.nr_chunks; j++) {
			const struct plan_chunk *a = &plan.chunks[i], *b = &plan.chunks[j];
			uint64_t ae = a->dest + a->len + a->zero, be = b->dest + b->len + b->zero;
			if (a->dest < be && b->dest < ae)
				FAIL("chunks %s and %s overlap", a->what, b->what);
		}
}

/* @n entries of @stride bytes equal the kernel's map from its entry 0 on. */
static void check_memmap_is_kernel_map(const void *entries, unsigned n, size_t stride,
				       size_t addr_off, size_t size_off, size_t type_off)
{
	CHECK(!plan_memmap(&kmap));
	CHECK(n <= kmap.count);
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *e = (const uint8_t *)entries + i * stride;
		CHECK_EQ_U64(get_le64(e + addr_off), kmap.r[i].addr);
		CHECK_EQ_U64(get_le64(e + size_off), kmap.r[i].size);
		CHECK_EQ_U64(get_le32(e + type_off), kmap.r[i].type);
	}
}

static void request(struct boot_request *r, const struct tbuf *k, const char *cmdline)
{
	*r = (struct boot_request){ .name = "kernel", .kernel = k->p, .kernel_size = k->len,
				    .cmdline = cmdline };
}

static void add_module(struct boot_request *r, const void *data, size_t size, const char *cmd)
{
	r->modules[r->nr_modules++] = (struct boot_module){ data, size, cmd, "mod" };
}

/* ---- PVH ---- */

struct pvh_case {
	const char *name;
	uint64_t mib;
	struct mem_range hole; /* size 0: none */
	unsigned nr_modules;
	int want_rc;
};

static void pvh_case(const struct pvh_case *c)
{
	static uint8_t mod_a[5000], mod_b[3];
	struct tbuf k = build_pvh_elf(ELFCLASS64, 4, NOTES_SEGMENT, &lay);
	struct boot_request r;
	machine(c->mib, &c->hole, c->hole.size ? 1 : 0);
	request(&r, &k, "console=ttyS0 pvh");
	if (c->nr_modules > 0)
		add_module(&r, mod_a, sizeof(mod_a), "first");
	if (c->nr_modules > 1)
		add_module(&r, mod_b, sizeof(mod_b), "");
	int rc = kernel_plan(&kvm_env, &r, &plan);
	CHECK_EQ_INT(rc, c->want_rc);
	if (rc) {
		CHECK_EQ_INT(plan.nr_chunks, 0);
		CHECK_EQ_INT(pagealloc_nr_claims(), 0);
		tbuf_free(&k);
		return;
	}
	CHECK_EQ_INT(plan.format, KERNEL_PVH);
	CHECK_EQ_INT(plan.mode, ENTRY_PM32);
	CHECK_EQ_U64(plan.entry, 0x100010);
	CHECK_EQ_U64(plan.eax, 0);
	CHECK_EQ_U64(plan.esi, 0);
	/* Segments where the ELF asks, with their bss zeroed. */
	const struct plan_chunk *s0 = chunk("segment 0"), *s1 = chunk("segment 1");
	CHECK_EQ_U64(s0->dest, 0x100000);
	CHECK_EQ_U64(s0->len, 0x100);
	CHECK_EQ_U64(s0->zero, 0x2000 - 0x100);
	CHECK_EQ_U64(s1->dest, 0x400000);
	CHECK_EQ_U64(s1->len, 0x40);
	CHECK_EQ_U64(s1->zero, 0);

	const struct plan_chunk *info = chunk("start_info");
	CHECK_EQ_U64(plan.ebx, info->dest);
	CHECK_EQ_U64(info->dest % 4096, 0);
	const struct hvm_start_info *si = at(info, info->dest, sizeof(*si));
	CHECK_EQ_U64(si->magic, HVM_START_MAGIC);
	CHECK_EQ_U64(si->version, 1);
	CHECK_EQ_U64(si->flags, 0);
	CHECK_EQ_U64(si->rsdp_paddr, RSDP);
	CHECK(!strcmp(at(info, si->cmdline_paddr, 18), "console=ttyS0 pvh"));
	CHECK_EQ_U64(si->nr_modules, c->nr_modules);
	if (c->nr_modules) {
		const struct hvm_modlist_entry *m =
			at(info, si->modlist_paddr, c->nr_modules * sizeof(*m));
		CHECK_EQ_U64(m[0].paddr, chunk("module 0")->dest);
		CHECK_EQ_U64(m[0].size, sizeof(mod_a));
		CHECK_EQ_U64(m[0].paddr % 4096, 0);
		CHECK(!strcmp(at(info, m[0].cmdline_paddr, 6), "first"));
		CHECK(chunk("module 0")->src == mod_a);
		if (c->nr_modules > 1) {
			CHECK_EQ_U64(m[1].size, 3);
			CHECK(!strcmp(at(info, m[1].cmdline_paddr, 1), ""));
		}
	} else {
		CHECK_EQ_U64(si->modlist_paddr, 0);
	}
	check_memmap_is_kernel_map(at(info, si->memmap_paddr, si->memmap_entries * 24),
				   si->memmap_entries, 24, 0, 8, 16);
	CHECK_EQ_INT(si->memmap_entries, kmap.count);
	check_no_overlaps();
	plan_release(&plan);
	tbuf_free(&k);
}

TEST(pvh_plans)
{
	static const struct pvh_case cases[] = {
		{ "no modules", 1024, { 0 }, 0, 0 },
		{ "two modules", 1024, { 0 }, 2, 0 },
		{ "small guest", 16, { 0 }, 2, 0 },
		/* The second segment asks for 4 MiB, which firmware holds here. */
		{ "segment over firmware", 1024, { 0x400000, 0x1000, E820_RESERVED }, 0, -EBUSY },
		{ "segment past RAM", 4, { 0 }, 0, -EBUSY },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		fprintf(stderr, "pvh case: %s\n", cases[i].name);
		pvh_case(&cases[i]);
	}
}

/* A PVH ELF64 with the given loads and, when @reloc_align, a PHYS32_RELOC note. */
static struct tbuf pvh_elf(const struct test_load *loads, unsigned n, uint32_t reloc_align,
			   uint32_t reloc_min)
{
	struct tbuf notes = { 0 };
	note_add_u32(&notes, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)loads[0].paddr);
	if (reloc_align) {
		uint32_t desc[3] = { reloc_align, reloc_min, 0xffffffff };
		note_add(&notes, "Xen", XEN_ELFNOTE_PHYS32_RELOC, desc, sizeof(desc));
	}
	struct test_elf spec = { .elf_class = ELFCLASS64, .entry = loads[0].vaddr,
				 .nr_loads = n, .notes = &notes, .place = NOTES_SEGMENT };
	memcpy(spec.loads, loads, n * sizeof(*loads));
	struct tbuf b = build_elf(&spec, &lay);
	tbuf_free(&notes);
	return b;
}

/* Segments that meet inside a page (text ending mid-page, data right after) load. */
TEST(pvh_segments_share_a_page)
{
	static const struct test_load meet[] = {
		{ 0x200000, 0x200000, 0x1800, 0x1000, 0x1800 },
		{ 0x201800, 0x201800, 0x1000, 0x1000, 0x200 },
	};
	static const struct test_load overlap[] = {
		{ 0x200000, 0x200000, 0x1800, 0x1000, 0x1800 },
		{ 0x2017ff, 0x2017ff, 0x1000, 0x1000, 0x200 },
	};
	struct boot_request r;
	machine(64, NULL, 0);
	struct tbuf k = pvh_elf(meet, 2, 0, 0);
	request(&r, &k, "");
	CHECK_EQ_INT(kernel_plan(&kvm_env, &r, &plan), 0);
	CHECK_EQ_U64(chunk("segment 1")->dest, 0x201800);
	check_no_overlaps();
	plan_release(&plan);
	tbuf_free(&k);
	/* One byte shared is one byte too many. */
	k = pvh_elf(overlap, 2, 0, 0);
	request(&r, &k, "");
	CHECK_EQ_INT(kernel_plan(&kvm_env, &r, &plan), -EBUSY);
	tbuf_free(&k);
}

/* Found by fuzz_plan: an empty segment inside another places nothing. */
TEST(pvh_empty_segment)
{
	static const struct test_load segs[] = {
		{ 0x200000, 0x200000, 0x3000, 0x1000, 0x100 },
		{ 0x201000, 0x201000, 0, 0x1000, 0 },
	};
	struct boot_request r;
	machine(64, NULL, 0);
	struct tbuf k = pvh_elf(segs, 2, 0, 0);
	request(&r, &k, "");
	CHECK_EQ_INT(kernel_plan(&kvm_env, &r, &plan), 0);
	for (unsigned i = 0; i < plan.nr_chunks; i++)
		CHECK(plan.chunks[i].len + plan.chunks[i].zero > 0);
	check_no_overlaps();
	plan_release(&plan);
	tbuf_free(&k);
}

/*
 * PHYS32_RELOC with a one-byte alignment: the search for a place is bounded
 * by the memory map, not by 4 GiB / alignment steps, and finds the lowest.
 */
TEST(pvh_reloc_tiny_alignment)
{
	static const struct test_load seg[] = { { 0x2000000, 0x2000000, 0x3000, 0x1000, 0x100 } };
	/*
	 * The asked-for address is firmware's; RAM resumes at 1000 MiB + 0x123:
	 * a byte-by-byte search would take 10^9 steps to get there.
	 */
	static const struct mem_range hole = { 31 * MiB, 969 * MiB + 0x123, E820_RESERVED };
	machine(1024, &hole, 1);
	struct tbuf k = pvh_elf(seg, 1, 1, 0x2000000);
	struct boot_request r;
	request(&r, &k, "");
	CHECK_EQ_INT(kernel_plan(&kvm_env, &r, &plan), 0);
	/* Page granularity of the map: the first free page after the hole. */
	CHECK_EQ_U64(chunk("segment 0")->dest, 1000 * MiB + 0x1000);
	CHECK_EQ_U64(plan.entry, 1000 * MiB + 0x1000);
	plan_release(&plan);
	tbuf_free(&k);
}

/*
 * Found by fuzz_plan: an image relocated down from high memory whose entry
 * lies below it; the entry would wrap past zero. Refused instead.
 */
TEST(pvh_reloc_entry_outside_4g)
{
	static const struct test_load seg[] = { { 0xfee00000, 0xfee00000, 0x3000, 0x1000, 0x100 } };
	machine(1024, NULL, 0);
	struct tbuf notes = { 0 };
	uint32_t desc[3] = { 0x200000, 0x1000000, 0xffffffff };
	note_add_u32(&notes, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, 0x100);
	note_add(&notes, "Xen", XEN_ELFNOTE_PHYS32_RELOC, desc, sizeof(desc));
	struct test_elf spec = { .elf_class = ELFCLASS64, .entry = 0x100, .nr_loads = 1,
				 .notes = &notes, .place = NOTES_SEGMENT };
	spec.loads[0] = seg[0];
	struct tbuf k = build_elf(&spec, &lay);
	struct boot_request r;
	request(&r, &k, "");
	CHECK_EQ_INT(kernel_plan(&kvm_env, &r, &plan), -ENOEXEC);
	CHECK_EQ_INT(pagealloc_nr_claims(), 0);
	tbuf_free(&k);
	tbuf_free(&notes);
}

/* ---- multiboot1 ---- */

TEST(mb1_plan_fields)
{
	static uint8_t mod[4097];
	struct tbuf k = build_mb1(0x3000, 0x40, MB1_PAGE_ALIGN | MB1_MEMORY_INFO | MB1_AOUT_KLUDGE,
				  0x200000);
	struct boot_request r;
	machine(512, NULL, 0);
	request(&r, &k, "x=1");
	add_module(&r, mod, sizeof(mod), "modarg");
	CHECK_EQ_INT(kernel_plan(&kvm_env, &r, &plan), 0);
	CHECK_EQ_INT(plan.format, KERNEL_MULTIBOOT1);
	CHECK_EQ_INT(plan.mode, ENTRY_PM32);
	CHECK_EQ_U64(plan.eax, MB1_BOOT_MAGIC);
	CHECK(plan.needs.bios_data_area);
	CHECK(!plan.needs.efi_memmap_size);
	const struct plan_chunk *img = &plan.chunks[0];
	CHECK_EQ_U64(img->dest, 0x200000);
	CHECK_EQ_U64(img->len, 0x3000);
	CHECK_EQ_U64(img->zero, 0x1000);

	const struct plan_chunk *info = chunk("multiboot_info");
	CHECK_EQ_U64(plan.ebx, info->dest);
	const struct mb1_info *mbi = at(info, info->dest, sizeof(*mbi));
	CHECK_EQ_U64(mbi->flags, MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS |
					 MB1_INFO_MEM_MAP | MB1_INFO_BOOT_LOADER_NAME);
	CHECK_EQ_U64(mbi->mem_lower, 0x9fc00 >> 10);
	CHECK_EQ_U64(mbi->mem_upper, (512 * MiB - MiB) >> 10);
	CHECK(!strcmp(at(info, mbi->cmdline, 11), "kernel x=1"));
	CHECK(!strcmp(at(info, mbi->boot_loader_name, 8), "pvhboot"));
	CHECK_EQ_U64(mbi->mods_count, 1);
	const struct mb1_module *m = at(info, mbi->mods_addr, sizeof(*m));
	CHECK_EQ_U64(m->mod_start, chunk("module 0")->dest);
	CHECK_EQ_U64(m->mod_start % 4096, 0);
	CHECK_EQ_U64(m->mod_end - m->mod_start, sizeof(mod));
	CHECK(!strcmp(at(info, m->string, 11), "mod modarg"));
	/* mmap: 20-byte entries, each preceded by its size field. */
	CHECK_EQ_U64(mbi->mmap_length % 24, 0);
	const uint8_t *mm = at(info, mbi->mmap_addr, mbi->mmap_length);
	for (unsigned i = 0; i < mbi->mmap_length / 24; i++)
		CHECK_EQ_U64(get_le32(mm + 24 * i), 20);
	check_memmap_is_kernel_map(mm, mbi->mmap_length / 24, 24, 4, 12, 20);
	CHECK_EQ_INT(mbi->mmap_length / 24, kmap.count);
	check_no_overlaps();
	plan_release(&plan);
	tbuf_free(&k);
}

/* ---- Linux ---- */

struct linux_case {
	const char *name;
	uint64_t mib;
	struct mem_range hole;
	unsigned nr_initrds;
	bool efi;
	unsigned extra_e820; /* reserved single pages, for SETUP_E820_EXT */
	uint64_t want_load;
	int want_rc;
};

static void linux_case(const struct linux_case *c)
{
	static uint8_t rd_a[10001], rd_b[77];
	struct tbuf k = build_bzimage(0x020f, 0, 0x10000, NULL, 0, 0);
	struct boot_request r;
	struct boot_env env = kvm_env;
	static struct mem_range holes[200];
	unsigned n = 0;
	if (c->hole.size)
		holes[n++] = c->hole;
	for (unsigned i = 0; i < c->extra_e820; i++)
		holes[n++] = (struct mem_range){ 0x10000000 + i * 0x10000, 0x1000, E820_RESERVED };
	machine(c->mib, holes, n);
	if (c->efi) {
		env.platform = PLATFORM_EFI;
		env.pvh_entry_preferred = false;
		env.efi_systab = 0x7f000000;
		env.efi_memmap = 0x7e000000;
		env.efi_memdesc_size = 48;
		env.efi_memdesc_version = 1;
	}
	request(&r, &k, "root=/dev/vda ro");
	memset(rd_a, 0xa5, sizeof(rd_a));
	memset(rd_b, 0x5a, sizeof(rd_b));
	if (c->nr_initrds > 0)
		add_module(&r, rd_a, sizeof(rd_a), "");
	if (c->nr_initrds > 1)
		add_module(&r, rd_b, sizeof(rd_b), "");
	int rc = kernel_plan(&env, &r, &plan);
	CHECK_EQ_INT(rc, c->want_rc);
	if (rc) {
		CHECK_EQ_INT(plan.nr_chunks, 0);
		CHECK_EQ_INT(pagealloc_nr_claims(), 0);
		tbuf_free(&k);
		return;
	}
	CHECK_EQ_INT(plan.format, KERNEL_LINUX);
	CHECK_EQ_INT(plan.mode, ENTRY_LONG64);
	const struct plan_chunk *kern = chunk("kernel");
	CHECK_EQ_U64(kern->dest, c->want_load);
	CHECK_EQ_U64(plan.entry, c->want_load + 0x200);
	CHECK_EQ_U64(kern->len, 0x10000);
	CHECK_EQ_U64(kern->len + kern->zero, 0x40000); /* init_size */

	const struct plan_chunk *bpc = chunk("boot_params");
	CHECK_EQ_U64(plan.esi, bpc->dest);
	CHECK_EQ_U64(plan.ebx, 0);
	const struct boot_params *bp = at(bpc, bpc->dest, sizeof(*bp));
	/* The setup header as the file has it, but for what the loader fills in. */
	CHECK_EQ_U64(bp->hdr.version, 0x020f);
	CHECK_EQ_U64(bp->hdr.type_of_loader, BOOT_LOADER_TYPE_UNDEFINED);
	CHECK_EQ_U64(bp->hdr.code32_start, c->want_load);
	CHECK_EQ_U64(bp->acpi_rsdp_addr, RSDP);
	/* setup_sects to kernel_version: the stretch the loader never changes. */
	CHECK(!memcmp((const uint8_t *)bp + SETUP_HEADER_OFFSET, k.p + SETUP_HEADER_OFFSET,
		      0x1f));
	uint64_t cmd = bp->hdr.cmd_line_ptr | (uint64_t)bp->ext_cmd_line_ptr << 32;
	CHECK(!strcmp(at(chunk("cmdline"), cmd, 17), "root=/dev/vda ro"));
	uint64_t rd = bp->hdr.ramdisk_image | (uint64_t)bp->ext_ramdisk_image << 32;
	uint64_t rd_size = bp->hdr.ramdisk_size | (uint64_t)bp->ext_ramdisk_size << 32;
	if (c->nr_initrds) {
		const struct plan_chunk *ic = chunk("initrd");
		CHECK_EQ_U64(rd, ic->dest);
		CHECK_EQ_U64(rd % 4096, 0);
		/* Concatenated, each 4-byte aligned: the second starts at 10004. */
		CHECK_EQ_U64(rd_size, c->nr_initrds == 1 ? sizeof(rd_a) : 10004 + sizeof(rd_b));
		const uint8_t *bytes = at(ic, rd, rd_size);
		CHECK(!memcmp(bytes, rd_a, sizeof(rd_a)));
		if (c->nr_initrds > 1) {
			CHECK(!memcmp(bytes + 10004, rd_b, sizeof(rd_b)));
			CHECK(bytes[10001] == 0 && bytes[10003] == 0);
		}
	} else {
		CHECK_EQ_U64(rd, 0);
		CHECK_EQ_U64(rd_size, 0);
	}
	CHECK(!plan_memmap(&kmap));
	unsigned in_bp = kmap.count < BOOT_E820_MAX ? kmap.count : BOOT_E820_MAX;
	CHECK_EQ_U64(bp->e820_entries, in_bp);
	check_memmap_is_kernel_map(bp->e820_table, in_bp, sizeof(struct e820_entry), 0, 8, 16);
	if (kmap.count > BOOT_E820_MAX) {
		const struct plan_chunk *sdc = chunk("setup_data e820");
		CHECK_EQ_U64(bp->hdr.setup_data, sdc->dest);
		const struct setup_data *sd = at(sdc, sdc->dest, sizeof(*sd));
		CHECK_EQ_U64(sd->type, SETUP_E820_EXT);
		CHECK_EQ_U64(sd->next, 0);
		CHECK_EQ_U64(sd->len, (kmap.count - BOOT_E820_MAX) * sizeof(struct e820_entry));
		const struct e820_entry *e = (const void *)sd->data;
		for (unsigned i = BOOT_E820_MAX; i < kmap.count; i++)
			CHECK_EQ_U64(e[i - BOOT_E820_MAX].addr, kmap.r[i].addr);
	} else {
		CHECK_EQ_U64(bp->hdr.setup_data, 0);
	}
	if (c->efi) {
		CHECK_EQ_U64(bp->efi_info.efi_loader_signature, EFI64_LOADER_SIGNATURE);
		CHECK_EQ_U64(bp->efi_info.efi_systab, 0x7f000000);
		CHECK_EQ_U64(bp->efi_info.efi_memmap, 0x7e000000);
		CHECK_EQ_U64(bp->efi_info.efi_memdesc_size, 48);
		/* The late slot is the efi_memmap_size field of this very source. */
		CHECK(plan.needs.efi_memmap_size ==
		      (const uint8_t *)bp + offsetof(struct boot_params, efi_info) +
			      offsetof(struct efi_info, efi_memmap_size));
	} else {
		CHECK_EQ_U64(bp->efi_info.efi_loader_signature, 0);
		CHECK(!plan.needs.efi_memmap_size);
	}
	CHECK(!plan.needs.bios_data_area);
	check_no_overlaps();
	plan_release(&plan);
	tbuf_free(&k);
}

TEST(linux_plans)
{
	static const struct linux_case cases[] = {
		{ "pref_address", 1024, { 0 }, 1, false, 0, 0x1000000, 0 },
		{ "two initrds joined", 1024, { 0 }, 2, false, 0, 0x1000000, 0 },
		{ "no initrd", 1024, { 0 }, 0, false, 0, 0x1000000, 0 },
		{ "efi_info", 1024, { 0 }, 1, true, 0, 0x1000000, 0 },
		/* pref_address taken: the lowest 2 MiB-aligned free place. */
		{ "relocated", 1024, { 0x1000000, 0x1000, E820_RESERVED }, 1, false, 0,
		  0x200000, 0 },
		{ "e820 past 128 entries", 1024, { 0 }, 1, false, 70, 0x1000000, 0 },
		{ "no room for the kernel", 2, { 0 }, 0, false, 0, 0, -ENOMEM },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		fprintf(stderr, "linux case: %s\n", cases[i].name);
		linux_case(&cases[i]);
	}
}

/*
 * Found by fuzz_plan's campaign (a 25 s timeout): a relocatable kernel that
 * asks for a one-byte alignment, its preferred address taken, was searched
 * for byte by byte up to 4 GiB. The candidates are the map's ranges now.
 */
TEST(linux_reloc_tiny_alignment)
{
	/* Firmware's from just past the loader (at 1 MiB) to 1000 MiB + 0x123. */
	static const struct mem_range hole = { 0x180000, 1000 * MiB + 0x123 - 0x180000,
					       E820_RESERVED };
	struct tbuf k = build_bzimage(0x020f, 0, 0x10000, NULL, 0, 0);
	struct boot_request r;
	machine(1024, &hole, 1);
	/* 1 MiB: more than the loader's pages before the hole. */
	put_le32_at(&k, SETUP_HEADER_OFFSET + offsetof(struct setup_header, init_size), MiB);
	put_le32_at(&k, SETUP_HEADER_OFFSET + offsetof(struct setup_header, kernel_alignment), 1);
	k.p[SETUP_HEADER_OFFSET + offsetof(struct setup_header, relocatable_kernel)] = 1;
	request(&r, &k, "");
	CHECK_EQ_INT(kernel_plan(&kvm_env, &r, &plan), 0);
	/* Page granularity of the map: the first free page after the hole. */
	CHECK_EQ_U64(chunk("kernel")->dest, 1000 * MiB + 0x1000);
	plan_release(&plan);
	tbuf_free(&k);
}

/* A bzImage whose setup says it has no 32-bit entry (iPXE's lkrn) is refused. */
TEST(linux_real_mode_only)
{
	struct tbuf k = build_bzimage(0x0207, 0, 0x10000, NULL, 0, 0);
	struct boot_request r;
	machine(1024, NULL, 0);
	put_le32_at(&k, SETUP_HEADER_OFFSET + offsetof(struct setup_header, code32_start), 0);
	k.p[SETUP_HEADER_OFFSET + offsetof(struct setup_header, xloadflags)] = 0;
	request(&r, &k, "");
	CHECK_EQ_INT(kernel_plan(&kvm_env, &r, &plan), -EOPNOTSUPP);
	/* The same header with the default entry boots. */
	put_le32_at(&k, SETUP_HEADER_OFFSET + offsetof(struct setup_header, code32_start),
		    0x100000);
	CHECK_EQ_INT(kernel_plan(&kvm_env, &r, &plan), 0);
	CHECK_EQ_INT(plan.mode, ENTRY_PM32);
	plan_release(&plan);
	tbuf_free(&k);
}

/* ---- refusals give everything back ---- */

/* A refused kernel of each kind, after the planner allocated what it could. */
static int refuse_once(unsigned kind, const struct tbuf *pvh_gz, const struct tbuf *bz,
		       const struct tbuf *mb1)
{
	static uint8_t big[600 * 1024];
	struct boot_request r;
	switch (kind) {
	case 0: /* inflated, then a segment lands on firmware memory */
		request(&r, pvh_gz, "");
		break;
	case 1: /* boot_params and joined initrds built, then no room below initrd_addr_max */
		request(&r, bz, "x");
		add_module(&r, big, sizeof(big), "");
		add_module(&r, big, sizeof(big), "");
		break;
	default:
		/*
		 * Modules placed, then multiboot_info finds no room: the three
		 * fill the 8 MiB machine's free RAM exactly (0x401000-0x800000,
		 * 0x204000-0x400000, 0x180000-0x200000). The planner never
		 * reads module bytes, so their sizes may exceed the buffer.
		 */
		request(&r, mb1, "y");
		add_module(&r, big, 0x3ff000, "");
		add_module(&r, big, 0x1fc000, "");
		add_module(&r, big, 0x80000, "");
		break;
	}
	return kernel_plan(&kvm_env, &r, &plan);
}

/* @in as a gzip stream of one "stored" block: valid without a compressor. */
static struct tbuf gzip_stored(const struct tbuf *in)
{
	static const uint8_t hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	struct tbuf gz = { 0 };
	CHECK(in->len <= 0xffff);
	gz.p = malloc(in->len + 64);
	CHECK(gz.p);
	memcpy(gz.p, hdr, 10);
	size_t o = 10;
	gz.p[o++] = 1; /* final stored block */
	gz.p[o++] = (uint8_t)in->len;
	gz.p[o++] = (uint8_t)(in->len >> 8);
	gz.p[o++] = (uint8_t)~in->len;
	gz.p[o++] = (uint8_t)(~in->len >> 8);
	memcpy(gz.p + o, in->p, in->len);
	o += in->len;
	uint32_t crc = crc32_update(0, in->p, in->len);
	for (unsigned i = 0; i < 4; i++)
		gz.p[o++] = (uint8_t)(crc >> (8 * i));
	for (unsigned i = 0; i < 4; i++)
		gz.p[o++] = (uint8_t)(in->len >> (8 * i));
	gz.len = o;
	return gz;
}

/*
 * A bzImage whose payload is a PVH ELF: its PVH entry in a Xen PVH domain,
 * boot_params on a KVM VMM, and either one when the entry's protocol says.
 */
TEST(bzimage_pvh_payload_entry_by_platform)
{
	struct tbuf elf = build_pvh_elf(ELFCLASS64, 4, NOTES_SEGMENT, &lay);
	struct tbuf gz = gzip_stored(&elf);
	struct tbuf bz = build_bzimage(0x020f, 0, 0x20000, gz.p, gz.len, 0x1000);
	bz.p[SETUP_HEADER_OFFSET + offsetof(struct setup_header, xloadflags)] = XLF_KERNEL_64;
	static const struct {
		const struct boot_env *env;
		enum kernel_format asked, want;
	} cases[] = {
		{ &xen_env, KERNEL_UNKNOWN, KERNEL_PVH },   { &kvm_env, KERNEL_UNKNOWN, KERNEL_LINUX },
		{ &kvm_env, KERNEL_PVH, KERNEL_PVH },       { &xen_env, KERNEL_LINUX, KERNEL_LINUX },
		{ &kvm_env, KERNEL_LINUX, KERNEL_LINUX },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct boot_request r;
		machine(256, NULL, 0);
		request(&r, &bz, "x");
		r.format = cases[i].asked;
		CHECK_EQ_INT(kernel_plan(cases[i].env, &r, &plan), 0);
		CHECK_EQ_INT(plan.format, cases[i].want);
		CHECK_EQ_U64(plan.entry, cases[i].want == KERNEL_PVH ? 0x100010 : chunk("kernel")->dest + 0x200);
		plan_release(&plan);
	}
	/* Asked for the PVH entry of a bzImage without one: refused, nothing kept. */
	struct tbuf plain = build_bzimage(0x020f, 0, 0x10000, NULL, 0, 0);
	struct boot_request r;
	machine(256, NULL, 0);
	request(&r, &plain, "x");
	r.format = KERNEL_PVH;
	CHECK_EQ_INT(kernel_plan(&kvm_env, &r, &plan), -ENOEXEC);
	CHECK_EQ_INT(pagealloc_nr_claims(), 0);
	tbuf_free(&plain);
	tbuf_free(&bz);
	free(gz.p);
	tbuf_free(&elf);
}

TEST(hundred_refusals_leave_no_trace)
{
	/* The PVH ELF gzip'd, its second segment over a firmware hole. */
	struct tbuf elf = build_pvh_elf(ELFCLASS64, 4, NOTES_SEGMENT, &lay);
	struct tbuf gz = gzip_stored(&elf);

	struct tbuf bz = build_bzimage(0x020f, 0, 0x10000, NULL, 0, 0);
	/* initrd_addr_max inside the loader's own image: the joined initrds cannot fit. */
	put_le32_at(&bz, SETUP_HEADER_OFFSET + offsetof(struct setup_header, initrd_addr_max),
		    0x17ffff);
	bz.p[SETUP_HEADER_OFFSET + offsetof(struct setup_header, xloadflags)] = XLF_KERNEL_64;
	struct tbuf mb1 = build_mb1(0x3000, 0x40, MB1_PAGE_ALIGN | MB1_AOUT_KLUDGE, 0x200000);

	static const struct mem_range hole = { 0x400000, 0x1000, E820_RESERVED };
	machine(8, &hole, 1);
	/* Warm up once: first-use allocations (ASan's, the decoder's tables) are not leaks. */
	for (unsigned kind = 0; kind < 3; kind++)
		refuse_once(kind, &gz, &bz, &mb1);
	size_t heap_before = __sanitizer_get_current_allocated_bytes();
	static struct memmap map_before;
	map_before = *pagealloc_map();
	for (unsigned i = 0; i < 100; i++) {
		int rc = refuse_once(i % 3, &gz, &bz, &mb1);
		if (!rc)
			FAIL("refusal %u (kind %u) was accepted", i, i % 3);
		CHECK_EQ_INT(plan.nr_chunks, 0);
		CHECK_EQ_INT(plan.nr_owned, 0);
		CHECK_EQ_INT(pagealloc_nr_claims(), 0);
	}
	CHECK_EQ_U64(__sanitizer_get_current_allocated_bytes(), heap_before);
	const struct memmap *after = pagealloc_map();
	CHECK_EQ_INT(after->count, map_before.count);
	CHECK(!memcmp(after->r, map_before.r, after->count * sizeof(after->r[0])));
	tbuf_free(&elf);
	free(gz.p);
	tbuf_free(&bz);
	tbuf_free(&mb1);
}

/* A plan released after a success gives back its memory too. */
TEST(release_after_success)
{
	static uint8_t rd[3000];
	struct tbuf k = build_bzimage(0x020f, 0, 0x10000, NULL, 0, 0);
	struct boot_request r;
	machine(1024, NULL, 0);
	request(&r, &k, "");
	add_module(&r, rd, sizeof(rd), "");
	add_module(&r, rd, sizeof(rd), "");
	CHECK_EQ_INT(kernel_plan(&kvm_env, &r, &plan), 0);
	plan_release(&plan);
	size_t heap_before = __sanitizer_get_current_allocated_bytes();
	CHECK_EQ_INT(kernel_plan(&kvm_env, &r, &plan), 0);
	CHECK(plan.nr_owned >= 2); /* boot_params and the joined initrds */
	CHECK(pagealloc_nr_claims() > 0);
	plan_release(&plan);
	CHECK_EQ_INT(pagealloc_nr_claims(), 0);
	CHECK_EQ_U64(__sanitizer_get_current_allocated_bytes(), heap_before);
	tbuf_free(&k);
}

int main(void)
{
	RUN(pvh_plans);
	RUN(pvh_segments_share_a_page);
	RUN(pvh_empty_segment);
	RUN(pvh_reloc_tiny_alignment);
	RUN(pvh_reloc_entry_outside_4g);
	RUN(mb1_plan_fields);
	RUN(linux_plans);
	RUN(linux_reloc_tiny_alignment);
	RUN(linux_real_mode_only);
	RUN(bzimage_pvh_payload_entry_by_platform);
	RUN(hundred_refusals_leave_no_trace);
	RUN(release_after_success);
	return test_summary();
}
