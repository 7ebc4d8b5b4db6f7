/* SPDX-License-Identifier: MIT */
/*
 * Virtio 1.x (OASIS virtio-v1.2): split virtqueues, the PCI capability
 * layout, the legacy PCI I/O header, the MMIO register map and virtio-blk
 * requests. All fields little-endian (x86 only, so plain integers).
 */
#ifndef PVHBOOT_ABI_VIRTIO_H
#define PVHBOOT_ABI_VIRTIO_H

#include "abi.h"

#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_PCI_DEV_BLK_LEGACY 0x1001 /* transitional */
#define VIRTIO_PCI_DEV_BLK_MODERN 0x1042 /* 0x1040 + device id 2 */
#define VIRTIO_ID_BLOCK 2

/* Device status (§2.1) */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_FAILED 128

#define VIRTIO_F_VERSION_1 32

/* Split virtqueue (§2.7) */
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
ABI_SIZE(struct virtq_desc, 16);

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
	/* then uint16_t used_event */
};
ABI_OFFSET(struct virtq_avail, idx, 2);
ABI_OFFSET(struct virtq_avail, ring, 4);

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};
ABI_SIZE(struct virtq_used_elem, 8);

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
	/* then uint16_t avail_event */
};
ABI_OFFSET(struct virtq_used, idx, 2);
ABI_OFFSET(struct virtq_used, ring, 4);

/* Bytes of each part of a split queue of @n entries (§2.7), event fields included. */
#define VIRTQ_DESC_BYTES(n) (sizeof(struct virtq_desc) * (size_t)(n))
#define VIRTQ_AVAIL_BYTES(n) \
	(offsetof(struct virtq_avail, ring) + sizeof(uint16_t) * ((size_t)(n) + 1))
#define VIRTQ_USED_BYTES(n) \
	(offsetof(struct virtq_used, ring) + sizeof(struct virtq_used_elem) * (size_t)(n) + \
	 sizeof(uint16_t))
/* The largest queue the split layout allows (§2.7: Queue Size <= 32768). */
#define VIRTQ_SIZE_MAX 32768u

/* PCI capabilities (§4.1.4) */
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4

struct virtio_pci_cap {
	uint8_t cap_vndr;  /* 0x09 */
	uint8_t cap_next;
	uint8_t cap_len;
	uint8_t cfg_type;
	uint8_t bar;
	uint8_t id;
	uint8_t padding[2];
	uint32_t offset;
	uint32_t length;
};
ABI_OFFSET(struct virtio_pci_cap, cap_next, 1);
ABI_OFFSET(struct virtio_pci_cap, cfg_type, 3);
ABI_OFFSET(struct virtio_pci_cap, bar, 4);
ABI_OFFSET(struct virtio_pci_cap, offset, 8);
ABI_OFFSET(struct virtio_pci_cap, length, 12);
ABI_SIZE(struct virtio_pci_cap, 16);

/* The notify capability carries the multiplier for queue_notify_off. */
struct virtio_pci_notify_cap {
	struct virtio_pci_cap cap;
	uint32_t notify_off_multiplier;
};
ABI_OFFSET(struct virtio_pci_notify_cap, notify_off_multiplier, 16);

struct virtio_pci_common_cfg {
	uint32_t device_feature_select;
	uint32_t device_feature;
	uint32_t driver_feature_select;
	uint32_t driver_feature;
	uint16_t msix_config;
	uint16_t num_queues;
	uint8_t device_status;
	uint8_t config_generation;
	uint16_t queue_select;
	uint16_t queue_size;
	uint16_t queue_msix_vector;
	uint16_t queue_enable;
	uint16_t queue_notify_off;
	uint64_t queue_desc;
	uint64_t queue_driver;
	uint64_t queue_device;
};
ABI_OFFSET(struct virtio_pci_common_cfg, device_feature, 4);
ABI_OFFSET(struct virtio_pci_common_cfg, driver_feature_select, 8);
ABI_OFFSET(struct virtio_pci_common_cfg, driver_feature, 12);
ABI_OFFSET(struct virtio_pci_common_cfg, device_status, 20);
ABI_OFFSET(struct virtio_pci_common_cfg, queue_select, 22);
ABI_OFFSET(struct virtio_pci_common_cfg, queue_size, 24);
ABI_OFFSET(struct virtio_pci_common_cfg, queue_enable, 28);
ABI_OFFSET(struct virtio_pci_common_cfg, queue_notify_off, 30);
ABI_OFFSET(struct virtio_pci_common_cfg, queue_desc, 32);
ABI_OFFSET(struct virtio_pci_common_cfg, queue_driver, 40);
ABI_OFFSET(struct virtio_pci_common_cfg, queue_device, 48);
ABI_SIZE(struct virtio_pci_common_cfg, 56);

/* Legacy PCI I/O BAR0 layout (§4.1.4.10) */
#define VIRTIO_LEGACY_HOST_FEATURES 0
#define VIRTIO_LEGACY_GUEST_FEATURES 4
#define VIRTIO_LEGACY_QUEUE_PFN 8
#define VIRTIO_LEGACY_QUEUE_SIZE 12
#define VIRTIO_LEGACY_QUEUE_SELECT 14
#define VIRTIO_LEGACY_QUEUE_NOTIFY 16
#define VIRTIO_LEGACY_STATUS 18
#define VIRTIO_LEGACY_ISR 19
#define VIRTIO_LEGACY_DEVICE_CFG 20 /* without MSI-X */
#define VIRTIO_LEGACY_ALIGN 4096

/* MMIO register map, version 2 (§4.2.2); version 1 is legacy (§4.2.4) */
#define VIRTIO_MMIO_MAGIC 0x74726976 /* "virt" */
#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE 0x028 /* legacy */
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_ALIGN 0x03c /* legacy */
#define VIRTIO_MMIO_QUEUE_PFN 0x040   /* legacy */
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG 0x100

/* virtio-blk (§5.2) */
#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9 /* VIRTIO_BLK_T_FLUSH exists; without it the cache is write-through */

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2
#define VIRTIO_BLK_SECTOR 512u /* the unit of sector, capacity and data lengths */

struct virtio_blk_config {
	uint64_t capacity; /* in 512-byte sectors, whatever blk_size is */
	uint32_t size_max;
	uint32_t seg_max;
	uint8_t geometry[4];
	uint32_t blk_size;
} ABI_PACKED;
ABI_OFFSET(struct virtio_blk_config, size_max, 8);
ABI_OFFSET(struct virtio_blk_config, seg_max, 12);
ABI_OFFSET(struct virtio_blk_config, blk_size, 20);

struct virtio_blk_req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector; /* 512-byte units */
};
ABI_SIZE(struct virtio_blk_req_hdr, 16);

#endif
