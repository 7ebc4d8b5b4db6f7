/* SPDX-License-Identifier: MIT */
/*
 * The ISO 9660 driver on images made by xorriso (tests/images/iso9660.sh
 * OUTDIR, OUTDIR from $PVHBOOT_TEST_IMAGES, default build/testimages; the
 * images are in OUTDIR/iso9660/): every file's bytes, mode and
 * symlink target against the source trees with Rock Ridge, Joliet and
 * plain names, Rock Ridge deep-directory relocation, a multi-extent file
 * of more than 4 GiB, the ids blkid reports; then small images built here
 * byte by byte, for multi-extent files split across blocks and for damage
 * (extents past the end, a zeroed record length, records crossing blocks,
 * continuation areas that loop), each of which must end in an error.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/errno.h"
#include "../../fs/fs.h"
#include "../../fs/hostfile.h"
#include "../../include/abi/iso9660.h"
#include "fs_tree.h"
#include "test.h"

extern const struct fs_ops iso9660_ops;

/* Where tests/images/iso9660.sh OUTDIR put @name: OUTDIR/iso9660/NAME. */
static void image_path(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/iso9660/%s", images_dir(), name);
}

/* ---- devices: an image file, or bytes built here ---- */

struct memdisk {
	struct blockdev dev;
	uint8_t *data;
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
		free(m->mem);
	} else if (m->dev) {
		hostfile_close(m->dev);
	}
	memset(m, 0, sizeof(*m));
}

static int mount_vol(struct img *m)
{
	int rc = iso9660_ops.mount(&m->vol, &m->fs);
	if (rc)
		return rc;
	m->fs->ops = &iso9660_ops;
	m->fs->vol = &m->vol;
	return 0;
}

static void open_file_img(struct img *m, const char *name, uint32_t sector_size)
{
	char path[512];
	memset(m, 0, sizeof(*m));
	image_path(path, sizeof(path), name);
	int rc = hostfile_open(path, sector_size, &m->dev);
	if (rc)
		FAIL("cannot open %.300s (%d): run tests/images/iso9660.sh %s first", path, rc,
		     images_dir());
	volume_of_disk(m->dev, &m->vol);
}

static void mount_img(struct img *m, const char *name)
{
	open_file_img(m, name, 512);
	CHECK_EQ_INT(mount_vol(m), 0);
}

/* A volume over @data (not owned), @blocks of 2048 bytes, on 512-byte sectors. */
static void open_mem(struct img *m, uint8_t *data, uint32_t blocks)
{
	memset(m, 0, sizeof(*m));
	m->mem = calloc(1, sizeof(*m->mem));
	m->mem->data = data;
	m->mem->dev.sector_size = 512;
	m->mem->dev.nr_sectors = (uint64_t)blocks * 4;
	m->mem->dev.read = mem_read;
	m->mem->dev.priv = m->mem;
	snprintf(m->mem->dev.name, sizeof(m->mem->dev.name), "mem");
	m->dev = &m->mem->dev;
	volume_of_disk(m->dev, &m->vol);
}

/* ---- the tree on the image against the tree it was made from ---- */

static void whole_image(const char *image, const char *tree_name, const struct tree_opts *o)
{
	char tree[512];
	struct img m;
	uint64_t root;
	mount_img(&m, image);
	image_path(tree, sizeof(tree), tree_name);
	CHECK_EQ_INT(m.fs->ops->root(m.fs, &root), 0);
	CHECK(compare_tree(m.fs, root, tree, o, o->extra) > 40);
	check_ids(m.fs, "iso9660", image);
	close_img(&m);
}

static int count_entries(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type t)
{
	++*(int *)ctx;
	return 0;
}

static uint64_t resolve(struct fs *fs, const char *path)
{
	uint64_t ino;
	int rc = fs_resolve(fs, path, &ino);
	if (rc)
		FAIL("resolve %.300s: %d", path, rc);
	return ino;
}

