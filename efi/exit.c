/* SPDX-License-Identifier: MIT */
/*
 * Leaving the firmware: the final memory map and ExitBootServices
 * (UEFI 2.10 §7.4), with the stale-key retry.
 *
 * The kernel's memory map must be the final one. The boot structures are
 * built before the exit, from the page allocator's view (plan_memmap());
 * that view differs from the final map only where the firmware turned
 * memory it had called free into something that is not RAM since the
 * loader started, because every kind of memory the firmware gives up at
 * exit is RAM in both (efi/memmap.c maps it as Linux's EFI stub does). So
 * the exit takes the final map, checks that every byte the kernel was told
 * is RAM still is, and refuses otherwise, before the point of no return.
 * Linux also gets the final EFI map itself (boot_params.efi_info), which
 * is why its buffer is set aside at start and its size filled in last
 * (efi_exit_final_map_size(), through the plan's needs).
 */
#include "bli.h"
#include "console.h"
#include "exit.h"
#include "memmap.h"
#include "status.h"
#include "core/errno.h"
#include "core/log.h"
#include "core/pagealloc.h"

/*
 * Room in the final map buffer beyond the map at start: the firmware's own
 * allocations until the exit add descriptors (Linux's stub and uefi-rs
 * allow 8; this buffer is set aside once, so it is generous).
 */
#define FINAL_SLACK_DESCS 64
/* A stale key means the map changed under us; that settles within a few rounds. */
#define EXIT_ATTEMPTS 8

static struct {
	EFI_HANDLE image;
	uint8_t *buf;           /* the final map, where efi_info points */
	uint64_t cap;
	UINTN size, key, desc_size;
	UINT32 desc_version;
	/* Scratch for the check, allocated at start: no firmware call at exit. */
	struct memmap *planned, *final, *lost;
	struct mem_range *ranges;
} fx;

int efi_exit_prepare(EFI_HANDLE image, struct boot_env *env)
{
	struct efi_memmap m;
	int rc = efi_memmap_get(&m);
	if (rc)
		return rc;
	fx.image = image;
	fx.desc_size = m.desc_size;
	fx.desc_version = m.desc_version;
	fx.cap = ALIGN_UP(2 * m.size + FINAL_SLACK_DESCS * m.desc_size, PAGE_SIZE);
	efi_memmap_free(&m);

	/*
	 * The buffer must survive the copies of the handoff: MEM_KEEP keeps
	 * every chunk off it (and shows it reserved, which Linux does with
	 * the EFI map anyway).
	 */
	fx.buf = page_alloc(fx.cap, PAGE_SIZE, PAGEALLOC_LIMIT);
	if (!fx.buf || pagealloc_reserve((uintptr_t)fx.buf, fx.cap, MEM_KEEP))
		return log_err(-ENOMEM, "efi: no memory for the final memory map");
	fx.planned = malloc(sizeof(*fx.planned));
	fx.final = malloc(sizeof(*fx.final));
	fx.lost = malloc(sizeof(*fx.lost));
	fx.ranges = calloc(MEMMAP_MAX, sizeof(*fx.ranges));
	if (!fx.planned || !fx.final || !fx.lost || !fx.ranges)
		return log_err(-ENOMEM, "efi: no memory to check the final memory map");

	env->efi_systab = (uintptr_t)ST;
	env->efi_memmap = (uintptr_t)fx.buf;
	env->efi_memmap_size = 0; /* known at the exit: efi_exit_patch_plan() */
	env->efi_memdesc_size = (uint32_t)fx.desc_size;
	env->efi_memdesc_version = fx.desc_version;
	return 0;
}

/* GetMemoryMap into the buffer set aside: no allocation, so the key holds. */
static int take_final_map(void)
{
	UINTN size = fx.cap, desc_size;
	UINT32 version;
	EFI_STATUS st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size,
					  (EFI_MEMORY_DESCRIPTOR *)fx.buf, &fx.key, &desc_size,
					  &version);
	if (st == EFI_BUFFER_TOO_SMALL)
		return log_err(-ENOSPC, "efi: the memory map grew past %lu bytes",
			       (unsigned long)fx.cap);
	if (EFI_ERROR(st))
		return efi_fail(st, "GetMemoryMap (final)");
	/* efi_info carries one descriptor size: it must not have changed. */
	if (desc_size != fx.desc_size || version != fx.desc_version)
		return log_err(-EINVAL, "efi: descriptor size changed from %lu to %lu",
			       (unsigned long)fx.desc_size, (unsigned long)desc_size);
	fx.size = size;
	return 0;
}

