/* SPDX-License-Identifier: MIT */
/*
 * Option text. LoadOptions is "a pointer to the image's binary load
 * options" (UEFI 2.10 §9.1 EFI_LOADED_IMAGE_PROTOCOL): the firmware promises
 * nothing about its contents, so anything but plain ASCII is refused.
 * The UEFI Shell passes the whole command line, image name included; that
 * is harmless here because options are looked up word by word.
 */
#include "options.h"
#include "core/errno.h"
#include "core/words.h"

/* Appends text units to @out, folding whitespace; the trim is at the end. */
struct opt_writer {
	char *out;
	size_t size, len;
};

static int put_unit(struct opt_writer *w, uint32_t ch)
{
	if (ch == '\t' || ch == '\r' || ch == '\n')
		ch = ' ';
	if (ch < 0x20 || ch > 0x7e)
		return -EILSEQ;
	if (ch == ' ' && (w->len == 0 || w->out[w->len - 1] == ' '))
		return 0; /* leading or repeated space */
	if (w->len + 1 >= w->size)
		return -E2BIG;
	w->out[w->len++] = (char)ch;
	return 0;
}

static int finish(struct opt_writer *w, int rc)
{
	if (rc) {
		w->len = 0;
	} else {
		while (w->len && w->out[w->len - 1] == ' ')
			w->len--;
	}
	if (w->size)
		w->out[w->len] = 0;
	return rc;
}

int efi_options_from_ucs2(const void *data, uint64_t size, char *out, size_t out_size)
{
	struct opt_writer w = { .out = out, .size = out_size };
	const uint8_t *p = data;
	int rc = 0;

	if (!out_size)
		return -E2BIG;
	if (size && !data)
		return finish(&w, -EINVAL);
	if (size % 2)
		return finish(&w, -EILSEQ);
	for (uint64_t off = 0; rc == 0 && range_ok(off, 2, size); off += 2) {
		uint16_t ch = get_le16(p + off);
		if (!ch)
			break;
		rc = put_unit(&w, ch);
	}
	return finish(&w, rc);
}

int efi_options_from_text(const void *data, uint64_t len, char *out, size_t out_size)
{
	struct opt_writer w = { .out = out, .size = out_size };
	const uint8_t *p = data;
	int rc = 0;

	if (!out_size)
		return -E2BIG;
	if (len && !data)
		return finish(&w, -EINVAL);
	/* Editors on other systems may start a text file with a UTF-8 BOM. */
	uint64_t i = len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf ? 3 : 0;
	for (; rc == 0 && i < len && p[i]; i++)
		rc = put_unit(&w, p[i]);
	return finish(&w, rc);
}

/*
 * The next word at or after *pos (core/words.h); false at the end or at
 * " -- ", after which the words are the kernel's (boot/options.h).
 */
static bool next_word(const char *opts, size_t *pos, const char **word, size_t *len)
{
	return words_next(opts, pos, word, len) && !(*len == 2 && !memcmp(*word, "--", 2));
}

bool options_has_word(const char *opts, const char *word)
{
	size_t wlen = strlen(word), pos = 0, len;
	const char *w;

	while (wlen && next_word(opts, &pos, &w, &len))
		if (len == wlen && !memcmp(w, word, wlen))
			return true;
	return false;
}

int options_value(const char *opts, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key), pos = 0, len;
	const char *w;

	if (size)
		out[0] = 0;
	while (klen && next_word(opts, &pos, &w, &len)) {
		if (len <= klen || memcmp(w, key, klen) || w[klen] != '=')
			continue;
		const char *v = w + klen + 1;
		size_t vlen = len - klen - 1;
		/* One pair of quotes around the whole value is not part of it. */
		if (vlen >= 2 && (v[0] == '"' || v[0] == '\'') && v[vlen - 1] == v[0]) {
			v++;
			vlen -= 2;
		}
		if (vlen >= size)
			return -E2BIG;
		memcpy(out, v, vlen);
		out[vlen] = 0;
		return 0;
	}
	return -ENOENT;
}
