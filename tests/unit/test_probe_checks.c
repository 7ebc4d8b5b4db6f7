/* SPDX-License-Identifier: MIT */
/*
 * The probe kernels' checkers (tests/kernels/), on the host: for each
 * protocol a fully valid boot structure in a fake physical memory must
 * PASS, and breaking any single field must FAIL with the CHECK named for
 * that field. This is what makes "a probe that receives one wrong field
 * fails its case" true.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../../include/abi/multiboot1.h"
#include "../../include/abi/start_info.h"
#include "../kernels/probe.h"
#include "test.h"

#define MiB (1ull << 20)
#define MEM_SIZE (8 * MiB) /* the fake physical memory: offsets are addresses */

/* Flat descriptors as loaders build them (accessed bit set, as after a load). */
#define DESC_CODE32 0x00cf9b000000ffffull
#define DESC_DATA32 0x00cf93000000ffffull
#define DESC_CODE64 0x00af9b000000ffffull
#define DESC_TSS32_BUSY 0x00008b0000000067ull

/* Where each fixture puts things. Everything below 8 MiB. */
#define IMAGE_START 0x100000u
#define IMAGE_END 0x150000u
#define RSDP_AT 0xf0000u
#define MOD0_AT 0x200000u
#define MOD0_SIZE 3000u
#define MOD1_AT 0x300000u
#define MOD1_SIZE 17u
#define LINUX_LOAD 0x400000u
#define LINUX_INIT_SIZE 0x100000u
#define BP_AT 0x10000u
#define CMDLINE_AT 0x20000u
#define INITRD_AT 0x600000u
#define INITRD_SIZE 5000u
#define PT_AT 0x7f0000u /* PML4, PDPT, PD for the 64-bit entry */

struct fixture {
	uint8_t *mem;
	struct cpu_state cpu;
	struct probe_env env;
	struct report r;
	void (*check)(const struct probe_env *e);
};

static struct fixture fx;
static char out[1 << 16];
static size_t out_len;

static void out_write(void *opaque, const char *s, size_t len)
{
	(void)opaque;
	if (out_len + len < sizeof(out)) {
		memcpy(out + out_len, s, len);
		out_len += len;
		out[out_len] = 0;
	}
}

#define AT(type, addr) ((type *)(fx.mem + (addr)))

static void put_string(uint32_t addr, const char *s)
{
	strcpy(AT(char, addr), s);
}

static uint32_t zlib_crc(uint32_t addr, uint32_t len)
{
	return (uint32_t)crc32(0, fx.mem + addr, len);
}

/* Module bytes that differ per module, and a cmdline naming their CRC. */
static void put_module(uint32_t at, uint32_t size, uint32_t cmd_at, const char *words)
{
	char buf[128];
	for (uint32_t i = 0; i < size; i++)
		fx.mem[at + i] = (uint8_t)(i * 7 + at / MiB);
	snprintf(buf, sizeof(buf), "%s crc32=%08x", words, zlib_crc(at, size));
	put_string(cmd_at, buf);
}

/* ACPI RSDP revision 2 with both checksums right. */
static void rsdp_checksums(void)
{
	uint8_t *p = fx.mem + RSDP_AT, sum = 0;
	p[8] = 0;
	for (int i = 0; i < 20; i++)
		sum = (uint8_t)(sum + p[i]);
	p[8] = (uint8_t)-sum;
	p[32] = 0;
	sum = 0;
	for (int i = 0; i < 36; i++)
		sum = (uint8_t)(sum + p[i]);
	p[32] = (uint8_t)-sum;
}

static void put_rsdp(void)
{
	uint8_t *p = fx.mem + RSDP_AT;
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "PVHBT ", 6);
	p[15] = 2;                       /* revision */
	memcpy(p + 16, "\x78\x56\x34\x12", 4); /* rsdt */
	p[20] = 36;                      /* length */
	rsdp_checksums();
}

/* The flat 32-bit state every protocol's 32-bit entry wants. */
static void cpu_flat32(uint16_t cs, uint16_t ds)
{
	struct cpu_state *c = &fx.cpu;
	c->cr0 = 0x11; /* PE | ET */
	c->rflags = 0x2;
	c->gdt_limit = 0x2f;
	c->gdt_base = 0x1000;
	c->entry_mode = 32;
	c->sel[SEG_CS] = cs;
	c->desc[SEG_CS][0] = DESC_CODE32;
	for (int s = SEG_DS; s <= SEG_SS; s++) {
		c->sel[s] = ds;
		c->desc[s][0] = DESC_DATA32;
	}
	c->sel[SEG_TR] = 0x20;
	c->desc[SEG_TR][0] = DESC_TSS32_BUSY;
}

static void fixture_reset(void (*check)(const struct probe_env *e))
{
	if (!fx.mem)
		fx.mem = malloc(MEM_SIZE);
	memset(fx.mem, 0, MEM_SIZE);
	memset(&fx.cpu, 0, sizeof(fx.cpu));
	memset(&fx.env, 0, sizeof(fx.env));
	fx.env.r = &fx.r;
	fx.env.mem = (struct probe_mem){ (uintptr_t)fx.mem, MEM_SIZE };
	fx.env.cpu = &fx.cpu;
	fx.env.image.start = IMAGE_START;
	fx.env.image.end = IMAGE_END;
	fx.check = check;
	put_rsdp();
}

/* ---- PVH ---------------------------------------------------------------- */

#define SI_AT 0x1000u
#define PVH_MODLIST 0x1200u
#define PVH_MEMMAP 0x1400u

static struct hvm_memmap_table_entry *pvh_map(unsigned i)
{
	return AT(struct hvm_memmap_table_entry, PVH_MEMMAP + i * sizeof(struct hvm_memmap_table_entry));
}

static struct hvm_modlist_entry *pvh_mod(unsigned i)
{
	return AT(struct hvm_modlist_entry, PVH_MODLIST + i * sizeof(struct hvm_modlist_entry));
}

static void pvh_setup(void)
{
	fixture_reset(check_pvh);
	fx.env.image.bss_must_be_zero = true;
	cpu_flat32(0x10, 0x18);
	fx.cpu.rbx = SI_AT;

	struct hvm_start_info *si = AT(struct hvm_start_info, SI_AT);
	*si = (struct hvm_start_info){
		.magic = HVM_START_MAGIC,
		.version = 1,
		.nr_modules = 2,
		.modlist_paddr = PVH_MODLIST,
		.cmdline_paddr = 0x1100,
		.rsdp_paddr = RSDP_AT,
		.memmap_paddr = PVH_MEMMAP,
		.memmap_entries = 4,
	};
	put_string(0x1100, "console=ttyS0 probe=pvh");
	*pvh_map(0) = (struct hvm_memmap_table_entry){ 0, 0x9fc00, 1, 0 };
	*pvh_map(1) = (struct hvm_memmap_table_entry){ 0xf0000, 0x10000, 2, 0 };
	*pvh_map(2) = (struct hvm_memmap_table_entry){ 0x100000, 0x6f0000, 1, 0 };
	*pvh_map(3) = (struct hvm_memmap_table_entry){ 0x7f0000, 0x10000, 2, 0 };
	*pvh_mod(0) = (struct hvm_modlist_entry){ MOD0_AT, MOD0_SIZE, 0x1300, 0 };
	*pvh_mod(1) = (struct hvm_modlist_entry){ MOD1_AT, MOD1_SIZE, 0x1380, 0 };
	put_module(MOD0_AT, MOD0_SIZE, 0x1300, "initrd one");
	put_module(MOD1_AT, MOD1_SIZE, 0x1380, "second");
}

