/* SPDX-License-Identifier: MIT */
/*
 * The ext2/3/4 driver against images made by e2fsprogs
 * (tests/images/ext4.sh OUTDIR; this reads OUTDIR/ext4, OUTDIR from
 * $PVHBOOT_TEST_IMAGES or build/testimages):
 *  - every variant in images.txt is mounted and compared with the tree it
 *    was built from: every directory listing, every file's bytes and size,
 *    every symlink target, the UUID and label;
 *  - symlink resolution (relative, absolute, slow, loops -> -ELOOP);
 *  - every damaged copy in corrupt.txt gives exactly its error, under
 *    ASan/UBSan, without hanging;
 *  - a few volumes built here in memory: not ext, too small, truncated;
 *  - with bench.img (ext4.sh OUTDIR --bench): a 128 MiB file's read speed
 *    and how many volume_read() calls it took.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../core/errno.h"
#include "../../fs/ext4_priv.h"
#include "../../fs/fs.h"
#include "../../fs/hostfile.h"
#include "../../fs/partition.h"
#include "test.h"

static char dir[512];

static void set_dir(void)
{
	const char *base = getenv("PVHBOOT_TEST_IMAGES");
	snprintf(dir, sizeof(dir), "%s/ext4", base ? base : "build/testimages");
}

/* ---- mounting ---------------------------------------------------------- */

struct mnt {
	struct blockdev *dev;
	struct volume disk;
	struct volume parts[PART_MAX];
	struct volume *vol;
	struct fs *fs;
};

/* Mount the filesystem at byte @offset of image @file; returns fs_mount's rc. */
static int mount_image(const char *file, uint64_t offset, struct mnt **out)
{
	char path[1024];
	struct mnt *m = calloc(1, sizeof(*m));
	CHECK(m);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	int rc = hostfile_open(path, 512, &m->dev);
	if (rc)
		FAIL("cannot open %.300s (%d); run tests/images/ext4.sh", path, rc);
	volume_of_disk(m->dev, &m->disk);
	m->vol = &m->disk;
	if (offset) {
		/* Through the partition table, as the loader finds it. */
		unsigned n = 0;
		CHECK_EQ_INT(partitions_scan(&m->disk, m->parts, PART_MAX, &n), 0);
		m->vol = NULL;
		for (unsigned i = 0; i < n; i++)
			if (m->parts[i].offset == offset)
				m->vol = &m->parts[i];
		CHECK(m->vol);
	}
	*out = m;
	return fs_mount(m->vol, &m->fs);
}

static void umount_image(struct mnt *m)
{
	if (m->fs)
		m->fs->ops->unmount(m->fs);
	hostfile_close(m->dev);
	free(m);
}

static struct mnt *mount_ok(const char *file)
{
	struct mnt *m;
	int rc = mount_image(file, 0, &m);
	if (rc)
		FAIL("mount %s: %d", file, rc);
	CHECK(m->fs->ops == &ext4_ops);
	return m;
}

/* ---- comparing with the host tree ----------------------------------------- */

struct names {
	char **name;
	uint64_t *ino;
	enum fs_type *type;
	size_t count, cap;
};

static void names_add(struct names *n, const char *name, size_t len, uint64_t ino,
		      enum fs_type type)
{
	if (n->count == n->cap) {
		n->cap = n->cap ? 2 * n->cap : 64;
		n->name = realloc(n->name, n->cap * sizeof(*n->name));
		n->ino = realloc(n->ino, n->cap * sizeof(*n->ino));
		n->type = realloc(n->type, n->cap * sizeof(*n->type));
		if (!n->name || !n->ino || !n->type)
			abort();
	}
	n->name[n->count] = strndup(name, len);
	n->ino[n->count] = ino;
	n->type[n->count] = type;
	n->count++;
}

static void names_free(struct names *n)
{
	for (size_t i = 0; i < n->count; i++)
		free(n->name[i]);
	free(n->name);
	free(n->ino);
	free(n->type);
}

static int collect(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type type)
{
	names_add(ctx, name, len, ino, type);
	return 0;
}

