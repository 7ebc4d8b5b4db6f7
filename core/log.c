/* SPDX-License-Identifier: MIT */
#include "console.h"
#include "log.h"

static void vlog(const char *prefix, const char *fmt, va_list ap, int rc)
{
	char buf[512];
	int n = fmt_snprintf(buf, sizeof(buf), "%s", prefix);
	n += fmt_vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	if (n > (int)sizeof(buf) - 24)
		n = (int)sizeof(buf) - 24;
	if (rc)
		n += fmt_snprintf(buf + n, sizeof(buf) - (size_t)n, " (%s)", strerror_name(rc));
	fmt_snprintf(buf + n, sizeof(buf) - (size_t)n, "\n");
	console_write(buf, strlen(buf));
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
	va_list ap;
	va_start(ap, fmt);
	vlog("", fmt, ap, 0);
	va_end(ap);
}

bool log_debug_enabled;

void log_debug(const char *fmt, ...)
{
	if (!log_debug_enabled)
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
	for (;;)
		__asm__ volatile("cli; hlt");
}
