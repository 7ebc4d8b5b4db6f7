/* SPDX-License-Identifier: MIT */
/*
 * From a grub.cfg in the shape Debian's /etc/grub.d/20_linux_xen writes to
 * the MBI2 the kernel would receive: the entry's protocol, modules (order,
 * arguments, --nounzip), then mb2_plan() on a simulated machine and every
 * tag of the MBI decoded back. Also: relocation, firmware memory, refusals,
 * and GRUB's module inflation.
 */
#include <zlib.h>

#include "../../config/config.h"
#include "../../config/module_unzip.h"
#include "../../core/errno.h"
#include "../../core/pagealloc.h"
#include "../../loaders/kernel.h"
#include "../../loaders/multiboot2.h"
#include "../../loaders/multiboot2_elfsyms.h"
#include "../fuzz/mb2img.h"
#include "test.h"

#define F(...) ((const uint32_t[]){ __VA_ARGS__ }), (sizeof((uint32_t[]){ __VA_ARGS__ }) / 4)
#define LOAD 0x200000u
#define HOFF 64u

static const char debian_xen[] =
	"menuentry 'Debian GNU/Linux, with Xen hypervisor' --class xen $menuentry_id_option "
	"'xen-gnulinux-simple' {\n"
	"\tinsmod part_gpt\n"
	"\tset root='hd0,gpt2'\n"
	"\techo\t'Loading Xen 4.17-amd64 ...'\n"
	"\tmultiboot2\t/boot/xen-4.17-amd64.gz placeholder dom0_mem=2048M,max:2048M ${xen_rm_opts}\n"
	"\techo\t'Loading Linux 6.1.0-18-amd64 ...'\n"
	"\tmodule2\t/boot/vmlinuz-6.1.0-18-amd64 placeholder root=UUID=abc ro  quiet\n"
	"\techo\t'Loading initial ramdisk ...'\n"
	"\tinsmod\tgzio\n"
	"\tmodule2\t--nounzip   /boot/initrd.img-6.1.0-18-amd64\n"
	"}\n"
	"menuentry 'multiboot1 and module' {\n"
	"\tmultiboot /xen.gz dom0_mem=1G\n"
	"\tmodule /policy.gz\n"
	"}\n";

static void parse(struct menu *m)
{
	struct config_source src = { "t:/boot/grub/grub.cfg", NULL, NULL, NULL };
	menu_init(m);
	CHECK_EQ_INT(config_parse_grub(m, &src, debian_xen, strlen(debian_xen)), 0);
}

TEST(grub_debian_xen_entry)
{
	static struct menu m;
	parse(&m);
	CHECK_EQ_U64(m.count, 2);
	const struct menu_entry *e = &m.entries[0];
	CHECK(!strcmp(e->kernel, "(hd0,gpt2)/boot/xen-4.17-amd64.gz"));
	/* GRUB 2's form: the arguments after the file name, placeholder first. */
	CHECK(!strcmp(e->cmdline, "placeholder dom0_mem=2048M,max:2048M"));
	CHECK_EQ_INT(e->protocol, KERNEL_MULTIBOOT2);
	CHECK_EQ_U64(e->nr_initrds, 0);
	CHECK_EQ_U64(e->nr_modules, 2);
	CHECK(!strcmp(e->modules[0].path, "(hd0,gpt2)/boot/vmlinuz-6.1.0-18-amd64"));
	CHECK(!strcmp(e->modules[0].cmdline, "placeholder root=UUID=abc ro quiet"));
	CHECK(e->modules[0].unzip);
	CHECK(!strcmp(e->modules[1].path, "(hd0,gpt2)/boot/initrd.img-6.1.0-18-amd64"));
	CHECK(!strcmp(e->modules[1].cmdline, ""));
	CHECK(!e->modules[1].unzip); /* --nounzip: as stored */
	const struct menu_entry *e1 = &m.entries[1];
	CHECK_EQ_INT(e1->protocol, KERNEL_MULTIBOOT1);
	CHECK(e1->modules[0].unzip); /* `module` inflates too */
	menu_free(&m);
}

