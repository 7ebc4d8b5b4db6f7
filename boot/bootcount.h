/* SPDX-License-Identifier: MIT */
/*
 * BLS boot counting (UAPI Boot Loader Specification, "Boot counting";
 * systemd's Automatic Boot Assessment): an entry file NAME+LEFT[-DONE].conf
 * is tried while LEFT > 0, and before its kernel starts the try is counted.
 */
#ifndef PVHBOOT_BOOT_BOOTCOUNT_H
#define PVHBOOT_BOOT_BOOTCOUNT_H

#include "discover.h"

/*
 * bootcount_commit() - count the try of entry @index of @bm if it is a
 * counted BLS entry. Returns 1 when a counter changed on disk, 0 when
 * there was nothing to count, or -E* (logged).
 */
int bootcount_commit(const struct boot_menu *bm, unsigned index);

#endif
