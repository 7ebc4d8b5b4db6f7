/* SPDX-License-Identifier: MIT */
/*
 * The XFS driver against images made by xfsprogs (tests/images/xfs.sh
 * OUTDIR; this reads OUTDIR/xfs, OUTDIR from $PVHBOOT_TEST_IMAGES or
 * build/testimages):
 *  - every variant in images.txt (v4, v5, 512 B..64 KiB blocks, 64 KiB
 *    directory blocks, nrext64, reflink, meta_uuid, a dirty log) is mounted
 *    through fs_mount() and compared with the tree it was built from: every
 *    directory listing, every file byte for byte, every symlink target
 *    (fs_tree.h), the UUID and label as blkid printed them;
 *  - symlink resolution, hard links, and calls on the wrong kind of inode;
 *  - forms.txt proves every directory form and fork format was exercised;
 *  - every damaged copy in corrupt.txt gives exactly its error, under
 *    ASan/UBSan, without hanging;
 *  - superblock fields changed one at a time in memory (CRC recomputed, so
 *    each check is reached), and CRC32C against its published check value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../core/crc32c.h"
#include "../../core/errno.h"
#include "../../fs/hostfile.h"
#include "../../fs/xfs_priv.h"
#include "fs_tree.h"
#include "test.h"

static char dir[512];

struct mnt {
	struct blockdev *dev;
	struct volume vol;
	struct fs *fs;
};

static int mount_image(const char *file, struct mnt **out)
{
	char path[1024];
	struct mnt *m = calloc(1, sizeof(*m));
	CHECK(m);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	int rc = hostfile_open(path, 512, &m->dev);
	if (rc)
		FAIL("cannot open %.300s (%d); run tests/images/xfs.sh", path, rc);
	volume_of_disk(m->dev, &m->vol);
	*out = m;
	return fs_mount(&m->vol, &m->fs);
}

static void umount_image(struct mnt *m)
{
	if (m->fs)
		m->fs->ops->unmount(m->fs);
	hostfile_close(m->dev);
	free(m);
}

static uint64_t resolve_ok(struct fs *fs, const char *path)
{
	uint64_t ino;
	int rc = fs_resolve(fs, path, &ino);
	if (rc)
		FAIL("resolve %.200s: %d", path, rc);
	return ino;
}

static int ignore(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type type)
{
	return 0;
}

/* Path resolution and calls on the wrong kind of inode (the full tree). */
static void check_links(struct fs *fs, bool hard_links)
{
	static const char deep[] = "/deep/level-01/level-02/level-03/level-04/level-05/level-06/"
				   "level-07/level-08/level-09/level-10/level-11/level-12/leaf.txt";
	uint64_t hello = resolve_ok(fs, "/hello.txt"), leaf = resolve_ok(fs, deep), ino, root;
	CHECK_EQ_INT(fs->ops->root(fs, &root), 0);
	CHECK_EQ_U64(resolve_ok(fs, "/links/rel"), hello);
	CHECK_EQ_U64(resolve_ok(fs, "/links/abs"), hello);
	CHECK_EQ_U64(resolve_ok(fs, "/links/remote"), hello);
	CHECK_EQ_U64(resolve_ok(fs, "/links/remote-1000"), hello);
	CHECK_EQ_U64(resolve_ok(fs, "/links/slow-rel"), leaf);
	CHECK_EQ_U64(resolve_ok(fs, "/links/slow-abs"), leaf);
	CHECK_EQ_U64(resolve_ok(fs, "/links/dir/level-02/.."), resolve_ok(fs, "/deep/level-01"));
	CHECK_EQ_U64(resolve_ok(fs, "/deep/level-01/../.."), root);
	CHECK_EQ_U64(resolve_ok(fs, "/many/a-rather-long-file-name-to-fill-directory-blocks-2999"),
		     resolve_ok(fs, "/many/../many/a-rather-long-file-name-to-fill-directory-blocks-2999"));
	if (hard_links) {
		CHECK_EQ_U64(resolve_ok(fs, "/hard/a"), resolve_ok(fs, "/hard/b"));
		CHECK_EQ_U64(resolve_ok(fs, "/hard/a"), resolve_ok(fs, "/links/hard-c"));
	}
	CHECK_EQ_INT(fs_resolve(fs, "/links/loop-a", &ino), -ELOOP);
	CHECK_EQ_INT(fs_resolve(fs, "/links/self", &ino), -ELOOP);
	CHECK_EQ_INT(fs_resolve(fs, "/links/dangling", &ino), -ENOENT);
	CHECK_EQ_INT(fs_resolve(fs, "/hello.txt/x", &ino), -ENOTDIR);
	CHECK_EQ_INT(fs_resolve(fs, "/many/no-such-file", &ino), -ENOENT);
	CHECK_EQ_INT(fs_resolve(fs, "/names/mixedcase.txt", &ino), -ENOENT);
	char buf[64];
	CHECK_EQ_INT(fs->ops->read(fs, root, 0, buf, sizeof(buf)), -EISDIR);
	CHECK_EQ_INT(fs->ops->readlink(fs, hello, buf, sizeof(buf)), -EINVAL);
	CHECK_EQ_INT(fs->ops->lookup(fs, hello, "x", 1, &ino), -ENOTDIR);
	CHECK_EQ_INT(fs->ops->readdir(fs, hello, ignore, NULL), -ENOTDIR);
	CHECK_EQ_INT(fs->ops->stat(fs, 0, &(struct fs_stat){ 0 }), -EUCLEAN);
	CHECK_EQ_INT(fs->ops->stat(fs, 1ull << 60, &(struct fs_stat){ 0 }), -EUCLEAN);
	CHECK_EQ_INT(fs->ops->readlink(fs, resolve_ok(fs, "/links"), buf, sizeof(buf)), -EINVAL);
	/* A target longer than the buffer is refused, not cut. */
	uint64_t slow;
	CHECK_EQ_INT(fs->ops->lookup(fs, resolve_ok(fs, "/links"), "remote", 6, &slow), 0);
	CHECK_EQ_INT(fs->ops->readlink(fs, slow, buf, sizeof(buf)), -ENAMETOOLONG);
}

