/* SPDX-License-Identifier: MIT */
/*
 * pvhboot.cfg, the native format: the corpus file (with an include) parsed
 * whole, then one case per rule and per error, each error checked for the
 * file:line:column it names.
 */
#include "config/parser.h"
#include "config_corpus.h"

#define ROOT "3f2c9d4e-8b1a-4e6f-9c7d-2a5b8e1f0c34"

static const uint8_t abc_sha256[32] = {
	0x9f, 0x86, 0xd0, 0x81, 0x88, 0x4c, 0x7d, 0x65, 0x9a, 0x2f, 0xea, 0xa0, 0xc5, 0x5a, 0xd0, 0x15,
	0xa3, 0xbf, 0x4f, 0x1b, 0x2b, 0x0b, 0x82, 0x2c, 0xd1, 0x5d, 0x6c, 0x15, 0xb0, 0xf0, 0x0a, 0x08,
};

TEST(native_corpus)
{
	static const struct want_entry e[] = {
		{ "debian", "Debian GNU/Linux 12 (6.1.0-18)", "/boot/vmlinuz-6.1.0-18-amd64",
		  "root=UUID=" ROOT " ro quiet", { "/boot/initrd.img-6.1.0-18-amd64" } },
		{ "old-pvh", "Linux 4.14 (PVH, RSDP copied low)", "(UUID=" ROOT ")/boot/vmlinux-4.14",
		  "console=hvc0 root=/dev/xvda1 dyndbg=\"file drivers/xen/* +p\"", { NULL }, { { NULL } },
		  KERNEL_PVH, RSDP_LOW_ON },
		{ "rescue", "Rescue shell", "(vda2)/boot/vmlinuz-6.1.0-18-amd64",
		  "root=/dev/vda2 ro single \"init=/bin/sh\"",
		  { "(vda2)/boot/intel-ucode.img", "(vda2)/boot/initrd.img-6.1.0-18-amd64" } },
		{ "xen", "Xen 4.17 with Debian dom0", "(LABEL=boot)/xen-4.17-amd64.gz",
		  "dom0_mem=2048M,max:2048M console=com1", { NULL },
		  { { "(LABEL=boot)/vmlinuz-6.1.0-18-amd64", "root=/dev/sda2 ro console=hvc0" },
		    { "(LABEL=boot)/initrd.img-6.1.0-18-amd64", "" } },
		  KERNEL_MULTIBOOT1 },
	};
	struct corpus c;
	struct menu m;
	size_t len;
	corpus_open(&c, "native");
	char *text = corpus_text(&c, "/pvhboot.cfg", &len);
	struct config_source src = corpus_source(&c, "vda1:/pvhboot.cfg");
	menu_init(&m);
	CHECK_EQ_INT(config_parse_native(&m, &src, text, len), 0);
	free(text);
	struct want_menu w = { "xen", 3, ARRAY_SIZE(e), e, { NULL } };
	check_menu(&m, &w);
	CHECK_EQ_INT(m.entries[0].nr_pins, 1);
	CHECK(!strcmp(m.entries[0].pins[0].path, "/boot/vmlinuz-6.1.0-18-amd64"));
	CHECK(!memcmp(m.entries[0].pins[0].sha256, abc_sha256, 32));
	CHECK(!strcmp(m.entries[3].source, "vda1:/boot/pvhboot.d/xen.cfg:2"));
	CHECK(!strcmp(m.entries[1].source, "vda1:/pvhboot.cfg:11"));
	CHECK_EQ_INT(menu_find(&m, m.default_id), 3);
	menu_free(&m);
}

struct native_case {
	const char *name, *text;
	struct want_menu want;
	const struct mem_file *files;
};

static void run_case(const struct native_case *t)
{
	struct corpus c;
	struct menu m;
	memset(&c, 0, sizeof(c));
	c.files = t->files;
	struct config_source src = corpus_source(&c, "n:/pvhboot.cfg");
	menu_init(&m);
	CHECK_EQ_INT(config_parse_native(&m, &src, t->text, strlen(t->text)), 0);
	check_menu(&m, &t->want);
	menu_free(&m);
}

#define ENTRIES(...) ARRAY_SIZE(((const struct want_entry[]){ __VA_ARGS__ })), \
	(const struct want_entry[]){ __VA_ARGS__ }