/* Sort by name, keeping ino/type alongside. */
static void names_sort(struct names *n)
{
	for (size_t i = 1; i < n->count; i++)
		for (size_t j = i; j > 0 && strcmp(n->name[j - 1], n->name[j]) > 0; j--) {
			char *s = n->name[j];
			n->name[j] = n->name[j - 1];
			n->name[j - 1] = s;
			uint64_t x = n->ino[j];
			n->ino[j] = n->ino[j - 1];
			n->ino[j - 1] = x;
			enum fs_type t = n->type[j];
			n->type[j] = n->type[j - 1];
			n->type[j - 1] = t;
		}
}

static uint8_t *host_read(const char *path, uint64_t off, size_t len)
{
	uint8_t *b = malloc(len ? len : 1);
	int fd = open(path, O_RDONLY);
	if (!b || fd < 0)
		abort();
	size_t got = 0;
	while (got < len) {
		ssize_t r = pread(fd, b + got, len - got, (off_t)(off + got));
		if (r <= 0)
			abort();
		got += (size_t)r;
	}
	close(fd);
	return b;
}

struct totals {
	uint64_t files, dirs, links, bytes;
};

/* Compare bytes [off, off + len) through ops->read. */
static void compare_range(struct fs *fs, uint64_t ino, const char *host, uint64_t off, size_t len)
{
	uint8_t *want = host_read(host, off, len);
	uint8_t *got = malloc(len ? len : 1);
	CHECK(got);
	memset(got, 0xa5, len);
	long n = fs->ops->read(fs, ino, off, got, len);
	if (n != (long)len)
		FAIL("%.200s: read %zu at %llu gave %ld", host, len, (unsigned long long)off, n);
	if (memcmp(want, got, len))
		FAIL("%.200s: bytes differ in [%llu, +%zu)", host, (unsigned long long)off, len);
	free(want);
	free(got);
}

/* @by_path: read through fs_read_file() (path resolution included) rather
 * than by inode number. */
static void compare_file(struct fs *fs, const char *host, const char *path, uint64_t ino,
			 uint64_t size, bool by_path, struct totals *t)
{
	struct fs_stat st;
	CHECK_EQ_INT(fs->ops->stat(fs, ino, &st), 0);
	CHECK_EQ_INT(st.type, FS_REG);
	if (st.size != size)
		FAIL("%.200s: size %llu, want %llu", path, (unsigned long long)st.size,
		     (unsigned long long)size);
	t->files++;
	if (size <= (16u << 20) && by_path) {
		/* The loader's path: resolve and read the whole file. */
		void *data;
		size_t len;
		int rc = fs_read_file(fs, path, size, &data, &len);
		if (rc)
			FAIL("%.200s: fs_read_file %d", path, rc);
		CHECK_EQ_U64(len, size);
		uint8_t *want = host_read(host, 0, len);
		if (memcmp(want, data, len))
			FAIL("%.200s: contents differ", path);
		free(want);
		free(data);
		t->bytes += size;
	} else if (size <= (16u << 20)) {
		compare_range(fs, ino, host, 0, (size_t)size);
		t->bytes += size;
	} else {
		/* Big sparse files: the start, the end, and every data region the
		 * host reports, with a margin of hole on both sides. Chunks of
		 * odd sizes, so reads start and end inside blocks. */
		compare_range(fs, ino, host, 0, 1 << 20);
		compare_range(fs, ino, host, size - (1 << 20) - 3, (1 << 20) + 3);
		int fd = open(host, O_RDONLY);
		CHECK(fd >= 0);
		off_t pos = 0;
		for (unsigned i = 0; i < 64; i++) {
			off_t data = lseek(fd, pos, SEEK_DATA);
			if (data < 0)
				break;
			off_t hole = lseek(fd, data, SEEK_HOLE);
			CHECK(hole > data);
			uint64_t from = (uint64_t)data > 65537 ? (uint64_t)data - 65537 : 0;
			uint64_t to = MIN((uint64_t)hole + 65539, size);
			for (uint64_t off = from; off < to; off += 7340033)
				compare_range(fs, ino, host, off, (size_t)MIN(7340033, to - off));
			t->bytes += to - from;
			pos = hole;
		}
		close(fd);
		t->bytes += 2 << 20;
	}
	/* Reads starting and ending inside blocks, in the middle of runs. */
	static const uint64_t starts[] = { 1025, 5121, 70657 };
	for (unsigned i = 0; i < ARRAY_SIZE(starts); i++)
		if (size > starts[i])
			compare_range(fs, ino, host, starts[i],
				      (size_t)MIN(size - starts[i], 300001));
	if (size >= 3)
		compare_range(fs, ino, host, size / 3 + 1, (size_t)MIN(size / 3, 300001));
	/* At and past the end: nothing. */
	uint8_t b;
	CHECK_EQ_INT(fs->ops->read(fs, ino, size, &b, 1), 0);
	CHECK_EQ_INT(fs->ops->read(fs, ino, size + 12345, &b, 1), 0);
}