/* ---- multiboot1 ------------------------------------------------------- */

#define MBI_AT 0x1000u
#define MB1_MODS 0x1200u
#define MB1_MMAP 0x1400u

static struct mb1_info *mbi(void)
{
	return AT(struct mb1_info, MBI_AT);
}

static struct mb1_mmap_entry *mb1_map(unsigned i)
{
	return AT(struct mb1_mmap_entry, MB1_MMAP + i * sizeof(struct mb1_mmap_entry));
}

static struct mb1_module *mb1_mod(unsigned i)
{
	return AT(struct mb1_module, MB1_MODS + i * sizeof(struct mb1_module));
}

static void mb1_setup(void)
{
	fixture_reset(check_mb1);
	fx.env.image.bss_must_be_zero = true;
	fx.env.image.mb1_header_flags = MB1_PAGE_ALIGN | MB1_MEMORY_INFO;
	cpu_flat32(0x08, 0x10);
	fx.cpu.rax = MB1_BOOT_MAGIC;
	fx.cpu.rbx = MBI_AT;

	*mbi() = (struct mb1_info){
		.flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS | MB1_INFO_MEM_MAP |
			 MB1_INFO_BOOT_LOADER_NAME,
		.mem_lower = 639,
		.mem_upper = (0x7f0000 - 0x100000) / 1024,
		.cmdline = 0x1100,
		.mods_count = 2,
		.mods_addr = MB1_MODS,
		.mmap_length = 4 * sizeof(struct mb1_mmap_entry),
		.mmap_addr = MB1_MMAP,
		.boot_loader_name = 0x1180,
	};
	put_string(0x1100, "kernel probe=mb1 x=1");
	put_string(0x1180, "pvhboot");
	*mb1_map(0) = (struct mb1_mmap_entry){ 20, 0, 0x9fc00, 1 };
	*mb1_map(1) = (struct mb1_mmap_entry){ 20, 0xf0000, 0x10000, 2 };
	*mb1_map(2) = (struct mb1_mmap_entry){ 20, 0x100000, 0x6f0000, 1 };
	*mb1_map(3) = (struct mb1_mmap_entry){ 20, 0x7f0000, 0x10000, 2 };
	*mb1_mod(0) = (struct mb1_module){ MOD0_AT, MOD0_AT + MOD0_SIZE, 0x1300, 0 };
	*mb1_mod(1) = (struct mb1_module){ MOD1_AT, MOD1_AT + MOD1_SIZE, 0x1380, 0 };
	put_module(MOD0_AT, MOD0_SIZE, 0x1300, "first");
	put_module(MOD1_AT, MOD1_SIZE, 0x1380, "second");
}

/* The probe kernels paint and hold here; the host test only records it. */
static struct {
	unsigned calls;
	uint64_t addr;
	uint32_t pitch, width, height, pixel;
} fb_shown;

void probe_fb_show(uint64_t addr, uint32_t pitch, uint32_t width, uint32_t height,
		   uint32_t pixel)
{
	fb_shown.calls++;
	fb_shown.addr = addr;
	fb_shown.pitch = pitch;
	fb_shown.width = width;
	fb_shown.height = height;
	fb_shown.pixel = pixel;
}

/* A 640x480 XRGB8888 framebuffer at 0xc0000000, outside the memory map, as GOP gives. */
static void mb1_fb_setup(void)
{
	mb1_setup();
	struct mb1_info *m = mbi();
	m->flags |= MB1_INFO_FRAMEBUFFER_INFO;
	m->framebuffer_addr = 0xc0000000;
	m->framebuffer_pitch = 640 * 4;
	m->framebuffer_width = 640;
	m->framebuffer_height = 480;
	m->framebuffer_bpp = 32;
	m->framebuffer_type = MB1_FRAMEBUFFER_TYPE_RGB;
	static const uint8_t xrgb[6] = { 16, 8, 8, 8, 0, 8 };
	memcpy(m->color_info, xrgb, sizeof(xrgb));
	memset(&fb_shown, 0, sizeof(fb_shown));
}

/* ---- Linux ------------------------------------------------------------ */

static struct boot_params *bp(void)
{
	return AT(struct boot_params, BP_AT);
}

/* The probe's own setup header, as bzimage_header.S writes it. */
static struct setup_header own_header(bool linux64)
{
	return (struct setup_header){
		.setup_sects = 1,
		.syssize = 0x5c6,
		.vid_mode = 0xffff,
		.boot_flag = SETUP_BOOT_FLAG,
		.jump = 0x6aeb,
		.header = SETUP_HDRS_MAGIC,
		.version = 0x020f,
		.start_sys_seg = 0x1000,
		.loadflags = LOADED_HIGH,
		.code32_start = 0x100000,
		.initrd_addr_max = 0x7fffffff,
		.kernel_alignment = 0x200000,
		.relocatable_kernel = 1,
		.min_alignment = 21,
		.xloadflags = linux64 ? XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G : 0,
		.cmdline_size = 2047,
		.pref_address = 0x1000000,
		.init_size = LINUX_INIT_SIZE,
	};
}

static void linux_cmdline(const char *extra)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "console=ttyS0 initrd_crc32=%08x initrd_size=%u%s",
		 zlib_crc(INITRD_AT, INITRD_SIZE), INITRD_SIZE, extra);
	put_string(CMDLINE_AT, buf);
}

static void linux_setup(bool entry64)
{
	fixture_reset(check_linux);
	fx.env.image.linux_hdr = own_header(true);
	fx.env.image.start = LINUX_LOAD;
	fx.env.image.end = LINUX_LOAD + LINUX_INIT_SIZE;

	struct boot_params *b = bp();
	b->hdr = fx.env.image.linux_hdr;
	b->hdr.type_of_loader = 0xff;
	b->hdr.code32_start = LINUX_LOAD;
	b->hdr.cmd_line_ptr = CMDLINE_AT;
	b->hdr.ramdisk_image = INITRD_AT;
	b->hdr.ramdisk_size = INITRD_SIZE;
	b->acpi_rsdp_addr = RSDP_AT;
	b->e820_entries = 4;
	b->e820_table[0] = (struct e820_entry){ 0, 0x9fc00, 1 };
	b->e820_table[1] = (struct e820_entry){ 0xf0000, 0x10000, 2 };
	b->e820_table[2] = (struct e820_entry){ 0x100000, 0x6f0000, 1 };
	b->e820_table[3] = (struct e820_entry){ 0x7f0000, 0x10000, 2 };
	for (uint32_t i = 0; i < INITRD_SIZE; i++)
		fx.mem[INITRD_AT + i] = (uint8_t)(i * 13 + 1);
	linux_cmdline("");

	if (!entry64) {
		cpu_flat32(BOOT_CS, BOOT_DS);
		fx.cpu.rsi = BP_AT;
		return;
	}
	struct cpu_state *c = &fx.cpu;
	cpu_flat32(BOOT_CS, BOOT_DS);
	c->entry_mode = 64;
	c->desc[SEG_CS][0] = DESC_CODE64;
	c->cr0 = 0x80000011;
	c->cr4 = 0x20;
	c->efer = 0x500; /* LME | LMA */
	c->rsi = BP_AT;
	c->cr3 = PT_AT;
	/* PML4[0] -> PDPT, PDPT[0] -> PD, PD[0..3]: 2 MiB identity pages. */
	*AT(uint64_t, PT_AT) = (PT_AT + 0x1000) | 3;
	*AT(uint64_t, PT_AT + 0x1000) = (PT_AT + 0x2000) | 3;
	for (uint64_t i = 0; i < 4; i++)
		*AT(uint64_t, PT_AT + 0x2000 + i * 8) = i << 21 | 0x83;
}

