/* SPDX-License-Identifier: MIT */
/*
 * Virtio transports (OASIS virtio-v1.2 §4.1 PCI, §4.2 MMIO). All register
 * accesses go through volatile pointers or port I/O; the barriers around
 * queue updates live in virtqueue users.
 */
#include "../core/errno.h"
#include "../core/io.h"
#include "../core/log.h"
#include "../include/abi/virtio.h"
#include "regs.h"
#include "transport.h"

/* A field of the PCI modern common configuration structure. */
#define COMMON(d, field) ((d)->common + offsetof(struct virtio_pci_common_cfg, field))

static inline uint32_t mmio_r32(struct virtio_dev *d, unsigned off)
{
	return mmio_read32(d->mmio + off);
}
static inline void mmio_w32(struct virtio_dev *d, unsigned off, uint32_t v)
{
	mmio_write32(d->mmio + off, v);
}

static uint8_t get_status(struct virtio_dev *d)
{
	switch (d->kind) {
	case VIRTIO_PCI_MODERN: return mmio_read8(COMMON(d, device_status));
	case VIRTIO_PCI_LEGACY: return pio_read8((uint16_t)(d->io + VIRTIO_LEGACY_STATUS));
	default: return (uint8_t)mmio_r32(d, VIRTIO_MMIO_STATUS);
	}
}

static void set_status(struct virtio_dev *d, uint8_t s)
{
	switch (d->kind) {
	case VIRTIO_PCI_MODERN: mmio_write8(COMMON(d, device_status), s); break;
	case VIRTIO_PCI_LEGACY: pio_write8((uint16_t)(d->io + VIRTIO_LEGACY_STATUS), s); break;
	default: mmio_w32(d, VIRTIO_MMIO_STATUS, s); break;
	}
}

void virtio_reset(struct virtio_dev *d)
{
	set_status(d, 0);
	/* Modern devices finish the reset when status reads back 0 (§2.1.2). */
	for (unsigned i = 0; i < 1000000 && get_status(d); i++)
		cpu_relax();
}

