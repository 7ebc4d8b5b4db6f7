/* SPDX-License-Identifier: MIT */
/*
 * Logging, once, where the context is known:
 *   return log_err(rc, "elf %s: segment %u outside the file", name, i);
 * prints "error: elf vmlinuz: segment 2 outside the file (ENOEXEC)" and
 * returns rc unchanged.
 */
#ifndef PVHBOOT_CORE_LOG_H
#define PVHBOOT_CORE_LOG_H

#include "errno.h"
#include "lib.h"

int log_err(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only with loglevel=debug (the loader) or -v (the host tools). */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool log_debug_enabled;
/* `quiet`: log_info() prints nothing; warnings and errors still do. */
extern bool log_quiet;
/* Unrecoverable loader bug: print and stop the machine. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
