/* SPDX-License-Identifier: MIT */
/*
 * Finding, reading and writing the EFI System Partition (tools/esp.h).
 * Images are read with the loader's own partition and FAT code and written
 * with mtools at the partition's byte offset, so no loop device or mount is
 * needed and the image can be a plain file owned by anyone.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../fs/fs.h"
#include "../fs/hostfile.h"
#include "../fs/partition.h"
#include "atomic.h"
#include "cli.h"
#include "efivars_store.h"
#include "esp.h"

#define MSDOS_MAGIC 0x4d44 /* statfs f_type of vfat/msdos */

/* Clusters for directories and rounding, on top of the file itself (64 KiB clusters at most). */
#define ESP_SLACK (128u * 1024)
/* Nothing pvhboot puts on an ESP is larger: a bound for reads. */
#define ESP_FILE_MAX (64u * 1024 * 1024)

static struct volume parts[PART_MAX];

/* Mount the image ESP with the loader's FAT driver; @disk and @part live in the caller. */
static int mount_image(const struct esp *esp, struct blockdev **dev, struct volume *part,
		       struct fs **fs)
{
	int rc = hostfile_open(esp->path, 512, dev);
	if (rc)
		return rc;
	volume_of_disk(*dev, part);
	part->offset = esp->offset;
	part->size = esp->size;
	rc = fs_mount(part, fs);
	if (rc)
		hostfile_close(*dev);
	return rc;
}

static bool is_fat(struct fs *fs)
{
	return !strcmp(fs->ops->name, "fat");
}

/* The ESP in an image: the first GPT partition of the ESP type holding FAT, or a bare FAT image. */
static int find_in_image(const char *path, struct esp *out)
{
	struct blockdev *dev;
	struct volume disk;
	struct fs *fs;
	unsigned n = 0;
	uint8_t esp_type[16];
	bool typed = false;

	guid_parse(ESP_TYPE_GUID, esp_type);
	int rc = hostfile_open(path, 512, &dev);
	if (rc) {
		fprintf(stderr, "pvhboot: %s: %s\n", path, strerror(-rc));
		return rc;
	}
	volume_of_disk(dev, &disk);
	partitions_scan(&disk, parts, PART_MAX, &n);
	rc = -ENODEV;
	for (unsigned i = 0; i < n && rc; i++) {
		/* GPT stores the type GUID in EFI_GUID order, as guid_parse() gives it. */
		if (parts[i].kind != VOLUME_GPT || memcmp(parts[i].type_guid, esp_type, 16))
			continue;
		typed = true;
		if (fs_mount(&parts[i], &fs))
			continue;
		if (is_fat(fs)) {
			out->offset = parts[i].offset;
			out->size = parts[i].size;
			out->gpt = true;
			out->partno = parts[i].index;
			out->start_lba = parts[i].offset / 512;
			out->nr_lba = parts[i].size / 512;
			memcpy(out->part_guid, parts[i].part_guid, 16);
			rc = 0;
		}
		fs->ops->unmount(fs);
	}
	if (rc && n == 0 && fs_mount(&disk, &fs) == 0) {
		/* A file system image without a partition table: fine for files, no HD() node. */
		if (is_fat(fs)) {
			out->offset = 0;
			out->size = disk.size;
			rc = 0;
		}
		fs->ops->unmount(fs);
	}
	hostfile_close(dev);
	if (rc)
		fprintf(stderr, "pvhboot: %s: %s\n", path,
			typed ? "its EFI System Partition holds no FAT file system"
			      : "no EFI System Partition (GPT type C12A7328-F81F-11D2-BA4B-00A0C93EC93B) with a FAT file system");
	return rc;
}

/*
 * A live ESP's partition: the mount's source device from mountinfo, its
 * number and disk from sysfs. Only efibootmgr needs them; failing is quiet.
 */
static void live_partition(struct esp *esp)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096], dev[PATH_MAX] = "";
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char mnt[PATH_MAX], src[PATH_MAX];
		char *sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(sep + 3, "%*s %4095s", src) != 1)
			continue;
		if (!strcmp(mnt, esp->path))
			snprintf(dev, sizeof(dev), "%s", src); /* the last mount there wins */
	}
	fclose(f);
	const char *base = strrchr(dev, '/');
	if (!base)
		return;
	char sys[PATH_MAX + 64], real[PATH_MAX];
	snprintf(sys, sizeof(sys), "/sys/class/block/%s/partition", base + 1);
	f = fopen(sys, "r");
	if (!f || fscanf(f, "%u", &esp->partno) != 1) {
		if (f)
			fclose(f);
		return;
	}
	fclose(f);
	snprintf(sys, sizeof(sys), "/sys/class/block/%s", base + 1);
	if (!realpath(sys, real))
		return;
	*strrchr(real, '/') = 0;
	snprintf(esp->disk, sizeof(esp->disk), "/dev/%s", strrchr(real, '/') + 1);
}

