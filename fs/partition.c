/* SPDX-License-Identifier: MIT */
/*
 * MBR and GPT partition tables. A GPT is trusted only when its header CRC,
 * its entry-array CRC and its self-references check out; the backup header
 * at the last LBA is used when the primary fails (UEFI 2.10 §5.3.2).
 */
#include "../core/crc32.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/utf8.h"
#include "../include/abi/partition.h"
#include "partition.h"

void guid_to_text(const uint8_t g[16], char *out)
{
	/* The first three fields are little-endian, the rest bytes in order. */
	fmt_snprintf(out, 37,
		     "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", g[3],
		     g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12],
		     g[13], g[14], g[15]);
}

static bool guid_is_zero(const uint8_t g[16])
{
	for (int i = 0; i < 16; i++)
		if (g[i])
			return false;
	return true;
}

/*
 * What a GPT entry array may be before it is read. UEFI 2.10 §5.3.2 has
 * entries of 128 * 2^n bytes and reserves 16 KiB for the array; every
 * partitioning tool writes 128 entries of 128 bytes. 4096 entries and 1 KiB
 * entries, 1 MiB together, leave room for any real table, while a header
 * claiming 4096 entries of 64 KiB (256 MiB, all read before the CRC could
 * say no) is refused at once.
 */
#define GPT_MAX_ENTRIES 4096u
#define GPT_MAX_ENTRY_SIZE 1024u
#define GPT_MAX_ARRAY_BYTES (1u << 20)

struct scan {
	struct volume *disk;
	struct volume *out;
	unsigned cap, count;
	uint32_t ss;
	uint64_t sectors;
};

static void add(struct scan *s, uint64_t lba, uint64_t n, enum volume_kind kind, unsigned index,
		struct volume **vout)
{
	*vout = NULL;
	if (s->count >= s->cap || !n || lba >= s->sectors || n > s->sectors - lba)
		return;
	struct volume *v = &s->out[s->count++];
	memset(v, 0, sizeof(*v));
	v->dev = s->disk->dev;
	v->offset = s->disk->offset + lba * s->ss;
	v->size = n * s->ss;
	v->kind = kind;
	v->index = index;
	/* Linux's rule: after a disk name ending in a digit comes a "p", so
	 * nvme0n1's first partition is nvme0n1p1 and never "nvme0n11". */
	size_t len = strlen(s->disk->name);
	bool digit = len && s->disk->name[len - 1] >= '0' && s->disk->name[len - 1] <= '9';
	fmt_snprintf(v->name, sizeof(v->name), "%s%s%u", s->disk->name, digit ? "p" : "", index);
	*vout = v;
}

/* Read and check one GPT header and its entries; returns 0 when trustworthy. */
static int gpt_read(struct scan *s, uint64_t lba, struct gpt_header *h, uint8_t **entries)
{
	uint8_t *sector = malloc(s->ss);
	if (!sector)
		return -ENOMEM;
	int rc = volume_read(s->disk, lba * s->ss, sector, s->ss);
	if (rc)
		goto out;
	memcpy(h, sector, sizeof(*h));
	rc = -EINVAL;
	if (h->signature != GPT_SIGNATURE || h->header_size < sizeof(*h) || h->header_size > s->ss)
		goto out;
	uint32_t crc = h->header_crc32;
	memset(sector + 16, 0, 4);
	if (crc32_update(0, sector, h->header_size) != crc) {
		log_warn("%s: GPT header at LBA %lu: bad CRC", s->disk->name, (unsigned long)lba);
		goto out;
	}
	if (h->my_lba != lba || h->entry_size < 128 || h->entry_size % 8 ||
	    h->entries_lba >= s->sectors)
		goto out;
	uint64_t bytes = (uint64_t)h->nr_entries * h->entry_size;
	if (h->nr_entries > GPT_MAX_ENTRIES || h->entry_size > GPT_MAX_ENTRY_SIZE ||
	    bytes > GPT_MAX_ARRAY_BYTES) {
		log_warn("%s: GPT header at LBA %lu: %u entries of %u bytes, more than %u KiB",
			 s->disk->name, (unsigned long)lba, h->nr_entries, h->entry_size,
			 GPT_MAX_ARRAY_BYTES >> 10);
		goto out;
	}
	if (bytes > (s->sectors - h->entries_lba) * s->ss)
		goto out;
	*entries = malloc(bytes ? bytes : 1);
	if (!*entries) {
		rc = -ENOMEM;
		goto out;
	}
	rc = volume_read(s->disk, h->entries_lba * s->ss, *entries, bytes);
	if (!rc && crc32_update(0, *entries, bytes) != h->entries_crc32) {
		log_warn("%s: GPT entries at LBA %lu: bad CRC", s->disk->name,
			 (unsigned long)h->entries_lba);
		rc = -EINVAL;
	}
	if (rc) {
		free(*entries);
		*entries = NULL;
	}
out:
	free(sector);
	return rc;
}

