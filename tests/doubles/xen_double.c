/* SPDX-License-Identifier: MIT */
/*
 * Xen for the host build of xen/blkfront.c: a xenstore of a few keys, a
 * grant table that records which frame each reference names, an event
 * channel whose wait returns at once (moving the clock to the deadline
 * when nothing is pending), and a blkback that serves the shared ring
 * from xdev.disk when kicked and answers with the faults the test asked
 * for. Replaces xen/hypercall.c, grant.c and xenstore.c at link time.
 */
#include <stdio.h>

#include "../../core/errno.h"
#include "../../core/time.h"
#include "doubles.h"

struct xdouble xdev;

#define KEYS 64
#define GRANTS 1024
#define FIRST_GREF 8 /* refs 0-7 are Xen's own */
#define PORT 5

static struct { char path[96]; char value[64]; bool used; } keys[KEYS];
static struct { uint64_t gpa; bool used; } grants[GRANTS];
static uint32_t lowest_free_gref; /* no free entry below it: grants stay O(1) */

static void driver_error(const char *what, unsigned long long v)
{
	if (!xdev.driver_errors++)
		snprintf(xdev.driver_error, sizeof(xdev.driver_error), "%s (%llu)", what, v);
}

void xdouble_set(const char *path, const char *value)
{
	int free_at = -1;
	for (int i = 0; i < KEYS; i++) {
		if (keys[i].used && !strcmp(keys[i].path, path)) {
			if (value)
				snprintf(keys[i].value, sizeof(keys[i].value), "%s", value);
			else
				keys[i].used = false;
			return;
		}
		if (!keys[i].used && free_at < 0)
			free_at = i;
	}
	if (!value || free_at < 0)
		return;
	keys[free_at].used = true;
	snprintf(keys[free_at].path, sizeof(keys[free_at].path), "%s", path);
	snprintf(keys[free_at].value, sizeof(keys[free_at].value), "%s", value);
}

const char *xdouble_get(const char *path)
{
	for (int i = 0; i < KEYS; i++)
		if (keys[i].used && !strcmp(keys[i].path, path))
			return keys[i].value;
	return NULL;
}

static void backend_state(int s)
{
	char v[8];
	snprintf(v, sizeof(v), "%d", s);
	xdouble_set(XD_BACK "/state", v);
}

void xdouble_reset(uint64_t sectors)
{
	static struct pattern_disk disk;
	uint8_t *bytes = pattern_disk_get(&disk, sectors);
	char v[32];

	memset(&xdev, 0, sizeof(xdev));
	xdev.disk = bytes;
	xdev.disk_state = &disk;
	memset(keys, 0, sizeof(keys));
	memset(grants, 0, sizeof(grants));
	lowest_free_gref = FIRST_GREF;
	xdev.sectors = sectors;
	xdouble_set(XD_FRONT "/backend", XD_BACK);
	xdouble_set(XD_FRONT "/backend-id", "0");
	xdouble_set(XD_FRONT "/state", "1");
	backend_state(XenbusStateInitWait);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)sectors);
	xdouble_set(XD_BACK "/sectors", v);
	xdouble_set(XD_BACK "/sector-size", "512");
	xdouble_set(XD_BACK "/info", "0");
}

static void *gref_page(uint32_t ref)
{
	if (ref < FIRST_GREF || ref >= GRANTS || !grants[ref].used)
		return NULL;
	return (void *)(uintptr_t)grants[ref].gpa;
}

/* The frontend's state changes drive the backend's, as blkback does. */
static void frontend_state(int s)
{
	switch (s) {
	case XenbusStateInitialised: {
		xdev.initialised_at = double_clock_ns();
		uint64_t ref;
		const char *r = xdouble_get(XD_FRONT "/ring-ref");
		if (!r || !parse_u64(r, strlen(r), &ref) || !(xdev.sring = gref_page((uint32_t)ref)))
			return driver_error("Initialised without a granted ring", 0);
		xdev.req_cons = xdev.rsp_prod_pvt = 0;
		backend_state(xdev.state_after_init ? xdev.state_after_init : XenbusStateConnected);
		break;
	}
	case XenbusStateClosing: backend_state(XenbusStateClosing); break;
	case XenbusStateClosed: backend_state(XenbusStateClosed); xdev.sring = NULL; break;
	case XenbusStateInitialising: backend_state(XenbusStateInitWait); break;
	default: break;
	}
}

