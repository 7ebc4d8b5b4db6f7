/* SPDX-License-Identifier: MIT */
/*
 * Xen blkfront (io/blkif.h): every device/vbd/N becomes a block device.
 * Writes (a grubenv block, fs/blockdev.h) are one request at a time,
 * followed by BLKIF_OP_FLUSH_DISKCACHE when the backend offers
 * feature-flush-cache, else sent as BLKIF_OP_WRITE_BARRIER when it offers
 * feature-barrier; a vbd the backend calls read-only (info VDISK_READONLY,
 * mode "r") is never written.
 *
 * Data moves through bounce pages granted once at connect time (and, with
 * feature-persistent, mapped once by blkback), so a request costs no grant
 * operations on either side: up to 11 segments (44 KiB) per request, or with
 * the backend's feature-max-indirect-segments up to INDIRECT_SEGS pages per
 * request through one indirect descriptor page, with SLOTS requests in
 * flight. Before handoff each device goes back to Initialising so the next
 * kernel's blkfront can connect.
 *
 * The backend is not trusted: rsp_prod may run at most as far as the
 * requests in flight, each response is copied out of the shared page once
 * and its id, operation and status checked before the bounce buffer it
 * names is used, and a backend that closes during the handshake is not
 * waited for. A protocol error disconnects the device: its ring state is
 * unknown, so every later read fails.
 */
#include "../core/barrier.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "../fs/blockdev.h"
#include "xen.h"

#define SLOTS 8u
#define INDIRECT_SEGS 64u /* 256 KiB per request */
#define WAIT_NS 5000000000ull
#define SECTOR 512u /* the unit of sector_number, first_sect and "sectors" */

struct slot {
	bool busy;
	uint8_t *bounce;     /* segs pages */
	uint32_t *grefs;     /* one per bounce page */
	struct blkif_segment *indirect; /* descriptor page (indirect mode) */
	uint32_t indirect_gref;
	uint8_t *dest;
	size_t len;
	uint64_t sector;
	uint8_t op;          /* BLKIF_OP_READ, _WRITE, _WRITE_BARRIER, _FLUSH_DISKCACHE */
};

struct blkfront {
	struct blockdev dev;
	char front[48];
	char back[128];
	uint16_t backend_id;
	uint16_t handle;
	struct ring_header *sring;
	uint32_t ring_ref, port;
	uint32_t req_prod_pvt, rsp_cons;
	unsigned segs;       /* per request */
	bool indirect;
	bool connected;
	bool flush_cache;    /* feature-flush-cache */
	bool barrier;        /* feature-barrier */
	struct slot slots[SLOTS];
};

static struct blkfront *fronts[BLOCKDEV_MAX];
static unsigned nr_fronts;

static void *page_aligned(size_t bytes)
{
	uint8_t *p = malloc(bytes + PAGE_SIZE);
	return p ? (void *)ALIGN_UP((uintptr_t)p, PAGE_SIZE) : NULL;
}

/* Ring entry @idx: requests and responses share the slots (io/ring.h). */
static void *ring_entry(struct blkfront *f, uint32_t idx)
{
	return (uint8_t *)f->sring + sizeof(struct ring_header) +
	       (idx % BLKIF_RING_ENTRIES) * BLKIF_RING_ENTRY_SIZE;
}

/* Requests must be visible before the req_prod that publishes them. */
static inline void ring_publish_requests(void)
{
	wmb_ordered();
}

/* Read responses only after the rsp_prod that covers them. */
static inline void ring_after_rsp_prod(void)
{
	rmb_ordered();
}

/* rsp_event must be visible before rsp_prod is read again, or a response
 * published in between would send no event and be missed until the deadline. */
static inline void ring_before_recheck(void)
{
	mb_store_load();
}

static uint32_t read_rsp_prod(struct blkfront *f)
{
	return *(volatile uint32_t *)&f->sring->rsp_prod;
}

/* A protocol error: log it and stop using the ring. */
static int protocol_error(struct blkfront *f, const char *what, unsigned long long v)
{
	f->connected = false;
	return log_err(-EIO, "%s: backend error: %s %llu", f->dev.name, what, v);
}