/* ---- the images ------------------------------------------------------------ */

struct image {
	char file[64], tree[32], uuid[48], label[64];
};

static struct image images[32];
static unsigned nr_images;
static const struct image *cur;

static void load_list(void)
{
	char path[640], line[512];
	snprintf(path, sizeof(path), "%s/images.txt", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (nr_images < ARRAY_SIZE(images) && fgets(line, sizeof(line), f)) {
		struct image *im = &images[nr_images];
		if (sscanf(line, "%63s %31s %47s %63s", im->file, im->tree, im->uuid, im->label) == 4)
			nr_images++;
	}
	fclose(f);
}

static void test_image(void)
{
	struct mnt *m;
	int rc = mount_image(cur->file, &m);
	if (rc)
		FAIL("mount %s: %d", cur->file, rc);
	struct fs *fs = m->fs;
	CHECK(fs->ops == &xfs_ops);
	check_ids(fs, "xfs", cur->file); /* against blkid's */
	/* Only xfs-dirty.img was shut down with changes in its log. */
	CHECK_EQ_INT(XFS(fs)->log_dirty, strcmp(cur->file, "xfs-dirty.img") == 0);
	uint64_t root;
	CHECK_EQ_INT(fs->ops->root(fs, &root), 0);
	char host[640];
	snprintf(host, sizeof(host), "%s/%s", dir, cur->tree);
	static const struct tree_opts opts = { false, NULL };
	unsigned files = compare_tree(fs, root, host, &opts, NULL);
	if (!strcmp(cur->tree, "tree") || !strcmp(cur->tree, "tree-v4"))
		/* mkfs.xfs -p (the v4 images) makes every name its own inode. */
		check_links(fs, XFS(fs)->v5);
	printf("# %s: v%d, %u-byte blocks, %u-byte directory blocks, %u files and links "
	       "compared, %llu volume reads\n",
	       cur->file, XFS(fs)->v5 ? 5 : 4, XFS(fs)->block_size, XFS(fs)->dir_size, files,
	       (unsigned long long)XFS(fs)->nr_reads);
	umount_image(m);
}

/* Every directory form and fork format showed up in some image. */
TEST(all_forms_present)
{
	static const char *const want[] = { "local", "block-extents", "leaf-extents",
					    "node-btree", "btree" };
	char path[640], line[512];
	snprintf(path, sizeof(path), "%s/forms.txt", dir);
	for (unsigned i = 0; i < ARRAY_SIZE(want); i++) {
		FILE *f = fopen(path, "r");
		CHECK(f);
		bool found = false;
		while (!found && fgets(line, sizeof(line), f)) {
			char img[64], form[32], p[256];
			if (sscanf(line, "%63s %31s %255s", img, form, p) == 3 && !strcmp(form, want[i]))
				found = true;
		}
		fclose(f);
		if (!found)
			FAIL("no image has form %s (forms.txt)", want[i]);
	}
}

/* ---- damaged images ---------------------------------------------------------- */

static int errno_by_name(const char *s)
{
	static const struct {
		const char *name;
		int value;
	} names[] = { { "EUCLEAN", EUCLEAN }, { "ENOENT", ENOENT }, { "EOPNOTSUPP", EOPNOTSUPP },
		      { "ELOOP", ELOOP },     { "EIO", EIO },       { "ENOTDIR", ENOTDIR },
		      { "ENODEV", ENODEV } };
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i].name))
			return names[i].value;
	FAIL("unknown errno name %s", s);
}

