/* SPDX-License-Identifier: MIT */
/*
 * The menu model: lookups by id, index, title, glob and submenu tail,
 * warnings and their limit, the entry limit, and the text helpers the
 * parsers share (glob, paths of included files).
 */
#include "config/parser.h"
#include "config_corpus.h"

static void add(struct menu *m, const char *id, const char *title)
{
	struct menu_entry *e = menu_add(m, "t", 1);
	CHECK(e);
	e->id = strdup(id);
	e->title = strdup(title);
}

TEST(menu_find_rules)
{
	struct menu m;
	menu_init(&m);
	add(&m, "fedora-6.8.5", "Fedora 6.8.5");
	add(&m, "fedora-6.8.4", "Fedora 6.8.4");
	add(&m, "gnulinux-advanced>gnulinux-6.1-recovery", "Advanced>Debian (recovery mode)");
	add(&m, "7", "Seven");
	static const struct {
		const char *what;
		int want;
	} cases[] = {
		{ "fedora-6.8.4", 1 },         /* id */
		{ "2", 2 },                    /* index */
		{ "7", 3 },                    /* an id wins over an index */
		{ "9", -1 },                   /* index out of range */
		{ "Fedora 6.8.4", 1 },         /* title */
		{ "fedora-*", 0 },             /* glob: the first in menu order */
		{ "fedora-6.8.[0-4]", 1 },
		{ "fedora-6.8.4.conf", 1 },    /* systemd-boot names the file */
		{ "gnulinux-6.1-recovery", 2 }, /* a submenu entry by its own id */
		{ "Debian (recovery mode)", 2 },
		{ "recovery", -1 },            /* but not by a fragment */
		{ "", -1 },
		{ "debian-*", -1 },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
		if (menu_find(&m, cases[i].what) != cases[i].want)
			FAIL("menu_find(\"%s\") = %d, want %d", cases[i].what,
			     menu_find(&m, cases[i].what), cases[i].want);
	CHECK_EQ_INT(menu_find(&m, NULL), -1);
	menu_free(&m);
	CHECK_EQ_INT(m.count, 0);
	CHECK_EQ_INT(m.timeout, CONFIG_DEFAULT_TIMEOUT);
}

TEST(menu_limits)
{
	struct menu m;
	menu_init(&m);
	for (unsigned i = 0; i < MENU_MAX_ENTRIES; i++)
		CHECK(menu_add(&m, "f", i + 1));
	CHECK(!menu_add(&m, "f", 999));
	CHECK_EQ_INT(m.count, MENU_MAX_ENTRIES);
	CHECK_EQ_INT(m.nr_warnings, 1);
	CHECK_STR("full", m.warnings[0], "f:999: more than 128 menu entries; this one is dropped");
	CHECK_STR("source", m.entries[4].source, "f:5");
	for (unsigned i = 0; i < 2 * CONFIG_MAX_WARNINGS; i++)
		menu_warn(&m, "w", i, 3, "warning %u", i);
	CHECK_EQ_INT(m.nr_warnings, CONFIG_MAX_WARNINGS);
	CHECK_STR("second", m.warnings[1], "w: warning 0"); /* line 0: no position */
	CHECK_STR("third", m.warnings[2], "w:1:3: warning 1");
	CHECK_STR("last", m.warnings[CONFIG_MAX_WARNINGS - 1],
		  "w:62:3: more than 63 warnings; the rest are dropped");
	menu_free(&m);
}

TEST(glob)
{
	static const struct {
		const char *pattern, *s;
		bool want;
	} cases[] = {
		{ "*", "", true },         { "*", "abc", true },       { "a*c", "abbbc", true },
		{ "a*c", "abcd", false },  { "a?c", "abc", true },     { "a?c", "ac", false },
		{ "[ab]x", "bx", true },   { "[!ab]x", "bx", false },  { "[^ab]x", "cx", true },
		{ "[a-c]", "b", true },    { "[a-c]", "d", false },    { "[]]", "]", true },
		{ "\\*", "*", true },      { "\\*", "a", false },      { "[", "[", true },
		{ "[ab", "[ab", true },    { "[!", "[!", true },       { "x[^", "x[^", true },
		{ "[\\", "[\\", true },    { "*-*-*", "a-b-c", true }, { "*-*-*", "a-b", false },
		{ "6a98*-6.8.*", "6a98ff-6.8.5-301", true },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
		if (glob_match(cases[i].pattern, cases[i].s) != cases[i].want)
			FAIL("glob_match(\"%s\", \"%s\") != %d", cases[i].pattern, cases[i].s,
			     cases[i].want);
}

TEST(source_paths)
{
	char *s;
	CHECK_STR("dir", s = source_dir("vda2:/boot/grub/grub.cfg"), "/boot/grub");
	free(s);
	CHECK_STR("root dir", s = source_dir("x:/extlinux.conf"), "");
	free(s);
	CHECK_STR("bare path", s = source_dir("/boot/x.cfg"), "/boot");
	free(s);
	CHECK(!source_dir("generated"));
	CHECK_STR("child", s = source_child("vda2:/boot/grub/grub.cfg", "/boot/grub/custom.cfg"),
		  "vda2:/boot/grub/custom.cfg");
	free(s);
	CHECK_STR("child dev", s = source_child("vda2:/a.cfg", "(hd0)/b.cfg"), "(hd0)/b.cfg");
	free(s);
	CHECK_STR("in dir", s = path_in_dir("/boot", "vmlinuz"), "/boot/vmlinuz");
	free(s);
	CHECK_STR("in root", s = path_in_dir("", "vmlinuz"), "/vmlinuz");
	free(s);
	CHECK_STR("absolute", s = path_in_dir("/boot", "/vmlinuz"), "/vmlinuz");
	free(s);
}

int main(void)
{
	RUN(menu_find_rules);
	RUN(menu_limits);
	RUN(glob);
	RUN(source_paths);
	return test_summary();
}