static void check_content(struct fs *fs, const char *path, const char *want)
{
	void *data;
	size_t size;
	int rc = fs_read_file(fs, path, 1 << 20, &data, &size);
	if (rc)
		FAIL("read %.300s: %d", path, rc);
	if (size != strlen(want) || memcmp(data, want, size))
		FAIL("%.300s: \"%.*s\", want \"%s\"", path, (int)size, (char *)data, want);
	free(data);
}

TEST(rock_ridge_every_file_mode_and_link)
{
	struct tree_opts o = { true, NULL };
	whole_image("rr.iso", "iso-tree", &o);
}

TEST(rock_ridge_relocated_directories)
{
	struct tree_opts o = { true, "rr_moved" };
	whole_image("reloc.iso", "iso-tree", &o);
	/* CL and PL make the relocation invisible, ".." included. */
	struct img m;
	mount_img(&m, "reloc.iso");
	CHECK_EQ_U64(resolve(m.fs, "/deep/a/b/c/d/e/f/g/h/i/j/.."),
		     resolve(m.fs, "/deep/a/b/c/d/e/f/g/h/i"));
	CHECK_EQ_U64(resolve(m.fs, "/deep/a/b/c/d/e/f/g/h/i/j/k/l/../../../../../../../../../../../.."),
		     resolve(m.fs, "/deep"));
	check_content(m.fs, "/deep/a/b/c/d/e/f/g/h/i/j/k/l/deep.txt", "the bottom of a deep tree\n");
	close_img(&m);
}

TEST(joliet_every_file)
{
	struct tree_opts o = { false, NULL };
	whole_image("joliet.iso", "joliet-tree", &o);
}

TEST(plain_every_file)
{
	struct tree_opts o = { false, NULL };
	whole_image("plain.iso", "plain-tree", &o);
}

TEST(symlinks_are_followed)
{
	struct img m;
	uint64_t ino;
	mount_img(&m, "rr.iso");
	check_content(m.fs, "/links/chain1", "hello, ISO\n");
	check_content(m.fs, "/links/absolute", "the bottom of a deep tree\n");
	check_content(m.fs, "/links/dir/c/d/e/f/g/h/i/j/k/l/deep.txt", "the bottom of a deep tree\n");
	CHECK_EQ_U64(resolve(m.fs, "/links/to-big"), resolve(m.fs, "/big.bin"));
	CHECK_EQ_INT(fs_resolve(m.fs, "/links/dangling", &ino), -ENOENT);
	CHECK_EQ_INT(m.fs->ops->readlink(m.fs, resolve(m.fs, "/big.bin"), (char[8]){ 0 }, 8),
		     -EINVAL);
	/* A target longer than the buffer is refused, not cut. */
	uint64_t dir = resolve(m.fs, "/links");
	CHECK_EQ_INT(m.fs->ops->lookup(m.fs, dir, "long-target", 11, &ino), 0);
	char small[64];
	CHECK_EQ_INT(m.fs->ops->readlink(m.fs, ino, small, sizeof(small)), -ENAMETOOLONG);
	close_img(&m);
}

TEST(names_by_kind)
{
	struct img m;
	uint64_t ino;
	/* Plain ISO names: shown lower case, found in any case. */
	mount_img(&m, "plain.iso");
	CHECK_EQ_U64(resolve(m.fs, "/BOOT/VMLINUZ"), resolve(m.fs, "/boot/vmlinuz"));
	CHECK_EQ_U64(resolve(m.fs, "/Boot/Grub/../Initrd.IMG"), resolve(m.fs, "/boot/initrd.img"));
	CHECK_EQ_INT(fs_resolve(m.fs, "/boot/vmlinuz;1", &ino), -ENOENT);
	close_img(&m);
	/* Joliet and Rock Ridge names are exact. */
	mount_img(&m, "joliet.iso");
	check_content(m.fs, "/Ωμέγα.txt", "greek\n");
	CHECK_EQ_INT(fs_resolve(m.fs, "/HELLO.TXT", &ino), -ENOENT);
	close_img(&m);
	mount_img(&m, "rr.iso");
	check_content(m.fs, "/rocket 🚀 launch.txt", "astral\n");
	CHECK_EQ_INT(fs_resolve(m.fs, "/Hello.txt", &ino), -ENOENT);
	CHECK_EQ_U64(resolve(m.fs, "/deep/a/b/c/.."), resolve(m.fs, "/deep/a/b"));
	CHECK_EQ_U64(resolve(m.fs, "/.."), resolve(m.fs, "/"));
	close_img(&m);
}

