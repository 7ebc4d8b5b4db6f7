/* SPDX-License-Identifier: MIT */
/*
 * The PVH probe's checks: hvm_start_info and the CPU state at the
 * PHYS32_ENTRY entry (Xen docs/misc/pvh.pandoc; start_info.h). Everything
 * the start_info points to is read through the memory window.
 */
#include "../../include/abi/start_info.h"
#include "probe.h"

#define PVH_CMDLINE_MAX 65536u /* no limit in the ABI; a sanity bound */
#define PVH_MAX_MODULES 64u

/* The cmdline FIELD; with the memmap known, also CHECK <name>_in_ram. */
static void pvh_string_field(const struct probe_env *e, const char *name, uint64_t paddr,
			     const struct probe_memmap *map)
{
	const char *s;
	size_t len;
	char check[48];

	if (paddr == 0) {
		report_field(e->r, name, "<none>");
		return;
	}
	if (probe_string(e, name, paddr, PVH_CMDLINE_MAX, &s, &len) != 0)
		return;
	report_field_str(e->r, name, s, len);
	probe_snprintf(check, sizeof(check), "%s_in_ram", name);
	memmap_check_ram(e->r, map, check, paddr, len + 1);
}

static void pvh_memmap(const struct probe_env *e, const struct hvm_start_info *si,
		       struct probe_memmap *map)
{
	struct report *r = e->r;
	bool reserved_zero = true;
	unsigned bad = 0;

	map->n = 0;
	report_field(r, "memmap_entries", "%u", si->version >= 1 ? si->memmap_entries : 0);
	if (!report_check(r, "memmap_present",
			  si->version >= 1 && si->memmap_paddr != 0 && si->memmap_entries != 0,
			  "version %u, memmap_paddr 0x%llx, memmap_entries %u", si->version,
			  (unsigned long long)si->memmap_paddr, si->memmap_entries))
		return;
	if (!report_check(r, "memmap_size", si->memmap_entries <= PROBE_MAX_RANGES,
			  "%u entries, the probe takes %u", si->memmap_entries, PROBE_MAX_RANGES))
		return;
	for (unsigned i = 0; i < si->memmap_entries; i++) {
		struct hvm_memmap_table_entry ent;
		if (probe_read(&e->mem, si->memmap_paddr + (uint64_t)i * sizeof(ent), &ent,
			       sizeof(ent)) != 0) {
			report_check(r, "memmap_reachable", false, "entry %u is out of reach", i);
			map->n = 0;
			return;
		}
		if (ent.reserved != 0 && reserved_zero) {
			reserved_zero = false;
			bad = i;
		}
		map->r[map->n++] = (struct probe_range){ ent.addr, ent.size, ent.type };
	}
	report_check(r, "memmap_reserved", reserved_zero, "entry %u has reserved != 0", bad);
	memmap_check_order(r, map);
}

static void pvh_modules(const struct probe_env *e, const struct hvm_start_info *si,
			const struct probe_memmap *map)
{
	struct report *r = e->r;

	report_field(r, "nr_modules", "%u", si->nr_modules);
	if (si->nr_modules == 0)
		return;
	if (!report_check(r, "modlist",
			  si->modlist_paddr != 0 && si->nr_modules <= PVH_MAX_MODULES,
			  "modlist_paddr 0x%llx with %u modules",
			  (unsigned long long)si->modlist_paddr, si->nr_modules))
		return;
	for (unsigned i = 0; i < si->nr_modules; i++) {
		struct hvm_modlist_entry mod;
		char prefix[16], name[48];
		const char *cmd = "";
		size_t cmd_len = 0;

		probe_snprintf(prefix, sizeof(prefix), "module%u", i);
		if (probe_read(&e->mem, si->modlist_paddr + (uint64_t)i * sizeof(mod), &mod,
			       sizeof(mod)) != 0) {
			report_check(r, prefix, false, "modlist entry out of reach");
			continue;
		}
		probe_snprintf(name, sizeof(name), "%s_cmdline", prefix);
		if (mod.cmdline_paddr == 0)
			report_field(r, name, "<none>");
		else if (probe_string(e, name, mod.cmdline_paddr, PVH_CMDLINE_MAX, &cmd,
				      &cmd_len) == 0)
			report_field_str(r, name, cmd, cmd_len);
		probe_snprintf(name, sizeof(name), "%s_size", prefix);
		report_field(r, name, "%llu", (unsigned long long)mod.size);

		probe_snprintf(name, sizeof(name), "%s_reserved", prefix);
		report_check(r, name, mod.reserved == 0, "reserved is 0x%llx",
			     (unsigned long long)mod.reserved);
		check_module(e, prefix, mod.paddr, mod.size, cmd, cmd_len);
		probe_snprintf(name, sizeof(name), "%s_in_ram", prefix);
		memmap_check_ram(r, map, name, mod.paddr, mod.size);
	}
}

