/* SPDX-License-Identifier: MIT */
/*
 * The log front end, the same in the loader and the host tools: one line
 * formatted here, sanitized (messages quote names from disks), and handed
 * to the build's sink: the console in the loader (core/log_console.c),
 * stderr on the host (core/host_log.c).
 */
#include "console.h"
#include "log.h"
#include "log_sink.h"
#include "termsafe.h"

static void vlog(enum log_level level, const char *prefix, const char *fmt, va_list ap, int rc)
{
	char buf[512];
	int n = fmt_snprintf(buf, sizeof(buf), "%s", prefix);
	n += fmt_vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	if (n > (int)sizeof(buf) - 24)
		n = (int)sizeof(buf) - 24;
	if (rc)
		n += fmt_snprintf(buf + n, sizeof(buf) - (size_t)n, " (%s)", strerror_name(rc));
	size_t len = term_sanitize(buf);
	buf[len++] = '\n';
	buf[len] = 0;
	log_sink(level, buf, len);
}

int log_err(int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_ERR, "error: ", fmt, ap, rc);
	va_end(ap);
	return rc;
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_WARN, "warning: ", fmt, ap, 0);
	va_end(ap);
}

bool log_quiet;

void log_info(const char *fmt, ...)
{
	if (log_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_INFO, "", fmt, ap, 0);
	va_end(ap);
}

bool log_debug_enabled;

void log_debug(const char *fmt, ...)
{
	if (!log_debug_enabled)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, "debug: ", fmt, ap, 0);
	va_end(ap);
}

_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_PANIC, "panic: ", fmt, ap, 0);
	va_end(ap);
	log_halt();
}