/* The same image on a device with 2048-byte sectors. */
TEST(cd_sized_sectors)
{
	struct img m;
	char tree[512];
	uint8_t *want;
	size_t size;
	void *data;
	size_t got;
	open_file_img(&m, "rr.iso", 2048);
	CHECK_EQ_INT(mount_vol(&m), 0);
	image_path(tree, sizeof(tree), "iso-tree/big.bin");
	read_host_file(tree, &want, &size);
	CHECK_EQ_INT(fs_read_file(m.fs, "/big.bin", 1 << 30, &data, &got), 0);
	CHECK(got == size && !memcmp(data, want, size));
	free(data);
	free(want);
	close_img(&m);
}

/* Records with the multi-extent flag make one file of more than 4 GiB. */
TEST(multi_extent_file_over_4_gib)
{
	struct img m;
	struct fs_stat st;
	char buf[32] = { 0 };
	int n = 0;
	const uint64_t size = (4ull << 30) + 6144, edge = 0xfffff800u;
	if (getenv("PVHBOOT_NO_HUGE_ISO"))
		return;
	mount_img(&m, "huge.iso");
	uint64_t ino = resolve(m.fs, "/huge.bin");
	CHECK_EQ_INT(m.fs->ops->stat(m.fs, ino, &st), 0);
	CHECK_EQ_U64(st.size, size);
	CHECK_EQ_INT(m.fs->ops->read(m.fs, ino, 0, buf, 4), 4);
	CHECK(!memcmp(buf, "HEAD", 4));
	CHECK_EQ_INT(m.fs->ops->read(m.fs, ino, edge - 8, buf, 15), 15);
	CHECK(!memcmp(buf, "BEFORE-1AFTER-1", 15));
	CHECK_EQ_INT(m.fs->ops->read(m.fs, ino, size - 4, buf, sizeof(buf)), 4);
	CHECK(!memcmp(buf, "TAIL", 4));
	CHECK_EQ_INT(m.fs->ops->read(m.fs, ino, size, buf, sizeof(buf)), 0);
	/* listed once, beside small.txt */
	CHECK_EQ_INT(m.fs->ops->readdir(m.fs, resolve(m.fs, "/"), count_entries, &n), 0);
	CHECK_EQ_INT(n, 2);
	check_ids(m.fs, "iso9660", "huge.iso");
	close_img(&m);
}

/* ---- images built byte by byte ---- */

#define BLK ISO_BLOCK_SIZE

static void both32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
		p[7 - i] = (uint8_t)(v >> (8 * i));
	}
}

static void both16(uint8_t *p, uint16_t v)
{
	p[0] = p[3] = (uint8_t)v;
	p[1] = p[2] = (uint8_t)(v >> 8);
}

/* Write a directory record at @p; returns its length. */
static size_t put_record(uint8_t *p, uint32_t extent, uint32_t size, uint8_t flags,
			 const char *name, size_t nl, const void *su, size_t sul)
{
	size_t len = 33 + nl + (nl % 2 == 0) + sul;
	CHECK(len <= 255);
	memset(p, 0, len);
	p[0] = (uint8_t)len;
	both32(p + 2, extent);
	both32(p + 10, size);
	p[25] = flags;
	both16(p + 28, 1);
	p[32] = (uint8_t)nl;
	memcpy(p + 33, name, nl);
	if (sul)
		memcpy(p + 33 + nl + (nl % 2 == 0), su, sul);
	return len;
}

