/* SPDX-License-Identifier: MIT */
/*
 * Boot Loader Specification type #1: entry files (the Fedora 40 ones of
 * tests/config-corpus/ and hand-made ones for each key), the spec's sort
 * order and its version comparison, and loader.conf.
 */
#include "config_corpus.h"

#define MID "9c3f1a6e2b8d4f7a8e5c1b2d3a4f6e7d"
#define FEDROOT "0f9e8d7c-6b5a-4c3d-8e2f-1a2b3c4d5e6f"

/* Parse @text as the entry @id into @m (source name "e:/loader/entries/ID.conf"). */
static void entry(struct menu *m, const char *id, const char *text)
{
	char name[160];
	snprintf(name, sizeof(name), "e:/loader/entries/%s.conf", id);
	struct config_source src = { name, NULL, NULL, NULL };
	CHECK_EQ_INT(config_parse_bls_entry(m, &src, id, text, strlen(text)), 0);
}

static void loader_conf(struct menu *m, const char *text)
{
	struct config_source src = { "e:/loader/loader.conf", NULL, NULL, NULL };
	CHECK_EQ_INT(config_parse_loader_conf(m, &src, text, strlen(text)), 0);
}

#define FED(v, title)                                                                     \
	{ MID "-" v, "Fedora Linux (" title ") 40 (Workstation Edition)", "/vmlinuz-" v,   \
	  "root=UUID=" FEDROOT " ro rootflags=subvol=root rhgb quiet",                      \
	  { "/initramfs-" v ".img" } }

/* The Fedora 40 entries as discovery reads them: listed, parsed, sorted, loader.conf. */
TEST(fedora40_entries)
{
	static const char *const files[] = { MID "-0-rescue", MID "-6.8.4-300.fc40.x86_64",
					     MID "-6.8.5-301.fc40.x86_64" };
	static const struct want_entry e[] = {
		FED("6.8.5-301.fc40.x86_64", "6.8.5-301.fc40.x86_64"),
		FED("6.8.4-300.fc40.x86_64", "6.8.4-300.fc40.x86_64"),
		{ MID "-0-rescue", "Fedora Linux (0-rescue-" MID ") 40 (Workstation Edition)",
		  "/vmlinuz-0-rescue-" MID, "root=UUID=" FEDROOT " ro rootflags=subvol=root rhgb quiet",
		  { "/initramfs-0-rescue-" MID ".img" } },
	};
	struct corpus c;
	struct menu m;
	corpus_open(&c, "fedora40");
	menu_init(&m);
	for (unsigned i = 0; i < ARRAY_SIZE(files); i++) {
		char path[160];
		size_t len;
		snprintf(path, sizeof(path), "/loader/entries/%s.conf", files[i]);
		char *text = corpus_text(&c, path, &len);
		struct config_source src = corpus_source(&c, path);
		CHECK_EQ_INT(config_parse_bls_entry(&m, &src, files[i], text, len), 0);
		free(text);
	}
	config_sort_bls(m.entries, m.count);
	loader_conf(&m, "timeout 3\ndefault " MID "-*\n");
	struct want_menu w = { MID "-*", 3, ARRAY_SIZE(e), e, { NULL } };
	check_menu(&m, &w);
	/* The glob picks the first match in menu order: the newest kernel. */
	CHECK_EQ_INT(menu_find(&m, m.default_id), 0);
	CHECK(m.entries[2].version && !strcmp(m.entries[2].version, "0-rescue-" MID));
	menu_free(&m);
}

