/* SPDX-License-Identifier: MIT */
/* The host tools' log sink (stderr; info only when verbose) and printk. */
#include <stdio.h>
#include <stdlib.h>

#include "console.h"
#include "log.h"
#include "log_sink.h"

int log_verbose;

void log_sink(enum log_level level, const char *line, size_t len)
{
	/* Debug lines come only when asked for (log_debug_enabled, checked by log_debug()). */
	if (level == LOG_INFO && !log_verbose)
		return;
	fwrite(line, 1, len, stderr);
}

_Noreturn void log_halt(void)
{
	abort();
}

int vprintk(const char *fmt, va_list ap)
{
	return vfprintf(stderr, fmt, ap);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
