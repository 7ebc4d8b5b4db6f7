/* SPDX-License-Identifier: MIT */
/*
 * EFI variables in an EDK2 variable store file: parse, look up, append,
 * delete, compact (tools/efivars_store.h, include/abi/edk2_varstore.h).
 * Everything read from the file is checked against the store's bounds in
 * 64-bit before use: the file may come from anywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi/edk2_varstore.h"
#include "atomic.h"
#include "cli.h"
#include "efivars_store.h"

/* The two store signatures (EDK2 VariableFormat.h), in on-disk order. */
#define AUTH_STORE_GUID "aaf32c78-947b-439a-a180-2e144ec37792"
#define PLAIN_STORE_GUID "ddcf3616-3275-4164-98b6-fe85707ffe7d"

static uint64_t align_header(uint64_t off)
{
	return (off + VARIABLE_HEADER_ALIGN - 1) & ~(uint64_t)(VARIABLE_HEADER_ALIGN - 1);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int guid_parse(const char *text, uint8_t out[16])
{
	/* Text is big-endian per group; EFI_GUID stores the first three little-endian. */
	static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	uint8_t bytes[16];
	unsigned n = 0;

	if (strlen(text) != 36)
		return -EINVAL;
	for (unsigned i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (text[i] != '-')
				return -EINVAL;
			continue;
		}
		int hi = hexval(text[i]), lo = hexval(text[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		bytes[n++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	for (unsigned i = 0; i < 16; i++)
		out[order[i]] = bytes[i];
	return 0;
}

static size_t header_size(const struct varstore *vs)
{
	return vs->auth ? sizeof(struct auth_variable_header) : sizeof(struct plain_variable_header);
}

/* The fields both layouts share, from the header at @off (already bounds-checked). */
struct var_fields {
	uint16_t start_id;
	uint8_t state;
	uint32_t attrs, name_size, data_size;
	uint8_t guid[16];
};

static void read_fields(const struct varstore *vs, uint64_t off, struct var_fields *f)
{
	if (vs->auth) {
		struct auth_variable_header h;
		memcpy(&h, vs->buf + off, sizeof(h));
		*f = (struct var_fields){ h.start_id, h.state, h.attributes, h.name_size,
					  h.data_size, { 0 } };
		memcpy(f->guid, h.vendor_guid, 16);
	} else {
		struct plain_variable_header h;
		memcpy(&h, vs->buf + off, sizeof(h));
		*f = (struct var_fields){ h.start_id, h.state, h.attributes, h.name_size,
					  h.data_size, { 0 } };
		memcpy(f->guid, h.vendor_guid, 16);
	}
}

/* The state byte sits at offset 2 in both layouts. */
static void set_state(struct varstore *vs, uint64_t off, uint8_t state)
{
	vs->buf[off + 2] = state;
}

/*
 * Bounds of the variable at @off: 0 and *next (its successor's offset) when
 * a whole header, name and data lie inside the store; -ENOENT at the end of
 * the list (erased flash, or no room for a header); -EIO when it runs past.
 */
static int var_span(const struct varstore *vs, uint64_t off, struct var_fields *f, uint64_t *next)
{
	uint64_t hs = header_size(vs);
	if (off > vs->end || hs > vs->end - off)
		return -ENOENT;
	read_fields(vs, off, f);
	if (f->start_id != VARIABLE_START_ID)
		return -ENOENT;
	uint64_t body = (uint64_t)f->name_size + f->data_size;
	if (body > vs->end - off - hs)
		return -EIO;
	*next = align_header(off + hs + body);
	return 0;
}

int varstore_parse(struct varstore *vs, uint8_t *buf, size_t len)
{
	struct fv_header fv;
	struct varstore_header sh;
	uint8_t auth_guid[16], plain_guid[16];

	memset(vs, 0, sizeof(*vs));
	if (len < sizeof(fv))
		return -EINVAL;
	memcpy(&fv, buf, sizeof(fv));
	if (fv.signature != FV_SIGNATURE || fv.header_length < sizeof(fv) ||
	    fv.header_length > len || sizeof(sh) > len - fv.header_length)
		return -EINVAL;
	memcpy(&sh, buf + fv.header_length, sizeof(sh));
	guid_parse(AUTH_STORE_GUID, auth_guid);
	guid_parse(PLAIN_STORE_GUID, plain_guid);
	if (!memcmp(sh.signature, auth_guid, 16))
		vs->auth = true;
	else if (memcmp(sh.signature, plain_guid, 16))
		return -EINVAL;
	if (sh.format != VARSTORE_FORMATTED || sh.state != VARSTORE_HEALTHY ||
	    sh.size < sizeof(sh) || sh.size > len - fv.header_length)
		return -EINVAL;
	vs->buf = buf;
	vs->len = len;
	vs->first = align_header((uint64_t)fv.header_length + sizeof(sh));
	vs->end = (uint64_t)fv.header_length + sh.size;

	/* Each step moves at least one header forward: bounded by the store. */
	uint64_t off = vs->first;
	for (;;) {
		struct var_fields f;
		uint64_t next;
		int rc = var_span(vs, off, &f, &next);
		if (rc == -ENOENT)
			break;
		if (rc)
			return rc;
		off = next;
	}
	vs->free = off;
	return 0;
}

static bool live_state(uint8_t state)
{
	return state == VAR_ADDED || state == (VAR_ADDED & VAR_IN_DELETED_TRANSITION);
}

static int name_of(const struct varstore *vs, uint64_t off, const struct var_fields *f,
		   char *out, size_t cap)
{
	const uint8_t *name = vs->buf + off + header_size(vs);
	size_t n = 0;
	for (uint32_t i = 0; i + 1 < f->name_size && n + 1 < cap; i += 2) {
		uint16_t c = (uint16_t)(name[i] | name[i + 1] << 8);
		if (!c)
			break;
		out[n++] = c < 0x80 ? (char)c : '?';
	}
	out[n] = 0;
	return 0;
}

/* Is the variable at @off superseded by an added copy further on? */
static bool superseded(const struct varstore *vs, uint64_t off, const struct var_fields *f,
		       const char *name)
{
	uint64_t o = off, next;
	struct var_fields g;
	char other[VARSTORE_NAME_MAX];

	if (var_span(vs, o, &g, &next))
		return false;
	for (o = next; var_span(vs, o, &g, &next) == 0; o = next) {
		if (g.state != VAR_ADDED || memcmp(g.guid, f->guid, 16))
			continue;
		name_of(vs, o, &g, other, sizeof(other));
		if (!strcmp(other, name))
			return true;
	}
	return false;
}

int varstore_next(const struct varstore *vs, uint64_t offset, struct varstore_var *v)
{
	uint64_t off = offset ? offset : vs->first, next;
	struct var_fields f;

	if (offset) {
		if (var_span(vs, offset, &f, &next))
			return -ENOENT;
		off = next;
	}
	for (; var_span(vs, off, &f, &next) == 0; off = next) {
		if (!live_state(f.state))
			continue;
		name_of(vs, off, &f, v->name, sizeof(v->name));
		if (f.state != VAR_ADDED && superseded(vs, off, &f, v->name))
			continue;
		memcpy(v->guid, f.guid, 16);
		v->attrs = f.attrs;
		v->data = vs->buf + off + header_size(vs) + f.name_size;
		v->size = f.data_size;
		v->offset = off;
		return 0;
	}
	return -ENOENT;
}

int varstore_get(const struct varstore *vs, const char *name, const uint8_t guid[16],
		 struct varstore_var *v)
{
	for (uint64_t off = 0; varstore_next(vs, off, v) == 0; off = v->offset)
		if (!memcmp(v->guid, guid, 16) && !strcmp(v->name, name))
			return 0;
	return -ENOENT;
}

/* Rewrite the variable region with only the live variables, in order. */
static void compact(struct varstore *vs)
{
	uint64_t region = vs->end - vs->first;
	uint8_t *copy = malloc(region ? region : 1);
	uint64_t out = 0, off = 0;
	struct varstore_var v;

	if (!copy)
		return; /* the caller's space check then fails with -ENOSPC */
	memset(copy, 0xff, region);
	while (varstore_next(vs, off, &v) == 0) {
		struct var_fields f;
		uint64_t next;
		var_span(vs, v.offset, &f, &next);
		uint64_t len = header_size(vs) + (uint64_t)f.name_size + f.data_size;
		memcpy(copy + out, vs->buf + v.offset, len);
		copy[out + 2] = VAR_ADDED;
		out = align_header(out + len);
		off = v.offset;
	}
	memcpy(vs->buf + vs->first, copy, region);
	vs->free = vs->first + out;
	free(copy);
}

static int append(struct varstore *vs, const char *name, const uint8_t guid[16], uint32_t attrs,
		  const void *data, uint32_t size)
{
	size_t chars = strlen(name) + 1;
	uint64_t name_size = 2 * (uint64_t)chars;
	uint64_t need = header_size(vs) + name_size + size;
	uint64_t at = align_header(vs->free);

	if (at > vs->end || need > vs->end - at) {
		compact(vs);
		at = align_header(vs->free);
		if (at > vs->end || need > vs->end - at)
			return -ENOSPC;
	}
	uint8_t *p = vs->buf + at;
	if (vs->auth) {
		struct auth_variable_header h;
		memset(&h, 0, sizeof(h));
		h.start_id = VARIABLE_START_ID;
		h.state = VAR_ADDED;
		h.attributes = attrs;
		h.name_size = (uint32_t)name_size;
		h.data_size = size;
		memcpy(h.vendor_guid, guid, 16);
		memcpy(p, &h, sizeof(h));
	} else {
		struct plain_variable_header h;
		memset(&h, 0, sizeof(h));
		h.start_id = VARIABLE_START_ID;
		h.state = VAR_ADDED;
		h.attributes = attrs;
		h.name_size = (uint32_t)name_size;
		h.data_size = size;
		memcpy(h.vendor_guid, guid, 16);
		memcpy(p, &h, sizeof(h));
	}
	p += header_size(vs);
	for (size_t i = 0; i < chars; i++) {
		p[2 * i] = (uint8_t)name[i];
		p[2 * i + 1] = 0;
	}
	memcpy(p + name_size, data, size);
	vs->free = align_header(at + need);
	return 0;
}

int varstore_set(struct varstore *vs, const char *name, const uint8_t guid[16], uint32_t attrs,
		 const void *data, uint32_t size)
{
	struct varstore_var old;
	bool had;

	if (strlen(name) + 1 >= VARSTORE_NAME_MAX)
		return -EINVAL;
	for (const char *c = name; *c; c++)
		if ((unsigned char)*c >= 0x80)
			return -EINVAL;
	had = varstore_get(vs, name, guid, &old) == 0;
	if (!data) {
		if (had)
			set_state(vs, old.offset, VAR_ADDED & VAR_DELETED);
		return 0;
	}
	/* Compaction inside append() moves the old copy: find it again after. */
	int rc = append(vs, name, guid, attrs, data, size);
	if (rc)
		return rc;
	if (had) {
		uint64_t newest = 0;
		struct varstore_var v;
		/* Every live copy but the one just appended (the last) goes. */
		for (uint64_t off = 0; varstore_next(vs, off, &v) == 0; off = v.offset)
			if (!memcmp(v.guid, guid, 16) && !strcmp(v.name, name))
				newest = v.offset;
		for (uint64_t off = 0; varstore_next(vs, off, &v) == 0; off = v.offset)
			if (!memcmp(v.guid, guid, 16) && !strcmp(v.name, name) &&
			    v.offset != newest)
				set_state(vs, v.offset, VAR_ADDED & VAR_DELETED);
	}
	return 0;
}

int varstore_load(const char *path, struct varstore *vs)
{
	void *data;
	size_t len;
	int rc = read_whole_file(path, &data, &len);
	if (rc)
		return rc;
	rc = varstore_parse(vs, data, len);
	if (rc)
		free(data);
	return rc;
}

int varstore_save(const char *path, const struct varstore *vs)
{
	return write_file_atomic(path, vs->buf, vs->len);
}

void varstore_free(struct varstore *vs)
{
	free(vs->buf);
	vs->buf = NULL;
}
