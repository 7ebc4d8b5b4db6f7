/* SPDX-License-Identifier: MIT */
/*
 * The loader's grubenv rewrite (boot/envwrite.c) on filesystem images made
 * by the real tools (tests/images/grubenv.sh OUTDIR; OUTDIR from
 * $PVHBOOT_TEST_IMAGES or build/testimages), through a block device made
 * of memory that can fail:
 *  - ext4 and FAT: rewritten; a fresh mount reads the new value;
 *  - refused with a message, the image untouched: an inline ext4 grubenv,
 *    btrfs (no map), a read-only device, a FAT grubenv whose cluster
 *    another file shares (cross-linked by its directory entry or its chain);
 *  - a write error from the device: nothing stored, writes off after it;
 *  - a power cut between the write and its read-back: the write landed,
 *    every later request fails; a fresh mount of what is on the medium
 *    reads the new grubenv.
 * After every case: e2fsck -fn / fsck.vfat -n is clean and no byte outside
 * the grubenv's blocks differs. Each case runs in its own process: the
 * first write failure turns writes off for the session, by design.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../boot/bootcount.h"
#include "../../boot/envwrite.h"
#include "../../config/grubenv.h"
#include "test.h"

enum fault { F_NONE, F_WRITE_ERROR, F_POWER_CUT, F_READ_ONLY };

struct memdisk {
	struct blockdev dev;
	uint8_t *data;    /* shared with the parent: it checks what the child left */
	size_t size;
	enum fault fault;
	bool dead;        /* power cut: the machine is gone */
	unsigned writes;
};

static int md_read(struct blockdev *d, uint64_t lba, uint64_t count, void *buf)
{
	struct memdisk *m = d->priv;
	if (m->dead)
		return -EIO;
	if (lba > m->size / 512 || count > m->size / 512 - lba)
		return -EINVAL;
	memcpy(buf, m->data + lba * 512, count * 512);
	return 0;
}

static int md_write(struct blockdev *d, uint64_t lba, uint64_t count, const void *buf)
{
	struct memdisk *m = d->priv;
	if (m->dead || m->fault == F_WRITE_ERROR)
		return -EIO;
	if (lba > m->size / 512 || count > m->size / 512 - lba)
		return -EINVAL;
	memcpy(m->data + lba * 512, buf, count * 512);
	m->writes++;
	if (m->fault == F_POWER_CUT)
		m->dead = true; /* on the medium; nothing after this reaches the disk */
	return 0;
}

static char path_buf[512];
static const char *image(const char *name)
{
	const char *base = getenv("PVHBOOT_TEST_IMAGES");
	snprintf(path_buf, sizeof(path_buf), "%s/grubenv/%s", base ? base : "build/testimages",
		 name);
	return path_buf;
}

