/* SPDX-License-Identifier: MIT */
/*
 * BLS boot counting (UAPI Boot Loader Specification, "Boot counting";
 * systemd's Automatic Boot Assessment): an entry file NAME+LEFT[-DONE].conf
 * is tried while LEFT > 0, and before its kernel starts the try is counted.
 */
#ifndef PVHBOOT_BOOT_BOOTCOUNT_H
#define PVHBOOT_BOOT_BOOTCOUNT_H

#include "discover.h"

struct boot_platform;

/*
 * Where the try is counted (docs/config.md, "Boot counting"):
 *  - the file is renamed NAME+(LEFT-1)-(DONE+1).conf when the platform can
 *    (boot_platform.rename_entry: EFI, through the firmware's Simple File
 *    System, on the partition the firmware serves; LoaderBootCountPath);
 *  - otherwise (PVH) the grubenv of the entry's volume, if it has one,
 *    gets pvhboot_tries_NAME+LEFT-DONE=N: the tries made since the file
 *    got that name (a renamed file starts afresh);
 *  - otherwise the try is not counted (warned once).
 */
#define BOOTCOUNT_VAR_PREFIX "pvhboot_tries_"

/*
 * bootcount_commit() - count the try of entry @index of @bm if it is a
 * counted BLS entry with tries left. Returns 1 when a counter changed on
 * disk, 0 when there was nothing to count, or -E* (logged).
 */
int bootcount_commit(const struct boot_platform *p, const struct boot_menu *bm,
		     unsigned index);

/*
 * bootcount_find_grubenv() - the grubenv of @m's volume: /boot/grub,
 * /grub, /boot/grub2, /grub2, then /EFI/VENDOR (the first whose file is a
 * whole block). Its path into @path, its bytes into @block; 0 or -ENOENT.
 */
int bootcount_find_grubenv(struct mounted *m, char *path, size_t cap, char block[1024]);

/*
 * bootcount_key() - the grubenv variable counting entry @e's tries, and
 * the counter its file name has. -ENOENT when @e is not counted.
 */
int bootcount_key(const struct menu_entry *e, char *key, size_t cap, int *file_left,
		  int *file_done);

/*
 * bootcount_next_name() - the name entry @e's file gets when a try is
 * counted: "NAME+(LEFT-1)-(DONE+1).conf". 0, -ENOENT (not counted or no
 * tries left), -E2BIG.
 */
int bootcount_next_name(const struct menu_entry *e, char *out, size_t cap);

/*
 * bootcount_from_grubenv() - lower the counters of the entries from
 * @first on (all of @m's volume) by the tries their grubenv variable
 * records, and note that grubenv in bm->count_env. Before sorting.
 */
void bootcount_from_grubenv(struct boot_menu *bm, unsigned first, struct mounted *m);

/*
 * menu_skip_bad() - entry @idx as the default, unless it is bad (no tries
 * left): then the first good entry (systemd-boot does the same). All bad:
 * @idx.
 */
int menu_skip_bad(const struct menu *m, int idx);

#endif
