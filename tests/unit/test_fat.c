/* SPDX-License-Identifier: MIT */
/*
 * The FAT driver on images made by mkfs.fat and mtools
 * (tests/images/fat.sh OUTDIR, OUTDIR from $PVHBOOT_TEST_IMAGES, default
 * build/testimages; the images are in OUTDIR/fat/): every
 * file's bytes against the source tree, every directory listing,
 * case-insensitive lookups, the ids blkid reports, and copies of the
 * images with one thing broken at a time (cluster loops, links out of
 * range, free and bad clusters in a chain, chains too long or too short,
 * impossible boot sectors), each of which must end in an error.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/errno.h"
#include "../../fs/fs.h"
#include "../../fs/hostfile.h"
#include "../../fs/partition.h"
#include "../../include/abi/fat.h"
#include "fs_tree.h"
#include "test.h"

extern const struct fs_ops fat_ops;

/* Where tests/images/fat.sh OUTDIR put @name: OUTDIR/fat/NAME. */
static void image_path(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/fat/%s", images_dir(), name);
}

/* ---- devices: the image file, or a patched copy in memory ---- */

/* Device reads, counted to check that file data moves in large requests. */
static unsigned long dev_reads;

struct memdisk {
	struct blockdev dev;
	uint8_t *data;
	size_t size;
};

static int mem_read(struct blockdev *d, uint64_t lba, uint64_t count, void *buf)
{
	struct memdisk *m = d->priv;
	dev_reads++;
	if (lba > d->nr_sectors || count > d->nr_sectors - lba)
		return -EINVAL;
	memcpy(buf, m->data + lba * d->sector_size, count * d->sector_size);
	return 0;
}

static int (*file_read)(struct blockdev *, uint64_t, uint64_t, void *);

static int counted_file_read(struct blockdev *d, uint64_t lba, uint64_t count, void *buf)
{
	dev_reads++;
	return file_read(d, lba, count, buf);
}

struct img {
	struct blockdev *dev;
	struct memdisk *mem;
	struct volume vol;
	struct fs *fs;
};

static void close_img(struct img *m)
{
	if (m->fs)
		m->fs->ops->unmount(m->fs);
	if (m->mem) {
		free(m->mem->dev.cache);
		free(m->mem->data);
		free(m->mem);
	} else if (m->dev) {
		hostfile_close(m->dev);
	}
	memset(m, 0, sizeof(*m));
}

/* Mount @m->vol with the FAT driver, as fs_mount() would. */
static int mount_vol(struct img *m)
{
	int rc = fat_ops.mount(&m->vol, &m->fs);
	if (rc)
		return rc;
	m->fs->ops = &fat_ops;
	m->fs->vol = &m->vol;
	return 0;
}

static void open_file_img(struct img *m, const char *name)
{
	char path[512];
	memset(m, 0, sizeof(*m));
	image_path(path, sizeof(path), name);
	int rc = hostfile_open(path, 512, &m->dev);
	if (rc)
		FAIL("cannot open %.300s (%d): run tests/images/fat.sh %s first", path, rc,
		     images_dir());
	file_read = m->dev->read;
	m->dev->read = counted_file_read;
	volume_of_disk(m->dev, &m->vol);
}

static void load_mem_img(struct img *m, const char *name)
{
	char path[512];
	struct stat st;
	memset(m, 0, sizeof(*m));
	image_path(path, sizeof(path), name);
	int fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		FAIL("cannot open %.300s: run tests/images/fat.sh %s first", path, images_dir());
	m->mem = calloc(1, sizeof(*m->mem));
	m->mem->size = (size_t)st.st_size;
	m->mem->data = malloc(m->mem->size);
	CHECK(m->mem->data && read(fd, m->mem->data, m->mem->size) == (ssize_t)m->mem->size);
	close(fd);
	m->mem->dev.sector_size = 512;
	m->mem->dev.nr_sectors = m->mem->size / 512;
	m->mem->dev.read = mem_read;
	m->mem->dev.priv = m->mem;
	snprintf(m->mem->dev.name, sizeof(m->mem->dev.name), "mem");
	m->dev = &m->mem->dev;
	volume_of_disk(m->dev, &m->vol);
}

static void mount_img(struct img *m, const char *name)
{
	open_file_img(m, name);
	CHECK_EQ_INT(mount_vol(m), 0);
}