static void linux32_setup(void)
{
	linux_setup(false);
}

static void linux64_setup(void)
{
	linux_setup(true);
}

/* ---- running and judging ---------------------------------------------- */

static unsigned run_checker(void)
{
	out_len = 0;
	out[0] = 0;
	report_init(&fx.r, out_write, NULL);
	fx.check(&fx.env);
	report_result(&fx.r);
	return fx.r.failed;
}

/* The output's lines that contain @what, for failure messages. */
static const char *lines_with(const char *what)
{
	static char buf[400];
	size_t n = 0;
	buf[0] = 0;
	for (const char *l = out; *l && n < sizeof(buf) - 2;) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		if (memmem(l, len, what, strlen(what))) {
			size_t c = len < sizeof(buf) - n - 2 ? len : sizeof(buf) - n - 2;
			memcpy(buf + n, l, c);
			n += c;
			buf[n++] = '|';
			buf[n] = 0;
		}
		l += len + (e ? 1 : 0);
	}
	return buf;
}

static bool has_line(const char *line)
{
	size_t len = strlen(line);
	for (const char *l = out; *l;) {
		if (strncmp(l, line, len) == 0 && (l[len] == '\n' || l[len] == 0))
			return true;
		const char *e = strchr(l, '\n');
		if (!e)
			break;
		l = e + 1;
	}
	return false;
}

static bool has_line_prefix(const char *prefix)
{
	size_t len = strlen(prefix);
	if (strncmp(out, prefix, len) == 0)
		return true;
	for (const char *l = strchr(out, '\n'); l; l = strchr(l + 1, '\n'))
		if (strncmp(l + 1, prefix, len) == 0)
			return true;
	return false;
}

static void expect_pass(void)
{
	unsigned failed = run_checker();
	if (failed || !has_line("RESULT PASS"))
		FAIL("%u checks failed: %s", failed, lines_with("FAIL"));
	CHECK(fx.r.checks > 10);
}

static void expect_fail(const char *check)
{
	char prefix[64];
	unsigned failed = run_checker();
	snprintf(prefix, sizeof(prefix), "CHECK %s FAIL ", check);
	if (!has_line_prefix(prefix))
		FAIL("no '%s' line; FAIL lines: %s", prefix, lines_with("FAIL"));
	CHECK(failed > 0);
	CHECK(has_line_prefix("RESULT FAIL "));
}

/* ---- the valid structures pass ---------------------------------------- */

TEST(pvh_valid_passes)
{
	pvh_setup();
	expect_pass();
	CHECK(has_line("PROBE pvh"));
	CHECK(has_line("FIELD cmdline=console=ttyS0 probe=pvh"));
	CHECK(has_line("FIELD nr_modules=2"));
	char want[96];
	snprintf(want, sizeof(want), "FIELD module0_cmdline=initrd one crc32=%08x",
		 zlib_crc(MOD0_AT, MOD0_SIZE));
	CHECK(has_line(want));
	CHECK(has_line("FIELD rsdp=0xf0000"));
	CHECK(has_line("FIELD memmap_entries=4"));
	CHECK(has_line("CHECK module1_crc ok"));
	CHECK(has_line("CHECK tr ok"));
	/* The first line is the PROBE line. */
	CHECK(strncmp(out, "PROBE pvh\n", 10) == 0);
}

TEST(pvh_cr0_without_et_passes)
{
	pvh_setup();
	fx.cpu.cr0 = 0x1;
	expect_pass();
}

TEST(pvh_no_cmdline_is_none)
{
	pvh_setup();
	AT(struct hvm_start_info, SI_AT)->cmdline_paddr = 0;
	expect_pass();
	CHECK(has_line("FIELD cmdline=<none>"));
}

TEST(pvh_hidden_segments_unverifiable)
{
	/* Xen: null selectors, empty GDT: nothing to look up, not a failure. */
	pvh_setup();
	fx.cpu.gdt_limit = 0;
	for (int s = 0; s < CPU_NSEG; s++) {
		fx.cpu.sel[s] = 0;
		fx.cpu.desc[s][0] = 0;
	}
	expect_pass();
	CHECK(has_line("CHECK seg_cs ok unverifiable"));
	CHECK(has_line("CHECK tr ok unverifiable"));
}

TEST(mb1_valid_passes)
{
	mb1_setup();
	expect_pass();
	CHECK(strncmp(out, "PROBE multiboot1\n", 17) == 0);
	CHECK(has_line("FIELD cmdline=kernel probe=mb1 x=1"));
	CHECK(has_line("FIELD nr_modules=2"));
	CHECK(has_line("FIELD loader=pvhboot"));
	CHECK(has_line("CHECK module0_aligned ok"));
	CHECK(has_line("CHECK seg_fs ok"));
}

TEST(mb1_framebuffer_passes_and_paints_on_request)
{
	mb1_fb_setup();
	expect_pass();
	CHECK(has_line("FIELD fb=0xc0000000 640x480 pitch 2560 bpp 32 type 1 rgb 16/8 8/8 0/8"));
	CHECK(has_line("CHECK fb_masks ok"));
	CHECK_EQ_INT(fb_shown.calls, 0);
	/* Painting needs the framebuffer inside the probe's window: a small one
	 * in the fixture's reserved top 64 KiB. */
	mbi()->framebuffer_addr = 0x7f0000;
	mbi()->framebuffer_width = mbi()->framebuffer_height = 16;
	mbi()->framebuffer_pitch = 16 * 4;
	put_string(0x1100, "kernel probe=mb1 fb_paint=1");
	expect_pass();
	CHECK(has_line("FIELD fb_paint=0x00ff0000"));
	CHECK_EQ_INT(fb_shown.calls, 1);
	CHECK(fb_shown.addr == 0x7f0000 && fb_shown.pitch == 64 && fb_shown.width == 16 &&
	      fb_shown.height == 16 && fb_shown.pixel == 0x00ff0000);
}

