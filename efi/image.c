/* SPDX-License-Identifier: MIT */
/*
 * PE images the firmware runs: how distros boot Linux on EFI machines. The
 * image is checked by loaders/pe.c first (a truncated header or a section
 * past the end of the file is refused here, with a message, rather than
 * handed to the firmware), then
 *
 *   LoadImage(from memory) -> LoadOptions -> initrd via LoadFile2 -> StartImage
 *
 * A Linux stub exits boot services itself, so the loader's own exit never
 * runs: this is not a handoff, and an image that returns (an EFI stub that
 * failed, a tool) brings the menu back with its status.
 */
#include "bli.h"
#include "devpath.h"
#include "image.h"
#include "initrd_lf2.h"
#include "pages.h"
#include "secureboot.h"
#include "status.h"
#include "utf8.h"
#include "core/errno.h"
#include "core/log.h"
#include "include/abi/uefi_boot.h"

/* Documented limit: a command line longer than this (in UTF-16 units) is refused. */
#define LOAD_OPTIONS_MAX 4096u
/* Documented limits on the device path handed to LoadImage: the file's path, its volume's. */
#define DP_PATH_MAX 256u
#define DP_VOLUME_MAX 512u

static EFI_HANDLE parent;

void efi_image_init(EFI_HANDLE self)
{
	parent = self;
}

/*
 * The device path LoadImage records for the image (its LoadedImage
 * DeviceHandle and FilePath). When the file lives on a GPT partition the
 * firmware knows, that partition's own path, then the file's: the image
 * then finds files next to itself (xen.efi its xen.cfg, a shell its
 * scripts) on the real volume. Otherwise a pvhboot vendor media node: the
 * firmware's security and measurement handlers want a path even for an
 * image from memory, and a vendor node names no device.
 */
static int image_path(const struct boot_request *req, uint8_t *out, size_t cap)
{
	static const uint8_t vendor_guid[16] = { /* 1b5e2d6c-7f3a-4e42-9b0d-70766862746f */
		0x6c, 0x2d, 0x5e, 0x1b, 0x3a, 0x7f, 0x42, 0x4e,
		0x9b, 0x0d, 0x70, 0x76, 0x68, 0x62, 0x74, 0x6f };
	const char *name = req->name;
	const void *volume;
	size_t prefix;

	if (req->part_uuid[0] && req->path_on_volume &&
	    !efi_partition_devpath(req->part_uuid, &volume, &prefix) && prefix <= DP_VOLUME_MAX) {
		memcpy(out, volume, prefix);
		name = req->path_on_volume;
	} else {
		struct uefi_dp_vendor v = { { UEFI_DP_MEDIA, UEFI_DP_MEDIA_VENDOR, sizeof(v) },
					    { 0 } };
		memcpy(v.guid, vendor_guid, sizeof(v.guid));
		memcpy(out, &v, sizeof(v));
		prefix = sizeof(v);
	}

	uint8_t *fp = out + prefix;
	size_t units = utf8_to_ucs2le(name, fp + sizeof(struct uefi_dp_header), DP_PATH_MAX);
	if (!units || prefix + 2 * sizeof(struct uefi_dp_header) + 2 * units > cap)
		return log_err(-E2BIG, "%s: path too long for a device path", name);
	/* UEFI file paths use backslashes. */
	for (size_t i = 0; i < units; i++)
		if (get_le16(fp + 4 + 2 * i) == '/')
			fp[4 + 2 * i] = '\\';
	struct uefi_dp_header h = { UEFI_DP_MEDIA, UEFI_DP_MEDIA_FILEPATH,
				    (uint16_t)(sizeof(h) + 2 * units) };
	memcpy(fp, &h, sizeof(h));
	struct uefi_dp_header end = { UEFI_DP_END, UEFI_DP_END_ENTIRE, sizeof(end) };
	memcpy(fp + h.length, &end, sizeof(end));
	return 0;
}

/* Why LoadImage refused, in words a person at the menu can act on. */
static int load_refused(const struct boot_request *req, EFI_STATUS st, bool sb)
{
	if (st == EFI_SECURITY_VIOLATION || st == EFI_ACCESS_DENIED)
		return log_err(-EACCES, "%s: refused by the firmware: %s (Secure Boot %s: the "
			       "image is not signed by a key in db, or is in dbx)", req->name,
			       efi_status_name(st), sb ? "on" : "off");
	return efi_fail(st, "LoadImage");
}

