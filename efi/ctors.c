/* SPDX-License-Identifier: MIT */
#include "ctors.h"
#include "core/lib.h"

/* Bounds placed by efi/init_array.lds; hidden, so reached PC-relative. */
typedef void (*constructor_fn)(void);
extern const constructor_fn __init_array_start[] __attribute__((visibility("hidden")));
extern const constructor_fn __init_array_end[] __attribute__((visibility("hidden")));

void efi_run_constructors(void)
{
	/* Counted, not compared: the two symbols are distinct objects to C. */
	size_t n = ((uintptr_t)__init_array_end - (uintptr_t)__init_array_start) /
		   sizeof(constructor_fn);
	/* The entries are absolute addresses, fixed up by crt0's _relocate. */
	for (size_t i = 0; i < n; i++)
		__init_array_start[i]();
}