struct damaged {
	char file[64], op[16], path[256], err[16];
};

static const struct damaged *bad;

static void test_damaged(void)
{
	struct mnt *m;
	int want = -errno_by_name(bad->err);
	int rc = mount_image(bad->file, &m);
	if (!strcmp(bad->op, "mount")) {
		CHECK_EQ_INT(rc, want);
		umount_image(m);
		return;
	}
	if (rc)
		FAIL("mount %s: %d", bad->file, rc);
	uint64_t ino;
	if (!strcmp(bad->op, "lookup")) {
		rc = fs_resolve(m->fs, bad->path, &ino);
	} else if (!strcmp(bad->op, "read")) {
		void *data = NULL;
		size_t len;
		rc = fs_read_file(m->fs, bad->path, 1u << 30, &data, &len);
		free(data);
	} else {
		rc = fs_resolve(m->fs, bad->path, &ino);
		if (!rc)
			rc = m->fs->ops->readdir(m->fs, ino, ignore, NULL);
	}
	CHECK_EQ_INT(rc, want);
	umount_image(m);
}

/* ---- volumes patched in memory ------------------------------------------------- */

struct memdev {
	struct blockdev dev;
	uint8_t *data;
};

static int mem_read(struct blockdev *d, uint64_t lba, uint64_t count, void *buf)
{
	struct memdev *m = d->priv;
	if (lba > d->nr_sectors || count > d->nr_sectors - lba)
		return -EINVAL;
	memcpy(buf, m->data + lba * 512, count * 512);
	return 0;
}

static int mount_mem(struct memdev *m, uint64_t size)
{
	struct volume v;
	struct fs *fs;
	volume_of_disk(&m->dev, &v);
	v.size = size;
	blockdev_cache_forget(&m->dev, 0, ~0ull); /* the block layer must see the bytes just patched */
	int rc = xfs_ops.mount(&v, &fs);
	if (!rc)
		xfs_ops.unmount(fs);
	return rc;
}

static void put_be(uint8_t *p, unsigned len, uint64_t v)
{
	for (unsigned i = 0; i < len; i++)
		p[i] = (uint8_t)(v >> (8 * (len - 1 - i)));
}

