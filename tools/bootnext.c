/* SPDX-License-Identifier: MIT */
/*
 * pvhboot set-oneshot | set-default ENTRY: the next boot's choice, in EFI
 * variables or in grubenv (tools/bootnext.h).
 *
 * grubenv is only ever rewritten in place (tools/grubenv.h), the rule the
 * loader itself follows: a file system the loader cannot safely write is
 * never written, so neither is one the host tool cannot.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../fs/fs.h"
#include "../fs/hostfile.h"
#include "../fs/partition.h"
#include "bootnext.h"
#include "cli.h"

static const char *const grubenv_paths[] = { "/boot/grub/grubenv", "/grub/grubenv",
					     "/boot/grub2/grubenv", "/grub2/grubenv" };
#define NPATHS (sizeof(grubenv_paths) / sizeof(grubenv_paths[0]))

static struct volume parts[PART_MAX];

/* The first partition (or the whole image) with a grubenv the loader's drivers can read. */
static int find_image_grubenv(struct bootnext *bn)
{
	struct blockdev *dev;
	struct volume disk;
	unsigned n = 0;
	int rc = hostfile_open(bn->path, 512, &dev);
	if (rc)
		return rc;
	volume_of_disk(dev, &disk);
	partitions_scan(&disk, parts, PART_MAX, &n);
	if (n < PART_MAX)
		parts[n++] = disk;
	rc = -ENOENT;
	for (unsigned i = 0; i < n && rc; i++) {
		struct fs *fs;
		if (fs_mount(&parts[i], &fs))
			continue;
		for (size_t p = 0; p < NPATHS && rc; p++) {
			void *data;
			size_t len;
			if (fs_read_file(fs, grubenv_paths[p], GRUBENV_SIZE + 1, &data, &len))
				continue;
			if (len == GRUBENV_SIZE && !memcmp(data, GRUBENV_HEADER, strlen(GRUBENV_HEADER))) {
				memcpy(bn->block, data, GRUBENV_SIZE);
				snprintf(bn->inner, sizeof(bn->inner), "%s", grubenv_paths[p]);
				bn->offset = parts[i].offset;
				bn->size = parts[i].size;
				rc = 0;
			}
			free(data);
		}
		fs->ops->unmount(fs);
	}
	hostfile_close(dev);
	return rc;
}

static int load_grubenv_file(struct bootnext *bn)
{
	void *data;
	size_t len;
	int rc = read_whole_file(bn->path, &data, &len);
	if (rc)
		return rc;
	if (len != GRUBENV_SIZE || memcmp(data, GRUBENV_HEADER, strlen(GRUBENV_HEADER)))
		rc = -EINVAL;
	else
		memcpy(bn->block, data, GRUBENV_SIZE);
	free(data);
	return rc;
}

int bootnext_open(struct bootnext *bn, const char *store, const char *grubenv, const char *image)
{
	int rc;
	memset(bn, 0, sizeof(*bn));
	if (store || (!grubenv && !image && access(EFIVARFS, R_OK) == 0)) {
		bn->kind = BOOTNEXT_EFI;
		return efivars_open(&bn->ev, store);
	}
	if (image) {
		bn->kind = BOOTNEXT_GRUBENV_IMAGE;
		snprintf(bn->path, sizeof(bn->path), "%s", image);
		rc = find_image_grubenv(bn);
		if (rc)
			fprintf(stderr, "pvhboot: %s: %s\n", image,
				rc == -ENOENT ? "no 1024-byte grubenv (/boot/grub/grubenv, /boot/grub2/grubenv) "
						"on any file system pvhboot reads"
					      : strerror(-rc));
		return rc;
	}
	bn->kind = BOOTNEXT_GRUBENV_FILE;
	if (grubenv) {
		snprintf(bn->path, sizeof(bn->path), "%s", grubenv);
	} else {
		for (size_t p = 0; p < NPATHS && !bn->path[0]; p++)
			if (access(grubenv_paths[p], F_OK) == 0)
				snprintf(bn->path, sizeof(bn->path), "%s", grubenv_paths[p]);
		if (!bn->path[0]) {
			fprintf(stderr, "pvhboot: no EFI variables and no /boot/grub/grubenv: nowhere to keep the choice "
					"(grub-editenv /boot/grub/grubenv create)\n");
			return -ENOENT;
		}
	}
	rc = load_grubenv_file(bn);
	if (rc)
		fprintf(stderr, "pvhboot: %s: %s\n", bn->path,
			rc == -EINVAL ? "not a 1024-byte GRUB environment block" : strerror(-rc));
	return rc;
}

