/* SPDX-License-Identifier: MIT */
/*
 * The btrfs driver on images made by mkfs.btrfs and filled by the kernel
 * through loop mounts (tests/images/btrfs.sh OUTDIR; OUTDIR from
 * $PVHBOOT_TEST_IMAGES, default build/testimages; images in OUTDIR/btrfs/):
 *  - every image (defaults, DUP data, compress-force zstd/lzo/zlib, sha256
 *    checksums) against
 *    the tree it was filled from: every listing, every file byte for byte,
 *    every link target, the ids blkid reports;
 *  - subvolumes: the default one (set-default) as "/", "@/" paths from
 *    the top level, a read-only snapshot, a nested subvolume and the empty
 *    directory a snapshot shows in its place, ".." across boundaries;
 *  - copies of the images with one thing broken at a time (magic, a tree
 *    block's checksum on one and on every copy, a pointer cycle, a chunk
 *    past the device, zero node size, compressed extents inflating past
 *    their size, an extent outside every chunk, the primary superblock
 *    gone), each a clean error, or a successful mount where a mirror or a
 *    DUP copy makes up for it.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/crc32c.h"
#include "../../core/errno.h"
#include "../../fs/btrfs_priv.h"
#include "../../fs/fs.h"
#include "../../fs/hostfile.h"
#include "fs_tree.h"
#include "test.h"

static void image_path(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/btrfs/%s", images_dir(), name);
}

/* ---- devices: the image file, or a copy in memory to break ---- */

struct memdisk {
	struct blockdev dev;
	uint8_t *data;
	size_t size;
};

