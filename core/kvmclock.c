/* SPDX-License-Identifier: MIT */
/*
 * The TSC rate from KVM's paravirtual clock, without a PIT window: QEMU
 * states it in CPUID 0x40000010 only with invtsc, and a PIT calibration on
 * a busy host has been seen 49 % off. The clock structure is lent to KVM
 * for as long as it takes to read it and then taken back: left enabled,
 * KVM would go on writing into memory that becomes the kernel's. A clock
 * the firmware enabled is read where it is and left alone.
 */
#include "../include/abi/kvm.h"
#include "barrier.h"
#include "io.h"
#include "kvmclock.h"
#include "pvclock.h"

/* 32 bytes that must not cross a page: aligned to their size. */
static struct pvclock_vcpu_time_info loaned __attribute__((aligned(32)));

/* KVM's CPUID base: 0x40000000, or 0x100 further per interface before it
 * (with Hyper-V's enlightenments KVM answers at 0x40000100). */
static uint32_t kvm_cpuid_base(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (!(r[2] & (1u << 31))) /* no hypervisor */
		return 0;
	for (uint32_t base = 0x40000000; base < 0x40010000; base += 0x100) {
		cpuid(base, 0, r);
		if (r[1] == KVM_SIGNATURE_EBX && r[2] == KVM_SIGNATURE_ECX &&
		    r[3] == KVM_SIGNATURE_EDX)
			return base;
	}
	return 0;
}

/* The scale, once no update is in progress (the version is odd during one). */
static bool read_scale(const volatile struct pvclock_vcpu_time_info *t, uint32_t *mul,
		       int8_t *shift)
{
	for (int tries = 0; tries < 1000; tries++) {
		uint32_t version = t->version;
		rmb_ordered();
		*mul = t->tsc_to_system_mul;
		*shift = t->tsc_shift;
		rmb_ordered();
		if (!(version & 1) && version == t->version && *mul)
			return true;
	}
	return false;
}

uint64_t kvmclock_tsc_khz(void)
{
	uint32_t base = kvm_cpuid_base(), r[4];
	if (!base)
		return 0;
	cpuid(base + 1, 0, r);
	uint32_t msr = r[0] & KVM_FEATURE_CLOCKSOURCE2 ? MSR_KVM_SYSTEM_TIME_NEW
		       : r[0] & KVM_FEATURE_CLOCKSOURCE ? MSR_KVM_SYSTEM_TIME
							 : 0;
	if (!msr)
		return 0;
	uint64_t enabled = rdmsr(msr);
	const volatile struct pvclock_vcpu_time_info *t = &loaned;
	if (enabled & 1) {
		uint64_t at = enabled & ~1ull;
		if (at + sizeof(*t) > 1ull << 32) /* only the low 4 GiB are mapped */
			return 0;
		t = (const volatile void *)(uintptr_t)at;
	} else {
		/* KVM fills the structure before the guest runs on after the write. */
		wrmsr(msr, (uintptr_t)&loaned | 1);
	}
	uint32_t mul = 0;
	int8_t shift = 0;
	bool ok = read_scale(t, &mul, &shift);
	if (!(enabled & 1))
		wrmsr(msr, 0);
	return ok ? pvclock_tsc_khz(mul, shift) : 0;
}
