/* SPDX-License-Identifier: MIT */
/*
 * The probe report: machine-readable ASCII lines, written through a
 * pluggable output function (port 0xE9 in a probe, a buffer in a unit test).
 *
 *   PROBE <kind>                 first line
 *   FIELD <name>=<value>         a fact the harness compares with its input
 *   CHECK <name> ok              one per validation ("ok unverifiable" when
 *   CHECK <name> FAIL <detail>    the state cannot be seen from inside)
 *   RESULT PASS | RESULT FAIL <number of failed checks>
 */
#ifndef PVHBOOT_TESTS_KERNELS_REPORT_H
#define PVHBOOT_TESTS_KERNELS_REPORT_H

#include "../../core/lib.h"

typedef void report_write_fn(void *opaque, const char *s, size_t len);

struct report {
	report_write_fn *write;
	void *opaque;
	unsigned checks;
	unsigned failed;
};

void report_init(struct report *r, report_write_fn *write, void *opaque);

/* "PROBE <kind>": the first line. */
void report_probe(struct report *r, const char *kind);

/* "FIELD <name>=<printf value>". */
void report_field(struct report *r, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "FIELD <name>=<s>" for a string received from the loader: printable ASCII
 * goes out unchanged, anything else as \xHH, so the line stays one line. */
void report_field_str(struct report *r, const char *name, const char *s, size_t len);

/*
 * report_check() - one validation: "CHECK <name> ok" when @ok, else
 * "CHECK <name> FAIL <printf detail>" and the failure is counted.
 * Returns @ok, so callers can skip checks that depend on this one.
 */
bool report_check(struct report *r, const char *name, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "CHECK <name> ok unverifiable": the state exists but cannot be seen. */
void report_unverifiable(struct report *r, const char *name);

/* "RESULT PASS" or "RESULT FAIL <n>"; returns the isa-debug-exit code (0/1). */
int report_result(struct report *r);

/*
 * probe_snprintf() - the report's printf, for building check names such as
 * "module3_crc". Supports %s %c %d %u %x with l/ll/z, a field width and the
 * 0 flag; always NUL-terminates and returns the would-be length.
 */
int probe_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