/*
 * An image of @blocks blocks: PVD at 16, terminator at 17, a root of
 * @root_blocks blocks at 18 holding "." (with @dot_su) and "..".
 */
struct craft {
	uint8_t *p;
	uint32_t blocks;
	size_t pos; /* byte offset where the next root record goes */
};

static struct craft craft_new(uint32_t blocks, uint32_t root_blocks, const void *dot_su,
			      size_t dot_sul)
{
	struct craft c = { calloc(blocks, BLK), blocks, 0 };
	uint8_t *pvd = c.p + 16 * BLK;
	pvd[0] = ISO_VD_PRIMARY;
	memcpy(pvd + 1, "CD001", 5);
	pvd[6] = 1;
	memset(pvd + 8, ' ', 64);
	memcpy(pvd + 40, "CRAFTED", 7);
	both32(pvd + 80, blocks);
	both16(pvd + 120, 1);
	both16(pvd + 124, 1);
	both16(pvd + 128, BLK);
	put_record(pvd + 156, 18, root_blocks * BLK, ISO_FLAG_DIRECTORY, "\0", 1, NULL, 0);
	memcpy(pvd + 813, "2024013112345678", 16);
	memcpy(pvd + 830, "0000000000000000", 16);
	uint8_t *term = c.p + 17 * BLK;
	term[0] = ISO_VD_TERMINATOR;
	memcpy(term + 1, "CD001", 5);
	term[6] = 1;
	c.pos = 18 * BLK;
	c.pos += put_record(c.p + c.pos, 18, root_blocks * BLK, ISO_FLAG_DIRECTORY, "\0", 1, dot_su,
			    dot_sul);
	c.pos += put_record(c.p + c.pos, 18, root_blocks * BLK, ISO_FLAG_DIRECTORY, "\1", 1, NULL,
			    0);
	return c;
}

static size_t craft_add(struct craft *c, uint32_t extent, uint32_t size, uint8_t flags,
			const char *name, const void *su, size_t sul)
{
	size_t at = c->pos;
	c->pos += put_record(c->p + at, extent, size, flags, name, strlen(name), su, sul);
	return at;
}

static void craft_mount(struct img *m, struct craft *c)
{
	open_mem(m, c->p, c->blocks);
	CHECK_EQ_INT(mount_vol(m), 0);
}

static void craft_free(struct img *m, struct craft *c)
{
	close_img(m);
	free(c->p);
}

static int list_root(struct img *m)
{
	int n = 0;
	uint64_t root;
	CHECK_EQ_INT(m->fs->ops->root(m->fs, &root), 0);
	int rc = m->fs->ops->readdir(m->fs, root, count_entries, &n);
	return rc ? rc : n;
}

TEST(crafted_volume_mounts)
{
	struct craft c = craft_new(24, 1, NULL, 0);
	struct img m;
	char uuid[32], label[32];
	memset(c.p + 22 * BLK, 'x', 5);
	craft_add(&c, 22, 5, 0, "X.TXT;1", NULL, 0);
	craft_mount(&m, &c);
	CHECK_EQ_INT(list_root(&m), 1);
	check_content(m.fs, "/x.txt", "xxxxx");
	m.fs->ops->ids(m.fs, uuid, sizeof(uuid), label, sizeof(label));
	CHECK(!strcmp(uuid, "2024-01-31-12-34-56-78") && !strcmp(label, "CRAFTED"));
	close_img(&m);
	/* Like blkid, the modification date when there is one. */
	memcpy(c.p + 16 * BLK + 830, "2025123123595900", 16);
	craft_mount(&m, &c);
	m.fs->ops->ids(m.fs, uuid, sizeof(uuid), label, sizeof(label));
	CHECK(!strcmp(uuid, "2025-12-31-23-59-59-00"));
	craft_free(&m, &c);
}

