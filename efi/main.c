/* SPDX-License-Identifier: MIT */
/*
 * pvhboot as an x86_64 EFI application. The firmware enters gnu-efi's crt0
 * (_start) with the MS ABI arguments of UEFI 2.10 §4.1 EFI_IMAGE_ENTRY_POINT;
 * crt0 applies the image's relocations and calls efi_main with the same two
 * arguments in the System V ABI. For now it reports what the platform offers -
 * memory map, RSDP, disks - and then returns to the firmware, or powers
 * the machine off when asked to by the "poweroff" option.
 */
#include "acpi.h"
#include "console.h"
#include "disks.h"
#include "loadopts.h"
#include "memmap.h"
#include "options.h"
#include "pages.h"
#include "status.h"
#include "core/console.h"
#include "core/errno.h"
#include "core/log.h"
#include "core/stackprot.h"

#ifndef PVHBOOT_VERSION
#define PVHBOOT_VERSION "0.1"
#endif

/*
 * The boot manager arms a 5-minute watchdog before it starts a boot option
 * (UEFI 2.10 §7.5 SetWatchdogTimer; EDK2 does it in BmLoadOption.c): a
 * loader waiting in a menu must not be reset by it.
 */
static void disable_watchdog(void)
{
	EFI_STATUS st = uefi_call_wrapper(BS->SetWatchdogTimer, 4, 0, 0, 0, NULL);
	if (EFI_ERROR(st))
		(void)efi_fail(st, "SetWatchdogTimer");
}

static int report_memmap(void)
{
	struct efi_memmap m;
	uint32_t count;
	int rc = efi_memmap_get(&m);
	if (rc)
		return rc;

	uint64_t descs = efi_memmap_count(m.size, m.desc_size);
	uint64_t conventional = efi_memmap_bytes(m.buf, m.size, m.desc_size, EfiConventionalMemory);
	printk("memmap: %lu descriptors, %lu MiB conventional\n", (unsigned long)descs,
	       (unsigned long)(conventional >> 20));

	/* From the heap rather than the image: gnu-efi stores .bss in the file. */
	struct mem_range *ranges = calloc(MEMMAP_MAX, sizeof(*ranges));
	if (!ranges) {
		efi_memmap_free(&m);
		return log_err(-ENOMEM, "efi: no memory for the E820 view of the memory map");
	}
	rc = efi_memmap_to_e820(m.buf, m.size, m.desc_size, ranges, MEMMAP_MAX, &count);
	efi_memmap_free(&m);
	if (rc) {
		log_err(rc, "efi: memory map of %lu descriptors (%lu bytes each) not converted",
			(unsigned long)descs, (unsigned long)m.desc_size);
		goto out_free;
	}
	for (uint32_t i = 0; i < count; i++)
		printk("  e820 0x%016lx-0x%016lx %s\n", (unsigned long)ranges[i].addr,
		       (unsigned long)(ranges[i].addr + ranges[i].size - 1),
		       ranges[i].type == E820_SOFT_RESERVED ? "soft-reserved"
							    : memmap_type_name(ranges[i].type));
out_free:
	free(ranges);
	return rc;
}

static int report_rsdp(void)
{
	uint64_t rsdp;
	int rc = efi_find_rsdp(ST, &rsdp);
	if (rc)
		return log_err(rc, "efi: no valid ACPI RSDP in the configuration table");
	printk("rsdp: 0x%lx\n", (unsigned long)rsdp);
	return 0;
}

static void power_off(void)
{
	printk("pvhboot: powering off\n");
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	/* ResetSystem does not return (UEFI 2.10 §8.5.1); firmware that does is broken. */
	log_err(-EIO, "efi: ResetSystem (shutdown) returned");
}

/* Called by crt0 in the System V ABI: no EFIAPI here. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	char options[EFI_OPTIONS_MAX];
	int failed = 0;

	InitializeLib(image, systab);
	efi_console_init(systab);
	efi_heap_init();
	/* Before any Debian decoder runs: they read the canary at %fs:0x28. */
	stackprot_init();
	printk("pvhboot " PVHBOOT_VERSION " (EFI x86_64)\n");

	disable_watchdog();
	/* Each report stands alone: one failing must not hide the others. */
	failed |= report_memmap() != 0;
	failed |= report_rsdp() != 0;
	failed |= efi_report_disks() != 0;
	failed |= efi_loader_options(image, options, sizeof(options)) != 0;

	if (failed)
		log_err(-EIO, "pvhboot: efi platform incomplete");
	else
		printk("pvhboot: efi ready\n");

	/* Power off even after a failure: a test must not wait for its timeout. */
	if (options_has_word(options, "poweroff"))
		power_off();
	return failed ? EFI_LOAD_ERROR : EFI_SUCCESS;
}
