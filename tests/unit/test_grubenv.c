/* SPDX-License-Identifier: MIT */
/*
 * grubenv edited in place (tools/grubenv.c): the block grub-editenv makes,
 * set/replace/remove keeping the other lines, the 1024-byte limit, refusals
 * of what is not a block; and the file and disk-image rewrites keeping the
 * size, the inode and the blocks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../tools/grubenv.h"
#include "test.h"

/* What `grub-editenv FILE create` writes. */
static void fresh(char *b)
{
	memset(b, '#', GRUBENV_SIZE);
	memcpy(b, GRUBENV_HEADER, strlen(GRUBENV_HEADER));
}

TEST(set_replace_remove)
{
	char b[GRUBENV_SIZE], v[64];
	fresh(b);
	CHECK(grubenv_get(b, "next_entry", v, sizeof(v)) == -ENOENT);
	CHECK(grubenv_edit(b, "saved_entry", "alpha") == 0);
	CHECK(grubenv_edit(b, "next_entry", "beta") == 0);
	CHECK(!memcmp(b, GRUBENV_HEADER "saved_entry=alpha\nnext_entry=beta\n#", 60));
	CHECK(b[GRUBENV_SIZE - 1] == '#');
	CHECK(grubenv_get(b, "next_entry", v, sizeof(v)) == 0 && !strcmp(v, "beta"));
	/* Replacing keeps the other line first. */
	CHECK(grubenv_edit(b, "saved_entry", "gamma") == 0);
	CHECK(!memcmp(b, GRUBENV_HEADER "next_entry=beta\nsaved_entry=gamma\n#", 60));
	CHECK(grubenv_edit(b, "next_entry", NULL) == 0);
	CHECK(!memcmp(b, GRUBENV_HEADER "saved_entry=gamma\n#", 44));
	/* A key that is a prefix of another is not that other. */
	CHECK(grubenv_edit(b, "saved", "x") == 0);
	CHECK(grubenv_get(b, "saved_entry", v, sizeof(v)) == 0 && !strcmp(v, "gamma"));
	CHECK(grubenv_get(b, "saved", v, 2) == 0 && !strcmp(v, "x"));
	CHECK(grubenv_get(b, "saved_entry", v, 3) == -E2BIG);
}

TEST(refusals)
{
	char b[GRUBENV_SIZE], keep[GRUBENV_SIZE];
	fresh(b);
	memcpy(keep, b, sizeof(b));
	CHECK(grubenv_edit(b, "k", "a\nb") == -EINVAL);
	CHECK(grubenv_edit(b, "k", "a\\b") == -EINVAL);
	CHECK(grubenv_edit(b, "k=x", "a") == -EINVAL);
	CHECK(grubenv_edit(b, "", "a") == -EINVAL);
	char big[1100];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	CHECK(grubenv_edit(b, "k", big) == -ENOSPC);
	/* Exactly full fits: header 25 + "k=" + value + '\n' = 1024. */
	big[1024 - 25 - 3] = 0;
	CHECK(grubenv_edit(b, "k", big) == 0);
	CHECK(b[GRUBENV_SIZE - 1] == '\n');
	CHECK(grubenv_edit(b, "j", "1") == -ENOSPC);
	memcpy(b, keep, sizeof(b));
	CHECK(!memcmp(b, keep, sizeof(b)));
	b[2] = 'g';
	CHECK(grubenv_edit(b, "k", "a") == -EINVAL);
	CHECK(!memcmp(b + 3, keep + 3, sizeof(b) - 3));
}