static int key(struct blkfront *f, const char *dir, const char *name, char *buf, size_t cap)
{
	char path[192];
	fmt_snprintf(path, sizeof(path), "%s/%s", dir, name);
	return xs_read(path, buf, cap);
}

static uint64_t key_u64(const char *dir, const char *name, uint64_t def)
{
	char path[192];
	uint64_t v;
	fmt_snprintf(path, sizeof(path), "%s/%s", dir, name);
	return xs_read_u64(path, &v) ? def : v;
}

static int set_state(struct blkfront *f, enum xenbus_state s)
{
	char path[96], v[4];
	fmt_snprintf(path, sizeof(path), "%s/state", f->front);
	fmt_snprintf(v, sizeof(v), "%d", s);
	return xs_write(path, v);
}

/*
 * Wait for the backend to reach one of two states; polls xenstore. With
 * @close_is_final, a backend that goes Closing or Closed instead is gone
 * (-ENODEV at once): true once we are Initialised. Before that a Closed
 * backend is still coming back to InitWait (blkback "prepare for reconnect").
 */
static int wait_backend(struct blkfront *f, enum xenbus_state a, enum xenbus_state b,
			bool close_is_final)
{
	uint64_t deadline = xen_time_ns() + WAIT_NS;
	for (;;) {
		uint64_t s = key_u64(f->back, "state", 0);
		if (s == a || s == b)
			return 0;
		if (close_is_final && (s == XenbusStateClosing || s == XenbusStateClosed))
			return -ENODEV;
		if (xen_time_ns() >= deadline)
			return -ETIMEDOUT;
		xen_evtchn_wait(f->port, xen_time_ns() + 10000000ull); /* 10 ms */
	}
}

static void push(struct blkfront *f)
{
	ring_publish_requests();
	f->sring->req_prod = f->req_prod_pvt;
	xen_evtchn_send(f->port);
}

/*
 * Queue request @op for [sector, sector + len/512) with @dest (read into
 * it, or for writes already copied into the slot's bounce pages).
 */
static void submit(struct blkfront *f, unsigned si, uint8_t op, uint64_t sector, uint8_t *dest,
		   size_t len)
{
	struct slot *s = &f->slots[si];
	void *entry = ring_entry(f, f->req_prod_pvt);
	unsigned pages = (unsigned)((len + PAGE_SIZE - 1) / PAGE_SIZE);

	s->busy = true;
	s->dest = dest;
	s->len = len;
	s->sector = sector;
	s->op = op;
	struct blkif_segment *seg;
	if (f->indirect && op != BLKIF_OP_FLUSH_DISKCACHE) {
		struct blkif_request_indirect *r = entry;
		memset(r, 0, sizeof(*r));
		r->operation = BLKIF_OP_INDIRECT;
		r->indirect_op = op;
		r->nr_segments = (uint16_t)pages;
		r->id = si;
		r->sector_number = sector;
		r->handle = f->handle;
		r->indirect_grefs[0] = s->indirect_gref;
		seg = s->indirect;
	} else {
		struct blkif_request *r = entry;
		memset(r, 0, sizeof(*r));
		r->operation = op;
		r->nr_segments = (uint8_t)pages;
		r->handle = f->handle;
		r->id = si;
		r->sector_number = sector;
		seg = r->seg;
	}
	for (unsigned i = 0; i < pages; i++) {
		size_t bytes = MIN((size_t)PAGE_SIZE, len - (size_t)i * PAGE_SIZE);
		seg[i] = (struct blkif_segment){ s->grefs[i], 0, (uint8_t)(bytes / SECTOR - 1), 0 };
	}
	f->req_prod_pvt++;
}

