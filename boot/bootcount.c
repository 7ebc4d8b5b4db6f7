/* SPDX-License-Identifier: MIT */
/*
 * Counting a try of a BLS entry before its kernel starts (boot/bootcount.h):
 * by renaming its file where the platform can, else in the grubenv of its
 * volume. Called from envwrite_commit(), at the one point writes happen.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "boot.h"
#include "bootcount.h"
#include "envwrite.h"

/* PVH: the tries since the file got its name, in grubenv. */
static int count_in_grubenv(const struct boot_menu *bm, const struct menu_entry *e)
{
	static bool warned;
	char key[300], val[16];
	int left, done;
	if (!*bm->count_env) {
		if (!warned)
			log_warn("%s: boot counting: no grubenv on %s and no file renames here; "
				 "tries are not counted", e->id, e->volume->vol.name);
		warned = true;
		return 0;
	}
	if (bootcount_key(e, key, sizeof(key), &left, &done))
		return 0;
	/* tries_left came from the file's LEFT less the tries already recorded. */
	fmt_snprintf(val, sizeof(val), "%d", left - e->tries_left + 1);
	const char *keys[] = { key }, *values[] = { val };
	int rc = grubenv_rewrite(e->volume, bm->count_env, keys, values, 1);
	if (rc)
		return rc;
	log_info("%s: boot counting: %d tries left after this one (%s %s=%s)", e->id,
		 e->tries_left - 1, bm->count_env, key, val);
	return 1;
}

int bootcount_commit(const struct boot_platform *p, const struct boot_menu *bm, unsigned index)
{
	const struct menu_entry *e = &bm->menu.entries[index];
	if (e->tries_left < 0 || !e->bls_file || !e->volume)
		return 0;
	if (e->tries_left == 0) {
		/* Chosen by hand, or every entry is bad: it boots, and nothing is counted. */
		log_warn("%s: boot counting: no tries left; booting it uncounted", e->id);
		return 0;
	}
	if (p && p->rename_entry) {
		char name[256];
		if (bootcount_next_name(e, name, sizeof(name)))
			return log_err(-E2BIG, "%s: boot counting: the new file name is too long",
				       e->id);
		if (!blockdev_writes_allowed())
			return log_err(-EROFS, "%s: boot counting: not renamed: writes are off", e->id);
		if (e->volume->vol.dev->read_only)
			return log_err(-EROFS, "%s: boot counting: %s is read-only; not renamed", e->id,
				       e->volume->vol.dev->name);
		int rc = p->rename_entry(e->volume, e->bls_file, name);
		if (rc != -EOPNOTSUPP) {
			if (rc)
				return rc;
			log_info("%s: boot counting: %s renamed %s", e->id, e->bls_file, name);
			return 1;
		}
	}
	return count_in_grubenv(bm, e);
}