/* Every key of the specification, repeated keys, and the example entry's layout. */
TEST(bls_keys)
{
	struct menu m;
	menu_init(&m);
	entry(&m, "6a9857a393724b7a981ebb5b8495b9ea-3.8.0-2.fc19.x86_64",
	      "# a comment\n"
	      "title        Fedora 19 (Rawhide)\r\n"
	      "sort-key     fedora\n"
	      "machine-id   6a9857a393724b7a981ebb5b8495b9ea\n"
	      "version      3.8.0-2.fc19.x86_64\n"
	      "options      root=UUID=6d3376e4 quiet\n"
	      "  options\tconsole=hvc0   earlyprintk=xen  \n"
	      "architecture X64\n"
	      "linux        6a9857a393724b7a981ebb5b8495b9ea/3.8.0-2.fc19.x86_64/linux\n"
	      "initrd       /6a98/3.8.0-2.fc19.x86_64/ucode /6a98/3.8.0-2.fc19.x86_64/initrd\n"
	      "initrd       /6a98/extra.cpio\n"
	      "devicetree   /6a98/board.dtb\n"
	      "grub_class   fedora\n");
	static const struct want_entry e[] = {
		{ "6a9857a393724b7a981ebb5b8495b9ea-3.8.0-2.fc19.x86_64", "Fedora 19 (Rawhide)",
		  "/6a9857a393724b7a981ebb5b8495b9ea/3.8.0-2.fc19.x86_64/linux",
		  "root=UUID=6d3376e4 quiet console=hvc0   earlyprintk=xen",
		  { "/6a98/3.8.0-2.fc19.x86_64/ucode", "/6a98/3.8.0-2.fc19.x86_64/initrd",
		    "/6a98/extra.cpio" } },
	};
	struct want_menu w = { NULL, CONFIG_DEFAULT_TIMEOUT, 1, e, { NULL } };
	check_menu(&m, &w);
	CHECK(!strcmp(m.entries[0].sort_key, "fedora"));
	CHECK(!strcmp(m.entries[0].machine_id, "6a9857a393724b7a981ebb5b8495b9ea"));
	CHECK(!strcmp(m.entries[0].version, "3.8.0-2.fc19.x86_64"));
	CHECK(!strcmp(m.entries[0].source, "e:/loader/entries/6a9857a393724b7a981ebb5b8495b9ea-3.8.0-2.fc19.x86_64.conf:1"));
	menu_free(&m);
}

/* Entries that cannot boot are left out, each with a warning saying why. */
TEST(bls_skipped_entries)
{
	struct menu m;
	menu_init(&m);
	entry(&m, "arm", "title ARM\narchitecture aa64\nlinux /Image\n");
	entry(&m, "uki", "title UKI\nefi /EFI/Linux/fedora.efi\n");
	entry(&m, "empty", "title Nothing\n\n");
	entry(&m, "old", "title Old Fedora\nlinux /vmlinuz\n  options $kernelopts rd.shell\n"
			 "initrd /initramfs.img $tuned_initrd\nfrobnicate yes\n");
	static const struct want_entry e[] = {
		/* An EFI program: the firmware starts it (protocol efi). */
		{ "uki", "UKI", "/EFI/Linux/fedora.efi", "", { NULL }, { { NULL } }, KERNEL_EFI },
		{ "old", "Old Fedora", "/vmlinuz", "$kernelopts rd.shell", { "/initramfs.img" } },
	};
	struct want_menu w = {
		NULL, CONFIG_DEFAULT_TIMEOUT, 2, e,
		{ "e:/loader/entries/arm.conf:2:14: entry for architecture 'aa64'; skipped",
		  "e:/loader/entries/empty.conf: no 'linux' or 'efi' key; entry skipped",
		  "e:/loader/entries/old.conf:3:11: '$kernelopts rd.shell' uses GRUB environment variables; kept as written",
		  "e:/loader/entries/old.conf:4:8: initrd '$tuned_initrd' is a GRUB variable; ignored",
		  "e:/loader/entries/old.conf:5:1: unknown key 'frobnicate'; ignored" },
	};
	check_menu(&m, &w);
	menu_free(&m);
}

/* Sorting, rules 1-4 of the specification's "Sorting" section. */
TEST(bls_sort_order)
{
	struct menu m;
	menu_init(&m);
	/* Listed in a scrambled order on purpose. */
	entry(&m, "zz-no-key-1", "linux /k\nversion 9\n");
	entry(&m, "debian-6.1", "linux /k\nsort-key debian\nmachine-id bb\nversion 6.1.0\n");
	entry(&m, "fedora-6.8.5+0-3", "linux /k\nsort-key fedora\nmachine-id aa\nversion 6.8.5\n");
	entry(&m, "fedora-6.8.4", "linux /k\nsort-key fedora\nmachine-id aa\nversion 6.8.4\n");
	entry(&m, "fedora-6.10.1+2", "linux /k\nsort-key fedora\nmachine-id aa\nversion 6.10.1\n");
	entry(&m, "debian-6.1-other", "linux /k\nsort-key debian\nmachine-id aa\nversion 5.10\n");
	entry(&m, "aa-no-key-10", "linux /k\n");
	entry(&m, "aa-no-key-9", "linux /k\n");
	entry(&m, "arch-rc", "linux /k\nsort-key arch\nversion 6.9~rc1\n");
	entry(&m, "arch", "linux /k\nsort-key arch\nversion 6.9\n");
	config_sort_bls(m.entries, m.count);
	static const char *const want[] = {
		"arch",             /* sort-key "arch" first; 6.9 > 6.9~rc1 */
		"arch-rc",
		"debian-6.1-other", /* same sort-key: machine-id aa < bb */
		"debian-6.1",
		"fedora-6.10.1",    /* version descending: 6.10.1 > 6.8.4; +2 tries left is fine */
		"fedora-6.8.4",
		"zz-no-key-1",      /* no sort-key: after, by file name, descending version */
		"aa-no-key-10",
		"aa-no-key-9",
		"fedora-6.8.5",     /* boot counting: no tries left, "bad", last of all */
	};
	CHECK_EQ_INT(m.count, ARRAY_SIZE(want));
	for (unsigned i = 0; i < m.count; i++)
		if (strcmp(m.entries[i].id, want[i]))
			FAIL("position %u: %s, want %s", i, m.entries[i].id, want[i]);
	menu_free(&m);
}