TEST(mb1_unaligned_module_ok_without_flag0)
{
	mb1_setup();
	fx.env.image.mb1_header_flags = MB1_MEMORY_INFO | MB1_AOUT_KLUDGE;
	mb1_mod(1)->mod_start += 0x10;
	put_module(MOD1_AT + 0x10, MOD1_SIZE - 0x10, 0x1380, "second");
	expect_pass();
}

TEST(linux32_valid_passes)
{
	linux32_setup();
	expect_pass();
	CHECK(strncmp(out, "PROBE linux\n", 12) == 0);
	CHECK(has_line("FIELD entry=32"));
	CHECK(has_line("FIELD load=0x400000"));
	CHECK(has_line("FIELD loader=0xff"));
	CHECK(has_line("FIELD rsdp=0xf0000"));
	CHECK(has_line("FIELD nr_modules=1"));
	CHECK(has_line("CHECK initrd_crc ok"));
}

TEST(linux64_valid_passes)
{
	linux64_setup();
	expect_pass();
	CHECK(has_line("FIELD entry=64"));
	CHECK(has_line("CHECK identity_image ok"));
}

TEST(linux_no_initrd_passes)
{
	linux32_setup();
	put_string(CMDLINE_AT, "console=ttyS0");
	bp()->hdr.ramdisk_image = 0;
	bp()->hdr.ramdisk_size = 0;
	expect_pass();
	CHECK(has_line("FIELD nr_modules=0"));
	CHECK(has_line("FIELD cmdline=console=ttyS0"));
}

TEST(linux_e820_ext_is_merged)
{
	/* Entries beyond boot_params' table arrive in SETUP_E820_EXT. */
	linux32_setup();
	struct boot_params *b = bp();
	b->e820_entries = 2;
	b->hdr.setup_data = 0x30000;
	struct setup_data *sd = AT(struct setup_data, 0x30000);
	sd->type = SETUP_E820_EXT;
	sd->len = 2 * sizeof(struct e820_entry);
	memcpy(sd->data, &b->e820_table[2], 2 * sizeof(struct e820_entry));
	memset(&b->e820_table[2], 0, 2 * sizeof(struct e820_entry));
	expect_pass();
	CHECK(has_line("FIELD memmap_entries=4"));
	CHECK(has_line("CHECK setup_data ok"));
}

/* ---- one broken field at a time --------------------------------------- */

struct breakage {
	const char *name;
	void (*setup)(void);
	void (*mutate)(void);
	const char *check; /* the CHECK that must FAIL */
};

#define SI (AT(struct hvm_start_info, SI_AT))

static void si_bad_magic(void) { SI->magic ^= 1; }
static void si_version0(void) { SI->version = 0; }
static void si_reserved(void) { SI->reserved = 1; }
static void si_null(void) { fx.cpu.rbx = 0; }
static void si_no_memmap(void) { SI->memmap_paddr = 0; }
static void pvh_unsorted(void)
{
	struct hvm_memmap_table_entry t = *pvh_map(0);
	*pvh_map(0) = *pvh_map(2);
	*pvh_map(2) = t;
}
static void pvh_overlap(void) { pvh_map(0)->size = 0xf1000; }
static void pvh_zero_entry(void) { pvh_map(3)->size = 0; }
static void pvh_map_reserved(void) { pvh_map(1)->reserved = 7; }
static void pvh_image_not_ram(void)
{
	pvh_map(2)->addr = 0x140000;
	pvh_map(2)->size = 0x6b0000;
}
static void pvh_mod_crc(void) { fx.mem[MOD0_AT + 100] ^= 0x40; }
static void pvh_mod_no_crc_word(void) { put_string(0x1380, "second initrd_crc32=00000000"); }
static void pvh_mod_no_cmdline(void) { pvh_mod(0)->cmdline_paddr = 0; }
static void pvh_mod_bad_hex(void) { put_string(0x1380, "crc32=12345"); }
static void pvh_mod_outside_ram(void) { pvh_mod(1)->paddr = 0x7f8000; }
static void pvh_mod_reserved(void) { pvh_mod(0)->reserved = 1; }
static void rsdp_bad_checksum(void) { fx.mem[RSDP_AT + 9] ^= 1; }
static void rsdp_bad_ext_checksum(void) { fx.mem[RSDP_AT + 30] ^= 1; }
static void rsdp_bad_signature(void)
{
	fx.mem[RSDP_AT] = 'X';
	rsdp_checksums();
}
static void rsdp_bad_length(void)
{
	fx.mem[RSDP_AT + 20] = 20;
	rsdp_checksums();
}
static void pvh_rsdp_absent(void) { SI->rsdp_paddr = 0; }
static void cpu_paging(void) { fx.cpu.cr0 |= CR0_PG; }
static void cpu_cr0_wp(void) { fx.cpu.cr0 |= 1u << 16; }
static void ss_dpl3(void) { fx.cpu.desc[SEG_SS][0] |= 3ull << 45; }
static void cpu_cr4(void) { fx.cpu.cr4 = CR4_PAE; }
static void cpu_lme(void) { fx.cpu.efer = EFER_LME; }
static void cpu_if(void) { fx.cpu.rflags |= EFLAGS_IF; }
static void cpu_tf(void) { fx.cpu.rflags |= EFLAGS_TF; }
static void cpu_vm(void) { fx.cpu.rflags |= EFLAGS_VM; }
static void cs_base(void) { fx.cpu.desc[SEG_CS][0] |= 0x0000000000010000ull; }
static void cs_is_data(void) { fx.cpu.desc[SEG_CS][0] = DESC_DATA32; }
static void cs_16bit(void) { fx.cpu.desc[SEG_CS][0] &= ~(1ull << 54); }
static void cs_dpl3(void) { fx.cpu.desc[SEG_CS][0] |= 3ull << 45; }
static void ds_small_limit(void) { fx.cpu.desc[SEG_DS][0] &= ~(1ull << 55); }
static void ds_read_only(void) { fx.cpu.desc[SEG_DS][0] &= ~(1ull << 41); }
static void es_not_present(void) { fx.cpu.desc[SEG_ES][0] &= ~(1ull << 47); }
static void ss_16bit(void) { fx.cpu.desc[SEG_SS][0] &= ~(1ull << 54); }
static void fs_base(void) { fx.cpu.desc[SEG_FS][0] |= 0xff00000000000000ull; }
static void gs_expand_down(void) { fx.cpu.desc[SEG_GS][0] |= 1ull << 42; }
static void ds_ldt(void) { fx.cpu.sel[SEG_DS] |= 4; }
static void tr_null(void)
{
	fx.cpu.sel[SEG_TR] = 0;
	fx.cpu.desc[SEG_TR][0] = 0;
}
static void tr_limit(void) { fx.cpu.desc[SEG_TR][0] |= 0xff00; }
static void tr_16bit_tss(void) { fx.cpu.desc[SEG_TR][0] = 0x0000830000000067ull; }
static void bss_dirty(void)
{
	fx.cpu.bss_dirty = 3;
	fx.cpu.bss_first_dirty = 0x40;
}

