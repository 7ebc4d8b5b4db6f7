/* SPDX-License-Identifier: MIT */
/*
 * pvhboot as an x86_64 EFI application. The firmware enters gnu-efi's crt0
 * (_start) with the MS ABI arguments of UEFI 2.10 §4.1 EFI_IMAGE_ENTRY_POINT;
 * crt0 applies the image's relocations and calls efi_main with the same two
 * arguments in the System V ABI. It reports what the platform offers -
 * memory map, RSDP, disks - then registers the whole disks and boots from
 * them through the shared flow (config/boot.c), as the PVH platforms do.
 * With nothing to boot it returns to the firmware. Two options are the platform's own (docs/efi.md):
 * "set-oneshot=ID" stores LoaderEntryOneShot, and "poweroff" powers the
 * machine off instead of booting.
 */
#include "acpi.h"
#include "bli.h"
#include "blockio.h"
#include "console.h"
#include "disks.h"
#include "exit.h"
#include "gop.h"
#include "image.h"
#include "loadopts.h"
#include "memmap.h"
#include "options.h"
#include "pages.h"
#include "platform.h"
#include "status.h"
#include "boot/discover.h"
#include "core/console.h"
#include "core/errno.h"
#include "core/io.h"
#include "core/log.h"
#include "core/profile.h"
#include "core/stackprot.h"
#include "core/time.h"
#include "fs/volumes.h"

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
	/* Free memory as the firmware had it, before the loader took its share. */
	printk("memmap: %lu descriptors, %lu MiB conventional\n", (unsigned long)descs,
	       (unsigned long)(efi_memory_free_at_start() >> 20));
	printk("memory: %lu MiB taken for the loader\n", (unsigned long)(efi_memory_taken() >> 20));

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

static int report_rsdp(uint64_t *rsdp)
{
	int rc = efi_find_rsdp(ST, rsdp);
	if (rc)
		return log_err(rc, "efi: no valid ACPI RSDP in the configuration table");
	printk("rsdp: 0x%lx\n", (unsigned long)*rsdp);
	return 0;
}

/*
 * The TSC frequency, for menu timeouts and the Boot Loader Interface's
 * times: as CPUID states it, else measured against the firmware's Stall
 * (UEFI 2.10 §7.5); core/time.c would otherwise program the PIT, which is
 * the firmware's while boot services run.
 */
static void calibrate_tsc(void)
{
	const char *source;
	uint64_t khz = time_tsc_khz_stated(0, &source);
	if (khz) {
		time_set_tsc_khz(khz);
		log_info("clock: TSC at %lu kHz (%s)", (unsigned long)khz, source);
		return;
	}
	uint64_t start = rdtsc();
	EFI_STATUS st = uefi_call_wrapper(BS->Stall, 1, 10000);
	uint64_t ticks = rdtsc() - start;
	if (EFI_ERROR(st))
		(void)efi_fail(st, "Stall");
	else
		time_set_tsc_khz(ticks / 10);
}

/* "set-oneshot=ID": what `bootctl set-oneshot ID` does, from the loader. */
static void set_one_shot(const char *options)
{
	char id[256];
	int rc = options_value(options, "set-oneshot", id, sizeof(id));
	if (rc == -E2BIG)
		log_err(rc, "set-oneshot: entry id too long");
	else if (rc == 0)
		(void)efi_bli_set_one_shot(id);
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
	/* A PC: BIOS-minded kernels find what they expect (efi/bda.c). */
	static struct boot_env env = { .platform = PLATFORM_EFI, .legacy_pc = true };
	env.efi_image_handle = (uintptr_t)image;
	static struct loader_options opts;
	char options[EFI_OPTIONS_MAX];
	int failed = 0;

	profile_start();
	InitializeLib(image, systab);
	/* QEMU's debug console, when there is one: it outlives ExitBootServices. */
	console_e9_init();
	efi_console_init(systab);
	/* Before anything allocates: malloc() comes from the memory taken here. */
	if (efi_memory_init()) {
		log_err(-ENOMEM, "pvhboot: no memory map, cannot go on");
		return EFI_OUT_OF_RESOURCES;
	}
	/* Before any Debian decoder runs: they read the canary at %fs:0x28. */
	stackprot_init();
	calibrate_tsc();
	printk("pvhboot " PVHBOOT_VERSION " (EFI x86_64)\n");

	disable_watchdog();
	/*
	 * Diagnostics: what they fail to show is logged, and nothing else
	 * depends on them, so a failing report never stops a boot. A kernel
	 * without an RSDP is told there is none.
	 */
	(void)report_memmap();
	(void)report_rsdp(&env.rsdp);
	(void)efi_report_disks();
	/* What the boot needs: each stands alone, one failing must not hide the others. */
	failed |= efi_loader_options(image, options, sizeof(options)) != 0;
	failed |= efi_exit_prepare(image, &env) != 0;
	profile_phase(PHASE_DISKS);
	failed |= efi_blockio_register() != 0;
	/* No GOP (no display device) is normal: kernels then get no framebuffer. */
	int rc = efi_gop_framebuffer(&env);
	failed |= rc != 0 && rc != -ENOENT;

	if (failed)
		log_err(-EIO, "pvhboot: efi platform incomplete");
	else
		printk("pvhboot: efi ready\n");

	set_one_shot(options);
	/* Power off even after a failure: a test must not wait for its timeout. */
	if (options_has_word(options, "poweroff"))
		power_off();
	if (failed)
		return EFI_LOAD_ERROR;

	efi_bli_start(image);
	efi_image_init(image);
	if (options_parse(options, &opts)) {
		log_err(-ENOMEM, "pvhboot: out of memory parsing the options");
		return EFI_OUT_OF_RESOURCES;
	}
	volumes_discover();
	/*
	 * Nothing to boot: under EFI the firmware tries its next boot option,
	 * so return instead of stopping the machine. EFI_SUCCESS: EDK2's boot
	 * manager then shows its menu rather than taking this for a failure.
	 */
	if (!boot_discover(&opts)) {
		log_info("pvhboot: nothing to boot on %u filesystem(s); back to the firmware",
			 volumes_count());
		return EFI_SUCCESS;
	}
	boot_menu_run(&efi_platform, &env, &opts);
}