static void compare_dir(struct fs *fs, const char *host_dir, const char *path, uint64_t ino,
			struct totals *t)
{
	struct names want = { 0 }, got = { 0 };
	DIR *d = opendir(host_dir);
	CHECK(d);
	for (struct dirent *de; (de = readdir(d));)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			names_add(&want, de->d_name, strlen(de->d_name), 0, 0);
	closedir(d);
	int rc = fs->ops->readdir(fs, ino, collect, &got);
	if (rc)
		FAIL("%.200s: readdir %d", path, rc);
	/* mke2fs adds lost+found to the root; the host tree has none. */
	for (size_t i = 0; !strcmp(path, "/") && i < got.count; i++)
		if (!strcmp(got.name[i], "lost+found")) {
			free(got.name[i]);
			got.name[i] = got.name[got.count - 1];
			got.ino[i] = got.ino[got.count - 1];
			got.type[i] = got.type[got.count - 1];
			got.count--;
			break;
		}
	names_sort(&want);
	names_sort(&got);
	if (want.count != got.count)
		FAIL("%.200s: %zu entries, want %zu", path, got.count, want.count);
	t->dirs++;
	for (size_t i = 0; i < want.count; i++) {
		if (strcmp(want.name[i], got.name[i]))
			FAIL("%.120s: entry '%.120s', want '%.120s'", path, got.name[i], want.name[i]);
		char h[2048], p[2048];
		snprintf(h, sizeof(h), "%s/%s", host_dir, want.name[i]);
		snprintf(p, sizeof(p), "%s/%s", strcmp(path, "/") ? path : "", want.name[i]);
		/* lookup() finds what readdir() listed; in big directories (3000
		 * names, hashed) a linear lookup costs a full scan, so every
		 * 25th name there. */
		bool sample = want.count < 100 || i % 25 == 0 || i == want.count - 1;
		if (sample) {
			uint64_t found;
			CHECK_EQ_INT(fs->ops->lookup(fs, ino, got.name[i], strlen(got.name[i]),
						     &found),
				     0);
			CHECK_EQ_U64(found, got.ino[i]);
		}
		struct stat hs;
		CHECK(lstat(h, &hs) == 0);
		if (S_ISDIR(hs.st_mode)) {
			CHECK_EQ_INT(got.type[i], FS_DIR);
			compare_dir(fs, h, p, got.ino[i], t);
		} else if (S_ISREG(hs.st_mode)) {
			CHECK_EQ_INT(got.type[i], FS_REG);
			compare_file(fs, h, p, got.ino[i], (uint64_t)hs.st_size, sample, t);
		} else if (S_ISLNK(hs.st_mode)) {
			CHECK_EQ_INT(got.type[i], FS_SYMLINK);
			char target[1024], mine[FS_PATH_MAX];
			ssize_t n = readlink(h, target, sizeof(target) - 1);
			CHECK(n > 0);
			target[n] = 0;
			CHECK_EQ_INT(fs->ops->readlink(fs, got.ino[i], mine, sizeof(mine)), 0);
			if (strcmp(mine, target))
				FAIL("%.120s: link to '%.120s', want '%.120s'", p, mine, target);
			struct fs_stat st;
			CHECK_EQ_INT(fs->ops->stat(fs, got.ino[i], &st), 0);
			CHECK_EQ_U64(st.size, (uint64_t)n);
			t->links++;
		} else {
			FAIL("%.200s: unexpected host file type", h);
		}
	}
	names_free(&want);
	names_free(&got);
}

/* ---- the images ------------------------------------------------------------ */

struct image {
	char file[64], tree[32], uuid[48], label[64];
	unsigned long long offset;
};

static struct image images[64];
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
		if (sscanf(line, "%63s %31s %llu %47s %63s", im->file, im->tree, &im->offset, im->uuid,
			   im->label) == 5)
			nr_images++;
	}
	fclose(f);
}

