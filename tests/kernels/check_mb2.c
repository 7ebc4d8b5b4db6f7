/* SPDX-License-Identifier: MIT */
/*
 * The multiboot2 probe's checks: EAX, the MBI2 and the machine state of
 * Multiboot2 Specification 2.0 §3.3 "I386 machine state" and §3.6 "Boot
 * information format". Every tag the probe's header asked for with a
 * required information request must be there; every tag that is there must
 * be well formed and agree with the others (the memory map with the basic
 * meminfo, modules and structures in RAM, RSDP copies with valid checksums).
 * Entered at the EFI amd64 entry (§3.5, mb2-efi.elf): long mode on the
 * firmware's identity map, the EFI tags, and boot services alive.
 */
#include "../../include/abi/efi_systab.h"
#include "../../include/abi/elf.h"
#include "../../include/abi/multiboot2.h"
#include "probe.h"

#define MB2_INFO_MAX (1u << 20)  /* sanity bound on total_size */
#define MB2_MAX_MODULES 64u
#define KiB 1024ull
#define MiB (1024ull * 1024)

struct mb2_tags {
	uint64_t at[MB2_TAG_MAX + 1];   /* physical address of the last tag of each type */
	uint32_t size[MB2_TAG_MAX + 1];
	unsigned count[MB2_TAG_MAX + 1];
	uint64_t module_at[MB2_MAX_MODULES];
	unsigned unknown;
};

/* Walk the tags: 8-aligned, inside total_size, ending with an 8-byte end tag. */
static bool mb2_walk(const struct probe_env *e, uint64_t mbi, uint32_t total, struct mb2_tags *t)
{
	struct report *r = e->r;
	uint32_t off = sizeof(struct mb2_info_header);

	for (unsigned n = 0; n < 4096; n++) {
		struct mb2_tag tag;
		if (total - off < sizeof(tag) || probe_read(&e->mem, mbi + off, &tag, sizeof(tag))) {
			report_check(r, "mbi_end_tag", false, "no end tag within total_size %u", total);
			return false;
		}
		if (tag.size < sizeof(tag) || tag.size > total - off) {
			report_check(r, "mbi_tag_size", false, "tag type %u at offset %u has size %u",
				     tag.type, off, tag.size);
			return false;
		}
		if (tag.type == MB2_TAG_END) {
			report_check(r, "mbi_tag_size", true, "-");
			return report_check(r, "mbi_end_tag",
					    tag.size == sizeof(tag) && off + tag.size == total,
					    "end tag of %u bytes at offset %u, total_size %u",
					    tag.size, off, total);
		}
		if (tag.type <= MB2_TAG_MAX) {
			if (tag.type == MB2_TAG_MODULE && t->count[tag.type] < MB2_MAX_MODULES)
				t->module_at[t->count[tag.type]] = mbi + off;
			t->at[tag.type] = mbi + off;
			t->size[tag.type] = tag.size;
			t->count[tag.type]++;
		} else {
			t->unknown++;
		}
		off = (uint32_t)ALIGN_UP((uint64_t)off + tag.size, MB2_TAG_ALIGN);
	}
	report_check(r, "mbi_end_tag", false, "more than 4096 tags");
	return false;
}

/* The string a tag carries after its @hdr fixed bytes: NUL-terminated inside it. */
static int tag_string(const struct probe_env *e, const char *name, uint64_t at, uint32_t size,
		      uint32_t hdr, const char **s, size_t *len)
{
	const char *p;
	if (size <= hdr || probe_map(&e->mem, at + hdr, size - hdr, (const void **)&p) ||
	    p[size - hdr - 1] != 0) {
		report_check(e->r, name, false, "tag of %u bytes: no NUL-terminated string", size);
		return -EINVAL;
	}
	size_t n = 0;
	while (p[n]) /* ends: p[size - hdr - 1] is NUL */
		n++;
	*s = p;
	*len = n;
	return 0;
}

