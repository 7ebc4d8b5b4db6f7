/* SPDX-License-Identifier: MIT */
/*
 * elf_parse() against elfutils' libelf on every ELF at hand: the probe
 * kernels (build/kernels/), the loader itself (build/pvhboot.elf), Debian's
 * kernels when tests/e2e/fetch-debian.sh has cached them, and images made
 * here. Both must see the same PT_LOAD segments and the same Xen notes
 * (libelf's note walk, with Xen's PT_NOTE-then-SHT_NOTE rule applied here).
 */
#include <dirent.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>

#include "../../core/decompress.h"
#include "../../core/errno.h"
#include "../../loaders/image.h"
#include "../fuzz/testimg.h"
#include "test.h"

/* What libelf says, in the shape of struct elf_image. */
struct expect {
	unsigned nr_loads;
	GElf_Phdr loads[64];
	unsigned xen_notes;
	bool has_entry, has_reloc, has_features;
	uint32_t entry, entry_size, reloc[3], nr_reloc, features;
	char guest_os[32];
	uint64_t max_align;
};

/* FEATURES string: names split by '|', '!' marks required (both count). */
static uint32_t feature_string_bits(const char *s, size_t len)
{
	char copy[512];
	uint32_t bits = 0;
	len = MIN(len, sizeof(copy) - 1);
	memcpy(copy, s, len);
	copy[len] = 0;
	for (char *save = NULL, *tok = strtok_r(copy, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save)) {
		if (*tok == '!')
			tok++;
		for (unsigned bit = 0; bit < 32; bit++)
			if (xen_feature_name(bit) && !strcmp(xen_feature_name(bit), tok))
				bits |= 1u << bit;
	}
	return bits;
}

static uint64_t le_value(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void take_note(struct expect *e, const GElf_Nhdr *nh, const char *name,
		      const uint8_t *desc)
{
	if (nh->n_namesz != 4 || memcmp(name, "Xen", 4))
		return;
	e->xen_notes++;
	switch (nh->n_type) {
	case XEN_ELFNOTE_PHYS32_ENTRY:
		e->has_entry = true;
		e->entry = (uint32_t)le_value(desc, nh->n_descsz);
		e->entry_size = nh->n_descsz;
		break;
	case XEN_ELFNOTE_PHYS32_RELOC:
		e->has_reloc = true;
		e->nr_reloc = MIN(nh->n_descsz / 4, 3u);
		for (unsigned i = 0; i < e->nr_reloc; i++)
			e->reloc[i] = (uint32_t)le_value(desc + 4 * i, 4);
		break;
	case XEN_ELFNOTE_SUPPORTED_FEATURES:
		e->has_features = true;
		e->features |= (uint32_t)le_value(desc, MIN(nh->n_descsz, 4u));
		break;
	case XEN_ELFNOTE_FEATURES:
		e->has_features = true;
		e->features |= feature_string_bits((const char *)desc,
						   strnlen((const char *)desc, nh->n_descsz));
		break;
	case XEN_ELFNOTE_GUEST_OS: {
		size_t n = MIN(strnlen((const char *)desc, nh->n_descsz), sizeof(e->guest_os) - 1);
		memcpy(e->guest_os, desc, n);
		e->guest_os[n] = 0;
		break;
	}
	}
}

static void walk(struct expect *e, Elf_Data *d)
{
	GElf_Nhdr nh;
	size_t off = 0, name_off, desc_off, next;
	while (d && (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		take_note(e, &nh, (const char *)d->d_buf + name_off,
			  (const uint8_t *)d->d_buf + desc_off);
		off = next;
	}
}

static bool libelf_view(void *buf, size_t len, struct expect *e)
{
	memset(e, 0, sizeof(*e));
	Elf *elf = elf_memory(buf, len);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		elf_end(elf);
		return false;
	}
	size_t phnum;
	CHECK(elf_getphdrnum(elf, &phnum) == 0);
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		CHECK(gelf_getphdr(elf, (int)i, &ph));
		if (ph.p_type == PT_LOAD) {
			CHECK(e->nr_loads < ARRAY_SIZE(e->loads));
			e->loads[e->nr_loads++] = ph;
			e->max_align = MAX(e->max_align, ph.p_align);
		}
		if (ph.p_type == PT_NOTE && ph.p_offset != 0)
			walk(e, elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz,
						     ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR));
	}
	if (e->xen_notes == 0) {
		for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
			GElf_Shdr sh;
			if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_NOTE)
				walk(e, elf_getdata(scn, NULL));
		}
	}
	elf_end(elf);
	return true;
}