static void mb1_eax(void) { fx.cpu.rax = 0x2badb001; }
static void mb1_null(void) { fx.cpu.rbx = 0; }
static void mb1_entry_size_24(void)
{
	/* Entries padded to 28 bytes with size = 24: a real layout, but not 20. */
	for (unsigned i = 0; i < 4; i++)
		mb1_map(i)->size = 24;
}
static void mb1_mmap_unsorted(void)
{
	struct mb1_mmap_entry t = *mb1_map(0);
	*mb1_map(0) = *mb1_map(2);
	*mb1_map(2) = t;
}
static void mb1_mmap_overlap(void)
{
	mb1_map(2)->addr = 0x7e0000;
	mb1_map(2)->len = 0x20000;
}
static void mb1_mmap_short(void) { mbi()->mmap_length -= 4; }
static void mb1_no_mmap(void) { mbi()->flags &= ~MB1_INFO_MEM_MAP; }
static void mb1_no_cmdline(void) { mbi()->flags &= ~MB1_INFO_CMDLINE; }
static void mb1_no_mods(void) { mbi()->flags &= ~MB1_INFO_MODS; }
static void mb1_no_meminfo(void) { mbi()->flags &= ~MB1_INFO_MEMORY; }
static void mb1_mem_lower(void) { mbi()->mem_lower = 641; }
static void mb1_mem_upper(void) { mbi()->mem_upper += 1; }
static void mb1_mod_unaligned(void)
{
	mb1_mod(0)->mod_start += 0x10;
	put_module(MOD0_AT + 0x10, MOD0_SIZE - 0x10, 0x1300, "first");
}
static void mb1_mod_empty(void) { mb1_mod(0)->mod_end = mb1_mod(0)->mod_start; }
static void mb1_mod_crc(void) { fx.mem[MOD1_AT] ^= 1; }
static void mb1_mod_no_crc(void) { put_string(0x1380, "second"); }
static void mb1_mod_not_ram(void)
{
	mb1_mod(1)->mod_start = 0xf1000;
	mb1_mod(1)->mod_end = 0xf1000 + MOD1_SIZE;
	put_module(0xf1000, MOD1_SIZE, 0x1380, "second");
}
static void mb1_mod_reserved(void) { mb1_mod(1)->reserved = 5; }
static void mb1_no_loader_name(void) { mbi()->flags &= ~MB1_INFO_BOOT_LOADER_NAME; }
static void mb1_empty_loader_name(void) { put_string(0x1180, ""); }
static void mb1_image_not_ram(void) { mb1_map(2)->type = 3; }

static void lx_loader_type(void) { bp()->hdr.type_of_loader = 0x72; }
static void lx_misaligned(void)
{
	fx.env.image.start = LINUX_LOAD + 0x1000;
	fx.env.image.end = fx.env.image.start + LINUX_INIT_SIZE;
	bp()->hdr.code32_start = LINUX_LOAD + 0x1000;
}
static void lx_code32_start(void) { bp()->hdr.code32_start = 0x100000; }
static void lx_initrd_crc(void) { fx.mem[INITRD_AT + 4999] ^= 0x80; }
static void lx_initrd_size(void) { bp()->hdr.ramdisk_size -= 1; }
static void lx_initrd_absent(void)
{
	bp()->hdr.ramdisk_image = 0;
	bp()->hdr.ramdisk_size = 0;
}
static void lx_initrd_unannounced(void) { put_string(CMDLINE_AT, "console=ttyS0"); }
static void lx_initrd_half_announced(void)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "initrd_crc32=%08x", zlib_crc(INITRD_AT, INITRD_SIZE));
	put_string(CMDLINE_AT, buf);
}
static void lx_initrd_ext_high(void) { bp()->ext_ramdisk_image = 1; }
static void lx_initrd_addr_max(void)
{
	fx.env.image.linux_hdr = own_header(false);
	fx.env.image.linux_hdr.initrd_addr_max = INITRD_AT + 4095;
	bp()->hdr.initrd_addr_max = INITRD_AT + 4095;
	bp()->hdr.xloadflags = 0;
}
static void lx_initrd_not_ram(void) { bp()->e820_table[2].size = INITRD_AT - 0x100000; }
static void lx_no_cmdline(void) { bp()->hdr.cmd_line_ptr = 0; }
static void lx_long_cmdline(void)
{
	char *p = AT(char, CMDLINE_AT);
	memset(p, 'a', 2048);
	p[2048] = 0;
}
static void lx_cmdline_at_limit(void)
{
	/* 2047 characters is allowed: not a failure, but checked below. */
	char *p = AT(char, CMDLINE_AT);
	memset(p, 'a', 2047);
	p[2047] = 0;
}
static void lx_version(void) { bp()->hdr.version = 0x020c; }
static void lx_xloadflags(void) { bp()->hdr.xloadflags = 0; }
static void lx_init_size(void) { bp()->hdr.init_size = 0x1000; }
static void lx_loaded_high_lost(void) { bp()->hdr.loadflags = 0; }
static void lx_sentinel(void) { bp()->sentinel = 0xff; }
static void lx_subarch(void) { bp()->hdr.hardware_subarch = 2; }
static void lx_e820_zero(void) { bp()->e820_entries = 0; }
static void lx_e820_too_many(void) { bp()->e820_entries = 129; }
static void lx_e820_unsorted(void)
{
	struct e820_entry t = bp()->e820_table[0];
	bp()->e820_table[0] = bp()->e820_table[3];
	bp()->e820_table[3] = t;
}
static void lx_e820_overlap(void) { bp()->e820_table[1].size = 0x20000; }
static void lx_image_not_ram(void) { bp()->e820_table[2].size = LINUX_LOAD + 0x1000 - 0x100000; }
static void lx_bp_not_ram(void) { bp()->e820_table[0].size = BP_AT; }
static void lx_bp_null(void) { fx.cpu.rsi = 0; }
static void lx_rsdp(void) { bp()->acpi_rsdp_addr = RSDP_AT + 16; }
static void lx_setup_data_bad(void) { bp()->hdr.setup_data = 0x7fffff0; }
static void lx_regs(void) { fx.cpu.rbx = 1; }
static void lx_edi(void) { fx.cpu.rdi = 0x1000; }
static void lx_cs_sel(void) { fx.cpu.sel[SEG_CS] = 0x08; }
static void lx_ds_sel(void) { fx.cpu.sel[SEG_DS] = 0x10; }
static void lx_ss_sel(void) { fx.cpu.sel[SEG_SS] = 0x20; }
static void lx64_cs_32bit(void) { fx.cpu.desc[SEG_CS][0] = DESC_CODE32; }
static void lx64_no_lma(void) { fx.cpu.efer = EFER_LME; }
static void lx64_la57(void) { fx.cpu.cr4 |= CR4_LA57; }
static void lx64_no_paging(void) { fx.cpu.cr0 = 0x11; }
static void lx64_not_identity(void) { *AT(uint64_t, PT_AT + 0x2000 + 2 * 8) = (3ull << 21) | 0x83; }
static void lx64_bp_unmapped(void) { *AT(uint64_t, PT_AT + 0x2000) = 0; }
static void lx64_for_32bit_kernel(void)
{
	fx.env.image.linux_hdr = own_header(false);
	bp()->hdr.xloadflags = 0;
}

