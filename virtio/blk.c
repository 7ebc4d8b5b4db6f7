/* SPDX-License-Identifier: MIT */
/*
 * virtio-blk (virtio-v1.2 §5.2): reads, several large requests in flight,
 * and the rare write (a grubenv block), followed by VIRTIO_BLK_T_FLUSH when
 * the device has a write cache (VIRTIO_BLK_F_FLUSH; §5.2.6.2: without it
 * the device is write-through). A device offering VIRTIO_BLK_F_RO is never
 * written. Each request is a descriptor chain: the 16-byte header, the
 * caller's buffer (identity-mapped, so its address is its physical address;
 * split by size_max/seg_max when the device sets them), and a status byte.
 * Completion is polled with a deadline: a device that stops answering
 * gives -ETIMEDOUT and a message, never a hang.
 *
 * The device is not trusted: a queue too short for one request is refused
 * at attach, and every used element is checked (the index runs at most as
 * far as the requests in flight, the id names a request head, the length
 * fits the request) before its request counts as done. A device that
 * breaks the protocol, or stops answering, is "broken" from then on: its
 * ring state is unknown, so every later read fails instead of reusing it.
 */
#include "../core/barrier.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/io.h"
#include "../core/time.h"
#include "../include/abi/virtio.h"
#include "../fs/blockdev.h"
#include "blk.h"

#define QUEUE_MAX 256u
#define SLOTS 8u            /* requests in flight */
#define REQ_BYTES (1u << 20) /* bytes per request */
#define TIMEOUT_MS 10000u
/* A request is a header, at least one data descriptor and a status byte. */
#define DESC_MIN_PER_REQ 3u

struct slot {
	struct virtio_blk_req_hdr hdr;
	volatile uint8_t status;
	bool busy;
	uint16_t head;
	uint32_t writable;  /* bytes the device may write: data + status */
};

struct vblk {
	struct blockdev dev;
	struct virtio_dev vio;
	unsigned qsize;
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint16_t last_used;
	uint16_t free_head;
	unsigned nr_free;
	uint32_t seg_bytes;   /* largest data descriptor */
	unsigned max_segs;    /* data descriptors per request */
	uint64_t req_max;     /* bytes per request, a multiple of the sector size */
	unsigned in_flight;   /* requests the device holds */
	bool broken;          /* protocol error or timeout: the ring is unknown */
	bool flush;           /* VIRTIO_BLK_F_FLUSH: a write cache to flush after writes */
	struct slot slots[SLOTS];
};

/* The device must see a ring entry before the avail->idx that covers it. */
static inline void virtq_publish(void)
{
	wmb_ordered();
}

/* avail->idx must be visible before the doorbell wakes the device (a
 * store then, on some transports, a load: a full fence). */
static inline void virtq_before_notify(void)
{
	mb_store_load();
}

/* Read used elements only after the used->idx that covers them. */
static inline void virtq_after_used_idx(void)
{
	rmb_ordered();
}

/* A protocol error: log it, and never touch this ring again. */
static int vblk_broken(struct vblk *b, const char *what, unsigned long v)
{
	b->broken = true;
	return log_err(-EIO, "virtio-blk %s: device error: %s %lu", b->dev.name, what, v);
}

static int alloc_desc(struct vblk *b, uint16_t *out)
{
	if (!b->nr_free)
		return -EAGAIN;
	*out = b->free_head;
	b->free_head = b->desc[*out].next;
	b->nr_free--;
	return 0;
}

static void free_chain(struct vblk *b, uint16_t head)
{
	uint16_t i = head;
	for (unsigned n = 0; n < b->qsize; n++) {
		bool more = b->desc[i].flags & VIRTQ_DESC_F_NEXT;
		uint16_t next = b->desc[i].next;
		b->desc[i].next = b->free_head;
		b->free_head = i;
		b->nr_free++;
		if (!more)
			return;
		i = next;
	}
}

/*
 * Queue one request of @type for [sector, sector + len/512) with @buf:
 * the device writes it for T_IN, reads it for T_OUT; T_FLUSH has no data.
 */