/* The superblock CRC over its 512-byte sector (small.img has 512-byte sectors). */
static void fix_sb_crc(uint8_t *sb)
{
	memset(sb + XFS_SB_CRC_OFF, 0, 4);
	uint32_t crc = crc32c(0, sb, 512);
	for (unsigned i = 0; i < 4; i++)
		sb[XFS_SB_CRC_OFF + i] = (uint8_t)(crc >> (8 * i));
}

TEST(superblock_fields_one_at_a_time)
{
	static const struct {
		unsigned off, len;
		uint64_t value;
		int want;
	} cases[] = {
		{ 0x04, 4, 0, -EUCLEAN },              /* block size 0 */
		{ 0x04, 4, 3000, -EUCLEAN },           /* not a power of two */
		{ 0x78, 1, 17, -EUCLEAN },             /* 128 KiB blocks */
		{ 0x78, 1, 255, -EUCLEAN },            /* shift overflow */
		{ 0x79, 1, 13, -EUCLEAN },             /* sector log disagrees */
		{ 0x66, 2, 8192, -EUCLEAN },           /* sector size */
		{ 0x68, 2, 100, -EUCLEAN },            /* inode size */
		{ 0x68, 2, 256, -EUCLEAN },            /* v5 inodes are >= 512 */
		{ 0x7b, 1, 9, -EUCLEAN },              /* inodes per block log */
		{ 0x54, 4, 0, -EUCLEAN },              /* AG blocks */
		{ 0x7c, 1, 40, -EUCLEAN },             /* AG block log */
		{ 0x7c, 1, 30, -EUCLEAN },             /* log far above agblocks */
		{ 0x58, 4, 0, -EUCLEAN },              /* AG count */
		{ 0x58, 4, 0xffffffff, -EUCLEAN },     /* AG count */
		{ 0x08, 8, 0, -EUCLEAN },              /* dblocks */
		{ 0x08, 8, 1ull << 40, -EUCLEAN },     /* past the volume */
		{ 0xc0, 1, 5, -EUCLEAN },              /* 128 KiB directory blocks */
		{ 0x38, 8, 0, -EUCLEAN },              /* root inode */
		{ 0x38, 8, 1ull << 62, -EUCLEAN },
		{ 0x64, 2, 0xb4a3, -EOPNOTSUPP },      /* version 3 */
		{ 0xd8, 4, 0x80000000u, -EOPNOTSUPP }, /* unknown incompat bit */
		{ 0xd8, 4, 0x200, -EOPNOTSUPP },       /* zoned */
		{ 0xd8, 4, 0x1 | 0x2 | 0x8 | 0x20 | 0x40 | 0x80 | 0x100, 0 }, /* allow-list */
		{ 0xd4, 4, 0xffffffff, 0 },            /* ro_compat: ignored */
		{ 0xdc, 4, 1, 0 },                     /* log_incompat: a warning */
		{ 0x7e, 1, 1, -EUCLEAN },              /* mkfs did not finish */
	};
	char path[640];
	snprintf(path, sizeof(path), "%s/small.img", dir);
	struct memdev *m = calloc(1, sizeof(*m));
	CHECK(m);
	size_t size = 64u << 20;
	m->data = calloc(1, size);
	CHECK(m->data);
	FILE *f = fopen(path, "rb");
	CHECK(f);
	CHECK(fread(m->data, 1, 1 << 20, f) == 1 << 20); /* the superblock and AG 0 headers */
	fclose(f);
	m->dev.sector_size = 512;
	m->dev.nr_sectors = size / 512;
	m->dev.read = mem_read;
	m->dev.priv = m;
	snprintf(m->dev.name, sizeof(m->dev.name), "mem");
	uint8_t *sb = m->data, saved[512];
	memcpy(saved, sb, sizeof(saved));
	CHECK_EQ_INT(get_be16(sb + 0x66), 512);
	CHECK_EQ_INT(mount_mem(m, size), 0);
	CHECK_EQ_INT(mount_mem(m, 1 << 20), -EUCLEAN); /* truncated volume */
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		memcpy(sb, saved, sizeof(saved));
		put_be(sb + cases[i].off, cases[i].len, cases[i].value);
		fix_sb_crc(sb);
		int rc = mount_mem(m, size);
		if (rc != cases[i].want)
			FAIL("case %u (offset 0x%x = 0x%llx): %d, want %d", i, cases[i].off,
			     (unsigned long long)cases[i].value, rc, cases[i].want);
	}
	memcpy(sb, saved, sizeof(saved));
	sb[0x6c] ^= 1; /* the label, without fixing the CRC */
	CHECK_EQ_INT(mount_mem(m, size), -EUCLEAN);
	memset(sb, 0, 512);
	CHECK_EQ_INT(mount_mem(m, size), -ENODEV);
	free(m->dev.cache);
	free(m->data);
	free(m);
}

