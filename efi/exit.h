/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_EXIT_H
#define PVHBOOT_EFI_EXIT_H

#include "uefi.h"
#include "loaders/kernel.h"

/*
 * efi_exit_prepare() - at start, after efi_memory_init(): set aside the
 * buffer the final memory map will be read into (reserved for the kernel)
 * and the scratch to check it, and point env's efi_* fields at them for
 * Linux's boot_params.efi_info. Returns 0 or -ENOMEM (logged).
 */
int efi_exit_prepare(EFI_HANDLE image, struct boot_env *env);

/*
 * efi_exit_boot_services() - boot_platform.exit: LoaderTimeExecUSec, the
 * final memory map, the check that the planned map still holds, then
 * ExitBootServices, retried with a fresh map while the key is stale.
 * Before the first ExitBootServices call a failure returns -E* (logged)
 * and the loader can carry on: -EAGAIN when the firmware took memory the
 * plan calls RAM (that memory is then kept out of the next plan). After
 * it, boot services are gone: a failure resets the machine. On success
 * the firmware console is silent and interrupts are off.
 */
int efi_exit_boot_services(void);

/*
 * efi_exit_final_map_size() - after the exit: the size of the final map in
 * the buffer efi_exit_prepare() pointed env at (Linux's efi_info needs it,
 * the only field not known when the plan is built).
 */
uint32_t efi_exit_final_map_size(void);

#endif
