/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_FS_PARTITION_H
#define PVHBOOT_FS_PARTITION_H

#include "blockdev.h"

/* Documented limits. */
#define PART_MAX 128          /* partitions per disk that are listed */
#define MBR_MAX_LOGICAL 64    /* extended boot records followed */

/*
 * partitions_scan() - the partitions of @disk: GPT (primary header, or the
 * backup when the primary's CRCs fail), else MBR with logical partitions.
 * Fills out[] (at most @cap) and *count; 0 partitions is not an error.
 * Returns 0, or a device error. Corrupt tables give warnings and whatever
 * could be trusted.
 */
int partitions_scan(struct volume *disk, struct volume *out, unsigned cap, unsigned *count);

/* Format a GUID as lower-case text "xxxxxxxx-xxxx-..." (37 bytes with NUL). */
void guid_to_text(const uint8_t guid[16], char *out);

#endif
