/* SPDX-License-Identifier: MIT */
/*
 * Test doubles for the device drivers: a virtio-blk device and a Xen
 * blkback backend made of memory, which behave by default and misbehave on
 * request. Unit tests (tests/unit/test_virtio_blk.c, test_blkfront.c) and
 * fuzzers (tests/fuzz/fuzz_virtio_blk.c, fuzz_blkfront.c) link the real
 * driver sources with these in place of the hardware accessors
 * (virtio/regs.h, virtio/pci.c, xen/hypercall.c, grant.c, xenstore.c).
 */
#ifndef PVHBOOT_TESTS_DOUBLES_H
#define PVHBOOT_TESTS_DOUBLES_H

#include "../../core/lib.h"
#include "../../include/abi/virtio.h"
#include "../../virtio/transport.h"
#include "../../xen/xen.h"

/* blockdev_double.c: an empty block-device table, and a clock that moves
 * 1 ms per read (time_ns() and xen_time_ns()). */
void blockdev_double_reset(void);
uint64_t double_clock_ns(void);
/* Move the clock to @ns if that is later (a wait that ran out). */
void double_clock_advance_to(uint64_t ns);

/* alloc_double.c: malloc, calloc and free that remember, for drivers that
 * a fuzzer attaches once per input; double_free_all() frees what is left. */
void *double_malloc(size_t n);
void *double_calloc(size_t n, size_t size);
void double_free(void *p);
void double_free_all(void);

/* A byte source for fuzzers: the double asks it how to misbehave next. */
struct script {
	const uint8_t *data;
	size_t len, pos;
};
static inline uint8_t script_byte(struct script *s)
{
	return s && s->pos < s->len ? s->data[s->pos++] : 0;
}
static inline uint32_t script_u32(struct script *s)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | script_byte(s);
	return v;
}

/* A double's disk, kept from one reset to the next: a fuzzer resets its
 * double for every input, and filling a fresh megabyte each time made the
 * driver targets run at 200 inputs a second. */
struct pattern_disk {
	uint8_t *bytes;           /* sectors * 512 bytes, + 1 */
	uint64_t sectors;
	bool written;             /* a write changed it since the last fill */
};
/* @disk's bytes holding @sectors sectors of disk_pattern(); refilled only
 * when the size changed or something was written. */
uint8_t *pattern_disk_get(struct pattern_disk *disk, uint64_t sectors);

/* ---- virtio_double.c: one virtio-blk device ---- */

struct vdouble {
	/* What the device presents. */
	enum virtio_kind kind;
	uint16_t queue_max;
	uint64_t features;
	struct virtio_blk_config cfg;
	uint32_t common_len, notify_len, device_len; /* PCI capability lengths */
	uint16_t notify_off;
	uint32_t notify_mult;
	uint8_t *disk;                  /* capacity * 512 bytes */
	struct pattern_disk *disk_state;

	/* How it misbehaves when it answers (all 0: it behaves). */
	bool silent;          /* takes requests, never answers */
	uint16_t used_skip;   /* used.idx runs this far past what it wrote */
	bool bad_id;          /* used.id = bad_id_value instead of the head */
	uint32_t bad_id_value;
	uint32_t len_extra;   /* used.len claims this many bytes more */
	bool set_status;      /* write status_value as the status byte */
	uint8_t status_value;
	bool leave_status;    /* never write the status byte */
	bool write_error;     /* T_OUT: status IOERR, nothing stored */
	bool write_lost;      /* T_OUT: status OK, nothing stored (a lying cache) */
	struct script *script; /* fuzzing: each answer draws its faults here */

	/* What it saw. */
	unsigned violations;  /* accesses outside a declared register window */
	char violation[128];  /* the first one */
	unsigned driver_errors; /* malformed chains: driver bugs */
	char driver_error[128];
	unsigned notifies, requests;
	unsigned writes, flushes;
	bool unflushed;       /* a write completed after the last flush */

	/* Register and queue state. */
	uint8_t status;
	uint32_t dfsel, drfsel, mmio_qsel;
	uint64_t driver_features;
	uint16_t qsel, qsize, qenable;
	uint64_t desc, avail, used;
	uint32_t legacy_pfn;
	uint16_t last_avail, used_idx;
	uint8_t common[sizeof(struct virtio_pci_common_cfg)];
};
extern struct vdouble vdev;

/* A well-behaved device of @sectors 512-byte sectors on transport @kind,
 * its disk filled with disk_pattern(). */
void vdouble_reset(enum virtio_kind kind, uint64_t sectors);
/* Probe it the way virtio/probe.c does; returns the probe's rc. */
int vdouble_probe(struct virtio_dev *d);
/* The byte at @offset of every test disk. */
static inline uint8_t disk_pattern(uint64_t offset)
{
	return (uint8_t)(offset * 7 + (offset >> 9) * 13 + 1);
}

/* ---- xen_double.c: xenstore, grants, event channels and one blkback ---- */

#define XD_FRONT "device/vbd/768"
#define XD_BACK "backend/vbd/0/768"

struct xdouble {
	/* What the backend offers (written to xenstore by xdouble_reset()). */
	uint64_t sectors;
	uint8_t *disk;            /* sectors * 512 bytes */
	struct pattern_disk *disk_state;

	/* How it misbehaves (all 0: it behaves). */
	bool silent;              /* takes requests, never answers */
	uint32_t rsp_ahead;       /* rsp_prod runs this far past its responses */
	bool bad_id;              /* answer with bad_id_value instead of the id */
	uint64_t bad_id_value;
	bool bad_status;
	int16_t status_value;
	unsigned extra_rsps;      /* answers each request this many more times */
	int state_after_init;     /* state it goes to after Initialised (0: Connected) */
	struct script *script;    /* fuzzing: each answer draws its faults here */
	bool read_only;           /* a write is a driver error (set info/mode too) */
	bool write_error;         /* writes answer BLKIF_RSP_ERROR, nothing stored */
	bool write_lost;          /* writes answer OKAY, nothing stored */

	/* What it saw. */
	unsigned driver_errors;
	char driver_error[128];
	unsigned requests, kicks;
	unsigned writes, barriers, flushes;
	bool unflushed;           /* a plain write answered after the last flush */
	uint64_t initialised_at;  /* clock when the frontend said Initialised */

	/* Ring state. */
	struct ring_header *sring;
	uint32_t req_cons, rsp_prod_pvt;
	bool pending;
};
extern struct xdouble xdev;

/* An empty xenstore but for one vbd of @sectors (backend in InitWait), an
 * empty grant table, and a well-behaved backend. */
void xdouble_reset(uint64_t sectors);
/* Set or delete (value NULL) a xenstore key. */
void xdouble_set(const char *path, const char *value);
const char *xdouble_get(const char *path);

#endif