/* ---- xenstore (replaces xen/xenstore.c) ---- */

int xs_read(const char *path, char *buf, size_t cap)
{
	const char *v = xdouble_get(path);
	if (!v)
		return -ENOENT;
	if (strlen(v) >= cap)
		return -E2BIG;
	strcpy(buf, v);
	return 0;
}

int xs_read_u64(const char *path, uint64_t *v)
{
	char buf[32];
	int rc = xs_read(path, buf, sizeof(buf));
	if (rc)
		return rc;
	return parse_u64(buf, strlen(buf), v) ? 0 : -EINVAL;
}

int xs_write(const char *path, const char *value)
{
	xdouble_set(path, value);
	if (!strcmp(path, XD_FRONT "/state"))
		frontend_state(atoi(value));
	return 0;
}

int xs_rm(const char *path)
{
	xdouble_set(path, NULL);
	return 0;
}

int xs_directory(const char *path, char *buf, size_t cap)
{
	if (strcmp(path, "device/vbd") || cap < 4)
		return 0;
	strcpy(buf, "768");
	return 1;
}

/* ---- grants (replaces xen/grant.c) ---- */

int xen_grant(uint16_t domid, uint64_t gpa, bool readonly, uint32_t *ref)
{
	if (gpa & 4095)
		driver_error("granted address not page-aligned", gpa);
	for (uint32_t i = MAX(lowest_free_gref, FIRST_GREF); i < GRANTS; i++) {
		if (!grants[i].used) {
			grants[i].used = true;
			grants[i].gpa = gpa;
			*ref = i;
			lowest_free_gref = i + 1;
			return 0;
		}
	}
	return -ENOSPC;
}

void xen_grant_revoke(uint32_t ref)
{
	if (ref < GRANTS) {
		grants[ref].used = false;
		lowest_free_gref = MIN(lowest_free_gref, ref);
	}
}

/* ---- event channel and clock (replace xen/hypercall.c) ---- */

uint64_t xen_time_ns(void)
{
	return time_ns();
}

int xen_evtchn_alloc(uint16_t remote, uint32_t *port)
{
	*port = PORT;
	return 0;
}

void xen_evtchn_close(uint32_t port)
{
}

bool xen_evtchn_wait(uint32_t port, uint64_t deadline_ns)
{
	if (xdev.pending) {
		xdev.pending = false;
		return true;
	}
	double_clock_advance_to(deadline_ns);
	return false;
}

