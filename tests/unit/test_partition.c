/* SPDX-License-Identifier: MIT */
/*
 * MBR and GPT parsing on images made by sfdisk (tests/images/partitions.sh),
 * and on copies with damaged headers and entry arrays.
 */
#include <stdlib.h>

#include "../../core/crc32.h"
#include "../../core/errno.h"
#include "../../include/abi/partition.h"
#include "../../fs/hostfile.h"
#include "../../fs/partition.h"
#include "test.h"

static struct volume parts[PART_MAX];
static unsigned nparts;

static void scan_named(const char *name, const char *disk_name)
{
	char path[512];
	const char *dir = getenv("PVHBOOT_TEST_IMAGES");
	struct blockdev *dev;
	struct volume disk;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "build/testimages", name);
	int rc = hostfile_open(path, 512, &dev);
	if (rc)
		FAIL("cannot open %.200s (%d); run tests/images/partitions.sh", path, rc);
	if (disk_name)
		snprintf(dev->name, sizeof(dev->name), "%s", disk_name);
	volume_of_disk(dev, &disk);
	rc = partitions_scan(&disk, parts, PART_MAX, &nparts);
	hostfile_close(dev);
	CHECK_EQ_INT(rc, 0);
}

static void scan(const char *name)
{
	scan_named(name, NULL);
}

static void check_part(unsigned i, unsigned index, uint64_t start, uint64_t sectors)
{
	CHECK(i < nparts);
	CHECK_EQ_INT(parts[i].index, index);
	CHECK_EQ_U64(parts[i].offset, start * 512);
	CHECK_EQ_U64(parts[i].size, sectors * 512);
}