static void mb2_mmap(const struct probe_env *e, const struct mb2_tags *t, struct probe_memmap *map)
{
	struct report *r = e->r;
	struct mb2_tag_mmap h;

	map->n = 0;
	if (!t->count[MB2_TAG_MMAP] || probe_read(&e->mem, t->at[MB2_TAG_MMAP], &h, sizeof(h)))
		return;
	if (!report_check(r, "mmap_entry_size", h.entry_size == sizeof(struct mb2_mmap_entry) &&
						       h.entry_version == MB2_MMAP_ENTRY_VERSION,
			  "entry_size %u version %u, want 24 and 0", h.entry_size, h.entry_version))
		return;
	uint32_t n = (t->size[MB2_TAG_MMAP] - (uint32_t)sizeof(h)) / h.entry_size;
	bool zero = true;
	for (uint32_t i = 0; i < n && map->n < PROBE_MAX_RANGES; i++) {
		struct mb2_mmap_entry ent;
		if (probe_read(&e->mem, t->at[MB2_TAG_MMAP] + sizeof(h) + (uint64_t)i * h.entry_size,
			       &ent, sizeof(ent)))
			break;
		zero &= ent.zero == 0;
		map->r[map->n++] = (struct probe_range){ ent.addr, ent.len, ent.type };
	}
	report_check(r, "mmap_count", map->n == n && n > 0, "%u entries, %u read", n, map->n);
	report_check(r, "mmap_reserved_zero", zero, "an entry's reserved field is not 0");
	report_field(r, "memmap_entries", "%u", map->n);
	memmap_check_order(r, map);
}

/* basic meminfo: the same RAM as the mmap, in KiB (as for multiboot1). */
static void mb2_meminfo(const struct probe_env *e, const struct mb2_tags *t,
			const struct probe_memmap *map)
{
	struct mb2_tag_basic_meminfo mi;
	struct report *r = e->r;

	if (!t->count[MB2_TAG_BASIC_MEMINFO] ||
	    probe_read(&e->mem, t->at[MB2_TAG_BASIC_MEMINFO], &mi, sizeof(mi)))
		return;
	report_field(r, "mem_lower", "%u", mi.mem_lower);
	report_field(r, "mem_upper", "%u", mi.mem_upper);
	uint64_t low_run = memmap_ram_end(map, 0) / KiB;
	report_check(r, "mem_lower", mi.mem_lower <= 640 && mi.mem_lower <= low_run,
		     "mem_lower %u KiB, the RAM from 0 is %llu KiB (at most 640)", mi.mem_lower,
		     (unsigned long long)low_run);
	uint64_t upper_run = (memmap_ram_end(map, MiB) - MiB) / KiB;
	if (upper_run > 0xffffffffull)
		upper_run = 0xffffffffull;
	report_check(r, "mem_upper", mi.mem_upper == upper_run,
		     "mem_upper %u KiB, the mmap's RAM from 1 MiB is %llu KiB", mi.mem_upper,
		     (unsigned long long)upper_run);
}

static void mb2_modules(const struct probe_env *e, const struct mb2_tags *t,
			const struct probe_memmap *map)
{
	struct report *r = e->r;
	unsigned n = t->count[MB2_TAG_MODULE];

	report_field(r, "nr_modules", "%u", n);
	for (unsigned i = 0; i < n && i < MB2_MAX_MODULES; i++) {
		struct mb2_tag_module m;
		char prefix[16], name[48];
		const char *cmd = "";
		size_t cmd_len = 0;
		uint32_t size;

		probe_snprintf(prefix, sizeof(prefix), "module%u", i);
		if (probe_read(&e->mem, t->module_at[i], &m, sizeof(m)))
			continue;
		size = m.tag.size;
		probe_snprintf(name, sizeof(name), "%s_cmdline", prefix);
		if (tag_string(e, name, t->module_at[i], size, sizeof(m), &cmd, &cmd_len) == 0)
			report_field_str(r, name, cmd, cmd_len);
		probe_snprintf(name, sizeof(name), "%s_size", prefix);
		report_field(r, name, "%u", m.mod_end - m.mod_start);
		probe_snprintf(name, sizeof(name), "%s_range", prefix);
		if (!report_check(r, name, m.mod_end > m.mod_start, "mod_start 0x%x, mod_end 0x%x",
				  m.mod_start, m.mod_end))
			continue;
		if (e->image.mb2_module_align) {
			probe_snprintf(name, sizeof(name), "%s_aligned", prefix);
			report_check(r, name, m.mod_start % MB2_MOD_ALIGN == 0,
				     "mod_start 0x%x is not page-aligned (module alignment tag)",
				     m.mod_start);
		}
		check_module(e, prefix, m.mod_start, m.mod_end - m.mod_start, cmd, cmd_len);
		probe_snprintf(name, sizeof(name), "%s_in_ram", prefix);
		memmap_check_ram(r, map, name, m.mod_start, m.mod_end - m.mod_start);
	}
}