static int reap(struct blkfront *f, unsigned *done, bool *failed)
{
	uint64_t deadline = xen_time_ns() + WAIT_NS;
	*done = 0;
	for (;;) {
		uint32_t prod = read_rsp_prod(f);
		/* Never more responses than requests outstanding (at most a ring). */
		if (prod - f->rsp_cons > f->req_prod_pvt - f->rsp_cons)
			return protocol_error(f, "rsp_prod ahead of the requests by",
					      prod - f->req_prod_pvt);
		ring_after_rsp_prod();
		while (f->rsp_cons != prod) {
			/* One copy: the backend may rewrite the page while we look. */
			const volatile struct blkif_response *r = ring_entry(f, f->rsp_cons);
			uint64_t id = r->id;
			uint8_t op = r->operation;
			int16_t status = r->status;
			f->rsp_cons++;
			if (id >= SLOTS || !f->slots[id].busy)
				return protocol_error(f, "response for no request, id", id);
			struct slot *s = &f->slots[id];
			if (op != s->op && !(f->indirect && op == BLKIF_OP_INDIRECT &&
					     s->op != BLKIF_OP_FLUSH_DISKCACHE))
				return protocol_error(f, "response with operation", op);
			if (status != BLKIF_RSP_OKAY) {
				log_err(-EIO, "%s: %s at sector %lu failed (status %d)", f->dev.name,
					s->op == BLKIF_OP_READ ? "read" : "write", (unsigned long)s->sector,
					status);
				*failed = true;
			} else if (s->op == BLKIF_OP_READ) {
				memcpy(s->dest, s->bounce, s->len);
			}
			s->busy = false;
			(*done)++;
		}
		if (*done)
			return 0;
		/* Ask for a notification at the next response, then look again. */
		f->sring->rsp_event = f->rsp_cons + 1;
		ring_before_recheck();
		if (read_rsp_prod(f) != f->rsp_cons)
			continue;
		if (!xen_evtchn_wait(f->port, deadline))
			return log_err(-ETIMEDOUT, "%s: backend did not answer", f->dev.name);
	}
}

static int bf_read(struct blockdev *dev, uint64_t lba, uint64_t count, void *buf)
{
	struct blkfront *f = dev->priv;
	uint64_t per512 = dev->sector_size / SECTOR;
	uint64_t sector = lba * per512;
	uint64_t left = count * dev->sector_size;
	uint8_t *p = buf;
	size_t req_max = f->segs * PAGE_SIZE;
	unsigned in_flight = 0;
	bool failed = false;

	if (!f->connected)
		return -EIO;
	if (lba > dev->nr_sectors || count > dev->nr_sectors - lba)
		return -EINVAL;
	while (left || in_flight) {
		bool queued = false;
		for (unsigned i = 0; i < SLOTS && left && !failed; i++) {
			if (f->slots[i].busy)
				continue;
			size_t n = (size_t)MIN(left, (uint64_t)req_max);
			submit(f, i, BLKIF_OP_READ, sector, p, n);
			sector += n / SECTOR;
			p += n;
			left -= n;
			in_flight++;
			queued = true;
		}
		if (queued)
			push(f);
		if (!in_flight)
			break;
		unsigned done;
		int rc = reap(f, &done, &failed);
		if (rc) {
			f->connected = false; /* its ring state is unknown now */
			return rc;
		}
		in_flight -= done;
	}
	return failed ? -EIO : 0;
}

/* One request on slot 0 and its answer; the ring is idle between calls. */
static int one_request(struct blkfront *f, uint8_t op, uint64_t sector, size_t len)
{
	unsigned done = 0;
	bool failed = false;
	submit(f, 0, op, sector, NULL, len);
	push(f);
	while (!done) {
		int rc = reap(f, &done, &failed);
		if (rc) {
			f->connected = false;
			return rc;
		}
	}
	return failed ? -EIO : 0;
}

static int bf_write(struct blockdev *dev, uint64_t lba, uint64_t count, const void *buf)
{
	struct blkfront *f = dev->priv;
	uint64_t per512 = dev->sector_size / SECTOR;
	uint64_t sector = lba * per512, left = count * dev->sector_size;
	const uint8_t *p = buf;
	size_t req_max = f->segs * PAGE_SIZE;

	if (!f->connected)
		return -EIO;
	if (dev->read_only)
		return -EROFS;
	if (lba > dev->nr_sectors || count > dev->nr_sectors - lba)
		return -EINVAL;
	/* Without a cache flush, each write is a barrier: on disk when answered. */
	uint8_t op = !f->flush_cache && f->barrier ? BLKIF_OP_WRITE_BARRIER : BLKIF_OP_WRITE;
	while (left) {
		size_t n = (size_t)MIN(left, (uint64_t)req_max);
		memcpy(f->slots[0].bounce, p, n);
		int rc = one_request(f, op, sector, n);
		if (rc)
			return rc;
		sector += n / SECTOR;
		p += n;
		left -= n;
	}
	return f->flush_cache ? one_request(f, BLKIF_OP_FLUSH_DISKCACHE, 0, 0) : 0;
}

