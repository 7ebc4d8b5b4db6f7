/* SPDX-License-Identifier: MIT */
/*
 * Shared by the test_config_*.c tests: a config_source that serves files
 * from a directory of tests/config-corpus/ (or from a table of in-memory
 * files), and a table-driven check of a whole parsed menu.
 */
#ifndef PVHBOOT_TESTS_CONFIG_CORPUS_H
#define PVHBOOT_TESTS_CONFIG_CORPUS_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "test.h"

/* The expectation tables leave trailing fields out on purpose: they are zero. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ---- files ---- */

struct mem_file {
	const char *path, *text;
};

struct corpus {
	char dir[512];                 /* a directory of the corpus, or "" */
	const struct mem_file *files;  /* in-memory files, NULL-terminated, or NULL */
	const char *device;            /* "UUID=..." accepted as "(UUID=...)/path" */
	unsigned reads, lists;         /* how often the parser asked */
	char last_read[256];
};

/* tests/config-corpus/NAME, found next to this file whatever the cwd. */
static inline void corpus_open(struct corpus *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	const char *here = __FILE__; /* .../tests/unit/config_corpus.h */
	const char *cut = strstr(here, "unit/config_corpus.h");
	snprintf(c->dir, sizeof(c->dir), "%.*sconfig-corpus/%s", (int)(cut - here), here, name);
}

/* Strip "(DEVICE)" when it is the corpus's own device; other devices do not exist. */
static inline const char *corpus_path(struct corpus *c, const char *path)
{
	if (path[0] != '(')
		return path;
	const char *close = strchr(path, ')');
	if (!close || !c->device || strncmp(path + 1, c->device, strlen(c->device)) ||
	    close != path + 1 + strlen(c->device))
		return NULL;
	return close + 1;
}

static inline int corpus_read(void *ctx, const char *path, char **text, size_t *len)
{
	struct corpus *c = ctx;
	c->reads++;
	snprintf(c->last_read, sizeof(c->last_read), "%s", path);
	const char *p = corpus_path(c, path);
	if (!p)
		return -ENODEV;
	for (const struct mem_file *f = c->files; f && f->path; f++) {
		if (strcmp(f->path, p))
			continue;
		*len = strlen(f->text);
		*text = malloc(*len + 1);
		memcpy(*text, f->text, *len + 1);
		return 0;
	}
	if (!*c->dir)
		return -ENOENT;
	char full[1024];
	snprintf(full, sizeof(full), "%s%s", c->dir, p);
	FILE *fp = fopen(full, "rb");
	if (!fp)
		return -ENOENT;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
		}
		size_t got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
		if (!got)
			break;
	}
	fclose(fp);
	buf[n] = 0;
	*text = buf;
	*len = n;
	return 0;
}

static inline int corpus_list(void *ctx, const char *dir, char ***names, unsigned *count)
{
	struct corpus *c = ctx;
	c->lists++;
	const char *p = corpus_path(c, dir);
	if (!p || !*c->dir)
		return -ENOENT;
	char full[1024];
	snprintf(full, sizeof(full), "%s%s", c->dir, p);
	DIR *d = opendir(full);
	if (!d)
		return -ENOENT;
	char **v = NULL;
	unsigned n = 0;
	for (struct dirent *de; (de = readdir(d));) {
		if (de->d_name[0] == '.')
			continue;
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = strdup(de->d_name);
	}
	closedir(d);
	*names = v;
	*count = n;
	return 0;
}

static inline struct config_source corpus_source(struct corpus *c, const char *name)
{
	return (struct config_source){ name, corpus_read, corpus_list, c };
}

/* Read a corpus file for the top-level parse (the caller frees it). */
static inline char *corpus_text(struct corpus *c, const char *path, size_t *len)
{
	char *text;
	if (corpus_read(c, path, &text, len))
		FAIL("corpus file %.300s%.100s missing", c->dir, path);
	c->reads = 0;
	return text;
}

/* ---- expectations ---- */

struct want_entry {
	const char *id, *title, *kernel, *cmdline;
	const char *initrds[6];            /* NULL-terminated */
	const char *modules[6][2];         /* path, args; NULL path ends */
	enum kernel_format protocol;
	enum rsdp_low_policy rsdp_low;
};

