/* SPDX-License-Identifier: MIT */
/*
 * Finding the boot menu. With config=PATH only that file is read. Otherwise
 * the volumes are tried in discovery order (devices in order, partitions in
 * table order), and on each volume these sources in order; the first volume
 * where one of them yields entries provides the menu:
 *
 *   1. /pvhboot.cfg, /boot/pvhboot.cfg             native format
 *   1a. the grub.cfg of 3., if it calls blscfg (Fedora, RHEL): it owns the BLS
 *      entries, since its grubenv holds the default and $kernelopts
 *   2. /loader/entries/NAME.conf, /boot/loader/entries/NAME.conf  BLS type #1
 *      (with /loader/loader.conf or /boot/loader/loader.conf)
 *   3. /boot/grub/grub.cfg, /grub/grub.cfg, /boot/grub2/grub.cfg, /grub2/grub.cfg
 *   4. /boot/extlinux/extlinux.conf, /extlinux/extlinux.conf, /extlinux.conf, /boot/extlinux.conf,
 *      /boot/syslinux/syslinux.cfg, /syslinux/syslinux.cfg, /syslinux.cfg,
 *      /isolinux/isolinux.cfg
 *   5. no config: /boot/vmlinuz-VERSION (or /vmlinuz-VERSION) with its initrd,
 *      newest version first
 */
#ifndef PVHBOOT_CONFIG_DISCOVER_H
#define PVHBOOT_CONFIG_DISCOVER_H

#include "../fs/volumes.h"
#include "../config/config.h"

struct boot_menu {
	struct menu menu;
	char source[128];                         /* "vda2:/boot/grub/grub.cfg" */
	/*
	 * The config file the menu was parsed from (pvhboot.cfg, grub.cfg,
	 * extlinux.conf), kept for Secure Boot (its SHA-256 must be enrolled
	 * for its pins to count) and measured boot; NULL for BLS entries,
	 * unified kernel images and generated menus.
	 */
	char *config_text;
	size_t config_len;
	/* The grubenv that counts BLS tries on the menu's volume (boot/bootcount.h), or "". */
	char count_env[96];
};

/* Build the menu; returns 0 (possibly with no entries) or -ENOMEM. */
int menu_discover(struct boot_menu *bm, const char *config_path);

/*
 * menu_add_ukis() - append an entry for every unified kernel image in
 * /EFI/Linux of @m (BLS type #2, boot/uki_menu.c), unsorted; files that
 * are no UKI are warned about. Returns how many were added.
 */
unsigned menu_add_ukis(struct menu *menu, struct mounted *m);

/* Append the generated menu of @m (source 5 above). */
void menu_generate(struct menu *menu, struct mounted *m);

/* Print the menu with each entry's source, id, files and cmdline (host CLI). */
void menu_describe(const struct boot_menu *bm, int (*print)(const char *fmt, ...));

#endif
