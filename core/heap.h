/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_CORE_HEAP_H
#define PVHBOOT_CORE_HEAP_H

#include "lib.h"

/*
 * Where malloc gets its pages: the page allocator by default (PVH); the EFI
 * platform substitutes AllocatePages/FreePages while boot services run.
 */
void heap_set_page_source(void *(*alloc)(uint64_t size), void (*release)(void *p, uint64_t size));

#endif