static void compare(const char *what, void *buf, size_t len)
{
	static struct expect e;
	static struct elf_image img;
	if (!libelf_view(buf, len, &e))
		FAIL("%s: libelf cannot read it", what);
	int rc = elf_parse(buf, len, &img);
	if (rc)
		FAIL("%s: elf_parse %d (%s), libelf reads it", what, rc, strerror_name(rc));

	if (img.nr_segments != e.nr_loads)
		FAIL("%s: %u PT_LOAD, libelf %u", what, img.nr_segments, e.nr_loads);
	for (unsigned i = 0; i < e.nr_loads; i++) {
		const struct elf_segment *s = &img.segments[i];
		const GElf_Phdr *p = &e.loads[i];
		if (s->offset != p->p_offset || s->vaddr != p->p_vaddr || s->paddr != p->p_paddr ||
		    s->filesz != p->p_filesz || s->memsz != p->p_memsz || s->align != p->p_align)
			FAIL("%s: segment %u differs: paddr %#llx/%#llx filesz %#llx/%#llx", what, i,
			     (unsigned long long)s->paddr, (unsigned long long)p->p_paddr,
			     (unsigned long long)s->filesz, (unsigned long long)p->p_filesz);
	}
	if (img.has_phys32_entry != e.has_entry || img.phys32_entry != e.entry ||
	    (e.has_entry && img.phys32_entry_size != e.entry_size))
		FAIL("%s: PHYS32_ENTRY %d %#x/%u, libelf %d %#x/%u", what, img.has_phys32_entry,
		     img.phys32_entry, img.phys32_entry_size, e.has_entry, e.entry, e.entry_size);
	uint32_t want_reloc[3] = { e.max_align >= 0x1000 && e.max_align <= UINT32_MAX
					   ? (uint32_t)e.max_align : 0x200000u, 0, 0xffffffffu };
	for (unsigned i = 0; i < e.nr_reloc; i++)
		want_reloc[i] = e.reloc[i];
	if (img.has_phys32_reloc != e.has_reloc || img.reloc_align != want_reloc[0] ||
	    img.reloc_min != want_reloc[1] || img.reloc_max != want_reloc[2])
		FAIL("%s: PHYS32_RELOC %d %#x %#x %#x, libelf %d %#x %#x %#x", what,
		     img.has_phys32_reloc, img.reloc_align, img.reloc_min, img.reloc_max,
		     e.has_reloc, want_reloc[0], want_reloc[1], want_reloc[2]);
	if (img.has_features != e.has_features || img.features != e.features)
		FAIL("%s: features %d %#x, libelf %d %#x", what, img.has_features, img.features,
		     e.has_features, e.features);
	if (strcmp(img.guest_os, e.guest_os))
		FAIL("%s: GUEST_OS '%s', libelf '%s'", what, img.guest_os, e.guest_os);
}

/* The file under test, for the RUN()-style wrapper below. */
static const char *current_path;
static struct tbuf current;

static void test_file(void)
{
	compare(current_path, current.p, current.len);
}

static bool read_file(const char *path, struct tbuf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	uint8_t chunk[65536];
	size_t n;
	*out = (struct tbuf){ 0 };
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		tbuf_put(out, chunk, n);
	fclose(f);
	/* gzip'd kernels (xen.gz) are compared after inflating, as loaded */
	if (compression_detect(out->p, out->len) != COMP_NONE) {
		void *raw;
		size_t raw_len;
		if (decompress(out->p, out->len, 1u << 30, &raw, &raw_len)) {
			tbuf_free(out);
			return false;
		}
		tbuf_free(out);
		*out = (struct tbuf){ raw, raw_len, raw_len };
	}
	if (out->len >= 4 && !memcmp(out->p, "\x7f" "ELF", 4))
		return true;
	tbuf_free(out);
	return false;
}

/* Whether the file could be read: a missing one is nothing to compare. */
static bool run_on_file(const char *path)
{
	if (!read_file(path, &current))
		return false;
	current_path = path;
	char name[300];
	snprintf(name, sizeof(name), "libelf_agrees %s", path);
	test_run(name, test_file);
	tbuf_free(&current);
	return true;
}

