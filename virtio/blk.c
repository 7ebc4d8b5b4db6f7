/* SPDX-License-Identifier: MIT */
/*
 * virtio-blk (virtio-v1.2 §5.2): reads only, several large requests in
 * flight. Each request is a descriptor chain: the 16-byte header, the
 * caller's buffer (identity-mapped, so its address is its physical address;
 * split by size_max/seg_max when the device sets them), and a status byte.
 * Completion is polled with a deadline: a device that stops answering
 * gives -ETIMEDOUT and a message, never a hang.
 */
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

struct slot {
	struct virtio_blk_req_hdr hdr;
	volatile uint8_t status;
	bool busy;
	uint16_t head;
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
	struct slot slots[SLOTS];
};

static void barrier(void)
{
	__asm__ volatile("" ::: "memory"); /* x86: stores are not reordered with stores */
}

static void mfence(void)
{
	__asm__ volatile("mfence" ::: "memory");
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

/* Queue one request for [sector, sector + len/512) into @buf. */
static int submit(struct vblk *b, struct slot *s, uint64_t sector, uint8_t *buf, uint64_t len)
{
	unsigned segs = (unsigned)((len + b->seg_bytes - 1) / b->seg_bytes);
	if (b->nr_free < segs + 2)
		return -EAGAIN;
	s->hdr = (struct virtio_blk_req_hdr){ .type = VIRTIO_BLK_T_IN, .sector = sector };
	s->status = 0xff;

	uint16_t head = 0, prev, d = 0;
	alloc_desc(b, &head);
	b->desc[head] = (struct virtq_desc){ (uintptr_t)&s->hdr, sizeof(s->hdr), VIRTQ_DESC_F_NEXT, 0 };
	prev = head;
	for (uint64_t off = 0; off < len; off += b->seg_bytes) {
		alloc_desc(b, &d);
		uint32_t n = (uint32_t)MIN((uint64_t)b->seg_bytes, len - off);
		b->desc[d] = (struct virtq_desc){ (uintptr_t)(buf + off), n,
						  VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0 };
		b->desc[prev].next = d;
		prev = d;
	}
	alloc_desc(b, &d);
	b->desc[d] = (struct virtq_desc){ (uintptr_t)&s->status, 1, VIRTQ_DESC_F_WRITE, 0 };
	b->desc[prev].next = d;

	s->head = head;
	s->busy = true;
	b->avail->ring[b->avail->idx % b->qsize] = head;
	/* The device must see the ring entry before the index that covers it. */
	barrier();
	b->avail->idx++;
	return 0;
}

/* Wait for completions; returns how many finished, or an error. */
static int reap(struct vblk *b, unsigned *done, bool *failed)
{
	uint64_t deadline = deadline_ms(TIMEOUT_MS);
	*done = 0;
	for (;;) {
		mfence();
		while (b->last_used != b->used->idx) {
			/* Read the element only after seeing the index that covers it. */
			barrier();
			uint32_t id = b->used->ring[b->last_used % b->qsize].id;
			b->last_used++;
			for (unsigned i = 0; i < SLOTS; i++) {
				struct slot *s = &b->slots[i];
				if (!s->busy || s->head != id)
					continue;
				if (s->status != VIRTIO_BLK_S_OK) {
					log_err(-EIO, "virtio-blk %s: sector %lu: status %u",
						b->dev.name, (unsigned long)s->hdr.sector, s->status);
					*failed = true;
				}
				s->busy = false;
				free_chain(b, s->head);
				(*done)++;
			}
		}
		if (*done)
			return 0;
		if (deadline_passed(deadline))
			return log_err(-ETIMEDOUT, "virtio-blk %s: no answer in %u ms", b->dev.name,
				       TIMEOUT_MS);
		cpu_relax();
	}
}

static int vblk_read(struct blockdev *dev, uint64_t lba, uint64_t count, void *buf)
{
	struct vblk *b = dev->priv;
	uint64_t per512 = dev->sector_size / 512;
	uint64_t sector = lba * per512;
	uint64_t left = count * dev->sector_size;
	uint8_t *p = buf;
	uint64_t req_max = MIN((uint64_t)REQ_BYTES, (uint64_t)b->seg_bytes * b->max_segs);
	req_max = ALIGN_DOWN(req_max, dev->sector_size);
	unsigned in_flight = 0;
	bool failed = false;

	if (lba > dev->nr_sectors || count > dev->nr_sectors - lba)
		return -EINVAL;
	while (left || in_flight) {
		bool queued = false;
		for (unsigned i = 0; i < SLOTS && left && !failed; i++) {
			struct slot *s = &b->slots[i];
			if (s->busy)
				continue;
			uint64_t n = MIN(left, req_max);
			if (submit(b, s, sector, p, n))
				break;
			sector += n / 512;
			p += n;
			left -= n;
			in_flight++;
			queued = true;
		}
		if (queued) {
			mfence(); /* publish avail->idx before the doorbell */
			virtio_notify(&b->vio, 0);
		}
		if (!in_flight)
			break;
		unsigned done;
		int rc = reap(b, &done, &failed);
		if (rc)
			return rc; /* the device is wedged: its ring state is unknown */
		in_flight -= done;
	}
	return failed ? -EIO : 0;
}

int virtio_blk_attach(struct virtio_dev *vio, const char *name)
{
	struct vblk *b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->vio = *vio;
	struct virtio_dev *d = &b->vio;
	uint64_t want = 1ull << VIRTIO_BLK_F_SIZE_MAX | 1ull << VIRTIO_BLK_F_SEG_MAX |
			1ull << VIRTIO_BLK_F_RO | 1ull << VIRTIO_BLK_F_BLK_SIZE;
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
	if (!IS_POW2(b->qsize) || b->qsize > 32768) {
		rc = log_err(-ENODEV, "virtio-blk %s: queue size %u", d->name, b->qsize);
		goto err;
	}
	/* Legacy layout: descriptors, avail ring, used ring on the next page. */
	size_t avail_off = 16u * b->qsize;
	size_t used_off = ALIGN_UP(avail_off + 6 + 2u * b->qsize, 4096);
	size_t bytes = used_off + ALIGN_UP(6 + 8u * b->qsize, 4096);
	uint8_t *ring = malloc(bytes + 4096);
	if (!ring) {
		rc = -ENOMEM;
		goto err;
	}
	ring = (uint8_t *)ALIGN_UP((uintptr_t)ring, 4096);
	memset(ring, 0, bytes);
	b->desc = (void *)ring;
	b->avail = (void *)(ring + avail_off);
	b->used = (void *)(ring + used_off);
	for (unsigned i = 0; i < b->qsize; i++)
		b->desc[i].next = (uint16_t)(i + 1);
	b->free_head = 0;
	b->nr_free = b->qsize;
	virtio_queue_setup(d, 0, b->qsize, (uintptr_t)b->desc, (uintptr_t)b->avail,
			   (uintptr_t)b->used);

	struct virtio_blk_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	virtio_config_read(d, 0, &cfg, sizeof(cfg));
	b->seg_bytes = (d->features & (1ull << VIRTIO_BLK_F_SIZE_MAX)) && cfg.size_max
			       ? ALIGN_DOWN(MIN(cfg.size_max, REQ_BYTES), 4096) : REQ_BYTES;
	if (!b->seg_bytes)
		b->seg_bytes = 4096;
	b->max_segs = (d->features & (1ull << VIRTIO_BLK_F_SEG_MAX)) && cfg.seg_max
			      ? MIN(cfg.seg_max, b->qsize / SLOTS - 2) : 1;
	if (!b->max_segs)
		b->max_segs = 1;

	b->dev.sector_size = (d->features & (1ull << VIRTIO_BLK_F_BLK_SIZE)) && cfg.blk_size >= 512 &&
					     IS_POW2(cfg.blk_size)
				     ? cfg.blk_size : 512;
	b->dev.nr_sectors = cfg.capacity / (b->dev.sector_size / 512);
	b->dev.read_only = d->features & (1ull << VIRTIO_BLK_F_RO);
	b->dev.read = vblk_read;
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
