/* SPDX-License-Identifier: MIT */
#include "secureboot.h"
#include "status.h"
#include "core/errno.h"
#include "core/log.h"
#include "include/abi/uefi_boot.h"

/*
 * The digests `pvhboot enroll` writes into the signed image. Not const and
 * not static, so the compiler cannot fold the zeroes it was built with; the
 * linker script keeps the section and objcopy copies it into the PE.
 */
struct pvhcfg_section pvhboot_enrolled_configs
	__attribute__((section(".pvhcfg"), used, aligned(8))) = { .magic = PVHCFG_MAGIC };

/*
 * SBAT (shim's SBAT.md): the component generation shim checks this image
 * against, so a distro shim that enforces SBAT starts it. Raise the
 * pvhboot generation when a Secure Boot bypass is fixed.
 */
static const char sbat[] __attribute__((section(".sbat"), used)) =
	"sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\n"
	"pvhboot,1,pvhboot,pvhboot,1,https://github.com/pvhboot/pvhboot\n";

static EFI_GUID global_var = EFI_GLOBAL_VARIABLE;
static EFI_GUID shim_lock_guid = { 0x605dab50, 0xe046, 0x4300,
				   { 0xab, 0xb6, 0x3d, 0xd8, 0x10, 0xdd, 0x8b, 0x23 } };

/* shim.h: Verify checks a PE image in memory against db, MOK and SBAT. */
struct shim_lock {
	EFI_STATUS(EFIAPI *verify)(void *buffer, UINT32 size);
	void *hash;
	void *context;
};

static int var_u8(CHAR16 *name, uint8_t *out)
{
	UINTN size = 1;
	UINT32 attrs;
	EFI_STATUS st = uefi_call_wrapper(RT->GetVariable, 5, name, &global_var, &attrs, &size,
					  out);
	if (st == EFI_NOT_FOUND)
		return -ENOENT;
	if (EFI_ERROR(st))
		return efi_fail(st, "GetVariable");
	return size == 1 ? 0 : -EINVAL;
}

bool efi_secure_boot(void)
{
	static int state = -1;
	uint8_t sb = 0, setup = 1;
	if (state >= 0)
		return state;
	bool have_sb = !var_u8(L"SecureBoot", &sb);
	(void)var_u8(L"SetupMode", &setup);
	state = have_sb && sb == 1 && setup == 0;
	log_info("efi: Secure Boot %s (SecureBoot=%u SetupMode=%u)",
		 state ? "enforcing" : "off", have_sb ? sb : 0, setup);
	return state;
}

int efi_shim_verify(const void *image, size_t size)
{
	struct shim_lock *shim;
	EFI_STATUS st = uefi_call_wrapper(BS->LocateProtocol, 3, &shim_lock_guid, NULL,
					  (void **)&shim);
	if (EFI_ERROR(st))
		return -ENOENT;
	if (size > UINT32_MAX)
		return log_err(-EFBIG, "efi: shim cannot verify an image of %lu bytes",
			       (unsigned long)size);
	st = uefi_call_wrapper(shim->verify, 2, (void *)image, (UINT32)size);
	if (EFI_ERROR(st))
		return log_err(-EACCES, "efi: shim refused the image: %s", efi_status_name(st));
	return 0;
}

bool efi_config_enrolled(const uint8_t sha256[32])
{
	const volatile struct pvhcfg_section *s = &pvhboot_enrolled_configs;
	uint32_t count = s->count;
	(void)sbat;
	if (count > PVHCFG_MAX_DIGESTS)
		return false;
	for (uint32_t i = 0; i < count; i++) {
		uint8_t d[32];
		for (unsigned b = 0; b < 32; b++)
			d[b] = s->sha256[i][b];
		if (!memcmp(d, sha256, 32))
			return true;
	}
	return false;
}