static void fb_type_indexed(void) { mbi()->framebuffer_type = MB1_FRAMEBUFFER_TYPE_INDEXED; }
static void fb_pitch_short(void) { mbi()->framebuffer_pitch = 639 * 4; }
static void fb_no_address(void) { mbi()->framebuffer_addr = 0; }
static void fb_masks_overlap(void) { mbi()->color_info[4] = 8; /* blue over green */ }
static void fb_mask_past_bpp(void) { mbi()->color_info[0] = 28; }
static void fb_in_ram(void) { mbi()->framebuffer_addr = 0x200000; }

static const struct breakage breakages[] = {
	{ "mb1_fb_type_indexed", mb1_fb_setup, fb_type_indexed, "fb_type" },
	{ "mb1_fb_pitch_short", mb1_fb_setup, fb_pitch_short, "fb_geometry" },
	{ "mb1_fb_no_address", mb1_fb_setup, fb_no_address, "fb_geometry" },
	{ "mb1_fb_masks_overlap", mb1_fb_setup, fb_masks_overlap, "fb_masks" },
	{ "mb1_fb_mask_past_bpp", mb1_fb_setup, fb_mask_past_bpp, "fb_masks" },
	{ "mb1_fb_in_ram", mb1_fb_setup, fb_in_ram, "fb_not_ram" },
	{ "pvh_bad_magic", pvh_setup, si_bad_magic, "magic" },
	{ "pvh_version_0", pvh_setup, si_version0, "version" },
	{ "pvh_version_0_has_no_memmap", pvh_setup, si_version0, "memmap_present" },
	{ "pvh_reserved", pvh_setup, si_reserved, "reserved" },
	{ "pvh_null_start_info", pvh_setup, si_null, "start_info" },
	{ "pvh_no_memmap", pvh_setup, si_no_memmap, "memmap_present" },
	{ "pvh_unsorted_memmap", pvh_setup, pvh_unsorted, "memmap_sorted" },
	{ "pvh_overlapping_memmap", pvh_setup, pvh_overlap, "memmap_overlap" },
	{ "pvh_zero_size_entry", pvh_setup, pvh_zero_entry, "memmap_nonzero" },
	{ "pvh_memmap_reserved", pvh_setup, pvh_map_reserved, "memmap_reserved" },
	{ "pvh_image_not_ram", pvh_setup, pvh_image_not_ram, "image_in_ram" },
	{ "pvh_module_crc", pvh_setup, pvh_mod_crc, "module0_crc" },
	{ "pvh_module_crc_word_missing", pvh_setup, pvh_mod_no_crc_word, "module1_crc" },
	{ "pvh_module_cmdline_missing", pvh_setup, pvh_mod_no_cmdline, "module0_crc" },
	{ "pvh_module_crc_malformed", pvh_setup, pvh_mod_bad_hex, "module1_crc" },
	{ "pvh_module_outside_ram", pvh_setup, pvh_mod_outside_ram, "module1_in_ram" },
	{ "pvh_module_reserved", pvh_setup, pvh_mod_reserved, "module0_reserved" },
	{ "pvh_rsdp_checksum", pvh_setup, rsdp_bad_checksum, "rsdp" },
	{ "pvh_rsdp_ext_checksum", pvh_setup, rsdp_bad_ext_checksum, "rsdp" },
	{ "pvh_rsdp_signature", pvh_setup, rsdp_bad_signature, "rsdp" },
	{ "pvh_rsdp_length", pvh_setup, rsdp_bad_length, "rsdp" },
	{ "pvh_rsdp_absent", pvh_setup, pvh_rsdp_absent, "rsdp" },
	{ "pvh_paging_on", pvh_setup, cpu_paging, "cr0" },
	{ "pvh_cr0_wp", pvh_setup, cpu_cr0_wp, "cr0" },
	{ "pvh_cr4_nonzero", pvh_setup, cpu_cr4, "cr4" },
	{ "pvh_efer_lme", pvh_setup, cpu_lme, "efer" },
	{ "pvh_if_set", pvh_setup, cpu_if, "eflags_if" },
	{ "pvh_tf_set", pvh_setup, cpu_tf, "eflags_tf" },
	{ "pvh_vm_set", pvh_setup, cpu_vm, "eflags_vm" },
	{ "pvh_cs_base", pvh_setup, cs_base, "seg_cs" },
	{ "pvh_cs_is_data", pvh_setup, cs_is_data, "seg_cs" },
	{ "pvh_cs_16bit", pvh_setup, cs_16bit, "seg_cs" },
	{ "pvh_cs_dpl3", pvh_setup, cs_dpl3, "seg_cs" },
	{ "pvh_ds_byte_granular", pvh_setup, ds_small_limit, "seg_ds" },
	{ "pvh_ds_read_only", pvh_setup, ds_read_only, "seg_ds" },
	{ "pvh_ds_in_ldt", pvh_setup, ds_ldt, "seg_ds" },
	{ "pvh_es_not_present", pvh_setup, es_not_present, "seg_es" },
	{ "pvh_ss_16bit", pvh_setup, ss_16bit, "seg_ss" },
	{ "pvh_ss_dpl3", pvh_setup, ss_dpl3, "seg_ss" },
	{ "pvh_tr_null", pvh_setup, tr_null, "tr" },
	{ "pvh_tr_limit", pvh_setup, tr_limit, "tr" },
	{ "pvh_tr_16bit_tss", pvh_setup, tr_16bit_tss, "tr" },
	{ "pvh_bss_dirty", pvh_setup, bss_dirty, "bss_zero" },

	{ "mb1_wrong_eax", mb1_setup, mb1_eax, "magic" },
	{ "mb1_null_mbi", mb1_setup, mb1_null, "mbi" },
	{ "mb1_mmap_entry_size_24", mb1_setup, mb1_entry_size_24, "mmap_entry_size" },
	{ "mb1_mmap_unsorted", mb1_setup, mb1_mmap_unsorted, "memmap_sorted" },
	{ "mb1_mmap_overlap", mb1_setup, mb1_mmap_overlap, "memmap_overlap" },
	{ "mb1_mmap_length", mb1_setup, mb1_mmap_short, "mmap_length" },
	{ "mb1_no_mmap", mb1_setup, mb1_no_mmap, "mmap" },
	{ "mb1_missing_cmdline", mb1_setup, mb1_no_cmdline, "cmdline" },
	{ "mb1_no_mods", mb1_setup, mb1_no_mods, "mods" },
	{ "mb1_no_mem_info", mb1_setup, mb1_no_meminfo, "mem_info" },
	{ "mb1_mem_lower", mb1_setup, mb1_mem_lower, "mem_lower" },
	{ "mb1_mem_upper", mb1_setup, mb1_mem_upper, "mem_upper" },
	{ "mb1_module_unaligned", mb1_setup, mb1_mod_unaligned, "module0_aligned" },
	{ "mb1_module_empty", mb1_setup, mb1_mod_empty, "module0_range" },
	{ "mb1_module_crc", mb1_setup, mb1_mod_crc, "module1_crc" },
	{ "mb1_module_no_crc", mb1_setup, mb1_mod_no_crc, "module1_crc" },
	{ "mb1_module_not_ram", mb1_setup, mb1_mod_not_ram, "module1_in_ram" },
	{ "mb1_module_reserved", mb1_setup, mb1_mod_reserved, "module1_reserved" },
	{ "mb1_no_loader_name", mb1_setup, mb1_no_loader_name, "loader_name" },
	{ "mb1_empty_loader_name", mb1_setup, mb1_empty_loader_name, "loader_name" },
	{ "mb1_image_not_ram", mb1_setup, mb1_image_not_ram, "image_in_ram" },
	{ "mb1_paging_on", mb1_setup, cpu_paging, "cr0" },
	{ "mb1_if_set", mb1_setup, cpu_if, "eflags_if" },
	{ "mb1_vm_set", mb1_setup, cpu_vm, "eflags_vm" },
	{ "mb1_fs_base", mb1_setup, fs_base, "seg_fs" },
	{ "mb1_gs_expand_down", mb1_setup, gs_expand_down, "seg_gs" },
	{ "mb1_cs_16bit", mb1_setup, cs_16bit, "seg_cs" },
	{ "mb1_bss_dirty", mb1_setup, bss_dirty, "bss_zero" },

	{ "linux_type_of_loader", linux32_setup, lx_loader_type, "type_of_loader" },
	{ "linux_misaligned_load", linux32_setup, lx_misaligned, "load_aligned" },
	{ "linux_code32_start", linux32_setup, lx_code32_start, "code32_start" },
	{ "linux_initrd_crc", linux32_setup, lx_initrd_crc, "initrd_crc" },
	{ "linux_initrd_size", linux32_setup, lx_initrd_size, "initrd" },
	{ "linux_initrd_absent", linux32_setup, lx_initrd_absent, "initrd" },
	{ "linux_initrd_unannounced", linux32_setup, lx_initrd_unannounced, "initrd" },
	{ "linux_initrd_half_announced", linux32_setup, lx_initrd_half_announced, "initrd_cmdline" },
	{ "linux_initrd_ext_high", linux32_setup, lx_initrd_ext_high, "initrd_crc" },
	{ "linux_initrd_addr_max", linux32_setup, lx_initrd_addr_max, "initrd_addr_max" },
	{ "linux_initrd_not_ram", linux32_setup, lx_initrd_not_ram, "initrd_in_ram" },
	{ "linux_no_cmdline", linux32_setup, lx_no_cmdline, "cmdline" },
	{ "linux_cmdline_too_long", linux32_setup, lx_long_cmdline, "cmdline" },
	{ "linux_hdr_version", linux32_setup, lx_version, "hdr_copied" },
	{ "linux_hdr_xloadflags", linux32_setup, lx_xloadflags, "hdr_copied" },
	{ "linux_hdr_init_size", linux32_setup, lx_init_size, "hdr_copied" },
	{ "linux_hdr_loaded_high", linux32_setup, lx_loaded_high_lost, "hdr_copied" },
	{ "linux_sentinel", linux32_setup, lx_sentinel, "sentinel" },
	{ "linux_subarch", linux32_setup, lx_subarch, "hardware_subarch" },
	{ "linux_e820_empty", linux32_setup, lx_e820_zero, "e820_entries" },
	{ "linux_e820_too_many", linux32_setup, lx_e820_too_many, "e820_entries" },
	{ "linux_e820_unsorted", linux32_setup, lx_e820_unsorted, "memmap_sorted" },
	{ "linux_e820_overlap", linux32_setup, lx_e820_overlap, "memmap_overlap" },
	{ "linux_image_not_ram", linux32_setup, lx_image_not_ram, "image_in_ram" },
	{ "linux_boot_params_not_ram", linux32_setup, lx_bp_not_ram, "boot_params_in_ram" },
	{ "linux_null_boot_params", linux32_setup, lx_bp_null, "boot_params" },
	{ "linux_rsdp", linux32_setup, lx_rsdp, "rsdp" },
	{ "linux_rsdp_checksum", linux32_setup, rsdp_bad_checksum, "rsdp" },
	{ "linux_setup_data_unreachable", linux32_setup, lx_setup_data_bad, "setup_data" },
	{ "linux32_ebx", linux32_setup, lx_regs, "regs" },
	{ "linux32_edi", linux32_setup, lx_edi, "regs" },
	{ "linux32_paging_on", linux32_setup, cpu_paging, "cr0" },
	{ "linux32_if_set", linux32_setup, cpu_if, "eflags_if" },
	{ "linux32_cs_selector", linux32_setup, lx_cs_sel, "seg_cs" },
	{ "linux32_ds_selector", linux32_setup, lx_ds_sel, "seg_ds" },
	{ "linux32_ss_selector", linux32_setup, lx_ss_sel, "seg_ss" },
	{ "linux32_cs_not_flat", linux32_setup, cs_base, "seg_cs" },
	{ "linux32_ss_16bit", linux32_setup, ss_16bit, "seg_ss" },
	{ "linux64_cs_32bit", linux64_setup, lx64_cs_32bit, "seg_cs" },
	{ "linux64_no_lma", linux64_setup, lx64_no_lma, "long_mode" },
	{ "linux64_la57", linux64_setup, lx64_la57, "long_mode" },
	{ "linux64_no_paging", linux64_setup, lx64_no_paging, "cr0" },
	{ "linux64_if_set", linux64_setup, cpu_if, "eflags_if" },
	{ "linux64_image_not_identity", linux64_setup, lx64_not_identity, "identity_image" },
	{ "linux64_boot_params_unmapped", linux64_setup, lx64_bp_unmapped, "identity_boot_params" },
	{ "linux64_entry_without_xlf", linux64_setup, lx64_for_32bit_kernel, "entry64_allowed" },
};