/* The image into shared memory, so a child's writes are seen by the parent. */
static uint8_t *load(const char *name, size_t *size)
{
	FILE *f = fopen(image(name), "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *p = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || fread(p, 1, *size, f) != *size)
		p = NULL;
	fclose(f);
	return p;
}

static void mount_mem(struct memdisk *md, struct mounted *m, uint8_t *data, size_t size,
		      enum fault fault)
{
	memset(md, 0, sizeof(*md));
	md->data = data;
	md->size = size;
	md->fault = fault;
	snprintf(md->dev.name, sizeof(md->dev.name), "mem");
	md->dev.sector_size = 512;
	md->dev.nr_sectors = size / 512;
	md->dev.read_only = fault == F_READ_ONLY;
	md->dev.read = md_read;
	md->dev.write = md_write;
	md->dev.priv = md;
	memset(m, 0, sizeof(*m));
	volume_of_disk(&md->dev, &m->vol);
	if (fs_mount(&m->vol, &m->fs))
		FAIL("no filesystem on the image");
}

/* The grubenv's pieces on the volume, as the loader's own driver maps them; 0: none. */
static unsigned grubenv_map(struct mounted *m, struct fs_extent *ext)
{
	uint64_t ino;
	unsigned count = 0;
	CHECK_EQ_INT(fs_resolve(m->fs, "/boot/grub/grubenv", &ino), 0);
	if (!m->fs->ops->map || m->fs->ops->map(m->fs, ino, 0, GRUBENV_SIZE, ext, &count))
		return 0;
	return count;
}

static void grubenv_value(struct mounted *m, const char *key, char *out, size_t cap)
{
	void *buf;
	size_t n;
	out[0] = 0;
	CHECK_EQ_INT(fs_read_file(m->fs, "/boot/grub/grubenv", GRUBENV_SIZE, &buf, &n), 0);
	CHECK(n == GRUBENV_SIZE);
	int rc = grubenv_get(buf, key, out, cap);
	free(buf);
	CHECK(rc == 0 || rc == -ENOENT);
}

/* fsck CMD on the bytes at @data: 0 when clean. */
static int fsck_clean(const char *cmd, const uint8_t *data, size_t size)
{
	char tmp[] = "/tmp/pvhboot-envfault.XXXXXX", line[600];
	int fd = mkstemp(tmp);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		return -1;
	close(fd);
	snprintf(line, sizeof(line), "PATH=$PATH:/sbin:/usr/sbin %s %s >/dev/null 2>&1", cmd, tmp);
	int st = system(line);
	unlink(tmp);
	return st;
}

/* Only the grubenv's pieces may differ (whole 512-byte sectors around them). */
static void only_grubenv_differs(const uint8_t *a, const uint8_t *b, size_t size,
				 const struct fs_extent *ext, unsigned count)
{
	for (size_t i = 0; i < size; i++) {
		if (a[i] == b[i])
			continue;
		bool inside = false;
		for (unsigned k = 0; k < count; k++)
			inside |= i >= ALIGN_DOWN(ext[k].vol_off, 512) &&
				  i < ALIGN_UP(ext[k].vol_off + ext[k].len, 512);
		if (!inside)
			FAIL("byte %zu changed outside the grubenv", i);
	}
}

/*
 * One case: mount @name in a child with @fault, rewrite next_entry=beta,
 * exit with the result; then the parent checks the medium. Returns the
 * child's rc (0, or the -E* negated into the exit status).
 */
static int run_case(const char *name, const char *fsck, enum fault fault, bool want_new)
{
	size_t size;
	uint8_t *data = load(name, &size);
	if (!data)
		FAIL("cannot read %s; run tests/images/grubenv.sh", image(name));
	uint8_t *orig = malloc(size);
	memcpy(orig, data, size);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct memdisk md;
		struct mounted m;
		mount_mem(&md, &m, data, size, fault);
		const char *keys[] = { "next_entry" }, *values[] = { "beta" };
		int rc = grubenv_rewrite(&m, "/boot/grub/grubenv", keys, values, 1);
		_exit(rc < 0 ? -rc : 0);
	}
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
	int rc = -WEXITSTATUS(st);
	/* A fresh mount of what is on the medium: a reboot. */
	struct memdisk md;
	struct mounted m;
	char v[32];
	if (fsck)
		CHECK_EQ_INT(fsck_clean(fsck, data, size), 0);
	mount_mem(&md, &m, data, size, F_NONE);
	grubenv_value(&m, "next_entry", v, sizeof(v));
	if (want_new ? strcmp(v, "beta") : v[0] != 0)
		FAIL("%s: next_entry='%s' after the run (rc %d)", name, v, rc);
	grubenv_value(&m, "saved_entry", v, sizeof(v));
	CHECK(!strcmp(v, "alpha"));
	struct fs_extent ext[FS_MAP_MAX];
	unsigned count = grubenv_map(&m, ext);
	bool same = !memcmp(orig, data, size);
	if (!same && count)
		only_grubenv_differs(orig, data, size, ext, count);
	free(orig);
	if (m.fs->ops->unmount)
		m.fs->ops->unmount(m.fs);
	free(md.dev.cache); /* the read-ahead cache blockdev.c gave the device */
	CHECK(same || (want_new && count));
	munmap(data, size);
	return rc;
}

TEST(ext4_rewritten) { CHECK_EQ_INT(run_case("ext4.img", "e2fsck -fn", F_NONE, true), 0); }
TEST(fat_rewritten) { CHECK_EQ_INT(run_case("fat.img", "fsck.vfat -n", F_NONE, true), 0); }

TEST(ext4_inline_refused)
{
	CHECK_EQ_INT(run_case("ext4-inline.img", "e2fsck -fn", F_NONE, false), -EOPNOTSUPP);
}

TEST(btrfs_refused)
{
	if (access(image("btrfs.img"), R_OK)) {
		printf("# btrfs.img missing (no mkfs.btrfs): skipped\n");
		return;
	}
	CHECK_EQ_INT(run_case("btrfs.img", "btrfs check --readonly", F_NONE, false), -EOPNOTSUPP);
}

