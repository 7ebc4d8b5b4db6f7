/* SPDX-License-Identifier: MIT */
/*
 * Xen public interfaces a PVH domU loader uses, in the 64-bit ABI (the
 * loader makes every hypercall from long mode, and the shared_info layout is
 * latched to 64-bit when the hypercall page is installed from long mode).
 * Sources: xen/include/public/{xen.h, memory.h, hvm/params.h, hvm/hvm_op.h,
 * event_channel.h, sched.h, grant_table.h, io/console.h, io/xs_wire.h,
 * io/ring.h, io/blkif.h, io/xenbus.h, arch-x86/cpuid.h}.
 */
#ifndef PVHBOOT_ABI_XEN_H
#define PVHBOOT_ABI_XEN_H

#include "abi.h"

#define XEN_CPUID_FIRST_LEAF 0x40000000u
#define XEN_CPUID_SIGNATURE_EBX 0x566e6558u /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX 0x65584d4du /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX 0x4d4d566eu /* "nVMM" */

#define DOMID_SELF 0x7ff0u

/* Hypercall numbers */
#define __HYPERVISOR_memory_op 12
#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_grant_table_op 20
#define __HYPERVISOR_sched_op 29
#define __HYPERVISOR_event_channel_op 32
#define __HYPERVISOR_hvm_op 34

/* memory_op */
#define XENMEM_add_to_physmap 7
#define XENMEM_memory_map 9
#define XENMEM_set_memory_map 13
#define XENMAPSPACE_shared_info 0
#define XENMAPSPACE_grant_table 1

struct xen_add_to_physmap {
	uint16_t domid;
	uint16_t size;
	uint32_t space;
	uint64_t idx;
	uint64_t gpfn;
};
ABI_OFFSET(struct xen_add_to_physmap, space, 4);
ABI_OFFSET(struct xen_add_to_physmap, idx, 8);
ABI_OFFSET(struct xen_add_to_physmap, gpfn, 16);
ABI_SIZE(struct xen_add_to_physmap, 24);

struct xen_memory_map {
	uint32_t nr_entries;
	uint32_t _pad;
	uint64_t buffer; /* struct e820_entry[] */
};
ABI_OFFSET(struct xen_memory_map, buffer, 8);
ABI_SIZE(struct xen_memory_map, 16);

struct xen_foreign_memory_map {
	uint16_t domid;
	uint16_t _pad[3];
	struct xen_memory_map map;
};
ABI_OFFSET(struct xen_foreign_memory_map, map, 8);
ABI_SIZE(struct xen_foreign_memory_map, 24);

/* hvm_op */
#define HVMOP_get_param 1
#define HVM_PARAM_STORE_PFN 1
#define HVM_PARAM_STORE_EVTCHN 2
#define HVM_PARAM_CONSOLE_PFN 17
#define HVM_PARAM_CONSOLE_EVTCHN 18

struct xen_hvm_param {
	uint16_t domid;
	uint16_t _pad;
	uint32_t index;
	uint64_t value;
};
ABI_OFFSET(struct xen_hvm_param, index, 4);
ABI_OFFSET(struct xen_hvm_param, value, 8);
ABI_SIZE(struct xen_hvm_param, 16);

/* console_io */
#define CONSOLEIO_write 0

/* event_channel_op */
#define EVTCHNOP_close 3
#define EVTCHNOP_send 4
#define EVTCHNOP_alloc_unbound 6

struct evtchn_alloc_unbound {
	uint16_t dom;
	uint16_t remote_dom;
	uint32_t port;
};
ABI_SIZE(struct evtchn_alloc_unbound, 8);

/* sched_op */
#define SCHEDOP_yield 0
#define SCHEDOP_shutdown 2
#define SCHEDOP_poll 3
#define SHUTDOWN_poweroff 0

struct sched_poll {
	uint64_t ports;    /* guest handle: evtchn_port_t[] */
	uint32_t nr_ports;
	uint32_t _pad;
	uint64_t timeout;  /* absolute Xen system time in ns; 0: none */
};
ABI_OFFSET(struct sched_poll, nr_ports, 8);
ABI_OFFSET(struct sched_poll, timeout, 16);
ABI_SIZE(struct sched_poll, 24);

/* shared_info (64-bit layout) */
struct vcpu_time_info {
	uint32_t version;
	uint32_t _pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t _pad1[2];
};
ABI_SIZE(struct vcpu_time_info, 32);

struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint8_t _pad0[6];
	uint64_t evtchn_pending_sel;
	uint64_t arch_cr2;
	uint64_t arch_pad;
	struct vcpu_time_info time;
};
ABI_OFFSET(struct vcpu_info, evtchn_pending_sel, 8);
ABI_OFFSET(struct vcpu_info, time, 32);
ABI_SIZE(struct vcpu_info, 64);

struct shared_info {
	struct vcpu_info vcpu_info[32];
	uint64_t evtchn_pending[64];
	uint64_t evtchn_mask[64];
};
ABI_OFFSET(struct shared_info, evtchn_pending, 2048);
ABI_OFFSET(struct shared_info, evtchn_mask, 2560);

/* grant_table_op */
#define GNTTABOP_setup_table 2
#define GNTTABOP_set_version 8
#define GTF_permit_access 1u
#define GTF_reading (1u << 3)
#define GTF_writing (1u << 4)
#define GNTTAB_NR_RESERVED_ENTRIES 8