/* Three extents; the first record ends one block, the others start the next. */
TEST(crafted_multi_extent_across_blocks)
{
	struct craft c = craft_new(40, 2, NULL, 0);
	struct img m;
	static const uint32_t ext_block[3] = { 30, 32, 35 }, ext_len[3] = { 2048, 4096, 100 };
	uint8_t want[6244];
	/* Fill the first root block so that 60 bytes remain: room for one 44-byte record. */
	for (int i = 0; c.pos < 18 * BLK + BLK - 60; i++) {
		char name[8];
		size_t room = 18 * BLK + BLK - 60 - c.pos, len = room > 255 ? 200 : room;
		static const uint8_t pad[255];
		snprintf(name, sizeof(name), "F%d.;1", i);
		size_t nl = strlen(name);
		craft_add(&c, 0, 0, 0, name, pad, len - 33 - nl - (nl % 2 == 0));
	}
	CHECK_EQ_U64(c.pos, 18 * BLK + BLK - 60);
	size_t off = 0;
	for (int i = 0; i < 3; i++) {
		for (uint32_t k = 0; k < ext_len[i]; k++, off++)
			c.p[ext_block[i] * BLK + k] = want[off] = (uint8_t)(off * 7 + 3);
		if (i == 1)
			c.pos = 19 * BLK; /* the zero padding to the next block */
		craft_add(&c, ext_block[i], ext_len[i], i < 2 ? ISO_FLAG_MULTI_EXTENT : 0,
			  "SPLIT.BIN;1", NULL, 0);
	}
	craft_mount(&m, &c);
	uint64_t ino = resolve(m.fs, "/split.bin");
	struct fs_stat st;
	CHECK_EQ_INT(m.fs->ops->stat(m.fs, ino, &st), 0);
	CHECK_EQ_U64(st.size, sizeof(want));
	uint8_t got[sizeof(want)];
	CHECK_EQ_INT(m.fs->ops->read(m.fs, ino, 0, got, sizeof(got)), sizeof(want));
	CHECK(!memcmp(got, want, sizeof(want)));
	/* Reads straddling each boundary, and the end. */
	static const size_t at[] = { 2040, 6136, 6230 };
	for (size_t i = 0; i < ARRAY_SIZE(at); i++) {
		size_t n = MIN(20, sizeof(want) - at[i]);
		memset(got, 0, 20);
		CHECK_EQ_INT(m.fs->ops->read(m.fs, ino, at[i], got, 20), n);
		CHECK(!memcmp(got, want + at[i], n));
	}
	/* Listed once, with the fillers. */
	int fillers = 0;
	for (size_t p = 18 * BLK + 68; p < 18 * BLK + BLK - 60; p += c.p[p])
		fillers++;
	CHECK_EQ_INT(list_root(&m), fillers + 1);
	craft_free(&m, &c);
}

TEST(crafted_multi_extent_without_its_end)
{
	struct craft c = craft_new(24, 1, NULL, 0);
	struct img m;
	uint64_t ino;
	craft_add(&c, 22, 2048, ISO_FLAG_MULTI_EXTENT, "CUT.BIN;1", NULL, 0);
	craft_mount(&m, &c);
	CHECK_EQ_INT(list_root(&m), -EUCLEAN);
	CHECK_EQ_INT(fs_resolve(m.fs, "/cut.bin", &ino), -EUCLEAN);
	CHECK_EQ_INT(m.fs->ops->lookup(m.fs, 18 * BLK, "cut.bin", 7, &ino), 0);
	struct fs_stat st;
	CHECK_EQ_INT(m.fs->ops->stat(m.fs, ino, &st), -EUCLEAN);
	craft_free(&m, &c);
}

