/* SPDX-License-Identifier: MIT */
/*
 * Memory ordering for rings shared with a device or a backend domain.
 *
 * x86 is TSO (Intel SDM vol. 3 §9.2.2): stores are not reordered with
 * other stores, loads not with other loads, and a store may only be
 * passed by a later load. So two of the three orderings a ring needs
 * cost nothing but a compiler barrier; only "my store before my later
 * load" needs MFENCE. Drivers wrap these in helpers named for the step
 * of their protocol (virtq_publish(), ring_before_recheck(), ...) so that
 * each call site says why it is there.
 */
#ifndef PVHBOOT_CORE_BARRIER_H
#define PVHBOOT_CORE_BARRIER_H

/* Keep the compiler from moving memory accesses across this point. */
static inline void compiler_barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

/* Earlier stores become visible before later stores (free on x86). */
static inline void wmb_ordered(void)
{
	compiler_barrier();
}

/* Earlier loads complete before later loads (free on x86). */
static inline void rmb_ordered(void)
{
	compiler_barrier();
}

/* Earlier stores are globally visible before later loads: the one
 * reordering x86 does, so this is a real fence. */
static inline void mb_store_load(void)
{
	__asm__ volatile("mfence" ::: "memory");
}

#endif