/* After patching the bytes under a mounted volume: drop every cached copy. */
static void remount(struct img *m)
{
	if (m->fs)
		m->fs->ops->unmount(m->fs);
	m->fs = NULL;
	blockdev_cache_forget(m->dev, 0, ~0ull);
	CHECK_EQ_INT(mount_vol(m), 0);
}

/* ---- the tree on the image against the tree it was made from ---- */

/* FAT keeps no modes and no links; the root lists nothing beyond the tree. */
static const struct tree_opts fat_tree = { false, NULL };

static void whole_image(const char *name)
{
	char tree[512];
	struct img m;
	uint64_t root;
	mount_img(&m, name);
	image_path(tree, sizeof(tree), "tree");
	CHECK_EQ_INT(m.fs->ops->root(m.fs, &root), 0);
	unsigned files = compare_tree(m.fs, root, tree, &fat_tree, NULL);
	CHECK(files > 600);
	check_ids(m.fs, "fat", name);
	close_img(&m);
}

TEST(fat12_every_file_matches)
{
	whole_image("fat12.img");
}

TEST(fat16_every_file_matches)
{
	whole_image("fat16.img");
}

TEST(fat16_4096_byte_sectors)
{
	whole_image("fat16-4k.img");
}

TEST(fat32_every_file_matches)
{
	whole_image("fat32.img");
}

TEST(fat32_in_an_mbr_partition)
{
	struct img m;
	struct volume parts[PART_MAX];
	unsigned n;
	char tree[512];
	uint64_t root;
	open_file_img(&m, "fat32-mbr.img");
	CHECK_EQ_INT(partitions_scan(&m.vol, parts, PART_MAX, &n), 0);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_U64(parts[0].offset, 1 << 20);
	m.vol = parts[0];
	CHECK_EQ_INT(mount_vol(&m), 0);
	image_path(tree, sizeof(tree), "tree");
	CHECK_EQ_INT(m.fs->ops->root(m.fs, &root), 0);
	CHECK(compare_tree(m.fs, root, tree, &fat_tree, NULL) > 600);
	check_ids(m.fs, "fat", "fat32-mbr.img");
	close_img(&m);
}

/* ---- names ---- */

static uint64_t resolve(struct fs *fs, const char *path)
{
	uint64_t ino;
	int rc = fs_resolve(fs, path, &ino);
	if (rc)
		FAIL("resolve %.300s: %d", path, rc);
	return ino;
}

TEST(lookup_ignores_case)
{
	static const char *const same[][2] = {
		{ "/hello.txt", "/HELLO.TXT" },
		{ "/MixedCase.Txt", "/mixedcase.txt" },
		{ "/MixedCase.Txt", "/MIXEDC~1.TXT" }, /* the 8.3 alias */
		{ "/UPPER.TXT", "/upper.txt" },
		{ "/Dir With Spaces/Sub Dir/nested file.TXT", "/dir with spaces/SUB DIR/Nested File.txt" },
		{ "/Ωμέγα.txt", "/ΩΜΈΓΑ.TXT" },                 /* Greek */
		{ "/naïve café.txt", "/NAÏVE CAFÉ.TXT" },       /* Latin-1 */
		{ "/many/entry number 042.txt", "/MANY/Entry Number 042.TXT" },
		{ "/many/F041.DAT", "/many/f041.dat" },
	};
	struct img m;
	mount_img(&m, "fat16.img");
	for (size_t i = 0; i < ARRAY_SIZE(same); i++)
		CHECK_EQ_U64(resolve(m.fs, same[i][0]), resolve(m.fs, same[i][1]));
	uint64_t ino;
	CHECK_EQ_INT(fs_resolve(m.fs, "/hello.tx", &ino), -ENOENT);
	CHECK_EQ_INT(fs_resolve(m.fs, "/hello.txt/x", &ino), -ENOTDIR);
	CHECK_EQ_INT(fs_resolve(m.fs, "/many/entry number 600.txt", &ino), -ENOENT);
	close_img(&m);
}

