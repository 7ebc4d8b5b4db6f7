/* SPDX-License-Identifier: MIT */
#include "../core/log.h"
#include "../include/abi/virtio.h"
#include "blk.h"

/* QEMU microvm places virtio-mmio transports here (hw/i386/microvm.c). */
#define MICROVM_MMIO_BASE 0xfeb00000ull
#define MICROVM_MMIO_SIZE 0x200ull
#define MICROVM_MMIO_SLOTS 24

static unsigned nr_disks;

static void next_name(char *buf, size_t cap)
{
	fmt_snprintf(buf, cap, "vd%c", 'a' + (int)(nr_disks % 26));
	nr_disks++;
}

static void pci_found(struct pci_addr a, uint16_t vendor, uint16_t device, void *ctx)
{
	struct virtio_dev vio;
	char name[8];
	if (vendor != VIRTIO_PCI_VENDOR ||
	    (device != VIRTIO_PCI_DEV_BLK_LEGACY && device != VIRTIO_PCI_DEV_BLK_MODERN))
		return;
	if (virtio_pci_probe(a, device, &vio))
		return;
	next_name(name, sizeof(name));
	virtio_blk_attach(&vio, name);
}

static bool mmio_seen(uint64_t *seen, unsigned n, uint64_t base)
{
	for (unsigned i = 0; i < n; i++)
		if (seen[i] == base)
			return true;
	return false;
}

static void try_mmio(uint64_t base, uint64_t *seen, unsigned *nseen)
{
	struct virtio_dev vio;
	uint32_t id;
	char name[8];
	if (*nseen >= 64 || mmio_seen(seen, *nseen, base))
		return;
	seen[(*nseen)++] = base;
	if (virtio_mmio_probe(base, &vio, &id) || id != VIRTIO_ID_BLOCK)
		return;
	next_name(name, sizeof(name));
	virtio_blk_attach(&vio, name);
}

/* "virtio_mmio.device=<size>@<baseaddr>:<irq>", as Linux takes it. */
static void cmdline_mmio(const char *cmdline, uint64_t *seen, unsigned *nseen)
{
	static const char key[] = "virtio_mmio.device=";
	for (const char *p = cmdline; (p = strstr(p, key)) != NULL; p++) {
		if (p != cmdline && p[-1] != ' ')
			continue;
		const char *at = p + sizeof(key) - 1;
		while (*at && *at != '@' && *at != ' ')
			at++;
		if (*at != '@')
			continue;
		const char *end = ++at;
		while (*end && *end != ':' && *end != ' ')
			end++;
		uint64_t base;
		if (parse_u64(at, (size_t)(end - at), &base))
			try_mmio(base, seen, nseen);
	}
}

void virtio_probe_all(const char *cmdline)
{
	uint64_t seen[64];
	unsigned nseen = 0;

	pci_scan(pci_found, NULL);
	cmdline_mmio(cmdline, seen, &nseen);
	/* Without PCI, look at microvm's slots; elsewhere that range is not ours. */
	if (!nr_disks && (pci_read32((struct pci_addr){ 0, 0, 0 }, 0) & 0xffff) == 0xffff)
		for (unsigned i = 0; i < MICROVM_MMIO_SLOTS; i++)
			try_mmio(MICROVM_MMIO_BASE + i * MICROVM_MMIO_SIZE, seen, &nseen);
}