/* The machine tools/plan.c simulates: 1 GiB, the usual PC holes. */
static void machine(void)
{
	static struct memmap fw;
	memmap_init(&fw);
	memmap_add(&fw, 0, 0x9fc00, E820_RAM);
	memmap_add(&fw, 0x9fc00, 0x400, E820_RESERVED);
	memmap_add(&fw, 0xf0000, 0x10000, E820_RESERVED);
	memmap_add(&fw, 0x100000, (1u << 30) - 0x100000, E820_RAM);
	memmap_add(&fw, 0xfffc0000, 0x40000, E820_RESERVED);
	memmap_normalize(&fw);
	CHECK_EQ_INT(pagealloc_init(&fw), 0);
	CHECK_EQ_INT(pagealloc_reserve(0x100000, 0x80000, MEM_LOADER), 0);
}

/* A flat image with an address tag for [load, load + len + 4 KiB bss). */
static struct tbuf flat_image(uint32_t load, size_t len, const uint32_t *requests, unsigned nreq,
			      bool relocatable, uint32_t pref)
{
	struct tbuf b = { 0 };
	mb2img_begin(&b, HOFF);
	mb2img_tag(&b, MB2_HTAG_INFO_REQUEST, 0, 0, requests, nreq);
	mb2img_tag(&b, MB2_HTAG_ADDRESS, 0, 0,
		   F(load + HOFF, load, (uint32_t)(load + len), (uint32_t)(load + len + 0x1000)));
	mb2img_tag(&b, MB2_HTAG_ENTRY, 0, 0, F(load + 0x400));
	if (relocatable)
		mb2img_tag(&b, MB2_HTAG_RELOCATABLE, 0, 0, F(0x1000000, 0x3fffffff, 0x200000, pref));
	mb2img_end(&b, HOFF);
	mb2img_pad(&b, len);
	return b;
}

static const struct plan_chunk *chunk_named(const struct boot_plan *p, const char *what)
{
	for (unsigned i = 0; i < p->nr_chunks; i++)
		if (!strcmp(p->chunks[i].what, what))
			return &p->chunks[i];
	return NULL;
}

/*
 * The boot structures a plan allocated (its chunk sources until the
 * handoff): freed here so that LeakSanitizer sees a clean run.
 */
/* The MBI, walked tag by tag: every tag 8-aligned, sizes within total_size. */
struct mbi_seen {
	const uint8_t *tag[MB2_TAG_MAX + 1];  /* the last one of each type */
	unsigned count[MB2_TAG_MAX + 1];
	const uint8_t *module[4];
};

static void walk_mbi(const uint8_t *mbi, uint64_t len, struct mbi_seen *s)
{
	memset(s, 0, sizeof(*s));
	uint32_t total = get_le32(mbi);
	CHECK_EQ_U64(total, len);
	CHECK_EQ_U64(get_le32(mbi + 4), 0);
	uint32_t off = 8;
	for (;;) {
		CHECK(off % 8 == 0 && off + 8 <= total);
		uint32_t type = get_le32(mbi + off), size = get_le32(mbi + off + 4);
		CHECK(size >= 8 && size <= total - off);
		CHECK(type <= MB2_TAG_MAX);
		if (type == MB2_TAG_MODULE && s->count[type] < 4)
			s->module[s->count[type]] = mbi + off;
		s->tag[type] = mbi + off;
		s->count[type]++;
		if (type == MB2_TAG_END) {
			CHECK_EQ_U64(size, 8);
			CHECK_EQ_U64(off + 8, total);
			return;
		}
		off = (uint32_t)ALIGN_UP(off + size, 8);
	}
}

static const char *tag_string(const uint8_t *t, size_t hdr)
{
	uint32_t size = get_le32(t + 4);
	CHECK(size > hdr && t[size - 1] == 0);
	return (const char *)t + hdr;
}

