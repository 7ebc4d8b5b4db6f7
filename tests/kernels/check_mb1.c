/* SPDX-License-Identifier: MIT */
/*
 * The multiboot1 probe's checks: EAX, multiboot_info and the machine state
 * of Multiboot Specification 0.6.96 §3.2 "Machine state" and §3.3
 * "Boot information format".
 */
#include "../../include/abi/multiboot1.h"
#include "probe.h"

#define MB1_STRING_MAX 65536u /* no limit in the spec; a sanity bound */
#define MB1_MAX_MODULES 64u
#define MB1_MMAP_ENTRY_SIZE 20u /* the `size` GRUB writes: the entry minus the size field */
#define KiB 1024ull
#define MiB (1024ull * 1024)

/* A string the mbi points at: FIELD <name>, CHECK <name>_in_ram. */
static int mb1_string(const struct probe_env *e, const char *name, uint32_t paddr,
		      const struct probe_memmap *map, const char **s, size_t *len)
{
	char check[48];
	int rc = probe_string(e, name, paddr, MB1_STRING_MAX, s, len);

	if (rc)
		return rc;
	report_field_str(e->r, name, *s, *len);
	probe_snprintf(check, sizeof(check), "%s_in_ram", name);
	memmap_check_ram(e->r, map, check, paddr, *len + 1);
	return 0;
}

/* The mmap: {u32 size; u64 addr; u64 len; u32 type}, advancing by size + 4. */
static void mb1_mmap(const struct probe_env *e, const struct mb1_info *mbi,
		     struct probe_memmap *map)
{
	struct report *r = e->r;
	uint32_t off = 0;

	map->n = 0;
	if (!report_check(r, "mmap", (mbi->flags & MB1_INFO_MEM_MAP) && mbi->mmap_length != 0,
			  "flags 0x%x, mmap_length %u", mbi->flags, mbi->mmap_length))
		return;
	while (off < mbi->mmap_length) {
		struct mb1_mmap_entry ent;
		uint64_t at = (uint64_t)mbi->mmap_addr + off;
		if (mbi->mmap_length - off < sizeof(ent)) {
			report_check(r, "mmap_length", false,
				     "%u bytes left at offset %u, an entry takes %zu",
				     mbi->mmap_length - off, off, sizeof(ent));
			goto bad;
		}
		if (probe_read(&e->mem, at, &ent, sizeof(ent)) != 0) {
			report_check(r, "mmap_reachable", false, "entry at 0x%llx is out of reach",
				     (unsigned long long)at);
			goto bad;
		}
		if (ent.size != MB1_MMAP_ENTRY_SIZE) {
			report_check(r, "mmap_entry_size", false, "entry %u has size field %u, want %u",
				     map->n, ent.size, MB1_MMAP_ENTRY_SIZE);
			goto bad;
		}
		if (map->n == PROBE_MAX_RANGES) {
			report_check(r, "mmap_count", false, "more than %u entries", PROBE_MAX_RANGES);
			goto bad;
		}
		map->r[map->n++] = (struct probe_range){ ent.addr, ent.len, ent.type };
		off += ent.size + 4;
	}
	report_check(r, "mmap_entry_size", true, "-");
	report_field(r, "memmap_entries", "%u", map->n);
	memmap_check_order(r, map);
	return;
bad:
	/* An unreadable map proves nothing: check RAM against an empty one. */
	map->n = 0;
}

/*
 * mem_lower/mem_upper (§3.3): KiB of memory below 640 KiB and from 1 MiB
 * to the first hole. With the mmap known, they must describe the same RAM:
 * mem_lower the run from 0, mem_upper the run from 1 MiB, in whole KiB.
 */
static void mb1_mem_info(const struct probe_env *e, const struct mb1_info *mbi,
			 const struct probe_memmap *map)
{
	struct report *r = e->r;

	if (!report_check(r, "mem_info", mbi->flags & MB1_INFO_MEMORY, "flags 0x%x", mbi->flags))
		return;
	report_field(r, "mem_lower", "%u", mbi->mem_lower);
	report_field(r, "mem_upper", "%u", mbi->mem_upper);
	uint64_t low_run = memmap_ram_end(map, 0) / KiB;
	report_check(r, "mem_lower", mbi->mem_lower <= 640 && mbi->mem_lower <= low_run,
		     "mem_lower %u KiB, the RAM from 0 is %llu KiB (at most 640)", mbi->mem_lower,
		     (unsigned long long)low_run);
	uint64_t upper_run = (memmap_ram_end(map, MiB) - MiB) / KiB;
	report_check(r, "mem_upper", mbi->mem_upper == upper_run,
		     "mem_upper %u KiB, the mmap's RAM from 1 MiB is %llu KiB", mbi->mem_upper,
		     (unsigned long long)upper_run);
}

