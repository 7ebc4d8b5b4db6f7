/* SPDX-License-Identifier: MIT */
/*
 * MBR and GPT parsing on images made by sfdisk (tests/images/partitions.sh),
 * and on copies with damaged headers and entry arrays.
 */
#include <stdlib.h>

#include "../../core/errno.h"
#include "../../fs/hostfile.h"
#include "../../fs/partition.h"
#include "test.h"

static struct volume parts[PART_MAX];
static unsigned nparts;

static void scan(const char *name)
{
	char path[512];
	const char *dir = getenv("PVHBOOT_TEST_IMAGES");
	struct blockdev *dev;
	struct volume disk;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "build/testimages", name);
	int rc = hostfile_open(path, 512, &dev);
	if (rc)
		FAIL("cannot open %.200s (%d); run tests/images/partitions.sh", path, rc);
	volume_of_disk(dev, &disk);
	rc = partitions_scan(&disk, parts, PART_MAX, &nparts);
	hostfile_close(dev);
	CHECK_EQ_INT(rc, 0);
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

int main(void)
{
	RUN(gpt);
	RUN(gpt_backup_header_when_primary_is_damaged);
	RUN(gpt_backup_when_primary_entries_are_damaged);
	RUN(gpt_both_damaged_gives_nothing);
	RUN(mbr_with_logical_partitions);
	return test_summary();
}
