/* SPDX-License-Identifier: MIT */
/*
 * grubenv rewritten in place, as GRUB's save_env does it
 * (grub-core/commands/loadenv.c writes the file's own sectors through
 * the disk, never through a filesystem write): the same 1024 bytes into
 * the blocks the file already has, each one read back and compared.
 */
#include "../config/grubenv.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "bootcount.h"
#include "envwrite.h"

/* Read the grubenv @path names and where its bytes are on the volume. */
static int locate(struct mounted *def, const char *path, struct mounted **vol, char *block,
		  struct fs_extent *ext, unsigned *count)
{
	const char *p;
	uint64_t ino;
	struct fs_stat st;
	int rc = path_resolve(path, def, vol, &p);
	if (!rc)
		rc = fs_resolve((*vol)->fs, p, &ino);
	if (rc)
		return log_err(rc, "grubenv %s: not found", path);
	struct fs *fs = (*vol)->fs;
	if ((rc = fs->ops->stat(fs, ino, &st)) != 0)
		return log_err(rc, "grubenv %s: cannot stat it", path);
	if (st.type != FS_REG || st.size != GRUBENV_SIZE)
		return log_err(-EINVAL, "grubenv %s: %lu bytes, not a %u-byte environment block; "
			       "not rewritten", path, (unsigned long)st.size, GRUBENV_SIZE);
	long got = fs->ops->read(fs, ino, 0, block, GRUBENV_SIZE);
	if (got < 0)
		return log_err((int)got, "grubenv %s: cannot read it", path);
	if (!grubenv_valid(block, (size_t)got))
		return log_err(-EINVAL, "grubenv %s: no '# GRUB Environment Block' header; not "
			       "rewritten", path);
	if (!fs->ops->map) {
		/* A filesystem pvhboot never writes, as GRUB does not: expected, not an error. */
		log_warn("grubenv %s: %s is never written in place; not rewritten", path,
			 fs->ops->name);
		return -EOPNOTSUPP;
	}
	return fs->ops->map(fs, ino, 0, GRUBENV_SIZE, ext, count);
}

/*
 * The new block goes to the file's blocks, whole sectors at a time: the
 * bytes of the sectors outside the file (a block larger than 1024 bytes)
 * are read and written back as they are, so they come back unchanged.
 */
static int write_piece(struct volume *v, const struct fs_extent *x, const char *block)
{
	uint32_t ss = v->dev->sector_size;
	uint64_t start = ALIGN_DOWN(x->vol_off, ss);
	uint64_t end = ALIGN_UP(x->vol_off + x->len, (uint64_t)ss);
	if (end - start > 64 * 1024)
		return -EINVAL;
	uint8_t *buf = malloc((size_t)(end - start));
	if (!buf)
		return -ENOMEM;
	int rc = volume_read(v, start, buf, (size_t)(end - start));
	if (!rc) {
		memcpy(buf + (x->vol_off - start), block + x->file_off, (size_t)x->len);
		rc = volume_write_verified(v, start, buf, (size_t)(end - start));
	}
	free(buf);
	return rc;
}

int grubenv_rewrite(struct mounted *def, const char *path, const char *const *keys,
		    const char *const *values, unsigned n)
{
	char block[GRUBENV_SIZE], old[GRUBENV_SIZE];
	struct fs_extent ext[FS_MAP_MAX];
	unsigned count = 0;
	struct mounted *vol;
	int rc;

	if (!blockdev_writes_allowed())
		return log_err(-EROFS, "grubenv %s: not rewritten: writes are off", path);
	if ((rc = locate(def, path, &vol, block, ext, &count)) != 0)
		return rc;
	memcpy(old, block, sizeof(old));
	for (unsigned i = 0; i < n; i++)
		if ((rc = grubenv_edit(block, keys[i], values[i])) != 0)
			return log_err(rc, "grubenv %s: cannot set %s", path, keys[i]);
	if (!memcmp(old, block, sizeof(block)))
		return 0;
	if (vol->vol.dev->read_only)
		return log_err(-EROFS, "grubenv %s: %s is read-only; not rewritten", path,
			       vol->vol.dev->name);
	uint64_t covered = 0;
	for (unsigned i = 0; i < count; i++)
		covered += ext[i].len;
	if (covered != GRUBENV_SIZE)
		return log_err(-EOPNOTSUPP, "grubenv %s: mapped %lu of %u bytes; not rewritten",
			       path, (unsigned long)covered, GRUBENV_SIZE);
	for (unsigned i = 0; i < count; i++)
		if ((rc = write_piece(&vol->vol, &ext[i], block)) != 0)
			return log_err(rc, "grubenv %s: the write failed; the file may hold a "
				       "mix of old and new lines", path);
	log_info("grubenv %s: rewritten in place (%u piece%s)", path, count, count == 1 ? "" : "s");
	return 0;
}

int envwrite_commit(const struct boot_platform *p, const struct boot_menu *bm, unsigned index)
{
	const struct menu *m = &bm->menu;
	const struct menu_entry *e = &m->entries[index];
	const char *keys[MENU_MAX_ENV_WRITES + 1], *values[MENU_MAX_ENV_WRITES + 1];
	unsigned n = 0;
	int done = 0, first = 0, rc;

	for (unsigned i = 0; i < m->env.count; i++) {
		keys[n] = m->env.w[i].key;
		values[n++] = m->env.w[i].value;
	}
	/* savedefault: after the config's own save_env, as GRUB runs the entry after the menu. */
	if (e->save_default) {
		keys[n] = "saved_entry";
		values[n++] = e->save_default;
	}
	if (n && m->env.path) {
		/* A failure is logged; the boot counter is still tried (another file, maybe). */
		rc = grubenv_rewrite(e->volume, m->env.path, keys, values, n);
		if (rc)
			first = rc;
		else
			done++;
	} else if (n) {
		/* savedefault without a load_env/save_env: GRUB's $prefix/grubenv. */
		log_warn("%s: savedefault, but the config names no grubenv; not saved", e->id);
	}
	rc = bootcount_commit(p, bm, index);
	if (rc < 0 && !first)
		first = rc;
	return first ? first : done + rc;
}