static int dir_esp(const char *path, struct esp *out)
{
	struct statfs sf;
	if (statfs(path, &sf) == 0 && sf.f_type != MSDOS_MAGIC)
		fprintf(stderr, "pvhboot: warning: %s is not a FAT file system\n", path);
	if (!realpath(path, out->path))
		return -errno;
	live_partition(out);
	return 0;
}

static bool is_mountpoint(const char *path)
{
	struct stat a, b;
	char parent[PATH_MAX];
	snprintf(parent, sizeof(parent), "%s/..", path);
	return stat(path, &a) == 0 && S_ISDIR(a.st_mode) && stat(parent, &b) == 0 &&
	       a.st_dev != b.st_dev;
}

int esp_find(const char *spec, struct esp *out)
{
	static const char *const mounts[] = { "/boot/efi", "/efi" };
	struct stat st;

	memset(out, 0, sizeof(*out));
	if (!spec) {
		for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
			struct statfs sf;
			if (is_mountpoint(mounts[i]) && statfs(mounts[i], &sf) == 0 &&
			    sf.f_type == MSDOS_MAGIC)
				return dir_esp(mounts[i], out);
		}
		fprintf(stderr, "pvhboot: no EFI System Partition mounted at /boot/efi or /efi "
				"(mount it, or name it with --esp DIR|IMAGE)\n");
		return -ENOENT;
	}
	if (stat(spec, &st) < 0) {
		fprintf(stderr, "pvhboot: %s: %s\n", spec, strerror(errno));
		return -errno;
	}
	if (S_ISDIR(st.st_mode))
		return dir_esp(spec, out);
	out->image = true;
	snprintf(out->path, sizeof(out->path), "%s", spec);
	return find_in_image(spec, out);
}

/* Join the ESP's directory and a '/'-separated path inside it. */
static void dir_path(const struct esp *esp, const char *path, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s", esp->path, path);
}

int esp_read(const struct esp *esp, const char *path, void **data, size_t *len)
{
	if (!esp->image) {
		char full[PATH_MAX * 2];
		dir_path(esp, path, full, sizeof(full));
		return read_whole_file(full, data, len);
	}
	struct blockdev *dev;
	struct volume part;
	struct fs *fs;
	int rc = mount_image(esp, &dev, &part, &fs);
	if (rc)
		return rc;
	rc = fs_read_file(fs, path, ESP_FILE_MAX, data, len);
	fs->ops->unmount(fs);
	hostfile_close(dev);
	return rc;
}

/* Does @path exist in the image ESP? */
static bool image_has(const struct esp *esp, const char *path)
{
	struct blockdev *dev;
	struct volume part;
	struct fs *fs;
	uint64_t ino;
	if (mount_image(esp, &dev, &part, &fs))
		return false;
	bool found = fs_resolve(fs, path, &ino) == 0;
	fs->ops->unmount(fs);
	hostfile_close(dev);
	return found;
}

/*
 * Run an mtools command on the image ESP: the tool, "-i IMG@@OFFSET", then
 * @args; no shell. With @out, its standard output is kept there (up to
 * @cap - 1 bytes, terminated). 0 when it exits 0, else -EIO.
 */