TEST(grub_debian_xen_plan)
{
	static struct menu m;
	static struct boot_request req;
	static struct boot_plan plan;
	struct boot_env env = { .platform = PLATFORM_KVM_PVH, .simulated = true, .rsdp = 0xf59d0 };
	static uint8_t vmlinuz[5000], initrd[12345];
	struct tbuf k = flat_image(LOAD, 0x3000, F(MB2_TAG_CMDLINE, MB2_TAG_MODULE, MB2_TAG_MMAP,
						     MB2_TAG_BASIC_MEMINFO, MB2_TAG_ACPI_NEW),
				   false, 0);

	parse(&m);
	machine();
	const struct menu_entry *e = &m.entries[0];
	memset(&req, 0, sizeof(req));
	req.name = e->kernel;
	req.kernel = k.p;
	req.kernel_size = k.len;
	req.cmdline = e->cmdline;
	req.format = e->protocol;
	req.nr_modules = e->nr_modules;
	req.modules[0] = (struct boot_module){ vmlinuz, sizeof(vmlinuz), e->modules[0].cmdline,
					       e->modules[0].path };
	req.modules[1] = (struct boot_module){ initrd, sizeof(initrd), e->modules[1].cmdline,
					       e->modules[1].path };
	CHECK_EQ_INT(kernel_plan(&env, &req, &plan), 0);
	CHECK_EQ_INT(plan.format, KERNEL_MULTIBOOT2);
	CHECK_EQ_INT(plan.mode, ENTRY_PM32);
	CHECK_EQ_U64(plan.eax, MB2_BOOT_MAGIC);
	CHECK_EQ_U64(plan.entry, LOAD + 0x400);
	const struct plan_chunk *img = chunk_named(&plan, "image");
	CHECK(img && img->dest == LOAD && img->len == 0x3000 && img->zero == 0x1000);
	const struct plan_chunk *c = chunk_named(&plan, "mbi2");
	CHECK(c && c->dest == plan.ebx && c->dest % 8 == 0);

	struct mbi_seen s;
	walk_mbi(c->src, c->len, &s);
	CHECK(!strcmp(tag_string(s.tag[MB2_TAG_CMDLINE], 8), "placeholder dom0_mem=2048M,max:2048M"));
	CHECK(!strcmp(tag_string(s.tag[MB2_TAG_BOOT_LOADER_NAME], 8), "pvhboot"));
	CHECK_EQ_U64(s.count[MB2_TAG_MODULE], 2);
	for (unsigned i = 0; i < 2; i++) {
		const uint8_t *t = s.module[i];
		uint32_t start = get_le32(t + 8), end = get_le32(t + 12);
		CHECK_EQ_U64(end - start, req.modules[i].size);
		CHECK(start % MB2_MOD_ALIGN == 0);
		const struct plan_chunk *mc = chunk_named(&plan, i ? "module 1" : "module 0");
		CHECK(mc && mc->dest == start && mc->src == req.modules[i].data);
		CHECK(!strcmp(tag_string(t, 16), req.modules[i].cmdline)); /* order kept */
	}
	const uint8_t *mm = s.tag[MB2_TAG_MMAP];
	CHECK(mm && get_le32(mm + 8) == 24 && get_le32(mm + 12) == 0);
	uint32_t n = (get_le32(mm + 4) - 16) / 24;
	CHECK(n >= 4);
	for (uint32_t i = 1; i < n; i++)
		CHECK(get_le64(mm + 16 + 24 * i) >= get_le64(mm + 16 + 24 * (i - 1)) +
							    get_le64(mm + 16 + 24 * (i - 1) + 8));
	const uint8_t *mi = s.tag[MB2_TAG_BASIC_MEMINFO];
	CHECK(mi && get_le32(mi + 8) == 639 && get_le32(mi + 12) == (1u << 20) - 1024);
	/* Simulated: the RSDP's shape (v2, 36 bytes) without its bytes. */
	CHECK(s.tag[MB2_TAG_ACPI_OLD] && get_le32(s.tag[MB2_TAG_ACPI_OLD] + 4) == 8 + 20);
	CHECK(s.tag[MB2_TAG_ACPI_NEW] && get_le32(s.tag[MB2_TAG_ACPI_NEW] + 4) == 8 + 36);
	CHECK(!s.tag[MB2_TAG_LOAD_BASE_ADDR] && !s.tag[MB2_TAG_FRAMEBUFFER]);
	plan_release(&plan);
	tbuf_free(&k);
	menu_free(&m);
}

