/* SPDX-License-Identifier: MIT */
/*
 * pvhboot xl-config: the xl.cfg lines that make pvhboot a PVH guest's
 * loader (docs/xen.md). The guest's disks, memory and name stay the
 * user's; only the boot lines are printed, ready to replace
 * `bootloader = "pygrub"` or `kernel = ".../grub-x86_64-xen.bin"`.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define LIB_ELF "/usr/lib/pvhboot/pvhboot.elf"

int cmd_xl_config(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "entry", required_argument, NULL, 'e' },  { "timeout", required_argument, NULL, 't' },
		{ "extra", required_argument, NULL, 'x' },  { "kernel", required_argument, NULL, 'k' },
		{ 0 },
	};
	const char *entry = NULL, *timeout = NULL, *extra = NULL, *kernel = LIB_ELF;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': entry = optarg; break;
		case 't': timeout = optarg; break;
		case 'x': extra = optarg; break;
		case 'k': kernel = optarg; break;
		default: goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	/* xl.cfg strings are double-quoted with no escapes: refuse what would end them. */
	const char *values[] = { entry, timeout, extra, kernel };
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		if (values[i] && strpbrk(values[i], "\"\n\\")) {
			fprintf(stderr, "pvhboot xl-config: '%s': no quotes, backslashes or newlines in xl.cfg strings\n",
				values[i]);
			return EXIT_USAGE;
		}
	printf("# boot through pvhboot (pvhboot xl-config); drop bootloader= and any old kernel=, ramdisk=, cmdline=\n");
	printf("type = \"pvh\"\n");
	printf("kernel = \"%s\"\n", kernel);
	if (entry || timeout || extra) {
		char opts[1024];
		int n = snprintf(opts, sizeof(opts), "%s%s%s%s%s%s", entry ? "entry=" : "",
				 entry ? entry : "", entry && (timeout || extra) ? " " : "",
				 timeout ? "timeout=" : "", timeout ? timeout : "",
				 timeout && extra ? " " : "");
		if (n < 0 || (size_t)n >= sizeof(opts))
			goto usage;
		printf("extra = \"%s%s\"\n", opts, extra ? extra : "");
	}
	return 0;
usage:
	fprintf(stderr, "usage: pvhboot xl-config [--entry ID] [--timeout N] [--extra OPTIONS] [--kernel PATH]\n");
	return EXIT_USAGE;
}