/* Copy one request's sectors into the frontend's granted pages. */
static int16_t serve(const uint8_t *entry)
{
	const struct blkif_request *r = (const void *)entry;
	const struct blkif_request_indirect *ri = (const void *)entry;
	const struct blkif_segment *seg = r->seg;
	unsigned nr = r->nr_segments;
	uint64_t pos = r->sector_number * 512;

	uint8_t op = r->operation;
	if (op == BLKIF_OP_FLUSH_DISKCACHE) {
		if (nr)
			driver_error("flush with segments", nr);
		xdev.flushes++;
		xdev.unflushed = false;
		return BLKIF_RSP_OKAY;
	}
	if (r->operation == BLKIF_OP_INDIRECT) {
		nr = ri->nr_segments;
		op = ri->indirect_op;
		seg = gref_page(ri->indirect_grefs[0]);
		if ((op != BLKIF_OP_READ && op != BLKIF_OP_WRITE && op != BLKIF_OP_WRITE_BARRIER) ||
		    !seg || nr > 4096 / sizeof(*seg)) {
			driver_error("bad indirect request", nr);
			return -1;
		}
		pos = ri->sector_number * 512;
	} else if ((op != BLKIF_OP_READ && op != BLKIF_OP_WRITE && op != BLKIF_OP_WRITE_BARRIER) ||
		   nr > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		driver_error("bad request", r->operation);
		return -1;
	}
	bool write = op != BLKIF_OP_READ;
	if (write) {
		if (xdev.read_only)
			driver_error("write to a read-only vbd", r->sector_number);
		xdev.writes++;
		xdev.barriers += op == BLKIF_OP_WRITE_BARRIER;
		xdev.unflushed = op == BLKIF_OP_WRITE;
		if (xdev.write_error)
			return -1;
	}
	if (!nr) {
		driver_error("request without segments", 0);
		return -1;
	}
	for (unsigned i = 0; i < nr; i++) {
		uint8_t *page = gref_page(seg[i].gref);
		if (!page || seg[i].first_sect > seg[i].last_sect || seg[i].last_sect > 7) {
			driver_error("bad segment", i);
			return -1;
		}
		uint64_t bytes = (seg[i].last_sect - seg[i].first_sect + 1u) * 512u;
		if (!range_ok(pos, bytes, xdev.sectors * 512))
			return -1;
		if (!write)
			memcpy(page + seg[i].first_sect * 512u, xdev.disk + pos, bytes);
		else if (!xdev.write_lost) {
			memcpy(xdev.disk + pos, page + seg[i].first_sect * 512u, bytes);
			xdev.disk_state->written = true;
		}
		pos += bytes;
	}
	return BLKIF_RSP_OKAY;
}

static void respond(uint64_t id, uint8_t op, int16_t status)
{
	struct blkif_response *rsp =
		(void *)((uint8_t *)xdev.sring + sizeof(struct ring_header) +
			 (xdev.rsp_prod_pvt % BLKIF_RING_ENTRIES) * sizeof(struct blkif_request));
	*rsp = (struct blkif_response){ .id = id, .operation = op, .status = status };
	xdev.rsp_prod_pvt++;
}

void xen_evtchn_send(uint32_t port)
{
	xdev.kicks++;
	if (!xdev.sring)
		return driver_error("kick without a connected ring", port);
	if (xdev.sring->req_prod - xdev.req_cons > BLKIF_RING_ENTRIES)
		return driver_error("more requests than ring entries", xdev.sring->req_prod);
	/* Take every request off the ring before answering any: a lying
	 * answer (a duplicate, a jump of rsp_prod) lands on entries further on,
	 * and the requests there are the frontend's, not the liar's. */
	static uint8_t taken[BLKIF_RING_ENTRIES][sizeof(struct blkif_request)];
	unsigned n = 0;
	while (xdev.req_cons != xdev.sring->req_prod) {
		const uint8_t *entry = (const uint8_t *)xdev.sring + sizeof(struct ring_header) +
				       (xdev.req_cons % BLKIF_RING_ENTRIES) * sizeof(struct blkif_request);
		memcpy(taken[n++], entry, sizeof(taken[0]));
		xdev.req_cons++;
	}
	bool answered = false;
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *e = taken[i];
		xdev.requests++;
		int16_t status = serve(e);
		if (xdev.silent)
			continue;
		struct script *s = xdev.script;
		uint8_t fault = script_byte(s);
		uint64_t id = ((const struct blkif_request *)e)->id;
		if (xdev.bad_id || (fault & 1))
			id = xdev.bad_id ? xdev.bad_id_value : script_byte(s);
		if (xdev.bad_status || (fault & 2))
			status = xdev.bad_status ? xdev.status_value : (int16_t)script_byte(s);
		unsigned copies = 1 + xdev.extra_rsps + ((fault & 4) ? 1 : 0);
		for (unsigned c = 0; c < copies; c++)
			respond(id, e[0], status);
		if (fault & 8)
			xdev.rsp_prod_pvt += script_u32(s);
		if (fault & 16)
			xdev.silent = true;
		answered = true;
	}
	if (answered) {
		__asm__ volatile("" ::: "memory");
		xdev.sring->rsp_prod = xdev.rsp_prod_pvt + xdev.rsp_ahead;
		xdev.pending = true;
	}
}
