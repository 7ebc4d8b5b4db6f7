/* SPDX-License-Identifier: MIT */
#include "../core/errno.h"
#include "bootcount.h"

int bootcount_commit(const struct boot_menu *bm, unsigned index)
{
	const struct menu_entry *e = &bm->menu.entries[index];
	return e->tries_left > 0 ? -EOPNOTSUPP : 0;
}
