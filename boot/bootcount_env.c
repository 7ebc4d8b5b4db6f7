/* SPDX-License-Identifier: MIT */
/*
 * BLS boot counting, the parts the loader and the host CLI share: where a
 * volume's grubenv is, the grubenv counter of a counted entry (PVH keeps
 * its tries there, since it does not rename files), and the default that
 * skips a bad entry. The writes themselves are boot/bootcount.c.
 */
#include "../config/grubenv.h"
#include "../core/errno.h"
#include "../core/str.h"
#include "bootcount.h"

/* Where GRUB keeps it, in discovery's order (boot/discover.h, source 3). */
static const char *const grubenv_paths[] = { "/boot/grub/grubenv", "/grub/grubenv",
					     "/boot/grub2/grubenv", "/grub2/grubenv" };

static bool read_env(struct mounted *m, const char *path, char block[GRUBENV_SIZE])
{
	void *buf;
	size_t n;
	if (path_read_file(path, m, GRUBENV_SIZE, &buf, &n))
		return false;
	bool ok = n == GRUBENV_SIZE && grubenv_valid(buf, n);
	if (ok)
		memcpy(block, buf, GRUBENV_SIZE);
	free(buf);
	return ok;
}

struct efi_dirs {
	struct mounted *m;
	char *block, *out;
	size_t cap;
	bool found;
};

/* Each /EFI/VENDOR directory: an ESP's grub.efi keeps grubenv next to itself. */
static int efi_dir(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type type)
{
	struct efi_dirs *d = ctx;
	(void)ino;
	if (type != FS_DIR || name[0] == '.' || len > 64)
		return 0;
	fmt_snprintf(d->out, d->cap, "/EFI/%.*s/grubenv", (int)len, name);
	d->found = read_env(d->m, d->out, d->block);
	return d->found; /* stop at the first */
}

int bootcount_find_grubenv(struct mounted *m, char *path, size_t cap, char block[GRUBENV_SIZE])
{
	for (unsigned i = 0; i < ARRAY_SIZE(grubenv_paths); i++)
		if (read_env(m, grubenv_paths[i], block)) {
			fmt_snprintf(path, cap, "%s", grubenv_paths[i]);
			return 0;
		}
	uint64_t ino;
	struct efi_dirs d = { m, block, path, cap, false };
	if (!fs_resolve(m->fs, "/EFI", &ino))
		m->fs->ops->readdir(m->fs, ino, efi_dir, &d);
	if (d.found)
		return 0;
	*path = 0;
	return -ENOENT;
}

/* The file name without directory and ".conf": "NAME+LEFT-DONE". */
static bool file_stem(const struct menu_entry *e, const char **stem, size_t *len)
{
	if (!e->bls_file || !str_ends_with(e->bls_file, ".conf"))
		return false;
	const char *slash = strrchr(e->bls_file, '/');
	*stem = slash ? slash + 1 : e->bls_file;
	*len = strlen(*stem) - 5;
	return true;
}

int bootcount_key(const struct menu_entry *e, char *key, size_t cap, int *file_left,
		  int *file_done)
{
	const char *stem;
	size_t len, name_len;
	char s[256];
	if (e->tries_left < 0 || !file_stem(e, &stem, &len) || len >= sizeof(s))
		return -ENOENT;
	fmt_snprintf(s, sizeof(s), "%.*s", (int)len, stem);
	if (!bls_counter_parse(s, file_left, file_done, &name_len))
		return -ENOENT;
	/* The whole stem: renaming the file (blessed, or re-armed) starts afresh. */
	if (fmt_snprintf(key, cap, "%s%s", BOOTCOUNT_VAR_PREFIX, s) >= (int)cap)
		return -E2BIG;
	return 0;
}

int bootcount_next_name(const struct menu_entry *e, char *out, size_t cap)
{
	const char *stem;
	size_t len, name_len;
	int left, done;
	char s[256];
	if (e->tries_left <= 0 || !file_stem(e, &stem, &len) || len >= sizeof(s))
		return -ENOENT;
	fmt_snprintf(s, sizeof(s), "%.*s", (int)len, stem);
	if (!bls_counter_parse(s, &left, &done, &name_len))
		return -ENOENT;
	/* NAME as the file spells it: the id may have been made terminal-safe. */
	int n = fmt_snprintf(out, cap, "%.*s+%d-%d.conf", (int)name_len, s, e->tries_left - 1,
			     e->tries_done + 1);
	return n < 0 || (size_t)n >= cap ? -E2BIG : 0;
}

void bootcount_from_grubenv(struct boot_menu *bm, unsigned first, struct mounted *m)
{
	char block[GRUBENV_SIZE], key[300], val[16];
	bool counted = false;
	for (unsigned i = first; i < bm->menu.count; i++)
		counted |= bm->menu.entries[i].tries_left >= 0;
	if (!counted || bootcount_find_grubenv(m, bm->count_env, sizeof(bm->count_env), block))
		return;
	for (unsigned i = first; i < bm->menu.count; i++) {
		struct menu_entry *e = &bm->menu.entries[i];
		int left, done;
		uint64_t tries;
		if (bootcount_key(e, key, sizeof(key), &left, &done) ||
		    grubenv_get(block, key, val, sizeof(val)))
			continue;
		if (!parse_u64(val, strlen(val), &tries) || tries > 1000000) {
			menu_warn(&bm->menu, bm->count_env, 0, 0, "%s=%s is not a number of tries; "
				  "ignored", key, val);
			continue;
		}
		e->tries_left = tries >= (uint64_t)left ? 0 : left - (int)tries;
		e->tries_done = done + (int)tries;
	}
}

int menu_skip_bad(const struct menu *m, int idx)
{
	if (idx < 0 || (unsigned)idx >= m->count || m->entries[idx].tries_left != 0)
		return idx;
	/* Bad entries sort last (config_sort_bls): the first good one is the newest. */
	for (unsigned i = 0; i < m->count; i++)
		if (m->entries[i].tries_left != 0)
			return (int)i;
	return idx; /* all bad: systemd-boot still boots the default */
}
