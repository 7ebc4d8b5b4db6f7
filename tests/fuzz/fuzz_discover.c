/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: config discovery and path resolution over a hostile
 * disk. The input is a 64 MiB disk (zeros past the input: fs_walk.h's)
 * with whatever partition table and filesystems it holds; the loader's own
 * volumes_discover() mounts what it finds and menu_discover() looks for a
 * menu as a boot does (pvhboot.cfg, grub.cfg with its includes, grubenv and
 * blscfg, BLS entries, extlinux, UKIs, a generated one). Then every entry's
 * kernel and initrds are resolved through path_resolve() and read through
 * fs_resolve() (symlinks, "..", (DEV) prefixes), as boot/boot.c does, and
 * the menu must keep config.h's promises.
 *
 * fs/volumes.c and fs/blockdev.c are included, not linked, so their tables
 * can be emptied after every input.
 */
#include "../../fs/blockdev.c"
#include "../../fs/volumes.c"
#include "../../boot/discover.h"
#include "fs_walk.h"

#define READ_MAX 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Resolve and read @spec as a boot would, a few KiB of it. */
static void read_spec(const char *spec, struct mounted *def)
{
	void *buf;
	size_t len;
	if (spec && *spec && path_read_file(spec, def, READ_MAX, &buf, &len) == 0)
		free(buf);
}

static void check_and_read(struct boot_menu *bm)
{
	const struct menu *m = &bm->menu;
	if (m->count > MENU_MAX_ENTRIES)
		__builtin_trap();
	for (unsigned i = 0; i < m->count; i++) {
		const struct menu_entry *e = &m->entries[i];
		if (!e->id || !e->title || !e->kernel || !e->cmdline || !e->volume ||
		    e->nr_initrds > ENTRY_MAX_INITRDS || e->nr_modules > ENTRY_MAX_MODULES)
			__builtin_trap();
		/* Titles reach a terminal: no control characters after menu_sanitize(). */
		for (const char *c = e->title; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				__builtin_trap();
		read_spec(e->kernel, e->volume);
		for (unsigned j = 0; j < e->nr_initrds; j++)
			read_spec(e->initrds[j], e->volume);
	}
	/* Prefixes the configs use, on whatever was found. */
	static const char *const specs[] = {
		"(hd0)/boot/../loader/./entries/../../pvhboot.cfg", "(hd0,1)/boot/grub/grub.cfg",
		"(hd0,gpt2)/grub2/grubenv",                         "(vda1)/extlinux.conf",
		"(UUID=0000-0000)/x",                               "(LABEL=boot)/vmlinuz",
		"/boot/vmlinuz",                                    "(hd0,msdos5)/../../..",
	};
	for (unsigned i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		read_spec(specs[i], volumes_get(0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_menu bm;
	struct fs_walk_disk disk = { .data = data, .size = size };
	if (size > FS_WALK_DEVICE_BYTES)
		return 0;
	disk.dev.sector_size = 512;
	disk.dev.nr_sectors = FS_WALK_DEVICE_BYTES / 512;
	disk.dev.read = fs_walk_disk_read;
	disk.dev.priv = &disk;
	strcpy(disk.dev.name, "vda");
	if (blockdev_register(&disk.dev))
		__builtin_trap();

	volumes_discover();
	if (menu_discover(&bm, NULL) == 0)
		check_and_read(&bm);
	menu_free(&bm.menu);
	free(bm.config_text);

	/* Empty the tables for the next input, and give back what was mounted. */
	for (unsigned i = 0; i < nr_mounts; i++)
		mounts[i].fs->ops->unmount(mounts[i].fs);
	nr_mounts = 0;
	nr_devices = 0;
	free(disk.dev.cache);
	return 0;
}