/* ACPI old: a 20-byte ACPI 1.0 RSDP; new: the whole RSDP, `length` bytes. */
static void mb2_acpi(const struct probe_env *e, const struct mb2_tags *t)
{
	struct report *r = e->r;
	if (t->count[MB2_TAG_ACPI_OLD]) {
		const uint8_t *p;
		uint8_t sum = 0;
		bool ok = t->size[MB2_TAG_ACPI_OLD] == 8 + 20 &&
			  probe_map(&e->mem, t->at[MB2_TAG_ACPI_OLD] + 8, 20, (const void **)&p) == 0;
		for (unsigned i = 0; ok && i < 20; i++)
			sum = (uint8_t)(sum + p[i]);
		report_check(r, "acpi_old", ok && !memcmp(p, "RSD PTR ", 8) && sum == 0,
			     "tag of %u bytes: not a 20-byte RSDP with a valid checksum",
			     t->size[MB2_TAG_ACPI_OLD]);
	}
	if (t->count[MB2_TAG_ACPI_NEW]) {
		uint64_t at = t->at[MB2_TAG_ACPI_NEW] + 8;
		const uint8_t *p;
		uint32_t length = 0;
		if (probe_map(&e->mem, at, 36, (const void **)&p) == 0)
			length = get_le32(p + 20);
		report_check(r, "acpi_new_size", length >= 36 && t->size[MB2_TAG_ACPI_NEW] == 8 + length,
			     "tag of %u bytes for an RSDP of length %u", t->size[MB2_TAG_ACPI_NEW],
			     length);
		check_rsdp(e, "acpi_new", at);
	}
}

/* ELF sections: the table, and the section-name string table placed and readable. */
static void mb2_elf_sections(const struct probe_env *e, const struct mb2_tags *t)
{
	struct report *r = e->r;
	struct mb2_tag_elf_sections h;
	uint64_t at = t->at[MB2_TAG_ELF_SECTIONS];

	if (!t->count[MB2_TAG_ELF_SECTIONS] || probe_read(&e->mem, at, &h, sizeof(h)))
		return;
	report_field(r, "elf_sections", "%u of %u bytes, shndx %u", h.num, h.entsize, h.shndx);
	if (!report_check(r, "elf_sections_table",
			  h.entsize >= sizeof(struct elf32_shdr) && h.num && h.shndx < h.num &&
				  (uint64_t)h.num * h.entsize <= t->size[MB2_TAG_ELF_SECTIONS] - sizeof(h),
			  "num %u entsize %u shndx %u in a tag of %u bytes", h.num, h.entsize,
			  h.shndx, t->size[MB2_TAG_ELF_SECTIONS]))
		return;
	/* The probe is ELF32 (objcopy -O elf32-i386): 32-bit section headers. */
	struct elf32_shdr str;
	probe_read(&e->mem, at + sizeof(h) + (uint64_t)h.shndx * h.entsize, &str, sizeof(str));
	const char *names;
	bool ok = str.sh_addr && str.sh_size &&
		  probe_map(&e->mem, str.sh_addr, str.sh_size, (const void **)&names) == 0 &&
		  names[str.sh_size - 1] == 0;
	bool text = false;
	for (unsigned i = 0; ok && i < h.num; i++) {
		struct elf32_shdr s;
		probe_read(&e->mem, at + sizeof(h) + (uint64_t)i * h.entsize, &s, sizeof(s));
		if (str.sh_size >= 6 && s.sh_name <= str.sh_size - 6 && !memcmp(names + s.sh_name, ".text", 6))
			text = true;
	}
	report_check(r, "elf_sections_strtab", ok && text,
		     "section names at 0x%x (+0x%x) unreadable or without .text", str.sh_addr,
		     str.sh_size);
}

