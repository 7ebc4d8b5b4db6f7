/* SPDX-License-Identifier: MIT */
/*
 * Unified kernel images (UAPI Boot Loader Specification, type #2; the UKI
 * specification): a PE image whose .linux section is the kernel, with
 * .osrel (an os-release file), .uname, .cmdline and .initrd beside it. The
 * menu needs only their names, so only the headers and two small sections
 * are read, through a callback, never the whole image. Pure.
 */
#include "../core/errno.h"
#include "uki.h"

/* Documented limits: larger sections are ignored (the title falls back). */
#define OSREL_MAX 4096u
#define UNAME_MAX 255u
#define HEADERS_READ 4096u

/* Unquote an os-release value into @out (always terminated). */
static void unquote(const char *v, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	char q = 0;
	if (n && (v[0] == '"' || v[0] == '\'')) {
		q = v[0];
		v++;
		n--;
		if (n && v[n - 1] == q)
			n--;
	}
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		/* Shell-style: a backslash in double quotes escapes the next character. */
		if (q != '\'' && v[i] == '\\' && i + 1 < n)
			i++;
		out[o++] = v[i];
	}
	out[o] = 0;
}

int osrel_get(const char *text, size_t len, const char *key, char *out, size_t cap)
{
	size_t klen = strlen(key);
	if (cap)
		out[0] = 0;
	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + 1;
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		if (n > klen && !memcmp(line, key, klen) && line[klen] == '=') {
			if (cap)
				unquote(line + klen + 1, n - klen - 1, out, cap);
			return 0;
		}
	}
	return -ENOENT;
}

/* The section's file bytes as a NUL-terminated string, or "" when absent or too large. */
static int read_section(uki_read_fn read, void *ctx, const struct pe_section *s, size_t max,
			char *out)
{
	out[0] = 0;
	if (!s)
		return 0;
	uint64_t n = pe_section_file_size(s);
	if (n > max)
		return 0;
	int rc = read(ctx, s->raw_offset, out, (size_t)n);
	if (rc)
		return rc;
	out[n] = 0;
	/* A NUL inside ends the text, as a C string. */
	return 0;
}

static void first_of(char *out, size_t cap, const char *text, size_t len,
		     const char *const *keys, unsigned nr)
{
	for (unsigned i = 0; i < nr; i++)
		if (!osrel_get(text, len, keys[i], out, cap) && *out)
			return;
	out[0] = 0;
}

int uki_describe(uki_read_fn read, void *ctx, uint64_t file_size, struct uki_info *out)
{
	static struct pe_image pe;
	static uint8_t head[HEADERS_READ];
	static char osrel[OSREL_MAX + 1], uname[UNAME_MAX + 1];
	size_t n = (size_t)MIN(file_size, (uint64_t)HEADERS_READ);
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = read(ctx, 0, head, n)) != 0)
		return rc;
	if ((rc = pe_parse_headers(head, n, file_size, &pe)) != 0)
		return rc;
	const struct pe_section *linux_sec = pe_find_section(&pe, ".linux");
	if (!linux_sec || !pe_section_file_size(linux_sec))
		return -ENOEXEC;
	out->has_cmdline = pe_find_section(&pe, ".cmdline") != NULL;
	out->has_initrd = pe_find_section(&pe, ".initrd") != NULL;
	if ((rc = read_section(read, ctx, pe_find_section(&pe, ".osrel"), OSREL_MAX, osrel)) ||
	    (rc = read_section(read, ctx, pe_find_section(&pe, ".uname"), UNAME_MAX, uname)))
		return rc;

	static const char *const name_keys[] = { "PRETTY_NAME", "NAME", "ID" };
	static const char *const id_keys[] = { "IMAGE_ID", "ID" };
	static const char *const version_keys[] = { "IMAGE_VERSION", "VERSION_ID", "BUILD_ID" };
	size_t olen = strlen(osrel);
	first_of(out->name, sizeof(out->name), osrel, olen, name_keys, ARRAY_SIZE(name_keys));
	first_of(out->os_id, sizeof(out->os_id), osrel, olen, id_keys, ARRAY_SIZE(id_keys));
	first_of(out->version, sizeof(out->version), osrel, olen, version_keys,
		 ARRAY_SIZE(version_keys));
	/* .uname is one line, the kernel's release; a stray newline is dropped. */
	for (char *c = uname; *c; c++)
		if (*c == '\r' || *c == '\n')
			*c = 0;
	fmt_snprintf(out->uname, sizeof(out->uname), "%s", uname);
	return 0;
}

void uki_title(const struct uki_info *u, const char *file_name, char *out, size_t cap)
{
	const char *name = *u->name ? u->name : file_name;
	const char *detail = *u->uname ? u->uname : u->version;
	if (*detail)
		fmt_snprintf(out, cap, "%s (%s)", name, detail);
	else
		fmt_snprintf(out, cap, "%s", name);
}
