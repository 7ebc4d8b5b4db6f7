/* SPDX-License-Identifier: MIT */
/*
 * A virtio-blk device made of memory, behind PCI modern, PCI legacy or
 * MMIO version 2, for the host build of virtio/ (see virtio/regs.h).
 *
 * Register addresses are fake bus addresses the double decodes; it never
 * dereferences them. Every access is checked against the window the device
 * itself declared (a PCI capability's length, the legacy header, the MMIO
 * register map): an access outside it is counted as a violation, the thing
 * the driver must never do whatever the device says. On a notify the
 * device serves the request queue at once, from vdev.disk, and answers with
 * the faults the test asked for. Queue memory is the driver's host memory
 * (the identity map of the loader), so the PCI legacy and MMIO version 1
 * transports, which take a 32-bit page number, have no data path here.
 */
#include <stdio.h>

#include "../../core/errno.h"
#include "../../virtio/pci.h"
#include "../../virtio/regs.h"
#include "doubles.h"

struct vdouble vdev;

#define BAR4 0xfe000000ull
#define COMMON_AT (BAR4 + 0x0000)
#define DEVICE_AT (BAR4 + 0x2000)
#define NOTIFY_AT (BAR4 + 0x3000)
#define WINDOW 0x1000u
#define LEGACY_IO 0xc000u
#define MMIO_BASE 0xfeb00000ull
#define MMIO_WINDOW 0x200u

static uint8_t pci_cfg[256];

static void violation(const char *what, uint64_t addr, unsigned width)
{
	if (!vdev.violations++)
		snprintf(vdev.violation, sizeof(vdev.violation), "%s: %u bytes at 0x%llx", what,
			 width, (unsigned long long)addr);
}

static void driver_error(const char *what, unsigned v)
{
	if (!vdev.driver_errors++)
		snprintf(vdev.driver_error, sizeof(vdev.driver_error), "%s (%u)", what, v);
}

static void put_cap(uint8_t at, uint8_t next, uint8_t type, uint32_t offset, uint32_t len)
{
	struct virtio_pci_cap c = { PCI_CAP_ID_VNDR, next, 16, type, 4, 0, { 0, 0 }, offset, len };
	memcpy(pci_cfg + at, &c, sizeof(c));
}

void vdouble_reset(enum virtio_kind kind, uint64_t sectors)
{
	static struct pattern_disk disk;
	uint8_t *bytes = pattern_disk_get(&disk, sectors);

	memset(&vdev, 0, sizeof(vdev));
	vdev.disk = bytes;
	vdev.disk_state = &disk;
	vdev.kind = kind;
	vdev.queue_max = 256;
	vdev.features = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_BLK_F_SIZE_MAX |
			1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_BLK_F_BLK_SIZE;
	if (kind == VIRTIO_PCI_LEGACY || kind == VIRTIO_MMIO_LEGACY)
		vdev.features &= ~(1ull << VIRTIO_F_VERSION_1);
	vdev.cfg.capacity = sectors;
	vdev.cfg.size_max = 1u << 16;
	vdev.cfg.seg_max = 126;
	vdev.cfg.blk_size = 512;
	vdev.common_len = sizeof(struct virtio_pci_common_cfg);
	vdev.notify_len = 4;
	vdev.notify_off = 0;
	vdev.notify_mult = 4;
	vdev.device_len = sizeof(struct virtio_blk_config);
}

