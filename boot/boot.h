/* SPDX-License-Identifier: MIT */
/*
 * The boot flow every platform shares once its devices are registered:
 * menu discovery, scripted or interactive choice, loading the entry's
 * files, the boot plan, and handing over. A failure at any step before the
 * handoff prints one message and brings the menu back.
 */
#ifndef PVHBOOT_BOOT_BOOT_H
#define PVHBOOT_BOOT_BOOT_H

#include "../loaders/kernel.h"
#include "options.h"

struct menu;
struct mounted;

struct boot_platform {
	const char *name;
	/* The platform's one-shot entry (Xen key, EFI variable), consumed; or NULL. */
	char *(*one_shot)(void);
	/* The platform's stored default (EFI LoaderEntryDefault) for a config without one; or NULL. */
	const char *(*default_entry)(void);
	/* Told the menu once it is known (EFI: LoaderEntries). May be NULL. */
	void (*menu_ready)(const struct menu *m);
	/* Told which entry is about to boot (EFI: LoaderEntrySelected). May be NULL. */
	void (*entry_selected)(const char *id);
	/*
	 * Leave the platform: quiesce devices, exit the firmware. The point of
	 * no return is its success. On failure (-E*, logged) nothing was torn
	 * down and the menu can come back; -EAGAIN asks for the kernel to be
	 * planned again (EFI: the firmware took memory the plan calls RAM).
	 */
	int (*exit)(void);
	/*
	 * After a successful exit, what only the exit knows goes where the
	 * plan's needs point (EFI: the final map's size, the BIOS data area).
	 * Cannot fail. May be NULL.
	 */
	void (*after_exit)(const struct plan_needs *needs);
	/*
	 * Instead of exit(), for a kernel entered with the firmware still
	 * running (ENTRY_EFI64): stop using the firmware's console and record
	 * what must be recorded, but leave boot services up. May be NULL
	 * where no plan can ask for it.
	 */
	void (*before_firmware_entry)(void);
	/*
	 * Start an image the platform executes itself (a format without a
	 * planner: EFI LoadImage/StartImage, whose stub exits boot services on
	 * its own, so there is no exit and no handoff). Returns only when the
	 * image was refused or returned (-E*, logged); the menu comes back.
	 * May be NULL: such formats are then planned as what else they are.
	 */
	int (*start_image)(const struct boot_request *req);
	/*
	 * Secure Boot (docs/efi.md): true when enforcing. PE images are then
	 * verified by start_image; other kernels and their modules must be
	 * pinned by a config whose SHA-256 config_enrolled() accepts, and the
	 * command line cannot be edited. Both may be NULL: never enforcing.
	 */
	bool (*secure_boot)(void);
	bool (*config_enrolled)(const uint8_t sha256[32]);
	/*
	 * Measure @len bytes of @data into @pcr with a readable @description
	 * (EFI: TCG2 HashLogExtendEvent). Silent without a TPM. May be NULL.
	 */
	void (*measure)(unsigned pcr, const void *data, size_t len, const char *description);
	/*
	 * BLS boot counting (boot/bootcount.h): rename the entry file @path
	 * of @vol to @new_name in the same directory and record it (EFI:
	 * the firmware's Simple File System, LoaderBootCountPath). 0, -E*
	 * (logged), or -EOPNOTSUPP unlogged when this volume is not one the
	 * platform can rename on: the grubenv counter is used then. May be NULL.
	 */
	int (*rename_entry)(struct mounted *vol, const char *path, const char *new_name);
};

/* Find the menu on the volumes (once); returns its number of entries. */
unsigned boot_discover(const struct loader_options *o);

/* Run the menu boot_discover() found until a kernel is handed over. */
_Noreturn void boot_menu_run(const struct boot_platform *p, struct boot_env *env,
			     const struct loader_options *o);

/* boot_discover(), then boot_menu_run(); stops the machine when there is no menu. */
_Noreturn void boot_from_disks(const struct boot_platform *p, struct boot_env *env,
			       const struct loader_options *o);

/*
 * boot_request_run() - plan and hand over an already assembled request;
 * returns only on failure (the error was logged), with everything the
 * attempt took given back. The request's buffers stay the caller's.
 */
int boot_request_run(const struct boot_platform *p, const struct boot_env *env,
		     struct boot_request *req);

#endif