TEST(names_and_stat)
{
	struct img m;
	struct fs_stat st;
	void *data;
	size_t size;
	mount_img(&m, "fat32.img");
	uint64_t lower = resolve(m.fs, "/lower.txt");
	CHECK_EQ_INT(m.fs->ops->stat(m.fs, lower, &st), 0);
	CHECK_EQ_INT(st.type, FS_REG);
	CHECK_EQ_U64(st.size, 6);
	CHECK_EQ_U64(st.mode, 0100644);
	CHECK_EQ_INT(m.fs->ops->stat(m.fs, resolve(m.fs, "/many"), &st), 0);
	CHECK_EQ_INT(st.type, FS_DIR);
	CHECK_EQ_INT(m.fs->ops->stat(m.fs, resolve(m.fs, "/deep/a/empty.bin"), &st), 0);
	CHECK_EQ_U64(st.size, 0);
	/* ".." climbs, up to the root and no further. */
	CHECK_EQ_U64(resolve(m.fs, "/deep/a/b/../../a/b/c/../.."), resolve(m.fs, "/deep/a"));
	CHECK_EQ_U64(resolve(m.fs, "/deep/.."), resolve(m.fs, "/"));
	CHECK_EQ_U64(resolve(m.fs, "/.."), resolve(m.fs, "/"));
	CHECK_EQ_INT(fs_read_file(m.fs, "/naïve café.txt", 100, &data, &size), 0);
	CHECK(size == 6 && !memcmp(data, "latin\n", 6));
	free(data);
	CHECK_EQ_INT(fs_read_file(m.fs, "/big.bin", 100, &data, &size), -EFBIG);
	CHECK_EQ_INT(m.fs->ops->read(m.fs, resolve(m.fs, "/many"), 0, &st, 1), -EISDIR);
	char buf[8];
	CHECK_EQ_INT(m.fs->ops->readlink(m.fs, lower, buf, sizeof(buf)), -EINVAL);
	close_img(&m);
}

static int stop_at_third(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type t)
{
	return ++*(int *)ctx == 3 ? 7 : 0;
}

static int count_entries(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type t)
{
	++*(int *)ctx;
	return 0;
}

TEST(readdir_stops_when_asked)
{
	struct img m;
	int seen = 0;
	mount_img(&m, "fat12.img");
	CHECK_EQ_INT(m.fs->ops->readdir(m.fs, resolve(m.fs, "/many"), stop_at_third, &seen), 7);
	CHECK_EQ_INT(seen, 3);
	close_img(&m);
}

/* A file written in one piece is read with one device request, not per cluster. */
TEST(contiguous_file_is_one_request)
{
	struct img m;
	struct fs_stat st;
	mount_img(&m, "fat32.img");
	uint64_t ino = resolve(m.fs, "/big.bin");
	CHECK_EQ_INT(m.fs->ops->stat(m.fs, ino, &st), 0);
	uint8_t *buf = malloc(st.size);
	dev_reads = 0;
	CHECK_EQ_U64(m.fs->ops->read(m.fs, ino, 0, buf, st.size), st.size);
	/* the data, the FAT window, the unaligned tail through the cache */
	if (dev_reads > 3)
		FAIL("%lu device reads for a contiguous %llu-byte file", dev_reads,
		     (unsigned long long)st.size);
	free(buf);
	close_img(&m);
}

TEST(ids_and_foreign_volumes)
{
	struct img m;
	load_mem_img(&m, "fat12.img");
	memset(m.mem->data, 0, 512);
	CHECK_EQ_INT(mount_vol(&m), -ENODEV);
	m.vol.size = 100;
	CHECK_EQ_INT(mount_vol(&m), -ENODEV);
	close_img(&m);
}

/* ---- damaged copies ---- */

struct layout {
	unsigned bits;
	uint32_t bps, cluster_size;
	uint64_t fat, root, data;
	uint32_t clusters;
};

/* The layout, computed here independently of the driver. */
static struct layout layout_of(const uint8_t *bs)
{
	struct layout l;
	l.bps = get_le16(bs + 11);
	l.cluster_size = l.bps * bs[13];
	uint32_t rsvd = get_le16(bs + 14), nfats = bs[16], root_entries = get_le16(bs + 17);
	uint32_t total = get_le16(bs + 19) ? get_le16(bs + 19) : get_le32(bs + 32);
	uint32_t fatsz = get_le16(bs + 22) ? get_le16(bs + 22) : get_le32(bs + 36);
	uint32_t root_sectors = (root_entries * 32 + l.bps - 1) / l.bps;
	l.fat = (uint64_t)rsvd * l.bps;
	l.root = (uint64_t)(rsvd + nfats * fatsz) * l.bps;
	l.data = (uint64_t)(rsvd + nfats * fatsz + root_sectors) * l.bps;
	l.clusters = (total - rsvd - nfats * fatsz - root_sectors) / bs[13];
	l.bits = l.clusters < 4085 ? 12 : l.clusters < 65525 ? 16 : 32;
	return l;
}