static int mem_read(struct blockdev *d, uint64_t lba, uint64_t count, void *buf)
{
	struct memdisk *m = d->priv;
	if (lba > d->nr_sectors || count > d->nr_sectors - lba)
		return -EINVAL;
	memcpy(buf, m->data + lba * d->sector_size, count * d->sector_size);
	return 0;
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

static void open_file_img(struct img *m, const char *name)
{
	char path[512];
	memset(m, 0, sizeof(*m));
	image_path(path, sizeof(path), name);
	int rc = hostfile_open(path, 512, &m->dev);
	if (rc)
		FAIL("cannot open %.300s (%d): run tests/images/btrfs.sh %s first", path, rc,
		     images_dir());
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
		FAIL("cannot open %.300s: run tests/images/btrfs.sh %s first", path, images_dir());
	m->mem = calloc(1, sizeof(*m->mem));
	m->mem->size = (size_t)st.st_size;
	m->mem->data = malloc(m->mem->size);
	size_t got = 0;
	while (m->mem->data && got < m->mem->size) {
		ssize_t r = read(fd, m->mem->data + got, m->mem->size - got);
		CHECK(r > 0);
		got += (size_t)r;
	}
	close(fd);
	CHECK(m->mem->data);
	m->mem->dev.sector_size = 512;
	m->mem->dev.nr_sectors = m->mem->size / 512;
	m->mem->dev.read = mem_read;
	m->mem->dev.priv = m->mem;
	snprintf(m->mem->dev.name, sizeof(m->mem->dev.name), "mem");
	m->dev = &m->mem->dev;
	volume_of_disk(m->dev, &m->vol);
}

/* fs_mount(), as the loader does it: every driver in turn. */
static int mount_vol(struct img *m)
{
	m->fs = NULL;
	int rc = fs_mount(&m->vol, &m->fs);
	if (!rc && m->fs->ops != &btrfs_ops)
		FAIL("mounted as %s", m->fs->ops->name);
	return rc;
}

/* After patching the bytes under a mounted volume: drop every cached copy. */
static int remount(struct img *m)
{
	if (m->fs)
		m->fs->ops->unmount(m->fs);
	m->fs = NULL;
	blockdev_cache_forget(m->dev, 0, ~0ull);
	return mount_vol(m);
}

static uint64_t resolve(struct fs *fs, const char *path)
{
	uint64_t ino;
	int rc = fs_resolve(fs, path, &ino);
	if (rc)
		FAIL("resolve %.300s: %d", path, rc);
	return ino;
}

/* The file at @path through fs_read_file(), as the loader reads kernels. */
static void check_contents(struct fs *fs, const char *path, const char *want)
{
	void *data;
	size_t size;
	int rc = fs_read_file(fs, path, 1 << 20, &data, &size);
	if (rc)
		FAIL("read %.300s: %d", path, rc);
	if (size != strlen(want) || memcmp(data, want, size))
		FAIL("%.300s: \"%.*s\"", path, (int)size, (char *)data);
	free(data);
}

/* ---- whole images against the tree ---- */

static const struct tree_opts btrfs_tree = { true, NULL };

static void whole_image(const char *name)
{
	char tree[512];
	struct img m;
	uint64_t root;
	open_file_img(&m, name);
	CHECK_EQ_INT(mount_vol(&m), 0);
	image_path(tree, sizeof(tree), "tree");
	CHECK_EQ_INT(m.fs->ops->root(m.fs, &root), 0);
	unsigned files = compare_tree(m.fs, root, tree, &btrfs_tree, NULL);
	if (files < 3000)
		FAIL("%u files compared", files);
	check_ids(m.fs, "btrfs", name);
	/* The loader's own path: resolve, then read whole. */
	check_contents(m.fs, "/deep/level-01/../level-01/level-02/../../../hello.txt",
		       "hello, btrfs\n");
	check_contents(m.fs, "/links/up", "hello, btrfs\n");
	check_contents(m.fs, "/links/dir/level-03/../../level-02/level-03/level-04/level-05/"
			     "level-06/level-07/level-08/level-09/level-10/level-11/level-12/"
			     "level-13/level-14/level-15/level-16/leaf.txt",
		       "at the bottom\n");
	struct btrfs_fs *b = BTRFS(m.fs);
	CHECK_EQ_INT(b->csum_type, strstr(name, "sha256") ? BTRFS_CSUM_SHA256 : BTRFS_CSUM_CRC32C);
	if (strstr(name, "zstd") || strstr(name, "lzo") || strstr(name, "zlib"))
		CHECK(b->nr_decompressed > 150); /* 20 MiB of numbers in 128 KiB extents */
	close_img(&m);
}

TEST(default_mkfs_every_file_matches)
{
	whole_image("default.img");
}

TEST(dup_data_every_file_matches)
{
	whole_image("dup.img");
}

TEST(zstd_every_file_matches)
{
	whole_image("zstd.img");
}

TEST(lzo_every_file_matches)
{
	whole_image("lzo.img");
}

TEST(zlib_every_file_matches)
{
	whole_image("zlib.img");
}

TEST(sha256_checksums_every_file_matches)
{
	whole_image("sha256.img");
}

/* ---- subvolumes ---- */

static int count_one(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type type)
{
	(*(unsigned *)ctx)++;
	return 0;
}

static unsigned count_entries(struct fs *fs, uint64_t dir)
{
	unsigned n = 0;
	CHECK_EQ_INT(fs->ops->readdir(fs, dir, count_one, &n), 0);
	return n;
}

TEST(subvolumes_default_top_level_and_snapshot)
{
	char tree[512];
	struct img m;
	uint64_t root, ino;
	struct fs_stat st;
	open_file_img(&m, "subvol.img");
	CHECK_EQ_INT(mount_vol(&m), 0);
	image_path(tree, sizeof(tree), "tree");
	struct btrfs_fs *b = BTRFS(m.fs);
	CHECK(b->default_subvol >= BTRFS_FIRST_FREE_OBJECTID);

	/* "/" is the default subvolume @: the tree, plus the nested "inner". */
	CHECK_EQ_INT(m.fs->ops->root(m.fs, &root), 0);
	CHECK_EQ_U64(BTRFS_INO_TREE(root), b->default_subvol);
	CHECK(compare_tree(m.fs, root, tree, &btrfs_tree, "inner") >= 3000);
	check_ids(m.fs, "btrfs", "subvol.img");
	check_contents(m.fs, "/inner/inner.txt", "inside the nested subvolume\n");
	uint64_t inner = resolve(m.fs, "/inner");
	CHECK(BTRFS_INO_TREE(inner) != b->default_subvol);
	CHECK_EQ_U64(resolve(m.fs, "/inner/.."), root);
	check_contents(m.fs, "/inner/../hello.txt", "hello, btrfs\n");

	/* "@/" starts at the top level (id 5), where @ is a subvolume. */
	uint64_t top = resolve(m.fs, "@/");
	CHECK_EQ_U64(BTRFS_INO_TREE(top), BTRFS_FS_TREE_OBJECTID);
	CHECK_EQ_U64(resolve(m.fs, "@"), top);
	CHECK_EQ_U64(count_entries(m.fs, top), 3); /* @, top.txt, snaps */
	check_contents(m.fs, "@/top.txt", "at the top level\n");
	check_contents(m.fs, "@//top.txt", "at the top level\n");
	CHECK_EQ_U64(resolve(m.fs, "@/@"), root);
	check_contents(m.fs, "@/@/inner/inner.txt", "inside the nested subvolume\n");
	/* ".." from the default subvolume's top climbs into the top level. */
	CHECK_EQ_U64(resolve(m.fs, "/.."), top);
	check_contents(m.fs, "/../top.txt", "at the top level\n");
	CHECK_EQ_U64(resolve(m.fs, "@/.."), top);
	CHECK_EQ_INT(fs_resolve(m.fs, "/top.txt", &ino), -ENOENT);
	/* An absolute symlink inside "@/" paths resolves from "/" (@). */
	check_contents(m.fs, "@/@/links/absolute", "hello, btrfs\n");

	/* The read-only snapshot: the same tree; "inner" there is empty. */
	uint64_t snap = resolve(m.fs, "@/snaps/@-ro");
	CHECK(BTRFS_INO_TREE(snap) != b->default_subvol);
	CHECK(BTRFS_INO_TREE(snap) != BTRFS_FS_TREE_OBJECTID);
	CHECK(compare_tree(m.fs, snap, tree, &btrfs_tree, "inner") >= 3000);
	uint64_t placeholder = resolve(m.fs, "@/snaps/@-ro/inner");
	CHECK_EQ_INT(m.fs->ops->stat(m.fs, placeholder, &st), 0);
	CHECK_EQ_INT(st.type, FS_DIR);
	CHECK_EQ_U64(count_entries(m.fs, placeholder), 0);
	CHECK_EQ_INT(fs_resolve(m.fs, "@/snaps/@-ro/inner/inner.txt", &ino), -ENOENT);
	CHECK_EQ_U64(resolve(m.fs, "@/snaps/@-ro/.."), resolve(m.fs, "@/snaps"));
	check_contents(m.fs, "@/snaps/@-ro/../../top.txt", "at the top level\n");
	close_img(&m);
}

TEST(names_and_stat)
{
	struct img m;
	struct fs_stat st;
	uint64_t ino;
	open_file_img(&m, "default.img");
	CHECK_EQ_INT(mount_vol(&m), 0);
	CHECK_EQ_INT(m.fs->ops->stat(m.fs, resolve(m.fs, "/hello.txt"), &st), 0);
	CHECK_EQ_INT(st.type, FS_REG);
	CHECK_EQ_U64(st.size, 13);
	CHECK_EQ_INT(m.fs->ops->stat(m.fs, resolve(m.fs, "/many"), &st), 0);
	CHECK_EQ_INT(st.type, FS_DIR);
	/* Hard links are one inode. */
	CHECK_EQ_U64(resolve(m.fs, "/hard/one"), resolve(m.fs, "/links/three"));
	CHECK_EQ_INT(fs_resolve(m.fs, "/hello.tx", &ino), -ENOENT);
	CHECK_EQ_INT(fs_resolve(m.fs, "/hello.txt/x", &ino), -ENOTDIR);
	CHECK_EQ_INT(fs_resolve(m.fs, "/many/file-3000", &ino), -ENOENT);
	CHECK_EQ_INT(fs_resolve(m.fs, "/links/long-dangling", &ino), -ENAMETOOLONG);
	CHECK_EQ_U64(resolve(m.fs, "/.."), resolve(m.fs, "/"));
	check_contents(m.fs, "/many/file-2999", "2999\n");
	/* Reads past the end, and from inside the prealloc'd tail. */
	char buf[64];
	uint64_t f = resolve(m.fs, "/reflink/prealloc-beyond");
	CHECK_EQ_INT(m.fs->ops->read(m.fs, f, 0, buf, sizeof(buf)), 6);
	CHECK_EQ_INT(m.fs->ops->read(m.fs, f, 6, buf, sizeof(buf)), 0);
	CHECK_EQ_INT(m.fs->ops->read(m.fs, resolve(m.fs, "/many"), 0, buf, 1), -EISDIR);
	close_img(&m);
}

/* ---- damaged copies ---- */

static void fix_super_csum(uint8_t *sb)
{
	uint32_t c = crc32c(0, sb + BTRFS_CSUM_SIZE, BTRFS_SUPER_SIZE - BTRFS_CSUM_SIZE);
	memcpy(sb, &c, 4);
}

static struct btrfs_super_block *super_at(struct img *m, uint64_t off)
{
	CHECK(off + BTRFS_SUPER_SIZE <= m->mem->size);
	return (struct btrfs_super_block *)(m->mem->data + off);
}

/* Every copy of tree block @bytenr in the memory image. */
static unsigned block_copies(struct img *m, uint64_t bytenr, uint8_t **out)
{
	struct btrfs_fs *b = BTRFS(m->fs);
	unsigned n = 0;
	for (unsigned copy = 0; copy < BTRFS_MAX_COPIES; copy++) {
		uint64_t phys, contig;
		if (btrfs_map_logical(b, bytenr, copy, &phys, &contig))
			break;
		out[n++] = m->mem->data + phys;
	}
	CHECK(n > 0);
	return n;
}

static void fix_block_csum(uint8_t *blk, uint32_t nodesize)
{
	uint32_t c = crc32c(0, blk + BTRFS_CSUM_SIZE, nodesize - BTRFS_CSUM_SIZE);
	memcpy(blk, &c, 4);
}

static void mount_mem(struct img *m, const char *name)
{
	load_mem_img(m, name);
	CHECK_EQ_INT(mount_vol(m), 0);
}

TEST(no_magic_is_not_btrfs)
{
	struct img m;
	mount_mem(&m, "default.img");
	super_at(&m, BTRFS_SUPER_OFFSET)->magic ^= 1;
	super_at(&m, 64 << 20)->magic ^= 1;
	CHECK_EQ_INT(remount(&m), -ENODEV);
	close_img(&m);
}

TEST(primary_superblock_destroyed_mirror_used)
{
	struct img m;
	mount_mem(&m, "default.img");
	memset(super_at(&m, BTRFS_SUPER_OFFSET), 0, BTRFS_SUPER_SIZE);
	CHECK_EQ_INT(remount(&m), 0);
	CHECK_EQ_INT(BTRFS(m.fs)->super_copy, 1);
	check_contents(m.fs, "/hello.txt", "hello, btrfs\n");
	/* A bad checksum on the primary: the same. */
	close_img(&m);
	mount_mem(&m, "default.img");
	super_at(&m, BTRFS_SUPER_OFFSET)->generation++;
	CHECK_EQ_INT(remount(&m), 0);
	CHECK_EQ_INT(BTRFS(m.fs)->super_copy, 1);
	close_img(&m);
}

TEST(superblock_geometry_refused)
{
	static const struct {
		const char *what;
		uint32_t sectorsize, nodesize;
	} bad[] = {
		{ "zero node size", 4096, 0 },
		{ "node size not a power of two", 4096, 12288 },
		{ "node size below the sector size", 8192, 4096 },
		{ "node size 128 KiB", 4096, 128 << 10 },
		{ "zero sector size", 0, 16384 },
		{ "sector size 1 MiB", 1 << 20, 1 << 20 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct img m;
		mount_mem(&m, "default.img");
		struct btrfs_super_block *sb = super_at(&m, BTRFS_SUPER_OFFSET);
		sb->sectorsize = bad[i].sectorsize;
		sb->nodesize = bad[i].nodesize;
		fix_super_csum((uint8_t *)sb);
		int rc = remount(&m);
		if (rc != -EUCLEAN)
			FAIL("%s: mount gave %d", bad[i].what, rc);
		close_img(&m);
	}
}

TEST(chunk_past_device_end)
{
	struct img m;
	mount_mem(&m, "default.img");
	struct btrfs_super_block *sb = super_at(&m, BTRFS_SUPER_OFFSET);
	/* The first sys chunk's first stripe: key, chunk, then stripes. */
	struct btrfs_stripe st;
	size_t at = sizeof(struct btrfs_disk_key) + sizeof(struct btrfs_chunk);
	memcpy(&st, sb->sys_chunk_array + at, sizeof(st));
	st.offset = m.mem->size - 4096;
	memcpy(sb->sys_chunk_array + at, &st, sizeof(st));
	fix_super_csum((uint8_t *)sb);
	CHECK_EQ_INT(remount(&m), -EUCLEAN);
	close_img(&m);
}

TEST(tree_block_checksum)
{
	struct img m;
	uint8_t *copy[BTRFS_MAX_COPIES];
	/* DUP metadata: one bad copy is read around. */
	mount_mem(&m, "default.img");
	uint64_t root = BTRFS(m.fs)->root_tree.bytenr;
	unsigned n = block_copies(&m, root, copy);
	CHECK_EQ_INT(n, 2);
	copy[0][200] ^= 0x40;
	CHECK_EQ_INT(remount(&m), 0);
	check_contents(m.fs, "/hello.txt", "hello, btrfs\n");
	/* Both copies bad: the mount fails. */
	copy[1][200] ^= 0x40;
	CHECK_EQ_INT(remount(&m), -EUCLEAN);
	close_img(&m);
}

TEST(cyclic_tree_pointer)
{
	struct img m;
	uint8_t *copy[BTRFS_MAX_COPIES];
	mount_mem(&m, "default.img");
	struct btrfs_tree fs5;
	CHECK_EQ_INT(btrfs_subvol(BTRFS(m.fs), BTRFS_FS_TREE_OBJECTID, &fs5), 0);
	CHECK(fs5.level >= 1); /* 3000 names need more than a leaf */
	unsigned n = block_copies(&m, fs5.bytenr, copy);
	uint32_t nodesize = BTRFS(m.fs)->nodesize;
	for (unsigned i = 0; i < n; i++) {
		/* Every pointer of the root leads back to the root. */
		struct btrfs_header h;
		memcpy(&h, copy[i], sizeof(h));
		for (uint32_t s = 0; s < h.nritems; s++) {
			struct btrfs_key_ptr p;
			uint8_t *at = copy[i] + sizeof(h) + s * sizeof(p);
			memcpy(&p, at, sizeof(p));
			p.blockptr = fs5.bytenr;
			p.generation = h.generation;
			memcpy(at, &p, sizeof(p));
		}
		fix_block_csum(copy[i], nodesize);
	}
	CHECK_EQ_INT(remount(&m), 0);
	uint64_t ino;
	CHECK_EQ_INT(fs_resolve(m.fs, "/hello.txt", &ino), -EUCLEAN);
	close_img(&m);
}

/* The EXTENT_DATA item at file offset @off of @path, in every copy of its leaf. */
static unsigned extent_items(struct img *m, const char *path, uint64_t off,
			     struct btrfs_file_extent_item **items, uint8_t **leaves)
{
	struct btrfs_fs *b = BTRFS(m->fs);
	struct btrfs_inode n;
	CHECK_EQ_INT(btrfs_inode_load(b, resolve(m->fs, path), &n), 0);
	struct btrfs_key k = { n.objectid, BTRFS_EXTENT_DATA_KEY, off };
	struct btrfs_path p;
	CHECK_EQ_INT(btrfs_lookup(b, &n.tree, &k, &p), 0);
	unsigned copies = block_copies(m, p.at[0].bytenr, leaves);
	for (unsigned i = 0; i < copies; i++) {
		struct btrfs_item it;
		memcpy(&it, leaves[i] + sizeof(struct btrfs_header) + p.at[0].slot * sizeof(it),
		       sizeof(it));
		items[i] = (struct btrfs_file_extent_item *)(leaves[i] +
							      sizeof(struct btrfs_header) +
							      it.offset);
	}
	return copies;
}

static void inflates_past(const char *name)
{
	struct img m;
	struct btrfs_file_extent_item *fi[BTRFS_MAX_COPIES];
	uint8_t *leaf[BTRFS_MAX_COPIES];
	mount_mem(&m, name);
	unsigned n = extent_items(&m, "/big.bin", 0, fi, leaf);
	uint32_t nodesize = BTRFS(m.fs)->nodesize;
	CHECK(fi[0]->compression != BTRFS_COMPRESS_NONE);
	CHECK_EQ_U64(fi[0]->ram_bytes, 128 << 10);
	for (unsigned i = 0; i < n; i++) {
		/* 128 KiB of data declared as 4 KiB. */
		fi[i]->ram_bytes = 4096;
		fi[i]->num_bytes = 4096;
		fix_block_csum(leaf[i], nodesize);
	}
	CHECK_EQ_INT(remount(&m), 0);
	uint64_t ino = resolve(m.fs, "/big.bin");
	char buf[100];
	CHECK_EQ_INT(m.fs->ops->read(m.fs, ino, 0, buf, sizeof(buf)), -EUCLEAN);
	/* Past the damaged extent, the file still reads. */
	CHECK_EQ_INT(m.fs->ops->read(m.fs, ino, 1 << 20, buf, sizeof(buf)), sizeof(buf));
	close_img(&m);
}

TEST(zstd_extent_inflates_past_its_size)
{
	inflates_past("zstd.img");
}

TEST(lzo_extent_inflates_past_its_size)
{
	inflates_past("lzo.img");
}

TEST(zlib_extent_inflates_past_its_size)
{
	inflates_past("zlib.img");
}

TEST(extent_outside_every_chunk)
{
	struct img m;
	struct btrfs_file_extent_item *fi[BTRFS_MAX_COPIES];
	uint8_t *leaf[BTRFS_MAX_COPIES];
	mount_mem(&m, "default.img");
	unsigned n = extent_items(&m, "/big.bin", 0, fi, leaf);
	uint32_t nodesize = BTRFS(m.fs)->nodesize;
	CHECK_EQ_INT(fi[0]->type, BTRFS_FILE_EXTENT_REG);
	for (unsigned i = 0; i < n; i++) {
		fi[i]->disk_bytenr = 1ull << 60;
		fix_block_csum(leaf[i], nodesize);
	}
	CHECK_EQ_INT(remount(&m), 0);
	char buf[100];
	CHECK_EQ_INT(m.fs->ops->read(m.fs, resolve(m.fs, "/big.bin"), 0, buf, sizeof(buf)),
		     -EUCLEAN);
	/* An extent whose data runs past its own end. */
	for (unsigned i = 0; i < n; i++) {
		fi[i]->disk_bytenr = 1 << 20;
		fi[i]->offset = fi[i]->disk_num_bytes;
		fix_block_csum(leaf[i], nodesize);
	}
	CHECK_EQ_INT(remount(&m), 0);
	CHECK_EQ_INT(m.fs->ops->read(m.fs, resolve(m.fs, "/big.bin"), 0, buf, sizeof(buf)),
		     -EUCLEAN);
	close_img(&m);
}

TEST(not_btrfs)
{
	struct img m;
	mount_mem(&m, "default.img");
	memset(m.mem->data, 0, m.mem->size);
	CHECK_EQ_INT(remount(&m), -ENODEV);
	close_img(&m);
}

int main(void)
{
	RUN(default_mkfs_every_file_matches);
	RUN(dup_data_every_file_matches);
	RUN(zstd_every_file_matches);
	RUN(lzo_every_file_matches);
	RUN(zlib_every_file_matches);
	RUN(sha256_checksums_every_file_matches);
	RUN(subvolumes_default_top_level_and_snapshot);
	RUN(names_and_stat);
	RUN(no_magic_is_not_btrfs);
	RUN(primary_superblock_destroyed_mirror_used);
	RUN(superblock_geometry_refused);
	RUN(chunk_past_device_end);
	RUN(tree_block_checksum);
	RUN(cyclic_tree_pointer);
	RUN(zstd_extent_inflates_past_its_size);
	RUN(lzo_extent_inflates_past_its_size);
	RUN(zlib_extent_inflates_past_its_size);
	RUN(extent_outside_every_chunk);
	RUN(not_btrfs);
	return test_summary();
}