/* The relocatable tag: where the image goes, the entry moved with it, tag 21. */
TEST(relocatable)
{
	static const struct {
		uint32_t pref;
		uint64_t want; /* 0: anything in the window */
	} cases[] = {
		{ MB2_LOAD_PREFERENCE_LOW, 0x1000000 },
		{ MB2_LOAD_PREFERENCE_HIGH, 0x3fe00000 },
		{ MB2_LOAD_PREFERENCE_NONE, 0x1000000 }, /* linked at 2 MiB, below min_addr */
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		static struct boot_request req;
		static struct boot_plan plan;
		struct boot_env env = { .platform = PLATFORM_KVM_PVH, .simulated = true };
		struct tbuf k = flat_image(LOAD, 0x3000, F(MB2_TAG_LOAD_BASE_ADDR), true,
					   cases[i].pref);
		machine();
		memset(&req, 0, sizeof(req));
		req = (struct boot_request){ .name = "reloc", .kernel = k.p, .kernel_size = k.len,
					     .cmdline = "", .format = KERNEL_MULTIBOOT2 };
		CHECK_EQ_INT(kernel_plan(&env, &req, &plan), 0);
		const struct plan_chunk *img = chunk_named(&plan, "image");
		if (!img || img->dest != cases[i].want)
			FAIL("preference %u: image at 0x%" PRIx64 ", want 0x%" PRIx64, cases[i].pref,
			     img ? img->dest : 0, cases[i].want);
		CHECK_EQ_U64(plan.entry, img->dest + 0x400);
		struct mbi_seen s;
		const struct plan_chunk *c = chunk_named(&plan, "mbi2");
		walk_mbi(c->src, c->len, &s);
		CHECK(s.tag[MB2_TAG_LOAD_BASE_ADDR]);
		CHECK_EQ_U64(get_le32(s.tag[MB2_TAG_LOAD_BASE_ADDR] + 8), img->dest);
		plan_release(&plan);
		tbuf_free(&k);
	}
}

/* Refusals: each names the file and the reason, and plans nothing. */
TEST(refusals)
{
	static struct boot_request req;
	static struct boot_plan plan;
	struct boot_env env = { .platform = PLATFORM_KVM_PVH, .simulated = true };

	/* An address tag on firmware memory (the BIOS area at 0xf0000). */
	struct tbuf k = flat_image(0xf0000, 0x2000, F(MB2_TAG_CMDLINE), false, 0);
	machine();
	req = (struct boot_request){ .name = "low", .kernel = k.p, .kernel_size = k.len,
				     .cmdline = "", .format = KERNEL_MULTIBOOT2 };
	CHECK_EQ_INT(kernel_plan(&env, &req, &plan), -EBUSY);
	tbuf_free(&k);

	/* A required information request for tag type 40. */
	k = flat_image(LOAD, 0x2000, F(MB2_TAG_CMDLINE, 40), false, 0);
	machine();
	req.kernel = k.p;
	req.kernel_size = k.len;
	CHECK_EQ_INT(kernel_plan(&env, &req, &plan), -EOPNOTSUPP);
	tbuf_free(&k);

	/* A required console with no framebuffer in a Xen PVH domain. */
	k = (struct tbuf){ 0 };
	mb2img_begin(&k, HOFF);
	mb2img_tag(&k, MB2_HTAG_ADDRESS, 0, 0, F(LOAD + HOFF, LOAD, 0, 0));
	mb2img_tag(&k, MB2_HTAG_ENTRY, 0, 0, F(LOAD));
	mb2img_tag(&k, MB2_HTAG_CONSOLE_FLAGS, 0, 0,
		   F(MB2_CONSOLE_REQUIRED | MB2_CONSOLE_EGA_TEXT));
	mb2img_end(&k, HOFF);
	mb2img_pad(&k, 0x2000);
	machine();
	req.kernel = k.p;
	req.kernel_size = k.len;
	env.platform = PLATFORM_XEN_PVH;
	CHECK_EQ_INT(kernel_plan(&env, &req, &plan), -EOPNOTSUPP);
	env.platform = PLATFORM_KVM_PVH; /* a VM may have an EGA screen */
	machine();
	CHECK_EQ_INT(kernel_plan(&env, &req, &plan), 0);
	plan_release(&plan);
	tbuf_free(&k);

	/* multiboot2 forced on a file with only a multiboot1 header. */
	static const uint32_t mb1[4] = { MB1_HEADER_MAGIC, 0, -MB1_HEADER_MAGIC, 0 };
	machine();
	req.kernel = mb1;
	req.kernel_size = sizeof(mb1);
	CHECK_EQ_INT(kernel_plan(&env, &req, &plan), -ENOEXEC);
}