static uint64_t resolve_ok(struct fs *fs, const char *path)
{
	uint64_t ino;
	int rc = fs_resolve(fs, path, &ino);
	if (rc)
		FAIL("resolve %.200s: %d", path, rc);
	return ino;
}

static void check_links(struct fs *fs)
{
	static const char deep[] = "/deep/level-01/level-02/level-03/level-04/level-05/level-06/"
				   "level-07/level-08/level-09/level-10/level-11/level-12/leaf.txt";
	uint64_t hello = resolve_ok(fs, "/hello.txt"), leaf = resolve_ok(fs, deep), ino;
	CHECK_EQ_U64(resolve_ok(fs, "/links/rel"), hello);
	CHECK_EQ_U64(resolve_ok(fs, "/links/abs"), hello);
	CHECK_EQ_U64(resolve_ok(fs, "/links/slow-rel"), leaf);
	CHECK_EQ_U64(resolve_ok(fs, "/links/slow-abs"), leaf);
	CHECK_EQ_U64(resolve_ok(fs, "/links/dir/level-02/.."), resolve_ok(fs, "/deep/level-01"));
	CHECK_EQ_U64(resolve_ok(fs, "/deep/level-01/../.."), 2);
	CHECK_EQ_INT(fs_resolve(fs, "/links/loop-a", &ino), -ELOOP);
	CHECK_EQ_INT(fs_resolve(fs, "/links/self", &ino), -ELOOP);
	CHECK_EQ_INT(fs_resolve(fs, "/links/dangling", &ino), -ENOENT);
	CHECK_EQ_INT(fs_resolve(fs, "/hello.txt/x", &ino), -ENOTDIR);
	CHECK_EQ_INT(fs_resolve(fs, "/no-such-file", &ino), -ENOENT);
	/* Byte-exact names, casefold or not. */
	CHECK_EQ_INT(fs_resolve(fs, "/names/mixedcase.txt", &ino), -ENOENT);
	resolve_ok(fs, "/names/MixedCase.TXT");
	/* Wrong kinds of inode for each call. */
	char buf[64];
	CHECK_EQ_INT(fs->ops->read(fs, 2, 0, buf, sizeof(buf)), -EISDIR);
	CHECK_EQ_INT(fs->ops->readlink(fs, hello, buf, sizeof(buf)), -EINVAL);
	CHECK_EQ_INT(fs->ops->lookup(fs, hello, "x", 1, &ino), -ENOTDIR);
	CHECK_EQ_INT(fs->ops->readdir(fs, hello, collect, NULL), -ENOTDIR);
	CHECK_EQ_INT(fs->ops->stat(fs, 0, &(struct fs_stat){ 0 }), -EUCLEAN);
	CHECK_EQ_INT(fs->ops->stat(fs, 1ull << 40, &(struct fs_stat){ 0 }), -EUCLEAN);
	/* A target longer than the buffer is refused, not cut. */
	uint64_t slow = 0;
	CHECK_EQ_INT(fs->ops->lookup(fs, resolve_ok(fs, "/links"), "slow-abs", 8, &slow), 0);
	CHECK_EQ_INT(fs->ops->readlink(fs, slow, buf, sizeof(buf)), -ENAMETOOLONG);
}

static void test_image(void)
{
	struct mnt *m;
	int rc = mount_image(cur->file, cur->offset, &m);
	if (rc)
		FAIL("mount %s: %d", cur->file, rc);
	struct fs *fs = m->fs;
	CHECK(fs->ops == &ext4_ops);
	char uuid[48], label[64];
	fs->ops->ids(fs, uuid, sizeof(uuid), label, sizeof(label));
	if (strcmp(uuid, cur->uuid) || strcmp(label, cur->label))
		FAIL("ids '%s' '%s', want '%s' '%s'", uuid, label, cur->uuid, cur->label);
	uint64_t root;
	CHECK_EQ_INT(fs->ops->root(fs, &root), 0);
	struct fs_stat st;
	CHECK_EQ_INT(fs->ops->stat(fs, root, &st), 0);
	CHECK_EQ_INT(st.type, FS_DIR);

	char host[640];
	struct totals t = { 0 };
	snprintf(host, sizeof(host), "%s/%s", dir, cur->tree);
	compare_dir(fs, host, "/", root, &t);
	if (!strncmp(cur->tree, "tree", 4) && strcmp(cur->tree, "tree-big"))
		check_links(fs);
	printf("# %s: %llu dirs, %llu files, %llu symlinks, %llu MiB compared\n", cur->file,
	       (unsigned long long)t.dirs, (unsigned long long)t.files,
	       (unsigned long long)t.links, (unsigned long long)(t.bytes >> 20));
	umount_image(m);
}

