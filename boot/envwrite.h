/* SPDX-License-Identifier: MIT */
/*
 * The loader's writes to disk, all in one place (docs/config.md, "Writes"):
 * the grubenv changes the config asked for (save_env, savedefault) and BLS
 * boot counting. They are decided with the menu and made only when a
 * kernel is about to start: after its plan and the handoff's preparation
 * succeeded, before the platform's exit (boot/boot.c). A failed write is
 * reported and the boot goes on; nothing is ever written twice or retried.
 */
#ifndef PVHBOOT_BOOT_ENVWRITE_H
#define PVHBOOT_BOOT_ENVWRITE_H

#include "discover.h"

/*
 * envwrite_commit() - make the writes for booting entry @index of @bm:
 * the config's grubenv changes, the entry's savedefault, its boot counter.
 * Every refusal or failure is logged; returns how many changes reached
 * the disk (read back and compared), or a negative -E* of the first failure.
 */
struct boot_platform;
int envwrite_commit(const struct boot_platform *p, const struct boot_menu *bm, unsigned index);

/*
 * grubenv_rewrite() - set each of @keys[i] to @values[i] (NULL removes it)
 * in the grubenv @path of @def's volume (config path syntax), in place:
 * an existing file of exactly GRUBENV_SIZE bytes with the header, its own
 * blocks as the filesystem maps them, no allocation, no metadata change.
 * 0 (also when nothing changed), -EROFS, -EOPNOTSUPP (the filesystem or
 * the file cannot be rewritten in place, logged), -EINVAL, -ENOSPC, -E*.
 */
int grubenv_rewrite(struct mounted *def, const char *path, const char *const *keys,
		    const char *const *values, unsigned n);

#endif
