/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_FS_HOSTFILE_H
#define PVHBOOT_FS_HOSTFILE_H

#include "blockdev.h"

/*
 * hostfile_open() - a read-only block device backed by an image file, for
 * the host CLI and tests: the same partition and filesystem drivers as the
 * loader, on a file. The image is opened O_RDONLY; nothing is ever written.
 */
int hostfile_open(const char *path, uint32_t sector_size, struct blockdev **out);
void hostfile_close(struct blockdev *dev);

#endif
