/* SPDX-License-Identifier: MIT */
/*
 * grub.cfg: the Debian 12, Ubuntu 24.04 and Fedora 40 files of
 * tests/config-corpus/ parsed whole and checked entry by entry, then small
 * scripts for each rule of the interpreter (quoting, variables, conditions,
 * submenus, defaults, search, includes) and for the errors it reports.
 */
#include "config_corpus.h"

#define DEB "3f2c9d4e-8b1a-4e6f-9c7d-2a5b8e1f0c34"
#define DEBDEV "(UUID=" DEB ")"
#define UBU "8d1e5b7a-3c2f-4a9e-b6d0-7f4c1e2a9b85"
#define UBUDEV "(UUID=" UBU ")"
#define FEDBOOT "UUID=6a4b2c1d-9e8f-4d7c-a5b3-1e2f3a4b5c6d"
#define FEDROOT "0f9e8d7c-6b5a-4c3d-8e2f-1a2b3c4d5e6f"
#define MID "9c3f1a6e2b8d4f7a8e5c1b2d3a4f6e7d"

/* Parse @path of corpus @dir (with @overlay files in front) and check it. */
static void parse_corpus(const char *dir, const char *path, const char *device,
			 const struct mem_file *overlay, const struct want_menu *want)
{
	struct corpus c;
	struct menu m;
	char name[128];
	size_t len;
	corpus_open(&c, dir);
	c.device = device;
	c.files = overlay;
	char *text = corpus_text(&c, path, &len);
	snprintf(name, sizeof(name), "%s:%s", dir, path);
	struct config_source src = corpus_source(&c, name);
	menu_init(&m);
	CHECK_EQ_INT(config_parse_grub(&m, &src, text, len), 0);
	free(text);
	check_menu(&m, want);
	menu_free(&m);
}

#define DEB_LINUX(v, extra)                                                              \
	DEBDEV "/boot/vmlinuz-" v, "root=UUID=" DEB " ro " extra,                          \
	{ DEBDEV "/boot/initrd.img-" v }
#define DEB_XEN(extra)                                                                    \
	DEBDEV "/boot/xen-4.17-amd64.gz", "placeholder dom0_mem=2048M,max:2048M", { NULL }, \
	{ { DEBDEV "/boot/vmlinuz-6.1.0-18-amd64", "placeholder root=UUID=" DEB " ro " extra }, \
	  { DEBDEV "/boot/initrd.img-6.1.0-18-amd64", "" } },                               \
	FORCE_MULTIBOOT1
#define DEB_ADV "Advanced options for Debian GNU/Linux>"
#define DEB_XADV "Advanced options for Debian GNU/Linux (with Xen hypervisor)>Xen hypervisor, version 4.17-amd64>"
#define DEB_XID "gnulinux-advanced-" DEB ">xen-hypervisor-4.17-amd64-" DEB ">"

static const struct want_entry debian12[] = {
	{ "gnulinux-simple-" DEB, "Debian GNU/Linux", DEB_LINUX("6.1.0-18-amd64", "quiet") },
	{ "gnulinux-advanced-" DEB ">gnulinux-6.1.0-18-amd64-advanced-" DEB,
	  DEB_ADV "Debian GNU/Linux, with Linux 6.1.0-18-amd64",
	  DEB_LINUX("6.1.0-18-amd64", "quiet") },
	{ "gnulinux-advanced-" DEB ">gnulinux-6.1.0-18-amd64-recovery-" DEB,
	  DEB_ADV "Debian GNU/Linux, with Linux 6.1.0-18-amd64 (recovery mode)",
	  DEB_LINUX("6.1.0-18-amd64", "single") },
	{ "gnulinux-advanced-" DEB ">gnulinux-6.1.0-17-amd64-advanced-" DEB,
	  DEB_ADV "Debian GNU/Linux, with Linux 6.1.0-17-amd64",
	  DEB_LINUX("6.1.0-17-amd64", "quiet") },
	{ "gnulinux-advanced-" DEB ">gnulinux-6.1.0-17-amd64-recovery-" DEB,
	  DEB_ADV "Debian GNU/Linux, with Linux 6.1.0-17-amd64 (recovery mode)",
	  DEB_LINUX("6.1.0-17-amd64", "single") },
	{ "xen-gnulinux-simple-" DEB, "Debian GNU/Linux, with Xen hypervisor", DEB_XEN("quiet") },
	{ DEB_XID "xen-gnulinux-6.1.0-18-amd64-advanced-" DEB,
	  DEB_XADV "Debian GNU/Linux, with Xen 4.17-amd64 and Linux 6.1.0-18-amd64",
	  DEB_XEN("quiet") },
	{ DEB_XID "xen-gnulinux-6.1.0-18-amd64-recovery-" DEB,
	  DEB_XADV "Debian GNU/Linux, with Xen 4.17-amd64 and Linux 6.1.0-18-amd64 (recovery mode)",
	  DEB_XEN("single") },
	/* From custom.cfg, sourced by 41_custom; $root is still the one 05_debian_theme set. */
	{ "serial", "Debian 6.1.0-18 (serial console)", DEBDEV "/boot/vmlinuz-6.1.0-18-amd64",
	  "root=/dev/xvda2 ro console=hvc0 \"dyndbg=file drivers/block/* +p\"",
	  { DEBDEV "/boot/initrd.img-6.1.0-18-amd64" } },
};

