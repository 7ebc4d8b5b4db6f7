/* SPDX-License-Identifier: MIT */
/*
 * The Linux-protocol probe's checks: boot_params and the CPU state at the
 * 32-bit entry (code32_start) or the 64-bit entry (+0x200), per
 * Documentation/arch/x86/boot.rst and zero-page.rst.
 */
#include "probe.h"

#define SETUP_DATA_MAX_NODES 32u
#define X86_SUBARCH_PC 0u

/* The setup-header fields a loader only reads: they must arrive as the
 * bzImage has them ("hdr copied"). Names are arrays, not pointers, so the
 * table needs no relocation in a position-independent probe. */
struct hdr_field {
	char name[20];
	uint16_t off, size;
};
#define HDR_FIELD(f) { #f, offsetof(struct setup_header, f), sizeof(((struct setup_header *)0)->f) }

static void check_hdr_copied(const struct probe_env *e, const struct setup_header *got)
{
	static const struct hdr_field ro[] = {
		HDR_FIELD(setup_sects),    HDR_FIELD(syssize),          HDR_FIELD(boot_flag),
		HDR_FIELD(jump),           HDR_FIELD(header),           HDR_FIELD(version),
		HDR_FIELD(start_sys_seg),  HDR_FIELD(kernel_version),   HDR_FIELD(initrd_addr_max),
		HDR_FIELD(relocatable_kernel), HDR_FIELD(min_alignment), HDR_FIELD(xloadflags),
		HDR_FIELD(cmdline_size),   HDR_FIELD(payload_offset),   HDR_FIELD(payload_length),
		HDR_FIELD(pref_address),   HDR_FIELD(init_size),        HDR_FIELD(handover_offset),
		HDR_FIELD(kernel_info_offset),
	};
	const struct setup_header *own = &e->image.linux_hdr;
	const uint8_t *a = (const void *)own, *b = (const void *)got;

	for (size_t i = 0; i < ARRAY_SIZE(ro); i++) {
		if (memcmp(a + ro[i].off, b + ro[i].off, ro[i].size) != 0) {
			report_check(e->r, "hdr_copied", false, "%s differs from the bzImage's",
				     ro[i].name);
			return;
		}
	}
	/* loadflags is "modify": only LOADED_HIGH is the kernel's to say. */
	report_check(e->r, "hdr_copied",
		     (got->loadflags & LOADED_HIGH) == (own->loadflags & LOADED_HIGH),
		     "loadflags 0x%x lost LOADED_HIGH", got->loadflags);
}

/* boot_params.e820_table plus any SETUP_E820_EXT nodes, in one map. */
static void linux_e820(const struct probe_env *e, const struct boot_params *bp,
		       struct probe_memmap *map)
{
	struct report *r = e->r;
	uint64_t next = bp->hdr.setup_data;
	unsigned nodes = 0;

	map->n = 0;
	report_check(r, "e820_entries", bp->e820_entries >= 1 && bp->e820_entries <= BOOT_E820_MAX,
		     "e820_entries %u, want 1..%u", bp->e820_entries, BOOT_E820_MAX);
	for (unsigned i = 0; i < bp->e820_entries && i < BOOT_E820_MAX; i++) {
		const struct e820_entry *ent = &bp->e820_table[i];
		map->r[map->n++] = (struct probe_range){ ent->addr, ent->size, ent->type };
	}
	for (; next != 0; nodes++) {
		struct setup_data sd;
		if (nodes == SETUP_DATA_MAX_NODES ||
		    probe_read(&e->mem, next, &sd, sizeof(sd)) != 0) {
			report_check(r, "setup_data", false, "node %u at 0x%llx is out of reach",
				     nodes, (unsigned long long)next);
			return;
		}
		if (sd.type == SETUP_E820_EXT) {
			for (uint32_t off = 0; off + sizeof(struct e820_entry) <= sd.len;
			     off += sizeof(struct e820_entry)) {
				struct e820_entry ent;
				if (map->n == PROBE_MAX_RANGES ||
				    probe_read(&e->mem, next + sizeof(sd) + off, &ent,
					       sizeof(ent)) != 0) {
					report_check(r, "setup_data", false,
						     "SETUP_E820_EXT at 0x%llx unreadable or too big",
						     (unsigned long long)next);
					return;
				}
				map->r[map->n++] = (struct probe_range){ ent.addr, ent.size, ent.type };
			}
		}
		next = sd.next;
	}
	if (nodes)
		report_check(r, "setup_data", true, "-");
	report_field(r, "memmap_entries", "%u", map->n);
	memmap_check_order(r, map);
}