static void check_gpt_layout(void)
{
	char guid[37];
	CHECK_EQ_INT(nparts, 3);
	check_part(0, 1, 2048, 4096);
	check_part(1, 2, 8192, 16384);
	check_part(2, 3, 32768, 8192);
	CHECK_EQ_INT(parts[0].kind, VOLUME_GPT);
	CHECK(!strcmp(parts[0].part_label, "EFI system"));
	CHECK(!strcmp(parts[1].part_label, "boot \xce\xa9\xce\xbc\xce\xad\xce\xb3\xce\xb1"));
	guid_to_text(parts[0].part_guid, guid);
	CHECK(!strcmp(guid, "11111111-2222-3333-4444-555555555555"));
	guid_to_text(parts[0].type_guid, guid);
	CHECK(!strcmp(guid, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"));
}

TEST(gpt)
{
	scan("gpt.img");
	check_gpt_layout();
}

/* Partition names follow Linux's: a "p" after a disk name ending in a digit. */
TEST(partition_names)
{
	scan_named("gpt.img", "vda");
	CHECK(nparts == 3 && !strcmp(parts[0].name, "vda1") && !strcmp(parts[2].name, "vda3"));
	scan_named("gpt.img", "hd0");
	CHECK(nparts == 3 && !strcmp(parts[0].name, "hd0p1"));
	scan_named("mbr.img", "nvme0n1");
	CHECK(nparts == 5 && !strcmp(parts[4].name, "nvme0n1p7"));
}

TEST(gpt_backup_header_when_primary_is_damaged)
{
	scan("gpt-primary-bad.img");
	check_gpt_layout();
}

TEST(gpt_backup_when_primary_entries_are_damaged)
{
	scan("gpt-entries-bad.img");
	check_gpt_layout();
}

TEST(gpt_both_damaged_gives_nothing)
{
	scan("gpt-both-bad.img");
	CHECK_EQ_INT(nparts, 0);
}

TEST(mbr_with_logical_partitions)
{
	scan("mbr.img");
	CHECK_EQ_INT(nparts, 5);
	check_part(0, 1, 2048, 4096);
	CHECK_EQ_INT(parts[0].mbr_type, 0x83);
	check_part(1, 2, 8192, 4096);
	CHECK_EQ_INT(parts[1].mbr_type, 0x0c);
	check_part(2, 5, 18432, 2048);
	check_part(3, 6, 22528, 4096);
	check_part(4, 7, 28672, 8192);
	CHECK_EQ_INT(parts[4].mbr_type, 0x82);
	CHECK(!strcmp(parts[2].name, "file5"));
}

/*
 * A crafted 2 TiB disk held in memory: what is not written reads as zeros,
 * and every byte the parser asks for is counted.
 */
#define FAKE_SECTORS (1ull << 32)
static uint8_t fake_head[64 << 10]; /* LBA 0 .. 127 */
static uint64_t fake_bytes_read;

static int fake_read(struct blockdev *dev, uint64_t lba, uint64_t count, void *buf)
{
	if (lba > FAKE_SECTORS || count > FAKE_SECTORS - lba)
		return -EINVAL;
	fake_bytes_read += count * 512;
	memset(buf, 0, count * 512);
	if (lba < sizeof(fake_head) / 512) {
		uint64_t n = MIN(count, sizeof(fake_head) / 512 - lba);
		memcpy(buf, fake_head + lba * 512, n * 512);
	}
	return 0;
}

/* A protective MBR and a primary GPT header at LBA 1 for entries at LBA 2. */
static struct gpt_header *fake_gpt(uint32_t nr_entries, uint32_t entry_size)
{
	memset(fake_head, 0, sizeof(fake_head));
	struct mbr *mbr = (struct mbr *)fake_head;
	mbr->part[0].type = MBR_TYPE_GPT_PROTECTIVE;
	mbr->part[0].lba_first = 1;
	mbr->part[0].nr_sectors = 0xffffffff;
	mbr->signature = MBR_SIGNATURE;
	struct gpt_header *h = (struct gpt_header *)(fake_head + 512);
	h->signature = GPT_SIGNATURE;
	h->revision = 0x10000;
	h->header_size = sizeof(*h);
	h->my_lba = 1;
	h->alternate_lba = FAKE_SECTORS - 1;
	h->first_usable_lba = 34;
	h->last_usable_lba = FAKE_SECTORS - 34;
	h->entries_lba = 2;
	h->nr_entries = nr_entries;
	h->entry_size = entry_size;
	return h;
}

static void fake_seal(struct gpt_header *h)
{
	uint64_t bytes = (uint64_t)h->nr_entries * h->entry_size;
	h->entries_crc32 = crc32_update(0, fake_head + 1024, (size_t)MIN(bytes, sizeof(fake_head) - 1024));
	h->header_crc32 = 0;
	h->header_crc32 = crc32_update(0, h, sizeof(*h));
}

static int fake_scan(void)
{
	struct blockdev dev = { .name = "fake", .sector_size = 512, .nr_sectors = FAKE_SECTORS,
				.read = fake_read };
	struct volume disk;
	volume_of_disk(&dev, &disk);
	fake_bytes_read = 0;
	int rc = partitions_scan(&disk, parts, PART_MAX, &nparts);
	free(dev.cache);
	return rc;
}

/*
 * 4096 entries of 64 KiB: 256 MiB of "entry array" that fits the disk. The
 * header is refused before anything is allocated or read: at most the
 * MBR, the two headers and the read-ahead around them.
 */
TEST(gpt_huge_entry_array_is_refused_before_reading_it)
{
	fake_seal(fake_gpt(4096, 64 << 10));
	CHECK_EQ_INT(fake_scan(), 0);
	CHECK_EQ_INT(nparts, 0);
	if (fake_bytes_read > (1u << 20))
		FAIL("read %" PRIu64 " bytes of a crafted GPT (budget 1 MiB)", fake_bytes_read);
}

/* One policy for UTF-16 (core/utf8.h): a lone surrogate in a name is U+FFFD. */
TEST(gpt_label_lone_surrogate_becomes_replacement_char)
{
	struct gpt_header *h = fake_gpt(128, 128);
	struct gpt_entry *e = (struct gpt_entry *)(fake_head + 1024);
	e->type_guid[0] = 1;
	e->lba_first = 2048;
	e->lba_last = 4095;
	static const uint16_t name[] = { 'a', 0xd800, 'b', 0xdc00, 0xd83d, 0xde00, 0 };
	memcpy(e->name, name, sizeof(name));
	fake_seal(h);
	CHECK_EQ_INT(fake_scan(), 0);
	CHECK_EQ_INT(nparts, 1);
	if (strcmp(parts[0].part_label, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xf0\x9f\x98\x80"))
		FAIL("label %s", parts[0].part_label);
}

int main(void)
{
	RUN(gpt);
	RUN(partition_names);
	RUN(gpt_backup_header_when_primary_is_damaged);
	RUN(gpt_backup_when_primary_entries_are_damaged);
	RUN(gpt_both_damaged_gives_nothing);
	RUN(mbr_with_logical_partitions);
	RUN(gpt_huge_entry_array_is_refused_before_reading_it);
	RUN(gpt_label_lone_surrogate_becomes_replacement_char);
	return test_summary();
}
