/* SPDX-License-Identifier: MIT */
#include "../core/console.h"
#include "../core/log.h"
#include "../core/time.h"
#include "progress.h"

#define BAR_WIDTH 30

static void draw(struct progress *p, uint64_t done, bool final)
{
	uint64_t now = time_ns();
	uint64_t elapsed = now - p->start_ns;
	unsigned filled = (unsigned)(p->total ? done * BAR_WIDTH / p->total : BAR_WIDTH);
	char bar[BAR_WIDTH + 1];
	for (unsigned i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[BAR_WIDTH] = 0;
	/* MB/s with one decimal, from bytes and nanoseconds. */
	uint64_t rate10 = elapsed ? done * 10000ull / elapsed : 0;
	printk("\r%s [%s] %lu/%lu MiB %lu.%lu MB/s%s", p->name, bar, (unsigned long)(done >> 20),
	       (unsigned long)(p->total >> 20), (unsigned long)(rate10 / 10),
	       (unsigned long)(rate10 % 10), final ? "\n" : "");
	p->last_ns = now;
}

void progress_start(struct progress *p, const char *name, uint64_t total)
{
	p->name = name;
	p->total = total;
	/* Quiet: no bar, and no PIT calibration for a rate nobody sees. */
	p->active = total >= PROGRESS_MIN_BYTES && !log_quiet;
	if (p->active)
		time_calibrate(); /* before the first stamp: the rate is reported */
	p->start_ns = p->last_ns = p->active ? time_ns() : 0;
}

void progress_update(struct progress *p, uint64_t done)
{
	if (p->active && time_ns() - p->last_ns >= 100000000ull)
		draw(p, done, false);
}

/*
 * After the final bar, one line for scripts (tests/bench/run.sh): the exact
 * byte count and the nanoseconds from progress_start() to the last byte,
 * the same instant the bar's rate used (draw() stamps it in last_ns before
 * printing, so console output is not counted), without the bar's rounding.
 * The TSC rate the nanoseconds were derived from comes last: one 10 ms PIT
 * calibration (core/time.c) can be far off on a loaded host, and a script
 * that knows the true rate can then recover the exact tick count.
 */
static void report(const struct progress *p)
{
	printk("load: %s %lu bytes %lu ns tsc %lu kHz\n", p->name, (unsigned long)p->total,
	       (unsigned long)(p->last_ns - p->start_ns), (unsigned long)time_tsc_khz());
}

void progress_end(struct progress *p, bool ok)
{
	if (p->active && ok) {
		draw(p, p->total, true);
		report(p);
	} else if (p->active) {
		printk("\n");
	}
}
