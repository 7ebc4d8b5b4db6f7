/* SPDX-License-Identifier: MIT */
/*
 * The EFI platform's part in the shared boot flow (config/boot.h): the
 * Boot Loader Interface for the one-shot and default entries and the entry
 * list, ExitBootServices as the exit, and the same handoff as on PVH.
 */
#include "bda.h"
#include "bli.h"
#include "exit.h"
#include "platform.h"
#include "core/errno.h"
#include "core/log.h"
#include "stage/handoff.h"

/*
 * After ExitBootServices there is no way back to the menu (its console is
 * gone): a handoff that fails resets the machine instead.
 */
static int efi_handoff(const struct boot_plan *plan)
{
	efi_exit_patch_plan(plan);
	if (!strcmp(plan->format, "multiboot1") || !strcmp(plan->format, "multiboot2"))
		efi_bda_fill();
	int rc = handoff(plan);
	log_err(rc, "efi: handoff failed after ExitBootServices; resetting");
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetCold, EFI_ABORTED, 0, NULL);
	panic("efi: ResetSystem returned");
}

const struct boot_platform efi_platform = {
	.name = "efi",
	.one_shot = efi_bli_one_shot,
	.default_entry = efi_bli_default_entry,
	.menu_ready = efi_bli_menu_ready,
	.entry_selected = efi_bli_entry_selected,
	.exit = efi_exit_boot_services,
	.handoff = efi_handoff,
};
