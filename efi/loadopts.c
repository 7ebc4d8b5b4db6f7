/* SPDX-License-Identifier: MIT */
/*
 * Where the loader's options come from. The options file wins over
 * LoadOptions: it is the one source a user controls on every boot path.
 */
#include "loadopts.h"
#include "file.h"
#include "options.h"
#include "status.h"
#include "core/errno.h"
#include "core/log.h"

/* 0 with the file's options in @out, -ENOENT when there is no usable file. */
static int options_from_file(EFI_HANDLE device, char *out, size_t size)
{
	uint8_t text[EFI_OPTIONS_MAX];
	size_t len;
	int rc = efi_read_small_file(device, EFI_OPTIONS_FILE, text, sizeof(text), &len);
	if (rc == -ENOENT)
		return rc;
	if (rc == 0)
		rc = efi_options_from_text(text, len, out, size);
	if (rc) {
		log_warn("efi: %s ignored (%s)", EFI_OPTIONS_FILE_NAME, strerror_name(rc));
		return -ENOENT;
	}
	log_info("options: \"%s\" (from %s)", out, EFI_OPTIONS_FILE_NAME);
	return 0;
}

static void options_from_image(const EFI_LOADED_IMAGE *li, char *out, size_t size)
{
	int rc = efi_options_from_ucs2(li->LoadOptions, li->LoadOptionsSize, out, size);
	if (rc) {
		log_info("options: LoadOptions ignored (%u bytes, %s)", li->LoadOptionsSize,
			 rc == -EILSEQ ? "not ASCII text" : strerror_name(rc));
		return;
	}
	log_info("options: \"%s\" (from LoadOptions)", out);
}

int efi_loader_options(EFI_HANDLE image, char *out, size_t size)
{
	EFI_LOADED_IMAGE *li;
	EFI_STATUS st;

	if (size)
		out[0] = 0;
	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st))
		return efi_fail(st, "HandleProtocol (Loaded Image)");

	/* An image loaded from memory has no device, hence no file. */
	if (li->DeviceHandle && options_from_file(li->DeviceHandle, out, size) == 0)
		return 0;
	options_from_image(li, out, size);
	return 0;
}