int vdouble_probe(struct virtio_dev *d)
{
	struct pci_addr a = { 0, 4, 0 };
	uint32_t id;
	memset(pci_cfg, 0, sizeof(pci_cfg));
	pci_cfg[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	pci_cfg[PCI_CAP_PTR] = 0x40;
	switch (vdev.kind) {
	case VIRTIO_PCI_MODERN:
		put_cap(0x40, 0x54, VIRTIO_PCI_CAP_COMMON_CFG, 0x0000, vdev.common_len);
		put_cap(0x54, 0x6c, VIRTIO_PCI_CAP_NOTIFY_CFG, 0x3000, vdev.notify_len);
		memcpy(pci_cfg + 0x54 + 16, &vdev.notify_mult, 4);
		put_cap(0x6c, 0, VIRTIO_PCI_CAP_DEVICE_CFG, 0x2000, vdev.device_len);
		return virtio_pci_probe(a, VIRTIO_PCI_DEV_BLK_MODERN, d);
	case VIRTIO_PCI_LEGACY:
		pci_cfg[PCI_STATUS] = 0;
		return virtio_pci_probe(a, VIRTIO_PCI_DEV_BLK_LEGACY, d);
	default: {
		int rc = virtio_mmio_probe(MMIO_BASE, d, &id);
		return rc ? rc : id == VIRTIO_ID_BLOCK ? 0 : -ENODEV;
	}
	}
}

/* ---- PCI configuration space (replaces virtio/pci.c) ---- */

uint32_t pci_read32(struct pci_addr a, uint8_t off)
{
	uint32_t v;
	memcpy(&v, pci_cfg + (off & 0xfc), 4);
	return v;
}
uint16_t pci_read16(struct pci_addr a, uint8_t off)
{
	return (uint16_t)(pci_read32(a, off) >> ((off & 2) * 8));
}
uint8_t pci_read8(struct pci_addr a, uint8_t off)
{
	return (uint8_t)(pci_read32(a, off) >> ((off & 3) * 8));
}
void pci_write16(struct pci_addr a, uint8_t off, uint16_t v)
{
	memcpy(pci_cfg + (off & 0xfe), &v, 2);
}
/* The BARs QEMU gives virtio: 16 KiB of memory (four 4 KiB windows), or
 * 64 bytes of I/O ports for a legacy device. */
uint64_t pci_bar(struct pci_addr a, unsigned bar, bool *is_io, uint64_t *size)
{
	*is_io = bar == 0 && vdev.kind == VIRTIO_PCI_LEGACY;
	*size = 0;
	if (bar == 0 && vdev.kind == VIRTIO_PCI_LEGACY) {
		*size = 0x40;
		return LEGACY_IO;
	}
	if (bar == 4)
		*size = 4 * WINDOW;
	return bar == 4 ? BAR4 : 0;
}
void pci_enable(struct pci_addr a)
{
}

/* ---- the request queue ---- */

static uint16_t ring_u16(uint64_t addr)
{
	uint16_t v;
	memcpy(&v, (const void *)(uintptr_t)addr, 2);
	return v;
}

/* Serve one chain: header, data descriptors, status byte. */
static void serve(uint16_t head)
{
	const struct virtq_desc *desc = (const void *)(uintptr_t)vdev.desc;
	struct virtio_blk_req_hdr hdr;
	uint8_t *status = NULL;
	uint64_t pos = 0, written = 0;
	uint16_t i = head;
	bool io_error = false;

	vdev.requests++;
	for (unsigned n = 0;; n++) {
		if (i >= vdev.qsize || n >= vdev.qsize)
			return driver_error("descriptor chain leaves the table", i);
		struct virtq_desc d = desc[i];
		if (n == 0) {
			if (d.len != sizeof(hdr) || (d.flags & VIRTQ_DESC_F_WRITE))
				return driver_error("bad request header", d.len);
			memcpy(&hdr, (const void *)(uintptr_t)d.addr, sizeof(hdr));
			pos = hdr.sector * 512;
		} else if (!(d.flags & VIRTQ_DESC_F_NEXT)) {
			if (d.len != 1 || !(d.flags & VIRTQ_DESC_F_WRITE))
				return driver_error("bad status descriptor", d.len);
			status = (uint8_t *)(uintptr_t)d.addr;
		} else {
			bool out = hdr.type == VIRTIO_BLK_T_OUT;
			if (hdr.type == VIRTIO_BLK_T_FLUSH)
				return driver_error("flush with data", d.len);
			if (!out && !(d.flags & VIRTQ_DESC_F_WRITE))
				return driver_error("read-only data descriptor", d.len);
			if (out && (d.flags & VIRTQ_DESC_F_WRITE))
				return driver_error("writable data descriptor in a write", d.len);
			if (vdev.cfg.size_max && d.len > vdev.cfg.size_max &&
			    (vdev.driver_features & 1ull << VIRTIO_BLK_F_SIZE_MAX))
				return driver_error("segment above size_max", d.len);
			if (!range_ok(pos, d.len, vdev.cfg.capacity * 512)) {
				io_error = true;
			} else if (out) {
				if (vdev.features & 1ull << VIRTIO_BLK_F_RO)
					return driver_error("write to a read-only device", hdr.sector);
				io_error |= vdev.write_error;
				if (!vdev.write_error && !vdev.write_lost && !vdev.silent) {
					memcpy(vdev.disk + pos, (const void *)(uintptr_t)d.addr, d.len);
					vdev.disk_state->written = true;
				}
			} else if (!vdev.silent) {
				memcpy((void *)(uintptr_t)d.addr, vdev.disk + pos, d.len);
			}
			pos += d.len;
			if (!out)
				written += d.len;
		}
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			break;
		i = d.next;
	}
	if (!status)
		return driver_error("chain without a status byte", head);
	if (hdr.type == VIRTIO_BLK_T_OUT) {
		vdev.writes++;
		vdev.unflushed = true;
	} else if (hdr.type == VIRTIO_BLK_T_FLUSH) {
		vdev.flushes++;
		vdev.unflushed = false;
	}
	if (vdev.silent)
		return;

	struct script *s = vdev.script;
	uint8_t fault = script_byte(s);
	uint8_t st = io_error ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
	if (vdev.set_status || (fault & 1))
		st = vdev.set_status ? vdev.status_value : script_byte(s);
	if (!vdev.leave_status && !(fault & 2))
		*status = st;
	uint32_t id = head, len = (uint32_t)written + 1;
	if (vdev.bad_id || (fault & 4))
		id = vdev.bad_id ? vdev.bad_id_value : script_u32(s);
	len += vdev.len_extra + ((fault & 8) ? script_u32(s) : 0);
	struct virtq_used_elem *ring = (void *)(uintptr_t)(vdev.used + 4);
	ring[vdev.used_idx % vdev.qsize] = (struct virtq_used_elem){ id, len };
	vdev.used_idx++;
	uint16_t skip = vdev.used_skip + ((fault & 16) ? (uint16_t)script_u32(s) : 0);
	uint16_t idx = (uint16_t)(vdev.used_idx + skip);
	memcpy((void *)(uintptr_t)(vdev.used + 2), &idx, 2);
	if (fault & 32)
		vdev.silent = true; /* and stop answering */
}

static void notify(uint32_t q)
{
	vdev.notifies++;
	if (q != 0 || !vdev.desc || !vdev.qsize)
		return driver_error("notify for a queue that is not set up", q);
	for (unsigned n = 0; n < vdev.qsize && vdev.last_avail != ring_u16(vdev.avail + 2); n++) {
		uint16_t head = ring_u16(vdev.avail + 4 + 2u * (vdev.last_avail % vdev.qsize));
		vdev.last_avail++;
		serve(head);
	}
}

static void device_reset(void)
{
	vdev.status = 0;
	vdev.driver_features = 0;
	vdev.qsize = 0;
	vdev.qenable = 0;
	vdev.desc = vdev.avail = vdev.used = 0;
	vdev.last_avail = vdev.used_idx = 0;
}

static void set_status(uint8_t s)
{
	if (!s)
		return device_reset();
	if ((s & VIRTIO_STATUS_FEATURES_OK) && (vdev.driver_features & ~vdev.features))
		s &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK;
	vdev.status = s;
}

static uint8_t config_byte(uint64_t off)
{
	return off < sizeof(vdev.cfg) ? ((const uint8_t *)&vdev.cfg)[off] : 0;
}

/* ---- PCI modern: common configuration as bytes, with side effects ---- */

static uint64_t common_read(unsigned off, unsigned width)
{
	struct virtio_pci_common_cfg c;
	memset(&c, 0, sizeof(c));
	c.device_feature_select = vdev.dfsel;
	c.device_feature = vdev.dfsel < 2 ? (uint32_t)(vdev.features >> (32 * vdev.dfsel)) : 0;
	c.driver_feature_select = vdev.drfsel;
	c.driver_feature = vdev.drfsel < 2 ? (uint32_t)(vdev.driver_features >> (32 * vdev.drfsel)) : 0;
	c.num_queues = 1;
	c.device_status = vdev.status;
	c.queue_select = vdev.qsel;
	c.queue_size = vdev.qsel ? 0 : vdev.qsize ? vdev.qsize : vdev.queue_max;
	c.queue_enable = vdev.qsel ? 0 : vdev.qenable;
	c.queue_notify_off = vdev.notify_off;
	c.queue_desc = vdev.desc;
	c.queue_driver = vdev.avail;
	c.queue_device = vdev.used;
	uint64_t v = 0;
	if (off + width <= sizeof(c))
		memcpy(&v, (uint8_t *)&c + off, width);
	return v;
}

static void common_write(unsigned off, unsigned width, uint64_t v)
{
	switch (off) {
	case offsetof(struct virtio_pci_common_cfg, device_feature_select): vdev.dfsel = (uint32_t)v; break;
	case offsetof(struct virtio_pci_common_cfg, driver_feature_select): vdev.drfsel = (uint32_t)v; break;
	case offsetof(struct virtio_pci_common_cfg, driver_feature):
		if (vdev.drfsel < 2) {
			uint64_t mask = 0xffffffffull << (32 * vdev.drfsel);
			vdev.driver_features = (vdev.driver_features & ~mask) | (v << (32 * vdev.drfsel) & mask);
		}
		break;
	case offsetof(struct virtio_pci_common_cfg, device_status): set_status((uint8_t)v); break;
	case offsetof(struct virtio_pci_common_cfg, queue_select): vdev.qsel = (uint16_t)v; break;
	case offsetof(struct virtio_pci_common_cfg, queue_size):
		if (!vdev.qsel)
			vdev.qsize = (uint16_t)v;
		break;
	case offsetof(struct virtio_pci_common_cfg, queue_enable):
		if (!vdev.qsel)
			vdev.qenable = (uint16_t)v;
		break;
	case offsetof(struct virtio_pci_common_cfg, queue_desc): if (!vdev.qsel) vdev.desc = v; break;
	case offsetof(struct virtio_pci_common_cfg, queue_driver): if (!vdev.qsel) vdev.avail = v; break;
	case offsetof(struct virtio_pci_common_cfg, queue_device): if (!vdev.qsel) vdev.used = v; break;
	default: break;
	}
}

/* ---- MMIO version 2 (and 1 for the refusals) ---- */

static uint32_t mmio_reg_read(unsigned off)
{
	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION: return vdev.kind == VIRTIO_MMIO ? 2 : 1;
	case VIRTIO_MMIO_DEVICE_ID: return VIRTIO_ID_BLOCK;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return vdev.dfsel < 2 ? (uint32_t)(vdev.features >> (32 * vdev.dfsel)) : 0;
	case VIRTIO_MMIO_QUEUE_NUM_MAX: return vdev.mmio_qsel ? 0 : vdev.queue_max;
	case VIRTIO_MMIO_QUEUE_READY: return vdev.qenable;
	case VIRTIO_MMIO_STATUS: return vdev.status;
	default: return 0;
	}
}

