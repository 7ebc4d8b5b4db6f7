/* SPDX-License-Identifier: MIT */
/*
 * pvhboot status: what is installed where, what the loader reported at the
 * last boot (the Boot Loader Interface variables it sets, see efi/bli.c)
 * and what the next boot will choose, with the reason.
 *
 * Variables come from efivarfs, or with --efivars FILE from a variable
 * store: there only the non-volatile ones survive a boot (LoaderInfo, which
 * the loader stores non-volatile; the times and LoaderEntrySelected are
 * boot-time notes and are shown only live).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bootentry.h"
#include "bootnext.h"
#include "cli.h"
#include "efivars.h"
#include "esp.h"
#include "install.h"

static void print_esp(const char *spec)
{
	struct esp esp;
	char version[64];
	void *a, *b;
	size_t alen, blen;

	if (esp_find(spec, &esp)) {
		printf("esp: none found\n");
		return;
	}
	printf("esp: %s\n", esp_describe(&esp));
	if (install_installed_version(&esp, version, sizeof(version)))
		printf("installed: no (no %s)\n", INSTALL_STAMP);
	else
		printf("installed: pvhboot %s (%s)\n", version, INSTALL_IMAGE);
	if (esp_read(&esp, INSTALL_IMAGE, &a, &alen))
		return;
	if (esp_read(&esp, INSTALL_REMOVABLE, &b, &blen) == 0) {
		printf("removable path: %s is %s\n", INSTALL_REMOVABLE,
		       alen == blen && !memcmp(a, b, alen) ? "this pvhboot" : "another loader");
		free(b);
	}
	free(a);
}

static void print_entry(struct efivars *ev)
{
	unsigned number;
	uint8_t *data;
	size_t size;
	uint32_t attrs;
	char name[9], label[64], path[512];

	if (bootentry_find(ev, &number)) {
		printf("boot entry: none labelled %s\n", BOOTENTRY_LABEL);
		return;
	}
	snprintf(name, sizeof(name), "Boot%04X", number);
	if (efivars_get(ev, name, EFI_GLOBAL_GUID, &data, &size, &attrs))
		return;
	bootentry_describe(data, size, label, sizeof(label), path, sizeof(path));
	free(data);
	size_t pos = 0;
	bool in_order = false;
	if (efivars_get(ev, "BootOrder", EFI_GLOBAL_GUID, &data, &size, &attrs) == 0) {
		for (size_t i = 0; i + 1 < size && !in_order; i += 2, pos++)
			in_order = (unsigned)(data[i] | data[i + 1] << 8) == number;
		free(data);
	}
	if (in_order)
		printf("boot entry: %s %s %s, %s in BootOrder\n", name, label, path,
		       pos == 1 ? "first" : "not first");
	else
		printf("boot entry: %s %s %s, not in BootOrder\n", name, label, path);
}

static void print_bli(struct efivars *ev)
{
	static const char *const names[] = { "LoaderInfo", "LoaderEntrySelected",
					     "LoaderDevicePartUUID" };
	char value[256], init[32], exec[32];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (efivars_get_string(ev, names[i], BLI_VENDOR_GUID, value, sizeof(value)) == 0)
			printf("last boot: %s=%s\n", names[i], value);
		else
			printf("last boot: %s not set%s\n", names[i],
			       ev->store_path && i ? " (a boot-time note, not kept in a store file)" : "");
	}
	if (efivars_get_string(ev, "LoaderTimeInitUSec", BLI_VENDOR_GUID, init, sizeof(init)) == 0 &&
	    efivars_get_string(ev, "LoaderTimeExecUSec", BLI_VENDOR_GUID, exec, sizeof(exec)) == 0)
		printf("last boot: loader started %.3f s after reset, handed over at %.3f s (%.3f s in the loader)\n",
		       strtod(init, NULL) / 1e6, strtod(exec, NULL) / 1e6,
		       (strtod(exec, NULL) - strtod(init, NULL)) / 1e6);
}

int cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "esp", required_argument, NULL, 'e' },     { "image", required_argument, NULL, 'i' },
		{ "efivars", required_argument, NULL, 'v' }, { "grubenv", required_argument, NULL, 'g' },
		{ 0 },
	};
	const char *spec = NULL, *image = NULL, *store = NULL, *grubenv = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': spec = optarg; break;
		case 'i': image = optarg; break;
		case 'v': store = optarg; break;
		case 'g': grubenv = optarg; break;
		default:
			fprintf(stderr, "usage: pvhboot status [--esp DIR|IMAGE] [--image DISK] [--efivars VARS.fd] [--grubenv FILE]\n");
			return EXIT_USAGE;
		}
	}
	print_esp(spec ? spec : image);

	struct bootnext bn;
	/* An image without --efivars is a PVH guest's disk: its grubenv decides. */
	if (bootnext_open(&bn, store, grubenv, store || grubenv ? NULL : image))
		return EXIT_NOT_RECOGNISED;
	if (bn.kind == BOOTNEXT_EFI) {
		print_entry(&bn.ev);
		print_bli(&bn.ev);
	}
	bootnext_print(&bn);
	bootnext_close(&bn);
	return 0;
}