static void mb1_modules(const struct probe_env *e, const struct mb1_info *mbi,
			const struct probe_memmap *map)
{
	struct report *r = e->r;

	if (!report_check(r, "mods", mbi->flags & MB1_INFO_MODS, "flags 0x%x", mbi->flags))
		return;
	report_field(r, "nr_modules", "%u", mbi->mods_count);
	if (mbi->mods_count == 0)
		return;
	if (!report_check(r, "mods_addr", mbi->mods_addr != 0 && mbi->mods_count <= MB1_MAX_MODULES,
			  "mods_addr 0x%x with %u modules", mbi->mods_addr, mbi->mods_count))
		return;
	for (unsigned i = 0; i < mbi->mods_count; i++) {
		struct mb1_module mod;
		char prefix[16], name[48];
		const char *cmd = "";
		size_t cmd_len = 0;

		probe_snprintf(prefix, sizeof(prefix), "module%u", i);
		if (probe_read(&e->mem, (uint64_t)mbi->mods_addr + i * sizeof(mod), &mod,
			       sizeof(mod)) != 0) {
			report_check(r, prefix, false, "module entry out of reach");
			continue;
		}
		probe_snprintf(name, sizeof(name), "%s_cmdline", prefix);
		if (mod.string == 0)
			report_field(r, name, "<none>");
		else
			mb1_string(e, name, mod.string, map, &cmd, &cmd_len);
		probe_snprintf(name, sizeof(name), "%s_size", prefix);
		report_field(r, name, "%u", mod.mod_end - mod.mod_start);

		probe_snprintf(name, sizeof(name), "%s_range", prefix);
		if (!report_check(r, name, mod.mod_end > mod.mod_start,
				  "mod_start 0x%x, mod_end 0x%x", mod.mod_start, mod.mod_end))
			continue;
		if (e->image.mb1_header_flags & MB1_PAGE_ALIGN) {
			probe_snprintf(name, sizeof(name), "%s_aligned", prefix);
			report_check(r, name, mod.mod_start % MB1_MOD_ALIGN == 0,
				     "mod_start 0x%x is not page-aligned (header flag 0)",
				     mod.mod_start);
		}
		probe_snprintf(name, sizeof(name), "%s_reserved", prefix);
		report_check(r, name, mod.reserved == 0, "reserved 0x%x", mod.reserved);
		check_module(e, prefix, mod.mod_start, mod.mod_end - mod.mod_start, cmd, cmd_len);
		probe_snprintf(name, sizeof(name), "%s_in_ram", prefix);
		memmap_check_ram(r, map, name, mod.mod_start, mod.mod_end - mod.mod_start);
	}
}

/* §3.2: protected mode, paging off, interrupts off, flat 32-bit segments. */
static void mb1_cpu(const struct probe_env *e)
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

/* The mask of a colour channel: @size bits from bit @pos. */
static uint32_t channel_mask(uint8_t pos, uint8_t size)
{
	return size >= 32 ? 0xffffffffu : ((1u << size) - 1) << pos;
}

/*
 * Framebuffer info (spec §3.3, flags bit 12), when the header asked for
 * video (bit 2) and the loader gave it. A direct-colour mode must describe
 * itself consistently and lie outside RAM. With fb_paint=1 on the command
 * line a 32-bit mode is filled with pure red built from the loader's own
 * masks, and the probe holds (probe_fb_show) so that the host can check
 * the screen: a wrong address, pitch or mask shows up there.
 */