static void mmio_reg_write(unsigned off, uint32_t v)
{
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: vdev.dfsel = v; break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: vdev.drfsel = v; break;
	case VIRTIO_MMIO_DRIVER_FEATURES: common_write(offsetof(struct virtio_pci_common_cfg, driver_feature), 4, v); break;
	case VIRTIO_MMIO_QUEUE_SEL: vdev.mmio_qsel = v; break;
	case VIRTIO_MMIO_QUEUE_NUM: if (!vdev.mmio_qsel) vdev.qsize = (uint16_t)v; break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW: vdev.desc = (vdev.desc & ~0xffffffffull) | v; break;
	case VIRTIO_MMIO_QUEUE_DESC_HIGH: vdev.desc = (vdev.desc & 0xffffffffull) | (uint64_t)v << 32; break;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW: vdev.avail = (vdev.avail & ~0xffffffffull) | v; break;
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: vdev.avail = (vdev.avail & 0xffffffffull) | (uint64_t)v << 32; break;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW: vdev.used = (vdev.used & ~0xffffffffull) | v; break;
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: vdev.used = (vdev.used & 0xffffffffull) | (uint64_t)v << 32; break;
	case VIRTIO_MMIO_QUEUE_READY: vdev.qenable = (uint16_t)v; break;
	case VIRTIO_MMIO_QUEUE_PFN: vdev.legacy_pfn = v; break;
	case VIRTIO_MMIO_QUEUE_NOTIFY: notify(v); break;
	case VIRTIO_MMIO_STATUS: set_status((uint8_t)v); break;
	default: break;
	}
}

