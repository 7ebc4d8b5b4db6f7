/* SPDX-License-Identifier: MIT */
/*
 * The console multiplexer: output goes to every registered sink (port 0xE9,
 * COM1, the Xen console ring, EFI ConOut), input comes from the first sink
 * that has a key.
 */
#ifndef PVHBOOT_CORE_CONSOLE_H
#define PVHBOOT_CORE_CONSOLE_H

#include "lib.h"

struct console {
	const char *name;
	void (*write)(struct console *c, const char *s, size_t len);
	/* Returns a byte, or -1 when none is waiting. May be NULL. */
	int (*getc)(struct console *c);
	struct console *next;
};

void console_register(struct console *c);
void console_write(const char *s, size_t len);
int console_getc(void);
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);

/* Built-in sinks of the PVH platforms. */
void console_e9_init(void);
void console_com1_init(void);

#endif
