/* SPDX-License-Identifier: MIT */
/*
 * pvhboot install | update: put the EFI loader on the ESP and give it a
 * firmware boot entry.
 *
 *   EFI/pvhboot/pvhboot.efi       the loader (always)
 *   EFI/BOOT/BOOTX64.EFI          the same bytes, with --removable
 *   EFI/pvhboot/pvhboot.version   the version installed, written last
 *
 * The boot entry goes into the running firmware's variables through
 * efibootmgr, or with --efivars FILE into an EDK2 variable store file for
 * a disk image. `update` writes only when the installed version is older
 * than the one offered (Debian version order) and leaves the boot entry
 * alone.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../config/config.h"
#include "bootentry.h"
#include "cli.h"
#include "efivars.h"
#include "esp.h"
#include "install.h"

#define LIB_EFI "/usr/lib/pvhboot/pvhboot.efi"

int install_image_version(const uint8_t *img, size_t len, char *out, size_t cap)
{
	/* The banner efi/main.c prints: "pvhboot VERSION (EFI x86_64)". */
	static const char pre[] = "pvhboot ", post[] = " (EFI";
	for (size_t i = 0; i + sizeof(pre) < len; i++) {
		if (memcmp(img + i, pre, sizeof(pre) - 1))
			continue;
		size_t v = i + sizeof(pre) - 1, e = v;
		while (e < len && e - v < cap - 1 && img[e] > ' ' && img[e] < 0x7f)
			e++;
		if (e == v || e + sizeof(post) - 1 > len || memcmp(img + e, post, sizeof(post) - 1))
			continue;
		memcpy(out, img + v, e - v);
		out[e - v] = 0;
		return 0;
	}
	return -ENOENT;
}

int install_installed_version(const struct esp *esp, char *out, size_t cap)
{
	void *data;
	size_t len;
	int rc = esp_read(esp, INSTALL_STAMP, &data, &len);
	if (rc)
		return rc;
	size_t n = 0;
	const char *s = data;
	while (n < len && n + 1 < cap && s[n] != '\n' && s[n] != '\r')
		n++;
	memcpy(out, s, n);
	out[n] = 0;
	free(data);
	return n ? 0 : -EINVAL;
}

/* The image to install: --source, the packaged one, or the one next to this binary. */
static int find_source(const char *given, char *out, size_t cap)
{
	if (given) {
		snprintf(out, cap, "%s", given);
		return 0;
	}
	if (access(LIB_EFI, R_OK) == 0) {
		snprintf(out, cap, "%s", LIB_EFI);
		return 0;
	}
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		snprintf(out, cap, "%s/pvhboot.efi", dirname(self));
		if (access(out, R_OK) == 0)
			return 0;
	}
	fprintf(stderr, "pvhboot: no pvhboot.efi (%s, or next to this program); name one with --source\n",
		LIB_EFI);
	return -ENOENT;
}

