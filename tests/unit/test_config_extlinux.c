/* SPDX-License-Identifier: MIT */
/*
 * extlinux.conf / syslinux.cfg: Alpine's update-extlinux output and a
 * Debian-installer style isolinux tree with includes, then one case per
 * rule (timeouts, DEFAULT forms, APPEND initrd=, global APPEND).
 */
#include "config_corpus.h"

#define AROOT "27c4a9f1-5d3e-4b8a-9f6c-0e1d2c3b4a59"

static void parse_corpus(const char *dir, const char *path, const struct want_menu *w)
{
	struct corpus c;
	struct menu m;
	char name[128];
	size_t len;
	corpus_open(&c, dir);
	char *text = corpus_text(&c, path, &len);
	snprintf(name, sizeof(name), "sda1:%s", path);
	struct config_source src = corpus_source(&c, name);
	menu_init(&m);
	CHECK_EQ_INT(config_parse_extlinux(&m, &src, text, len), 0);
	free(text);
	check_menu(&m, w);
	menu_free(&m);
}

/* Alpine: relative paths are relative to the config's directory (here the partition root). */
TEST(alpine_corpus)
{
	static const struct want_entry e[] = {
		{ "lts", "Linux lts", "/vmlinuz-lts",
		  "root=UUID=" AROOT " modules=sd-mod,usb-storage,ext4 quiet rootfstype=ext4",
		  { "/intel-ucode.img", "/amd-ucode.img", "/initramfs-lts" } },
		{ "virt", "Linux virt", "/vmlinuz-virt",
		  "root=UUID=" AROOT " modules=sd-mod,usb-storage,ext4 console=hvc0 rootfstype=ext4",
		  { "/initramfs-virt" } },
	};
	/* TIMEOUT 10 is tenths of a second: 1 s. */
	struct want_menu w = { "lts", 1, ARRAY_SIZE(e), e, { NULL } };
	parse_corpus("alpine", "/extlinux.conf", &w);
}

#define DI(id, title, append, initrd)                                                     \
	{ id, title, "/install.amd/vmlinuz", append, { initrd } }

/* The Debian installer's isolinux tree: nested includes, MENU BEGIN, TEXT HELP, COM32. */
TEST(debian_installer_corpus)
{
	static const struct want_entry e[] = {
		DI("installgui", "Graphical install", "vga=788 --- quiet", "/install.amd/gtk/initrd.gz"),
		DI("install", "Install", "vga=788 --- quiet", "/install.amd/initrd.gz"),
		/* MENU BEGIN ... MENU END: flattened like GRUB's submenus. */
		DI("expert", "Advanced options>Expert install", "priority=low vga=788 ---",
		   "/install.amd/initrd.gz"),
		DI("rescue", "Advanced options>Rescue mode", "vga=788 rescue/enable=true --- quiet",
		   "/install.amd/initrd.gz"),
		DI("auto", "Advanced options>Automated install",
		   "auto=true priority=critical vga=788 --- quiet", "/install.amd/initrd.gz"),
	};
	struct want_menu w = {
		/* MENU DEFAULT wins; "default vesamenu.c32" names the menu program. */
		"installgui", -1, ARRAY_SIZE(e), e,
		{ "sda1:/isolinux/menu.cfg:12: label 'mainmenu' names no kernel; skipped",
		  "sda1:/isolinux/adtxt.cfg:10: label 'hdt' uses COM32, which pvhboot cannot run; skipped",
		  "sda1:/isolinux/menu.cfg:17: label 'help' uses CONFIG, which pvhboot cannot run; skipped" },
	};
	parse_corpus("debian-installer", "/isolinux/isolinux.cfg", &w);
}

struct ext_case {
	const char *name, *text;
	struct want_menu want;
	const struct mem_file *files;
};

#define ENTRIES(...) ARRAY_SIZE(((const struct want_entry[]){ __VA_ARGS__ })), \
	(const struct want_entry[]){ __VA_ARGS__ }

