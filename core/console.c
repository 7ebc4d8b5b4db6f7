/* SPDX-License-Identifier: MIT */
/*
 * The console multiplexer, and the two sinks every x86 PVH platform may
 * have: the debug port 0xE9 (QEMU -debugcon, Xen's guest log) and COM1.
 */
#include "console.h"
#include "io.h"

static struct console *consoles;

void console_register(struct console *c)
{
	struct console **p = &consoles;
	while (*p)
		p = &(*p)->next;
	c->next = NULL;
	*p = c;
}

void console_write(const char *s, size_t len)
{
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, s, len);
}

int console_getc(void)
{
	for (struct console *c = consoles; c; c = c->next) {
		if (!c->getc)
			continue;
		int ch = c->getc(c);
		if (ch >= 0)
			return ch;
	}
	return -1;
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
	console_write(buf, len);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* Port 0xE9: reading it returns 0xE9 when a debug console is attached. */
#define E9_PORT 0xe9

/*
 * One string instruction for the whole text: under KVM a `rep outsb` is one
 * exit to the VMM per page of it, where a loop of `outb` is one per byte.
 */
static void e9_write(struct console *c, const char *s, size_t len)
{
	__asm__ volatile("rep outsb" : "+S"(s), "+c"(len) : "d"((uint16_t)E9_PORT) : "memory");
}

static struct console e9_console = { .name = "e9", .write = e9_write };

void console_e9_init(void)
{
	if (inb(E9_PORT) == E9_PORT)
		console_register(&e9_console);
}

/* COM1, a 16550 UART at 0x3f8: 115200 8N1, FIFOs on. */
#define COM1 0x3f8
#define UART_THR 0
#define UART_RBR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_IIR 2
#define UART_LSR 5
#define UART_SCR 7
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define IIR_FIFOS_ON 0xc0 /* a 16550A whose 16-byte FIFOs work */

/* Bytes the transmitter takes once it says it is empty: 16 with FIFOs. */
static unsigned com1_burst = 1;

/*
 * One status read per burst instead of per byte: a port access is an exit
 * to the VMM under KVM (Firecracker's and Cloud Hypervisor's consoles are
 * this UART), and a line costs a sixteenth of the reads.
 */
static void com1_write(struct console *c, const char *s, size_t len)
{
	unsigned room = 0;
	for (size_t i = 0; i < len; i++) {
		for (int bytes = s[i] == '\n' ? 2 : 1; bytes; bytes--) {
			if (!room) {
				/* Bounded wait: a wedged UART must not hang the loader. */
				for (unsigned spin = 0; spin < 100000; spin++)
					if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
						break;
				room = com1_burst;
			}
			outb(COM1 + UART_THR, bytes == 2 ? '\r' : (uint8_t)s[i]);
			room--;
		}
	}
}

static int com1_getc(struct console *c)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_RBR);
}

static struct console com1_console = { .name = "com1", .write = com1_write, .getc = com1_getc };

void console_com1_init(void)
{
	/* The scratch register round-trips only when a UART is present. */
	outb(COM1 + UART_SCR, 0x5a);
	if (inb(COM1 + UART_SCR) != 0x5a)
		return;
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80); /* divisor latch */
	outb(COM1 + 0, 1);           /* 115200 baud */
	outb(COM1 + 1, 0);
	outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	outb(COM1 + UART_FCR, 0x07); /* FIFO on, cleared */
	if ((inb(COM1 + UART_IIR) & IIR_FIFOS_ON) == IIR_FIFOS_ON)
		com1_burst = 16;
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
	console_register(&com1_console);
}