/* ---- damaged images ---------------------------------------------------------- */

static int errno_by_name(const char *s)
{
	static const struct {
		const char *name;
		int value;
	} names[] = { { "EUCLEAN", EUCLEAN }, { "ENOENT", ENOENT }, { "EOPNOTSUPP", EOPNOTSUPP },
		      { "ELOOP", ELOOP },     { "EIO", EIO },       { "ENOTDIR", ENOTDIR } };
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
	int rc = mount_image(bad->file, 0, &m);
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
			rc = m->fs->ops->readdir(m->fs, ino, collect, NULL);
	}
	CHECK_EQ_INT(rc, want);
	umount_image(m);
}

/* ---- volumes made here ----------------------------------------------------------- */

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

/* The first @size bytes of image @file in memory. */
static struct memdev *memdev_of(const char *file, size_t size)
{
	char path[640];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	struct memdev *m = calloc(1, sizeof(*m));
	CHECK(m);
	m->data = host_read(path, 0, size);
	m->dev.sector_size = 512;
	m->dev.nr_sectors = size / 512;
	m->dev.read = mem_read;
	m->dev.priv = m;
	snprintf(m->dev.name, sizeof(m->dev.name), "mem");
	return m;
}

static void memdev_free(struct memdev *m)
{
	free(m->dev.cache);
	free(m->data);
	free(m);
}

static int mount_mem(struct memdev *m, uint64_t size)
{
	struct volume v;
	struct fs *fs;
	volume_of_disk(&m->dev, &v);
	v.size = size;
	blockdev_cache_forget(&m->dev, 0, ~0ull); /* the block layer must see the bytes just patched */
	int rc = ext4_ops.mount(&v, &fs);
	if (!rc)
		ext4_ops.unmount(fs);
	return rc;
}

TEST(not_ext4_is_enodev)
{
	struct memdev *m = memdev_of("small.img", 1 << 20);
	CHECK_EQ_INT(mount_mem(m, 2047), -ENODEV); /* no room for a superblock */
	m->data[1024 + 56] ^= 1;                   /* the magic */
	CHECK_EQ_INT(mount_mem(m, 1 << 20), -ENODEV);
	memset(m->data, 0, 1 << 20);
	CHECK_EQ_INT(mount_mem(m, 1 << 20), -ENODEV);
	memdev_free(m);
}

TEST(truncated_volume_is_corrupt)
{
	/* small.img is 16 MiB; a 1 MiB view cannot hold its blocks. */
	struct memdev *m = memdev_of("small.img", 1 << 20);
	CHECK_EQ_INT(mount_mem(m, 1 << 20), -EUCLEAN);
	memdev_free(m);
}