TEST(debian12_corpus)
{
	struct want_menu w = { "gnulinux-simple-" DEB, 5, ARRAY_SIZE(debian12), debian12, { NULL } };
	parse_corpus("debian12", "/boot/grub/grub.cfg", NULL, NULL, &w);
}

/* "set default=N>M" picks inside submenus; the flattened id is what the menu keeps. */
TEST(debian12_saved_submenu_default)
{
	static const struct mem_file env[] = {
		{ "/boot/grub/grubenv", "# GRUB Environment Block\nnext_entry=3>0>1\n####\n" },
		{ NULL, NULL },
	};
	struct want_menu w = { DEB_XID "xen-gnulinux-6.1.0-18-amd64-recovery-" DEB, 5,
			       ARRAY_SIZE(debian12), debian12, { NULL } };
	parse_corpus("debian12", "/boot/grub/grub.cfg", NULL, env, &w);
}

#define UBU_LINUX(extra)                                                                  \
	UBUDEV "/boot/vmlinuz-6.8.0-31-generic", "root=UUID=" UBU " ro " extra,            \
	{ UBUDEV "/boot/initrd.img-6.8.0-31-generic" }

static const struct want_entry ubuntu2404[] = {
	{ "gnulinux-simple-" UBU, "Ubuntu", UBU_LINUX("quiet splash") },
	{ "gnulinux-advanced-" UBU ">gnulinux-6.8.0-31-generic-advanced-" UBU,
	  "Advanced options for Ubuntu>Ubuntu, with Linux 6.8.0-31-generic",
	  UBU_LINUX("quiet splash") },
	{ "gnulinux-advanced-" UBU ">gnulinux-6.8.0-31-generic-recovery-" UBU,
	  "Advanced options for Ubuntu>Ubuntu, with Linux 6.8.0-31-generic (recovery mode)",
	  UBU_LINUX("recovery nomodeset dis_ucode_ldr") },
	{ "memtest86+", "Memory test (memtest86+x64.bin)", UBUDEV "/boot/memtest86+x64.bin", "" },
	{ "memtest86+-serial", "Memory test (memtest86+x64.bin, serial console)",
	  UBUDEV "/boot/memtest86+x64.bin", "console=ttyS0,115200" },
};

/* Ubuntu hides its menu: timeout_style=hidden, timeout=0. */
TEST(ubuntu2404_corpus)
{
	struct want_menu w = { "gnulinux-simple-" UBU, 0, ARRAY_SIZE(ubuntu2404), ubuntu2404,
			       { NULL } };
	parse_corpus("ubuntu2404", "/boot/grub/grub.cfg", NULL, NULL, &w);
}

/* After a failed boot grubenv says recordfail=1: the menu shows for 30 s. */
TEST(ubuntu2404_recordfail)
{
	static const struct mem_file env[] = {
		{ "/boot/grub/grubenv", "# GRUB Environment Block\nrecordfail=1\n#######\n" },
		{ NULL, NULL },
	};
	struct want_menu w = { "gnulinux-simple-" UBU, 30, ARRAY_SIZE(ubuntu2404), ubuntu2404,
			       { NULL } };
	parse_corpus("ubuntu2404", "/boot/grub/grub.cfg", NULL, env, &w);
}

#define FED(v, title)                                                                     \
	{ MID "-" v, "Fedora Linux (" title ") 40 (Workstation Edition)",                  \
	  "(" FEDBOOT ")/vmlinuz-" v, "root=UUID=" FEDROOT " ro rootflags=subvol=root rhgb quiet", \
	  { "(" FEDBOOT ")/initramfs-" v ".img" } }

