/* SPDX-License-Identifier: MIT */
/*
 * pvhboot env DISK[:PART]: the grubenv the loader sees on a volume, found
 * the way boot counting and discovery find it (boot/bootcount.h), with its
 * path and its variables, still escaped as grub-editenv writes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../boot/bootcount.h"
#include "../config/grubenv.h"
#include "../fs/hostfile.h"
#include "cli.h"

static int print_var(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
	(void)ctx;
	printf("%.*s=%.*s\n", (int)klen, key, (int)vlen, val);
	return 0;
}

int cmd_env(int argc, char **argv)
{
	static char spec[4096];
	struct blockdev *dev;
	long part = -1;
	if (argc != 2) {
		fprintf(stderr, "usage: pvhboot env DISK[:PART]\n");
		return EXIT_USAGE;
	}
	snprintf(spec, sizeof(spec), "%s", argv[1]);
	char *colon = strrchr(spec, ':');
	if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
		part = strtol(colon + 1, NULL, 10);
		*colon = 0;
	}
	int rc = hostfile_open(spec, 512, &dev);
	if (rc) {
		fprintf(stderr, "pvhboot env: %s: %s\n", spec, strerror(-rc));
		return EXIT_USAGE;
	}
	snprintf(dev->name, sizeof(dev->name), "hd0");
	blockdev_register(dev);
	volumes_discover();
	/* Without PART: the first volume with a grubenv, in discovery order. */
	for (unsigned i = 0; i < volumes_count(); i++) {
		struct mounted *m = volumes_get(i);
		char path[96], block[GRUBENV_SIZE];
		if (part >= 0 && m->vol.index != (unsigned)part)
			continue;
		if (bootcount_find_grubenv(m, path, sizeof(path), block))
			continue;
		printf("grubenv: %s:%s\n", m->vol.name, path);
		grubenv_each(block, print_var, NULL);
		return 0;
	}
	fprintf(stderr, "pvhboot env: %s: no grubenv on %s\n", argv[1],
		part >= 0 ? "that partition" : "any volume");
	return EXIT_NOT_RECOGNISED;
}
