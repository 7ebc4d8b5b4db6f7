/* SPDX-License-Identifier: MIT */
/*
 * KVM's paravirtual clock, as a guest sees it. Sources: Linux
 * Documentation/virt/kvm/x86/cpuid.rst (the signature leaf and the feature
 * bits) and msr.rst (MSR_KVM_SYSTEM_TIME{,_NEW} and the structure it
 * points at, which is Xen's vcpu_time_info: include/abi/xen.h).
 */
#ifndef PVHBOOT_ABI_KVM_H
#define PVHBOOT_ABI_KVM_H

#include "abi.h"

/* CPUID 0x40000000 (or a later base, 0x100 apart): "KVMKVMKVM\0\0\0". */
#define KVM_SIGNATURE_EBX 0x4b4d564bu
#define KVM_SIGNATURE_ECX 0x564b4d56u
#define KVM_SIGNATURE_EDX 0x0000004du

/* CPUID base + 1, EAX. */
#define KVM_FEATURE_CLOCKSOURCE (1u << 0)  /* MSR_KVM_SYSTEM_TIME */
#define KVM_FEATURE_CLOCKSOURCE2 (1u << 3) /* MSR_KVM_SYSTEM_TIME_NEW */

/* Bit 0 enables; the rest is the guest-physical address, 4-byte aligned. */
#define MSR_KVM_SYSTEM_TIME 0x12u
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01u

/* ns = (TSC ticks scaled by 2^tsc_shift) * tsc_to_system_mul / 2^32. */
struct pvclock_vcpu_time_info {
	uint32_t version; /* odd while the hypervisor updates it */
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
};
ABI_OFFSET(struct pvclock_vcpu_time_info, tsc_to_system_mul, 24);
ABI_OFFSET(struct pvclock_vcpu_time_info, tsc_shift, 28);
ABI_SIZE(struct pvclock_vcpu_time_info, 32);

#endif
