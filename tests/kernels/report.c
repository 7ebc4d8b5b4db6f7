/* SPDX-License-Identifier: MIT */
/*
 * The probe report (see report.h). It has its own tiny printf so that the
 * probes share no code with the loader they are judging, and so the same
 * bytes come out on the host and in a probe.
 */
#include "report.h"

typedef void put_fn(void *ctx, const char *s, size_t len);

static void put_number(put_fn *put, void *ctx, uint64_t v, unsigned base, unsigned width,
		       char pad, bool negative)
{
	char digits[24];
	size_t n = 0;

	if (width > 22)
		width = 22;
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	/* Zero padding goes between the sign and the digits, spaces before both. */
	if (pad == '0')
		while (n + negative < width)
			digits[n++] = '0';
	if (negative)
		digits[n++] = '-';
	while (n < width)
		digits[n++] = ' ';
	while (n--)
		put(ctx, &digits[n], 1);
}

static void vformat(put_fn *put, void *ctx, const char *fmt, va_list ap)
{
	while (*fmt) {
		const char *lit = fmt;
		while (*fmt && *fmt != '%')
			fmt++;
		if (fmt != lit)
			put(ctx, lit, (size_t)(fmt - lit));
		if (!*fmt)
			break;
		fmt++; /* '%' */

		char pad = ' ';
		unsigned width = 0, longs = 0;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned)(*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			longs += *fmt == 'z' ? 2 : 1;
			fmt++;
		}

		uint64_t v;
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t len = 0;
			while (s[len])
				len++;
			put(ctx, s, len);
			break;
		}
		case 'c': {
			char ch = (char)va_arg(ap, int);
			put(ctx, &ch, 1);
			break;
		}
		case 'd': {
			int64_t sv = longs ? va_arg(ap, long long) : va_arg(ap, int);
			v = sv < 0 ? (uint64_t)0 - (uint64_t)sv : (uint64_t)sv;
			put_number(put, ctx, v, 10, width, pad, sv < 0);
			break;
		}
		case 'u':
		case 'x':
			/* long, long long and size_t are all 64 bits on x86_64. */
			v = longs ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			put_number(put, ctx, v, *fmt == 'u' ? 10 : 16, width, pad, false);
			break;
		case '%':
			put(ctx, "%", 1);
			break;
		default:
			/* Unknown conversions are a probe bug: make them visible. */
			put(ctx, "<?>", 3);
			if (!*fmt)
				return;
			break;
		}
		fmt++;
	}
}

static void put_report(void *ctx, const char *s, size_t len)
{
	struct report *r = ctx;
	r->write(r->opaque, s, len);
}

static void report_printf(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void report_printf(struct report *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vformat(put_report, r, fmt, ap);
	va_end(ap);
}

void report_init(struct report *r, report_write_fn *write, void *opaque)
{
	r->write = write;
	r->opaque = opaque;
	r->checks = 0;
	r->failed = 0;
}

void report_probe(struct report *r, const char *kind)
{
	report_printf(r, "PROBE %s\n", kind);
}

void report_field(struct report *r, const char *name, const char *fmt, ...)
{
	va_list ap;
	report_printf(r, "FIELD %s=", name);
	va_start(ap, fmt);
	vformat(put_report, r, fmt, ap);
	va_end(ap);
	r->write(r->opaque, "\n", 1);
}

void report_field_str(struct report *r, const char *name, const char *s, size_t len)
{
	report_printf(r, "FIELD %s=", name);
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)s[i];
		if (c >= 0x20 && c < 0x7f)
			r->write(r->opaque, &s[i], 1);
		else
			report_printf(r, "\\x%02x", c);
	}
	r->write(r->opaque, "\n", 1);
}

bool report_check(struct report *r, const char *name, bool ok, const char *fmt, ...)
{
	va_list ap;

	r->checks++;
	if (ok) {
		report_printf(r, "CHECK %s ok\n", name);
		return true;
	}
	r->failed++;
	report_printf(r, "CHECK %s FAIL ", name);
	va_start(ap, fmt);
	vformat(put_report, r, fmt, ap);
	va_end(ap);
	r->write(r->opaque, "\n", 1);
	return false;
}

void report_unverifiable(struct report *r, const char *name)
{
	r->checks++;
	report_printf(r, "CHECK %s ok unverifiable\n", name);
}

int report_result(struct report *r)
{
	/* A probe that checked nothing has proved nothing. */
	if (r->checks == 0)
		report_check(r, "any", false, "no checks ran");
	if (r->failed) {
		report_printf(r, "RESULT FAIL %u\n", r->failed);
		return 1;
	}
	report_printf(r, "RESULT PASS\n");
	return 0;
}

struct sbuf {
	char *buf;
	size_t size, len;
};

static void put_sbuf(void *ctx, const char *s, size_t len)
{
	struct sbuf *b = ctx;
	for (size_t i = 0; i < len; i++, b->len++)
		if (b->len + 1 < b->size)
			b->buf[b->len] = s[i];
}

int probe_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	struct sbuf b = { buf, size, 0 };
	va_list ap;

	va_start(ap, fmt);
	vformat(put_sbuf, &b, fmt, ap);
	va_end(ap);
	if (size)
		buf[b.len < size ? b.len : size - 1] = 0;
	return (int)b.len;
}