static uint32_t get_fat(const struct img *m, const struct layout *l, uint32_t c)
{
	const uint8_t *fat = m->mem->data + l->fat;
	if (l->bits == 12) {
		uint16_t v = get_le16(fat + c + c / 2);
		return c & 1 ? v >> 4 : v & 0xfff;
	}
	return l->bits == 16 ? get_le16(fat + 2 * c) : get_le32(fat + 4 * c) & 0x0fffffff;
}

/* Patch FAT copy 0, the one the driver reads. */
static void set_fat(struct img *m, const struct layout *l, uint32_t c, uint32_t v)
{
	uint8_t *fat = m->mem->data + l->fat;
	if (l->bits == 12) {
		uint8_t *p = fat + c + c / 2;
		uint16_t old = get_le16(p);
		uint16_t nv = c & 1 ? (uint16_t)((old & 0x000f) | (v & 0xfff) << 4)
				    : (uint16_t)((old & 0xf000) | (v & 0xfff));
		p[0] = (uint8_t)nv;
		p[1] = (uint8_t)(nv >> 8);
	} else if (l->bits == 16) {
		fat[2 * c] = (uint8_t)v;
		fat[2 * c + 1] = (uint8_t)(v >> 8);
	} else {
		for (int i = 0; i < 4; i++)
			fat[4 * c + i] = (uint8_t)(v >> (8 * i));
	}
}

static uint32_t eoc(const struct layout *l)
{
	return l->bits == 12 ? 0xfff : l->bits == 16 ? 0xffff : 0x0fffffff;
}

/*
 * The first cluster of @path. The driver's inode numbers say where to look:
 * a directory's holds its first cluster, a file's is its entry's offset.
 */
static uint32_t first_cluster_of(struct img *m, const struct layout *l, const char *path)
{
	uint64_t ino = resolve(m->fs, path);
	if (ino >> 63)
		return (uint32_t)ino;
	const uint8_t *d = m->mem->data + m->vol.offset + ino;
	return get_le16(d + 26) | (l->bits == 32 ? (uint32_t)get_le16(d + 20) << 16 : 0);
}

/* The 8.3 entry named @name11 in the FAT12/16 root directory. */
static uint8_t *root_entry(struct img *m, const struct layout *l, const char *name11)
{
	for (uint64_t off = l->root; off < l->data; off += 32)
		if (!memcmp(m->mem->data + off, name11, 11))
			return m->mem->data + off;
	FAIL("no %s in the root directory", name11);
}

/* The @k-th cluster of the chain at @first. */
static uint32_t nth_cluster(struct img *m, const struct layout *l, uint32_t first, unsigned k)
{
	uint32_t c = first;
	while (k--)
		c = get_fat(m, l, c);
	return c;
}

static long read_all(struct fs *fs, const char *path)
{
	void *data;
	size_t size;
	int rc = fs_read_file(fs, path, 64 << 20, &data, &size);
	if (!rc)
		free(data);
	return rc;
}

enum damage {
	LOOP_BACK,     /* a link back to the first cluster */
	OUT_OF_RANGE,  /* a link past the last cluster */
	FREE_LINK,     /* a free cluster in the middle */
	BAD_LINK,      /* the bad-cluster marker in the middle */
	EARLY_END,     /* end of chain before the file ends */
	TOO_LONG,      /* the chain goes on after the file's last cluster */
};

static void damaged_chain(const char *image, enum damage what)
{
	struct img m;
	load_mem_img(&m, image);
	CHECK_EQ_INT(mount_vol(&m), 0);
	struct layout l = layout_of(m.mem->data);
	CHECK_EQ_INT(l.bits, strstr(image, "12") ? 12 : strstr(image, "16") ? 16 : 32);
	CHECK_EQ_INT(read_all(m.fs, "/big.bin"), 0);
	uint32_t first = first_cluster_of(&m, &l, "/big.bin");
	uint32_t nclusters = (1536 * 1024 + 5 + l.cluster_size - 1) / l.cluster_size;
	uint32_t mid = nth_cluster(&m, &l, first, nclusters / 2);
	uint32_t last = nth_cluster(&m, &l, first, nclusters - 1);
	CHECK_EQ_U64(get_fat(&m, &l, last), eoc(&l));

	switch (what) {
	case LOOP_BACK:
		set_fat(&m, &l, mid, first);
		break;
	case OUT_OF_RANGE:
		set_fat(&m, &l, mid, l.clusters + 2);
		break;
	case FREE_LINK:
		set_fat(&m, &l, mid, 0);
		break;
	case BAD_LINK:
		set_fat(&m, &l, mid, eoc(&l) - 8);
		break;
	case EARLY_END:
		set_fat(&m, &l, mid, eoc(&l));
		break;
	case TOO_LONG: {
		uint32_t spare = l.clusters + 1;
		while (get_fat(&m, &l, spare) != 0)
			spare--;
		set_fat(&m, &l, spare, eoc(&l));
		set_fat(&m, &l, last, spare);
		break;
	}
	}
	remount(&m);
	CHECK_EQ_INT(read_all(m.fs, "/big.bin"), -EUCLEAN);
	/* Other files are still fine. */
	CHECK_EQ_INT(read_all(m.fs, "/hello.txt"), 0);
	close_img(&m);
}