static int submit(struct vblk *b, struct slot *s, uint32_t type, uint64_t sector, uint8_t *buf,
		  uint64_t len)
{
	unsigned segs = (unsigned)((len + b->seg_bytes - 1) / b->seg_bytes);
	uint16_t data_flags = type == VIRTIO_BLK_T_IN ? VIRTQ_DESC_F_WRITE : 0;
	if (b->nr_free < segs + 2)
		return -EAGAIN;
	s->hdr = (struct virtio_blk_req_hdr){ .type = type, .sector = sector };
	s->status = 0xff;

	uint16_t head = 0, prev, d = 0;
	alloc_desc(b, &head);
	b->desc[head] = (struct virtq_desc){ (uintptr_t)&s->hdr, sizeof(s->hdr), VIRTQ_DESC_F_NEXT, 0 };
	s->writable = (uint32_t)(data_flags ? len : 0) + sizeof(s->status);
	prev = head;
	for (uint64_t off = 0; off < len; off += b->seg_bytes) {
		alloc_desc(b, &d);
		uint32_t n = (uint32_t)MIN((uint64_t)b->seg_bytes, len - off);
		b->desc[d] = (struct virtq_desc){ (uintptr_t)(buf + off), n,
						  data_flags | VIRTQ_DESC_F_NEXT, 0 };
		b->desc[prev].next = d;
		prev = d;
	}
	alloc_desc(b, &d);
	b->desc[d] = (struct virtq_desc){ (uintptr_t)&s->status, sizeof(s->status), VIRTQ_DESC_F_WRITE, 0 };
	b->desc[prev].next = d;

	s->head = head;
	s->busy = true;
	b->avail->ring[b->avail->idx % b->qsize] = head;
	virtq_publish();
	b->avail->idx++;
	b->in_flight++;
	return 0;
}

/* Which busy slot a used element completes, or NULL. */
static struct slot *slot_of(struct vblk *b, uint32_t id)
{
	for (unsigned i = 0; i < SLOTS; i++)
		if (b->slots[i].busy && b->slots[i].head == id)
			return &b->slots[i];
	return NULL;
}

/* Wait for completions; returns how many finished, or an error. */
static int reap(struct vblk *b, unsigned *done, bool *failed)
{
	uint64_t deadline = deadline_ms(TIMEOUT_MS);
	*done = 0;
	for (;;) {
		uint16_t idx = b->used->idx;
		uint16_t pending = (uint16_t)(idx - b->last_used);
		if (pending > b->in_flight)
			return vblk_broken(b, "used index runs ahead by", pending);
		virtq_after_used_idx();
		for (; pending; pending--) {
			volatile struct virtq_used_elem *e = &b->used->ring[b->last_used % b->qsize];
			uint32_t id = e->id, len = e->len;
			b->last_used++;
			struct slot *s = id < b->qsize ? slot_of(b, id) : NULL;
			if (!s)
				return vblk_broken(b, "completion for no request, id", id);
			if (len > s->writable)
				return vblk_broken(b, "used length beyond the buffer", len);
			uint8_t status = s->status;
			if (status != VIRTIO_BLK_S_OK) {
				log_err(-EIO, "virtio-blk %s: sector %lu: status %u",
					b->dev.name, (unsigned long)s->hdr.sector, status);
				*failed = true;
			}
			s->busy = false;
			free_chain(b, s->head);
			b->in_flight--;
			(*done)++;
		}
		if (*done)
			return 0;
		if (deadline_passed(deadline)) {
			b->broken = true;
			return log_err(-ETIMEDOUT, "virtio-blk %s: no answer in %u ms", b->dev.name,
				       TIMEOUT_MS);
		}
		cpu_relax();
	}
}

/* Requests of @type over [lba, lba + count) with @buf, SLOTS at a time. */
static int vblk_rw(struct blockdev *dev, uint32_t type, uint64_t lba, uint64_t count, void *buf)
{
	struct vblk *b = dev->priv;
	uint64_t per512 = dev->sector_size / VIRTIO_BLK_SECTOR;
	uint64_t sector = lba * per512;
	uint64_t left = count * dev->sector_size;
	uint8_t *p = buf;
	uint64_t req_max = b->req_max;
	unsigned in_flight = 0;
	bool failed = false;

	if (b->broken)
		return -EIO;
	if (lba > dev->nr_sectors || count > dev->nr_sectors - lba)
		return -EINVAL;
	while (left || in_flight) {
		bool queued = false;
		for (unsigned i = 0; i < SLOTS && left && !failed; i++) {
			struct slot *s = &b->slots[i];
			if (s->busy)
				continue;
			uint64_t n = MIN(left, req_max);
			if (submit(b, s, type, sector, p, n))
				break;
			sector += n / VIRTIO_BLK_SECTOR;
			p += n;
			left -= n;
			in_flight++;
			queued = true;
		}
		if (queued) {
			virtq_before_notify();
			virtio_notify(&b->vio, 0);
		}
		/* Attach guarantees one request fits an empty queue. */
		if (!in_flight)
			return left ? log_err(-EIO, "virtio-blk %s: request does not fit the queue",
					      dev->name) : (failed ? -EIO : 0);
		unsigned done;
		int rc = reap(b, &done, &failed);
		if (rc)
			return rc; /* the device is wedged: its ring state is unknown */
		in_flight -= done;
	}
	return failed ? -EIO : 0;
}

