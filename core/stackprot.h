/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_CORE_STACKPROT_H
#define PVHBOOT_CORE_STACKPROT_H

/*
 * Debian's static zlib, zstd and xz are built with -fstack-protector-strong:
 * their code reads the canary at %fs:0x28. Point the FS base at a block of
 * our own holding a canary before calling any of them.
 */
void stackprot_init(void);

#endif
