/* SPDX-License-Identifier: MIT */
/*
 * pvhboot enroll PVHBOOT.EFI [CONFIG...]: write the SHA-256 of each config
 * file into the .pvhcfg section of the EFI image, before it is signed
 * (docs/efi.md "Secure Boot"). Under Secure Boot the loader then trusts
 * the sha256 pins of exactly those configs; with no CONFIG the list is
 * emptied. The image is the one file this tool writes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/sha256.h"
#include "include/abi/uefi_boot.h"
#include "loaders/image.h"

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "pvhboot enroll: %s: %s\n", what, why);
	return EXIT_USAGE;
}

/* The .pvhcfg section inside @img, checked; NULL with a message otherwise. */
static struct pvhcfg_section *find_section(const char *path, uint8_t *img, size_t len)
{
	static struct pe_image pe;
	if (pe_parse(img, len, &pe)) {
		fail(path, "not a well-formed x86-64 PE image");
		return NULL;
	}
	const struct pe_section *s = pe_find_section(&pe, ".pvhcfg");
	if (!s || pe_section_file_size(s) < sizeof(struct pvhcfg_section)) {
		fail(path, "no .pvhcfg section: not a pvhboot.efi that supports enrolment");
		return NULL;
	}
	struct pvhcfg_section *c = (void *)(img + s->raw_offset);
	if (memcmp(c->magic, PVHCFG_MAGIC, sizeof(c->magic))) {
		fail(path, ".pvhcfg section without its magic");
		return NULL;
	}
	return c;
}

int cmd_enroll(int argc, char **argv)
{
	void *img, *cfg;
	size_t len, cfg_len;
	int rc;

	if (argc < 2 || argc - 2 > (int)PVHCFG_MAX_DIGESTS) {
		fprintf(stderr, "usage: pvhboot enroll PVHBOOT.EFI [CONFIG...] (at most %u)\n",
			PVHCFG_MAX_DIGESTS);
		return EXIT_USAGE;
	}
	if ((rc = read_whole_file(argv[1], &img, &len)) != 0)
		return fail(argv[1], strerror(-rc));
	struct pvhcfg_section *c = find_section(argv[1], img, len);
	if (!c) {
		free(img);
		return EXIT_USAGE;
	}
	memset(c->sha256, 0, sizeof(c->sha256));
	c->count = 0;
	for (int i = 2; i < argc; i++) {
		char hex[65];
		if ((rc = read_whole_file(argv[i], &cfg, &cfg_len)) != 0) {
			free(img);
			return fail(argv[i], strerror(-rc));
		}
		sha256(cfg, cfg_len, c->sha256[c->count]);
		free(cfg);
		sha256_hex(c->sha256[c->count], hex);
		printf("enrolled %s %s\n", hex, argv[i]);
		c->count++;
	}
	/* The PE checksum is not checked by UEFI; sbsign signs what is here now. */
	FILE *f = fopen(argv[1], "r+b");
	if (!f || fwrite(img, 1, len, f) != len || fclose(f)) {
		free(img);
		return fail(argv[1], strerror(errno));
	}
	free(img);
	return 0;
}
