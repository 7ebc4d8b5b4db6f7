/* SPDX-License-Identifier: MIT */
/*
 * Device register access for virtio/: memory-mapped registers through
 * volatile pointers, and x86 port I/O.
 *
 * This header is the seam that lets the drivers run on the host. In the
 * loader every accessor is a static inline of one mov/in/out, so the
 * freestanding code is exactly what it would be with the accesses written
 * out. In host builds (PVHBOOT_HOSTED: unit tests and fuzzers) the same
 * names are only declared, and a test double (tests/unit/virtio_double.c)
 * defines them as a device made of memory that can misbehave: the driver
 * sources compile unchanged and never dereference a register address there.
 * pci.h needs no seam of its own: its functions are already out of line,
 * so the double simply replaces pci.c at link time.
 */
#ifndef PVHBOOT_VIRTIO_REGS_H
#define PVHBOOT_VIRTIO_REGS_H

#include <stdint.h>

#ifdef PVHBOOT_HOSTED
uint8_t mmio_read8(const volatile void *p);
uint16_t mmio_read16(const volatile void *p);
uint32_t mmio_read32(const volatile void *p);
void mmio_write8(volatile void *p, uint8_t v);
void mmio_write16(volatile void *p, uint16_t v);
void mmio_write32(volatile void *p, uint32_t v);
void mmio_write64(volatile void *p, uint64_t v);
uint8_t pio_read8(uint16_t port);
uint16_t pio_read16(uint16_t port);
uint32_t pio_read32(uint16_t port);
void pio_write8(uint16_t port, uint8_t v);
void pio_write16(uint16_t port, uint16_t v);
void pio_write32(uint16_t port, uint32_t v);
#else
static inline uint8_t mmio_read8(const volatile void *p)
{
	return *(const volatile uint8_t *)p;
}
static inline uint16_t mmio_read16(const volatile void *p)
{
	return *(const volatile uint16_t *)p;
}
static inline uint32_t mmio_read32(const volatile void *p)
{
	return *(const volatile uint32_t *)p;
}
static inline void mmio_write8(volatile void *p, uint8_t v)
{
	*(volatile uint8_t *)p = v;
}
static inline void mmio_write16(volatile void *p, uint16_t v)
{
	*(volatile uint16_t *)p = v;
}
static inline void mmio_write32(volatile void *p, uint32_t v)
{
	*(volatile uint32_t *)p = v;
}
static inline void mmio_write64(volatile void *p, uint64_t v)
{
	*(volatile uint64_t *)p = v;
}
static inline uint8_t pio_read8(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint16_t pio_read16(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t pio_read32(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline void pio_write8(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void pio_write16(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline void pio_write32(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}
#endif

#endif