static const struct native_case rules[] = {
	{ "quoting",
	  "entry a 'A \"title\"'\n"
	  "  kernel \"/boot/with space/vmlinuz\"\n"
	  "  cmdline one \"two  words\" 'single \\\\ kept' \"esc \\\" \\\\ \\n\" a=\"b c\"\n"
	  "  cmdline # a comment: nothing else\n"
	  "  cmdline more\\\n"
	  "     continued # comment\n",
	  { NULL, CONFIG_DEFAULT_TIMEOUT,
	    ENTRIES({ "a", "A \"title\"", "/boot/with space/vmlinuz",
		      "one two  words single \\\\ kept esc \" \\ \\n a=\"b c\" more continued" }),
	    { NULL } } },
	{ "title keyword, timeout -1, index default, CRLF",
	  "timeout -1\r\ndefault 1\r\nentry a\r\n kernel /a\r\nentry b\r\n title \"B b\"\r\n kernel /b\r\n",
	  { "1", -1, ENTRIES({ "a", "a", "/a" }, { "b", "B b", "/b" }), { NULL } } },
	{ "protocols and rsdp",
	  "entry a\n kernel /a\n protocol linux\n rsdp-low off\n"
	  "entry b\n kernel /b\n protocol auto\n rsdp-low auto\n",
	  { NULL, CONFIG_DEFAULT_TIMEOUT,
	    ENTRIES({ "a", "a", "/a", "", { NULL }, { { NULL } }, KERNEL_LINUX, RSDP_LOW_OFF },
		    { "b", "b", "/b" }),
	    { NULL } } },
	{ "btrfs top-level paths",
	  "entry a\n kernel @/@/boot/vmlinuz\nentry b\n kernel (vda2)@/boot/vmlinuz\n",
	  { NULL, CONFIG_DEFAULT_TIMEOUT,
	    ENTRIES({ "a", "a", "@/@/boot/vmlinuz" }, { "b", "b", "(vda2)@/boot/vmlinuz" }),
	    { NULL } } },
	{ "modules keep their arguments in order",
	  "entry x\n kernel /xen\n module /k root=/dev/xvda1 \"console=hvc0 earlyprintk=xen\"\n"
	  " module (hd0,gpt2)/initrd\n",
	  { NULL, CONFIG_DEFAULT_TIMEOUT,
	    ENTRIES({ "x", "x", "/xen", "", { NULL },
		      { { "/k", "root=/dev/xvda1 console=hvc0 earlyprintk=xen" },
			{ "(hd0,gpt2)/initrd", "" } } }),
	    { NULL } } },
};

TEST(native_rules)
{
	for (unsigned i = 0; i < ARRAY_SIZE(rules); i++)
		run_case(&rules[i]);
}

static const struct native_case errors[] = {
	{ "unknown keyword and bad values",
	  "timeout soon\n"
	  "entry a\n"
	  "  kernal /a\n"
	  "  kernel vmlinuz\n"
	  "  kernel /a extra\n"
	  "  kernel /a\n"
	  "  protocol multiboot3\n"
	  "  rsdp-low maybe\n"
	  "  sha256 /a 1234\n"
	  "  sha256 /b 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n",
	  { NULL, CONFIG_DEFAULT_TIMEOUT, ENTRIES({ "a", "a", "/a" }),
	    { "n:/pvhboot.cfg:1:9: expected: timeout SECONDS (-1 waits for a key)",
	      "n:/pvhboot.cfg:3:3: unknown keyword 'kernal'",
	      "n:/pvhboot.cfg:4:10: 'vmlinuz' is not a path: write /PATH or (DEVICE)/PATH",
	      "n:/pvhboot.cfg:5:13: expected: kernel PATH (arguments go in cmdline)",
	      "n:/pvhboot.cfg:7:12: protocol: expected auto|pvh|multiboot1|multiboot2|efi|linux",
	      "n:/pvhboot.cfg:8:12: rsdp-low: expected auto|on|off",
	      "n:/pvhboot.cfg:9:13: '1234' is not 64 hex digits",
	      "n:/pvhboot.cfg:2: entry 'a': sha256 pin for '/b', which it does not load" } } },
	{ "outside an entry, unterminated quote, duplicates",
	  "kernel /a\n"
	  "entry a \"A\n"
	  "entry a\n"
	  "  cmdline 'x\n"
	  "  kernel /a\n"
	  "  kernel /b\n"
	  "entry a\n"
	  "  kernel /c\n"
	  "entry empty\n"
	  "entry\n",
	  { NULL, CONFIG_DEFAULT_TIMEOUT, ENTRIES({ "a", "a", "/b" }, { "a", "a", "/c" }),
	    { "n:/pvhboot.cfg:1:1: 'kernel' outside an entry (start one with: entry ID [TITLE])",
	      "n:/pvhboot.cfg:2:9: unterminated double quote",
	      "n:/pvhboot.cfg:4:11: unterminated single quote",
	      "n:/pvhboot.cfg:6:3: a second kernel; it replaces '/a'",
	      "n:/pvhboot.cfg:7:7: entry id 'a' is used twice; the first one wins",
	      "n:/pvhboot.cfg:9: entry 'empty' names no kernel; skipped",
	      "n:/pvhboot.cfg:10:1: expected: entry ID [TITLE]" } } },
	{ "includes: missing, cycle, a relative path",
	  "include /boot/missing.cfg\ninclude /boot/a.cfg\ninclude a.cfg\n",
	  { NULL, CONFIG_DEFAULT_TIMEOUT, ENTRIES({ "from-a", "from-a", "/k" }),
	    { "n:/pvhboot.cfg:1:9: cannot read '/boot/missing.cfg' (ENOENT)",
	      "n:/boot/a.cfg:3:9: '/pvhboot.cfg' includes itself; ignored",
	      /* An include ends the entry: entries do not span files. */
	      "n:/boot/a.cfg:4:2: 'kernel' outside an entry (start one with: entry ID [TITLE])",
	      "n:/pvhboot.cfg:3:9: 'a.cfg' is not a path: write /PATH or (DEVICE)/PATH" } },
	  (const struct mem_file[]){
		  { "/boot/a.cfg", "entry from-a\n kernel /k\ninclude /pvhboot.cfg\n kernel /lost\n" },
		  { NULL, NULL } } },
};

