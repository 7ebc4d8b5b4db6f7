/* SPDX-License-Identifier: MIT */
/*
 * pvhboot, the host tool: the loader's own parsers, filesystems and boot
 * planning run against files, so what the loader would do can be seen
 * without a virtual machine.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct subcommand {
	const char *name;
	const char *args;
	const char *summary;
	int (*run)(int argc, char **argv);
};

/* One row per subcommand; usage() lists them in this order. */
static const struct subcommand subcommands[] = {
	{ "identify", "FILE...", "name each kernel's boot protocol and describe its headers",
	  cmd_identify },
	{ "plan", "KERNEL [OPTIONS]", "print the boot plan: chunks, entry state, memory map",
	  cmd_plan },
	{ "ls", "IMAGE[:PART] [PATH]", "list a directory with the loader's filesystem drivers",
	  cmd_ls },
	{ "cat", "IMAGE[:PART] PATH", "write a file's bytes, read by the loader's drivers",
	  cmd_cat },
	{ "menu", "IMAGE...", "print the menu the loader would build from these disks",
	  cmd_menu },
	{ "env", "DISK[:PART]", "print the grubenv the loader sees there, with its path",
	  cmd_env },
	{ "install", "[--esp ESP] [OPTIONS]", "put pvhboot.efi on the ESP and add a boot entry",
	  cmd_install },
	{ "update", "[--esp ESP] [OPTIONS]", "replace an older installed pvhboot.efi",
	  cmd_install },
	{ "status", "[OPTIONS]", "installed version, last boot, what the next boot takes",
	  cmd_status },
	{ "set-oneshot", "ENTRY [OPTIONS]", "boot ENTRY once, next time (EFI variable or grubenv)",
	  cmd_set_oneshot },
	{ "set-default", "ENTRY [OPTIONS]", "boot ENTRY from now on (EFI variable or grubenv)",
	  cmd_set_default },
	{ "xl-config", "[OPTIONS]", "print the xl.cfg lines for a PVH guest booted by pvhboot",
	  cmd_xl_config },
	{ "enroll", "EFI [CONFIG...]", "trust these configs' pins under Secure Boot (before signing)",
	  cmd_enroll },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: pvhboot COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-11s %-22s %s\n", subcommands[i].name, subcommands[i].args,
			subcommands[i].summary);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "pvhboot: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
