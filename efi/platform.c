/* SPDX-License-Identifier: MIT */
/*
 * The EFI platform's part in the shared boot flow (boot/boot.h): the
 * Boot Loader Interface for the one-shot and default entries and the entry
 * list, ExitBootServices as the exit, and what a kernel needs that only
 * the exit knows; PE images through LoadImage, Secure Boot and the TPM.
 */
#include "bda.h"
#include "bli.h"
#include "rename.h"
#include "console.h"
#include "exit.h"
#include "image.h"
#include "secureboot.h"
#include "tcg2.h"
#include "platform.h"

static void efi_after_exit(const struct plan_needs *needs)
{
	if (needs->efi_memmap_size)
		put_le32(needs->efi_memmap_size, efi_exit_final_map_size());
	if (needs->bios_data_area)
		efi_bda_fill();
}

/* The kernel runs on boot services from here: the loader lets go of them. */
static void efi_before_firmware_entry(void)
{
	efi_bli_exec();
	efi_console_detach();
}

const struct boot_platform efi_platform = {
	.name = "efi",
	.one_shot = efi_bli_one_shot,
	.default_entry = efi_bli_default_entry,
	.menu_ready = efi_bli_menu_ready,
	.entry_selected = efi_bli_entry_selected,
	.exit = efi_exit_boot_services,
	.after_exit = efi_after_exit,
	.before_firmware_entry = efi_before_firmware_entry,
	.start_image = efi_start_image,
	.secure_boot = efi_secure_boot,
	.config_enrolled = efi_config_enrolled,
	.measure = efi_tcg2_measure,
	.rename_entry = efi_rename_entry,
};