/* ---- the accessors of virtio/regs.h ---- */

static uint64_t reg_read(const volatile void *p, unsigned width)
{
	uint64_t a = (uintptr_t)p;
	if (vdev.kind == VIRTIO_PCI_MODERN && a >= COMMON_AT && a < COMMON_AT + WINDOW) {
		if (a - COMMON_AT + width > vdev.common_len)
			return violation("common config beyond its capability", a, width), ~0ull;
		return common_read((unsigned)(a - COMMON_AT), width);
	}
	if (vdev.kind == VIRTIO_PCI_MODERN && a >= DEVICE_AT && a < DEVICE_AT + WINDOW) {
		if (a - DEVICE_AT + width > vdev.device_len)
			return violation("device config beyond its capability", a, width), ~0ull;
		return config_byte(a - DEVICE_AT);
	}
	if ((vdev.kind == VIRTIO_MMIO || vdev.kind == VIRTIO_MMIO_LEGACY) && a >= MMIO_BASE &&
	    a + width <= MMIO_BASE + MMIO_WINDOW) {
		unsigned off = (unsigned)(a - MMIO_BASE);
		if (off >= VIRTIO_MMIO_CONFIG)
			return config_byte(off - VIRTIO_MMIO_CONFIG);
		if (width != 4)
			return violation("MMIO register read not 32 bits wide", a, width), ~0ull;
		return mmio_reg_read(off);
	}
	return violation("read of no register", a, width), ~0ull;
}

