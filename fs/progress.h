/* SPDX-License-Identifier: MIT */
/*
 * A progress bar with MB/s for files over 8 MiB, redrawn in place on the
 * console at most every 100 ms. Silent on the host and for small files.
 */
#ifndef PVHBOOT_FS_PROGRESS_H
#define PVHBOOT_FS_PROGRESS_H

#include "../core/lib.h"

#define PROGRESS_MIN_BYTES (8u << 20)

struct progress {
	const char *name;
	uint64_t total;
	uint64_t start_ns, last_ns;
	bool active;
};

void progress_start(struct progress *p, const char *name, uint64_t total);
void progress_update(struct progress *p, uint64_t done);
void progress_end(struct progress *p, bool ok);

#endif
