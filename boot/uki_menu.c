/* SPDX-License-Identifier: MIT */
/*
 * Unified kernel images as menu entries (Boot Loader Specification type
 * #2): every /EFI/Linux/NAME.efi of a volume that is a UKI, titled from its
 * .osrel and .uname sections and ordered with the type #1 entries as
 * systemd-boot orders them (sort key IMAGE_ID or ID, then version, newest
 * first, then the file name). Only the headers and those two sections are
 * read here; the image is read whole when it boots.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "../config/parser.h"
#include "../loaders/uki.h"
#include "discover.h"

#define UKI_DIR "/EFI/Linux"

struct uki_file {
	struct fs *fs;
	uint64_t ino;
};

static int read_at(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct uki_file *f = ctx;
	long n = f->fs->ops->read(f->fs, f->ino, off, buf, len);
	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EIO;
}

struct name_list {
	char names[MENU_MAX_ENTRIES][FS_NAME_MAX + 1];
	unsigned count;
};

static bool ends_with_efi(const char *name, size_t len)
{
	return len > 4 && (!memcmp(name + len - 4, ".efi", 4) || !memcmp(name + len - 4, ".EFI", 4));
}

static int collect(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type type)
{
	struct name_list *l = ctx;
	if (type != FS_REG || !ends_with_efi(name, len) || len > FS_NAME_MAX)
		return 0;
	if (l->count == MENU_MAX_ENTRIES)
		return 1;
	memcpy(l->names[l->count], name, len);
	l->names[l->count++][len] = 0;
	return 0;
}

/* One entry for @name; false when it is no UKI (warned) or memory ran out. */
static bool add_one(struct menu *menu, struct mounted *m, const char *name)
{
	static struct uki_info u;
	char path[FS_PATH_MAX], title[256], source[FS_PATH_MAX + 64];
	struct uki_file f = { m->fs, 0 };
	struct fs_stat st;

	fmt_snprintf(path, sizeof(path), UKI_DIR "/%s", name);
	fmt_snprintf(source, sizeof(source), "%s:%s", m->vol.name, path);
	int rc = fs_resolve(m->fs, path, &f.ino);
	if (!rc)
		rc = m->fs->ops->stat(m->fs, f.ino, &st);
	if (!rc)
		rc = uki_describe(read_at, &f, st.size, &u);
	if (rc) {
		menu_warn(menu, source, 0, 0, "not a unified kernel image (%s): %s",
			  rc == -ENOEXEC ? "no .linux section" : "malformed PE",
			  strerror_name(rc));
		return false;
	}
	/* The id is the file name, as systemd-boot's (bootctl set-default NAME.efi). */
	uki_title(&u, name, title, sizeof(title));
	struct menu_entry *e = menu_add(menu, source, 0);
	if (!e)
		return false;
	e->id = str_dup(name);
	e->title = str_dup(title);
	e->kernel = str_dup(path);
	e->cmdline = str_dup(""); /* the image's own .cmdline, unless edited */
	e->sort_key = str_dup(u.os_id);
	e->version = str_dup(*u.version ? u.version : u.uname);
	e->machine_id = str_dup("");
	e->protocol = KERNEL_EFI;
	e->volume = m;
	return e->id && e->title && e->kernel && e->cmdline && e->sort_key && e->version &&
	       e->machine_id;
}

unsigned menu_add_ukis(struct menu *menu, struct mounted *m)
{
	static struct name_list l;
	uint64_t dir;
	unsigned added = 0;

	l.count = 0;
	if (fs_resolve(m->fs, UKI_DIR, &dir) || m->fs->ops->readdir(m->fs, dir, collect, &l) < 0)
		return 0;
	for (unsigned i = 0; i < l.count; i++)
		added += add_one(menu, m, l.names[i]);
	return added;
}