static void mb1_framebuffer(const struct probe_env *e, const struct mb1_info *mbi,
			    const struct probe_memmap *map, const char *cmdline, size_t cmdline_len)
{
	struct report *r = e->r;
	const char *v;
	size_t vlen;

	if (!(mbi->flags & MB1_INFO_FRAMEBUFFER_INFO)) {
		report_field(r, "fb", "<none>");
		return;
	}
	const uint8_t *c = mbi->color_info;
	report_field(r, "fb", "0x%llx %ux%u pitch %u bpp %u type %u rgb %u/%u %u/%u %u/%u",
		     (unsigned long long)mbi->framebuffer_addr, mbi->framebuffer_width,
		     mbi->framebuffer_height, mbi->framebuffer_pitch, mbi->framebuffer_bpp,
		     mbi->framebuffer_type, c[0], c[1], c[2], c[3], c[4], c[5]);
	if (!report_check(r, "fb_type", mbi->framebuffer_type == MB1_FRAMEBUFFER_TYPE_RGB,
			  "type %u, want %u (direct RGB)", mbi->framebuffer_type,
			  MB1_FRAMEBUFFER_TYPE_RGB))
		return;
	uint32_t bpp = mbi->framebuffer_bpp;
	uint64_t row_bytes = ((uint64_t)mbi->framebuffer_width * bpp + 7) / 8;
	uint64_t bytes = (uint64_t)mbi->framebuffer_pitch * mbi->framebuffer_height;
	report_check(r, "fb_geometry",
		     mbi->framebuffer_addr && mbi->framebuffer_width && mbi->framebuffer_height &&
			     bpp >= 8 && bpp <= 32 && mbi->framebuffer_pitch >= row_bytes,
		     "address 0x%llx, %ux%u, %u bpp, pitch %u (a row needs %llu)",
		     (unsigned long long)mbi->framebuffer_addr, mbi->framebuffer_width,
		     mbi->framebuffer_height, bpp, mbi->framebuffer_pitch,
		     (unsigned long long)row_bytes);
	uint32_t red = channel_mask(c[0], c[1]), green = channel_mask(c[2], c[3]),
		 blue = channel_mask(c[4], c[5]);
	bool fits = c[0] + c[1] <= bpp && c[2] + c[3] <= bpp && c[4] + c[5] <= bpp;
	report_check(r, "fb_masks",
		     fits && c[1] && c[3] && c[5] && !(red & green) && !(red & blue) &&
			     !(green & blue),
		     "red %u/%u, green %u/%u, blue %u/%u in %u bpp", c[0], c[1], c[2], c[3], c[4],
		     c[5], bpp);
	report_check(r, "fb_not_ram", !memmap_is_ram(map, mbi->framebuffer_addr, 1) &&
					       !memmap_is_ram(map, mbi->framebuffer_addr + bytes - 1, 1),
		     "0x%llx-0x%llx is RAM in the memory map",
		     (unsigned long long)mbi->framebuffer_addr,
		     (unsigned long long)(mbi->framebuffer_addr + bytes - 1));
	if (cmdline_value(cmdline, cmdline_len, "fb_paint", &v, &vlen) != 0)
		return;
	if (bpp != 32 || !fits || mbi->framebuffer_addr + bytes > e->mem.size) {
		report_check(r, "fb_paint", false, "cannot paint %u bpp at 0x%llx", bpp,
			     (unsigned long long)mbi->framebuffer_addr);
		return;
	}
	report_field(r, "fb_paint", "0x%08x", red);
	probe_fb_show(mbi->framebuffer_addr, mbi->framebuffer_pitch, mbi->framebuffer_width,
		      mbi->framebuffer_height, red);
}

void check_mb1(const struct probe_env *e)
{
	struct report *r = e->r;
	const struct cpu_state *c = e->cpu;
	uint64_t mbi_addr = (uint32_t)c->rbx;
	struct mb1_info mbi;
	struct probe_memmap map;
	const char *s, *cmdline = "";
	size_t len, cmdline_len = 0;

	report_probe(r, "multiboot1");
	report_field(r, "mbi", "0x%llx", (unsigned long long)mbi_addr);
	report_field(r, "load", "0x%llx", (unsigned long long)e->image.start);
	report_check(r, "magic", (uint32_t)c->rax == MB1_BOOT_MAGIC, "eax 0x%x, want 0x%x",
		     (uint32_t)c->rax, MB1_BOOT_MAGIC);
	if (!report_check(r, "mbi", probe_read(&e->mem, mbi_addr, &mbi, sizeof(mbi)) == 0,
			  "ebx 0x%llx does not point at a readable multiboot_info",
			  (unsigned long long)mbi_addr)) {
		mb1_cpu(e);
		return;
	}
	report_field(r, "flags", "0x%x", mbi.flags);

	mb1_mmap(e, &mbi, &map);
	memmap_check_ram(r, &map, "image_in_ram", e->image.start, e->image.end - e->image.start);
	memmap_check_ram(r, &map, "mbi_in_ram", mbi_addr, sizeof(mbi));
	mb1_mem_info(e, &mbi, &map);

	if (!(mbi.flags & MB1_INFO_CMDLINE)) {
		report_field(r, "cmdline", "<none>");
		report_check(r, "cmdline", false, "flags 0x%x lack CMDLINE", mbi.flags);
	} else if (mb1_string(e, "cmdline", mbi.cmdline, &map, &cmdline, &cmdline_len) == 0) {
		report_check(r, "cmdline", true, "-");
	}
	mb1_modules(e, &mbi, &map);
	if (!(mbi.flags & MB1_INFO_BOOT_LOADER_NAME))
		report_check(r, "loader_name", false, "flags 0x%x lack BOOT_LOADER_NAME", mbi.flags);
	else if (mb1_string(e, "loader", mbi.boot_loader_name, &map, &s, &len) == 0)
		report_check(r, "loader_name", len > 0, "empty boot_loader_name");

	mb1_framebuffer(e, &mbi, &map, cmdline, cmdline_len);
	mb1_cpu(e);
	check_bss_zero(e);
}
