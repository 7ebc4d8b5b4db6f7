/* SPDX-License-Identifier: MIT */
/*
 * The loader's own options: the PVH command line (xl `cmdline=`/`extra=`,
 * QEMU `-append`), EFI LoadOptions, and the Xen one-shot key all use them.
 *
 *   entry=ID|INDEX     boot this entry (scripted choice; beats every default)
 *   timeout=N          seconds before the default boots (0: at once, -1: wait)
 *   config=PATH        read this config file (device path syntax) instead of searching
 *   append="ARGS"      added to the chosen kernel's command line
 *   protocol=NAME      pvh, multiboot1 or linux: force it for a kernel given as a module
 *   writes=off         never write to a disk (grubenv, BLS boot counting)
 *   quiet              only warnings and errors (and the menu, when it waits):
 *                      every console byte is an exit to the VMM under KVM
 *   verbose            more messages
 *   loglevel=debug     debug messages too (the boot's time profile among them)
 *   -- ARGS            the kernel command line, for a kernel given as a module
 *
 * Words the loader does not know (virtio_mmio.device=, console=...) are
 * ignored here; the platforms read what they need.
 */
#ifndef PVHBOOT_CONFIG_OPTIONS_H
#define PVHBOOT_CONFIG_OPTIONS_H

#include "../core/lib.h"

struct loader_options {
	char *entry;           /* NULL: not given */
	bool has_timeout;
	int timeout;
	char *config;
	char *append;
	char *kernel_cmdline;  /* after " -- ", NULL if absent */
	char *protocol;        /* NULL: detect */
	bool verbose;
	bool writes_off;
};

/* Parse @cmdline; quoted values ("..." or '...') may hold spaces. 0 or -ENOMEM. */
int options_parse(const char *cmdline, struct loader_options *o);
void options_free(struct loader_options *o);

#endif
