/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_CONSOLE_H
#define PVHBOOT_EFI_CONSOLE_H

#include "uefi.h"

/*
 * efi_console_init() - register the firmware console (ConOut/ConIn) with
 * the core console multiplexer. Output is UTF-8 in, UCS-2 out, with "\n"
 * sent as "\r\n"; input is non-blocking and arrives as the bytes a VT100
 * terminal would send (arrow keys as ESC [ A ...), like COM1 input.
 * Only valid while boot services run.
 */
void efi_console_init(EFI_SYSTEM_TABLE *st);

/*
 * efi_console_detach() - stop using ConOut and ConIn for good: called
 * before the first ExitBootServices call. Output from then on reaches only
 * the other sinks (port 0xE9 under QEMU).
 */
void efi_console_detach(void);

#endif
