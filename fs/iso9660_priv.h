/* SPDX-License-Identifier: MIT */
/*
 * Internals of the read-only ISO 9660 driver, shared by its files:
 *   iso9660.c      volume descriptors, mount, the fs_ops table
 *   iso9660_dir.c  directory records, names, nodes (files and their extents)
 *   iso9660_rr.c   SUSP areas and the Rock Ridge entries read from them
 * Nothing here is used outside fs/iso9660*.c.
 */
#ifndef PVHBOOT_FS_ISO9660_PRIV_H
#define PVHBOOT_FS_ISO9660_PRIV_H

#include "../core/errno.h"
#include "../include/abi/iso9660.h"
#include "fs.h"

/* Volume descriptors looked at before giving up on a terminator. */
#define ISO_VD_MAX 64
/* [SUSP] continuation areas followed for one record: more is a loop. */
#define ISO_CE_MAX 32
/*
 * The largest directory read. ECMA-119 sets no limit, but a record takes
 * at least 34 bytes and with Rock Ridge usually 100 to 250, so 32 MiB is a
 * directory of 130,000 entries or more. A record claiming 4 GiB (almost
 * two million blocks to read for every lookup in it) is refused instead.
 */
#define ISO_DIR_MAX_BYTES (32u << 20)
/* Extents of one file: 1024 of almost 4 GiB each is plenty for a boot file. */
#define ISO_MAX_EXTENTS 1024
/* A name as UTF-8: at most 222 identifier bytes, none of which becomes
 * more than 3 bytes (a plain byte above 0x7f turns into U+FFFD; 2 bytes of
 * UCS-2 into at most 3; a surrogate pair's 4 into 4). */
#define ISO_NAME_BUF (ISO_DIRENT_MAX * 3 + 1)

enum iso_naming {
	NAMES_PLAIN,
	NAMES_JOLIET,
	NAMES_ROCK_RIDGE,
};

struct iso_extent {
	uint64_t start; /* bytes from the start of the volume */
	uint64_t len;
};

/* What stat() and read() need, parsed from a file's record(s). */
struct iso_node {
	enum fs_type type;
	uint32_t mode;
	uint64_t size;
	int read_error;            /* 0, or why the data cannot be read */
	unsigned nr_extents;
	struct iso_extent first;   /* the only one, or the first */
	struct iso_extent *all;    /* nr_extents > 1: every extent in file order */
};

struct iso_fs {
	struct fs fs;              /* first: fs.c only knows this part */
	uint64_t limit;            /* bytes both the PVD and the device have */
	uint64_t root_ino;         /* the root directory's "." record */
	enum iso_naming naming;
	uint8_t susp_skip;         /* [SUSP] LEN_SKP */
	char label[33];
	char uuid[24];
	/* The last node parsed: read() is called many times per file. */
	bool node_valid;
	uint64_t node_ino;
	struct iso_node node;
};

/* Rock Ridge facts about one record. */
struct rr_info {
	bool has_px;
	uint32_t mode;
	bool symlink;
	bool relocated;            /* RE: hidden, it is reached through its CL */
	bool compressed;           /* ZF: zisofs, which this driver cannot inflate */
	bool has_cl, has_pl;
	uint32_t cl_block, pl_block;
	size_t nm_len;
	char nm[FS_NAME_MAX + 1];
};

static inline struct iso_fs *iso_of(struct fs *fs)
{
	return (struct iso_fs *)fs;
}

/* Log what is wrong with the volume, and return -EUCLEAN. */
#define corrupt(f, ...) fs_corrupt((f)->fs.vol, "iso9660", __VA_ARGS__)

static inline const struct iso_dirent *dirent_of(const uint8_t *rec)
{
	return (const struct iso_dirent *)rec;
}

typedef int (*record_fn)(void *ctx, const uint8_t *rec, uint64_t off);
typedef int (*susp_fn)(void *ctx, const uint8_t *e, size_t len);

/* ---- iso9660_dir.c ---- */

int iso_load_record(struct iso_fs *f, uint64_t off, uint8_t *rec);
int iso_record_extent(const struct iso_fs *f, const uint8_t *rec, uint64_t off,
		      struct iso_extent *e);
bool iso_is_dot(const uint8_t *rec);
bool iso_is_dotdot(const uint8_t *rec);
int iso_dir_iterate(struct iso_fs *f, const struct iso_extent *dir, record_fn fn, void *ctx);
size_t iso_record_name(const struct iso_fs *f, const uint8_t *rec, const struct rr_info *in,
		       char *out);
enum fs_type iso_record_type(const struct iso_fs *f, const uint8_t *rec,
			     const struct rr_info *in);
void iso_node_release(struct iso_node *node);
uint64_t iso_dir_ino_of(const uint8_t *rec, const struct rr_info *in);
int iso_get_node(struct iso_fs *f, uint64_t ino, const struct iso_node **out);
int iso_dir_extent(struct iso_fs *f, uint64_t ino, struct iso_extent *e);

/* ---- iso9660_rr.c ---- */

bool iso_sig_is(const uint8_t *e, const char *sig);
size_t iso_su_start(const uint8_t *rec);
int iso_susp_walk(struct iso_fs *f, const uint8_t *rec, size_t skip, susp_fn fn, void *ctx);
int iso_rr_read(struct iso_fs *f, const uint8_t *rec, struct rr_info *in, char *link,
		size_t link_cap, size_t *link_len);

#endif
