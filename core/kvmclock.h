/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_CORE_KVMCLOCK_H
#define PVHBOOT_CORE_KVMCLOCK_H

#include <stdint.h>

/* The TSC kHz KVM's paravirtual clock states, 0 when not under KVM. */
uint64_t kvmclock_tsc_khz(void);

#endif