static int scan_gpt(struct scan *s)
{
	struct gpt_header h;
	uint8_t *entries = NULL;
	int rc = gpt_read(s, 1, &h, &entries);
	if (rc == -EINVAL) {
		rc = gpt_read(s, s->sectors - 1, &h, &entries);
		if (!rc)
			log_warn("%s: primary GPT is damaged, using the backup", s->disk->name);
	}
	if (rc)
		return rc;
	for (uint32_t i = 0; i < h.nr_entries; i++) {
		const struct gpt_entry *e = (const void *)(entries + (size_t)i * h.entry_size);
		struct volume *v;
		if (guid_is_zero(e->type_guid))
			continue;
		if (e->lba_last < e->lba_first) {
			log_warn("%s: GPT entry %u ends before it starts", s->disk->name, i + 1);
			continue;
		}
		add(s, e->lba_first, e->lba_last - e->lba_first + 1, VOLUME_GPT, i + 1, &v);
		if (!v)
			continue;
		memcpy(v->part_guid, e->part_guid, 16);
		memcpy(v->type_guid, e->type_guid, 16);
		/* A name that does not fit is cut at a character: it is only shown. */
		(void)utf16_to_utf8((const uint8_t *)e + offsetof(struct gpt_entry, name), 36,
				    UTF16_LE, v->part_label, sizeof(v->part_label));
	}
	free(entries);
	return 0;
}

static bool is_extended(uint8_t type)
{
	return type == MBR_TYPE_EXTENDED_CHS || type == MBR_TYPE_EXTENDED_LBA ||
	       type == MBR_TYPE_EXTENDED_LINUX;
}

/* Logical partitions: a chain of EBRs, each relative to the extended start. */
static int scan_logical(struct scan *s, uint64_t ext_start, uint64_t ext_size)
{
	struct mbr ebr;
	uint64_t next = 0;
	unsigned index = 5;

	for (unsigned hop = 0; hop < MBR_MAX_LOGICAL; hop++) {
		if (next >= ext_size)
			return 0;
		int rc = volume_read(s->disk, (ext_start + next) * s->ss, &ebr, sizeof(ebr));
		if (rc)
			return rc;
		if (ebr.signature != MBR_SIGNATURE)
			return 0;
		const struct mbr_entry *l = &ebr.part[0], *link = &ebr.part[1];
		struct volume *v;
		if (l->type != MBR_TYPE_EMPTY && l->nr_sectors) {
			add(s, ext_start + next + l->lba_first, l->nr_sectors, VOLUME_MBR, index++, &v);
			if (v)
				v->mbr_type = l->type;
		}
		if (!is_extended(link->type) || !link->lba_first)
			return 0;
		/* A link must move forward; a cycle would otherwise spin. */
		if (link->lba_first <= next) {
			log_warn("%s: extended partition chain loops back", s->disk->name);
			return 0;
		}
		next = link->lba_first;
	}
	log_warn("%s: more than %u logical partitions", s->disk->name, MBR_MAX_LOGICAL);
	return 0;
}

int partitions_scan(struct volume *disk, struct volume *out, unsigned cap, unsigned *count)
{
	struct scan s = { disk, out, cap, 0, disk->dev->sector_size, disk->size / disk->dev->sector_size };
	struct mbr mbr;
	int rc;

	*count = 0;
	if (s.sectors < 2)
		return 0;
	rc = volume_read(disk, 0, &mbr, sizeof(mbr));
	if (rc)
		return rc;
	if (mbr.signature != MBR_SIGNATURE)
		return 0;
	/* A filesystem written over the whole disk (FAT "superfloppy") also ends
	 * its first sector in 0xAA55; its boot code makes status bytes other
	 * than 0x00/0x80, which no partition table has. */
	for (int i = 0; i < 4; i++)
		if (mbr.part[i].status & 0x7f)
			return 0;

	bool protective = false;
	for (int i = 0; i < 4; i++)
		protective |= mbr.part[i].type == MBR_TYPE_GPT_PROTECTIVE;
	if (protective) {
		rc = scan_gpt(&s);
		*count = s.count;
		if (rc == -EINVAL)
			log_warn("%s: protective MBR but no valid GPT", disk->name);
		return rc == -EINVAL ? 0 : rc;
	}

	for (int i = 0; i < 4; i++) {
		const struct mbr_entry *e = &mbr.part[i];
		struct volume *v;
		if (e->type == MBR_TYPE_EMPTY || !e->nr_sectors)
			continue;
		if (is_extended(e->type)) {
			rc = scan_logical(&s, e->lba_first, e->nr_sectors);
			if (rc)
				break;
			continue;
		}
		add(&s, e->lba_first, e->nr_sectors, VOLUME_MBR, (unsigned)i + 1, &v);
		if (v)
			v->mbr_type = e->type;
	}
	*count = s.count;
	return rc;
}
