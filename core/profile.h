/* SPDX-License-Identifier: MIT */
/*
 * Where the time from the loader's entry to the handoff goes: each phase
 * is marked when it starts, and profile_report() prints one line at
 * loglevel=debug, e.g.
 *   debug: profile: platform 0.4 ms, disks 2.1 ms, discovery 1.0 ms, ...
 * A phase never entered is left out. Costs one rdtsc per mark.
 */
#ifndef PVHBOOT_CORE_PROFILE_H
#define PVHBOOT_CORE_PROFILE_H

#include "lib.h"

enum boot_phase {
	PHASE_PLATFORM,  /* from the entry: console, memory, clock, hypervisor */
	PHASE_DISKS,     /* device probing, partitions, filesystems */
	PHASE_DISCOVERY, /* finding and parsing the menu */
	PHASE_MENU,      /* the menu or the scripted choice */
	PHASE_READ,      /* reading the kernel and its modules */
	PHASE_PLAN,      /* decompression, detection, the boot plan */
	PHASE_HANDOFF,   /* preparing the handoff, leaving the platform */
	PHASE_COUNT,
};

/* Called first thing at entry: the clock's zero for the profile. */
void profile_start(void);
/* @phase starts now (and the one before it ends). */
void profile_phase(enum boot_phase phase);
/* The line above, at loglevel=debug. */
void profile_report(void);

#endif