static int grant_pages(struct blkfront *f)
{
	for (unsigned i = 0; i < SLOTS; i++) {
		struct slot *s = &f->slots[i];
		s->bounce = page_aligned(f->segs * PAGE_SIZE);
		s->grefs = calloc(f->segs, sizeof(uint32_t));
		if (!s->bounce || !s->grefs)
			return -ENOMEM;
		for (unsigned j = 0; j < f->segs; j++)
			if (xen_grant(f->backend_id, (uintptr_t)(s->bounce + j * PAGE_SIZE), false,
				      &s->grefs[j]))
				return -ENOSPC;
		if (f->indirect) {
			/*
			 * Writable although the backend only reads it: blkback maps
			 * every page of a persistent-grant frontend read-write, and a
			 * read-only grant would fail that map (and the request).
			 */
			s->indirect = page_aligned(PAGE_SIZE);
			if (!s->indirect ||
			    xen_grant(f->backend_id, (uintptr_t)s->indirect, false, &s->indirect_gref))
				return -ENOSPC;
		}
	}
	return 0;
}

static int connect(struct blkfront *f)
{
	char buf[64];
	int rc;

	if (key(f, f->front, "backend", f->back, sizeof(f->back)))
		return log_err(-ENODEV, "%s: no backend path", f->front);
	f->backend_id = (uint16_t)key_u64(f->front, "backend-id", 0);
	if ((rc = xen_evtchn_alloc(f->backend_id, &f->port)) != 0)
		return log_err(rc, "%s: no event channel", f->front);
	rc = wait_backend(f, XenbusStateInitWait, XenbusStateConnected, false);
	if (rc)
		return log_err(rc, "%s: backend %s never became ready", f->front, f->back);

	uint64_t max_indirect = key_u64(f->back, "feature-max-indirect-segments", 0);
	f->indirect = max_indirect >= 16;
	f->segs = f->indirect ? (unsigned)MIN(max_indirect, (uint64_t)INDIRECT_SEGS)
			      : BLKIF_MAX_SEGMENTS_PER_REQUEST;

	f->sring = page_aligned(PAGE_SIZE);
	if (!f->sring)
		return -ENOMEM;
	memset(f->sring, 0, PAGE_SIZE);
	f->sring->req_event = f->sring->rsp_event = 1;
	if (xen_grant(f->backend_id, (uintptr_t)f->sring, false, &f->ring_ref) || grant_pages(f))
		return log_err(-ENOSPC, "%s: out of grant references", f->front);

	char path[96];
	fmt_snprintf(path, sizeof(path), "%s/ring-ref", f->front);
	fmt_snprintf(buf, sizeof(buf), "%u", f->ring_ref);
	rc = xs_write(path, buf);
	fmt_snprintf(path, sizeof(path), "%s/event-channel", f->front);
	fmt_snprintf(buf, sizeof(buf), "%u", f->port);
	if (!rc)
		rc = xs_write(path, buf);
	fmt_snprintf(path, sizeof(path), "%s/protocol", f->front);
	if (!rc)
		rc = xs_write(path, "x86_64-abi");
	/*
	 * The bounce pages are granted once and reused: with persistent grants
	 * blkback maps each of them once too, instead of a map and an unmap
	 * per segment of every request. It drops them when the device closes,
	 * before teardown() revokes the grants.
	 */
	fmt_snprintf(path, sizeof(path), "%s/feature-persistent", f->front);
	if (!rc)
		rc = xs_write(path, "1");
	if (!rc)
		rc = set_state(f, XenbusStateInitialised);
	if (rc)
		return log_err(rc, "%s: writing the handshake keys", f->front);
	rc = wait_backend(f, XenbusStateConnected, XenbusStateConnected, true);
	if (rc)
		return log_err(rc, "%s: backend did not connect", f->front);

	uint64_t sectors = key_u64(f->back, "sectors", 0);
	uint64_t ssize = key_u64(f->back, "sector-size", 512);
	uint64_t info = key_u64(f->back, "info", 0);
	if (!IS_POW2(ssize) || ssize < SECTOR || ssize > PAGE_SIZE)
		return log_err(-EINVAL, "%s: sector-size %lu", f->front, (unsigned long)ssize);
	/* "sectors" is always in 512-byte units; the byte size must fit 64 bits. */
	if (!sectors || sectors > UINT64_MAX / SECTOR)
		return log_err(-EINVAL, "%s: sectors %lu", f->front, (unsigned long)sectors);
	f->dev.sector_size = (uint32_t)ssize;
	f->dev.nr_sectors = sectors * SECTOR / ssize;
	char mode[4] = "";
	key(f, f->back, "mode", mode, sizeof(mode));
	f->dev.read_only = (info & (VDISK_READONLY | VDISK_CDROM)) || mode[0] == 'r';
	f->flush_cache = key_u64(f->back, "feature-flush-cache", 0) == 1;
	f->barrier = key_u64(f->back, "feature-barrier", 0) == 1;
	f->dev.write = bf_write;
	f->dev.removable = info & VDISK_CDROM;
	f->dev.read = bf_read;
	f->dev.priv = f;
	set_state(f, XenbusStateConnected);
	f->connected = true;
	log_info("%s: xen blkfront %s, %lu MiB, %lu-byte sectors%s, %u segments per request",
		 f->dev.name, f->front, (unsigned long)(sectors >> 11), (unsigned long)ssize,
		 f->indirect ? " (indirect)" : "", f->segs);
	return 0;
}