TEST(fat12_cluster_loop)
{
	damaged_chain("fat12.img", LOOP_BACK);
}

TEST(fat16_cluster_loop)
{
	damaged_chain("fat16.img", LOOP_BACK);
}

TEST(fat32_cluster_loop)
{
	damaged_chain("fat32.img", LOOP_BACK);
}

TEST(fat12_cluster_out_of_range)
{
	damaged_chain("fat12.img", OUT_OF_RANGE);
}

TEST(fat32_cluster_out_of_range)
{
	damaged_chain("fat32.img", OUT_OF_RANGE);
}

TEST(fat16_free_cluster_in_chain)
{
	damaged_chain("fat16.img", FREE_LINK);
}

TEST(fat32_bad_cluster_in_chain)
{
	damaged_chain("fat32.img", BAD_LINK);
}

TEST(fat12_chain_ends_early)
{
	damaged_chain("fat12.img", EARLY_END);
}

TEST(fat16_chain_longer_than_file)
{
	damaged_chain("fat16.img", TOO_LONG);
}

/* A directory whose chain loops: an error after at most 2 MiB of entries, not a hang. */
TEST(directory_cluster_loop)
{
	static const char *const images[] = { "fat12.img", "fat32.img" };
	for (size_t i = 0; i < ARRAY_SIZE(images); i++) {
		struct img m;
		int n = 0;
		uint64_t ino;
		load_mem_img(&m, images[i]);
		CHECK_EQ_INT(mount_vol(&m), 0);
		struct layout l = layout_of(m.mem->data);
		/* The first cluster is full: the end-of-directory mark is further on. */
		uint32_t first = first_cluster_of(&m, &l, "/many");
		CHECK(get_fat(&m, &l, first) < eoc(&l) - 8);
		set_fat(&m, &l, first, first);
		remount(&m);
		CHECK_EQ_INT(m.fs->ops->readdir(m.fs, resolve(m.fs, "/many"), count_entries, &n),
			     -EUCLEAN);
		CHECK_EQ_INT(fs_resolve(m.fs, "/many/no such file", &ino), -EUCLEAN);
		close_img(&m);
	}
}

TEST(directory_entry_cluster_out_of_range)
{
	struct img m;
	load_mem_img(&m, "fat16.img");
	CHECK_EQ_INT(mount_vol(&m), 0);
	struct layout l = layout_of(m.mem->data);
	uint8_t *d = root_entry(&m, &l, "HELLO   TXT");
	d[26] = 0xff;
	d[27] = 0xff;
	remount(&m);
	CHECK_EQ_INT(read_all(m.fs, "/hello.txt"), -EUCLEAN);
	d = root_entry(&m, &l, "MANY       ");
	d[26] = 0xfe;
	d[27] = 0xff;
	remount(&m);
	uint64_t ino;
	CHECK_EQ_INT(fs_resolve(m.fs, "/many/F001.DAT", &ino), -EUCLEAN);
	close_img(&m);
}

