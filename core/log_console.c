/* SPDX-License-Identifier: MIT */
/* The loader's log sink: every line to the console, info included. */
#include "console.h"
#include "log_sink.h"

void log_sink(enum log_level level, const char *line, size_t len)
{
	(void)level;
	console_write(line, len);
}

_Noreturn void log_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