static void name_for(uint64_t devid, unsigned order, char *out, size_t cap)
{
	unsigned disk = order;
	if ((devid >> 8) == 202)
		disk = (unsigned)((devid >> 4) & 15);
	else if (devid & (1u << 28))
		disk = (unsigned)((devid >> 8) & 0xfffff);
	fmt_snprintf(out, cap, "xvd%c", 'a' + (int)(disk % 26));
}

void blkfront_probe_all(void)
{
	static char names[1024];
	int n = xs_directory("device/vbd", names, sizeof(names));
	const char *p = names;
	for (int i = 0; i < n && nr_fronts < BLOCKDEV_MAX; i++, p += strlen(p) + 1) {
		struct blkfront *f = calloc(1, sizeof(*f));
		uint64_t devid;
		if (!f)
			return;
		fmt_snprintf(f->front, sizeof(f->front), "device/vbd/%s", p);
		if (!parse_u64(p, strlen(p), &devid))
			devid = 0;
		f->handle = (uint16_t)devid;
		name_for(devid, (unsigned)i, f->dev.name, sizeof(f->dev.name));
		fronts[nr_fronts++] = f;
		if (connect(f) == 0)
			blockdev_register(&f->dev);
	}
}

/* Back to Initialising, as GRUB's xendisk does, so the next kernel connects. */
static void teardown(struct blkfront *f)
{
	char path[96];
	if (!f->sring) {
		/* The backend never answered: nothing was shared with it. */
		if (f->port)
			xen_evtchn_close(f->port);
		return;
	}
	set_state(f, XenbusStateClosing);
	wait_backend(f, XenbusStateClosing, XenbusStateClosed, false);
	set_state(f, XenbusStateClosed);
	wait_backend(f, XenbusStateClosed, XenbusStateInitWait, false);
	fmt_snprintf(path, sizeof(path), "%s/ring-ref", f->front);
	xs_rm(path);
	fmt_snprintf(path, sizeof(path), "%s/event-channel", f->front);
	xs_rm(path);
	fmt_snprintf(path, sizeof(path), "%s/feature-persistent", f->front);
	xs_rm(path);
	if (f->sring)
		xen_grant_revoke(f->ring_ref);
	for (unsigned i = 0; i < SLOTS; i++) {
		struct slot *s = &f->slots[i];
		for (unsigned j = 0; s->grefs && j < f->segs; j++)
			if (s->grefs[j])
				xen_grant_revoke(s->grefs[j]);
		if (s->indirect)
			xen_grant_revoke(s->indirect_gref);
	}
	if (f->port)
		xen_evtchn_close(f->port);
	set_state(f, XenbusStateInitialising);
	f->connected = false;
}

void blkfront_shutdown_all(void)
{
	for (unsigned i = 0; i < nr_fronts; i++)
		teardown(fronts[i]);
}