/* The initrd as the cmdline announces it: "initrd_crc32=X initrd_size=N". */
static void linux_initrd(const struct probe_env *e, const struct boot_params *bp,
			 const char *cmd, size_t cmd_len, const struct probe_memmap *map)
{
	struct report *r = e->r;
	uint64_t addr = bp->hdr.ramdisk_image | (uint64_t)bp->ext_ramdisk_image << 32;
	uint64_t size = bp->hdr.ramdisk_size | (uint64_t)bp->ext_ramdisk_size << 32;
	const char *crc_s, *size_s;
	size_t crc_len, size_len;
	uint64_t want_size;
	uint32_t want_crc;
	const void *bytes;

	report_field(r, "nr_modules", "%u", addr || size ? 1 : 0);
	report_field(r, "initrd", "0x%llx", (unsigned long long)addr);
	report_field(r, "initrd_size", "%llu", (unsigned long long)size);
	bool has_crc = cmdline_value(cmd, cmd_len, "initrd_crc32", &crc_s, &crc_len) == 0;
	bool has_size = cmdline_value(cmd, cmd_len, "initrd_size", &size_s, &size_len) == 0;
	if (!has_crc && !has_size) {
		report_check(r, "initrd", addr == 0 && size == 0,
			     "the cmdline names no initrd, yet one is at 0x%llx (%llu bytes)",
			     (unsigned long long)addr, (unsigned long long)size);
		return;
	}
	if (!report_check(r, "initrd_cmdline",
			  has_crc && has_size && parse_hex32(crc_s, crc_len, &want_crc) == 0 &&
				  parse_dec64(size_s, size_len, &want_size) == 0,
			  "want both initrd_crc32=XXXXXXXX and initrd_size=N"))
		return;
	if (!report_check(r, "initrd", addr != 0 && size == want_size,
			  "initrd at 0x%llx of %llu bytes, the cmdline says %llu bytes",
			  (unsigned long long)addr, (unsigned long long)size,
			  (unsigned long long)want_size))
		return;
	if (probe_map(&e->mem, addr, size, &bytes) != 0) {
		report_check(r, "initrd_crc", false, "[0x%llx, +0x%llx) is outside reachable memory",
			     (unsigned long long)addr, (unsigned long long)size);
		return;
	}
	uint32_t got = probe_crc32(bytes, (size_t)size);
	report_check(r, "initrd_crc", got == want_crc, "crc32 %08x, the cmdline says %08x", got,
		     want_crc);
	memmap_check_ram(r, map, "initrd_in_ram", addr, size);
	/* initrd_addr_max binds kernels that cannot take an initrd above 4 GiB. */
	if (!(e->image.linux_hdr.xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G))
		report_check(r, "initrd_addr_max", addr + size - 1 <= e->image.linux_hdr.initrd_addr_max,
			     "initrd ends at 0x%llx, initrd_addr_max is 0x%x",
			     (unsigned long long)(addr + size - 1), e->image.linux_hdr.initrd_addr_max);
}

static void linux_cpu(const struct probe_env *e, bool entry64)
{
	const struct cpu_state *c = e->cpu;
	struct report *r = e->r;

	report_check(r, "eflags_if", !(c->rflags & EFLAGS_IF), "eflags 0x%llx",
		     (unsigned long long)c->rflags);
	if (!entry64) {
		/* 32-bit protocol: %ebp = %edi = %ebx = 0, paging off. */
		report_check(r, "regs", (uint32_t)c->rbx == 0 && (uint32_t)c->rdi == 0 &&
						(uint32_t)c->rbp == 0,
			     "ebx 0x%x edi 0x%x ebp 0x%x, want 0", (uint32_t)c->rbx,
			     (uint32_t)c->rdi, (uint32_t)c->rbp);
		report_check(r, "cr0", (c->cr0 & CR0_PE) && !(c->cr0 & CR0_PG), "cr0 0x%llx",
			     (unsigned long long)c->cr0);
		check_segment(e, "seg_cs", SEG_CS, SEG_WANT_FLAT32_CODE, BOOT_CS);
		check_segment(e, "seg_ds", SEG_DS, SEG_WANT_FLAT32_DATA, BOOT_DS);
		check_segment(e, "seg_es", SEG_ES, SEG_WANT_FLAT32_DATA, BOOT_DS);
		check_segment(e, "seg_ss", SEG_SS, SEG_WANT_FLAT32_DATA, BOOT_DS);
		return;
	}
	report_check(r, "cr0", (c->cr0 & CR0_PE) && (c->cr0 & CR0_PG), "cr0 0x%llx",
		     (unsigned long long)c->cr0);
	report_check(r, "long_mode",
		     (c->efer & EFER_LMA) && (c->cr4 & CR4_PAE) && !(c->cr4 & CR4_LA57),
		     "efer 0x%llx cr4 0x%llx: want LMA, PAE, 4-level paging",
		     (unsigned long long)c->efer, (unsigned long long)c->cr4);
	check_segment(e, "seg_cs", SEG_CS, SEG_WANT_CODE64, BOOT_CS);
	check_segment(e, "seg_ds", SEG_DS, SEG_WANT_DATA64, BOOT_DS);
	check_segment(e, "seg_es", SEG_ES, SEG_WANT_DATA64, BOOT_DS);
	check_segment(e, "seg_ss", SEG_SS, SEG_WANT_DATA64, BOOT_DS);
}