void bootnext_close(struct bootnext *bn)
{
	if (bn->kind == BOOTNEXT_EFI)
		efivars_close(&bn->ev, false);
}

void bootnext_print(struct bootnext *bn)
{
	char oneshot[256] = "", saved[256] = "";
	const char *o_name, *s_name;
	int o_rc, s_rc;

	if (bn->kind == BOOTNEXT_EFI) {
		o_name = "LoaderEntryOneShot";
		s_name = "LoaderEntryDefault";
		o_rc = efivars_get_string(&bn->ev, o_name, BLI_VENDOR_GUID, oneshot, sizeof(oneshot));
		s_rc = efivars_get_string(&bn->ev, s_name, BLI_VENDOR_GUID, saved, sizeof(saved));
	} else {
		o_name = "grubenv next_entry";
		s_name = "grubenv saved_entry";
		o_rc = grubenv_get(bn->block, "next_entry", oneshot, sizeof(oneshot));
		s_rc = grubenv_get(bn->block, "saved_entry", saved, sizeof(saved));
	}
	if (!o_rc && oneshot[0])
		printf("next boot: %s (one-shot: %s, taken once)\n", oneshot, o_name);
	else if (!s_rc && saved[0])
		printf("next boot: %s (saved: %s)\n", saved, s_name);
	else
		printf("next boot: the config's default (no one-shot, no saved default)\n");
	if (!o_rc && oneshot[0] && !s_rc && saved[0])
		printf("then: %s (saved: %s)\n", saved, s_name);
}

/* Write the choice; for grubenv the key and for EFI the variable. */
static int store_choice(struct bootnext *bn, bool oneshot, const char *entry)
{
	int rc;
	if (bn->kind == BOOTNEXT_EFI) {
		const char *name = oneshot ? "LoaderEntryOneShot" : "LoaderEntryDefault";
		rc = efivars_set_string(&bn->ev, name, BLI_VENDOR_GUID, entry);
		if (!rc)
			rc = efivars_close(&bn->ev, true);
		else
			efivars_close(&bn->ev, false);
		bn->kind = BOOTNEXT_GRUBENV_FILE; /* closed */
		if (!rc)
			printf("%s=%s (%s)\n", name, entry, bn->ev.store_path ? bn->ev.store_path : "efivarfs");
		return rc;
	}
	const char *key = oneshot ? "next_entry" : "saved_entry";
	if (bn->kind == BOOTNEXT_GRUBENV_FILE)
		rc = grubenv_rewrite_file(bn->path, key, entry);
	else
		rc = grubenv_rewrite_image(bn->path, bn->offset, bn->size, bn->block, key, entry);
	if (!rc)
		printf("grubenv %s=%s (%s%s%s, rewritten in place)\n", key, entry, bn->path,
		       bn->inner[0] ? ":" : "", bn->inner);
	return rc;
}

static int set_choice(int argc, char **argv, bool oneshot)
{
	static const struct option longopts[] = {
		{ "efivars", required_argument, NULL, 'v' }, { "grubenv", required_argument, NULL, 'g' },
		{ "image", required_argument, NULL, 'i' },   { 0 },
	};
	const char *store = NULL, *grubenv = NULL, *image = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'v': store = optarg; break;
		case 'g': grubenv = optarg; break;
		case 'i': image = optarg; break;
		default: goto usage;
		}
	}
	if (optind + 1 != argc || !argv[optind][0] || (!!store + !!grubenv + !!image) > 1)
		goto usage;
	struct bootnext bn;
	if (bootnext_open(&bn, store, grubenv, image))
		return EXIT_USAGE;
	int rc = store_choice(&bn, oneshot, argv[optind]);
	bootnext_close(&bn);
	if (rc) {
		const char *why = rc == -EINVAL ? "refused: not a grubenv block, or an entry id with a newline, backslash or non-ASCII character"
			: rc == -ENOSPC ? "refused: no room (a grubenv is 1024 bytes; a variable store full; a sparse grubenv)"
			: rc == -EEXIST ? "refused: the grubenv's content is on the disk twice; cannot tell which block is the file"
			: strerror(-rc);
		fprintf(stderr, "pvhboot %s: %s\n", argv[0], why);
		return EXIT_USAGE;
	}
	return 0;
usage:
	fprintf(stderr, "usage: pvhboot %s ENTRY [--efivars VARS.fd | --grubenv FILE | --image DISK]\n",
		argv[0]);
	return EXIT_USAGE;
}

int cmd_set_oneshot(int argc, char **argv)
{
	return set_choice(argc, argv, true);
}

int cmd_set_default(int argc, char **argv)
{
	return set_choice(argc, argv, false);
}