static int vblk_read(struct blockdev *dev, uint64_t lba, uint64_t count, void *buf)
{
	return vblk_rw(dev, VIRTIO_BLK_T_IN, lba, count, buf);
}

/* One FLUSH: everything completed before it is on stable storage (§5.2.6.2). */
static int vblk_flush(struct vblk *b)
{
	struct slot *s = &b->slots[0];
	unsigned done = 0;
	bool failed = false;
	/* vblk_rw() returns with nothing in flight, so slot 0 and the ring are free. */
	if (s->busy || submit(b, s, VIRTIO_BLK_T_FLUSH, 0, NULL, 0))
		return log_err(-EIO, "virtio-blk %s: flush does not fit the queue", b->dev.name);
	virtq_before_notify();
	virtio_notify(&b->vio, 0);
	while (!done) {
		int rc = reap(b, &done, &failed);
		if (rc)
			return rc;
	}
	return failed ? -EIO : 0;
}

static int vblk_write(struct blockdev *dev, uint64_t lba, uint64_t count, const void *buf)
{
	struct vblk *b = dev->priv;
	if (dev->read_only)
		return -EROFS;
	/* The device only reads the buffer of a T_OUT request. */
	int rc = vblk_rw(dev, VIRTIO_BLK_T_OUT, lba, count, (void *)(uintptr_t)buf);
	if (!rc && b->flush)
		rc = vblk_flush(b);
	return rc;
}