static const struct {
	const char *a, *b;
	int want; /* sign */
} versions[] = {
	/* The specification's examples that agree with its algorithm. */
	{ "11", "11", 0 },
	{ "systemd-123", "systemd-123", 0 },
	{ "bar-123", "foo-123", -1 },
	{ "123a", "123", 1 },
	{ "123.a", "123", 1 },
	{ "123.a", "123.b", -1 },
	{ "123a", "123.a", 1 },
	{ "11\xce\xb1", "11\xce\xb2", 0 },
	{ "A", "a", -1 },
	{ "", "0", -1 },
	{ "0.", "0", 1 },
	{ "0.0", "0", 1 },
	{ "1_", "1", 0 },
	{ "_1", "1", 0 },
	{ "1_", "1.2", -1 },
	{ "1_2_3", "1.3.3", 1 },
	{ "1+", "1", 0 },
	{ "+1", "1", 0 },
	{ "1+", "1.2", -1 },
	{ "1+2+3", "1.3.3", 1 },
	/* '~' sorts lowest, as systemd has it (the spec's '' < '~', '0' < '~' disagree). */
	{ "1.0~rc1", "1.0", -1 },
	{ "~", "0", -1 },
	{ "~", "", -1 },
	{ "a", "0", -1 },
	{ "1.0~rc1", "1.0~rc2", -1 },
	{ "1.0^post1", "1.0", 1 },
	{ "1.0^post1", "1.0.1", -1 },
	{ "1.0-2", "1.0.1", -1 },
	{ "1.0-2", "1.0^p1", -1 },
	{ "1.0~rc1", "1.0", -1 }, { "1.0", "1.0-1", -1 }, { "1.0-1", "1.0^p1", -1 },
	{ "1.0^p1", "1.0.1", -1 }, { "1.0.1", "1.0a", -1 }, /* docs/config.md */
	/* systemd's own list, oldest first */
	{ "122.1", "123~rc1-1", -1 },
	{ "123~rc1-1", "123", -1 },
	{ "123", "123-a", -1 },
	{ "123-a", "123-a.1", -1 },
	{ "123-a.1", "123-1", -1 },
	{ "123-1", "123-1.1", -1 },
	{ "123-1.1", "123^post1", -1 },
	{ "123^post1", "123.a-1", -1 },
	{ "123.a-1", "123.1-1", -1 },
	{ "123.1-1", "123a-1", -1 },
	{ "123a-1", "124-1", -1 },
	{ "1.2", "1.10", -1 },
	{ "001", "1", 0 },
	{ "99999999999999999999999", "99999999999999999999998", 1 },
	{ "6.8.5-301.fc40.x86_64", "6.8.4-300.fc40.x86_64", 1 },
	{ "6.10.0-1.fc40", "6.9.12-200.fc40", 1 },
	{ "0-rescue-9c3f", "6.8.5-301.fc40", -1 },
};

TEST(version_compare)
{
	for (unsigned i = 0; i < ARRAY_SIZE(versions); i++) {
		int r = config_version_cmp(versions[i].a, versions[i].b);
		int back = config_version_cmp(versions[i].b, versions[i].a);
		int sign = (r > 0) - (r < 0);
		if (sign != versions[i].want || (back > 0) - (back < 0) != -sign)
			FAIL("'%s' vs '%s': %d (reverse %d), want %d", versions[i].a, versions[i].b, r,
			     back, versions[i].want);
	}
}