/*
 * Both headers, no hint: multiboot1 on the PVH platforms; on EFI too until
 * the EFI entry exists (MB2_PREFERRED_ON_EFI in loaders/multiboot2.c).
 */
TEST(preference)
{
	static struct boot_request req;
	static struct boot_plan plan;
	struct tbuf k = { 0 };
	/* multiboot1 with the a.out kludge at 0, multiboot2 at 64, same load range. */
	tbuf_le32(&k, MB1_HEADER_MAGIC);
	tbuf_le32(&k, MB1_AOUT_KLUDGE);
	tbuf_le32(&k, -(MB1_HEADER_MAGIC + MB1_AOUT_KLUDGE));
	uint32_t kl[5] = { LOAD, LOAD, LOAD + 0x2000, LOAD + 0x2000, LOAD };
	for (unsigned i = 0; i < 5; i++)
		tbuf_le32(&k, kl[i]);
	mb2img_begin(&k, HOFF);
	mb2img_tag(&k, MB2_HTAG_ADDRESS, 0, 0, F(LOAD + HOFF, LOAD, LOAD + 0x2000, 0));
	mb2img_tag(&k, MB2_HTAG_ENTRY, 0, 0, F(LOAD));
	mb2img_end(&k, HOFF);
	mb2img_pad(&k, 0x2000);
	CHECK_EQ_U64(detect_all_formats(k.p, k.len),
		     (1u << KERNEL_MULTIBOOT1) | (1u << KERNEL_MULTIBOOT2));
	static const struct {
		enum platform_kind platform;
		enum kernel_format force;
		const char *want;
	} cases[] = {
		{ PLATFORM_KVM_PVH, KERNEL_UNKNOWN, "multiboot1" },
		{ PLATFORM_XEN_PVH, KERNEL_UNKNOWN, "multiboot1" },
		{ PLATFORM_EFI, KERNEL_UNKNOWN, "multiboot2" },
		{ PLATFORM_EFI, KERNEL_MULTIBOOT2, "multiboot2" },
		{ PLATFORM_KVM_PVH, KERNEL_MULTIBOOT2, "multiboot2" },
		{ PLATFORM_EFI, KERNEL_MULTIBOOT1, "multiboot1" },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct boot_env env = { .platform = cases[i].platform, .simulated = true,
					.efi_systab = cases[i].platform == PLATFORM_EFI ? 0x7f000000 : 0 };
		machine();
		req = (struct boot_request){ .name = "both", .kernel = k.p, .kernel_size = k.len,
					     .cmdline = "", .format = cases[i].force };
		CHECK_EQ_INT(kernel_plan(&env, &req, &plan), 0);
		if (strcmp(kernel_format_name(plan.format), cases[i].want))
			FAIL("case %u: %s, want %s", i, kernel_format_name(plan.format),
			     cases[i].want);
		plan_release(&plan);
	}
	tbuf_free(&k);
}