/* One boot sector field at a time; each a damaged FAT volume, refused at mount. */
TEST(impossible_boot_sectors)
{
	static const struct {
		unsigned off, width;
		uint32_t value;
		const char *what;
	} cases[] = {
		{ 13, 1, 0, "0 sectors per cluster" },
		{ 13, 1, 3, "3 sectors per cluster" },
		{ 11, 2, 0, "0 bytes per sector" },
		{ 11, 2, 8192, "8192 bytes per sector" },
		{ 11, 2, 768, "768 bytes per sector" },
		{ 14, 2, 0, "no reserved sectors" },
		{ 16, 1, 0, "no FATs" },
		{ 22, 2, 0, "FAT12 with a FAT32 FAT size" },
		{ 17, 2, 0, "no root directory" },
		{ 19, 2, 0xffff, "more sectors than the volume" },
		{ 22, 2, 1, "FAT too small for its clusters" },
		{ 14, 2, 20000, "metadata larger than the volume" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct img m;
		load_mem_img(&m, "fat12.img");
		for (unsigned b = 0; b < cases[i].width; b++)
			m.mem->data[cases[i].off + b] = (uint8_t)(cases[i].value >> (8 * b));
		int rc = mount_vol(&m);
		if (rc != -EUCLEAN)
			FAIL("%s: mount gave %d", cases[i].what, rc);
		close_img(&m);
	}
	/* FAT32: root cluster out of range, active FAT that does not exist. */
	struct img m;
	load_mem_img(&m, "fat32.img");
	memcpy(m.mem->data + 44, "\xff\xff\xff\x0f", 4);
	CHECK_EQ_INT(mount_vol(&m), -EUCLEAN);
	close_img(&m);
	load_mem_img(&m, "fat32.img");
	m.mem->data[40] = 0x80 | 5;
	CHECK_EQ_INT(mount_vol(&m), -EUCLEAN);
	close_img(&m);
	/* The image cut short: the boot sector claims more than the volume. */
	load_mem_img(&m, "fat16.img");
	m.vol.size /= 2;
	CHECK_EQ_INT(mount_vol(&m), -EUCLEAN);
	close_img(&m);
}

/* Characters outside the BMP arrive as UTF-16 surrogate pairs. */
TEST(long_name_surrogate_pair)
{
	struct img m;
	void *data;
	size_t size;
	load_mem_img(&m, "fat16.img");
	CHECK_EQ_INT(mount_vol(&m), 0);
	uint8_t *lfn = m.mem->data + resolve(m.fs, "/MixedCase.Txt") - 32;
	CHECK_EQ_INT(lfn[0], 0x41);
	memcpy(lfn + 1, "\x3d\xd8\x80\xde", 4); /* "Mi" -> U+1F680 */
	remount(&m);
	CHECK_EQ_INT(fs_read_file(m.fs, "/\xf0\x9f\x9a\x80xedcase.txt", 100, &data, &size), 0);
	CHECK(size == 6 && !memcmp(data, "mixed\n", 6));
	free(data);
	memcpy(lfn + 1, "\x3d\xd8\x41\x00", 4); /* a lone high surrogate */
	remount(&m);
	CHECK_EQ_INT(fs_read_file(m.fs, "/\xef\xbf\xbd" "AxedCase.Txt", 100, &data, &size), 0);
	free(data);
	close_img(&m);
}

/* Orphaned or mismatched long-name entries fall back to the 8.3 name. */
TEST(long_name_checksum_mismatch)
{
	struct img m;
	uint64_t ino;
	load_mem_img(&m, "fat12.img");
	CHECK_EQ_INT(mount_vol(&m), 0);
	uint64_t off = resolve(m.fs, "/MixedCase.Txt");
	uint8_t *lfn = m.mem->data + off - 32;
	CHECK_EQ_INT(lfn[11], 0x0f);
	lfn[13] ^= 0x55; /* checksum */
	remount(&m);
	CHECK_EQ_INT(fs_resolve(m.fs, "/MixedCase.Txt", &ino), -ENOENT);
	CHECK_EQ_U64(resolve(m.fs, "/MIXEDC~1.TXT"), off);
	close_img(&m);
}

int main(void)
{
	RUN(fat12_every_file_matches);
	RUN(fat16_every_file_matches);
	RUN(fat16_4096_byte_sectors);
	RUN(fat32_every_file_matches);
	RUN(fat32_in_an_mbr_partition);
	RUN(lookup_ignores_case);
	RUN(names_and_stat);
	RUN(readdir_stops_when_asked);
	RUN(contiguous_file_is_one_request);
	RUN(ids_and_foreign_volumes);
	RUN(fat12_cluster_loop);
	RUN(fat16_cluster_loop);
	RUN(fat32_cluster_loop);
	RUN(fat12_cluster_out_of_range);
	RUN(fat32_cluster_out_of_range);
	RUN(fat16_free_cluster_in_chain);
	RUN(fat32_bad_cluster_in_chain);
	RUN(fat12_chain_ends_early);
	RUN(fat16_chain_longer_than_file);
	RUN(directory_cluster_loop);
	RUN(directory_entry_cluster_out_of_range);
	RUN(impossible_boot_sectors);
	RUN(long_name_surrogate_pair);
	RUN(long_name_checksum_mismatch);
	return test_summary();
}