static int set_options(EFI_HANDLE h, const struct boot_request *req, CHAR16 *buf)
{
	EFI_LOADED_IMAGE *li;
	EFI_STATUS st = uefi_call_wrapper(BS->HandleProtocol, 3, h, &LoadedImageProtocol,
					  (void **)&li);
	if (EFI_ERROR(st))
		return efi_fail(st, "HandleProtocol (LoadedImage)");
	size_t units = utf8_to_ucs2le(req->cmdline, buf, LOAD_OPTIONS_MAX);
	if (!units)
		return log_err(-E2BIG, "%s: command line longer than %u characters", req->name,
			       LOAD_OPTIONS_MAX - 1);
	/* The terminator is part of the options, as firmware boot options pass them. */
	li->LoadOptions = buf;
	li->LoadOptionsSize = (UINT32)(units * 2);
	return 0;
}

static int check_image(const struct boot_request *req, struct pe_image *pe, bool *uki)
{
	int rc = pe_parse(req->kernel, req->kernel_size, pe);
	switch (rc) {
	case 0:
		break;
	case -EOPNOTSUPP:
		return log_err(rc, "%s: a PE image for machine 0x%x, not x86-64 PE32+", req->name,
			       pe->machine);
	case -E2BIG:
		return log_err(rc, "%s: more than %u PE sections", req->name, PE_MAX_SECTIONS);
	default:
		return log_err(rc, "%s: malformed PE image: a header is truncated, or a section, "
			       "the entry point or the signature lies outside the file", req->name);
	}
	if (pe->subsystem != PE_SUBSYSTEM_EFI_APPLICATION)
		return log_err(-ENOEXEC, "%s: PE subsystem %u is not an EFI application", req->name,
			       pe->subsystem);
	const struct pe_section *linux_sec = pe_find_section(pe, ".linux");
	*uki = linux_sec != NULL;
	if (linux_sec && !pe_section_file_size(linux_sec))
		return log_err(-ENOEXEC, "%s: unified kernel image with an empty .linux", req->name);
	return 0;
}

int efi_start_image(const struct boot_request *req)
{
	static struct pe_image pe;
	static uint8_t path[DP_VOLUME_MAX + 2 * sizeof(struct uefi_dp_header) + 2 * DP_PATH_MAX];
	static CHAR16 options[LOAD_OPTIONS_MAX];
	EFI_HANDLE h = NULL;
	bool uki, sb = efi_secure_boot();
	int rc;

	if ((rc = check_image(req, &pe, &uki)) != 0)
		return rc;
	if (sb) {
		rc = efi_shim_verify(req->kernel, req->kernel_size);
		if (rc == -EACCES)
			return log_err(rc, "%s: refused: shim could not verify its signature",
				       req->name);
		if (rc == 0)
			log_info("%s: verified by shim", req->name);
	}
	if ((rc = image_path(req, path, sizeof(path))) != 0)
		return rc;

	/*
	 * Lend memory first: LoadImage copies the image into firmware
	 * memory. A refusal or a return gives everything back below.
	 */
	if ((rc = efi_memory_lend()) != 0)
		goto reclaim;
	EFI_STATUS st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, parent, (void *)path,
					  (void *)req->kernel, (UINTN)req->kernel_size, &h);
	if (EFI_ERROR(st)) {
		rc = load_refused(req, st, sb);
		/* §7.4: on a security violation the image is loaded; unload it. */
		if (st == EFI_SECURITY_VIOLATION && h)
			goto unload;
		goto reclaim;
	}
	log_info("%s: %s loaded by the firmware%s", req->name,
		 uki ? "unified kernel image" : "EFI image", sb ? ", signature verified" : "");

	/*
	 * A UKI's stub takes its own .cmdline; sd-stub accepts another only
	 * with Secure Boot off, and pvhboot passes one only when it was edited.
	 */
	bool pass_cmdline = !uki || (!sb && *req->cmdline);
	if (pass_cmdline && (rc = set_options(h, req, options)) != 0)
		goto unload;
	if ((rc = efi_initrd_install(req)) != 0)
		goto unload;

	efi_bli_exec();
	log_info("%s: starting it (%s)", req->name,
		 uki ? "its stub reads .cmdline and .initrd" : "LoadImage/StartImage");
	UINTN exit_size = 0;
	CHAR16 *exit_data = NULL;
	st = uefi_call_wrapper(BS->StartImage, 3, h, &exit_size, &exit_data);
	/* Still here: the image returned (it unloads itself on Exit). */
	rc = EFI_ERROR(st) ? efi_errno(st) : -EIO;
	log_err(rc, "%s: the image returned %s", req->name, efi_status_name(st));
	if (exit_data)
		(void)uefi_call_wrapper(BS->FreePool, 1, exit_data);
	efi_initrd_uninstall();
	goto reclaim;
unload:
	efi_initrd_uninstall();
	st = uefi_call_wrapper(BS->UnloadImage, 1, h);
	if (EFI_ERROR(st))
		(void)efi_fail(st, "UnloadImage");
reclaim:
	efi_memory_reclaim();
	return rc;
}