/* Every tag the header requires is there (§3.1.4). */
static void mb2_requested(const struct probe_env *e, const struct mb2_tags *t)
{
	char name[40];
	for (unsigned type = 1; type <= MB2_TAG_MAX; type++) {
		if (!(e->image.mb2_requests & (1u << type)))
			continue;
		/* Modules are requested, but there may be none: the count says. */
		if (type == MB2_TAG_MODULE)
			continue;
		probe_snprintf(name, sizeof(name), "requested_tag%u", type);
		report_check(e->r, name, t->count[type] > 0, "tag type %u was asked for, not given",
			     type);
	}
}

/* The EFI64 system table tag: a table with the "IBI SYST" signature. */
static uint64_t mb2_efi_systab(const struct probe_env *e, const struct mb2_tags *t)
{
	struct report *r = e->r;
	struct efi_table_header h;
	uint64_t systab = 0;

	if (!t->count[MB2_TAG_EFI64])
		return 0;
	bool ok = t->size[MB2_TAG_EFI64] == sizeof(struct mb2_tag) + 8 &&
		  probe_read(&e->mem, t->at[MB2_TAG_EFI64] + sizeof(struct mb2_tag), &systab,
			     sizeof(systab)) == 0;
	report_field(r, "efi_systab", "0x%llx", (unsigned long long)systab);
	ok = ok && probe_read(&e->mem, systab, &h, sizeof(h)) == 0 &&
	     h.signature == EFI_SYSTAB_SIGNATURE;
	report_check(r, "efi_systab", ok, "tag of %u bytes, table at 0x%llx: no \"IBI SYST\"",
		     t->size[MB2_TAG_EFI64], (unsigned long long)systab);
	return systab;
}

/*
 * A switch, not a table of pointers: the Linux probe links this file too,
 * and must stay free of absolute addresses.
 */
static const char *efi_stage_name(uint64_t stage)
{
	switch (stage) {
	case PROBE_EFI_NO_MBI: return "EBX is not an MBI";
	case PROBE_EFI_NO_SYSTAB: return "no EFI64 system table tag";
	case PROBE_EFI_BAD_SIGNATURE: return "the system table has no \"IBI SYST\"";
	case PROBE_EFI_NO_CONOUT: return "ConOut or OutputString is NULL";
	case PROBE_EFI_CALLED: return "OutputString failed";
	default: return "the EFI amd64 entry did not run";
	}
}

/*
 * §3.5: entered with boot services, the MBI says so (the system table, the
 * image handle, "boot services not terminated"), and the entry stub could
 * print through ConOut; entered at the i386 entry (§3.3), the loader has
 * exited boot services and must not claim otherwise.
 */
static void mb2_efi(const struct probe_env *e, const struct mb2_tags *t)
{
	const struct probe_efi_call *call = &e->image.mb2_efi;
	struct report *r = e->r;
	uint64_t systab = mb2_efi_systab(e, t);

	if (e->cpu->entry_mode != 64) {
		report_check(r, "efi_bs_tag_absent",
			     !t->count[MB2_TAG_EFI_BS] && !t->count[MB2_TAG_EFI64_IH],
			     "entered at the i386 entry with boot services tag %u, image handle "
			     "tag %u", t->count[MB2_TAG_EFI_BS], t->count[MB2_TAG_EFI64_IH]);
		return;
	}
	report_check(r, "efi_systab_tag", t->count[MB2_TAG_EFI64] == 1,
		     "%u EFI64 system table tags, want 1", t->count[MB2_TAG_EFI64]);
	report_check(r, "efi_bs_tag", t->count[MB2_TAG_EFI_BS] == 1 &&
					      t->size[MB2_TAG_EFI_BS] == sizeof(struct mb2_tag),
		     "%u boot services tags of %u bytes, want one of 8", t->count[MB2_TAG_EFI_BS],
		     t->size[MB2_TAG_EFI_BS]);
	uint64_t ih = 0;
	if (t->count[MB2_TAG_EFI64_IH] == 1 &&
	    t->size[MB2_TAG_EFI64_IH] == sizeof(struct mb2_tag) + 8)
		probe_read(&e->mem, t->at[MB2_TAG_EFI64_IH] + sizeof(struct mb2_tag), &ih,
			   sizeof(ih));
	report_field(r, "efi_image_handle", "0x%llx", (unsigned long long)ih);
	report_check(r, "efi_image_handle", ih != 0, "%u image handle tags of %u bytes",
		     t->count[MB2_TAG_EFI64_IH], t->size[MB2_TAG_EFI64_IH]);
	report_check(r, "efi_systab_same", call->systab == systab,
		     "the entry stub found 0x%llx, the checker 0x%llx",
		     (unsigned long long)call->systab, (unsigned long long)systab);
	if (call->stage == PROBE_EFI_CALLED)
		report_field(r, "efi_conout_status", "0x%llx", (unsigned long long)call->status);
	report_check(r, "efi_conout", call->stage == PROBE_EFI_CALLED &&
					      call->status == EFI_STATUS_SUCCESS,
		     "%s (stage %llu, status 0x%llx)", efi_stage_name(call->stage),
		     (unsigned long long)call->stage, (unsigned long long)call->status);
}