static uint64_t get_features(struct virtio_dev *d)
{
	switch (d->kind) {
	case VIRTIO_PCI_MODERN:
		mmio_write32(COMMON(d, device_feature_select), 0);
		uint64_t lo = mmio_read32(COMMON(d, device_feature));
		mmio_write32(COMMON(d, device_feature_select), 1);
		return lo | (uint64_t)mmio_read32(COMMON(d, device_feature)) << 32;
	case VIRTIO_PCI_LEGACY:
		return pio_read32((uint16_t)(d->io + VIRTIO_LEGACY_HOST_FEATURES));
	case VIRTIO_MMIO:
		mmio_w32(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
		lo = mmio_r32(d, VIRTIO_MMIO_DEVICE_FEATURES);
		mmio_w32(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
		return lo | (uint64_t)mmio_r32(d, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	default:
		mmio_w32(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
		return mmio_r32(d, VIRTIO_MMIO_DEVICE_FEATURES);
	}
}

static void set_features(struct virtio_dev *d, uint64_t f)
{
	switch (d->kind) {
	case VIRTIO_PCI_MODERN:
		mmio_write32(COMMON(d, driver_feature_select), 0);
		mmio_write32(COMMON(d, driver_feature), (uint32_t)f);
		mmio_write32(COMMON(d, driver_feature_select), 1);
		mmio_write32(COMMON(d, driver_feature), (uint32_t)(f >> 32));
		break;
	case VIRTIO_PCI_LEGACY:
		pio_write32((uint16_t)(d->io + VIRTIO_LEGACY_GUEST_FEATURES), (uint32_t)f);
		break;
	default:
		mmio_w32(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
		mmio_w32(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)f);
		mmio_w32(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
		mmio_w32(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(f >> 32));
		break;
	}
}

static bool is_modern(struct virtio_dev *d)
{
	return d->kind == VIRTIO_PCI_MODERN || d->kind == VIRTIO_MMIO;
}

int virtio_init(struct virtio_dev *d, uint64_t wanted)
{
	virtio_reset(d);
	set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(d, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	uint64_t offered = get_features(d);
	if (is_modern(d)) {
		if (!(offered & (1ull << VIRTIO_F_VERSION_1)))
			return log_err(-ENODEV, "virtio %s: modern transport without VERSION_1",
				       d->name);
		wanted |= 1ull << VIRTIO_F_VERSION_1;
	}
	d->features = offered & wanted;
	set_features(d, d->features);
	if (is_modern(d)) {
		set_status(d, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
				      VIRTIO_STATUS_FEATURES_OK);
		if (!(get_status(d) & VIRTIO_STATUS_FEATURES_OK)) {
			set_status(d, VIRTIO_STATUS_FAILED);
			return log_err(-ENODEV, "virtio %s: device refused features 0x%lx", d->name,
				       (unsigned long)d->features);
		}
	}
	return 0;
}

void virtio_ready(struct virtio_dev *d)
{
	set_status(d, (uint8_t)(get_status(d) | VIRTIO_STATUS_DRIVER_OK));
}

/* The MMIO registers leave this much for device config. */
#define MMIO_CFG_MAX 0x100u /* the smallest MMIO window a VMM gives (microvm: 0x200) */

int virtio_config_read(struct virtio_dev *d, unsigned off, void *buf, size_t len)
{
	uint8_t *b = buf;
	/* PCI's window is what the capability or the legacy BAR declared. */
	uint64_t window = d->kind == VIRTIO_PCI_MODERN || d->kind == VIRTIO_PCI_LEGACY
				  ? d->device_cfg_len
				  : MMIO_CFG_MAX;
	if (!range_ok(off, len, window))
		return log_err(-ENODEV, "virtio %s: config bytes %u+%lu beyond the device's %lu",
			       d->name, off, (unsigned long)len, (unsigned long)window);
	for (size_t i = 0; i < len; i++) {
		switch (d->kind) {
		case VIRTIO_PCI_MODERN: b[i] = mmio_read8(d->device_cfg + off + i); break;
		case VIRTIO_PCI_LEGACY:
			b[i] = pio_read8((uint16_t)(d->io + VIRTIO_LEGACY_DEVICE_CFG + off + i));
			break;
		default: b[i] = mmio_read8(d->mmio + VIRTIO_MMIO_CONFIG + off + i); break;
		}
	}
	return 0;
}

int virtio_queue_max(struct virtio_dev *d, unsigned q, unsigned *max)
{
	switch (d->kind) {
	case VIRTIO_PCI_MODERN:
		mmio_write16(COMMON(d, queue_select), (uint16_t)q);
		*max = mmio_read16(COMMON(d, queue_size));
		break;
	case VIRTIO_PCI_LEGACY:
		pio_write16((uint16_t)(d->io + VIRTIO_LEGACY_QUEUE_SELECT), (uint16_t)q);
		*max = pio_read16((uint16_t)(d->io + VIRTIO_LEGACY_QUEUE_SIZE));
		break;
	default:
		mmio_w32(d, VIRTIO_MMIO_QUEUE_SEL, q);
		*max = mmio_r32(d, VIRTIO_MMIO_QUEUE_NUM_MAX);
		break;
	}
	return *max ? 0 : -ENODEV;
}

int virtio_queue_setup(struct virtio_dev *d, unsigned q, unsigned size, uint64_t desc,
		       uint64_t avail, uint64_t used)
{
	if (q >= VIRTIO_QUEUES_MAX)
		return -EINVAL;
	switch (d->kind) {
	case VIRTIO_PCI_MODERN: {
		mmio_write16(COMMON(d, queue_select), (uint16_t)q);
		/* The doorbell is fixed once, inside the notify capability (§4.1.4.4). */
		uint64_t at = (uint64_t)mmio_read16(COMMON(d, queue_notify_off)) * d->notify_mult;
		if (!range_ok(at, sizeof(uint16_t), d->notify_len))
			return log_err(-ENODEV, "virtio %s: queue %u doorbell at %lu, capability %u",
				       d->name, q, (unsigned long)at, d->notify_len);
		d->notify_at[q] = (uint32_t)at;
		mmio_write16(COMMON(d, queue_size), (uint16_t)size);
		mmio_write64(COMMON(d, queue_desc), desc);
		mmio_write64(COMMON(d, queue_driver), avail);
		mmio_write64(COMMON(d, queue_device), used);
		mmio_write16(COMMON(d, queue_enable), 1);
		break;
	}
	case VIRTIO_PCI_LEGACY:
		/* Legacy devices take one page frame and assume the 4 KiB layout,
		 * with the queue size they advertise. */
		pio_write16((uint16_t)(d->io + VIRTIO_LEGACY_QUEUE_SELECT), (uint16_t)q);
		pio_write32((uint16_t)(d->io + VIRTIO_LEGACY_QUEUE_PFN), (uint32_t)(desc >> 12));
		break;
	case VIRTIO_MMIO:
		mmio_w32(d, VIRTIO_MMIO_QUEUE_SEL, q);
		mmio_w32(d, VIRTIO_MMIO_QUEUE_NUM, size);
		mmio_w32(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
		mmio_w32(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
		mmio_w32(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
		mmio_w32(d, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
		mmio_w32(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
		mmio_w32(d, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
		mmio_w32(d, VIRTIO_MMIO_QUEUE_READY, 1);
		break;
	case VIRTIO_MMIO_LEGACY:
		mmio_w32(d, VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
		mmio_w32(d, VIRTIO_MMIO_QUEUE_SEL, q);
		mmio_w32(d, VIRTIO_MMIO_QUEUE_NUM, size);
		mmio_w32(d, VIRTIO_MMIO_QUEUE_ALIGN, 4096);
		mmio_w32(d, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)(desc >> 12));
		break;
	}
	return 0;
}

void virtio_notify(struct virtio_dev *d, unsigned q)
{
	switch (d->kind) {
	case VIRTIO_PCI_MODERN:
		if (q < VIRTIO_QUEUES_MAX)
			mmio_write16(d->notify + d->notify_at[q], (uint16_t)q);
		break;
	case VIRTIO_PCI_LEGACY:
		pio_write16((uint16_t)(d->io + VIRTIO_LEGACY_QUEUE_NOTIFY), (uint16_t)q);
		break;
	default:
		mmio_w32(d, VIRTIO_MMIO_QUEUE_NOTIFY, q);
		break;
	}
}

/*
 * Where a capability's structure lives (BAR address + offset) and how long
 * it is; NULL unless all of it lies inside the BAR (a capability is only
 * bytes in config space: one that reaches past its BAR would have the
 * driver write to whatever decodes there) and in memory the loader maps
 * (the low 4 GiB).
 */
static volatile uint8_t *cap_pointer(struct pci_addr a, uint8_t cap, uint32_t *len)
{
	bool io;
	uint64_t size;
	uint8_t bar = pci_read8(a, (uint8_t)(cap + offsetof(struct virtio_pci_cap, bar)));
	uint32_t off = pci_read32(a, (uint8_t)(cap + offsetof(struct virtio_pci_cap, offset)));
	*len = pci_read32(a, (uint8_t)(cap + offsetof(struct virtio_pci_cap, length)));
	if (bar > 5 || !*len)
		return NULL;
	uint64_t base = pci_bar(a, bar, &io, &size);
	if (io || !base || base >= 0x100000000ull || !range_ok(off, *len, size) ||
	    !range_ok(off, *len, 0x100000000ull - base))
		return NULL;
	return (volatile uint8_t *)(uintptr_t)(base + off);
}

int virtio_pci_probe(struct pci_addr a, uint16_t device, struct virtio_dev *d)
{
	memset(d, 0, sizeof(*d));
	fmt_snprintf(d->name, sizeof(d->name), "pci %02x:%02x.%x", a.bus, a.dev, a.fn);
	pci_enable(a);

	if (pci_read16(a, PCI_STATUS) & PCI_STATUS_CAP_LIST) {
		uint8_t cap = pci_read8(a, PCI_CAP_PTR) & 0xfc;
		for (unsigned hops = 0; cap && hops < 48; hops++) {
			if (pci_read8(a, cap) == PCI_CAP_ID_VNDR) {
				uint8_t type = pci_read8(
					a, (uint8_t)(cap + offsetof(struct virtio_pci_cap, cfg_type)));
				uint32_t len;
				volatile uint8_t *p = cap_pointer(a, cap, &len);
				/* A structure shorter than the registers the driver uses is
				 * not one: skip it (and so, maybe, the modern interface). */
				if (type == VIRTIO_PCI_CAP_COMMON_CFG && !d->common && p &&
				    len >= sizeof(struct virtio_pci_common_cfg)) {
					d->common = p;
					d->common_len = len;
				} else if (type == VIRTIO_PCI_CAP_NOTIFY_CFG && !d->notify && p &&
					   len >= sizeof(uint16_t)) {
					d->notify = p;
					d->notify_len = len;
					d->notify_mult = pci_read32(
						a, (uint8_t)(cap + offsetof(struct virtio_pci_notify_cap,
									   notify_off_multiplier)));
				} else if (type == VIRTIO_PCI_CAP_DEVICE_CFG && !d->device_cfg && p) {
					d->device_cfg = p;
					d->device_cfg_len = len;
				}
			}
			cap = pci_read8(a, (uint8_t)(cap + offsetof(struct virtio_pci_cap, cap_next))) &
			      0xfc;
		}
	}
	if (d->common && d->notify && d->device_cfg) {
		d->kind = VIRTIO_PCI_MODERN;
		return 0;
	}
	bool io;
	uint64_t size;
	uint64_t bar0 = pci_bar(a, 0, &io, &size);
	if (device == VIRTIO_PCI_DEV_BLK_LEGACY && io && bar0 && range_ok(bar0, size, 0x10000) &&
	    size > VIRTIO_LEGACY_DEVICE_CFG) {
		d->kind = VIRTIO_PCI_LEGACY;
		d->io = (uint16_t)bar0;
		d->device_cfg_len = (uint32_t)(size - VIRTIO_LEGACY_DEVICE_CFG);
		return 0;
	}
	return log_err(-ENODEV, "virtio %s: no usable modern capabilities or legacy BAR", d->name);
}

int virtio_mmio_probe(uint64_t base, struct virtio_dev *d, uint32_t *device_id)
{
	memset(d, 0, sizeof(*d));
	if (base >= 0x100000000ull)
		return -ENODEV;
	d->mmio = (volatile uint8_t *)(uintptr_t)base;
	if (mmio_r32(d, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC)
		return -ENODEV;
	uint32_t version = mmio_r32(d, VIRTIO_MMIO_VERSION);
	*device_id = mmio_r32(d, VIRTIO_MMIO_DEVICE_ID);
	if (version != 1 && version != 2)
		return -ENODEV;
	d->kind = version == 2 ? VIRTIO_MMIO : VIRTIO_MMIO_LEGACY;
	fmt_snprintf(d->name, sizeof(d->name), "mmio 0x%lx", (unsigned long)base);
	return 0;
}
