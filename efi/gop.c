/* SPDX-License-Identifier: MIT */
/*
 * The framebuffer of the Graphics Output Protocol (UEFI 2.10 §12.9) in the
 * current mode, for multiboot1 kernels that ask for video (header flag 2):
 * the loader reports the mode the firmware set and never changes it.
 */
#include "gop.h"
#include "status.h"
#include "core/errno.h"
#include "core/log.h"

/* Position and width of the contiguous run of ones in @mask. */
static void mask_field(uint32_t mask, uint8_t *pos, uint8_t *size)
{
	*pos = 0;
	*size = 0;
	if (!mask)
		return;
	while (!(mask & 1)) {
		mask >>= 1;
		(*pos)++;
	}
	while (mask & 1) {
		mask >>= 1;
		(*size)++;
	}
}

static unsigned highest_bit(uint32_t v)
{
	unsigned n = 0;
	while (v) {
		v >>= 1;
		n++;
	}
	return n;
}

int gop_fb_from_mode(const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info, uint64_t base,
		     struct boot_env *env)
{
	uint8_t rp, rs, gp, gs, bp, bs;
	unsigned bpp;

	switch (info->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor: /* byte 0 red */
		rp = 0, gp = 8, bp = 16, rs = gs = bs = 8, bpp = 32;
		break;
	case PixelBlueGreenRedReserved8BitPerColor: /* byte 0 blue */
		bp = 0, gp = 8, rp = 16, rs = gs = bs = 8, bpp = 32;
		break;
	case PixelBitMask: {
		const EFI_PIXEL_BITMASK *m = &info->PixelInformation;
		mask_field(m->RedMask, &rp, &rs);
		mask_field(m->GreenMask, &gp, &gs);
		mask_field(m->BlueMask, &bp, &bs);
		bpp = ALIGN_UP(highest_bit(m->RedMask | m->GreenMask | m->BlueMask |
					   m->ReservedMask), 8);
		if (!rs || !gs || !bs || bpp < 8)
			return -EOPNOTSUPP;
		break;
	}
	default: /* PixelBltOnly: no framebuffer to hand over */
		return -EOPNOTSUPP;
	}
	uint64_t pitch = (uint64_t)info->PixelsPerScanLine * (bpp / 8);
	if (!base || !info->HorizontalResolution || !info->VerticalResolution ||
	    info->PixelsPerScanLine < info->HorizontalResolution || pitch > UINT32_MAX)
		return -EINVAL;
	env->fb.addr = base;
	env->fb.pitch = (uint32_t)pitch;
	env->fb.width = info->HorizontalResolution;
	env->fb.height = info->VerticalResolution;
	env->fb.bpp = (uint8_t)bpp;
	env->fb.red_pos = rp, env->fb.red_size = rs;
	env->fb.green_pos = gp, env->fb.green_size = gs;
	env->fb.blue_pos = bp, env->fb.blue_size = bs;
	return 0;
}

int efi_gop_framebuffer(struct boot_env *env)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	EFI_STATUS st = uefi_call_wrapper(BS->LocateProtocol, 3, &GraphicsOutputProtocol, NULL,
					  (void **)&gop);
	if (st == EFI_NOT_FOUND)
		return -ENOENT;
	if (EFI_ERROR(st))
		return efi_fail(st, "LocateProtocol (Graphics Output)");
	if (!gop->Mode || !gop->Mode->Info ||
	    gop->Mode->SizeOfInfo < sizeof(EFI_GRAPHICS_OUTPUT_MODE_INFORMATION))
		return log_err(-EINVAL, "efi: Graphics Output without current mode information");
	int rc = gop_fb_from_mode(gop->Mode->Info, gop->Mode->FrameBufferBase, env);
	if (rc)
		return log_err(rc, "efi: Graphics Output mode %u (pixel format %u) has no usable "
			       "framebuffer", gop->Mode->Mode, gop->Mode->Info->PixelFormat);
	log_info("gop: %ux%u, %u bpp, pitch %u, at 0x%lx", env->fb.width, env->fb.height,
		 env->fb.bpp, env->fb.pitch, (unsigned long)env->fb.addr);
	return 0;
}