static const struct ext_case cases[] = {
	{ "no TIMEOUT, no prompt: boot at once; lower case; global APPEND",
	  "default linux\nappend console=ttyS0\nlabel linux\n kernel /boot/vmlinuz\n"
	  " initrd /boot/initrd.img\nlabel own\n linux vmlinuz2\n append -\n",
	  { "linux", 0,
	    ENTRIES({ "linux", "linux", "/boot/vmlinuz", "console=ttyS0", { "/boot/initrd.img" } },
		    { "own", "own", "/boot/vmlinuz2", "" }),
	    { NULL } } },
	{ "PROMPT 1 waits; TIMEOUT rounds up; ONTIMEOUT; APPEND initrd= lists",
	  "PROMPT 1\nONTIMEOUT b\nLABEL a\n LINUX /a\n APPEND ro initrd=/i1,/i2 quiet\n"
	  "LABEL b\n KERNEL /b\n INITRD /i0\n APPEND initrd=/i3\n",
	  { "b", -1,
	    ENTRIES({ "a", "a", "/a", "ro quiet", { "/i1", "/i2" } },
		    { "b", "b", "/b", "", { "/i0", "/i3" } }),
	    { NULL } } },
	{ "TIMEOUT 15 -> 2 s; TIMEOUT 0 waits",
	  "TIMEOUT 15\nLABEL a\n LINUX /a\n",
	  { NULL, 2, ENTRIES({ "a", "a", "/a" }), { NULL } } },
	{ "DEFAULT as a kernel command line",
	  "DEFAULT vmlinuz root=/dev/sda1 initrd=initrd.gz\nTIMEOUT 0\n",
	  { "vmlinuz", -1,
	    ENTRIES({ "vmlinuz", "vmlinuz", "/boot/vmlinuz", "root=/dev/sda1",
		      { "/boot/initrd.gz" } }),
	    { NULL } } },
	{ "unknown keyword, label without kernel, KERNEL menu.c32, INCLUDE cycle",
	  "INCLUDE other.cfg\n  FROB x\nLABEL menu\n KERNEL vesamenu.c32\nLABEL empty\n MENU LABEL ^Nothing\n"
	  "LABEL ok\n KERNEL /k\nTIMEOUT x\n",
	  { NULL, 0, ENTRIES({ "ok", "ok", "/k" }),
	    { "sda1:/boot/other.cfg:1:9: '/boot/extlinux.conf' includes itself; ignored",
	      "sda1:/boot/extlinux.conf:2:3: unknown keyword 'FROB'; ignored",
	      "sda1:/boot/extlinux.conf:3: label 'menu' runs 'vesamenu.c32', which is not a Linux kernel; skipped",
	      "sda1:/boot/extlinux.conf:5: label 'empty' names no kernel; skipped",
	      "sda1:/boot/extlinux.conf:9:9: TIMEOUT 'x' is not a number" } },
	  (const struct mem_file[]){ { "/boot/other.cfg", "include extlinux.conf\n" },
				     { NULL, NULL } } },
};

TEST(extlinux_rules)
{
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct corpus c;
		struct menu m;
		memset(&c, 0, sizeof(c));
		c.files = cases[i].files;
		struct config_source src = corpus_source(&c, "sda1:/boot/extlinux.conf");
		menu_init(&m);
		CHECK_EQ_INT(config_parse_extlinux(&m, &src, cases[i].text, strlen(cases[i].text)), 0);
		check_menu(&m, &cases[i].want);
		menu_free(&m);
	}
}

/* Found by fuzzing: a NUL after a blank in a value ran a word splitter off the string. */
TEST(extlinux_nul_in_value)
{
	static const char text[] = "LABEL a\nKERNEL /k\nAPPEND x \0y\nINITRD /i,\0\nDEFAULT /k \0\n";
	struct config_source src = { "n.cfg", NULL, NULL, NULL };
	struct menu m;
	menu_init(&m);
	CHECK_EQ_INT(config_parse_extlinux(&m, &src, text, sizeof(text) - 1), 0);
	static const struct want_entry e[] = { { "a", "a", "/k", "x", { "/i" } },
					       { "/k", "/k", "/k", "" } };
	struct want_menu w = { "/k", 0, 2, e, { NULL } };
	check_menu(&m, &w);
	menu_free(&m);
}

int main(void)
{
	RUN(alpine_corpus);
	RUN(debian_installer_corpus);
	RUN(extlinux_rules);
	RUN(extlinux_nul_in_value);
	return test_summary();
}