TEST(superblock_fields_one_at_a_time)
{
	static const struct {
		unsigned off, len;
		uint32_t value;
		int want;
	} cases[] = {
		{ 0x18, 4, 7, -EUCLEAN },          /* 128 KiB blocks */
		{ 0x18, 4, 0xffffffff, -EUCLEAN }, /* shift overflow */
		{ 0x20, 4, 0, -EUCLEAN },          /* blocks per group */
		{ 0x28, 4, 0, -EUCLEAN },          /* inodes per group */
		{ 0x28, 4, 0x80000, -EUCLEAN },    /* more than a bitmap block */
		{ 0x00, 4, 0, -EUCLEAN },          /* inodes count */
		{ 0x04, 4, 0, -EUCLEAN },          /* blocks count */
		{ 0x14, 4, 5, -EUCLEAN },          /* first data block */
		{ 0x58, 2, 0, -EUCLEAN },          /* inode size */
		{ 0x58, 2, 8192, -EUCLEAN },       /* inode size > block */
		{ 0x58, 2, 384, -EUCLEAN },        /* not a power of two */
		{ 0xfe, 2, 32, -EUCLEAN },         /* 64bit with 32-byte descriptors */
		{ 0x60, 4, 0x1 | 0x2c2, -EOPNOTSUPP }, /* compression */
		{ 0x60, 4, 0x40000000u | 0x2c2, -EOPNOTSUPP },
		{ 0x60, 4, 0x8 | 0x2c2, -ENODEV }, /* an external journal */
		{ 0x60, 4, 0x4 | 0x2c2, 0 },       /* needs_recovery: readable */
		{ 0x3a, 2, 0, 0 },                 /* not cleanly unmounted */
		{ 0x4c, 4, 0, 0 },                 /* revision 0: features ignored */
	};
	struct memdev *m = memdev_of("small.img", 16 << 20);
	uint8_t *sb = m->data + 1024;
	uint8_t saved[1024];
	memcpy(saved, sb, sizeof(saved));
	CHECK_EQ_INT(get_le32(sb + 0x60), 0x2c2); /* the case values assume these features */
	CHECK_EQ_INT(mount_mem(m, 16 << 20), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		memcpy(sb, saved, sizeof(saved));
		for (unsigned b = 0; b < cases[i].len; b++)
			sb[cases[i].off + b] = (uint8_t)(cases[i].value >> (8 * b));
		int rc = mount_mem(m, 16 << 20);
		if (rc != cases[i].want)
			FAIL("case %u (offset 0x%x = 0x%x): %d, want %d", i, cases[i].off,
			     cases[i].value, rc, cases[i].want);
	}
	memdev_free(m);
}

/* ---- throughput -------------------------------------------------------------- */

static uint64_t device_requests;
static int (*device_read)(struct blockdev *, uint64_t, uint64_t, void *);

