/* SPDX-License-Identifier: MIT */
#include "io.h"
#include "log.h"
#include "profile.h"
#include "time.h"

static const char *const phase_names[PHASE_COUNT] = {
	"platform", "disks", "discovery", "menu", "read", "plan", "handoff",
};

static uint64_t start_tsc;
static uint64_t spent[PHASE_COUNT];
static enum boot_phase current = PHASE_PLATFORM;
static uint64_t current_since;

void profile_start(void)
{
	start_tsc = current_since = rdtsc();
}

void profile_phase(enum boot_phase phase)
{
	uint64_t now = rdtsc();
	spent[current] += now - current_since;
	current = phase;
	current_since = now;
}

/* TSC ticks as microseconds at the calibrated rate. */
static uint64_t ticks_us(uint64_t t)
{
	uint64_t khz = time_tsc_khz();
	return t / khz * 1000 + t % khz * 1000 / khz;
}

void profile_report(void)
{
	char line[256];
	size_t n = 0;
	if (!log_debug_enabled)
		return;
	profile_phase(current); /* close the running phase */
	uint64_t end = rdtsc();
	time_calibrate();       /* ticks are converted at the exact rate */
	for (unsigned i = 0; i < PHASE_COUNT; i++) {
		if (!spent[i])
			continue;
		uint64_t us = ticks_us(spent[i]);
		n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, "%s%s %lu.%lu ms",
					  n ? ", " : "", phase_names[i], (unsigned long)(us / 1000),
					  (unsigned long)(us % 1000 / 100));
		if (n >= sizeof(line))
			break;
	}
	uint64_t total = ticks_us(end - start_tsc);
	log_debug("profile: %s; %lu.%lu ms since entry", line, (unsigned long)(total / 1000),
		  (unsigned long)(total % 1000 / 100));
}