static const struct breakage *current;

static void run_breakage(void)
{
	current->setup();
	expect_pass(); /* the unbroken fixture, so the failure is the mutation's */
	current->setup();
	current->mutate();
	expect_fail(current->check);
}

TEST(linux_cmdline_at_limit_passes)
{
	linux32_setup();
	lx_cmdline_at_limit();
	run_checker();
	CHECK(has_line("CHECK cmdline ok"));
	/* Without initrd words the given initrd is unannounced. */
	CHECK(has_line_prefix("CHECK initrd FAIL "));
}

/* ---- the report and the helpers --------------------------------------- */

TEST(report_format)
{
	char buf[64];
	probe_snprintf(buf, sizeof(buf), "%s=%u/%x/%08x/%d/%llx/%zu/%c%%", "a", 42u, 0xabu, 0x1fu,
		       -5, 0x123456789abull, (size_t)7, 'z');
	CHECK(strcmp(buf, "a=42/ab/0000001f/-5/123456789ab/7/z%") == 0);
	CHECK_EQ_INT(probe_snprintf(buf, 4, "%s", "abcdef"), 6);
	CHECK(strcmp(buf, "abc") == 0);

	out_len = 0;
	out[0] = 0;
	report_init(&fx.r, out_write, NULL);
	report_field_str(&fx.r, "cmdline", "a b\tc\x01", 6);
	CHECK(has_line("FIELD cmdline=a b\\x09c\\x01"));
	report_unverifiable(&fx.r, "seg_cs");
	report_check(&fx.r, "x", false, "bad %u", 3u);
	report_check(&fx.r, "y", false, "-");
	CHECK(has_line("CHECK x FAIL bad 3"));
	CHECK_EQ_INT(report_result(&fx.r), 1);
	CHECK(has_line("RESULT FAIL 2"));

	out_len = 0;
	report_init(&fx.r, out_write, NULL);
	CHECK_EQ_INT(report_result(&fx.r), 1); /* no checks is no pass */
	CHECK(has_line("RESULT FAIL 1"));
}

