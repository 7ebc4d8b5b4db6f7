/* SPDX-License-Identifier: MIT */
/*
 * A minimal table-friendly unit test harness. Each test binary prints one
 * line per case, "ok NAME" or "not ok NAME: file:line: what failed", and
 * tests/run.sh counts them. A case stops at its first failed check.
 *
 *   TEST(memmap_sorts) { ...; CHECK(x == 1); CHECK_EQ_U64(a, b); }
 *   int main(void) { RUN(memmap_sorts); return test_summary(); }
 */
#ifndef PVHBOOT_TESTS_UNIT_TEST_H
#define PVHBOOT_TESTS_UNIT_TEST_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>

static int test_failures, test_count;
static jmp_buf test_jmp;
static char test_msg[512];

#define TEST(name) static void test_##name(void)

#define RUN(name) test_run(#name, test_##name)

static inline void test_run(const char *name, void (*fn)(void))
{
	test_count++;
	test_msg[0] = 0;
	if (setjmp(test_jmp) == 0) {
		fn();
		printf("ok %s\n", name);
	} else {
		test_failures++;
		printf("not ok %s: %s\n", name, test_msg);
	}
	fflush(stdout);
}

#define FAIL(...)                                                                  \
	do {                                                                       \
		int n_ = snprintf(test_msg, sizeof(test_msg), "%s:%d: ", __FILE__, __LINE__); \
		snprintf(test_msg + n_, sizeof(test_msg) - (size_t)n_, __VA_ARGS__);       \
		longjmp(test_jmp, 1);                                              \
	} while (0)

#define CHECK(expr)                                  \
	do {                                         \
		if (!(expr))                         \
			FAIL("check failed: %s", #expr); \
	} while (0)

#define CHECK_EQ_U64(a, b)                                                        \
	do {                                                                      \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                  \
		if (a_ != b_)                                                     \
			FAIL("%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, #a, #b, a_, b_); \
	} while (0)

#define CHECK_EQ_INT(a, b)                                              \
	do {                                                            \
		long long a_ = (long long)(a), b_ = (long long)(b);     \
		if (a_ != b_)                                           \
			FAIL("%s == %s: %lld != %lld", #a, #b, a_, b_); \
	} while (0)

static inline int test_summary(void)
{
	return test_failures ? 1 : 0;
}

#endif