/* efibootmgr for a live system; the entry is left alone when one is there. */
static int live_boot_entry(const struct esp *esp)
{
	struct efivars ev;
	unsigned number;
	char part[16];

	if (efivars_open(&ev, NULL))
		return -ENOENT;
	int found = bootentry_find(&ev, &number);
	efivars_close(&ev, false);
	if (found == 0) {
		printf("boot entry: Boot%04X (%s) already there\n", number, BOOTENTRY_LABEL);
		return 0;
	}
	if (!esp->disk[0] || !esp->partno) {
		fprintf(stderr, "pvhboot: %s: cannot tell its disk and partition number for efibootmgr\n",
			esp->path);
		return -ENODEV;
	}
	snprintf(part, sizeof(part), "%u", esp->partno);
	pid_t pid = fork();
	if (pid == 0) {
		execlp("efibootmgr", "efibootmgr", "-q", "-c", "-d", esp->disk, "-p", part, "-L",
		       BOOTENTRY_LABEL, "-l", BOOTENTRY_PATH, (char *)NULL);
		fprintf(stderr, "pvhboot: efibootmgr: %s (apt-get install efibootmgr)\n", strerror(errno));
		_exit(127);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -EIO;
	printf("boot entry: created with efibootmgr (%s partition %s)\n", esp->disk, part);
	return 0;
}

static int store_boot_entry(const char *store, const struct esp *esp)
{
	struct efivars ev;
	unsigned number;
	if (!esp->gpt) {
		fprintf(stderr, "pvhboot: %s: not a GPT partition: no HD() node for a boot entry\n",
			esp_describe(esp));
		return -EINVAL;
	}
	int rc = efivars_open(&ev, store);
	if (rc)
		return rc;
	rc = bootentry_install(&ev, esp, &number);
	if (rc) {
		fprintf(stderr, "pvhboot: %s: boot entry not written: %s\n", store, strerror(-rc));
		efivars_close(&ev, false);
		return rc;
	}
	rc = efivars_close(&ev, true);
	if (!rc)
		printf("boot entry: Boot%04X %s -> HD(%u)/File(%s), first in BootOrder (%s)\n", number,
		       BOOTENTRY_LABEL, esp->partno, BOOTENTRY_PATH, store);
	return rc;
}

static void usage(const char *cmd)
{
	fprintf(stderr,
		"usage: pvhboot %s [--esp DIR|IMAGE] [--image IMAGE] [--efivars VARS.fd]\n"
		"       [--removable] [--no-nvram] [--source pvhboot.efi]\n", cmd);
}

int cmd_install(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "esp", required_argument, NULL, 'e' },  { "image", required_argument, NULL, 'e' },
		{ "efivars", required_argument, NULL, 'v' }, { "removable", no_argument, NULL, 'r' },
		{ "no-nvram", no_argument, NULL, 'n' },   { "source", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },       { 0 },
	};
	const char *cmd = argv[0], *spec = NULL, *store = NULL, *source = NULL;
	bool update = !strcmp(cmd, "update"), removable = false, nvram = true;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': spec = optarg; break;
		case 'v': store = optarg; break;
		case 'r': removable = true; break;
		case 'n': nvram = false; break;
		case 's': source = optarg; break;
		case 'h': usage(cmd); return 0;
		default: usage(cmd); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		usage(cmd);
		return EXIT_USAGE;
	}
	if (!spec && geteuid() != 0) {
		fprintf(stderr, "pvhboot %s: run as root to install on this system (or name --esp/--image)\n", cmd);
		return EXIT_USAGE;
	}

	char src[PATH_MAX], version[64], have[64];
	void *img;
	size_t len;
	struct esp esp;
	if (find_source(source, src, sizeof(src)))
		return EXIT_USAGE;
	int rc = read_whole_file(src, &img, &len);
	if (rc) {
		fprintf(stderr, "pvhboot %s: %s: %s\n", cmd, src, strerror(-rc));
		return EXIT_USAGE;
	}
	if (install_image_version(img, len, version, sizeof(version))) {
		fprintf(stderr, "pvhboot %s: %s: not a pvhboot EFI image (no version banner)\n", cmd, src);
		free(img);
		return EXIT_NOT_RECOGNISED;
	}
	if (esp_find(spec, &esp)) {
		free(img);
		return EXIT_USAGE;
	}
	bool installed = install_installed_version(&esp, have, sizeof(have)) == 0;
	if (update) {
		if (!installed) {
			fprintf(stderr, "pvhboot update: %s: pvhboot is not installed there (use install)\n",
				esp_describe(&esp));
			free(img);
			return EXIT_NOT_RECOGNISED;
		}
		if (config_version_cmp(have, version) >= 0) {
			printf("up to date: %s has pvhboot %s, offered %s\n", esp_describe(&esp), have,
			       version);
			free(img);
			return 0;
		}
	}
	/* Every check that can refuse comes before the first write. */
	rc = esp_check_writable(&esp, (uint64_t)len * (removable ? 2 : 1) + 4096);
	if (!rc)
		rc = esp_write(&esp, INSTALL_IMAGE, img, len);
	if (!rc && removable)
		rc = esp_write(&esp, INSTALL_REMOVABLE, img, len);
	if (!rc) {
		char stamp[80];
		int n = snprintf(stamp, sizeof(stamp), "%s\n", version);
		rc = esp_write(&esp, INSTALL_STAMP, stamp, (size_t)n);
	}
	free(img);
	if (rc) {
		if (rc != -EROFS && rc != -ENOSPC)
			fprintf(stderr, "pvhboot %s: %s: writing failed: %s\n", cmd, esp_describe(&esp),
				strerror(-rc));
		return EXIT_USAGE;
	}
	if (installed)
		printf("%s: pvhboot %s -> %s on %s\n", update ? "updated" : "installed", have, version,
		       esp_describe(&esp));
	else
		printf("installed: pvhboot %s on %s\n", version, esp_describe(&esp));
	if (update || !nvram)
		return 0;
	if (store)
		rc = store_boot_entry(store, &esp);
	else if (!esp.image && access(EFIVARFS, R_OK) == 0)
		rc = live_boot_entry(&esp);
	else
		printf("boot entry: none written (no EFI variables here; --efivars VARS.fd for an image, or --removable)\n");
	return rc ? EXIT_USAGE : 0;
}