static int mtool_run(const struct esp *esp, const char *tool, const char *const *args, char *out,
		     size_t cap)
{
	char target[PATH_MAX + 32];
	const char *argv[12];
	size_t n = 0;
	int pipefd[2] = { -1, -1 };

	snprintf(target, sizeof(target), "%s@@%llu", esp->path, (unsigned long long)esp->offset);
	argv[n++] = tool;
	argv[n++] = "-i";
	argv[n++] = target;
	while (*args && n < sizeof(argv) / sizeof(argv[0]) - 1)
		argv[n++] = *args++;
	argv[n] = NULL;
	if (out && pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (out)
			dup2(pipefd[1], STDOUT_FILENO);
		/* mtools refuses some valid FAT geometries unless told not to check. */
		setenv("MTOOLS_SKIP_CHECK", "1", 1);
		execvp(tool, (char *const *)argv);
		fprintf(stderr, "pvhboot: %s: %s (apt-get install mtools)\n", tool, strerror(errno));
		_exit(127);
	}
	if (out) {
		size_t got = 0;
		ssize_t r;
		close(pipefd[1]);
		/* Read to the end even past @cap, so the tool never blocks on a full pipe. */
		char sink[512];
		while ((r = read(pipefd[0], got + 1 < cap ? out + got : sink,
				 got + 1 < cap ? cap - 1 - got : sizeof(sink))) != 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				break;
			if (got + 1 < cap)
				got += (size_t)r;
		}
		out[got] = 0;
		close(pipefd[0]);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

static int mtool(const struct esp *esp, const char *tool, const char *const *args)
{
	return mtool_run(esp, tool, args, NULL, 0);
}

/* Free bytes of the image ESP, from mdir's last line ("  1 234 567 bytes free"). */
static int image_free(const struct esp *esp, uint64_t *free_bytes)
{
	static char listing[64 * 1024];
	const char *args[] = { "::/", NULL };
	if (mtool_run(esp, "mdir", args, listing, sizeof(listing)))
		return -EIO;
	char *at = strstr(listing, "bytes free");
	if (!at)
		return -EIO;
	char *line = at;
	while (line > listing && line[-1] != '\n')
		line--;
	uint64_t v = 0;
	for (char *c = line; c < at; c++)
		if (*c >= '0' && *c <= '9') {
			if (v > (UINT64_MAX - 9) / 10)
				return -EIO;
			v = v * 10 + (uint64_t)(*c - '0');
		}
	*free_bytes = v;
	return 0;
}

int esp_check_writable(const struct esp *esp, uint64_t need)
{
	uint64_t avail;

	if (esp->image) {
		int fd = open(esp->path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			int e = errno;
			fprintf(stderr, "pvhboot: %s: cannot write the image: %s\n", esp->path, strerror(e));
			return e == EACCES || e == EPERM || e == EROFS ? -EROFS : -e;
		}
		close(fd);
		if (image_free(esp, &avail)) {
			fprintf(stderr, "pvhboot: %s: cannot read the ESP's free space (mdir)\n", esp->path);
			return -EIO;
		}
	} else {
		struct statvfs sv;
		if (statvfs(esp->path, &sv) < 0)
			return -errno;
		if ((sv.f_flag & ST_RDONLY) || access(esp->path, W_OK) < 0) {
			fprintf(stderr, "pvhboot: %s: the ESP is read-only (remount it read-write)\n",
				esp->path);
			return -EROFS;
		}
		avail = (uint64_t)sv.f_bavail * sv.f_frsize;
	}
	if (avail < need + ESP_SLACK) {
		fprintf(stderr, "pvhboot: %s: the ESP is full: %llu KiB free, %llu KiB needed; nothing was written\n",
			esp_describe(esp), (unsigned long long)(avail / 1024),
			(unsigned long long)((need + ESP_SLACK + 1023) / 1024));
		return -ENOSPC;
	}
	return 0;
}

/* Make every directory above @path ("/EFI/pvhboot/x" makes /EFI and /EFI/pvhboot). */
static int make_dirs(const struct esp *esp, const char *path)
{
	char sub[PATH_MAX];
	for (const char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		snprintf(sub, sizeof(sub), "%.*s", (int)(s - path), path);
		if (esp->image) {
			if (image_has(esp, sub))
				continue;
			char dest[PATH_MAX + 4];
			snprintf(dest, sizeof(dest), "::%s", sub);
			const char *args[] = { dest, NULL };
			if (mtool(esp, "mmd", args))
				return -EIO;
		} else {
			char full[PATH_MAX * 2];
			dir_path(esp, sub, full, sizeof(full));
			if (mkdir(full, 0755) < 0 && errno != EEXIST)
				return -errno;
		}
	}
	return 0;
}

static int image_write(const struct esp *esp, const char *path, const void *data, size_t len)
{
	char tmp[] = "/tmp/pvhboot-esp.XXXXXX", dest_tmp[PATH_MAX + 8], dest[PATH_MAX + 4];
	int fd = mkstemp(tmp), rc = 0;
	if (fd < 0)
		return -errno;
	if (write(fd, data, len) != (ssize_t)len) {
		rc = -EIO;
		close(fd);
		goto out;
	}
	close(fd);
	snprintf(dest_tmp, sizeof(dest_tmp), "::%s.new", path);
	snprintf(dest, sizeof(dest), "::%s", path);
	const char *copy[] = { "-o", tmp, dest_tmp, NULL };
	if (mtool(esp, "mcopy", copy)) {
		const char *del[] = { dest_tmp, NULL };
		mtool(esp, "mdel", del);
		rc = -EIO;
		goto out;
	}
	/* mren -D o: the rename replaces the old file in one directory update. */
	const char *ren[] = { "-D", "o", dest_tmp, dest, NULL };
	if (mtool(esp, "mren", ren)) {
		rc = -EIO;
		goto out;
	}
	fd = open(esp->path, O_RDWR | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0)
		rc = -errno;
	if (fd >= 0)
		close(fd);
out:
	unlink(tmp);
	return rc;
}

int esp_write(const struct esp *esp, const char *path, const void *data, size_t len)
{
	int rc = make_dirs(esp, path);
	if (rc)
		return rc;
	if (esp->image)
		return image_write(esp, path, data, len);
	char full[PATH_MAX * 2];
	dir_path(esp, path, full, sizeof(full));
	return write_file_atomic(full, data, len);
}

const char *esp_describe(const struct esp *esp)
{
	static char text[PATH_MAX + 64];
	if (!esp->image)
		snprintf(text, sizeof(text), "%s", esp->path);
	else if (esp->gpt)
		snprintf(text, sizeof(text), "%s partition %u (offset %llu)", esp->path, esp->partno,
			 (unsigned long long)esp->offset);
	else
		snprintf(text, sizeof(text), "%s (a FAT image)", esp->path);
	return text;
}