void check_linux(const struct probe_env *e)
{
	struct report *r = e->r;
	const struct cpu_state *c = e->cpu;
	const struct setup_header *own = &e->image.linux_hdr;
	bool entry64 = c->entry_mode == 64;
	uint64_t load = e->image.start, init_end = load + own->init_size;
	uint64_t bp_addr = entry64 ? c->rsi : (uint32_t)c->rsi;
	struct boot_params bp;
	struct probe_memmap map;
	const char *cmd = "";
	size_t cmd_len = 0;

	report_probe(r, "linux");
	report_field(r, "entry", "%u", entry64 ? 64 : 32);
	report_field(r, "load", "0x%llx", (unsigned long long)load);
	report_field(r, "boot_params", "0x%llx", (unsigned long long)bp_addr);
	if (entry64)
		report_check(r, "entry64_allowed", own->xloadflags & XLF_KERNEL_64,
			     "entered at +0x200 but xloadflags 0x%x lack XLF_KERNEL_64",
			     own->xloadflags);
	linux_cpu(e, entry64);
	if (!report_check(r, "boot_params", probe_read(&e->mem, bp_addr, &bp, sizeof(bp)) == 0,
			  "%%rsi 0x%llx does not point at 4096 readable bytes",
			  (unsigned long long)bp_addr))
		return;

	check_hdr_copied(e, &bp.hdr);
	report_field(r, "loader", "0x%02x", bp.hdr.type_of_loader);
	report_check(r, "type_of_loader", bp.hdr.type_of_loader == BOOT_LOADER_TYPE_UNDEFINED,
		     "type_of_loader 0x%02x, want 0xff", bp.hdr.type_of_loader);
	report_check(r, "sentinel", bp.sentinel == 0, "sentinel 0x%02x: setup header over-copied",
		     bp.sentinel);
	report_check(r, "code32_start", bp.hdr.code32_start == load,
		     "code32_start 0x%x, the kernel runs at 0x%llx", bp.hdr.code32_start,
		     (unsigned long long)load);
	report_check(r, "load_aligned", own->kernel_alignment && load % own->kernel_alignment == 0,
		     "load 0x%llx is not a multiple of kernel_alignment 0x%x",
		     (unsigned long long)load, own->kernel_alignment);
	report_check(r, "hardware_subarch", bp.hdr.hardware_subarch == X86_SUBARCH_PC,
		     "hardware_subarch %u, want 0 (PC)", bp.hdr.hardware_subarch);

	linux_e820(e, &bp, &map);
	memmap_check_ram(r, &map, "image_in_ram", load, own->init_size);
	memmap_check_ram(r, &map, "boot_params_in_ram", bp_addr, sizeof(bp));

	uint64_t cmd_addr = bp.hdr.cmd_line_ptr | (uint64_t)bp.ext_cmd_line_ptr << 32;
	if (cmd_addr == 0) {
		report_field(r, "cmdline", "<none>");
		report_check(r, "cmdline", false, "cmd_line_ptr is 0");
	} else if (cmd_addr >> 32 && !(own->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G)) {
		report_check(r, "cmdline", false, "at 0x%llx, above 4 GiB for a kernel without "
			     "XLF_CAN_BE_LOADED_ABOVE_4G", (unsigned long long)cmd_addr);
	} else if (probe_string(e, "cmdline", cmd_addr, own->cmdline_size, &cmd, &cmd_len) == 0) {
		/* Found within cmdline_size: the length limit holds too. */
		report_field_str(r, "cmdline", cmd, cmd_len);
		report_check(r, "cmdline", true, "-");
		memmap_check_ram(r, &map, "cmdline_in_ram", cmd_addr, cmd_len + 1);
	}
	report_field(r, "rsdp", "0x%llx", (unsigned long long)bp.acpi_rsdp_addr);
	check_rsdp(e, "rsdp", bp.acpi_rsdp_addr);
	linux_initrd(e, &bp, cmd, cmd_len, &map);

	if (entry64) {
		check_identity_map(e, "identity_image", c->cr3, load, init_end - load);
		check_identity_map(e, "identity_boot_params", c->cr3, bp_addr, sizeof(bp));
		if (cmd_addr)
			check_identity_map(e, "identity_cmdline", c->cr3, cmd_addr, cmd_len + 1);
	}
}
