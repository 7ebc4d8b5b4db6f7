/* SPDX-License-Identifier: MIT */
/* The logging interface for the host tools: everything goes to stderr. */
#include <stdio.h>
#include <stdlib.h>

#include "console.h"
#include "log.h"

int log_verbose;

static void vlog(const char *prefix, const char *fmt, va_list ap, int rc)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	if (rc)
		fprintf(stderr, " (%s)", strerror_name(rc));
	fputc('\n', stderr);
}

int log_err(int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("error: ", fmt, ap, rc);
	va_end(ap);
	return rc;
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("warning: ", fmt, ap, 0);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	if (!log_verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog("", fmt, ap, 0);
	va_end(ap);
}

bool log_debug_enabled;

void log_debug(const char *fmt, ...)
{
	if (!log_debug_enabled && !log_verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog("debug: ", fmt, ap, 0);
	va_end(ap);
}

_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("panic: ", fmt, ap, 0);
	va_end(ap);
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
