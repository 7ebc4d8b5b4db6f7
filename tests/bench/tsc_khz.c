/* SPDX-License-Identifier: MIT */
/*
 * tsc_khz: the host's TSC rate in kHz, measured against CLOCK_MONOTONIC_RAW.
 *
 * Guests under QEMU (TCG, and KVM without TSC scaling) read the host's TSC
 * unscaled, so this is the rate pvhboot's timestamps really tick at. The
 * loader calibrates once over 10 ms of PIT time (core/time.c), which a
 * loaded host can skew by tens of percent; tests/bench/load.sh undoes that
 * skew with this figure.
 *
 * Each sample brackets the TSC between two clock reads and keeps the
 * tightest bracket at both ends of a 50 ms interval, so a preemption
 * between the reads cannot enter the result; the median of five samples
 * is printed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <x86intrin.h>

#define SAMPLES 5
#define TRIES 50

static int64_t clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* One (clock, TSC) pair whose clock bracket was the narrowest of TRIES. */
static void pair(int64_t *ns, uint64_t *tsc)
{
	int64_t best = INT64_MAX;
	for (int i = 0; i < TRIES; i++) {
		int64_t a = clock_ns();
		uint64_t t = __rdtsc();
		int64_t b = clock_ns();
		if (b - a < best) {
			best = b - a;
			*ns = a + (b - a) / 2;
			*tsc = t;
		}
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int main(void)
{
	uint64_t khz[SAMPLES];
	for (int s = 0; s < SAMPLES; s++) {
		int64_t n0, n1;
		uint64_t t0, t1;
		pair(&n0, &t0);
		struct timespec nap = { 0, 50 * 1000 * 1000 };
		nanosleep(&nap, NULL);
		pair(&n1, &t1);
		if (n1 <= n0 || t1 <= t0) {
			fprintf(stderr, "tsc_khz: clock or TSC went backwards\n");
			return 1;
		}
		khz[s] = (uint64_t)((double)(t1 - t0) * 1e6 / (double)(n1 - n0));
	}
	qsort(khz, SAMPLES, sizeof(khz[0]), cmp_u64);
	printf("%llu\n", (unsigned long long)khz[SAMPLES / 2]);
	return 0;
}
