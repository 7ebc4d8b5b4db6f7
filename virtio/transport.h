/* SPDX-License-Identifier: MIT */
/*
 * One virtio device behind any of the three transports pvhboot drives:
 * PCI modern (capabilities), PCI legacy (I/O BAR 0) and MMIO (version 2, and
 * the legacy version 1). Drivers use only these functions.
 */
#ifndef PVHBOOT_VIRTIO_TRANSPORT_H
#define PVHBOOT_VIRTIO_TRANSPORT_H

#include "../core/lib.h"
#include "pci.h"

/* Queues a driver may set up (virtio-blk uses one). */
#define VIRTIO_QUEUES_MAX 2u

enum virtio_kind {
	VIRTIO_PCI_MODERN,
	VIRTIO_PCI_LEGACY,
	VIRTIO_MMIO,
	VIRTIO_MMIO_LEGACY,
};

struct virtio_dev {
	enum virtio_kind kind;
	char name[32];            /* "pci 00:04.0", "mmio 0xfeb00000" */
	/* PCI modern: each structure and the length its capability gives it;
	 * no access goes past that length (§4.1.4). */
	volatile uint8_t *common, *notify, *device_cfg;
	uint32_t common_len, notify_len, device_cfg_len;
	uint32_t notify_mult;
	uint32_t notify_at[VIRTIO_QUEUES_MAX]; /* byte offset of each queue's doorbell */
	/* PCI legacy */
	uint16_t io;
	/* MMIO */
	volatile uint8_t *mmio;
	uint64_t features;        /* negotiated */
};

/* Reset, acknowledge, negotiate (@wanted & offered, plus VERSION_1 where modern). */
int virtio_init(struct virtio_dev *d, uint64_t wanted);
/* Tell the device the driver is ready (after queues are set up). */
void virtio_ready(struct virtio_dev *d);
/* Reset the device so the next kernel finds it as firmware left it. */
void virtio_reset(struct virtio_dev *d);
/* Device-specific configuration bytes; -ENODEV if they lie outside the
 * window the device declared. */
int virtio_config_read(struct virtio_dev *d, unsigned off, void *buf, size_t len);

/*
 * virtio_queue_setup() - queue @q with @size entries in one contiguous,
 * page-aligned block laid out as legacy devices require (descriptors, avail
 * ring, then the used ring at the next 4 KiB boundary). Returns the
 * device's maximum queue size in *max first if @size is 0. Setup returns
 * -ENODEV when the device puts the queue's doorbell outside its notify
 * capability, -EINVAL for a queue number above VIRTIO_QUEUES_MAX.
 */
int virtio_queue_max(struct virtio_dev *d, unsigned q, unsigned *max);
int virtio_queue_setup(struct virtio_dev *d, unsigned q, unsigned size, uint64_t desc,
		       uint64_t avail, uint64_t used);
void virtio_notify(struct virtio_dev *d, unsigned q);

/* Transport probes. */
int virtio_pci_probe(struct pci_addr a, uint16_t device, struct virtio_dev *d);
int virtio_mmio_probe(uint64_t base, struct virtio_dev *d, uint32_t *device_id);

#endif
