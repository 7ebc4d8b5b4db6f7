/* SPDX-License-Identifier: MIT */
/*
 * newc cpio: a 110-byte ASCII header ("070701" or "070702" with CRC), the
 * NUL-terminated name padded so that header + name is a multiple of 4, then
 * the data padded to 4.
 */
#include "cpio.h"
#include "errno.h"

#define CPIO_HDR 110

static bool hex8(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

bool cpio_is_archive(const void *buf, size_t len)
{
	return len >= CPIO_HDR && (!memcmp(buf, "070701", 6) || !memcmp(buf, "070702", 6));
}

int cpio_next(const void *buf, size_t len, size_t *pos, struct cpio_entry *e)
{
	const char *b = buf;
	size_t p = *pos;
	uint32_t mode, filesize, namesize;

	if (p >= len)
		return 0;
	if (!range_ok(p, CPIO_HDR, len) || !cpio_is_archive(b + p, len - p))
		return -EINVAL;
	/* Fields: magic(6) ino mode uid gid nlink mtime filesize ... namesize check */
	if (!hex8(b + p + 14, &mode) || !hex8(b + p + 54, &filesize) ||
	    !hex8(b + p + 94, &namesize) || namesize == 0)
		return -EINVAL;
	size_t name_off = p + CPIO_HDR;
	if (!range_ok(name_off, namesize, len) || b[name_off + namesize - 1] != 0)
		return -EINVAL;
	size_t data_off = ALIGN_UP(name_off + namesize, 4);
	if (!range_ok(data_off, filesize, len))
		return -EINVAL;

	e->name = b + name_off;
	e->name_len = namesize - 1;
	e->data = b + data_off;
	e->size = filesize;
	e->mode = mode;
	*pos = ALIGN_UP(data_off + filesize, 4);
	if (e->name_len == 10 && !memcmp(e->name, "TRAILER!!!", 10))
		return 0;
	return 1;
}
