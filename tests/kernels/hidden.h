/* SPDX-License-Identifier: MIT */
/*
 * Forced into every freestanding probe object (-include): with all symbols
 * hidden, the compiler reaches them RIP-relative rather than through a GOT,
 * so the Linux probe stays position independent.
 */
#pragma GCC visibility push(hidden)
