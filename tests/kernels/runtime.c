/* SPDX-License-Identifier: MIT */
/*
 * The probe kernels' runtime: report output on port 0xE9 (QEMU -debugcon,
 * Xen's HVM debug port), exit through isa-debug-exit, an IDT that turns
 * an exception into a FAIL report, and the few mem* functions the compiler
 * may call.
 */
#include "runtime.h"

#define DEBUGCON_PORT 0xe9
#define DEBUG_EXIT_PORT 0xf4
#define IDT_VECTORS 32
#define ISR_STUB_SIZE 16
#define GATE_INTERRUPT64 0x8e /* present, DPL 0, 64-bit interrupt gate */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* COM1's line status: bit 0, a received byte is waiting. */
#define COM1_LSR 0x3fd
#define COM1_DATA_READY 0x01
/* Each poll is an exit to the emulator: tens of seconds at most under TCG. */
#define FB_HOLD_POLLS 50000000u

void probe_fb_show(uint64_t addr, uint32_t pitch, uint32_t width, uint32_t height,
		   uint32_t pixel)
{
	for (uint32_t y = 0; y < height; y++) {
		volatile uint32_t *row = (volatile uint32_t *)(uintptr_t)(addr + (uint64_t)y * pitch);
		for (uint32_t x = 0; x < width; x++)
			row[x] = pixel;
	}
	for (uint32_t i = 0; i < FB_HOLD_POLLS && !(inb(COM1_LSR) & COM1_DATA_READY); i++)
		;
}

static void e9_write(void *opaque, const char *s, size_t len)
{
	(void)opaque;
	while (len--)
		outb(DEBUGCON_PORT, (uint8_t)*s++);
}

_Noreturn void probe_exit(int code)
{
	outl(DEBUG_EXIT_PORT, (uint32_t)code);
	for (;;)
		__asm__ volatile("cli; hlt");
}

struct idt_gate {
	uint16_t offset_low, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_high, zero;
} __attribute__((packed));

static struct idt_gate idt[IDT_VECTORS];
extern char probe_isr_stubs[];

static void idt_install(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uintptr_t)idt };

	/* Built at run time: the stubs' addresses depend on the load address. */
	for (unsigned v = 0; v < IDT_VECTORS; v++) {
		uint64_t a = (uintptr_t)probe_isr_stubs + v * ISR_STUB_SIZE;
		idt[v] = (struct idt_gate){
			.offset_low = (uint16_t)a,
			.selector = PROBE_SEL_CODE64,
			.type_attr = GATE_INTERRUPT64,
			.offset_mid = (uint16_t)(a >> 16),
			.offset_high = (uint32_t)(a >> 32),
		};
	}
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

_Noreturn void probe_exception(const struct exc_frame *f)
{
	struct report r;

	report_init(&r, e9_write, NULL);
	e9_write(NULL, "\n", 1); /* the fault may have cut a line short */
	report_check(&r, "exception", false, "vector %llu error 0x%llx at rip 0x%llx",
		     (unsigned long long)f->vector, (unsigned long long)f->error,
		     (unsigned long long)f->rip);
	probe_exit(report_result(&r));
}

void probe_start(struct probe_env *e, struct report *r, const struct cpu_state *cpu)
{
	idt_install();
	report_init(r, e9_write, NULL);
	*e = (struct probe_env){
		.r = r,
		.mem = { .base = 0, .size = (uint64_t)PROBE_MAP_GIB << 30 },
		.cpu = cpu,
		.image = { .start = (uintptr_t)_image_start, .end = (uintptr_t)_image_end },
	};
}

_Noreturn void probe_finish(const struct probe_env *e)
{
	probe_exit(report_result(e->r));
}

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (; n--; x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
