/* SPDX-License-Identifier: MIT */
/* Where core/log.c's lines go; one implementation per build. Internal to core/. */
#ifndef PVHBOOT_CORE_LOG_SINK_H
#define PVHBOOT_CORE_LOG_SINK_H

#include "lib.h"

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG, LOG_PANIC };

/* Write one finished line (@len bytes, '\n' included). */
void log_sink(enum log_level level, const char *line, size_t len);
/* After a panic's line: stop for good. */
_Noreturn void log_halt(void);

#endif
