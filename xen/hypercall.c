/* SPDX-License-Identifier: MIT */
/*
 * Finding Xen, the hypercall page, shared_info and system time.
 */
#include "../core/errno.h"
#include "../core/io.h"
#include "../core/log.h"
#include "../core/pvclock.h"
#include "../core/time.h"
#include "xen.h"

/* Xen writes one 32-byte stub per hypercall into this page. */
static uint8_t hypercall_page[4096] __attribute__((aligned(4096)));
static struct shared_info *shinfo;

bool xen_detect(uint32_t *base)
{
	uint32_t r[4];
	/* The leaves move up by 0x100 when Xen also offers Viridian. */
	for (uint32_t b = XEN_CPUID_FIRST_LEAF; b < XEN_CPUID_FIRST_LEAF + 0x10000; b += 0x100) {
		cpuid(b, 0, r);
		if (r[1] == XEN_CPUID_SIGNATURE_EBX && r[2] == XEN_CPUID_SIGNATURE_ECX &&
		    r[3] == XEN_CPUID_SIGNATURE_EDX && r[0] - b >= 2) {
			*base = b;
			return true;
		}
	}
	return false;
}

long xen_hypercall(unsigned nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
	long ret;
	/* 64-bit ABI: arguments in rdi, rsi, rdx; Xen may clobber them. */
	__asm__ volatile("call *%[stub]"
			 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3)
			 : [stub] "r"(hypercall_page + nr * 32)
			 : "memory", "rcx", "r8", "r9", "r10", "r11");
	return ret;
}

int xen_find_hole(const struct memmap *map, uint64_t *gpa)
{
	static uint64_t next_hint;
	/* The first gap above 1 MiB (after any page already handed out) and
	 * below the local APIC. */
	uint64_t cand = MAX(next_hint, 0x100000ull);
	for (unsigned guard = 0; guard < 4 * MEMMAP_MAX && cand < 0xfee00000ull; guard++) {
		uint32_t t = memmap_type_at(map, cand);
		if (!t) {
			*gpa = cand;
			next_hint = cand + PAGE_SIZE;
			return 0;
		}
		/* Skip to the end of the range covering cand. */
		for (unsigned i = 0; i < map->count; i++) {
			const struct mem_range *r = &map->r[i];
			if (cand >= r->addr && cand - r->addr < r->size) {
				cand = ALIGN_UP(mem_range_end(r), PAGE_SIZE);
				break;
			}
		}
	}
	return -ENOMEM;
}

static int map_shared_info(const struct memmap *map)
{
	uint64_t gpa;
	int rc = xen_find_hole(map, &gpa);
	if (rc)
		return log_err(rc, "xen: no hole in the memory map for shared_info");
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = gpa >> 12,
	};
	long r = xen_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (uintptr_t)&xatp, 0);
	if (r)
		return log_err(-EIO, "xen: mapping shared_info failed (%ld)", r);
	shinfo = (struct shared_info *)(uintptr_t)gpa;
	return 0;
}

uint64_t xen_time_ns(void)
{
	const volatile struct vcpu_time_info *t = &shinfo->vcpu_info[0].time;
	uint32_t version;
	uint64_t tsc_ts, sys;
	uint32_t mul;
	int8_t shift;
	do {
		version = t->version;
		__asm__ volatile("lfence" ::: "memory");
		tsc_ts = t->tsc_timestamp;
		sys = t->system_time;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		__asm__ volatile("lfence" ::: "memory");
	} while ((version & 1) || version != t->version);
	uint64_t delta = rdtsc() - tsc_ts;
	delta = shift < 0 ? delta >> -shift : delta << shift;
	return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

/* The TSC rate Xen's clock implies, for core/time. */
static void share_tsc_rate(void)
{
	const volatile struct vcpu_time_info *t = &shinfo->vcpu_info[0].time;
	time_set_tsc_khz(pvclock_tsc_khz(t->tsc_to_system_mul, t->tsc_shift));
}

void xen_evtchn_send(uint32_t port)
{
	uint32_t p = port;
	xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (uintptr_t)&p, 0);
}

static bool test_and_clear(uint32_t port)
{
	volatile uint64_t *w = &shinfo->evtchn_pending[port / 64];
	uint64_t bit = 1ull << (port % 64);
	if (!(*w & bit))
		return false;
	__asm__ volatile("lock andq %1, %0" : "+m"(*w) : "r"(~bit) : "memory");
	return true;
}

bool xen_evtchn_wait(uint32_t port, uint64_t deadline_ns)
{
	for (;;) {
		if (test_and_clear(port))
			return true;
		if (xen_time_ns() >= deadline_ns)
			return false;
		uint32_t p = port;
		struct sched_poll poll = { (uintptr_t)&p, 1, 0, deadline_ns };
		/* Returns at once if the port is already pending, or at the deadline. */
		xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_poll, (uintptr_t)&poll, 0);
	}
}

int xen_evtchn_alloc(uint16_t remote, uint32_t *port)
{
	struct evtchn_alloc_unbound a = { DOMID_SELF, remote, 0 };
	long r = xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
			       (uintptr_t)&a, 0);
	if (r)
		return -EIO;
	*port = a.port;
	return 0;
}

void xen_evtchn_close(uint32_t port)
{
	uint32_t p = port;
	xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_close, (uintptr_t)&p, 0);
}

int xen_memory_map(struct memmap *out)
{
	static struct e820_entry e[MEMMAP_MAX];
	struct xen_memory_map mm = { MEMMAP_MAX, 0, (uintptr_t)e };
	long r = xen_hypercall(__HYPERVISOR_memory_op, XENMEM_memory_map, (uintptr_t)&mm, 0);
	if (r)
		return -EIO;
	memmap_init(out);
	for (uint32_t i = 0; i < mm.nr_entries && i < MEMMAP_MAX; i++)
		memmap_add(out, e[i].addr, e[i].size, e[i].type);
	return memmap_normalize(out);
}

_Noreturn void xen_poweroff(void)
{
	uint32_t reason = SHUTDOWN_poweroff;
	for (;;)
		xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (uintptr_t)&reason, 0);
}

int xen_hvm_param(uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { DOMID_SELF, 0, index, 0 };
	long r = xen_hypercall(__HYPERVISOR_hvm_op, HVMOP_get_param, (uintptr_t)&p, 0);
	if (r)
		return -EIO;
	*value = p.value;
	return 0;
}

void xen_setup_hypercalls(uint32_t base)
{
	static bool done;
	uint32_t r[4];
	if (done)
		return;
	cpuid(base + 2, 0, r);
	/* EBX is the MSR; writing the page's address installs the stubs. This
	 * also latches the 64-bit shared_info layout: we are in long mode. */
	wrmsr(r[1], (uintptr_t)hypercall_page);
	done = true;
}

int xen_init(uint32_t base, const struct memmap *map)
{
	uint32_t r[4];
	cpuid(base + 1, 0, r);
	uint32_t version = r[0];
	xen_setup_hypercalls(base);
	int rc = map_shared_info(map);
	if (rc)
		return rc;
	share_tsc_rate();
	log_info("xen %u.%u: PVH domU", version >> 16, version & 0xffff);
	return 0;
}
