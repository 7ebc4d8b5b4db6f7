/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_GOP_H
#define PVHBOOT_EFI_GOP_H

#include "uefi.h"
#include "loaders/kernel.h"

/*
 * gop_fb_from_mode() - fill env->fb from a GOP mode @info and framebuffer
 * @base: size, pitch (PixelsPerScanLine times bytes per pixel), depth and
 * the RGB field positions. Pure. Returns 0, -EOPNOTSUPP for a mode without
 * a linear framebuffer (PixelBltOnly, odd masks), -EINVAL for nonsense
 * sizes; env->fb is untouched on failure.
 */
int gop_fb_from_mode(const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info, uint64_t base,
		     struct boot_env *env);

/*
 * efi_gop_framebuffer() - env->fb from the first Graphics Output Protocol
 * in its current mode. Returns 0, -ENOENT when there is no GOP (a headless
 * machine, QEMU without a display device), or another -E* (logged).
 */
int efi_gop_framebuffer(struct boot_env *env);

#endif
