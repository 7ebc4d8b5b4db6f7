/* SPDX-License-Identifier: MIT */
/* PCI configuration space through I/O ports 0xCF8/0xCFC (mechanism #1). */
#ifndef PVHBOOT_VIRTIO_PCI_H
#define PVHBOOT_VIRTIO_PCI_H

#include "../core/lib.h"

struct pci_addr {
	uint8_t bus, dev, fn;
};

uint32_t pci_read32(struct pci_addr a, uint8_t off);
uint16_t pci_read16(struct pci_addr a, uint8_t off);
uint8_t pci_read8(struct pci_addr a, uint8_t off);
void pci_write16(struct pci_addr a, uint8_t off, uint16_t v);

/*
 * pci_bar() - the address a BAR was assigned by firmware, with *is_io set
 * for I/O BARs and *size to how many bytes it decodes (sized the standard
 * way, all ones written with decoding off, then restored). 64-bit memory
 * BARs are combined with the next one.
 */
uint64_t pci_bar(struct pci_addr a, unsigned bar, bool *is_io, uint64_t *size);

/* Enable memory and I/O decoding and bus mastering (DMA). */
void pci_enable(struct pci_addr a);

/* Call @fn for every function present on every bus reachable from bus 0. */
void pci_scan(void (*fn)(struct pci_addr a, uint16_t vendor, uint16_t device, void *ctx),
	      void *ctx);

#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAP_PTR 0x34
#define PCI_CAP_ID_VNDR 0x09

#endif