static char *tmpfile_with(const void *data, size_t len)
{
	static char path[64];
	strcpy(path, "/tmp/pvhboot-grubenv.XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		return NULL;
	fsync(fd);
	close(fd);
	return path;
}

TEST(file_in_place)
{
	char b[GRUBENV_SIZE], got[GRUBENV_SIZE + 1], v[32];
	struct stat before, after;
	fresh(b);
	char *path = tmpfile_with(b, sizeof(b));
	CHECK(path);
	CHECK(stat(path, &before) == 0);
	CHECK(grubenv_rewrite_file(path, "next_entry", "rescue") == 0);
	CHECK(stat(path, &after) == 0);
	CHECK(after.st_ino == before.st_ino && after.st_size == GRUBENV_SIZE);
	CHECK(after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
	      after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
	int fd = open(path, O_RDONLY);
	CHECK(read(fd, got, sizeof(got)) == GRUBENV_SIZE);
	close(fd);
	CHECK(grubenv_get(got, "next_entry", v, sizeof(v)) == 0 && !strcmp(v, "rescue"));
	unlink(path);
	/* Another size, or no header: refused, untouched. */
	path = tmpfile_with(b, 1000);
	CHECK(grubenv_rewrite_file(path, "k", "v") == -EINVAL);
	CHECK(stat(path, &after) == 0 && after.st_size == 1000);
	unlink(path);
	memcpy(got, b, sizeof(b));
	got[0] = 'X';
	path = tmpfile_with(got, GRUBENV_SIZE);
	CHECK(grubenv_rewrite_file(path, "k", "v") == -EINVAL);
	unlink(path);
	CHECK(grubenv_rewrite_file("/nonexistent/grubenv", "k", "v") == -ENOENT);
}

TEST(image_unique_block)
{
	enum { SIZE = 3 << 20 };
	char *img = malloc(SIZE), b[GRUBENV_SIZE], v[32];
	fresh(b);
	/* Noise, and the block at a 512-byte (not 1 KiB) boundary across a 1 MiB chunk border. */
	for (size_t i = 0; i < SIZE; i++)
		img[i] = (char)(i * 7 + i / 4093);
	size_t at = (1 << 20) - 512;
	memcpy(img + at, b, sizeof(b));
	char *path = tmpfile_with(img, SIZE);
	CHECK(path);
	CHECK(grubenv_rewrite_image(path, 0, SIZE, b, "next_entry", "two") == 0);
	int fd = open(path, O_RDONLY);
	CHECK(pread(fd, img, SIZE, 0) == SIZE);
	close(fd);
	CHECK(grubenv_get(img + at, "next_entry", v, sizeof(v)) == 0 && !strcmp(v, "two"));
	/* The old content is gone now: not found. Two copies: refused. */
	CHECK(grubenv_rewrite_image(path, 0, SIZE, b, "next_entry", "x") == -ENOENT);
	memcpy(img + 4096, img + at, GRUBENV_SIZE);
	unlink(path);
	path = tmpfile_with(img, SIZE);
	CHECK(grubenv_rewrite_image(path, 0, SIZE, img + at, "next_entry", "x") == -EEXIST);
	/* Within a partition only: the copy at 4096 is outside [1 MiB - 1 KiB, end). */
	CHECK(grubenv_rewrite_image(path, (1 << 20) - 1024, SIZE - (1 << 20) + 1024, img + at,
				    "next_entry", "three") == 0);
	unlink(path);
	free(img);
}

/*
 * grub-editenv since 2.06 writes a comment line after the header; it is
 * kept, and the lines after it are still the variables (the first version
 * of this parser took the comment's '#' for the padding and dropped them).
 */
TEST(comment_line_kept)
{
	char b[GRUBENV_SIZE], v[64];
	static const char text[] = GRUBENV_HEADER
		"# WARNING: Do not edit this file by tools other than grub-editenv!!!\n"
		"saved_entry=alpha\nnext_entry=beta\n";
	memset(b, '#', sizeof(b));
	memcpy(b, text, strlen(text));
	CHECK(grubenv_get(b, "saved_entry", v, sizeof(v)) == 0 && !strcmp(v, "alpha"));
	CHECK(grubenv_edit(b, "next_entry", "") == 0);
	CHECK(grubenv_get(b, "saved_entry", v, sizeof(v)) == 0 && !strcmp(v, "alpha"));
	CHECK(grubenv_get(b, "next_entry", v, sizeof(v)) == 0 && !strcmp(v, ""));
	CHECK(strstr(b, "# WARNING: Do not edit") == b + strlen(GRUBENV_HEADER));
	CHECK(b[GRUBENV_SIZE - 1] == '#');
	/* A line the padding cuts short is padding. */
	fresh(b);
	memcpy(b + strlen(GRUBENV_HEADER), "k=v\nhalf", 9);
	CHECK(grubenv_get(b, "k", v, sizeof(v)) == 0 && !strcmp(v, "v"));
	CHECK(grubenv_get(b, "half", v, sizeof(v)) == -ENOENT);
}

int main(void)
{
	RUN(set_replace_remove);
	RUN(comment_line_kept);
	RUN(refusals);
	RUN(file_in_place);
	RUN(image_unique_block);
	return test_summary();
}