/* The 40 MiB file through fs_read_file(): each 8 MiB step is one device
 * read per extent it touches, with nothing read per block. */
TEST(big_file_reads_whole_extents)
{
	struct mnt *m;
	CHECK_EQ_INT(mount_image("xfs-default.img", &m), 0);
	struct xfs_fs *x = XFS(m->fs);
	uint64_t ino = resolve_ok(m->fs, "/big-40m.bin");
	struct xfs_node n;
	CHECK_EQ_INT(xfs_inode_load(x, ino, &n), 0);
	CHECK_EQ_INT(n.format, XFS_DINODE_FMT_EXTENTS);
	x->nr_reads = x->nr_data_reads = 0;
	void *data;
	size_t len;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ_INT(fs_read_file(m->fs, "/big-40m.bin", 64u << 20, &data, &len), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free(data);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("# /big-40m.bin: %zu bytes, %llu extents, %llu volume reads (%llu of data) "
	       "in %.1f ms\n",
	       len, (unsigned long long)n.nextents, (unsigned long long)x->nr_reads,
	       (unsigned long long)x->nr_data_reads, s * 1e3);
	if (x->nr_data_reads > (len >> 23) + 1 + n.nextents)
		FAIL("%llu data reads", (unsigned long long)x->nr_data_reads);
	umount_image(m);
}

TEST(crc32c_check_value)
{
	CHECK_EQ_U64(crc32c(0, "123456789", 9), 0xe3069283u);
	CHECK_EQ_U64(crc32c(crc32c(0, "1234", 4), "56789", 5), 0xe3069283u);
}

int main(void)
{
	char path[640], line[512];
	const char *base = getenv("PVHBOOT_TEST_IMAGES");
	snprintf(dir, sizeof(dir), "%s/xfs", base ? base : "build/testimages");
	load_list();
	if (!nr_images) {
		printf("not ok xfs_images: no %s/images.txt; run tests/images/xfs.sh %s/..\n", dir,
		       dir);
		return 1;
	}
	for (unsigned i = 0; i < nr_images; i++) {
		char name[96];
		cur = &images[i];
		snprintf(name, sizeof(name), "xfs_tree_%s", images[i].file);
		test_run(name, test_image);
	}
	RUN(all_forms_present);

	snprintf(path, sizeof(path), "%s/corrupt.txt", dir);
	FILE *f = fopen(path, "r");
	unsigned nbad = 0;
	while (f && fgets(line, sizeof(line), f)) {
		struct damaged d;
		if (sscanf(line, "%63s %15s %255s %15s", d.file, d.op, d.path, d.err) != 4)
			continue;
		char name[96];
		bad = &d;
		snprintf(name, sizeof(name), "xfs_damaged_%s", d.file);
		test_run(name, test_damaged);
		nbad++;
	}
	if (f)
		fclose(f);
	if (!nbad) {
		printf("not ok xfs_damaged: no %s\n", path);
		test_failures++;
	}
	RUN(superblock_fields_one_at_a_time);
	RUN(big_file_reads_whole_extents);
	RUN(crc32c_check_value);
	return test_summary();
}