TEST(native_errors)
{
	for (unsigned i = 0; i < ARRAY_SIZE(errors); i++)
		run_case(&errors[i]);
}

/* Without a reader, an include is a warning; parsing carries on. */
TEST(native_no_reader)
{
	struct menu m;
	static const char text[] = "include /x.cfg\nentry a\n kernel /a\n";
	struct config_source src = { "p.cfg", NULL, NULL, NULL };
	menu_init(&m);
	CHECK_EQ_INT(config_parse_native(&m, &src, text, sizeof(text) - 1), 0);
	static const struct want_entry e[] = { { "a", "a", "/a" } };
	struct want_menu w = { NULL, CONFIG_DEFAULT_TIMEOUT, 1, e,
			       { "p.cfg:1:9: cannot read '/x.cfg' here: no file access" } };
	check_menu(&m, &w);
	menu_free(&m);
}

/*
 * Includes are bounded in number too: two files at every level, each
 * including the two of the next level, would be 510 reads for 8 levels.
 */
TEST(native_include_fanout)
{
	static char names[16][16], texts[16][64];
	static struct mem_file files[17];
	for (unsigned i = 0; i < 16; i++) {
		unsigned level = i / 2 + 1;
		snprintf(names[i], sizeof(names[i]), "/%c%u.cfg", 'a' + (int)(i % 2), level);
		snprintf(texts[i], sizeof(texts[i]), "include /a%u.cfg\ninclude /b%u.cfg\n",
			 level + 1, level + 1);
		files[i] = (struct mem_file){ names[i], texts[i] };
	}
	struct corpus c;
	struct menu m;
	memset(&c, 0, sizeof(c));
	c.files = files;
	struct config_source src = corpus_source(&c, "f:/top.cfg");
	static const char text[] = "include /a1.cfg\ninclude /b1.cfg\nentry a\n kernel /a\n";
	menu_init(&m);
	CHECK_EQ_INT(config_parse_native(&m, &src, text, sizeof(text) - 1), 0);
	CHECK_EQ_INT(m.count, 1);
	CHECK_EQ_INT(c.reads, CONFIG_MAX_INCLUDES);
	bool limit = false;
	for (unsigned i = 0; i < m.nr_warnings; i++)
		limit |= strstr(m.warnings[i], "more than 64 includes; ignored") != NULL;
	CHECK(limit);
	menu_free(&m);
}

/* The documented limits: extra initrds are dropped with a warning, not an error. */
TEST(native_limits)
{
	char text[4096] = "entry a\n kernel /a\n initrd";
	for (unsigned i = 0; i < ENTRY_MAX_INITRDS + 1; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), " /i%u", i);
	strcat(text, "\n");
	struct menu m;
	struct config_source src = { "l.cfg", NULL, NULL, NULL };
	menu_init(&m);
	CHECK_EQ_INT(config_parse_native(&m, &src, text, strlen(text)), 0);
	CHECK_EQ_INT(m.count, 1);
	CHECK_EQ_INT(m.entries[0].nr_initrds, ENTRY_MAX_INITRDS);
	CHECK_EQ_INT(m.nr_warnings, 1);
	CHECK(strstr(m.warnings[0], "l.cfg:3:") && strstr(m.warnings[0], "'/i16' is dropped"));
	menu_free(&m);
}

int main(void)
{
	RUN(native_corpus);
	RUN(native_rules);
	RUN(native_errors);
	RUN(native_no_reader);
	RUN(native_include_fanout);
	RUN(native_limits);
	return test_summary();
}
