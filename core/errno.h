/* SPDX-License-Identifier: MIT */
/*
 * Error codes: every fallible function returns 0 or a negative E* value.
 * The numbers are Linux's, so the host build can use the C library's.
 */
#ifndef PVHBOOT_CORE_ERRNO_H
#define PVHBOOT_CORE_ERRNO_H

#ifdef PVHBOOT_HOSTED
#include <errno.h>
#else
#define EPERM 1
#define ENOENT 2
#define EIO 5
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define EFBIG 27
#define ENOSPC 28
#define EROFS 30
#define EMLINK 31
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ELOOP 40
#define ENODATA 61
#define ETIME 62
#define EOVERFLOW 75
#define EILSEQ 84
#define EOPNOTSUPP 95
#define ETIMEDOUT 110
#define EUCLEAN 117
#define EDQUOT 122 /* a work budget is spent (config file reads) */
#define EMEDIUMTYPE 124
#endif

/* A short name for an error code ("ENOEXEC"), or "E?" for unknown ones. */
const char *strerror_name(int err);

#endif
