/* SPDX-License-Identifier: MIT */
/*
 * Segment checks. The hidden part of a segment register cannot be read,
 * but the selector can, and the entry code copied the GDT entry it selects:
 * that descriptor is what the loader loaded (Intel SDM 3A §3.4.5 "Segment
 * Descriptors", §8.2.2 "TSS Descriptor"). All three protocols want flat
 * segments: base 0, 4 GiB limit (G=1, limit 0xFFFFF), 32-bit (D/B=1).
 */
#include "probe.h"

struct seg_desc {
	uint32_t base, limit; /* limit as stored: 20 bits, in pages when g */
	uint8_t type, dpl;
	bool s, p, l, db, g;
};

static struct seg_desc seg_decode(uint64_t raw)
{
	return (struct seg_desc){
		.limit = (uint32_t)((raw & 0xffff) | ((raw >> 32) & 0xf0000)),
		.base = (uint32_t)(((raw >> 16) & 0xffffff) | ((raw >> 32) & 0xff000000)),
		.type = (uint8_t)((raw >> 40) & 0xf),
		.s = (raw >> 44) & 1,
		.dpl = (uint8_t)((raw >> 45) & 3),
		.p = (raw >> 47) & 1,
		.l = (raw >> 53) & 1,
		.db = (raw >> 54) & 1,
		.g = (raw >> 55) & 1,
	};
}

#define TYPE_CODE 0x8       /* S=1: code (else data) */
#define TYPE_READ_WRITE 0x2 /* code: readable; data: writable */
#define TYPE_EXPAND_DOWN 0x4
#define TYPE_TSS32_AVAIL 0x9
#define TYPE_TSS32_BUSY 0xb

/* The first way @d falls short of @want, or NULL. */
static const char *seg_problem(const struct seg_desc *d, enum seg_want want, bool is_ss)
{
	bool flat = d->base == 0 && d->limit == 0xfffff && d->g;

	if (!d->p)
		return "not present";
	switch (want) {
	case SEG_WANT_FLAT32_CODE:
		if (!d->s || !(d->type & TYPE_CODE) || !(d->type & TYPE_READ_WRITE))
			return "not an execute/read code segment";
		if (!flat)
			return "not flat (base 0, limit 0xfffff, G=1)";
		if (!d->db || d->l)
			return "not 32-bit (D=1, L=0)";
		if (d->dpl != 0)
			return "DPL is not 0";
		return NULL;
	case SEG_WANT_FLAT32_DATA:
		if (!d->s || (d->type & TYPE_CODE) || !(d->type & TYPE_READ_WRITE))
			return "not a read/write data segment";
		if (d->type & TYPE_EXPAND_DOWN)
			return "expand-down";
		if (!flat)
			return "not flat (base 0, limit 0xfffff, G=1)";
		if (!d->db)
			return "not 32-bit (B=1)";
		if (is_ss && d->dpl != 0)
			return "stack DPL is not 0";
		return NULL;
	case SEG_WANT_CODE64:
		if (!d->s || !(d->type & TYPE_CODE))
			return "not a code segment";
		if (!d->l || d->db)
			return "not 64-bit (L=1, D=0)";
		if (d->dpl != 0)
			return "DPL is not 0";
		return NULL;
	case SEG_WANT_DATA64:
		if (!d->s || (d->type & TYPE_CODE) || !(d->type & TYPE_READ_WRITE))
			return "not a read/write data segment";
		if (is_ss && d->dpl != 0)
			return "stack DPL is not 0";
		return NULL;
	case SEG_WANT_TSS32:
		if (d->s || (d->type != TYPE_TSS32_AVAIL && d->type != TYPE_TSS32_BUSY))
			return "not a 32-bit TSS (type 9 or 0xb)";
		if (d->base != 0 || d->limit != 0x67 || d->g)
			return "not base 0, limit 0x67";
		return NULL;
	}
	return "unknown expectation";
}

void check_segment(const struct probe_env *e, const char *name, enum cpu_seg seg,
		   enum seg_want want, int want_sel)
{
	const struct cpu_state *c = e->cpu;
	uint16_t sel = c->sel[seg];
	uint64_t raw = c->desc[seg][0];

	if (want_sel >= 0 && sel != want_sel) {
		report_check(e->r, name, false, "selector 0x%x, want 0x%x", sel, want_sel);
		return;
	}
	if (sel & 4) {
		report_check(e->r, name, false, "selector 0x%x points into the LDT", sel);
		return;
	}
	/* Xen's toolstack loads the hidden state directly, with null
	 * selectors and an empty GDT: there is nothing to look up. */
	if ((uint32_t)(sel | 7) > c->gdt_limit) {
		report_unverifiable(e->r, name);
		return;
	}
	struct seg_desc d = seg_decode(raw);
	const char *why = seg_problem(&d, want, seg == SEG_SS);
	report_check(e->r, name, why == NULL, "selector 0x%x descriptor 0x%016llx: %s", sel,
		     (unsigned long long)raw, why ? why : "");
}