/* §3.5 and UEFI 2.10 §2.3.4: long mode, the firmware's identity map, IF set, DF clear. */
static void mb2_cpu64(const struct probe_env *e, uint64_t mbi, uint32_t mbi_size)
{
	const struct cpu_state *c = e->cpu;
	struct report *r = e->r;

	report_check(r, "cr0", (c->cr0 & CR0_PE) && (c->cr0 & CR0_PG), "cr0 0x%llx",
		     (unsigned long long)c->cr0);
	report_check(r, "long_mode", (c->efer & EFER_LMA) && (c->cr4 & CR4_PAE) &&
					     !(c->cr4 & CR4_LA57),
		     "efer 0x%llx cr4 0x%llx: want LMA, PAE, 4-level paging",
		     (unsigned long long)c->efer, (unsigned long long)c->cr4);
	report_check(r, "eflags_df", !(c->rflags & EFLAGS_DF), "eflags 0x%llx",
		     (unsigned long long)c->rflags);
	/* UEFI 2.10 §2.3.4: interrupts are enabled (the boot services timer). */
	report_check(r, "eflags_if", c->rflags & EFLAGS_IF, "eflags 0x%llx",
		     (unsigned long long)c->rflags);
	check_segment(e, "seg_cs", SEG_CS, SEG_WANT_CODE64, -1);
	check_segment(e, "seg_ds", SEG_DS, SEG_WANT_DATA64, -1);
	check_segment(e, "seg_ss", SEG_SS, SEG_WANT_DATA64, -1);
	check_identity_map(e, "identity_image", c->cr3, e->image.start,
			   e->image.end - e->image.start);
	if (mbi_size)
		check_identity_map(e, "identity_mbi", c->cr3, mbi, mbi_size);
}

/* §3.3: protected mode, paging off, interrupts off, flat 32-bit segments. */
static void mb2_cpu(const struct probe_env *e)
{
	const struct cpu_state *c = e->cpu;
	struct report *r = e->r;

	report_check(r, "cr0", (c->cr0 & CR0_PE) && !(c->cr0 & CR0_PG), "cr0 0x%llx",
		     (unsigned long long)c->cr0);
	report_check(r, "eflags_if", !(c->rflags & EFLAGS_IF), "eflags 0x%llx",
		     (unsigned long long)c->rflags);
	report_check(r, "eflags_vm", !(c->rflags & EFLAGS_VM), "eflags 0x%llx",
		     (unsigned long long)c->rflags);
	check_segment(e, "seg_cs", SEG_CS, SEG_WANT_FLAT32_CODE, -1);
	check_segment(e, "seg_ds", SEG_DS, SEG_WANT_FLAT32_DATA, -1);
	check_segment(e, "seg_es", SEG_ES, SEG_WANT_FLAT32_DATA, -1);
	check_segment(e, "seg_fs", SEG_FS, SEG_WANT_FLAT32_DATA, -1);
	check_segment(e, "seg_gs", SEG_GS, SEG_WANT_FLAT32_DATA, -1);
	check_segment(e, "seg_ss", SEG_SS, SEG_WANT_FLAT32_DATA, -1);
}