int virtio_blk_attach(struct virtio_dev *vio, const char *name)
{
	struct vblk *b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->vio = *vio;
	struct virtio_dev *d = &b->vio;
	uint64_t want = 1ull << VIRTIO_BLK_F_SIZE_MAX | 1ull << VIRTIO_BLK_F_SEG_MAX |
			1ull << VIRTIO_BLK_F_RO | 1ull << VIRTIO_BLK_F_BLK_SIZE |
			1ull << VIRTIO_BLK_F_FLUSH;
	int rc = virtio_init(d, want);
	if (rc)
		goto err;

	unsigned max;
	rc = virtio_queue_max(d, 0, &max);
	if (rc) {
		log_err(rc, "virtio-blk %s: no request queue", d->name);
		goto err;
	}
	bool legacy = d->kind == VIRTIO_PCI_LEGACY || d->kind == VIRTIO_MMIO_LEGACY;
	b->qsize = legacy ? max : MIN(max, QUEUE_MAX);
	if (!IS_POW2(b->qsize) || b->qsize > VIRTQ_SIZE_MAX || b->qsize < DESC_MIN_PER_REQ) {
		rc = log_err(-ENODEV, "virtio-blk %s: queue size %u", d->name, b->qsize);
		goto err;
	}
	/* Legacy layout: descriptors, avail ring, used ring on the next page. */
	size_t avail_off = VIRTQ_DESC_BYTES(b->qsize);
	size_t used_off = ALIGN_UP(avail_off + VIRTQ_AVAIL_BYTES(b->qsize), VIRTIO_LEGACY_ALIGN);
	size_t bytes = used_off + ALIGN_UP(VIRTQ_USED_BYTES(b->qsize), VIRTIO_LEGACY_ALIGN);
	uint8_t *ring = malloc(bytes + VIRTIO_LEGACY_ALIGN);
	if (!ring) {
		rc = -ENOMEM;
		goto err;
	}
	ring = (uint8_t *)ALIGN_UP((uintptr_t)ring, VIRTIO_LEGACY_ALIGN);
	memset(ring, 0, bytes);
	b->desc = (void *)ring;
	b->avail = (void *)(ring + avail_off);
	b->used = (void *)(ring + used_off);
	for (unsigned i = 0; i < b->qsize; i++)
		b->desc[i].next = (uint16_t)(i + 1);
	b->free_head = 0;
	b->nr_free = b->qsize;
	rc = virtio_queue_setup(d, 0, b->qsize, (uintptr_t)b->desc, (uintptr_t)b->avail,
				(uintptr_t)b->used);
	if (rc)
		goto err;

	/* Only capacity is unconditional; the rest exists with its feature. */
	struct virtio_blk_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	size_t cfg_len = d->features & (1ull << VIRTIO_BLK_F_BLK_SIZE) ? sizeof(cfg)
			 : d->features & (1ull << VIRTIO_BLK_F_SEG_MAX)
				 ? offsetof(struct virtio_blk_config, geometry)
			 : d->features & (1ull << VIRTIO_BLK_F_SIZE_MAX)
				 ? offsetof(struct virtio_blk_config, seg_max)
				 : offsetof(struct virtio_blk_config, size_max);
	rc = virtio_config_read(d, 0, &cfg, cfg_len);
	if (rc)
		goto err;
	/* Segments page-sized where the device allows, else whole 512-byte units. */
	b->seg_bytes = REQ_BYTES;
	if ((d->features & (1ull << VIRTIO_BLK_F_SIZE_MAX)) && cfg.size_max) {
		uint32_t size_max = MIN(cfg.size_max, REQ_BYTES);
		b->seg_bytes = (uint32_t)(size_max >= PAGE_SIZE ? ALIGN_DOWN(size_max, PAGE_SIZE)
							: ALIGN_DOWN(size_max, VIRTIO_BLK_SECTOR));
	}
	if (!b->seg_bytes) {
		rc = log_err(-ENODEV, "virtio-blk %s: size_max %u", d->name, cfg.size_max);
		goto err;
	}
	/*
	 * Descriptors per request: a share of the queue for each of the SLOTS
	 * requests, but never less than one request's minimum; a short queue
	 * then just keeps fewer requests in flight.
	 */
	unsigned per_req = MAX(b->qsize / SLOTS, DESC_MIN_PER_REQ);
	b->max_segs = (d->features & (1ull << VIRTIO_BLK_F_SEG_MAX)) && cfg.seg_max
			      ? MIN(cfg.seg_max, per_req - 2) : 1;
	if (!b->max_segs)
		b->max_segs = 1;

	b->dev.sector_size = (d->features & (1ull << VIRTIO_BLK_F_BLK_SIZE)) &&
					     cfg.blk_size >= VIRTIO_BLK_SECTOR && IS_POW2(cfg.blk_size)
				     ? cfg.blk_size : VIRTIO_BLK_SECTOR;
	b->dev.nr_sectors = cfg.capacity / (b->dev.sector_size / VIRTIO_BLK_SECTOR);
	b->req_max = ALIGN_DOWN(MIN((uint64_t)REQ_BYTES, (uint64_t)b->seg_bytes * b->max_segs),
				b->dev.sector_size);
	if (!b->req_max) {
		rc = log_err(-ENODEV, "virtio-blk %s: %u-byte blocks do not fit one request",
			     d->name, b->dev.sector_size);
		goto err;
	}
	b->dev.read_only = d->features & (1ull << VIRTIO_BLK_F_RO);
	b->flush = d->features & (1ull << VIRTIO_BLK_F_FLUSH);
	b->dev.read = vblk_read;
	b->dev.write = vblk_write;
	b->dev.priv = b;
	fmt_snprintf(b->dev.name, sizeof(b->dev.name), "%s", name);
	virtio_ready(d);
	rc = blockdev_register(&b->dev);
	if (rc)
		goto err;
	log_info("%s: virtio-blk (%s, %s), %lu MiB, %u-byte sectors", name, d->name,
		 legacy ? "legacy" : "modern", (unsigned long)(cfg.capacity >> 11),
		 b->dev.sector_size);
	return 0;
err:
	virtio_reset(d);
	free(b);
	return rc;
}

void virtio_blk_shutdown_all(void)
{
	for (unsigned i = 0; i < blockdev_count(); i++) {
		struct blockdev *dev = blockdev_get(i);
		if (dev->read == vblk_read)
			virtio_reset(&((struct vblk *)dev->priv)->vio);
	}
}