TEST(crafted_extent_past_the_end)
{
	struct craft c = craft_new(24, 1, NULL, 0);
	struct img m;
	uint64_t ino;
	struct fs_stat st;
	char buf[8];
	craft_add(&c, 27, 100, 0, "FAR.BIN;1", NULL, 0);
	craft_add(&c, 23, 4096, 0, "LONG.BIN;1", NULL, 0);
	craft_add(&c, 22, 0xffffffffu, 0, "HUGE.BIN;1", NULL, 0);
	craft_mount(&m, &c);
	CHECK_EQ_INT(list_root(&m), 3); /* listing is fine; using them is not */
	const char *names[] = { "far.bin", "long.bin", "huge.bin" };
	for (int i = 0; i < 3; i++) {
		CHECK_EQ_INT(m.fs->ops->lookup(m.fs, 18 * BLK, names[i], strlen(names[i]), &ino), 0);
		CHECK_EQ_INT(m.fs->ops->stat(m.fs, ino, &st), -EUCLEAN);
		CHECK_EQ_INT(m.fs->ops->read(m.fs, ino, 0, buf, sizeof(buf)), -EUCLEAN);
	}
	craft_free(&m, &c);
	/* The root itself past the end: refused at mount. */
	c = craft_new(24, 1, NULL, 0);
	both32(c.p + 16 * BLK + 156 + 2, 30);
	open_mem(&m, c.p, c.blocks);
	CHECK_EQ_INT(mount_vol(&m), -EUCLEAN);
	craft_free(&m, &c);
}

/* A record whose length byte was zeroed, with records after it in the block. */
TEST(crafted_zero_record_length_mid_block)
{
	struct craft c = craft_new(24, 1, NULL, 0);
	struct img m;
	uint64_t ino;
	size_t a = craft_add(&c, 22, 1, 0, "A.TXT;1", NULL, 0);
	craft_add(&c, 22, 1, 0, "B.TXT;1", NULL, 0);
	craft_mount(&m, &c);
	CHECK_EQ_INT(list_root(&m), 2);
	close_img(&m);
	c.p[a] = 0;
	craft_mount(&m, &c);
	CHECK_EQ_INT(list_root(&m), -EUCLEAN);
	CHECK_EQ_INT(fs_resolve(m.fs, "/b.txt", &ino), -EUCLEAN);
	craft_free(&m, &c);
}