static int counting_read(struct blockdev *d, uint64_t lba, uint64_t count, void *buf)
{
	device_requests++;
	return device_read(d, lba, count, buf);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void read_big_file(const char *file, const char *path, uint64_t max_reads)
{
	struct mnt *m = mount_ok(file);
	struct ext4_fs *e = EXT4(m->fs);
	uint64_t ino = resolve_ok(m->fs, path);
	struct fs_stat st;
	CHECK_EQ_INT(m->fs->ops->stat(m->fs, ino, &st), 0);
	char img[640], host[640];
	snprintf(img, sizeof(img), "%s/%s", dir, file);
	snprintf(host, sizeof(host), "%s/tree-bench%s", dir, path);
	uint8_t *want = host_read(host, 0, st.size);
	device_read = m->dev->read;
	m->dev->read = counting_read;
	/* Best of three, against three plain preads of as many bytes from the
	 * image: both come from the page cache, so this is the driver's
	 * overhead over the device, not the disk's speed. */
	double best = 1e9, best_raw = 1e9;
	uint64_t reads = 0, data_reads = 0, requests = 0;
	for (int round = 0; round < 3; round++) {
		void *data;
		size_t len;
		double t0 = now();
		uint8_t *raw = host_read(img, 0, st.size);
		best_raw = MIN(best_raw, now() - t0);
		free(raw);
		device_requests = 0;
		e->nr_reads = e->nr_data_reads = 0;
		t0 = now();
		CHECK_EQ_INT(fs_read_file(m->fs, path, st.size, &data, &len), 0);
		best = MIN(best, now() - t0);
		CHECK_EQ_U64(len, st.size);
		CHECK(!memcmp(want, data, len));
		free(data);
		reads = e->nr_reads;
		data_reads = e->nr_data_reads;
		requests = device_requests;
	}
	m->dev->read = device_read;
	free(want);
	printf("# ext4 read %s: %llu MiB in %.1f ms = %.0f MB/s (plain pread of as many bytes: "
	       "%.0f MB/s); %llu volume_read calls, %llu of them file data, %llu device requests\n",
	       path, (unsigned long long)(st.size >> 20), best * 1e3, st.size / best / 1e6,
	       st.size / best_raw / 1e6, (unsigned long long)reads, (unsigned long long)data_reads,
	       (unsigned long long)requests);
	/* fs_read_file() asks for 8 MiB at a time; each should be one read,
	 * plus one where the file's two extents meet. */
	if (data_reads > (st.size >> 23) + 2 || reads > max_reads)
		FAIL("%llu volume_read calls (%llu data) for %llu MiB", (unsigned long long)reads,
		     (unsigned long long)data_reads, (unsigned long long)(st.size >> 20));
	umount_image(m);
}

TEST(contiguous_extents_are_one_read)
{
	/* 3 MiB in one extent: inode, directory lookups, then one data read. */
	struct mnt *m = mount_ok("ext4-4k.img");
	struct ext4_fs *e = EXT4(m->fs);
	uint64_t ino = resolve_ok(m->fs, "/random-3m.bin");
	struct ext4_node n;
	CHECK_EQ_INT(ext4_inode_load(e, ino, &n), 0);
	uint8_t *buf = malloc(n.size);
	CHECK(buf);
	e->nr_reads = 0;
	CHECK_EQ_INT(m->fs->ops->read(m->fs, ino, 0, buf, n.size), (long)n.size);
	/* The group descriptor, the inode, then all the data in one read. */
	CHECK_EQ_INT(e->nr_reads, 3);

	/* The same blocks as two extents, physically adjacent: still one read. */
	struct ext4_extent_header h;
	struct ext4_extent x;
	memcpy(&h, n.i_block, sizeof(h));
	memcpy(&x, n.i_block + sizeof(h), sizeof(x));
	CHECK(h.eh_depth == 0 && h.eh_entries == 1 && x.ee_len > 300);
	struct ext4_node split = n;
	struct ext4_extent two[2] = { x, x };
	two[0].ee_len = 300;
	two[1].ee_block = 300;
	two[1].ee_len = (uint16_t)(x.ee_len - 300);
	two[1].ee_start_lo = x.ee_start_lo + 300;
	h.eh_entries = 2;
	memcpy(split.i_block, &h, sizeof(h));
	memcpy(split.i_block + sizeof(h), two, sizeof(two));
	uint8_t *again = malloc(n.size);
	CHECK(again);
	e->nr_reads = 0;
	CHECK_EQ_INT(ext4_read_data(e, &split, 0, again, n.size), (long)n.size);
	CHECK_EQ_INT(e->nr_reads, 1);
	CHECK(!memcmp(buf, again, n.size));
	/* Not adjacent: two reads. */
	two[1].ee_start_lo++;
	memcpy(split.i_block + sizeof(h), two, sizeof(two));
	e->nr_reads = 0;
	CHECK_EQ_INT(ext4_read_data(e, &split, 0, again, n.size), (long)n.size);
	CHECK_EQ_INT(e->nr_reads, 2);
	free(again);
	free(buf);
	umount_image(m);
}

TEST(read_128mib)
{
	read_big_file("bench.img", "/initrd.img", 64);
}

int main(void)
{
	char path[640], line[512];
	set_dir();
	load_list();
	if (!nr_images) {
		printf("not ok ext4_images: no %s/images.txt; run tests/images/ext4.sh %s/..\n", dir,
		       dir);
		return 1;
	}
	for (unsigned i = 0; i < nr_images; i++) {
		char name[96];
		cur = &images[i];
		snprintf(name, sizeof(name), "ext4_tree_%s", images[i].file);
		test_run(name, test_image);
	}

	snprintf(path, sizeof(path), "%s/corrupt.txt", dir);
	FILE *f = fopen(path, "r");
	unsigned nbad = 0;
	while (f && fgets(line, sizeof(line), f)) {
		struct damaged d;
		if (sscanf(line, "%63s %15s %255s %15s", d.file, d.op, d.path, d.err) != 4)
			continue;
		char name[96];
		bad = &d;
		snprintf(name, sizeof(name), "ext4_damaged_%s", d.file);
		test_run(name, test_damaged);
		nbad++;
	}
	if (f)
		fclose(f);
	if (!nbad) {
		printf("not ok ext4_damaged: no %s\n", path);
		test_failures++;
	}

	RUN(not_ext4_is_enodev);
	RUN(truncated_volume_is_corrupt);
	RUN(superblock_fields_one_at_a_time);
	RUN(contiguous_extents_are_one_read);
	snprintf(path, sizeof(path), "%s/bench.img", dir);
	if (access(path, R_OK) == 0)
		RUN(read_128mib);
	else
		printf("# read_128mib skipped: run tests/images/ext4.sh OUTDIR --bench\n");
	return test_summary();
}