static void reg_write(volatile void *p, unsigned width, uint64_t v)
{
	uint64_t a = (uintptr_t)p;
	if (vdev.kind == VIRTIO_PCI_MODERN && a >= COMMON_AT && a < COMMON_AT + WINDOW) {
		if (a - COMMON_AT + width > vdev.common_len)
			return violation("common config beyond its capability", a, width);
		return common_write((unsigned)(a - COMMON_AT), width, v);
	}
	if (vdev.kind == VIRTIO_PCI_MODERN && a >= NOTIFY_AT && a < NOTIFY_AT + WINDOW) {
		uint64_t at = (uint64_t)vdev.notify_off * vdev.notify_mult;
		if (a - NOTIFY_AT + width > vdev.notify_len)
			return violation("notify beyond its capability", a, width);
		if (a - NOTIFY_AT != at)
			return violation("notify at the wrong offset", a, width);
		return notify((uint32_t)v);
	}
	if ((vdev.kind == VIRTIO_MMIO || vdev.kind == VIRTIO_MMIO_LEGACY) && a >= MMIO_BASE &&
	    a + width <= MMIO_BASE + VIRTIO_MMIO_CONFIG && width == 4)
		return mmio_reg_write((unsigned)(a - MMIO_BASE), (uint32_t)v);
	violation("write to no register", a, width);
}

uint8_t mmio_read8(const volatile void *p) { return (uint8_t)reg_read(p, 1); }
uint16_t mmio_read16(const volatile void *p) { return (uint16_t)reg_read(p, 2); }
uint32_t mmio_read32(const volatile void *p) { return (uint32_t)reg_read(p, 4); }
void mmio_write8(volatile void *p, uint8_t v) { reg_write(p, 1, v); }
void mmio_write16(volatile void *p, uint16_t v) { reg_write(p, 2, v); }
void mmio_write32(volatile void *p, uint32_t v) { reg_write(p, 4, v); }
void mmio_write64(volatile void *p, uint64_t v) { reg_write(p, 8, v); }

/* PCI legacy: the I/O header at BAR 0, device config after it. */
static uint32_t port_read(uint16_t port, unsigned width)
{
	if (vdev.kind != VIRTIO_PCI_LEGACY || port < LEGACY_IO)
		return violation("read of no port", port, width), ~0u;
	unsigned off = port - LEGACY_IO;
	if (off >= VIRTIO_LEGACY_DEVICE_CFG) {
		if (off - VIRTIO_LEGACY_DEVICE_CFG + width > sizeof(vdev.cfg))
			return violation("legacy config beyond the device's", port, width), ~0u;
		return config_byte(off - VIRTIO_LEGACY_DEVICE_CFG);
	}
	switch (off) {
	case VIRTIO_LEGACY_HOST_FEATURES: return (uint32_t)vdev.features;
	case VIRTIO_LEGACY_QUEUE_SIZE: return vdev.qsel ? 0 : vdev.queue_max;
	case VIRTIO_LEGACY_STATUS: return vdev.status;
	default: return 0;
	}
}

static void port_write(uint16_t port, unsigned width, uint32_t v)
{
	if (vdev.kind != VIRTIO_PCI_LEGACY || port < LEGACY_IO)
		return violation("write to no port", port, width);
	switch (port - LEGACY_IO) {
	case VIRTIO_LEGACY_GUEST_FEATURES: vdev.driver_features = v; break;
	case VIRTIO_LEGACY_QUEUE_PFN: vdev.legacy_pfn = v; break;
	case VIRTIO_LEGACY_QUEUE_SELECT: vdev.qsel = (uint16_t)v; break;
	case VIRTIO_LEGACY_QUEUE_NOTIFY: break; /* no data path: see the top */
	case VIRTIO_LEGACY_STATUS: set_status((uint8_t)v); break;
	default: violation("write to a read-only port", port, width); break;
	}
}

uint8_t pio_read8(uint16_t port) { return (uint8_t)port_read(port, 1); }
uint16_t pio_read16(uint16_t port) { return (uint16_t)port_read(port, 2); }
uint32_t pio_read32(uint16_t port) { return port_read(port, 4); }
void pio_write8(uint16_t port, uint8_t v) { port_write(port, 1, v); }
void pio_write16(uint16_t port, uint16_t v) { port_write(port, 2, v); }
void pio_write32(uint16_t port, uint32_t v) { port_write(port, 4, v); }
