/* SPDX-License-Identifier: MIT */
/*
 * Shared by the fuzz_config_*.c targets: the input is one or more files
 * separated by a line "%%"; the first is the config, the others are what
 * includes, load_env, blscfg and file tests read (chosen by a hash of the
 * path, so that cycles and nesting happen), and the directory listing
 * names them. After the parse, the menu must keep the model's promises.
 */
#ifndef PVHBOOT_TESTS_FUZZ_CONFIG_H
#define PVHBOOT_TESTS_FUZZ_CONFIG_H

#include <stdlib.h>
#include <string.h>

#include "../../config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_FILES 8

struct fuzz_files {
	const char *text[FUZZ_MAX_FILES];
	size_t len[FUZZ_MAX_FILES];
	unsigned count;
};

static void fuzz_split(struct fuzz_files *f, const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	f->count = 0;
	while (f->count < FUZZ_MAX_FILES) {
		const char *sep = NULL;
		for (const char *q = p; q + 4 <= end; q++)
			if (!memcmp(q, "\n%%\n", 4)) {
				sep = q;
				break;
			}
		f->text[f->count] = p;
		f->len[f->count++] = (size_t)((sep ? sep : end) - p);
		if (!sep)
			break;
		p = sep + 4;
	}
}

static int fuzz_read(void *ctx, const char *path, char **text, size_t *len)
{
	struct fuzz_files *f = ctx;
	unsigned h = 0;
	for (const char *s = path; *s; s++)
		h = h * 31 + (unsigned char)*s;
	if (f->count < 2 || h % 5 == 0)
		return -2; /* ENOENT */
	unsigned i = 1 + h % (f->count - 1);
	*text = malloc(f->len[i] + 1);
	if (!*text)
		return -12;
	memcpy(*text, f->text[i], f->len[i]);
	(*text)[f->len[i]] = 0;
	*len = f->len[i];
	return 0;
}

static int fuzz_list(void *ctx, const char *dir, char ***names, unsigned *count)
{
	struct fuzz_files *f = ctx;
	*count = f->count > 1 ? f->count - 1 : 0;
	*names = malloc((*count + 1) * sizeof(**names));
	for (unsigned i = 0; i < *count; i++) {
		(*names)[i] = malloc(16);
		memcpy((*names)[i], i % 2 ? "b+0-1.conf" : "a-1.2.conf", 11);
		(*names)[i][0] = (char)('a' + i);
	}
	return 0;
}

/* The promises of config.h every parser keeps, whatever the input. */
static void fuzz_check_menu(struct menu *m)
{
	if (m->count > MENU_MAX_ENTRIES || m->nr_warnings > CONFIG_MAX_WARNINGS)
		__builtin_trap();
	for (unsigned i = 0; i < m->count; i++) {
		const struct menu_entry *e = &m->entries[i];
		if (!e->id || !e->title || !e->kernel || !*e->kernel || !e->cmdline || !e->source || !e->sort_key ||
		    !e->version || !e->machine_id || e->nr_initrds > ENTRY_MAX_INITRDS ||
		    e->nr_modules > ENTRY_MAX_MODULES || e->nr_pins > ENTRY_MAX_PINS)
			__builtin_trap();
		for (unsigned j = 0; j < e->nr_modules; j++)
			if (!e->modules[j].path || !e->modules[j].cmdline)
				__builtin_trap();
		/* Every entry can be found again by its id (an empty id by nothing). */
		int k = menu_find(m, e->id);
		if (*e->id && (k < 0 || strcmp(m->entries[k].id, e->id)))
			__builtin_trap();
	}
	for (unsigned i = 0; i < m->nr_warnings; i++)
		if (!m->warnings[i])
			__builtin_trap();
	int d = menu_find(m, m->default_id);
	if (d >= (int)m->count)
		__builtin_trap();
	menu_free(m);
	if (m->count || m->nr_warnings || m->default_id)
		__builtin_trap();
}

/*
 * One whole-file parser on the input's first file, includes served from
 * the rest: the native, grub.cfg and extlinux targets.
 */
typedef int fuzz_parse_fn(struct menu *m, const struct config_source *src, const char *text,
			  size_t len);

static inline int fuzz_whole_file(fuzz_parse_fn *parse, const uint8_t *data, size_t size)
{
	static struct menu m;
	struct fuzz_files f;
	fuzz_split(&f, data, size);
	struct config_source src = { "fz:/boot/x/config", fuzz_read, fuzz_list, &f };
	menu_init(&m);
	if (parse(&m, &src, f.text[0], f.len[0]) != 0)
		__builtin_trap(); /* only -ENOMEM may fail, and malloc does not here */
	fuzz_check_menu(&m);
	return 0;
}

#endif