TEST(crc32_matches_zlib)
{
	CHECK_EQ_U64(probe_crc32("123456789", 9), 0xcbf43926);
	CHECK_EQ_U64(probe_crc32("", 0), 0);
	uint8_t buf[1000];
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 31 + 7);
	CHECK_EQ_U64(probe_crc32(buf, sizeof(buf)), crc32(0, buf, sizeof(buf)));
}

TEST(cmdline_words)
{
	const char *s = "initrd_crc32=11111111 x crc32=2222aaaa  y=", *v;
	size_t n;
	uint32_t crc;
	uint64_t dec;
	CHECK_EQ_INT(cmdline_value(s, strlen(s), "crc32", &v, &n), 0);
	CHECK_EQ_INT(parse_hex32(v, n, &crc), 0);
	CHECK_EQ_U64(crc, 0x2222aaaa);
	CHECK_EQ_INT(cmdline_value(s, strlen(s), "y", &v, &n), 0);
	CHECK_EQ_U64(n, 0);
	CHECK_EQ_INT(cmdline_value(s, strlen(s), "x", &v, &n), -ENOENT);
	/* The key is a whole word before '=': "crc32x=" is not "crc32=". */
	const char *t = "crc32x=11111111 crc32=33333333";
	CHECK_EQ_INT(cmdline_value(t, strlen(t), "crc32", &v, &n), 0);
	CHECK_EQ_INT(parse_hex32(v, n, &crc), 0);
	CHECK_EQ_U64(crc, 0x33333333);
	CHECK_EQ_INT(parse_hex32("1234567", 7, &crc), -EINVAL);
	CHECK_EQ_INT(parse_hex32("1234567g", 8, &crc), -EINVAL);
	CHECK_EQ_INT(parse_dec64("18446744073709551615", 20, &dec), 0);
	CHECK_EQ_U64(dec, UINT64_MAX);
	CHECK_EQ_INT(parse_dec64("18446744073709551616", 20, &dec), -EINVAL);
	CHECK_EQ_INT(parse_dec64("12a", 3, &dec), -EINVAL);
}

TEST(memmap_ram_runs)
{
	struct probe_memmap m = { .n = 3 };
	m.r[0] = (struct probe_range){ 0x1000, 0x1000, 1 };
	m.r[1] = (struct probe_range){ 0x2000, 0x1000, 1 }; /* adjacent: one run */
	m.r[2] = (struct probe_range){ 0x3000, 0x1000, 2 };
	CHECK(memmap_is_ram(&m, 0x1800, 0x1000));
	CHECK(!memmap_is_ram(&m, 0x1800, 0x2000));
	CHECK(!memmap_is_ram(&m, 0x800, 0x1000));
	CHECK_EQ_U64(memmap_ram_end(&m, 0x1000), 0x3000);
	CHECK_EQ_U64(memmap_ram_end(&m, 0x3000), 0x3000);
	m.r[2] = (struct probe_range){ 0xfffffffffffff000ull, 0x1000, 1 }; /* ends at 2^64 */
	CHECK(memmap_is_ram(&m, 0xfffffffffffff800ull, 0x800));
	CHECK(!memmap_is_ram(&m, 0xfffffffffffff800ull, 0x801));
}

/* Exact boundaries: touching entries are fine, one shared byte is not. */
TEST(memmap_order_boundaries)
{
	struct probe_memmap m = { .n = 2 };
	m.r[0] = (struct probe_range){ 0, 0x1000, 1 };
	m.r[1] = (struct probe_range){ 0x1000, 0x1000, 2 };
	out_len = 0;
	report_init(&fx.r, out_write, NULL);
	memmap_check_order(&fx.r, &m);
	CHECK_EQ_INT(fx.r.failed, 0);

	m.r[0].size = 0x1001;
	out_len = 0;
	report_init(&fx.r, out_write, NULL);
	memmap_check_order(&fx.r, &m);
	CHECK(has_line_prefix("CHECK memmap_overlap FAIL entries 0 [0x0+0x1001) and 1"));

	/* Unsorted and overlapping: found whatever the order. */
	m.r[0] = (struct probe_range){ 0x1fff, 0x10, 1 };
	m.r[1] = (struct probe_range){ 0x1000, 0x1000, 1 };
	out_len = 0;
	report_init(&fx.r, out_write, NULL);
	memmap_check_order(&fx.r, &m);
	CHECK(has_line_prefix("CHECK memmap_overlap FAIL "));
	CHECK(has_line_prefix("CHECK memmap_sorted FAIL "));
	CHECK(has_line("FIELD memmap1=0x1000+0x1000 type 1"));

	/* One byte below its predecessor, not overlapping: unsorted only. */
	m.r[0] = (struct probe_range){ 0x1000, 0x10, 1 };
	m.r[1] = (struct probe_range){ 0xfff, 1, 1 };
	out_len = 0;
	report_init(&fx.r, out_write, NULL);
	memmap_check_order(&fx.r, &m);
	CHECK(has_line_prefix("CHECK memmap_sorted FAIL entry 1 at 0xfff follows 0x1000"));
	CHECK(has_line("CHECK memmap_overlap ok"));
}

int main(void)
{
	RUN(pvh_valid_passes);
	RUN(pvh_cr0_without_et_passes);
	RUN(pvh_no_cmdline_is_none);
	RUN(pvh_hidden_segments_unverifiable);
	RUN(mb1_valid_passes);
	RUN(mb1_framebuffer_passes_and_paints_on_request);
	RUN(mb1_unaligned_module_ok_without_flag0);
	RUN(linux32_valid_passes);
	RUN(linux64_valid_passes);
	RUN(linux_no_initrd_passes);
	RUN(linux_e820_ext_is_merged);
	RUN(linux_cmdline_at_limit_passes);
	for (size_t i = 0; i < ARRAY_SIZE(breakages); i++) {
		current = &breakages[i];
		test_run(current->name, run_breakage);
	}
	RUN(report_format);
	RUN(crc32_matches_zlib);
	RUN(cmdline_words);
	RUN(memmap_ram_runs);
	RUN(memmap_order_boundaries);
	free(fx.mem);
	return test_summary();
}