void check_mb2(const struct probe_env *e)
{
	struct report *r = e->r;
	const struct cpu_state *c = e->cpu;
	bool entry64 = c->entry_mode == 64;
	uint64_t mbi = entry64 ? c->rbx : (uint32_t)c->rbx;
	struct mb2_info_header h;
	static struct mb2_tags t;
	static struct probe_memmap map;
	const char *s;
	size_t len;

	memset(&t, 0, sizeof(t));
	map.n = 0;
	report_probe(r, "multiboot2");
	report_field(r, "entry", "%u", entry64 ? 64 : 32);
	report_field(r, "mbi", "0x%llx", (unsigned long long)mbi);
	report_field(r, "load", "0x%llx", (unsigned long long)e->image.start);
	report_check(r, "magic", (uint32_t)c->rax == MB2_BOOT_MAGIC, "eax 0x%x, want 0x%x",
		     (uint32_t)c->rax, MB2_BOOT_MAGIC);
	/* §3.5: EBX, a 32-bit register, holds the MBI at the EFI entry too. */
	bool ok = mbi % MB2_TAG_ALIGN == 0 && mbi <= 0xffffffffull &&
		  probe_read(&e->mem, mbi, &h, sizeof(h)) == 0 &&
		  h.total_size >= sizeof(h) + sizeof(struct mb2_tag) && h.total_size <= MB2_INFO_MAX &&
		  probe_map(&e->mem, mbi, h.total_size, (const void **)&s) == 0;
	if (!report_check(r, "mbi", ok, "rbx 0x%llx: not an 8-aligned, readable MBI below 4 GiB",
			  (unsigned long long)mbi)) {
		if (entry64)
			mb2_cpu64(e, mbi, 0);
		else
			mb2_cpu(e);
		return;
	}
	report_field(r, "total_size", "%u", h.total_size);
	report_check(r, "mbi_reserved", h.reserved == 0, "reserved 0x%x", h.reserved);
	if (mb2_walk(e, mbi, h.total_size, &t)) {
		mb2_requested(e, &t);
		mb2_mmap(e, &t, &map);
		memmap_check_ram(r, &map, "image_in_ram", e->image.start,
				 e->image.end - e->image.start);
		memmap_check_ram(r, &map, "mbi_in_ram", mbi, h.total_size);
		mb2_meminfo(e, &t, &map);
		if (t.count[MB2_TAG_CMDLINE] &&
		    tag_string(e, "cmdline", t.at[MB2_TAG_CMDLINE], t.size[MB2_TAG_CMDLINE], 8, &s,
			       &len) == 0)
			report_field_str(r, "cmdline", s, len);
		if (t.count[MB2_TAG_BOOT_LOADER_NAME] &&
		    tag_string(e, "loader_name", t.at[MB2_TAG_BOOT_LOADER_NAME],
			       t.size[MB2_TAG_BOOT_LOADER_NAME], 8, &s, &len) == 0) {
			report_field_str(r, "loader", s, len);
			report_check(r, "loader_name", len > 0, "empty boot loader name");
		}
		mb2_modules(e, &t, &map);
		mb2_acpi(e, &t);
		mb2_elf_sections(e, &t);
		if (t.count[MB2_TAG_LOAD_BASE_ADDR]) {
			struct mb2_tag_load_base_addr lb;
			probe_read(&e->mem, t.at[MB2_TAG_LOAD_BASE_ADDR], &lb, sizeof(lb));
			report_check(r, "load_base_addr", lb.load_base_addr == e->image.start,
				     "load_base_addr 0x%x, the image is at 0x%llx", lb.load_base_addr,
				     (unsigned long long)e->image.start);
		}
		report_field(r, "fb", "%s", t.count[MB2_TAG_FRAMEBUFFER] ? "given" : "<none>");
		mb2_efi(e, &t);
	}
	if (entry64)
		mb2_cpu64(e, mbi, h.total_size);
	else
		mb2_cpu(e);
	check_bss_zero(e);
}