struct gnttab_setup_table {
	uint16_t dom;
	uint16_t _pad0;
	uint32_t nr_frames;
	int16_t status;
	uint16_t _pad1[3];
	uint64_t frame_list; /* guest handle: xen_pfn_t[] */
};
ABI_OFFSET(struct gnttab_setup_table, nr_frames, 4);
ABI_OFFSET(struct gnttab_setup_table, status, 8);
ABI_OFFSET(struct gnttab_setup_table, frame_list, 16);
ABI_SIZE(struct gnttab_setup_table, 24);

struct gnttab_set_version {
	uint32_t version;
};

struct grant_entry_v1 {
	uint16_t flags;
	uint16_t domid;
	uint32_t frame;
};
ABI_SIZE(struct grant_entry_v1, 8);

/* PV console ring */
struct xencons_interface {
	char in[1024];
	char out[2048];
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
};
ABI_OFFSET(struct xencons_interface, in_cons, 3072);
ABI_OFFSET(struct xencons_interface, out_cons, 3080);
ABI_OFFSET(struct xencons_interface, out_prod, 3084);

/* xenstore ring and wire format */
#define XENSTORE_RING_SIZE 1024
#define XENSTORE_PAYLOAD_MAX 4096
struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE];
	char rsp[XENSTORE_RING_SIZE];
	uint32_t req_cons, req_prod;
	uint32_t rsp_cons, rsp_prod;
};
ABI_OFFSET(struct xenstore_domain_interface, req_cons, 2048);
ABI_OFFSET(struct xenstore_domain_interface, req_prod, 2052);
ABI_OFFSET(struct xenstore_domain_interface, rsp_cons, 2056);
ABI_OFFSET(struct xenstore_domain_interface, rsp_prod, 2060);

enum xsd_sockmsg_type {
	XS_DIRECTORY = 1,
	XS_READ = 2,
	XS_WRITE = 11,
	XS_RM = 13,
	XS_WATCH_EVENT = 15,
	XS_ERROR = 16,
};

struct xsd_sockmsg {
	uint32_t type;
	uint32_t req_id;
	uint32_t tx_id;
	uint32_t len;
};
ABI_SIZE(struct xsd_sockmsg, 16);

/* XenbusState */
enum xenbus_state {
	XenbusStateUnknown = 0,
	XenbusStateInitialising = 1,
	XenbusStateInitWait = 2,
	XenbusStateInitialised = 3,
	XenbusStateConnected = 4,
	XenbusStateClosing = 5,
	XenbusStateClosed = 6,
};

/* Shared ring header (io/ring.h) */
struct ring_header {
	uint32_t req_prod, req_event;
	uint32_t rsp_prod, rsp_event;
	uint8_t pvt[4];
	uint8_t _pad[44];
};
ABI_SIZE(struct ring_header, 64);

/* blkif, x86_64-abi */
#define BLKIF_OP_READ 0
#define BLKIF_OP_WRITE 1
#define BLKIF_OP_WRITE_BARRIER 2  /* with feature-barrier: a write ordered and on disk */
#define BLKIF_OP_FLUSH_DISKCACHE 3 /* with feature-flush-cache: no segments */
#define BLKIF_OP_INDIRECT 6
#define BLKIF_MAX_SEGMENTS_PER_REQUEST 11
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8
#define BLKIF_RSP_OKAY 0
#define VDISK_CDROM 1u
#define VDISK_READONLY 4u

struct blkif_segment {
	uint32_t gref;
	uint8_t first_sect, last_sect;
	uint16_t _pad;
};
ABI_SIZE(struct blkif_segment, 8);

struct blkif_request {
	uint8_t operation;
	uint8_t nr_segments;
	uint16_t handle;
	uint32_t _pad;
	uint64_t id;
	uint64_t sector_number;
	struct blkif_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};
ABI_OFFSET(struct blkif_request, id, 8);
ABI_OFFSET(struct blkif_request, sector_number, 16);
ABI_OFFSET(struct blkif_request, seg, 24);
ABI_SIZE(struct blkif_request, 112);

struct blkif_request_indirect {
	uint8_t operation;    /* BLKIF_OP_INDIRECT */
	uint8_t indirect_op;
	uint16_t nr_segments;
	uint32_t _pad0;
	uint64_t id;
	uint64_t sector_number;
	uint16_t handle;
	uint16_t _pad1;
	uint32_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	uint32_t _pad2;
};
ABI_OFFSET(struct blkif_request_indirect, nr_segments, 2);
ABI_OFFSET(struct blkif_request_indirect, id, 8);
ABI_OFFSET(struct blkif_request_indirect, sector_number, 16);
ABI_OFFSET(struct blkif_request_indirect, handle, 24);
ABI_OFFSET(struct blkif_request_indirect, indirect_grefs, 28);
ABI_SIZE(struct blkif_request_indirect, 64);

struct blkif_response {
	uint64_t id;
	uint8_t operation;
	uint8_t _pad;
	int16_t status;
	uint32_t _pad2;
};
ABI_OFFSET(struct blkif_response, operation, 8);
ABI_OFFSET(struct blkif_response, status, 10);
ABI_SIZE(struct blkif_response, 16);

/* 64-byte header, then 32 entries of 112 bytes: rounddown_pow2((4096-64)/112).
 * An entry holds a request or, once answered, its response. */
#define BLKIF_RING_ENTRY_SIZE sizeof(struct blkif_request)
#define BLKIF_RING_ENTRIES 32
_Static_assert(sizeof(struct ring_header) + BLKIF_RING_ENTRIES * BLKIF_RING_ENTRY_SIZE <= 4096,
	       "blkif ring fits its page");
_Static_assert(sizeof(struct blkif_response) <= BLKIF_RING_ENTRY_SIZE &&
		       sizeof(struct blkif_request_indirect) <= BLKIF_RING_ENTRY_SIZE,
	       "blkif entries fit a slot");

#endif
