/* SPDX-License-Identifier: MIT */
#include "../core/io.h"
#include "pci.h"

#define PCI_CONFIG_ADDR 0xcf8
#define PCI_CONFIG_DATA 0xcfc

static void select_reg(struct pci_addr a, uint8_t off)
{
	outl(PCI_CONFIG_ADDR, 0x80000000u | (uint32_t)a.bus << 16 | (uint32_t)a.dev << 11 |
				      (uint32_t)a.fn << 8 | (off & 0xfc));
}

static uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

uint32_t pci_read32(struct pci_addr a, uint8_t off)
{
	select_reg(a, off);
	return inl(PCI_CONFIG_DATA);
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
	select_reg(a, off);
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"((uint16_t)(PCI_CONFIG_DATA + (off & 2))));
}

static void pci_write32(struct pci_addr a, uint8_t off, uint32_t v)
{
	select_reg(a, off);
	outl(PCI_CONFIG_DATA, v);
}

/* What a BAR register reads after all ones were written to it. */
static uint32_t bar_mask(struct pci_addr a, uint8_t reg)
{
	uint32_t old = pci_read32(a, reg);
	pci_write32(a, reg, ~0u);
	uint32_t mask = pci_read32(a, reg);
	pci_write32(a, reg, old);
	return mask;
}

uint64_t pci_bar(struct pci_addr a, unsigned bar, bool *is_io, uint64_t *size)
{
	uint8_t reg = (uint8_t)(0x10 + 4 * bar);
	uint32_t lo = pci_read32(a, reg);
	bool wide = !(lo & 1) && ((lo >> 1) & 3) == 2 && bar < 5;
	uint64_t addr = (lo & 1) ? lo & ~3u : lo & ~0xfu;
	if (wide)
		addr |= (uint64_t)pci_read32(a, (uint8_t)(reg + 4)) << 32;
	*is_io = lo & 1;

	/* Sizing moves the BAR to all ones for a moment: decoding stays off
	 * meanwhile, so no access can land there. */
	uint16_t cmd = pci_read16(a, PCI_COMMAND);
	pci_write16(a, PCI_COMMAND, cmd & (uint16_t)~3u);
	uint64_t mask = bar_mask(a, reg) & (*is_io ? ~3u : ~0xfu);
	if (wide)
		mask |= (uint64_t)bar_mask(a, (uint8_t)(reg + 4)) << 32;
	else if (mask) /* the bits above a narrow BAR do not decode */
		mask |= *is_io ? 0xffffffffffff0000ull : 0xffffffff00000000ull;
	pci_write16(a, PCI_COMMAND, cmd);
	*size = mask ? ~mask + 1 : 0; /* 0: no BAR there */
	return addr;
}

void pci_enable(struct pci_addr a)
{
	pci_write16(a, PCI_COMMAND, pci_read16(a, PCI_COMMAND) | 0x7);
}

static void scan_bus(uint8_t bus, unsigned depth,
		     void (*fn)(struct pci_addr, uint16_t, uint16_t, void *), void *ctx)
{
	for (uint8_t dev = 0; dev < 32; dev++) {
		for (uint8_t f = 0; f < 8; f++) {
			struct pci_addr a = { bus, dev, f };
			uint32_t id = pci_read32(a, 0);
			if ((id & 0xffff) == 0xffff) {
				if (f == 0)
					break;
				continue;
			}
			fn(a, (uint16_t)id, (uint16_t)(id >> 16), ctx);
			uint8_t hdr = pci_read8(a, 0x0e);
			/* A PCI-to-PCI bridge: its secondary bus, bounded in depth. */
			if ((hdr & 0x7f) == 1 && depth < 8) {
				uint8_t secondary = pci_read8(a, 0x19);
				if (secondary > bus)
					scan_bus(secondary, depth + 1, fn, ctx);
			}
			if (f == 0 && !(hdr & 0x80))
				break; /* single-function device */
		}
	}
}

void pci_scan(void (*fn)(struct pci_addr a, uint16_t vendor, uint16_t device, void *ctx),
	      void *ctx)
{
	/* No host bridge answering means no PCI at all (microvm). */
	if ((pci_read32((struct pci_addr){ 0, 0, 0 }, 0) & 0xffff) == 0xffff)
		return;
	scan_bus(0, 0, fn, ctx);
}
