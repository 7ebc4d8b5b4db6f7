/* SPDX-License-Identifier: MIT */
/*
 * pvhboot ls | cat | menu: the loader's own partition, filesystem and config
 * code on a disk or filesystem image. IMAGE[:PART] names the image and a
 * 1-based partition; without PART the first partition holding a filesystem
 * is used, or the whole image when it has no partition table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../boot/discover.h"
#include "../fs/hostfile.h"
#include "../fs/partition.h"
#include "cli.h"

static struct volume parts[PART_MAX];

/* Open IMAGE[:PART] and mount it; prints the error itself. */
static int open_fs(const char *cmd, const char *spec, struct fs **out)
{
	static char path[4096];
	struct blockdev *dev;
	struct volume disk;
	unsigned nparts = 0;
	long part = -1;

	snprintf(path, sizeof(path), "%s", spec);
	char *colon = strrchr(path, ':');
	if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
		part = strtol(colon + 1, NULL, 10);
		*colon = 0;
	}
	int rc = hostfile_open(path, 512, &dev);
	if (rc) {
		fprintf(stderr, "pvhboot %s: %s: %s\n", cmd, path, strerror(-rc));
		return rc;
	}
	volume_of_disk(dev, &disk);
	partitions_scan(&disk, parts, PART_MAX, &nparts);
	if (part > 0) {
		for (unsigned i = 0; i < nparts; i++)
			if (parts[i].index == (unsigned)part)
				return fs_mount(&parts[i], out) ? (fprintf(stderr,
					"pvhboot %s: %s: no filesystem pvhboot can read\n", cmd, spec), -1) : 0;
		fprintf(stderr, "pvhboot %s: %s: no partition %ld\n", cmd, path, part);
		return -1;
	}
	for (unsigned i = 0; i < nparts; i++)
		if (!fs_mount(&parts[i], out))
			return 0;
	static struct volume whole;
	whole = disk;
	if (!fs_mount(&whole, out))
		return 0;
	fprintf(stderr, "pvhboot %s: %s: no filesystem pvhboot can read\n", cmd, spec);
	return -1;
}

static const char *type_char(enum fs_type t)
{
	return t == FS_DIR ? "d" : t == FS_SYMLINK ? "l" : t == FS_REG ? "-" : "?";
}

struct ls_ctx {
	struct fs *fs;
};

static int ls_one(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type type)
{
	struct ls_ctx *c = ctx;
	struct fs_stat st = { 0 };
	c->fs->ops->stat(c->fs, ino, &st);
	printf("%s %12llu %.*s\n", type_char(st.type ? st.type : type),
	       (unsigned long long)st.size, (int)len, name);
	return 0;
}

int cmd_ls(int argc, char **argv)
{
	struct fs *fs;
	uint64_t ino;
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: pvhboot ls IMAGE[:PART] [PATH]\n");
		return EXIT_USAGE;
	}
	if (open_fs("ls", argv[1], &fs))
		return EXIT_USAGE;
	const char *path = argc == 3 ? argv[2] : "/";
	int rc = fs_resolve(fs, path, &ino);
	if (rc) {
		fprintf(stderr, "pvhboot ls: %s: %s\n", path, strerror(-rc));
		return EXIT_USAGE;
	}
	struct fs_stat st;
	rc = fs->ops->stat(fs, ino, &st);
	if (!rc && st.type != FS_DIR) {
		printf("%s %12llu %s\n", type_char(st.type), (unsigned long long)st.size, path);
		return 0;
	}
	struct ls_ctx c = { fs };
	rc = rc ? rc : fs->ops->readdir(fs, ino, ls_one, &c);
	if (rc < 0) {
		fprintf(stderr, "pvhboot ls: %s: %s\n", path, strerror(-rc));
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_cat(int argc, char **argv)
{
	struct fs *fs;
	uint64_t ino;
	struct fs_stat st;
	if (argc != 3) {
		fprintf(stderr, "usage: pvhboot cat IMAGE[:PART] PATH\n");
		return EXIT_USAGE;
	}
	if (open_fs("cat", argv[1], &fs))
		return EXIT_USAGE;
	int rc = fs_resolve(fs, argv[2], &ino);
	if (!rc)
		rc = fs->ops->stat(fs, ino, &st);
	if (!rc && st.type != FS_REG)
		rc = -EISDIR;
	if (rc) {
		fprintf(stderr, "pvhboot cat: %s: %s\n", argv[2], strerror(-rc));
		return EXIT_USAGE;
	}
	/* Large reads, as the loader does: the device sees big requests. */
	size_t step = 8u << 20;
	char *buf = malloc(step);
	if (!buf)
		return EXIT_USAGE;
	for (uint64_t off = 0; off < st.size;) {
		long n = fs->ops->read(fs, ino, off, buf, (size_t)(st.size - off < step ? st.size - off : step));
		if (n <= 0) {
			fprintf(stderr, "pvhboot cat: %s: %s\n", argv[2], n ? strerror((int)-n) : "short read");
			free(buf);
			return EXIT_USAGE;
		}
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n) {
			free(buf);
			return EXIT_USAGE;
		}
		off += (uint64_t)n;
	}
	free(buf);
	return 0;
}

static int print_out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int cmd_menu(int argc, char **argv)
{
	static struct boot_menu bm;
	struct blockdev *dev;
	if (argc < 2) {
		fprintf(stderr, "usage: pvhboot menu IMAGE...\n");
		return EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		int rc = hostfile_open(argv[i], 512, &dev);
		if (rc) {
			fprintf(stderr, "pvhboot menu: %s: %s\n", argv[i], strerror(-rc));
			return EXIT_USAGE;
		}
		snprintf(dev->name, sizeof(dev->name), "hd%d", i - 1);
		blockdev_register(dev);
	}
	volumes_discover();
	menu_discover(&bm, NULL);
	menu_describe(&bm, print_out);
	return bm.menu.count ? 0 : EXIT_NOT_RECOGNISED;
}