/*
 * A cross-linked grubenv: another file's directory entry, or its chain,
 * leads into the grubenv's cluster. GRUB's save_env would write it (its
 * check_blocklists() only looks at the grubenv's own sectors), changing
 * the other file's bytes too; pvhboot refuses, since those bytes are not
 * the grubenv's alone (fs_ops.map: shared data). fsck.vfat -n reports
 * the input itself ("share clusters"; a repair would truncate the
 * grubenv to 0 bytes), so the check is that no byte changed.
 */
static void xlink_refused(const char *name)
{
	size_t size;
	uint8_t *data = load(name, &size);
	if (!data)
		FAIL("cannot read %s; run tests/images/grubenv.sh", image(name));
	CHECK(fsck_clean("fsck.vfat -n", data, size) != 0);
	munmap(data, size);
	CHECK_EQ_INT(run_case(name, NULL, F_NONE, false), -EOPNOTSUPP);
}

TEST(fat_crosslinked_dirent_refused) { xlink_refused("fat-xlink-dirent.img"); }
TEST(fat_crosslinked_chain_refused) { xlink_refused("fat-xlink-chain.img"); }

TEST(read_only_device_untouched)
{
	CHECK_EQ_INT(run_case("ext4.img", "e2fsck -fn", F_READ_ONLY, false), -EROFS);
	CHECK_EQ_INT(run_case("fat.img", "fsck.vfat -n", F_READ_ONLY, false), -EROFS);
}

TEST(write_error_stores_nothing)
{
	CHECK_EQ_INT(run_case("ext4.img", "e2fsck -fn", F_WRITE_ERROR, false), -EIO);
	CHECK_EQ_INT(run_case("fat.img", "fsck.vfat -n", F_WRITE_ERROR, false), -EIO);
}

/* The write lands, the read-back never comes: the next boot sees the new block. */
TEST(power_cut_after_write)
{
	CHECK_EQ_INT(run_case("ext4.img", "e2fsck -fn", F_POWER_CUT, true), -EIO);
	CHECK_EQ_INT(run_case("fat.img", "fsck.vfat -n", F_POWER_CUT, true), -EIO);
}

/* The names boot counting derives from an entry's file (boot/bootcount.h). */
TEST(counter_names)
{
	struct menu_entry e = { .tries_left = 2, .tries_done = 0 };
	char name[64], key[64];
	int left, done;
	e.bls_file = "/loader/entries/fedora-6.8+2-0.conf";
	CHECK_EQ_INT(bootcount_next_name(&e, name, sizeof(name)), 0);
	CHECK(!strcmp(name, "fedora-6.8+1-1.conf"));
	CHECK_EQ_INT(bootcount_key(&e, key, sizeof(key), &left, &done), 0);
	CHECK(!strcmp(key, "pvhboot_tries_fedora-6.8+2-0") && left == 2 && done == 0);
	/* After one try recorded in grubenv: the file keeps its name, the key too. */
	e.tries_left = 1;
	e.tries_done = 1;
	CHECK_EQ_INT(bootcount_next_name(&e, name, sizeof(name)), 0);
	CHECK(!strcmp(name, "fedora-6.8+0-2.conf"));
	CHECK_EQ_INT(bootcount_key(&e, key, sizeof(key), &left, &done), 0);
	CHECK(!strcmp(key, "pvhboot_tries_fedora-6.8+2-0"));
	e.tries_left = 0;
	CHECK_EQ_INT(bootcount_next_name(&e, name, sizeof(name)), -ENOENT);
	e.tries_left = 3;
	CHECK_EQ_INT(bootcount_next_name(&e, name, 8), -E2BIG);
	e.bls_file = "/loader/entries/plain.conf";
	CHECK_EQ_INT(bootcount_key(&e, key, sizeof(key), &left, &done), -ENOENT);
	e.tries_left = -1;
	e.bls_file = "/loader/entries/x+1.conf";
	CHECK_EQ_INT(bootcount_key(&e, key, sizeof(key), &left, &done), -ENOENT);
}

int main(void)
{
	RUN(counter_names);
	RUN(ext4_rewritten);
	RUN(fat_rewritten);
	RUN(ext4_inline_refused);
	RUN(btrfs_refused);
	RUN(fat_crosslinked_dirent_refused);
	RUN(fat_crosslinked_chain_refused);
	RUN(read_only_device_untouched);
	RUN(write_error_stores_nothing);
	RUN(power_cut_after_write);
	return test_summary();
}
