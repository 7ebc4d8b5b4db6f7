/* SPDX-License-Identifier: MIT */
/*
 * The Xen PVH domU platform: detection, hypercalls, event channels with
 * bounded waits, the PV console, xenstore, grants and blkfront.
 */
#ifndef PVHBOOT_XEN_XEN_H
#define PVHBOOT_XEN_XEN_H

#include "../core/memmap.h"
#include "../include/abi/xen.h"

/* Is this a Xen guest? Fills the CPUID base leaf. */
bool xen_detect(uint32_t *base);

/* Install the hypercall page (idempotent); enough for memory_op. */
void xen_setup_hypercalls(uint32_t cpuid_base);

/*
 * xen_init() - hypercall page, shared_info (mapped into a hole of @map, the
 * firmware map, so no RAM page goes missing), system time, console and
 * xenstore parameters. Returns 0 or -E*.
 */
int xen_init(uint32_t cpuid_base, const struct memmap *map);

long xen_hypercall(unsigned nr, uint64_t a1, uint64_t a2, uint64_t a3);
int xen_hvm_param(uint32_t index, uint64_t *value);

/* Xen system time in ns (from shared_info's vcpu 0 time record). */
uint64_t xen_time_ns(void);

/* Event channels: notify, and wait for @port until @deadline_ns (Xen time). */
void xen_evtchn_send(uint32_t port);
/* Returns true when the port fired (and clears it), false at the deadline. */
bool xen_evtchn_wait(uint32_t port, uint64_t deadline_ns);
int xen_evtchn_alloc(uint16_t remote, uint32_t *port);
void xen_evtchn_close(uint32_t port);

/* A page-aligned guest frame outside RAM and every firmware range. */
int xen_find_hole(const struct memmap *map, uint64_t *gpa);

int xen_memory_map(struct memmap *out);
void xen_console_init(void);
_Noreturn void xen_poweroff(void);

/* Grants: a reference giving @domid access to the frame of @gpa. */
int xen_grant_init(const struct memmap *map);
int xen_grant(uint16_t domid, uint64_t gpa, bool readonly, uint32_t *ref);
void xen_grant_revoke(uint32_t ref);

/* xenstore; paths relative to the domain's own directory are allowed. */
int xs_init(void);
int xs_read(const char *path, char *buf, size_t cap);
int xs_read_u64(const char *path, uint64_t *v);
int xs_write(const char *path, const char *value);
int xs_rm(const char *path);
/* NUL-separated names into @buf; returns the count or -E*. */
int xs_directory(const char *path, char *buf, size_t cap);

/* blkfront: connect every device/vbd/N as xvdX; tear them down before handoff. */
void blkfront_probe_all(void);
void blkfront_shutdown_all(void);

#endif
