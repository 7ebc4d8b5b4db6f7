/* SPDX-License-Identifier: MIT */
/*
 * Allocation that a fuzzer can take back. A driver keeps what it allocates
 * for the loader's lifetime, so a fuzzer that attaches a device for every
 * input would grow by a ring and its bounce pages each time (2 GiB within
 * seconds); it builds the driver with malloc, calloc and free renamed to
 * these, and calls double_free_all() after each input.
 */
#include <stdlib.h>

#include "doubles.h"

static void **taken;
static size_t nr_taken, cap_taken;

static void *remember(void *p)
{
	if (!p)
		return NULL;
	if (nr_taken == cap_taken) {
		size_t cap = cap_taken ? 2 * cap_taken : 64;
		void **grown = realloc(taken, cap * sizeof(*taken));
		if (!grown) {
			free(p);
			return NULL;
		}
		taken = grown;
		cap_taken = cap;
	}
	taken[nr_taken++] = p;
	return p;
}

void *double_malloc(size_t n)
{
	return remember(malloc(n));
}

void *double_calloc(size_t n, size_t size)
{
	return remember(calloc(n, size));
}

void double_free(void *p)
{
	for (size_t i = nr_taken; i-- > 0;) {
		if (taken[i] == p) {
			taken[i] = taken[--nr_taken];
			break;
		}
	}
	free(p);
}

void double_free_all(void)
{
	while (nr_taken)
		free(taken[--nr_taken]);
}