static const struct want_entry fedora40[] = {
	FED("6.8.5-301.fc40.x86_64", "6.8.5-301.fc40.x86_64"),
	FED("6.8.4-300.fc40.x86_64", "6.8.4-300.fc40.x86_64"),
	{ MID "-0-rescue", "Fedora Linux (0-rescue-" MID ") 40 (Workstation Edition)",
	  "(" FEDBOOT ")/vmlinuz-0-rescue-" MID,
	  "root=UUID=" FEDROOT " ro rootflags=subvol=root rhgb quiet",
	  { "(" FEDBOOT ")/initramfs-0-rescue-" MID ".img" } },
};

/*
 * Fedora: blscfg lists /loader/entries on $boot (found by UUID), newest
 * kernel first; saved_entry from grubenv is the default; menu_auto_hide with
 * boot_success=1 makes the timeout 1 s.
 */
TEST(fedora40_corpus)
{
	struct want_menu w = { MID "-6.8.5-301.fc40.x86_64", 1, ARRAY_SIZE(fedora40), fedora40,
			       { NULL } };
	parse_corpus("fedora40", "/grub2/grub.cfg", FEDBOOT, NULL, &w);
}

/* Old Fedora entries said "options $kernelopts": blscfg expands it from GRUB's variables. */
TEST(fedora_kernelopts_under_blscfg)
{
	static const struct mem_file files[] = {
		{ "/grub2/grubenv", "# GRUB Environment Block\nsaved_entry=" MID "-0-rescue\n" },
		{ "/loader/entries/" MID "-6.8.5-301.fc40.x86_64.conf",
		  "title Fedora\nlinux /vmlinuz-6.8.5\ninitrd /initramfs-6.8.5.img $tuned_initrd\n"
		  "options $kernelopts $tuned_params\n" },
		{ NULL, NULL },
	};
	static const struct want_entry e[] = {
		{ MID "-6.8.5-301.fc40.x86_64", "Fedora", "(" FEDBOOT ")/vmlinuz-6.8.5",
		  "root=UUID=" FEDROOT " ro rootflags=subvol=root rhgb quiet",
		  { "(" FEDBOOT ")/initramfs-6.8.5.img" } },
		FED("6.8.4-300.fc40.x86_64", "6.8.4-300.fc40.x86_64"),
		{ MID "-0-rescue", "Fedora Linux (0-rescue-" MID ") 40 (Workstation Edition)",
		  "(" FEDBOOT ")/vmlinuz-0-rescue-" MID,
		  "root=UUID=" FEDROOT " ro rootflags=subvol=root rhgb quiet",
		  { "(" FEDBOOT ")/initramfs-0-rescue-" MID ".img" } },
	};
	/* No boot_success in this grubenv: the menu is not hidden, 5 s. */
	struct want_menu w = { MID "-0-rescue", 5, ARRAY_SIZE(e), e, { NULL } };
	parse_corpus("fedora40", "/grub2/grub.cfg", FEDBOOT, files, &w);
}

/* ---- small scripts ---- */

struct script {
	const char *name, *text;
	struct want_menu want;
	const struct mem_file *files;
};

static void run_script(const struct script *s)
{
	struct corpus c;
	struct menu m;
	memset(&c, 0, sizeof(c));
	c.files = s->files;
	struct config_source src = corpus_source(&c, "t:/boot/grub/grub.cfg");
	menu_init(&m);
	CHECK_EQ_INT(config_parse_grub(&m, &src, s->text, strlen(s->text)), 0);
	check_menu(&m, &s->want);
	menu_free(&m);
}

#define ENTRIES(...) ARRAY_SIZE(((const struct want_entry[]){ __VA_ARGS__ })), \
	(const struct want_entry[]){ __VA_ARGS__ }

static const struct script quoting = {
	"quoting",
	"set a=one b=\"two words\" empty=\n"
	"set c='lit $a' d=\"x${a}y\" e=\\$a\n"
	"menuentry \"T $a\" --id 'i$a' {\n"
	"  linux /k $a \"$b\" $b $empty \"$empty\" '$a' $c $d $e \\\n"
	"     cont\\ inued \"q\\\"uote\" 'it''s'\n"
	"}\n",
	{ NULL, -1, ENTRIES({ "i$a", "T one", "/k",
			   "one \"two words\" two words  $a lit $a xoney $a \"cont inued\" q\"uote its" }),
	  { NULL } },
	NULL,
};

TEST(grub_quoting)
{
	run_script(&quoting);
}

int main(void)
{
	RUN(debian12_corpus);
	RUN(debian12_saved_submenu_default);
	RUN(ubuntu2404_corpus);
	RUN(ubuntu2404_recordfail);
	RUN(fedora40_corpus);
	RUN(fedora_kernelopts_under_blscfg);
	RUN(grub_quoting);
	return test_summary();
}