/* One field of one record at a time. */
TEST(crafted_malformed_records)
{
	static const struct {
		unsigned field;
		uint8_t value;
		const char *what;
	} cases[] = {
		{ 0, 20, "record shorter than 34 bytes" },
		{ 32, 200, "name longer than its record" },
		{ 32, 0, "empty name" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct craft c = craft_new(24, 1, NULL, 0);
		struct img m;
		size_t a = craft_add(&c, 22, 1, 0, "A.TXT;1", NULL, 0);
		c.p[a + cases[i].field] = cases[i].value;
		craft_mount(&m, &c);
		int rc = list_root(&m);
		if (rc != -EUCLEAN)
			FAIL("%s: readdir gave %d", cases[i].what, rc);
		craft_free(&m, &c);
	}
	/* The last record of a block claiming more than the block has left. */
	struct craft c = craft_new(24, 1, NULL, 0);
	struct img m;
	while (c.pos < 18 * BLK + BLK - 100)
		craft_add(&c, 22, 1, 0, "FILLER.TXT;1", NULL, 0);
	size_t last = craft_add(&c, 22, 1, 0, "LAST.TXT;1", NULL, 0);
	c.p[last] = (uint8_t)(18 * BLK + BLK - last + 1);
	craft_mount(&m, &c);
	CHECK_EQ_INT(list_root(&m), -EUCLEAN);
	craft_free(&m, &c);
}

/* Rock Ridge on a crafted image: SP and ER in the root's ".". */
static size_t rr_dot_su(uint8_t *su)
{
	static const uint8_t sp[7] = { 'S', 'P', 7, 1, 0xbe, 0xef, 0 };
	size_t n = 0;
	memcpy(su, sp, sizeof(sp));
	n += sizeof(sp);
	const char *id = "RRIP_1991A";
	uint8_t *er = su + n;
	memset(er, 0, 8);
	er[0] = 'E', er[1] = 'R', er[2] = (uint8_t)(8 + strlen(id)), er[3] = 1;
	er[4] = (uint8_t)strlen(id), er[7] = 1;
	memcpy(er + 8, id, strlen(id));
	return n + er[2];
}

static size_t put_ce(uint8_t *p, uint32_t block, uint32_t offset, uint32_t length)
{
	memset(p, 0, 28);
	p[0] = 'C', p[1] = 'E', p[2] = 28, p[3] = 1;
	both32(p + 4, block);
	both32(p + 12, offset);
	both32(p + 20, length);
	return 28;
}

static size_t put_nm(uint8_t *p, const char *name, uint8_t flags)
{
	size_t n = strlen(name);
	p[0] = 'N', p[1] = 'M', p[2] = (uint8_t)(5 + n), p[3] = 1, p[4] = flags;
	memcpy(p + 5, name, n);
	return 5 + n;
}

/* NM split over a record and two continuation areas. */
TEST(crafted_rock_ridge_name_in_continuations)
{
	uint8_t dot[64], su[64];
	struct craft c = craft_new(26, 1, dot, rr_dot_su(dot));
	struct img m;
	size_t n = put_nm(su, "long ", RRIP_NM_CONTINUE);
	n += put_ce(su + n, 22, 100, 7 + 28);
	craft_add(&c, 24, 3, 0, "LONG.TXT;1", su, n);
	memcpy(c.p + 24 * BLK, "abc", 3);
	uint8_t *area1 = c.p + 22 * BLK + 100;
	size_t n1 = put_nm(area1, "na", RRIP_NM_CONTINUE);
	put_ce(area1 + n1, 23, 8, 7);
	put_nm(c.p + 23 * BLK + 8, "me", 0);
	craft_mount(&m, &c);
	check_content(m.fs, "/long name", "abc");
	uint64_t ino;
	CHECK_EQ_INT(fs_resolve(m.fs, "/long.txt", &ino), -ENOENT);
	craft_free(&m, &c);
}

/* A continuation area that continues in itself; one that is out of bounds. */
TEST(crafted_rock_ridge_continuation_loop)
{
	static const struct {
		uint32_t block, offset, length;
	} ce[] = { { 22, 0, 28 }, { 99, 0, 28 }, { 22, 2040, 28 } };
	for (size_t i = 0; i < ARRAY_SIZE(ce); i++) {
		uint8_t dot[64], su[64];
		struct craft c = craft_new(26, 1, dot, rr_dot_su(dot));
		struct img m;
		uint64_t ino;
		size_t n = put_nm(su, "x", 0);
		n += put_ce(su + n, ce[i].block, ce[i].offset, ce[i].length);
		craft_add(&c, 24, 3, 0, "X.TXT;1", su, n);
		put_ce(c.p + 22 * BLK, 22, 0, 28); /* the area points at itself */
		craft_mount(&m, &c);
		CHECK_EQ_INT(list_root(&m), -EUCLEAN);
		CHECK_EQ_INT(fs_resolve(m.fs, "/x", &ino), -EUCLEAN);
		craft_free(&m, &c);
	}
}

/*
 * A device of @c's blocks followed by zeros up to @total blocks, counting
 * the bytes read: a crafted volume can claim gigabytes it does not hold.
 */
static uint64_t sparse_bytes_read;

static int sparse_read(struct blockdev *d, uint64_t lba, uint64_t count, void *buf)
{
	struct memdisk *m = d->priv;
	uint64_t held = *(uint32_t *)(m + 1) * 4ull; /* sectors backed by data */
	if (lba > d->nr_sectors || count > d->nr_sectors - lba)
		return -EINVAL;
	sparse_bytes_read += count * 512;
	memset(buf, 0, count * 512);
	if (lba < held)
		memcpy(buf, m->data + lba * 512, MIN(count, held - lba) * 512);
	return 0;
}

/*
 * The root claims 4 GiB - 2 KiB of records (almost two million blocks,
 * all zero after the first): a listing or lookup must end with an error
 * before it has read more than a directory can plausibly hold.
 */
TEST(crafted_huge_directory_is_refused)
{
	const uint32_t root_len = 0xfffff800u, blocks = 18 + root_len / BLK + 8;
	struct craft c = craft_new(24, 1, NULL, 0);
	struct img m;
	uint64_t ino;
	both32(c.p + 16 * BLK + 80, blocks);            /* volume space size */
	both32(c.p + 16 * BLK + 156 + 10, root_len);    /* the PVD's root record */
	both32(c.p + 18 * BLK + 10, root_len);          /* "." */
	both32(c.p + 18 * BLK + 34 + 10, root_len);     /* ".." */
	memset(&m, 0, sizeof(m));
	m.mem = calloc(1, sizeof(*m.mem) + sizeof(uint32_t));
	*(uint32_t *)(m.mem + 1) = c.blocks;
	m.mem->data = c.p;
	m.mem->dev.sector_size = 512;
	m.mem->dev.nr_sectors = (uint64_t)blocks * 4;
	m.mem->dev.read = sparse_read;
	m.mem->dev.priv = m.mem;
	snprintf(m.mem->dev.name, sizeof(m.mem->dev.name), "sparse");
	m.dev = &m.mem->dev;
	volume_of_disk(m.dev, &m.vol);
	CHECK_EQ_INT(mount_vol(&m), 0);
	sparse_bytes_read = 0;
	int listed = list_root(&m), found = fs_resolve(m.fs, "/x", &ino);
	uint64_t bytes = sparse_bytes_read;
	craft_free(&m, &c);
	if (bytes > (64u << 20))
		FAIL("read %" PRIu64 " bytes of a crafted directory (budget 64 MiB)", bytes);
	CHECK_EQ_INT(listed, -EUCLEAN);
	CHECK_EQ_INT(found, -EUCLEAN);
}

/* Not ISO 9660, or not one this driver reads. */
TEST(foreign_volumes)
{
	struct img m;
	struct craft c = craft_new(24, 1, NULL, 0);
	open_mem(&m, c.p, c.blocks);
	m.vol.size = 16 * BLK + 100;
	CHECK_EQ_INT(mount_vol(&m), -ENODEV);
	close_img(&m);
	c.p[16 * BLK + 1] = 'X'; /* "XD001" */
	open_mem(&m, c.p, c.blocks);
	CHECK_EQ_INT(mount_vol(&m), -ENODEV);
	close_img(&m);
	c.p[16 * BLK + 1] = 'C';
	both16(c.p + 16 * BLK + 128, 512);
	open_mem(&m, c.p, c.blocks);
	CHECK_EQ_INT(mount_vol(&m), -EOPNOTSUPP);
	close_img(&m);
	c.p[16 * BLK] = ISO_VD_SUPPLEMENTARY; /* no primary descriptor */
	open_mem(&m, c.p, c.blocks);
	CHECK_EQ_INT(mount_vol(&m), -EUCLEAN);
	craft_free(&m, &c);
}

int main(void)
{
	RUN(rock_ridge_every_file_mode_and_link);
	RUN(rock_ridge_relocated_directories);
	RUN(joliet_every_file);
	RUN(plain_every_file);
	RUN(symlinks_are_followed);
	RUN(names_by_kind);
	RUN(cd_sized_sectors);
	RUN(multi_extent_file_over_4_gib);
	RUN(crafted_volume_mounts);
	RUN(crafted_multi_extent_across_blocks);
	RUN(crafted_multi_extent_without_its_end);
	RUN(crafted_extent_past_the_end);
	RUN(crafted_zero_record_length_mid_block);
	RUN(crafted_malformed_records);
	RUN(crafted_rock_ridge_name_in_continuations);
	RUN(crafted_rock_ridge_continuation_loop);
	RUN(crafted_huge_directory_is_refused);
	RUN(foreign_volumes);
	return test_summary();
}