struct want_menu {
	const char *default_id;            /* NULL: none */
	int timeout;
	unsigned count;
	const struct want_entry *entries;
	const char *warnings[12];          /* exact, NULL-terminated */
};

#define STR_OR_NULL(s) ((s) ? (s) : "(null)")

#define CHECK_STR(what, got, want)                                                        \
	do {                                                                              \
		const char *g_ = (got), *w_ = (want);                                     \
		if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_)))               \
			FAIL("%s: got \"%s\", want \"%s\"", what, STR_OR_NULL(g_),        \
			     STR_OR_NULL(w_));                                            \
	} while (0)

static inline void print_menu(const struct menu *m)
{
	printf("# menu: %u entries, timeout %d, default %s\n", m->count, m->timeout,
	       STR_OR_NULL(m->default_id));
	for (unsigned i = 0; i < m->count; i++) {
		const struct menu_entry *e = &m->entries[i];
		printf("#  [%u] id=%s title=%s kernel=%s cmdline=%s proto=%d\n", i, e->id, e->title,
		       STR_OR_NULL(e->kernel), STR_OR_NULL(e->cmdline), e->protocol);
		for (unsigned j = 0; j < e->nr_initrds; j++)
			printf("#      initrd %s\n", e->initrds[j]);
		for (unsigned j = 0; j < e->nr_modules; j++)
			printf("#      module %s [%s]\n", e->modules[j].path, e->modules[j].cmdline);
	}
	for (unsigned i = 0; i < m->nr_warnings; i++)
		printf("#  warning: %s\n", m->warnings[i]);
}

/* Every field of every entry, the default, the timeout and every warning. */
static inline void check_menu(const struct menu *m, const struct want_menu *w)
{
	char what[96];
	if (getenv("CONFIG_TEST_VERBOSE"))
		print_menu(m);
	unsigned nw = 0;
	while (w->warnings[nw])
		nw++;
	for (unsigned i = 0; i < nw || i < m->nr_warnings; i++) {
		snprintf(what, sizeof(what), "warning %u", i);
		CHECK_STR(what, i < m->nr_warnings ? m->warnings[i] : NULL,
			  i < nw ? w->warnings[i] : NULL);
	}
	CHECK_EQ_INT(m->count, w->count);
	CHECK_STR("default", m->default_id, w->default_id);
	CHECK_EQ_INT(m->timeout, w->timeout);
	for (unsigned i = 0; i < w->count; i++) {
		const struct menu_entry *e = &m->entries[i];
		const struct want_entry *x = &w->entries[i];
		snprintf(what, sizeof(what), "entry %u id", i);
		CHECK_STR(what, e->id, x->id);
		snprintf(what, sizeof(what), "entry %u title", i);
		CHECK_STR(what, e->title, x->title);
		snprintf(what, sizeof(what), "entry %u kernel", i);
		CHECK_STR(what, e->kernel, x->kernel);
		snprintf(what, sizeof(what), "entry %u cmdline", i);
		CHECK_STR(what, e->cmdline, x->cmdline ? x->cmdline : "");
		unsigned ni = 0, nm = 0;
		while (x->initrds[ni])
			ni++;
		while (x->modules[nm][0])
			nm++;
		for (unsigned j = 0; j < ni || j < e->nr_initrds; j++) {
			snprintf(what, sizeof(what), "entry %u initrd %u", i, j);
			CHECK_STR(what, j < e->nr_initrds ? e->initrds[j] : NULL,
				  j < ni ? x->initrds[j] : NULL);
		}
		for (unsigned j = 0; j < nm || j < e->nr_modules; j++) {
			snprintf(what, sizeof(what), "entry %u module %u", i, j);
			CHECK_STR(what, j < e->nr_modules ? e->modules[j].path : NULL,
				  j < nm ? x->modules[j][0] : NULL);
			CHECK_STR(what, e->modules[j].cmdline, x->modules[j][1] ? x->modules[j][1] : "");
		}
		snprintf(what, sizeof(what), "entry %u protocol", i);
		if (e->protocol != x->protocol || e->rsdp_low != x->rsdp_low)
			FAIL("entry %u: protocol %d rsdp_low %d, want %d %d", i, e->protocol,
			     e->rsdp_low, x->protocol, x->rsdp_low);
		/* The model promises "" rather than NULL for these. */
		CHECK(e->sort_key && e->version && e->machine_id && e->source);
	}
}

#endif