static void test_missing(void)
{
	FAIL("not readable: tests/e2e/fetch-debian.sh fetches it (tests/run.sh runs it first)");
}

/* Debian's kernels: fetched by the suite before the host tests, so a missing
 * one is a failure, not a case that silently did not run. */
static void run_on_fetched_file(const char *path)
{
	if (run_on_file(path))
		return;
	char name[600];
	snprintf(name, sizeof(name), "libelf_agrees %s", path);
	test_run(name, test_missing);
}

static void run_on_image(const char *name, struct tbuf b)
{
	current = b;
	current_path = name;
	char label[300];
	snprintf(label, sizeof(label), "libelf_agrees %s", name);
	test_run(label, test_file);
	tbuf_free(&current);
}

static struct tbuf rich_image(uint8_t cls, enum note_place place)
{
	struct tbuf notes = { 0 };
	static const char features[] = "!writable_page_tables|pae_pgdir_above_4gb";
	static const uint8_t reloc[12] = { 0, 0, 0x20, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0x3f };
	note_add(&notes, "GNU", 3, "abcdefgh", 8);
	note_add(&notes, "Xen", XEN_ELFNOTE_GUEST_OS, "linux", 6);
	note_add(&notes, "Xen", XEN_ELFNOTE_FEATURES, features, sizeof(features));
	note_add_u32(&notes, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, 1u << 15 | 1u << 11);
	note_add(&notes, "Xen", XEN_ELFNOTE_PHYS32_RELOC, reloc, 8); /* align, min only */
	note_add_u64(&notes, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, 0x1000850);
	struct test_elf spec = {
		.elf_class = cls, .entry = 0x1000000, .nr_loads = 3,
		.loads = {
			{ 0x1000000, 0x1000000, 0x3000, 0x200000, 0x2100 },
			{ 0x1400000, 0x1400000, 0x800, 0x1000, 0x800 },
			{ 0x1600000, 0x1600000, 0x10000, 0x1000, 0 }, /* bss only */
		},
		.notes = &notes, .place = place,
	};
	struct test_elf_layout l;
	struct tbuf b = build_elf(&spec, &l);
	tbuf_free(&notes);
	return b;
}

int main(void)
{
	if (elf_version(EV_CURRENT) == EV_NONE) {
		printf("not ok libelf: elf_version: %s\n", elf_errmsg(-1));
		return 1;
	}

	static const enum note_place places[] = { NOTES_SEGMENT, NOTES_SECTION, NOTES_BOTH };
	static const char *const place_names[] = { "segment", "section", "both" };
	for (unsigned c = 1; c <= 2; c++) {
		for (unsigned p = 0; p < 3; p++) {
			struct test_elf_layout l;
			char name[64];
			snprintf(name, sizeof(name), "generated-elf%u-%s-pvh", 32 * c, place_names[p]);
			run_on_image(name, build_pvh_elf((uint8_t)c, c == 1 ? 4 : 8, places[p], &l));
			snprintf(name, sizeof(name), "generated-elf%u-%s-rich", 32 * c, place_names[p]);
			run_on_image(name, rich_image((uint8_t)c, places[p]));
		}
	}

	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	char path[512];
	snprintf(path, sizeof(path), "%s/pvhboot.elf", build);
	run_on_file(path);
	snprintf(path, sizeof(path), "%s/kernels", build);
	DIR *dir = opendir(path);
	while (dir) {
		struct dirent *d = readdir(dir);
		if (!d)
			break;
		if (d->d_name[0] == '.')
			continue;
		char file[1024];
		snprintf(file, sizeof(file), "%s/%s", path, d->d_name);
		run_on_file(file);
	}
	if (dir)
		closedir(dir);

	const char *cache = getenv("PVHBOOT_CACHE");
	const char *home = getenv("HOME");
	static const char *const cached[] = { "vmlinux-pvh", "xen.gz", "invaders.exec" };
	for (unsigned i = 0; i < ARRAY_SIZE(cached); i++) {
		if (cache)
			snprintf(path, sizeof(path), "%s/debian/%s", cache, cached[i]);
		else
			snprintf(path, sizeof(path), "%s/.cache/pvhboot/debian/%s", home ? home : "",
				 cached[i]);
		run_on_fetched_file(path);
	}
	return test_summary();
}
