/* SPDX-License-Identifier: MIT */
/* GRUB environment blocks: read and edited in memory (config/grubenv.h). */
#include "../core/errno.h"
#include "grubenv.h"

#define HEADER_LEN (sizeof(GRUBENV_HEADER) - 1)

bool grubenv_valid(const char *block, size_t len)
{
	return len == GRUBENV_SIZE && !memcmp(block, GRUBENV_HEADER, HEADER_LEN);
}

/* The end of the "key=value" lines: the first '#' run that pads the block, or its end. */
static size_t body_end(const char *block)
{
	size_t pos = HEADER_LEN;
	while (pos < GRUBENV_SIZE && block[pos] != '#') {
		const char *nl = memchr(block + pos, '\n', GRUBENV_SIZE - pos);
		if (!nl)
			return GRUBENV_SIZE;
		pos = (size_t)(nl - block) + 1;
	}
	return pos;
}

/* Does the line at @line (ending at '\n') set @key? */
static bool line_is(const char *line, size_t len, const char *key)
{
	size_t k = strlen(key);
	return len > k && !memcmp(line, key, k) && line[k] == '=';
}

static bool has_any(const char *s, const char *set)
{
	for (; *s; s++)
		if (strchr(set, *s))
			return true;
	return false;
}

int grubenv_each(const char *block,
		 int (*fn)(void *ctx, const char *key, size_t klen, const char *val, size_t vlen),
		 void *ctx)
{
	if (memcmp(block, GRUBENV_HEADER, HEADER_LEN))
		return -EINVAL;
	size_t end = body_end(block), pos = HEADER_LEN;
	while (pos < end) {
		const char *line = block + pos;
		const char *nl = memchr(line, '\n', end - pos);
		size_t len = nl ? (size_t)(nl - line) : end - pos;
		const char *eq = memchr(line, '=', len);
		if (eq && eq > line && fn(ctx, line, (size_t)(eq - line), eq + 1,
					  len - (size_t)(eq - line) - 1))
			break;
		pos += len + 1;
	}
	return 0;
}

int grubenv_get(const char *block, const char *key, char *out, size_t cap)
{
	if (memcmp(block, GRUBENV_HEADER, HEADER_LEN))
		return -EINVAL;
	size_t end = body_end(block), pos = HEADER_LEN;
	while (pos < end) {
		const char *nl = memchr(block + pos, '\n', end - pos);
		size_t len = nl ? (size_t)(nl - block) - pos : end - pos;
		if (line_is(block + pos, len, key)) {
			size_t k = strlen(key) + 1;
			if (len - k >= cap)
				return -E2BIG;
			memcpy(out, block + pos + k, len - k);
			out[len - k] = 0;
			return 0;
		}
		pos += len + 1;
	}
	return -ENOENT;
}

int grubenv_edit(char *block, const char *key, const char *value)
{
	char out[GRUBENV_SIZE];
	size_t n = HEADER_LEN;

	if (memcmp(block, GRUBENV_HEADER, HEADER_LEN))
		return -EINVAL;
	/* GRUB escapes these; pvhboot writes ids and counters and never needs to. */
	if (!*key || has_any(key, "=\n\\#") || (value && has_any(value, "\n\\")))
		return -EINVAL;
	memcpy(out, GRUBENV_HEADER, n);
	size_t end = body_end(block), pos = n;
	while (pos < end) {
		const char *nl = memchr(block + pos, '\n', end - pos);
		size_t len = nl ? (size_t)(nl - block) - pos : end - pos;
		if (!line_is(block + pos, len, key)) {
			if (len + 1 > GRUBENV_SIZE - n)
				return -ENOSPC;
			memcpy(out + n, block + pos, len);
			out[n + len] = '\n';
			n += len + 1;
		}
		pos += len + 1;
	}
	if (value) {
		size_t k = strlen(key), v = strlen(value);
		if (k + 1 + v + 1 > GRUBENV_SIZE - n)
			return -ENOSPC;
		memcpy(out + n, key, k);
		out[n + k] = '=';
		memcpy(out + n + k + 1, value, v);
		n += k + 1 + v;
		out[n++] = '\n';
	}
	memset(out + n, '#', GRUBENV_SIZE - n);
	memcpy(block, out, GRUBENV_SIZE);
	return 0;
}