/* The entry state Xen's pvh.pandoc specifies, as captured before any change. */
static void pvh_cpu(const struct probe_env *e)
{
	const struct cpu_state *c = e->cpu;
	struct report *r = e->r;

	/* PE only; libxc also sets ET, which is read-only on modern CPUs. */
	report_check(r, "cr0", (c->cr0 & ~(uint64_t)CR0_ET) == CR0_PE, "cr0 0x%llx",
		     (unsigned long long)c->cr0);
	report_check(r, "cr4", c->cr4 == 0, "cr4 0x%llx", (unsigned long long)c->cr4);
	report_check(r, "efer", !(c->efer & (EFER_LME | EFER_LMA)), "efer 0x%llx",
		     (unsigned long long)c->efer);
	report_check(r, "eflags_if", !(c->rflags & EFLAGS_IF), "eflags 0x%llx",
		     (unsigned long long)c->rflags);
	report_check(r, "eflags_vm", !(c->rflags & EFLAGS_VM), "eflags 0x%llx",
		     (unsigned long long)c->rflags);
	report_check(r, "eflags_tf", !(c->rflags & EFLAGS_TF), "eflags 0x%llx",
		     (unsigned long long)c->rflags);
	check_segment(e, "seg_cs", SEG_CS, SEG_WANT_FLAT32_CODE, -1);
	check_segment(e, "seg_ds", SEG_DS, SEG_WANT_FLAT32_DATA, -1);
	check_segment(e, "seg_es", SEG_ES, SEG_WANT_FLAT32_DATA, -1);
	check_segment(e, "seg_ss", SEG_SS, SEG_WANT_FLAT32_DATA, -1);
	check_segment(e, "tr", SEG_TR, SEG_WANT_TSS32, -1);
}

void check_pvh(const struct probe_env *e)
{
	struct report *r = e->r;
	uint64_t si_addr = (uint32_t)e->cpu->rbx;
	struct hvm_start_info si;
	struct probe_memmap map;

	report_probe(r, "pvh");
	report_field(r, "start_info", "0x%llx", (unsigned long long)si_addr);
	report_field(r, "load", "0x%llx", (unsigned long long)e->image.start);
	/* Version 0 is 40 bytes, but Linux copies 56 whatever the version. */
	if (!report_check(r, "start_info", probe_read(&e->mem, si_addr, &si, sizeof(si)) == 0,
			  "ebx 0x%llx does not point at 56 readable bytes",
			  (unsigned long long)si_addr)) {
		pvh_cpu(e);
		return;
	}
	report_check(r, "magic", si.magic == HVM_START_MAGIC, "magic 0x%x, want 0x%x", si.magic,
		     HVM_START_MAGIC);
	report_field(r, "version", "%u", si.version);
	report_check(r, "version", si.version >= 1, "version %u, want >= 1 (memmap)", si.version);
	report_field(r, "flags", "0x%x", si.flags);
	report_check(r, "reserved", si.reserved == 0, "reserved 0x%x", si.reserved);

	pvh_memmap(e, &si, &map);
	memmap_check_ram(r, &map, "image_in_ram", e->image.start, e->image.end - e->image.start);
	memmap_check_ram(r, &map, "start_info_in_ram", si_addr, sizeof(si));
	pvh_string_field(e, "cmdline", si.cmdline_paddr, &map);
	pvh_modules(e, &si, &map);
	report_field(r, "rsdp", "0x%llx", (unsigned long long)si.rsdp_paddr);
	check_rsdp(e, "rsdp", si.rsdp_paddr);
	pvh_cpu(e);
	check_bss_zero(e);
}