/*
 * fx.lost := the RAM of the kernel's map that the final map does not call
 * RAM, as E820_RESERVED ranges. Returns how many there are, or -E*.
 */
static int find_lost_ram(void)
{
	uint32_t n;
	int rc = efi_memmap_to_e820(fx.buf, fx.size, fx.desc_size, fx.ranges, MEMMAP_MAX, &n);
	if (rc)
		return rc;
	memmap_init(fx.final);
	for (uint32_t i = 0; i < n; i++)
		if ((rc = memmap_add(fx.final, fx.ranges[i].addr, fx.ranges[i].size,
				     fx.ranges[i].type)) != 0)
			return rc;
	if ((rc = memmap_normalize(fx.final)) || (rc = pagealloc_kernel_map(fx.planned)))
		return rc;

	memmap_init(fx.lost);
	for (unsigned i = 0; i < fx.planned->count; i++) {
		const struct mem_range *r = &fx.planned->r[i];
		if (r->type == E820_RAM && (rc = memmap_add(fx.lost, r->addr, r->size,
							    E820_RESERVED)) != 0)
			return rc;
	}
	for (unsigned i = 0; i < fx.final->count; i++) {
		const struct mem_range *r = &fx.final->r[i];
		if (r->type == E820_RAM && (rc = memmap_set(fx.lost, r->addr, r->size, E820_RAM)))
			return rc;
	}
	int lost = 0;
	for (unsigned i = 0; i < fx.lost->count; i++)
		lost += fx.lost->r[i].type == E820_RESERVED;
	return lost;
}

/*
 * Before the point of no return: name what was lost, and keep the page
 * allocator off it, so that planning again gives a map that holds.
 */
static int refuse_lost_ram(int lost)
{
	for (unsigned i = 0; i < fx.lost->count; i++) {
		const struct mem_range *r = &fx.lost->r[i];
		if (r->type != E820_RESERVED)
			continue;
		log_err(-EAGAIN, "efi: 0x%lx-0x%lx was free RAM when the kernel was planned; the "
			"firmware has taken it", (unsigned long)r->addr,
			(unsigned long)mem_range_end(r));
		/* Fails only over a hole: then there is nothing to keep off. */
		(void)pagealloc_reserve(r->addr, r->size, MEM_KEEP);
	}
	return log_err(-EAGAIN, "efi: %d range(s) of the kernel's memory map are stale: plan again",
		       lost);
}

/* After a first ExitBootServices call nothing can be undone: reset (runtime services stay). */
static _Noreturn void exit_failed(int rc, const char *why)
{
	log_err(rc, "efi: ExitBootServices: %s; resetting", why);
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetCold, EFI_ABORTED, 0, NULL);
	panic("efi: ResetSystem returned");
}

int efi_exit_boot_services(void)
{
	efi_bli_exec();
	int rc = take_final_map();
	if (rc)
		return rc;
	int lost = find_lost_ram();
	if (lost < 0)
		return log_err(lost, "efi: final memory map not checked");
	if (lost)
		return refuse_lost_ram(lost);

	/* From the first call on, only GetMemoryMap and ExitBootServices (§7.4). */
	efi_console_detach();
	for (unsigned attempt = 1;; attempt++) {
		EFI_STATUS st = uefi_call_wrapper(BS->ExitBootServices, 2, fx.image, fx.key);
		if (!EFI_ERROR(st))
			break;
		if (st != EFI_INVALID_PARAMETER)
			exit_failed(efi_errno(st), efi_status_name(st));
		if (attempt == EXIT_ATTEMPTS)
			exit_failed(-EAGAIN, "the memory map key kept changing");
		/* EFI_INVALID_PARAMETER: the key is stale; the map changed meanwhile. */
		if ((rc = take_final_map()) != 0)
			exit_failed(rc, "no final memory map");
		if ((lost = find_lost_ram()) != 0)
			exit_failed(lost < 0 ? lost : -EAGAIN, "the firmware took planned RAM");
	}
	/* The firmware's timer is stopped; nothing may interrupt the handoff. */
	__asm__ volatile("cli" ::: "memory");
	log_info("efi: boot services exited; final map %lu descriptors",
		 (unsigned long)(fx.size / fx.desc_size));
	return 0;
}

uint32_t efi_exit_final_map_size(void)
{
	return (uint32_t)fx.size;
}
