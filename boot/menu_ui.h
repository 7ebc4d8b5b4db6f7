/* SPDX-License-Identifier: MIT */
/*
 * The interactive menu on any text console (ANSI over serial and the Xen
 * PV console; EFI SimpleTextOutput through the same console layer).
 * Arrows or numbers move, Enter boots, `e` edits the command line; a
 * countdown runs until any key is pressed.
 */
#ifndef PVHBOOT_CONFIG_MENU_UI_H
#define PVHBOOT_CONFIG_MENU_UI_H

#include "../config/config.h"

#define MENU_CMDLINE_MAX 4096

struct menu_choice {
	int index;
	char cmdline[MENU_CMDLINE_MAX]; /* the entry's, possibly edited */
};

/*
 * menu_interact() - run the menu. @timeout in seconds, -1 waits for a key.
 * @message (may be NULL) is shown above the entries, e.g. the error of the
 * previous attempt. Returns 0 with *out filled, -ENOENT for an empty menu.
 */
int menu_interact(const struct menu *m, int default_index, int timeout, const char *message,
		  struct menu_choice *out);

/*
 * menu_lock_editor() - from now on `e` only says why the command line
 * cannot be edited (@why, a static string): Secure Boot.
 */
void menu_lock_editor(const char *why);

/* Keys, as decoded from bytes and ANSI sequences. */
enum {
	KEY_NONE = -1,
	KEY_UP = 0x100,
	KEY_DOWN,
	KEY_LEFT,
	KEY_RIGHT,
	KEY_HOME,
	KEY_END,
	KEY_DELETE,
	KEY_ESC,
};

#endif
