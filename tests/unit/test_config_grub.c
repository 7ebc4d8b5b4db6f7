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
	KERNEL_MULTIBOOT2
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

/* GRUB counts each BLS entry as a menu item: "1" is the second newest kernel. */
TEST(fedora40_index_default)
{
	static const struct mem_file env[] = {
		{ "/grub2/grubenv", "# GRUB Environment Block\nsaved_entry=1\n" },
		{ NULL, NULL },
	};
	struct want_menu w = { MID "-6.8.4-300.fc40.x86_64", 5, ARRAY_SIZE(fedora40), fedora40,
			       { NULL } };
	parse_corpus("fedora40", "/grub2/grub.cfg", FEDBOOT, env, &w);
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

/* Conditions: test operators, -a/-o, !, parentheses, elif chains, $?. */
static const struct script conditions = {
	"conditions",
	"set n=5 s=abc empty=\n"
	"if [ -n \"$s\" -a -z \"$empty\" ]; then set r1=yes; else set r1=no; fi\n"
	"if [ $n -gt 3 -o $n -lt 0 ]; then set r2=yes; fi\n"
	"if [ ! \"$s\" = abd ]; then set r3=yes; fi\n"
	"if [ \\( $n -eq 4 \\) -o \\( $s != abc \\) ]; then set r4=yes; else set r4=no; fi\n"
	"if [ $n -eq 1 ]; then set r5=one\n"
	"elif [ $n -eq 5 ]; then set r5=five\n"
	"elif [ $n -eq 5 ]; then set r5=again\n"
	"else set r5=other; fi\n"
	"false; set st=$?; true; set st=\"$st$?\"\n"
	"if ! false; then set r6=yes; fi\n"
	"if loadfont unicode; then set r7=font; else set r7=nofont; fi\n"
	"if [ -f /boot/grub/there.cfg ]; then set r8=file; fi\n"
	"if [ -e /boot/grub/missing.cfg ]; then set r8=missing; fi\n"
	"if [ x$feature_timeout_style = xy ]; then set r9=features; fi\n"
	"if [ -n \"$s\" -a -n \"$empty\" ]; then set r10=or; else set r10=and; fi\n"
	"if [ -z \"$s\" -o -n \"$empty\" ]; then set r11=and; else set r11=or; fi\n"
	"menuentry \"$r1 $r2 $r3 $r4 $r5 $st $r6 $r7 $r8 $r9 $r10 $r11\" { linux /k; }\n",
	{ NULL, -1, ENTRIES({ "yes yes yes no five 10 yes nofont file features and or",
			     "yes yes yes no five 10 yes nofont file features and or", "/k" }),
	  { NULL } },
	(const struct mem_file[]){ { "/boot/grub/there.cfg", "x" }, { NULL, NULL } },
};

TEST(grub_conditions)
{
	run_script(&conditions);
}

/*
 * Submenus flatten to "Title>Title" and "id>id"; GRUB's default may be an
 * index path, a title path or an id path, and is stored as the entry's id.
 */
#define SUBMENU_SCRIPT(dflt)                                                              \
	"set default=\"" dflt "\"\nset timeout=7\n"                                        \
	"menuentry A --id a { linux /a; }\n"                                               \
	"menuentry Firmware --id fw { fwsetup; }\n"                                        \
	"submenu S --id s {\n"                                                             \
	"  menuentry B --id b { linux /b; }\n"                                             \
	"  submenu T { menuentry C --id c { linux /c; } }\n"                               \
	"}\n"                                                                              \
	"menuentry D { linux /d; }\n"
#define SUBMENU_ENTRIES                                                                   \
	ENTRIES({ "a", "A", "/a" }, { "s>b", "S>B", "/b" }, { "s>T>c", "S>T>C", "/c" },     \
		{ "D", "D", "/d" })
#define FW_WARNING                                                                        \
	"t:/boot/grub/grub.cfg:4:1: menuentry 'Firmware' uses fwsetup, which pvhboot cannot do; skipped"

static const struct script defaults[] = {
	{ "index", SUBMENU_SCRIPT("3"), { "D", 7, SUBMENU_ENTRIES, { FW_WARNING } } },
	{ "index path", SUBMENU_SCRIPT("2>1>0"), { "s>T>c", 7, SUBMENU_ENTRIES, { FW_WARNING } } },
	{ "submenu index", SUBMENU_SCRIPT("2"), { "s>b", 7, SUBMENU_ENTRIES, { FW_WARNING } } },
	{ "title path", SUBMENU_SCRIPT("S>T>C"), { "s>T>c", 7, SUBMENU_ENTRIES, { FW_WARNING } } },
	{ "id path", SUBMENU_SCRIPT("s>b"), { "s>b", 7, SUBMENU_ENTRIES, { FW_WARNING } } },
	{ "title", SUBMENU_SCRIPT("D"), { "D", 7, SUBMENU_ENTRIES, { FW_WARNING } } },
	{ "unknown", SUBMENU_SCRIPT("nope"),
	  { "nope", 7, SUBMENU_ENTRIES,
	    { FW_WARNING, "t:/boot/grub/grub.cfg: default entry 'nope' is not in the menu" } } },
};

TEST(grub_defaults)
{
	for (unsigned i = 0; i < ARRAY_SIZE(defaults); i++)
		run_script(&defaults[i]);
}

/* search: the device in pvhboot's syntax in front of later paths of the entry. */
static const struct script searches = {
	"search",
	"menuentry L { search --no-floppy --label --set=root BOOT; linux /l; initrd /i1 /i2; }\n"
	"menuentry P { search --part-uuid --set PU-1; linux16 /p; }\n"
	"menuentry U { search.fs_uuid 1234-ABCD root; linuxefi vmlinuz; initrdefi (hd1,1)/i; }\n"
	"menuentry H { set root=(hd0,gpt2); linux /h; set root='hd0,msdos1'; initrd /i; }\n"
	"menuentry F { search --file --set=root /vmlinuz; linux /f; }\n"
	"menuentry V { search -u --set=bootdev 42; linux ($bootdev)/v; }\n"
	"menuentry X { linux /x; }\n",
	{ NULL, -1,
	  ENTRIES({ "L", "L", "(LABEL=BOOT)/l", "", { "(LABEL=BOOT)/i1", "(LABEL=BOOT)/i2" } },
		  { "P", "P", "(PARTUUID=PU-1)/p" },
		  { "U", "U", "(UUID=1234-ABCD)/vmlinuz", "", { "(hd1,1)/i" } },
		  { "H", "H", "(hd0,gpt2)/h", "", { "(hd0,msdos1)/i" } },
		  { "F", "F", "/f" },
		  { "V", "V", "(UUID=42)/v" },
		  /* The root set inside an entry stays in that entry. */
		  { "X", "X", "/x" }),
	  { "t:/boot/grub/grub.cfg:5:15: the device holding '/vmlinuz' cannot be known before boot; $root unchanged" } },
	NULL,
};

TEST(grub_search)
{
	run_script(&searches);
}

/* multiboot + modules: Xen with its dom0 kernel and initrd, options skipped. */
static const struct script xen = {
	"xen",
	"menuentry Xen {\n"
	"  multiboot --quirk-modules-after-kernel /xen.gz dom0_mem=1G\n"
	"  module /vmlinuz root=/dev/xvda1 'console=hvc0 earlyprintk=xen'\n"
	"  module --nounzip /initrd.img\n"
	"}\n",
	{ NULL, -1,
	  ENTRIES({ "Xen", "Xen", "/xen.gz", "dom0_mem=1G", { NULL },
		    { { "/vmlinuz", "root=/dev/xvda1 \"console=hvc0 earlyprintk=xen\"" },
		      { "/initrd.img", "" } },
		    KERNEL_MULTIBOOT1 }),
	  { NULL } },
	NULL,
};

TEST(grub_multiboot_modules)
{
	run_script(&xen);
}

/* Every problem is a warning naming file:line:column; the rest of the file still counts. */
static const struct script errors[] = {
	{ "unknown command",
	  "menuentry A {\n  linux /a\n  frobnicate --now\n}\n",
	  { NULL, -1, ENTRIES({ "A", "A", "/a" }),
	    { "t:/boot/grub/grub.cfg:3:3: unknown command 'frobnicate'; ignored" } } },
	{ "unterminated quote",
	  "menuentry A { linux /a; }\necho 'oops\nmenuentry B { linux /b; }\n",
	  { NULL, -1, ENTRIES({ "A", "A", "/a" }),
	    { "t:/boot/grub/grub.cfg:2:6: unterminated single quote" } } },
	{ "linux outside an entry",
	  "linux /vmlinuz\nmenuentry A { linux /a; }\n",
	  { NULL, -1, ENTRIES({ "A", "A", "/a" }),
	    { "t:/boot/grub/grub.cfg:1:1: 'linux' outside a menuentry; ignored" } } },
	{ "entry without a kernel",
	  "menuentry 'Windows' { insmod ntfs; chainloader +1; }\nmenuentry E { echo hi; }\n",
	  { NULL, -1, 0, NULL,
	    { "t:/boot/grub/grub.cfg:1:1: menuentry 'Windows' uses chainloader, which pvhboot cannot do; skipped",
	      "t:/boot/grub/grub.cfg:2:1: menuentry 'E' loads no kernel; skipped" } } },
	{ "chainloader an EFI program",
	  "menuentry 'iPXE' { chainloader --force /EFI/ipxe/ipxe.efi dhcp }\n"
	  "menuentry 'Windows' { chainloader +1; }\n",
	  { NULL, -1, ENTRIES({ "iPXE", "iPXE", "/EFI/ipxe/ipxe.efi", "dhcp", { NULL }, { { NULL } },
				KERNEL_EFI }),
	    { "t:/boot/grub/grub.cfg:2:1: menuentry 'Windows' uses chainloader, which pvhboot cannot do; skipped" } } },
	{ "missing brace",
	  "menuentry A\nlinux /a\n",
	  { NULL, -1, 0, NULL,
	    { "t:/boot/grub/grub.cfg:1:1: no '{' after 'menuentry'",
	      "t:/boot/grub/grub.cfg:2:1: 'linux' outside a menuentry; ignored" } } },
	{ "unclosed block",
	  "menuentry A {\n  linux /a\n",
	  { NULL, -1, ENTRIES({ "A", "A", "/a" }),
	    { "t:/boot/grub/grub.cfg:1:13: menuentry: no closing '}'" } } },
	{ "stray brace and fi",
	  "}\nfi\nmenuentry A { linux /a; }\n",
	  { NULL, -1, ENTRIES({ "A", "A", "/a" }),
	    { "t:/boot/grub/grub.cfg:1:1: '}' without a matching '{'; ignored",
	      "t:/boot/grub/grub.cfg:2:1: unexpected 'fi'; ignored" } } },
	{ "if without fi",
	  "if true; then\n menuentry A { linux /a; }\n",
	  { NULL, -1, ENTRIES({ "A", "A", "/a" }),
	    { "t:/boot/grub/grub.cfg:1:1: 'if' without 'fi'" } } },
	{ "bad test",
	  "if [ a -eq 1 ]; then set x=1; fi\nif [ a = b; then set x=2; fi\n"
	  "menuentry \"x$x\" { linux /a; }\n",
	  { NULL, -1, ENTRIES({ "x", "x", "/a" }),
	    { "t:/boot/grub/grub.cfg:1:4: cannot evaluate this test; taken as false",
	      "t:/boot/grub/grub.cfg:2:4: '[' without ']'; taken as false" } } },
	{ "loops and functions",
	  "function f { linux /never; }\nf\nfor i in 1 2; do linux /never; done\n"
	  "menuentry A { f; linux /a; }\n",
	  { NULL, -1, ENTRIES({ "A", "A", "/a" }),
	    { "t:/boot/grub/grub.cfg:3:1: loops are not evaluated; skipped" } } },
	{ "nested menuentry",
	  "menuentry A { linux /a; menuentry B { linux /b; } }\n",
	  { NULL, -1, ENTRIES({ "A", "A", "/a" }),
	    { "t:/boot/grub/grub.cfg:1:25: menuentry inside a menuentry; skipped" } } },
	{ "bad timeout and title",
	  "set timeout=soon\nmenuentry --class x { linux /a; }\n",
	  { NULL, 5, 0, NULL,
	    { "t:/boot/grub/grub.cfg:2:1: menuentry without a title",
	      "t:/boot/grub/grub.cfg: timeout 'soon' is not a number of seconds" } } },
};

TEST(grub_errors)
{
	for (unsigned i = 0; i < ARRAY_SIZE(errors); i++)
		run_script(&errors[i]);
}

/* source/configfile: included files share the variables; cycles and depth are bounded. */
static const struct script includes[] = {
	{ "source",
	  "set v=1\nsource /boot/grub/a.cfg\nmenuentry \"after $w\" { linux /c; }\n",
	  { NULL, -1, ENTRIES({ "from a 1", "from a 1", "/a" }, { "after 2", "after 2", "/c" }),
	    { NULL } },
	  (const struct mem_file[]){
		  { "/boot/grub/a.cfg", "menuentry \"from a $v\" { linux /a; }\nset w=2\n" },
		  { NULL, NULL } } },
	{ "cycle",
	  "source /boot/grub/a.cfg\n",
	  { NULL, -1, ENTRIES({ "A", "A", "/a" }),
	    { "t:/boot/grub/b.cfg:1:1: '/boot/grub/grub.cfg' includes itself; ignored" } },
	  (const struct mem_file[]){
		  { "/boot/grub/a.cfg", "menuentry A { linux /a; }\nsource /boot/grub/b.cfg\n" },
		  { "/boot/grub/b.cfg", "source /boot/grub/grub.cfg\n" },
		  { NULL, NULL } } },
	{ "missing",
	  "configfile /nope.cfg\n",
	  { NULL, -1, 0, NULL,
	    { "t:/boot/grub/grub.cfg:1:1: cannot read '/nope.cfg' (ENOENT)" } } },
	{ "depth",
	  "source /d1.cfg\n",
	  { NULL, -1, ENTRIES({ "deep", "deep", "/k" }),
	    { "t:/d8.cfg:1:1: '/d9.cfg': includes nest deeper than 8; ignored" } },
	  (const struct mem_file[]){
		  { "/d1.cfg", "source /d2.cfg\n" }, { "/d2.cfg", "source /d3.cfg\n" },
		  { "/d3.cfg", "source /d4.cfg\n" }, { "/d4.cfg", "source /d5.cfg\n" },
		  { "/d5.cfg", "source /d6.cfg\n" }, { "/d6.cfg", "source /d7.cfg\n" },
		  { "/d7.cfg", "source /d8.cfg\n" },
		  { "/d8.cfg", "source /d9.cfg\nmenuentry deep { linux /k; }\n" },
		  { "/d9.cfg", "menuentry never { linux /k; }\n" },
		  { NULL, NULL } } },
};

TEST(grub_includes)
{
	for (unsigned i = 0; i < ARRAY_SIZE(includes); i++)
		run_script(&includes[i]);
}

/*
 * A source where every file exists (64 KiB of comments, or a one-line BLS
 * entry under /loader/entries) and every directory lists 4000 entries;
 * it counts what the parser asks of it.
 */
static unsigned flood_reads, flood_lists;
static uint64_t flood_bytes;

static int flood_read(void *ctx, const char *path, char **text, size_t *len)
{
	size_t n = strncmp(path, "/loader/entries/", 16) ? 64u << 10 : 32;
	char *t = malloc(n + 1);
	if (!t)
		return -ENOMEM;
	memset(t, '#', n);
	if (n == 32)
		memcpy(t, "title x\nlinux /vmlinuz\n########", 32);
	t[n] = 0;
	flood_reads++;
	flood_bytes += n;
	*text = t;
	*len = n;
	return 0;
}

static int flood_list(void *ctx, const char *dir, char ***names, unsigned *count)
{
	enum { N = 4000 };
	char **v = calloc(N, sizeof(*v));
	for (unsigned i = 0; v && i < N; i++) {
		v[i] = malloc(16);
		if (v[i])
			snprintf(v[i], 16, "e%04u.conf", i);
	}
	flood_lists++;
	*names = v;
	*count = v ? N : 0;
	return v ? 0 : -ENOMEM;
}

/* Parse @text against the flood source; the budget must hold whatever it asks. */
static void parse_flood(const char *text, const char *what)
{
	struct config_source src = { "flood:/grub/grub.cfg", flood_read, flood_list, NULL };
	struct menu m;
	flood_reads = flood_lists = 0;
	flood_bytes = 0;
	menu_init(&m);
	CHECK_EQ_INT(config_parse_grub(&m, &src, text, strlen(text)), 0);
	bool warned = false;
	for (unsigned i = 0; i < m.nr_warnings; i++)
		/* Or lost in a flood of others, which the last warning then says. */
		warned |= strstr(m.warnings[i], "file reads") || strstr(m.warnings[i], "are dropped");
	menu_free(&m);
	if (flood_reads + flood_lists > CONFIG_MAX_FILE_OPS + 1 ||
	    flood_bytes > CONFIG_MAX_READ_BYTES + (1u << 20))
		FAIL("%s: %u reads, %u listings, %" PRIu64 " bytes (budget %u, %u MiB)", what,
		     flood_reads, flood_lists, flood_bytes, CONFIG_MAX_FILE_OPS,
		     CONFIG_MAX_READ_BYTES >> 20);
	if (!warned)
		FAIL("%s: no warning that the budget ran out", what);
}

/* A script of @n copies of @line ("%u" is the copy's number); static, so a failed check leaks nothing. */
static char *repeat(const char *line, unsigned n)
{
	static char s[256 << 10];
	size_t len = 0;
	s[0] = 0;
	for (unsigned i = 0; i < n && len < sizeof(s); i++)
		len += (size_t)snprintf(s + len, sizeof(s) - len, line, i);
	return len < sizeof(s) ? s : NULL;
}

TEST(grub_file_tests_have_one_budget)
{
	char *t = repeat("if [ -f /k%u ]; then set x=1; fi\n", 3000);
	CHECK(t);
	parse_flood(t, "3000 -f tests");
}

TEST(grub_load_env_has_one_budget)
{
	char *t = repeat("load_env -f /env%u\n", 3000);
	CHECK(t);
	parse_flood(t, "3000 load_env");
}

TEST(grub_blscfg_has_one_budget)
{
	/* blscfg tries up to three directories of 4000 entries each. */
	parse_flood("blscfg\nblscfg\nblscfg\n", "blscfg over 4000 entries, 3 times");
}

int main(void)
{
	RUN(debian12_corpus);
	RUN(debian12_saved_submenu_default);
	RUN(ubuntu2404_corpus);
	RUN(ubuntu2404_recordfail);
	RUN(fedora40_corpus);
	RUN(fedora40_index_default);
	RUN(fedora_kernelopts_under_blscfg);
	RUN(grub_quoting);
	RUN(grub_conditions);
	RUN(grub_defaults);
	RUN(grub_search);
	RUN(grub_multiboot_modules);
	RUN(grub_errors);
	RUN(grub_includes);
	RUN(grub_file_tests_have_one_budget);
	RUN(grub_load_env_has_one_budget);
	RUN(grub_blscfg_has_one_budget);
	return test_summary();
}
