/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_VIRTIO_BLK_H
#define PVHBOOT_VIRTIO_BLK_H

#include "transport.h"

/* Bring up a probed virtio-blk device and register it as block device @name. */
int virtio_blk_attach(struct virtio_dev *vio, const char *name);
/* Reset every virtio-blk device before handoff. */
void virtio_blk_shutdown_all(void);

/*
 * virtio_probe_all() - find virtio-blk devices on PCI and at MMIO addresses
 * (the loader's "virtio_mmio.device=SIZE@ADDR[:IRQ]" options, then QEMU
 * microvm's fixed slots) and register them as vda, vdb, ...
 */
void virtio_probe_all(const char *cmdline);

#endif