TEST(loader_conf_keys)
{
	static const struct {
		const char *text, *default_id;
		int timeout;
		const char *warning;
	} cases[] = {
		{ "timeout 10\ndefault fedora-*\n", "fedora-*", 10, NULL },
		{ "timeout menu-force\n", NULL, -1, NULL },
		{ "timeout menu-hidden\n", NULL, 0, NULL },
		{ "timeout menu-disabled\neditor no\nconsole-mode max\n", NULL, 0, NULL },
		{ "  default  6a98*.conf  \n", "6a98*.conf", CONFIG_DEFAULT_TIMEOUT, NULL },
		{ "timeout soon\n", NULL, CONFIG_DEFAULT_TIMEOUT,
		  "e:/loader/loader.conf:1:9: timeout 'soon' is not a number of seconds" },
		{ "default @saved\n", NULL, CONFIG_DEFAULT_TIMEOUT,
		  "e:/loader/loader.conf:1:9: default '@saved' needs EFI variables; ignored" },
		{ "# c\n\n  bogus 1\n", NULL, CONFIG_DEFAULT_TIMEOUT,
		  "e:/loader/loader.conf:3:3: unknown key 'bogus'; ignored" },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct menu m;
		menu_init(&m);
		loader_conf(&m, cases[i].text);
		struct want_menu w = { cases[i].default_id, cases[i].timeout, 0, NULL,
				       { cases[i].warning } };
		check_menu(&m, &w);
		menu_free(&m);
	}
}

/* A systemd-boot style default names the file, ".conf" included. */
TEST(loader_conf_default_with_suffix)
{
	struct menu m;
	menu_init(&m);
	entry(&m, "fedora-6.8.5", "linux /a\nversion 6.8.5\n");
	entry(&m, "fedora-6.8.4", "linux /b\nversion 6.8.4\n");
	config_sort_bls(m.entries, m.count);
	CHECK_EQ_INT(menu_find(&m, "fedora-6.8.4.conf"), 1);
	CHECK_EQ_INT(menu_find(&m, "fedora-*.conf"), 0);
	CHECK_EQ_INT(menu_find(&m, "debian-*"), -1);
	menu_free(&m);
}

/* Boot counting: the counter is parsed out of the file name and leaves the id. */
static const struct {
	const char *stem, *id;
	int left, done;
} counters[] = {
	{ "fedora+3", "fedora", 3, 0 },
	{ "fedora+2-1", "fedora", 2, 1 },
	{ "fedora+0-3", "fedora", 0, 3 },
	{ "a+b+1-0", "a+b", 1, 0 },       /* the last '+' */
	{ "fedora+123456-7", "fedora", 123456, 7 },
	{ "fedora", "fedora", -1, -1 },   /* not counted */
	{ "fedora+", "fedora+", -1, -1 },
	{ "fedora+1-", "fedora+1-", -1, -1 },
	{ "fedora+-1", "fedora+-1", -1, -1 },
	{ "fedora+1x", "fedora+1x", -1, -1 },
	{ "fedora+1234567", "fedora+1234567", -1, -1 }, /* over 6 digits: a name */
	{ "+3", "+3", -1, -1 },           /* no name left */
};

TEST(bls_counters)
{
	for (unsigned i = 0; i < ARRAY_SIZE(counters); i++) {
		struct menu m;
		menu_init(&m);
		entry(&m, counters[i].stem, "linux /k\n");
		CHECK_EQ_INT(m.count, 1);
		const struct menu_entry *e = &m.entries[0];
		if (strcmp(e->id, counters[i].id) || e->tries_left != counters[i].left ||
		    e->tries_done != counters[i].done)
			FAIL("%s: id %s, %d left, %d done", counters[i].stem, e->id, e->tries_left,
			     e->tries_done);
		menu_free(&m);
	}
	/* A bad entry sorts after good ones; its id is still found (LoaderEntryDefault). */
	struct menu m;
	menu_init(&m);
	entry(&m, "b-2+0-2", "linux /k\nversion 2\n");
	entry(&m, "b-1", "linux /k\nversion 1\n");
	config_sort_bls(m.entries, m.count);
	CHECK(!strcmp(m.entries[0].id, "b-1") && !strcmp(m.entries[1].id, "b-2"));
	CHECK_EQ_INT(menu_find(&m, "b-2"), 1);
	menu_free(&m);
}

int main(void)
{
	RUN(fedora40_entries);
	RUN(bls_keys);
	RUN(bls_skipped_entries);
	RUN(bls_sort_order);
	RUN(bls_counters);
	RUN(version_compare);
	RUN(loader_conf_keys);
	RUN(loader_conf_default_with_suffix);
	return test_summary();
}
