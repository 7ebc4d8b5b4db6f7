/* SPDX-License-Identifier: MIT */
/*
 * Whether the internal log was left dirty, to warn that the newest changes
 * may be missing: the driver never replays the log (a reader cannot write,
 * and the kernel replays it at the next mount).
 *
 * The log is a ring of 512-byte basic blocks, each stamped with the cycle
 * (pass) number it was written in: in its first word, or in the second when
 * the block starts a record ("FEEDBABE" header). The head is where the cycle
 * number drops; the record just before the head is an unmount record (one
 * operation, flagged XLOG_UNMOUNT_TRANS) exactly when the filesystem was
 * unmounted cleanly (the kernel's xlog_find_head and xlog_check_unmount_rec,
 * simplified: no torn-write search). Anything unexpected only means "cannot
 * tell"; it never fails the mount. Reads are bounded: a binary search, then
 * at most one maximal record backwards.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "xfs_priv.h"

#define XLOG_HEADER_MAGIC 0xfeedbabeu
#define XLOG_BB 512u
#define XLOG_H_VERSION_OFF 8u
#define XLOG_H_NUM_LOGOPS_OFF 40u
#define XLOG_H_SIZE_OFF 320u
#define XLOG_VERSION_2 2u
#define XLOG_HEADER_CYCLE_SIZE 32768u /* one header block covers this much */
#define XLOG_OH_FLAGS_OFF 9u          /* in the operation header */
#define XLOG_UNMOUNT_TRANS 0x20u
#define XLOG_MAX_RECORD_BBS (2 * (256u << 10) / XLOG_BB) /* data + headers, with room */

struct logscan {
	struct xfs_fs *x;
	uint64_t start;         /* byte offset of the log */
	uint64_t nbb;           /* basic blocks in the log */
	uint8_t bb[XLOG_BB];
};

static int read_bb(struct logscan *l, uint64_t i)
{
	return xfs_dev_read(l->x, l->start + i * XLOG_BB, l->bb, XLOG_BB, "the log", 0);
}

static int cycle_of(struct logscan *l, uint64_t i, uint32_t *cycle)
{
	int rc = read_bb(l, i);
	if (rc)
		return rc;
	uint32_t w = get_be32(l->bb);
	*cycle = w == XLOG_HEADER_MAGIC ? get_be32(l->bb + 4) : w;
	return 0;
}

/* Returns 1 for a clean log, 0 for a dirty one, < 0 when it cannot tell. */
static int log_clean(struct logscan *l)
{
	uint32_t first, last, c;
	int rc = cycle_of(l, 0, &first);
	if (!rc)
		rc = cycle_of(l, l->nbb - 1, &last);
	if (rc || first == 0)
		return -EINVAL;
	uint64_t head = 0;
	if (first != last) {
		uint64_t lo = 0, hi = l->nbb - 1; /* cycle(lo) == first != cycle(hi) */
		while (hi - lo > 1) {
			uint64_t mid = lo + (hi - lo) / 2;
			if ((rc = cycle_of(l, mid, &c)) != 0)
				return rc;
			if (c == first)
				lo = mid;
			else
				hi = mid;
		}
		head = hi;
	}
	/* The last record header before the head. */
	for (uint64_t back = 1; back <= MIN(l->nbb, (uint64_t)XLOG_MAX_RECORD_BBS); back++) {
		uint64_t i = (head + l->nbb - back) % l->nbb;
		if ((rc = read_bb(l, i)) != 0)
			return rc;
		if (get_be32(l->bb) != XLOG_HEADER_MAGIC)
			continue;
		if (get_be32(l->bb + XLOG_H_NUM_LOGOPS_OFF) != 1)
			return 0;
		uint32_t size = get_be32(l->bb + XLOG_H_SIZE_OFF);
		uint64_t hblks = 1;
		if ((get_be32(l->bb + XLOG_H_VERSION_OFF) & XLOG_VERSION_2) &&
		    size > XLOG_HEADER_CYCLE_SIZE)
			hblks = (size + XLOG_HEADER_CYCLE_SIZE - 1) / XLOG_HEADER_CYCLE_SIZE;
		if (hblks > 8 || (rc = read_bb(l, (i + hblks) % l->nbb)) != 0)
			return rc ? rc : -EINVAL;
		return (l->bb[XLOG_OH_FLAGS_OFF] & XLOG_UNMOUNT_TRANS) ? 1 : 0;
	}
	return -EINVAL;
}

void xfs_log_check(struct xfs_fs *x, uint64_t logstart, uint32_t logblocks,
		   uint32_t log_incompat)
{
	/* Set only while the log holds items of that kind (cleared at a
	 * clean unmount): dirty whatever the records say. */
	int clean = log_incompat ? 0 : -EINVAL;
	uint64_t agno = logstart >> x->agblklog;
	uint64_t agbno = logstart & ((1ull << x->agblklog) - 1);
	/* logstart 0: an external log, not on this volume. A log that does
	 * not fit its AG is not worth a message here: nothing reads it. */
	if (clean && logstart && logblocks && agno < x->agcount &&
	    range_ok(agbno, logblocks, x->agblocks)) {
		struct logscan *l = malloc(sizeof(*l));
		if (!l)
			return;
		l->x = x;
		l->start = (agno * x->agblocks + agbno) << x->block_log;
		l->nbb = (uint64_t)logblocks << (x->block_log - 9);
		clean = log_clean(l);
		free(l);
	}
	x->log_dirty = clean == 0;
	if (x->log_dirty)
		log_warn("%s: xfs log is dirty (not unmounted cleanly); reading without replaying "
			 "it, so the newest changes may be missing",
			 x->vol->name);
}
