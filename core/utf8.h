/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_CORE_UTF8_H
#define PVHBOOT_CORE_UTF8_H

#include "lib.h"

/* Encode code point @c (at most U+10FFFF) at @out; returns 1 to 4 bytes written. */
size_t utf8_put(char *out, uint32_t c);

#endif