/* GRUB's filters: gzip and xz modules inflated, zstd and plain ones as stored. */
TEST(module_unzip)
{
	static uint8_t plain[4096];
	for (unsigned i = 0; i < sizeof(plain); i++)
		plain[i] = (uint8_t)(i * 13);
	uLongf zlen = compressBound(sizeof(plain)) + 32;
	uint8_t *gz = malloc(zlen);
	z_stream zs = { 0 };
	CHECK(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
	zs.next_in = plain;
	zs.avail_in = sizeof(plain);
	zs.next_out = gz;
	zs.avail_out = (uInt)zlen;
	CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END);
	size_t gz_len = zs.total_out;
	deflateEnd(&zs);

	void *data = gz;
	size_t size = gz_len;
	CHECK_EQ_INT(module_unzip("m.gz", &data, &size), 0);
	CHECK_EQ_U64(size, sizeof(plain));
	CHECK(!memcmp(data, plain, size));
	free(data);

	/* Not compressed: untouched, same buffer. */
	data = malloc(sizeof(plain));
	memcpy(data, plain, sizeof(plain));
	void *was = data;
	size = sizeof(plain);
	CHECK_EQ_INT(module_unzip("m", &data, &size), 0);
	CHECK(data == was && size == sizeof(plain));
	free(data);

	/* A truncated gzip stream: refused, the module left as it was. */
	gz = malloc(16);
	memcpy(gz, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff\x00\x00\x00\x00", 16);
	data = gz;
	size = 16;
	CHECK(module_unzip("bad.gz", &data, &size) < 0);
	CHECK(data == gz && size == 16);
	free(gz);
}

/* The ELF sections tag's data: the table copied, unloaded sections placed. */
TEST(elf_sections)
{
	static const uint8_t classes[] = { ELFCLASS32, ELFCLASS64 };
	for (unsigned c = 0; c < 2; c++) {
		struct test_elf_layout lay;
		struct tbuf b = build_pvh_elf(classes[c], 4, NOTES_SECTION, &lay);
		struct mb2_elfsyms s;
		CHECK_EQ_INT(mb2_elfsyms_parse(b.p, b.len, &s), 0);
		CHECK_EQ_U64(s.num, 2); /* NULL, the SHT_NOTE section */
		CHECK_EQ_U64(s.entsize, lay.shentsize);
		CHECK_EQ_U64(s.table_size, 2 * lay.shentsize);
		size_t notes_len = s.block_size;
		CHECK(notes_len > 0);
		mb2_elfsyms_place(&s, b.p, 0x500000);
		/* sh_addr of section 1 in the copy now points at the block. */
		size_t addr_at = lay.shentsize + (classes[c] == ELFCLASS64 ? 16 : 12);
		uint64_t addr = classes[c] == ELFCLASS64 ? get_le64(s.table + addr_at)
							 : get_le32(s.table + addr_at);
		CHECK_EQ_U64(addr, 0x500000);
		CHECK(!memcmp(s.block, b.p + lay.notes_off, notes_len));
		/* The file itself is untouched. */
		CHECK_EQ_U64(get_le32(b.p + lay.shoff + addr_at), 0);
		mb2_elfsyms_free(&s);

		/* One field at a time. */
		size_t shnum_at = classes[c] == ELFCLASS64 ? 60 : 48;
		size_t entsize_at = shnum_at - 2;
		size_t off_at = lay.shoff + lay.shentsize + (classes[c] == ELFCLASS64 ? 24 : 16);
		struct tbuf m = { 0 };
		tbuf_put(&m, b.p, b.len);
		put_le32_at(&m, off_at, (uint32_t)b.len); /* a section past the file */
		CHECK_EQ_INT(mb2_elfsyms_parse(m.p, m.len, &s), -EINVAL);
		memcpy(m.p, b.p, b.len);
		m.p[entsize_at] = 8; /* shentsize too small */
		CHECK_EQ_INT(mb2_elfsyms_parse(m.p, m.len, &s), -EINVAL);
		memcpy(m.p, b.p, b.len);
		m.p[shnum_at] = 0; /* no sections */
		CHECK_EQ_INT(mb2_elfsyms_parse(m.p, m.len, &s), -ENOENT);
		memcpy(m.p, b.p, b.len);
		m.p[shnum_at] = 0xff; /* 0x2ff: more than the table the file holds... */
		m.p[shnum_at + 1] = 0x02;
		CHECK_EQ_INT(mb2_elfsyms_parse(m.p, m.len, &s), -E2BIG); /* ...and the limit */
		memcpy(m.p, b.p, b.len);
		m.p[shnum_at] = 0xff; /* 255: within the limit, past the file */
		CHECK_EQ_INT(mb2_elfsyms_parse(m.p, m.len, &s), -EINVAL);
		tbuf_free(&m);
		tbuf_free(&b);
	}
}

int main(void)
{
	RUN(grub_debian_xen_entry);
	RUN(grub_debian_xen_plan);
	RUN(relocatable);
	RUN(refusals);
	RUN(preference);
	RUN(module_unzip);
	RUN(elf_sections);
	return test_summary();
}
