/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by every ABI header: packed structs and offset checks.
 *
 * Every structure that crosses a boot or device ABI is declared once under
 * include/abi/, and every field the code reads is pinned to its documented
 * offset with ABI_OFFSET(), so a typo in a declaration fails the build rather
 * than a boot.
 */
#ifndef PVHBOOT_ABI_ABI_H
#define PVHBOOT_ABI_ABI_H

#include <stddef.h>
#include <stdint.h>

#define ABI_PACKED __attribute__((packed))

#define ABI_OFFSET(type, field, off) \
	_Static_assert(offsetof(type, field) == (off), #type "." #field " offset")
#define ABI_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), "sizeof " #type)

#endif
